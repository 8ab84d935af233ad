"""Written Chinese -> speakable Chinese: numbers, dates, units, symbols, Latin.

Rules follow how Chinese broadcasters read numbers aloud, which is what a news listener expects:
2025年 → 二零二五年, 1.2万余名 → 一点二万余名, 2个 → 两个, 十五五 stays 十五五.
The rules are split by concern: codes.py (phone numbers, IDs, codes), dates.py (dates,
years, times), units.py (money, signs, percentages, units, scores, ranges), latin.py
(model numbers, Latin words), numbers.py (cardinals). No library gets 年 vs 次 vs 热线 vs
尾号 right together, so the context rules are ours.
"""

from __future__ import annotations

import re

from .. import layout as L
from ..lexicon import apply_lexicon, is_pinyin
from ..zh import HAN
from . import codes, dates, latin, units
from .latin import spell_latin, unknown_latin_words
from .numbers import DIGITS, NUM, cardinal, read_digits, read_number

__all__ = ["NORMALIZER_VERSION", "normalize", "apply_lexicon", "is_pinyin", "read_digits", "read_number",
           "spell_latin", "unknown_latin_words", "DIGITS"]

NORMALIZER_VERSION = "norm-3"  # bump when a rule changes what is spoken: it is part of every chunk key

_LAYOUT = re.compile(f"[{L.LAYOUT_SYMBOLS}]")
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + k): str(k) for k in range(10)}, **{chr(0xFF21 + k): chr(65 + k) for k in range(26)},
     **{chr(0xFF41 + k): chr(97 + k) for k in range(26)}, "％": "%", "＄": "$", "＝": "=", "＜": "<", "＞": ">",
     "／": "/", "＾": "^", "−": "-", "﹣": "-", **{chr(0x2080 + k): str(k) for k in range(10)}, "㎡": "m²", "〇": "〇"})
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# 10⁶ is a power; a lone ² or ³ stays for the unit rules (m², x² → 平方)
_ANY_SUPERSCRIPT = re.compile(f"[{_SUPERSCRIPT}]")
_POWER_MARK = re.compile(rf"(?<=\d)(?![²³](?![{_SUPERSCRIPT}]))(⁻?)([{_SUPERSCRIPT}]+)")
_FW_BETWEEN = re.compile(r"(?<=\d)\s*([－：．／∶])\s*(?=\d)")
_FW_MINUS = re.compile(r"－(?=\d)")
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "Ⅵ": 6, "Ⅶ": 7, "Ⅷ": 8, "Ⅸ": 9, "Ⅹ": 10, "Ⅺ": 11, "Ⅻ": 12}
_ASCII_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
# Roman numerals as news uses them: III期临床试验, Ⅱ类, 第Ⅲ部分 (never a lone I or X before other words)
_ROMAN_WORD = re.compile(r"(?<![A-Za-z])(VIII|VII|III|II|IV|VI|IX|I)(?=期|型|类|级|代|号|卷|部分|阶段)")
_CIRCLED = {chr(0x2460 + k): k + 1 for k in range(20)} | {chr(0x2776 + k): k + 1 for k in range(10)}
_CIRCLED |= {chr(0x2474 + k): k + 1 for k in range(20)} | {chr(0x2488 + k): k + 1 for k in range(20)}  # ⑴ ⒈
_VULGAR = {"½": "二分之一", "⅓": "三分之一", "⅔": "三分之二", "¼": "四分之一", "¾": "四分之三", "⅕": "五分之一",
           "⅛": "八分之一", "‰": "‰"}
_CIRCLED |= _ROMAN
_SPECIAL = re.compile("[" + "".join(_CIRCLED) + "".join(k for k in _VULGAR if k != "‰") + "]")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")
_ORDINAL = re.compile(r"第\s*0*(\d+)\s*")
_LEADING_DOT = re.compile(r"(?<![\d.A-Za-z])\.(\d+)")
_SECTION = re.compile(r"§\s*(\d+)")
_LONG_DIGITS = re.compile(r"(?<![\d.])(\d{5,})(?![\d.])")
_QUANTITY_BEFORE = re.compile(
    r"(达|为|共|计|约|近|超|逾|突破|增至|降至|升至|至|到|有|是|增加|减少|了|余|收|总|额|量|数|值|长|加|减|乘|除|以|于|^)\s*$")
