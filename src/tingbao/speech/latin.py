"""Latin letters in Chinese text: model numbers and versions (C919, iPhone 16), and for
voices that cannot speak English, readings the offline voice can say.

Acronyms are spelled with the Chinese syllables listeners use for letters (GDP →
吉迪批); common brand and tech words have a Chinese name or transliteration; any other
word is spelled letter by letter and reported by :func:`unknown_latin_words` so the
editor can fix it in the script or the ``[lexicon]``.
"""

from __future__ import annotations

import re

from .numbers import read_digits, read_number

LETTERS = {
    "A": "诶", "B": "必", "C": "西", "D": "迪", "E": "伊", "F": "艾弗", "G": "吉", "H": "艾尺", "I": "艾",
    "J": "杰", "K": "开", "L": "艾勒", "M": "艾姆", "N": "恩", "O": "欧", "P": "批", "Q": "丘", "R": "阿",
    "S": "艾斯", "T": "踢", "U": "优", "V": "维", "W": "达布溜", "X": "艾克斯", "Y": "歪", "Z": "贼",
}
# Words listeners know by a Chinese name or a settled transliteration (lower case keys).
READINGS = {
    "wi-fi": "歪飞", "wifi": "歪飞", "iphone": "爱疯", "ipad": "爱派德", "app": "诶批批", "apple": "苹果",
    "google": "谷歌", "microsoft": "微软", "android": "安卓", "windows": "温斗斯", "facebook": "脸书",
    "twitter": "推特", "youtube": "油管", "tiktok": "提克托克", "tesla": "特斯拉", "python": "派森", "java": "加瓦",
    "linux": "林纳克斯", "chatgpt": "恰特吉批踢", "openai": "欧喷诶艾", "deepseek": "深度求索", "nvidia": "英伟达",
    "intel": "英特尔", "amazon": "亚马逊", "huawei": "华为", "xiaomi": "小米", "mate": "美特", "pro": "普柔",
    "max": "马克斯", "plus": "普拉斯", "ultra": "奥特拉", "mini": "迷你", "air": "艾尔", "watch": "沃奇", "pad": "派德",
    "phone": "疯", "ios": "艾欧艾斯", "covid": "新冠", "ok": "欧开", "vlog": "微漫格", "logo": "漏够",
    "email": "伊妹儿", "e-mail": "伊妹儿", "www": "达布溜达布溜达布溜", "com": "康姆", "http": "艾尺踢踢批",
    "https": "艾尺踢踢批艾斯", "bilibili": "哔哩哔哩", "wechat": "微信", "alipay": "支付宝", "taobao": "淘宝",
    "nasa": "纳萨", "nato": "北约", "opec": "欧佩克", "unesco": "联合国教科文组织", "fifa": "国际足联",
    "gen": "珍", "galaxy": "盖乐世", "pixel": "皮克索", "office": "奥菲斯", "excel": "伊克赛尔", "word": "沃德",
    "pdf": "批迪艾弗", "mac": "麦克", "macbook": "麦克布克", "ipo": "艾批欧", "kpi": "开批艾",
    "no": "第", "harmonyos": "鸿蒙", "up": "优批",
    "vs": "对", "model": "莫德尔", "series": "系列", "vision": "维珍", "find": "范德", "vivo": "维沃",
    "xbox": "艾克斯博克斯", "type": "泰普", "esim": "伊西姆", "llama": "拉玛", "qwen": "通义千问",
    "alphago": "阿尔法狗", "and": "安德", "the": "德", "of": "奥夫", "new": "纽", "smart": "斯玛特",
    "home": "霍姆", "online": "在线",
    "v": "维", "boss": "波斯", "yyds": "永远的神", "pm": "批艾姆",
}
# Chinese words from pinyin or acronyms the listener reads as letters: not "unknown".
_ACRONYM = re.compile(r"^[A-Z]{1,6}s?$")
_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")
_LATIN_DIGITS = re.compile(r"(?<![A-Za-z\d])([A-Za-z]+(?:-[A-Za-z]+)*)([-－]?)(\s?)(\d+(?:\.\d+)*)(?![\d.])")
# 维生素C 100毫克: after a space, a number followed by a measure is an amount, not part of a model name
_MEASURE_AFTER = re.compile("[毫微千克升米吨瓦伏赫度元个万亿岁人名次件台只%]")
_DIGITS_LATIN = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=[A-Za-z])")
_ORDINAL_EN = re.compile(r"(?<![\dA-Za-z])(\d+)(st|nd|rd|th)(?![A-Za-z])")
_NUMBER_NO = re.compile(r"(?<![A-Za-z])No\.\s?(\d+)")
_UNIT_AFTER = re.compile(r"^\s?(?:km|kg|cm|mm|GB|MB|TB|mAh|kW|MW|GW|Hz|GHz|MHz|ms|nm|dB|m|g|t|L|W|V|h|s)(?![A-Za-z])")


