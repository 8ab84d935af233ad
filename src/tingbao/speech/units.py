"""Amounts with a sign or a symbol: money, minus and temperatures, percentages, units of
measure, scores and ratios, fractions, maths, ranges."""

from __future__ import annotations

import re
from decimal import Decimal

from ..zh import HAN
from .numbers import NUM, read_number

_CURRENCY_PREFIX = {
    "HK$": "港元", "US$": "美元", "NT$": "新台币", "A$": "澳元", "C$": "加元", "S$": "新加坡元", "$": "美元",
    "￥": "元", "¥": "元", "€": "欧元", "£": "英镑", "₩": "韩元", "₹": "卢比", "₽": "卢布",
}
_CURRENCY_CODES = {
    "USD": "美元", "CNY": "元人民币", "RMB": "元人民币", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "HKD": "港元",
    "AUD": "澳元", "CAD": "加元", "CHF": "瑞士法郎", "KRW": "韩元", "SGD": "新加坡元", "TWD": "新台币", "MOP": "澳门元",
}
_AMOUNT = rf"({NUM})(\s*(?:千万|百万|万亿|万|亿|千|百))?"
_TO = r"\s*([-—–~～－至到])\s*"
_PREFIX = re.compile(
    "(" + "|".join(re.escape(k) for k in sorted(_CURRENCY_PREFIX, key=len, reverse=True)) + r")\s*"
    + _AMOUNT + rf"(?:{_TO}(?:\$|￥|¥|€|£)?{_AMOUNT})?")
_CODE_BEFORE = re.compile("(" + "|".join(_CURRENCY_CODES) + r")\s*" + _AMOUNT)
_CODE_AFTER = re.compile(_AMOUNT + r"\s*(" + "|".join(_CURRENCY_CODES) + r")(?![A-Za-z])")
_TEMPERATURE_UNIT = r"(?:℃|°C|°F|℉|°|度|摄氏度|华氏度)"
_MINUS = re.compile(rf"(?:^|(?<=[\s{HAN}，。：:；（(“‘、=~～到至为或和]))[-−－](?=\d)")
_RANGE_BEFORE = re.compile(r"\d\s*[万亿千百十元度天日号月年个人%℃米克吨倍岁时分秒级周层名次期届]{1,2}\s*$")
_TEMP_CONTEXT = re.compile(r"(气温|温度|低温|高温|最低|最高|降至|体感|冰点|冷|热|寒)")
_PERCENT_RANGE = re.compile(rf"(?<![\d.])({NUM})\s*[%％]?{_TO}((?:负|正|零下)?)({NUM})\s*[%％]")
_PERCENT = re.compile(rf"(?<![\d.])({NUM})\s*[%％]")
_PERMILLE = re.compile(rf"(?<![\d.])({NUM})\s*‰")
_UNITS = {
    "km/h": "公里每小时", "m/s": "米每秒", "km²": "平方公里", "km2": "平方公里", "m²": "平方米", "m2": "平方米",
    "cm²": "平方厘米", "mm²": "平方毫米", "m³": "立方米", "m3": "立方米", "cm³": "立方厘米", "㎡": "平方米",
    "㎞": "公里", "㎏": "千克", "㎝": "厘米", "㎜": "毫米", "kWh": "千瓦时", "kW·h": "千瓦时", "mAh": "毫安时",
    "GHz": "吉赫兹",
    "MHz": "兆赫兹", "kHz": "千赫兹", "Hz": "赫兹", "TB": "太字节", "GB": "吉字节", "MB": "兆字节", "KB": "千字节",
    "Gbps": "吉比特每秒", "Mbps": "兆比特每秒", "ms": "毫秒", "μs": "微秒", "ns": "纳秒", "nm": "纳米", "μm": "微米",
    "mm": "毫米", "cm": "厘米", "dm": "分米", "km": "公里", "mg": "毫克", "kg": "千克", "mL": "毫升", "ml": "毫升",
    "kV": "千伏", "kW": "千瓦", "MW": "兆瓦", "GW": "吉瓦", "TW": "太瓦", "mA": "毫安", "dB": "分贝", "kPa": "千帕",
    "MPa": "兆帕", "hPa": "百帕", "Pa": "帕", "kcal": "千卡", "mph": "英里每小时", "min": "分钟", "mmHg": "毫米汞柱",
    "°C": "摄氏度", "℃": "摄氏度", "°F": "华氏度", "℉": "华氏度", "°": "度", "t": "吨", "m": "米", "g": "克", "L": "升",
    "W": "瓦", "V": "伏", "h": "小时", "s": "秒", "lb": "磅", "oz": "盎司", "ft": "英尺", "Ah": "安时", "mol": "摩尔",
    "mmol": "毫摩尔", "μmol": "微摩尔", "μg": "微克", "μL": "微升",
}
_UNIT = re.compile(r"(?<=[\d万亿千百十/])\s?(" + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
                   + r")(?![A-Za-z²³])")