_QUANTITY_AFTER = re.compile(r"^\s*(?:(?![已的号为是被在和或与])[" + HAN + r"]|%)")
_NUMBER = re.compile(rf"(?<![A-Za-z]){NUM}|\d")
_LATIN = re.compile("[A-Za-z]")
_RUN5 = re.compile(r"\d{5}")
_FW_MARK = re.compile("[－：．／∶]")
_ANY_DIGIT = re.compile(r"\d")


def normalize(text: str, speaks_latin: bool = False, lexicon: dict[str, str] | None = None) -> str:
    """Speech text for one sentence (pure: same input → same output). Punctuation is kept
    (quotes and book-title marks carry pauses); only dashes and ellipses become ，/。."""
    s = _LAYOUT.sub("", text).strip()
    while L.DASH_PREFIX.match(s) or L.DASH_SUFFIX.search(s):
        s = L.DASH_SUFFIX.sub("", L.DASH_PREFIX.sub("", s)).strip()
    if lexicon:
        s = apply_lexicon(s, lexicon)
    s = s.translate(_FULL_WIDTH)
    if _ANY_SUPERSCRIPT.search(s):
        s = _POWER_MARK.sub(lambda m: "^" + "-" * len(m.group(1))
                            + "".join(str(_SUPERSCRIPT.index(ch)) for ch in m.group(2)), s)
    if _ROMAN_WORD.search(s):
        s = _ROMAN_WORD.sub(lambda m: read_number(str(_ASCII_ROMAN[m.group(1)])), s)
    if _SPECIAL.search(s):
        s = _SPECIAL.sub(lambda m: _VULGAR.get(m.group(0)) or read_number(str(_CIRCLED[m.group(0)])), s)
    if "—" in s or "…" in s or "..." in s:
        s = re.sub(r"——+|—{2,}", "，", s)
        s = re.sub(r"(……|…|\.{3,})(?=\s*$)", "。", s)
        s = re.sub(r"……|…|\.{3,}", "，", s)
    if _LATIN.search(s):
        s = codes.net_addresses(s)
    if _ANY_DIGIT.search(s):
        s = _numbers(s)
    s = units.symbols(s)
    if not speaks_latin and _LATIN.search(s):
        s = latin.read_latin(s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s*([，。！？；：、,.!?;:）)”’》」』])\s*", r"\1", s)
    return re.sub(r"([（(“‘《「『])\s+", r"\1", s)


def _numbers(s: str) -> str:
    """Every rule about digits, most specific first: codes before dates before amounts
    before the cardinal fallback. Each rule writes Chinese, so later rules never see its digits."""
    if _FW_MARK.search(s):
        s = _FW_BETWEEN.sub(lambda m: {"－": "-", "：": ":", "．": ".", "／": "/", "∶": ":"}[m.group(1)], s)
        s = _FW_MINUS.sub("-", s)
    if not all(ch.isascii() for ch in _ANY_DIGIT.findall(s)):  # other scripts (full-width is translated)
        s = "".join(str(int(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in s)
    if "," in s:
        s = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), s)
    s = codes.apply(s)
    s = dates.apply(s)
    s = units.apply(s)
    if "." in s:
        s = _LEADING_DOT.sub(lambda m: "点" + read_digits(m.group(1)), s)
    if "§" in s:
        s = _SECTION.sub(lambda m: "第" + read_number(m.group(1)) + "条", s)
    if "第" in s:
        s = _ORDINAL.sub(lambda m: "第" + read_number(m.group(1)), s)
    if _LATIN.search(s):
        s = latin.digits_with_latin(s)
    if _RUN5.search(s):
        s = _LONG_DIGITS.sub(_long_digits, s)
    return _NUMBER.sub(lambda m: cardinal(m.group(0), m.string[m.end():m.end() + 2]), s)


def _long_digits(m: re.Match) -> str:
    """A bare run of five or more digits with no measure after it and no quantity verb
    before it is a code (订单20231105001, 邮编 after a line break)."""
    before = m.string[max(0, m.start() - 3):m.start()]
    if _QUANTITY_AFTER.match(m.string[m.end():]) or _QUANTITY_BEFORE.search(before):
        return m.group(0)
    return read_digits(m.group(1))
