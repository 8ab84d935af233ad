"""Dates, years, eras, clock times, durations and race times.

Years are read digit by digit (2025年 → 二零二五年, 97年 → 九七年), days and months as
cardinals; a written 至/到 between two dates is kept, a dash becomes 到.
"""

from __future__ import annotations

import re

from ..zh import HAN
from .numbers import read_digits, read_int, read_number

_RANGE = r"\s*[-—–~～－]\s*"
_DATE = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})([-/.])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?:日|号)?"
    r"(?:(?:[T\s]|\s*日?\s*)([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?)?(?![\d.])")
_YEAR_MONTH = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?:-|/|\.(?=\d\d))(0[1-9]|1[0-2]|[1-9](?![\d.]))(?![\d.年万亿])")
_YEAR_RANGE = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(\s*[-—–~～－至到]\s*|/)((?:19|20)?\d{2})(?![\d.])(?=\s*(?:年|学年|财年|赛季|年度|届|$|[^\d%℃万亿千百个元人名家台辆吨米件次户只头]))")
_YEAR = re.compile(r"(?<![\d.])(\d{4})(?=\s*(?:年(?!代)|财年|学年|年度|赛季|届|版|款))")
# 2025政府工作报告, 2024中国国际服贸会: a year in a title, not 两千零二十五 of something
_BARE_YEAR = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(?=[" + HAN + r"])(?![年月日万亿千百十多余个人元次家件"
    r"台辆名位户股吨米克条项倍平公斤亩只头张本部套座所间架艘首篇场届期批左以至到来强块角分秒小天周岁度瓦升毫厘分之点栋层号路])")
_ERA_AFTER = re.compile(r"(?<![\d.])(\d{1,4})\s*(BCE|BC|B\.C\.|AD|A\.D\.|CE)(?![A-Za-z])")
_ERA_BEFORE = re.compile(r"(?<![A-Za-z])(AD|A\.D\.)\s*(\d{1,4})(?![\d.])")
_AD_YEAR = re.compile(r"(公元前?)(\d{1,4})(?=年)")
_SHORT_YEAR = re.compile(
    r"(?:^|(?<=[于在从自至到是、和与及或’'，,（(止]))(\d{2})(?=年(?:\d|[至到—\-~～]|[，。、；）)\s]|$|的?(?:春|夏|秋|冬|春节|底|初|末|中|上半|下半)))")
# 98年洪水, 08年奥运会: a two-digit number before 年 and a dated event is a year
_SHORT_YEAR_EVENT = re.compile(r"(?<![\d.])(\d{2})(?=年的?(?:奥运|冬奥|亚运|世界杯|世博|洪水|大洪水|特大洪水|"
                               r"地震|大地震|金融危机|非典|春晚|高考|香港回归|澳门回归|入学|毕业|入伍|冰灾|雪灾))")
_SHORT_YEAR_AFTER_CUE = re.compile(
    r"(?<=[于在从自至到是’'])(\d{2})(?=年(?!内|间|来|以来|前|后|里|中|多|余|左右|半|之久|期间|的时间|历史|时间|以上|以下))")
_YEAR_MONTH_CUE = re.compile(r"(?<![\d.])(\d{2})(?=年\d{1,2}月)")
_MONTH_DAY = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(0?[1-9]|[12]\d|3[01])(?=日|号)")
_MONTH_RANGE = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])\s*([-—–~～－至到])\s*(1[0-2]|0?[1-9])(?=月)")
_MONTH = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])(?=月)")
_DAY_RANGE = re.compile(r"(?<=[日号月])" + _RANGE + r"(?=\d)")
_DAY = re.compile(r"(?<![\d.:])(0?[1-9]|[12]\d|3[01])(?=\s*(?:日|号)(?![\d]))")
_TIME = re.compile(r"(?<![\d:.])([01]?\d|2[0-4]):([0-5]\d)(?::([0-5]\d)(?:\.(\d+))?)?(?![\d:])")
_TIME_RANGE = re.compile(
    r"(?<=[点分秒])\s*[-—–~～－]\s*(?=(?:次日|翌日|凌晨|早上|上午|中午|下午|晚上)?[零一二三四五六七八九十两]+点)")
