"""Reading digit strings aloud: cardinals, digit-by-digit codes, decimals, ordinals.

Our own cardinal reader rather than cn2an's: cn2an drops the 零 that marks an empty
万 group (200000003000 → 二千亿三千), which a listener hears as a different number.
"""

from __future__ import annotations

import re
from functools import lru_cache

DIGITS = "零一二三四五六七八九"
_GROUP_UNITS = ("", "万", "亿", "万亿")
_PLACE = ("千", "百", "十", "")

# Measure words after which 2 is read 两 (两个, 两名 …; but 二月, 第二, 十二).
LIANG = set(
    "个位名家次条项种件天年岁本张台辆只所批支场周倍人户间座艘架棵头匹份节层类成点期轮"
    "季篇部首套栋处组队趟遍回颗粒片块元角吨斤米千万亿百"
)
LIANG_WORDS = ("小时", "分钟", "公里", "公斤", "平方", "千克", "方面")
NUM = r"(?:\d+(?:\.\d+)?|(?<![\d.])\.\d+)"  # .38 (a leading dot) is read 点三八


def read_digits(digits: str, phone: bool = False) -> str:
    """0571 → 零五七一; phone numbers read 1 as 幺."""
    out = "".join(DIGITS[int(d)] for d in digits if d.isdigit())
    return out.replace("一", "幺") if phone else out


def _group(value: int) -> str:
    """0 < value < 10000, with the 零 of inner gaps (1005 → 一千零五)."""
    out, gap = [], False
    for place, digit in zip(_PLACE, f"{value:04d}", strict=True):
        if digit == "0":
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(DIGITS[int(digit)] + place)
    return "".join(out)


@lru_cache(maxsize=8192)
def read_int(digits: str) -> str:
    """Cardinal reading of an integer string; over 16 digits it is read digit by digit."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > 16:
        return read_digits(digits)
    value = int(digits)
    if value == 0:
        return "零"
    groups = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    out, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = bool(out)
            continue
        if out and (zero or group < 1000):
            out += "零"
        out += _group(group) + _GROUP_UNITS[index]
        zero = False
    return out[1:] if out.startswith("一十") else out


@lru_cache(maxsize=8192)
def read_number(number: str) -> str:
    """Cardinal reading of an integer or decimal string; decimals keep every written digit
    (2.50 → 二点五零: the printed precision is part of the news)."""
    if number.startswith("."):
        return "点" + read_digits(number[1:])
    integer, _, fraction = number.partition(".")
    if len(integer) > 1 and integer.startswith("0"):  # 007, 0571: a code, not an amount
        head = read_digits(integer)
    else:
        head = read_int(integer)
    return head + ("点" + read_digits(fraction) if fraction else "")


def liang(reading: str, after: str) -> str:
    """二 → 两 where Mandarin says 两: before a measure word, and 2000/2万 heads."""
    if reading == "二" and (after[:1] in LIANG or after.startswith(LIANG_WORDS)):
        return "两"
    if reading.startswith(("二千", "二万", "二亿")) and "点" not in reading:
        return "两" + reading[1:]
    return reading


def cardinal(number: str, after: str = "") -> str:
    return liang(read_number(number), after)


def read_code(code: str) -> str:
    """A mixed code read as a listener would say it: digits one by one, letters kept."""
    return re.sub(r"\d", lambda m: DIGITS[int(m.group(0))], code)