_PER = re.compile(rf"(?<=[尔元克斤吨米升次人个台件辆瓦时秒天日月年户间位头只张本箱袋包盒瓶桶度里亩股份套份])\s*/\s*"
                  rf"(?=[{HAN}])")
_SCORE_CUE_BEFORE = re.compile(r"(比分|以|战成|比|打成|最终|总比分|大比分|小比分|逆转|胜|负)\s*$")
_SCORE_CUE_AFTER = re.compile(
    r"^\s*(获胜|取胜|战胜|击败|胜|负|落败|告负|力克|险胜|完胜|大胜|逆转|赢|输|战平|打平|夺冠|晋级|淘汰|横扫|不敌|惜败|憾负|"
    r"胜出|零封|轻取|拿下|收官)")
_SPORT = re.compile(
    r"(队|赛|球|局|盘|比分|主场|客场|联赛|冠军|决赛|半场|进球|战平|击败|战胜|女排|男排|女篮|男篮|国足|国乒|国羽)")
_PAIR = re.compile(r"(?<![\d.:])(\d{1,3}(?:\.\d+)?)\s*([-:：－—–])\s*(\d{1,4}(?:\.\d+)?)(?![\d.:])")
_RATIO_CHAIN = re.compile(r"(?<![\d.:])\d+(?:\.\d+)?(?:\s*[:：]\s*\d+(?:\.\d+)?){2,}(?![\d.:])")  # 1:2:3
_MEASURE_AFTER = re.compile(r"^\s*(?:[%℃万亿千百个天年月日周岁人名元时分秒倍次米克吨号层楼期届场]|[A-Za-z])")
# 12/3℃ on a weather page is a high and a low, not a fraction
_TEMP_PAIR = re.compile(r"(?<![\d./])((?:零下|负)?\d+(?:\.\d+)?(?:\s*(?:摄氏度|℃|°C|度))?)\s*[/／]\s*"
                        r"((?:零下|负|-)?\d+(?:\.\d+)?)\s*(?=℃|°C|度|摄氏度)")
# 5.3/10万 (a rate per 100 000) → 十万分之五点三
_FRACTION = re.compile(r"(?<![\d./])(\d+(?:\.\d+)?)\s*/\s*(\d+)(万|千|百|亿)?(?![\d./])")
_POWER = re.compile(r"(\d+)\s*\^\s*(-?\d+)")
_RANGE = re.compile(r"(?<=[\d%度米克吨升元时秒钟天日号万亿千百里瓦伏帕个人岁倍年月周级])\s*[-~～—–－]\s*"
                    r"(?=[\d$￥¥€£零一二三四五六七八九十两负正第])")
_MATH = [("≠", "不等于"), ("≈", "约等于"), ("≤", "小于等于"), ("≥", "大于等于"), ("<=", "小于等于"), (">=", "大于等于"),
         ("=", "等于"), ("<", "小于"), (">", "大于"), ("±", "正负"), ("×", "乘"), ("÷", "除以"), ("√", "根号"),
         ("∞", "无穷大"), ("+", "加"), ("＋", "加"), ("&", "和"), ("²", "平方"), ("³", "立方")]


_EN_SCALE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(million|billion|trillion|mn|bn)(?![A-Za-z])", re.IGNORECASE)
_EN_FACTOR = {"million": (100, "万"), "mn": (100, "万"), "billion": (10, "亿"), "bn": (10, "亿"),
              "trillion": (1, "万亿")}


def _en_scale(m: re.Match) -> str:
    """$1.5 billion → 15亿 (then read as 十五亿美元): Chinese counts in 万 and 亿."""
    factor, unit = _EN_FACTOR[m.group(2).lower()]
    amount = Decimal(m.group(1)) * factor
    if unit == "万" and amount >= 10000:  # 300 million is 3亿, not 30000万
        amount, unit = amount / 10000, "亿"
    value = format(amount, "f")
    return (value.rstrip("0").rstrip(".") if "." in value else value) + unit


def _amount(number: str, scale: str | None) -> str:
    if number.endswith(".00"):  # ￥99.00: a price tag's empty cents are not said
        number = number[:-3]
    return read_number(number) + (scale or "").strip()


def _prefix(m: re.Match) -> str:
    name = _CURRENCY_PREFIX[m.group(1)]
    if m.string.startswith(name, m.end()):  # ￥128元: the name is already written
        name = ""
    first = _amount(m.group(2), m.group(3))
    if m.group(4):
        link = m.group(4) if m.group(4) in ("至", "到") else "到"
        return first + link + _amount(m.group(5), m.group(6)) + name
    return first + name