def _latin_digits(m: re.Match) -> str:
    """C919 → C九一九, G20 → G二十, iPhone 16 → iPhone十六, Python 3.11 → Python三点一一."""
    word, number = m.group(1), m.group(4)
    if m.group(3) and not m.group(2) and _MEASURE_AFTER.match(m.string, m.end()):
        return word + " " + read_number(number)
    parts = number.split(".")
    if len(parts) > 2:  # a version: 3.10.2
        head = read_number(parts[0]) if len(parts[0]) <= 2 else read_digits(parts[0])
        return word + head + "".join("点" + read_digits(p) for p in parts[1:])
    if "." in number:
        return word + read_number(number)
    if len(number) >= 3 or number.startswith("0"):
        return word + read_digits(number)
    return word + read_number(number)


def digits_with_latin(s: str) -> str:
    """Digits glued to Latin letters: ordinals, model numbers, versions; runs before the
    cardinal fallback so that C919 is never 九百一十九."""
    s = _ORDINAL_EN.sub(lambda m: "第" + read_number(m.group(1)), s)
    # No.1 is a rank; No.20240001 a serial number, said digit by digit
    s = _NUMBER_NO.sub(lambda m: "第" + (read_number(m.group(1)) if len(m.group(1)) < 4
                                        else read_digits(m.group(1))), s)
    s = _LATIN_DIGITS.sub(_latin_digits, s)
    return _DIGITS_LATIN.sub(_digits_latin, s)


def _digits_latin(m: re.Match) -> str:
    """5G → 五G, 1080P → 一零八零P, 910B → 九一零B (four digits, or three before a lone capital,
    are a model, not an amount; units were read before this rule, 300ETF stays 三百)."""
    digits = m.group(1)
    model = len(digits) >= 4 or (len(digits) == 3 and re.match(r"[A-Z](?![A-Za-z])", m.string[m.end():]))
    return read_digits(digits) if model and "." not in digits else read_number(digits)


def spell_latin(word: str) -> str:
    """Spell a Latin word letter by letter with Chinese syllables (for voices without Latin)."""
    return "".join(LETTERS.get(ch.upper(), "") for ch in word)


def read_word(word: str) -> str:
    if word == "NO":  # NO₂ on an air-quality page is nitrogen dioxide, not No.
        return spell_latin(word)
    known = READINGS.get(word.lower())
    if known is not None:
        return known
    if "-" in word:
        return "".join(read_word(part) for part in word.split("-"))
    return spell_latin(word)


def read_latin(s: str) -> str:
    return _WORD.sub(lambda m: read_word(m.group(0)), s)


def unknown_latin_words(text: str) -> list[str]:
    """Latin words in ``text`` that the offline voice will spell letter by letter because no
    reading is known (acronyms, single letters, units after numbers and known words are
    fine). In order of appearance, each once."""
    found: list[str] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if len(word) == 1 or _ACRONYM.match(word) or word.lower() in READINGS:
            continue
        if all(part.lower() in READINGS or _ACRONYM.match(part) for part in word.split("-")):
            continue
        before = text[max(0, m.start() - 2):m.start()]
        if re.search(r"\d\s?$", before) and _UNIT_AFTER.match(text[m.start():]):
            continue
        if word not in found:
            found.append(word)
    return found
