"""Written Chinese -> speakable Chinese: numbers, dates, units, symbols, Latin.

Rules follow what a Chinese news listener expects (REFERENCE.md "Chinese text"):
2025年 → 二零二五年, 1.2万余名 → 一点二万余名, 2个 → 两个, 十五五 stays 十五五.
Integer and decimal readings come from cn2an (always in "an2cn" direction: its
default, Chinese → digits, would mangle 二十大). The context rules (which reading a
digit string gets) are ours: no library gets 年 vs 次 vs 热线 right together.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import layout as L
from . import lexicon_tokenizer

NORMALIZER_VERSION = "norm-1"  # bump when a rule changes what is spoken: it is part of every chunk key

DIGITS = "零一二三四五六七八九"
_LAYOUT = re.compile(f"[{L.LAYOUT_SYMBOLS}]")
_QUOTES = re.compile(r"[“”‘’「」『』\"]")
# Classifiers after which 2 is read 两 (两个, 两名 …; but 二月, 第二, 十二).
_LIANG = set(
    "个位名家次条项种件天年岁本张台辆只所批支场周倍人户间座艘架棵头匹份节层类成点期轮"
    "季篇部首套栋处组队趟遍回颗粒片块元角吨斤米千万亿百"
)
_LIANG_WORDS = ("小时", "分钟", "公里", "公斤", "平方", "千克", "方面")
_UNITS = [  # (symbol after a number, reading); longest first
    ("km²", "平方公里"), ("m²", "平方米"), ("㎡", "平方米"), ("m³", "立方米"), ("kWh", "千瓦时"),
    ("km/h", "公里每小时"), ("km", "公里"), ("kg", "千克"), ("cm", "厘米"), ("mm", "毫米"), ("kW", "千瓦"),
    ("MW", "兆瓦"), ("GW", "吉瓦"), ("℃", "摄氏度"), ("°C", "摄氏度"), ("t", "吨"), ("m", "米"), ("g", "克"),
]
_UNIT_READING = dict(_UNITS)
_UNIT = re.compile(r"(?<=\d)(" + "|".join(re.escape(symbol) for symbol, _ in _UNITS) + r")(?![A-Za-z])")
_DIGIT = re.compile(r"\d")
_LETTERS = {  # how a Chinese reader spells Latin letters, for voices that cannot speak Latin
    "A": "诶", "B": "必", "C": "西", "D": "迪", "E": "伊", "F": "艾弗", "G": "吉", "H": "艾尺", "I": "艾",
    "J": "杰", "K": "开", "L": "艾勒", "M": "艾姆", "N": "恩", "O": "欧", "P": "批", "Q": "丘", "R": "阿",
    "S": "艾斯", "T": "踢", "U": "优", "V": "维", "W": "达布溜", "X": "艾克斯", "Y": "歪", "Z": "贼",
}

NUM = r"\d+(?:\.\d+)?"
_PHONE = re.compile(r"(?<![\d.])(1[3-9]\d{9}|0\d{2,3}-\d{7,8}|400-?\d{3}-?\d{4}|800-?\d{3}-?\d{4})(?![\d.])")
_HOTLINE = re.compile(r"(热线|电话|拨打|专线|服务号|号码)(是|为|：|:)?\s*(\d{3,12})")
_HOTLINE_BEFORE = re.compile(
    r"(?<![\d.])(1\d{2,4}|9\d{4})(?![\d.])(?=[\u4e00-\u9fff]{0,8}(热线|专线))")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")
_YEAR_RANGE = re.compile(r"(?<!\d)(\d{4})\s*[—–\-~～至到]\s*(\d{4})(?=\s*(学?年|财年|年度))")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*(年|财年))")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})(日|号)")
_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])(?=月)")
_DAY = re.compile(r"(?<=月)(\d{1,2})(?=日|号)")
_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])")
_PERCENT_RANGE = re.compile(rf"({NUM})%?\s*[-~～—–至到]\s*({NUM})%")
_PERCENT = re.compile(rf"({NUM})\s*[%％]")
_PERMILLE = re.compile(rf"({NUM})\s*‰")
_FRACTION = re.compile(r"(?<![\d.])(\d+)/(\d+)(?![\d.])")
_RANGE = re.compile(rf"(?<![\d.])({NUM})\s*[-~～—–]\s*({NUM})(?![\d.])")
_ORDINAL = re.compile(r"第\s*(\d+)")
_LATIN_DIGITS = re.compile(r"([A-Za-z]+)(\d+(?:\.\d+)?)|(\d+)([A-Za-z]+)")
_NUMBER = re.compile(rf"(?<![A-Za-z]){NUM}")
_LATIN = re.compile(r"[A-Za-z]+")


def read_digits(digits: str, phone: bool = False) -> str:
    out = "".join(DIGITS[int(d)] for d in digits if d.isdigit())
    return out.replace("一", "幺") if phone else out


@lru_cache(maxsize=4096)
def read_number(number: str) -> str:
    """Cardinal reading of an integer or decimal string (cn2an, an2cn direction)."""
    import cn2an

    integer = number.split(".")[0]
    if len(integer) > 1 and integer.startswith("0") or len(integer) > 16:
        return read_digits(number.replace(".", "点")) if "." not in number else (
            read_digits(integer) + "点" + read_digits(number.split(".")[1]))
    return cn2an.an2cn(number, "low")


def _int(digits: str) -> str:
    """07 → 七 (dates drop leading zeros)."""
    return read_number(str(int(digits)))


def _cardinal_in_context(match: re.Match) -> str:
    number = match.group(0)
    after = match.string[match.end():match.end() + 2]
    if number == "2" and (after[:1] in _LIANG or after.startswith(_LIANG_WORDS)):
        return "两"
    reading = read_number(number)
    # 2000/2万/2亿 lead with 两 when a measure follows: 两千多人, 两万元.
    if number.startswith("2") and len(number.split(".")[0]) in (4, 5, 9) and "." not in number:
        reading = "两" + reading[1:] if reading.startswith("二千") or reading.startswith("二万") else reading
    return reading


def normalize(text: str, speaks_latin: bool = False, lexicon: dict[str, str] | None = None) -> str:
    """Speech text for one sentence (pure: same input → same output)."""
    s = _LAYOUT.sub("", text).strip()
    s = L.DASH_PREFIX.sub("", s)
    s = L.DASH_SUFFIX.sub("", s)
    s = _QUOTES.sub("", s)
    if lexicon:
        s = apply_lexicon(s, lexicon)
    s = s.replace("《", " ").replace("》", " ").replace("·", " ").replace("•", " ")
    s = re.sub(r"——+|—{2,}", "，", s)
    s = re.sub(r"(……|…|\.{3,})(?=\s*$)", "。", s)
    s = re.sub(r"……|…|\.{3,}", "，", s)
    if _DIGIT.search(s):
        s = _numbers(s)
    s = s.replace("+", "加").replace("&", "和").replace("×", "乘").replace("＋", "加")
    if not speaks_latin:
        s = _LATIN.sub(lambda m: spell_latin(m.group(0)), s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s*([，。！？；：、,.!?;:）)])\s*", r"\1", s)
    return s


def _numbers(s: str) -> str:
    """Every rule about digits, most specific first (phone numbers before years before plain numbers)."""
    s = _PHONE.sub(lambda m: read_digits(m.group(1), phone=True), s)
    s = _HOTLINE.sub(lambda m: m.group(1) + (m.group(2) or "") + read_digits(m.group(3), phone=True), s)
    s = _HOTLINE_BEFORE.sub(lambda m: read_digits(m.group(1), phone=True), s)
    s = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), s)
    s = _YEAR_RANGE.sub(lambda m: read_digits(m.group(1)) + "到" + read_digits(m.group(2)), s)
    s = _YEAR.sub(lambda m: read_digits(m.group(1)), s)
    s = _MONTH_DAY.sub(lambda m: _int(m.group(1)) + "月" + _int(m.group(2)) + m.group(3), s)
    s = _MONTH.sub(lambda m: _int(m.group(1)), s)
    s = _DAY.sub(lambda m: _int(m.group(1)), s)
    s = _TIME.sub(_time, s)
    s = _PERCENT_RANGE.sub(lambda m: f"百分之{read_number(m.group(1))}到百分之{read_number(m.group(2))}", s)
    s = _PERCENT.sub(lambda m: "百分之" + read_number(m.group(1)), s)
    s = _PERMILLE.sub(lambda m: "千分之" + read_number(m.group(1)), s)
    s = _FRACTION.sub(lambda m: read_number(m.group(2)) + "分之" + read_number(m.group(1)), s)
    s = _RANGE.sub(lambda m: read_number(m.group(1)) + "到" + m.group(2), s)
    s = _ORDINAL.sub(lambda m: "第" + read_number(m.group(1)), s)
    s = _UNIT.sub(lambda m: _UNIT_READING[m.group(1)], s)
    s = _LATIN_DIGITS.sub(_latin_digits, s)
    return _NUMBER.sub(_cardinal_in_context, s)


def _time(m: re.Match) -> str:
    hour, minute = int(m.group(1)), int(m.group(2))
    head = "两" if hour == 2 else read_number(str(hour))
    if minute == 0:
        return head + "点"
    return head + "点" + ("零" if minute < 10 else "") + read_number(str(minute)) + "分"


def _latin_digits(m: re.Match) -> str:
    if m.group(1):  # G20, C919, PM2.5
        digits = m.group(2)
        reading = read_number(digits) if len(digits) <= 2 or "." in digits else read_digits(digits)
        return m.group(1) + reading
    digits = m.group(3)  # 5G, 3D
    return (read_number(digits) if len(digits) <= 2 else read_digits(digits)) + m.group(4)


def spell_latin(word: str) -> str:
    """Spell a Latin word letter by letter with Chinese syllables (for voices without Latin)."""
    return "".join(_LETTERS.get(ch.upper(), "") for ch in word)


_PINYIN = re.compile(r"^([a-zü]+[1-5])(\s+[a-zü]+[1-5])*$")


def is_pinyin(value: str) -> bool:
    return bool(_PINYIN.match(value.strip().lower()))


def apply_lexicon(text: str, lexicon: dict[str, str]) -> str:
    """Replace whole words (jieba segmentation, never a regex \\b: Chinese has no spaces).

    Pinyin entries are left in place here; the Mandarin frontend reads them.
    """
    replacements = {w: r for w, r in lexicon.items() if not is_pinyin(r)}
    if not replacements or not any(w in text for w in replacements):
        return text
    tokenizer = lexicon_tokenizer(tuple(sorted(lexicon)))
    return "".join(replacements.get(tok, tok) for tok in tokenizer.cut(text, HMM=False))