_DURATION_CUE = re.compile(r"(用时|耗时|成绩|时长|历时|跑出|游出|纪录|仅用|全程|计时)\s*[:：为是了]?\s*$")
_CUE_DURATION = re.compile(
    r"(用时|耗时|成绩|时长|历时|跑出|游出|纪录|仅用|全程|计时)(\s*[:：为是了]?\s*)(\d{1,2}):([0-5]\d)(?::([0-5]\d))?"
    r"(?:\.(\d{1,3}))?(?![\d:])")
_DMY = re.compile(r"(?<![\d./])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d./])")
_AM_PM = re.compile(r"(?<![\d:.])([01]?\d)(?::([0-5]\d))?\s*([AaPp])\.?[Mm]\.?(?![A-Za-z])")
_RESULT_AFTER = re.compile(r"的?(成绩|夺冠|获得|完赛|冲线|打破|刷新|摘得|获胜|位列|排名)")
_RACE = re.compile(r"(?<![\d.])(\d{1,2}):([0-5]\d)\.(\d{1,3})(?![\d:])")  # 1:59.40 → 一分五十九秒四零
# 9秒97 → 九秒九七 (never 每秒230: the 秒 must close a number)
_SECONDS_FRACTION = re.compile(r"(?<=[\d零一二三四五六七八九十]秒)(\d{1,3})(?![\d.])")
# Prime marks: 116°23′ is an angle (度分), 1′23″45 and 9"83 are race times (分秒)
_ANGLE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)°\s*(\d{1,2})[′']\s*(?:(\d{1,2}(?:\.\d+)?)[″\"])?")
_PRIME_TIME = re.compile(r"(?<![\d.])(\d{1,2})[′'](\d{1,2})[″\"](\d{1,3})?(?!\d)")
_SECOND_MARK = re.compile(r"(?<![\d.′'])(\d{1,2})[″\"](\d{1,3})(?!\d)")
_PADDED_HOUR = re.compile(r"(?<![\d.:])0(?=\d[时点])")  # 6日08时 → 六日八时 (a padded hour, not a code)
_DECADE = re.compile(r"(?<![\d.])(\d0)(?=年代)")
_LONG_DECADE = re.compile(r"(?<![\d.])((?:1[5-9]|20)\d0)(?=年代)")  # 1980年代 → 一九八零年代


def _year(digits: str) -> str:
    return read_digits(digits)


def _date(m: re.Match) -> str:
    out = _year(m.group(1)) + "年" + read_int(m.group(3)) + "月" + read_int(m.group(4)) + "日"
    if m.group(5):
        out += _clock(m.group(5), m.group(6), m.group(7))
    return out


def _clock(hour: str, minute: str, second: str | None = None) -> str:
    h = int(hour)
    out = ("两" if h == 2 else read_int(str(h))) + "点"
    if int(minute) or (second and int(second)):
        out += ("零" if int(minute) < 10 else "") + read_int(str(int(minute))) + "分"
    if second and int(second):
        out += ("零" if int(second) < 10 else "") + read_int(str(int(second))) + "秒"
    return out


def _duration(parts: list[str], fraction: str | None) -> str:
    """用时2:05:09 → 两小时零五分零九秒; 1:59.40 → 一分五十九秒四零."""
    names = ("小时", "分", "秒")[-len(parts):]
    out = ""
    for part, name in zip(parts, names, strict=True):
        value = int(part)
        if value == 0 and not (name == "秒" and fraction):
            continue
        out += ("零" if out and value < 10 else "") + read_int(str(value)) + name
    return (out or "零秒") + (read_digits(fraction) if fraction else "")


_SCORE_BEFORE = re.compile(r"(比分|战成|打成|比分来到|比分为|总比分|大比分|小比分)\s*$")
_SPORT_WORD = re.compile("[队赛球局盘]|女排|男排|女篮|男篮|国足|国乒|国羽")
_SCORE_AFTER = re.compile(r"\s*(获胜|取胜|战胜|击败|拿下|力克|险胜|逆转|告负|落败|不敌|横扫|赢下|扳平|胜出|轻取|完胜|"
                          r"大胜|惜败|憾负|战平|打平)")


def _time(m: re.Match) -> str:
    hour, minute, second, fraction = m.groups()
    before = m.string[max(0, m.start() - 8):m.start()]
    after = m.string[m.end():m.end() + 4]
    sport_by = (before.rstrip().endswith("以") and _SPORT_WORD.search(m.string)
                and not re.match(r"\s*(开|为|起|前|后|左右|之前|之后|结束)", after))
    if not second and (_SCORE_BEFORE.search(before) or _SCORE_AFTER.match(after) or sport_by):
        return m.group(0)  # 比分来到15:13, 以21:17拿下: a score, read by the score rule
    if _DURATION_CUE.search(before) or fraction or (second and _RESULT_AFTER.match(after)):
        return _duration([hour, minute] + ([second] if second else []), fraction)
    return _clock(hour, minute, second)


def _cue_duration(m: re.Match) -> str:
    """用时45:12 → 四十五分十二秒: after a timing cue two parts are minutes and seconds."""
    parts = [m.group(3), m.group(4)] + ([m.group(5)] if m.group(5) else [])
    return m.group(1) + m.group(2) + _duration(parts, m.group(6))


def _am_pm(m: re.Match) -> str:
    """10:30am → 上午十点三十分, 8pm → 晚上八点."""
    hour = int(m.group(1))
    if hour > 12:
        return m.group(0)
    part = "上午" if m.group(3) in "Aa" else ("晚上" if hour >= 6 and hour != 12 else "下午")
    return part + _clock(str(hour), m.group(2) or "00")


def _dmy(m: re.Match) -> str:
    """15/3/2024 (day first when the first part cannot be a month), else month first."""
    first, second, year = int(m.group(1)), int(m.group(2)), m.group(3)
    month, day = (second, first) if first > 12 else (first, second)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    return _year(year) + "年" + read_int(str(month)) + "月" + read_int(str(day)) + "日"


# 距今约7000年, 已有1300年历史: a span of years is an amount (七千年), a calendar year is not
_SPAN_BEFORE = re.compile(r"(约|近|逾|距今|长达|历时|已有|有|超过|持续|延续|传承|经过|走过|存在)了?\s*$")


def _calendar_year(m: re.Match) -> str:
    """约1980年 is still a year; 约1300年, 近2000年 and 7000年 are spans."""
    digits = m.group(1)
    cue = _SPAN_BEFORE.search(m.string, max(0, m.start() - 4), m.start())
    span_like = int(digits) > 2100 or ((int(digits) < 1900 or digits.endswith("00")) and cue)
    if span_like and m.string.startswith("年", m.end()):
        return read_int(digits)
    return _year(digits)


_SLASH_DAY = re.compile(r"(?<![\d./])(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])(?![\d./%％℃°度])")
_SLASH_BEFORE = re.compile(r"(于|截至|截止|自|从|日期|时间)[:：]?\s*$")
_SLASH_AFTER = re.compile(
    r"\s*(起|开始|开售|开幕|开启|举行|举办|当天|当日|上午|下午|晚上|凌晨|早上|晚|[日号]|前后|（周|（星期|\(周)")


def _slash_day(m: re.Match) -> str:
    """11/11开售, 截至3/15, 12/25圣诞: month/day; 2/3以上 and a bare 3/15 stay fractions."""
    month, day = int(m.group(1)), int(m.group(2))
    before = m.string[max(0, m.start() - 4):m.start()]
    after = m.string[m.end():m.end() + 3]
    if not (month >= day or _SLASH_BEFORE.search(before) or _SLASH_AFTER.match(after)):
        return m.group(0)
    ending = "" if re.match(r"[日号]", after) else "日"
    return read_int(str(month)) + "月" + read_int(str(day)) + ending


def _short_year(m: re.Match) -> str:
    return read_digits(m.group(1))


def _link(mark: str) -> str:
    """A written 至/到 is kept; a dash or tilde is read 到."""
    mark = mark.strip()
    return mark if mark in ("至", "到") else "到"


def _year_range(m: re.Match) -> str:
    return _year(m.group(1)) + _link(m.group(2)) + _year(m.group(3))


def _era(number: str, before: bool) -> str:
    reading = read_number(number) if number.endswith("00") or len(number) <= 2 else read_digits(number)
    return ("公元前" if before else "公元") + reading + "年"


def apply(s: str) -> str:
    """Each group of rules runs only when its marker character is in the sentence."""
    seps = "-" in s or "/" in s or "." in s
    if "/" in s:
        s = _DMY.sub(_dmy, s)
        s = _SLASH_DAY.sub(_slash_day, s)
    if seps:
        s = _DATE.sub(_date, s)
        s = _YEAR_MONTH.sub(lambda m: _year(m.group(1)) + "年" + read_int(m.group(2)) + "月", s)
    nian = "年" in s
    if seps or nian or any(mark in s for mark in "—–~～－至到"):
        s = _YEAR_RANGE.sub(_year_range, s)
    if "公元" in s:
        s = _AD_YEAR.sub(lambda m: m.group(1) + (read_number(m.group(2)) if m.group(2).endswith("00")
                                                 or len(m.group(2)) <= 2 else read_digits(m.group(2))), s)
    if nian or "届" in s or "版" in s or "款" in s or "季" in s:
        s = _YEAR.sub(_calendar_year, s)
    s = _BARE_YEAR.sub(lambda m: _year(m.group(1)), s)
    if re.search("[ABC]", s):
        s = _ERA_AFTER.sub(lambda m: _era(m.group(1), m.group(2).startswith("B")), s)
        s = _ERA_BEFORE.sub(lambda m: _era(m.group(2), False), s)
    if nian:
        if "年代" in s:
            s = _LONG_DECADE.sub(lambda m: read_digits(m.group(1)), s)
            s = _DECADE.sub(lambda m: read_int(m.group(1)), s)
        s = _YEAR_MONTH_CUE.sub(_short_year, s)
        s = _SHORT_YEAR.sub(_short_year, s)
        s = _SHORT_YEAR_EVENT.sub(_short_year, s)
        s = _SHORT_YEAR_AFTER_CUE.sub(_short_year, s)
    if "′" in s or "″" in s or "'" in s or '"' in s:
        s = _ANGLE.sub(lambda m: read_number(m.group(1)) + "度" + read_int(m.group(2)) + "分"
                       + (read_number(m.group(3)) + "秒" if m.group(3) else ""), s)
        s = _PRIME_TIME.sub(lambda m: read_int(m.group(1)) + "分" + read_int(m.group(2)) + "秒"
                            + (read_digits(m.group(3)) if m.group(3) else ""), s)
        s = _SECOND_MARK.sub(lambda m: read_int(m.group(1)) + "秒" + read_digits(m.group(2)), s)
    if "时" in s or "点" in s:
        s = _PADDED_HOUR.sub("", s)
    if "月" in s:
        s = _MONTH_DAY.sub(lambda m: read_int(m.group(1)) + "月" + read_int(m.group(2)), s)
        s = _MONTH_RANGE.sub(lambda m: read_int(m.group(1)) + _link(m.group(2)) + read_int(m.group(3)), s)
        s = _MONTH.sub(lambda m: read_int(m.group(1)), s)
    if "日" in s or "号" in s:
        s = _DAY_RANGE.sub("到", s)
        s = _DAY.sub(lambda m: read_int(m.group(1)), s)
    if re.search("[AaPp]\\.?[Mm]", s):
        s = _AM_PM.sub(_am_pm, s)
    if ":" in s:
        s = _CUE_DURATION.sub(_cue_duration, s)
        s = _RACE.sub(lambda m: _duration([m.group(1), m.group(2)], m.group(3)), s)
        s = _TIME.sub(_time, s)
        s = _TIME_RANGE.sub("到", s)
    if "秒" in s:
        s = _SECONDS_FRACTION.sub(lambda m: read_digits(m.group(1)), s)
    return s
