"""Properties of the speech text for any input: fuzzed with mixed digits, Latin, symbols
and Chinese, since real pages bring combinations no table foresees."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tingbao.speech.normalize import normalize
from tingbao.zh import HAN

_PIECES = [
    "年", "月", "日", "号", "时", "分", "秒", "元", "万", "亿", "个", "人", "第", "约", "至", "到", "比", "以", "后",
    "气温", "尾号", "电话", "拨打", "公元前", "房间", "室", "用时", "获胜", "队", "热线", "邮编", "波音", "长征",
    "%", "％", "‰", "℃", "°C", "°", "$", "¥", "￥", "€", "£", "HK$", "USD", "CNY", "km", "kg", "m²", "cm²", "mAh",
    "GB", "ms", "km/h", "BC", "AD", "-", "－", "—", "——", "~", "～", ":", "：", ".", "/", "·", ",", "，", "。", "…",
    "……", "+", "=", "≥", "≤", "<", ">", "^", "±", "×", "÷", "“", "”", "《", "》", "①", "½", "１", "２", "０", "§",
    " ", "st", "rd", "No.", "iPhone", "Wi-Fi", "G", "C", "PM", "CO", "and", "@", "www.", ".com", "x", "T", "²",
    "′", "″", '"', "'", "⁶", "⁻", "₁", "⑴", "⒈", "NO", "million", "billion", "国道", "事件", "版", "A0", "截至", "起",
    "每秒", "日落", "比分", "女排", "拨打了", "急救", "后四位", "0755-", "(", "（", "约", "距今", "℉", "μg", "mmol",
]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.from_regex(r"[0-9]{1,13}", fullmatch=True),
              st.from_regex(r"[0-9]{1,4}\.[0-9]{1,3}", fullmatch=True), st.text(max_size=3)),
    max_size=12).map("".join)
_CJK = re.compile(f"[{HAN}]")


def _is_subsequence(needle: list[str], haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


@settings(deadline=None)
@given(_TEXT)
def test_no_ascii_digit_reaches_the_voice(text):
    assert not re.search(r"[0-9]", normalize(text))


@settings(deadline=None)
@given(_TEXT)
def test_every_chinese_character_is_kept_in_order(text):
    assert _is_subsequence(_CJK.findall(text), normalize(text))


@settings(deadline=None)
@given(_TEXT, st.booleans())
def test_idempotent(text, speaks_latin):
    once = normalize(text, speaks_latin=speaks_latin)
    assert normalize(once, speaks_latin=speaks_latin) == once


@settings(deadline=None)
@given(st.text(max_size=40))
def test_never_raises_and_never_leaves_digits_on_any_text(text):
    out = normalize(text)
    assert not re.search(r"[0-9]", out)
    assert normalize(text, speaks_latin=True) is not None