def _minus(m: re.Match) -> str:
    after = m.string[m.end():m.end() + 14]
    before = m.string[max(0, m.start() - 8):m.start()]
    if _RANGE_BEFORE.search(before):  # 1万-2万, 3天-5天: a range mark, not a sign
        return m.group(0)
    temperature = re.match(rf"{NUM}\s*(?:[~～\-—至到/／]\s*[-−－]?{NUM}\s*)?{_TEMPERATURE_UNIT}", after)
    if temperature or (_TEMP_CONTEXT.search(before) and not re.match(rf"{NUM}\s*%", after)):
        return "零下"
    return "负"


def _pair(m: re.Match) -> str:
    """3:1 and 3-1: a score after 比/以 or in sport, a ratio with a colon, else a range."""
    left, mark, right = m.groups()
    before = m.string[max(0, m.start() - 6):m.start()]
    after = m.string[m.end():m.end() + 6]
    colon = mark in ":："
    if not colon and re.match(r"\s*[=＝]", after):
        return read_number(left) + "减" + read_number(right)  # 100-1=99
    score = _SCORE_CUE_BEFORE.search(before) or _SCORE_CUE_AFTER.match(after)
    if not score and not colon and (_MEASURE_AFTER.match(after) or not _SPORT.search(m.string)):
        return m.group(0)  # a range: the range rule reads it
    return read_number(left) + "比" + read_number(right)


_PLUS_SIGN = re.compile(r"(?:^|(?<=[\s" + HAN + r"，：:；（(~～、]))[+＋](?=\d)")  # +5% → 正百分之五
_DASHES = re.compile("[-−－—–~～]")
_UNIT_START = re.compile("[A-Za-z℃°℉㎡㎞㎏㎝㎜μ]")
_PAIR_MARK = re.compile("[-:：－—–]")


def apply(s: str) -> str:
    """Each rule runs only when its sign is in the sentence (most sentences have none)."""
    if re.search(r"[$￥¥€£₩₹₽]", s):
        if re.search("illion|[mb]n", s, re.IGNORECASE):
            s = _EN_SCALE.sub(_en_scale, s)
        s = _PREFIX.sub(_prefix, s)
    if re.search("[A-Z]{3}", s):
        s = _CODE_BEFORE.sub(lambda m: _amount(m.group(2), m.group(3)) + _CURRENCY_CODES[m.group(1)], s)
        s = _CODE_AFTER.sub(lambda m: _amount(m.group(1), m.group(2)) + _CURRENCY_CODES[m.group(3)], s)
    if "+" in s:
        s = _PLUS_SIGN.sub("正", s)
    dashes = _DASHES.search(s)
    if dashes:
        s = _MINUS.sub(_minus, s)
    if "%" in s or "％" in s:
        s = _PERCENT_RANGE.sub(lambda m: "百分之" + read_number(m.group(1)) + ("到" if m.group(2) not in "至到" else
                                         m.group(2)) + m.group(3) + "百分之" + read_number(m.group(4)), s)
        s = _PERCENT.sub(lambda m: "百分之" + ("百" if m.group(1) == "100" else read_number(m.group(1))), s)
    if "‰" in s:
        s = _PERMILLE.sub(lambda m: "千分之" + read_number(m.group(1)), s)
    if _UNIT_START.search(s):
        s = _UNIT.sub(lambda m: _UNITS[m.group(1)], s)
    if "/" in s:
        s = _PER.sub("每", s)
    if _PAIR_MARK.search(s):
        s = _RATIO_CHAIN.sub(lambda m: "比".join(read_number(n) for n in re.split(r"\s*[:：]\s*", m.group(0))), s)
        s = _PAIR.sub(_pair, s)
    if "^" in s:
        s = _POWER.sub(lambda m: read_number(m.group(1)) + "的" + ("负" if m.group(2)[0] == "-" else "")
                      + read_number(m.group(2).lstrip("-")) + "次方", s)
    if "/" in s:
        s = _TEMP_PAIR.sub(lambda m: m.group(1) + "到" + m.group(2).replace("-", "零下"), s)
        s = _FRACTION.sub(lambda m: read_number(m.group(2)) + (m.group(3) or "") + "分之" + read_number(m.group(1)), s)
    return _RANGE.sub("到", s) if dashes else s


def symbols(s: str) -> str:
    """Maths and other signs a voice would skip; run after every digit rule."""
    for sign, reading in _MATH:
        if sign in s:
            s = s.replace(sign, reading)
    return s
