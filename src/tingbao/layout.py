"""Per-line predicates about Chinese newspaper layout, used by structure.py.

Each rule is a general fact about how Chinese papers set a page (bylines start with
□ or 记者, subtitles with ——, captions end in 摄 …), never a fact about one article.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .zh import CLOSERS as _ZH_CLOSERS
from .zh import COLONS, ENDERS, HAN, SENTENCE_PUNCT, TERMINAL, han_count, has_han

CLOSERS = _ZH_CLOSERS + "\"'"  # a line may also close on an ASCII quote

ELLIPSIS = re.compile(r"^[…\.。·⋯]{2,}$|^(……)+$")
DASH_PREFIX = re.compile(r"^(——|——|－－|--|—|―)\s*")
DASH_SUFFIX = re.compile(r"(——|－－|--)$")
LAYOUT_SYMBOLS = "□■●◆◇★☆▲△▼▽○◎※▌▍█"

BYLINE = re.compile(
    r"^[□■◇◆●★]?\s*(本报记者|本报通讯员|本报特约记者|特约记者|新华社记者|中新社记者|记者|通讯员|实习生|"
    r"撰文|撰稿|文\s*[/／|｜:：]|图\s*[/／|｜]|作者[:：]|文图[/／:：]|图文[/／:：]|□)"
)
DATELINE = re.compile(
    r"^(本报讯\s*(?:(?:本报)?(?:记者|通讯员|实习生)\s*[" + HAN + r"]{2,4}\s*)+报道|"
    r"(本报讯|本报[" + HAN + r"\d]{0,14}电|"
    r"(新华社|中新社|中新网|央视网|人民网)[" + HAN + r"\d]{0,16}电|"
    r"[" + HAN + r"]{0,6}(日报|晚报|消息|讯))\s*[（(][^）)]{1,60}[）)]|"
    r"[（(](新华社|中新社|本报)[" + HAN + r"\d]{0,16}电[）)]|(新华社|中新社)[" + HAN + r"\d]{0,16}电\s)\s*"
)
AUTHOR_LINE = re.compile(
    r"^[" + HAN + r"]{2,12}(调研组|课题组|评论员|编辑部|报道组|采访组|写作组)$|"
    r"^[" + HAN + r"]{0,16}(市长|县长|区长|省长|主任|书记|局长|部长|总理|主席|院长|校长|董事长|教授|研究员)"
    r"\s*[" + HAN + r"]{2,3}$|"
    r"^(文|作者|撰文)\s*[/／|｜:：]\s*[" + HAN + r"·]{2,5}$|"
    r"^[" + HAN + r"]{2,16}(人民政府|办公室|办公厅|局|委员会|厅|研究院|研究所|协会|学会)$"
)
CAPTION_MARK = re.compile(
    r"^(图为|图[①-⑳\d一二三四五六七八九十]{0,3}[：:]|上图|下图|左图|右图|▲|△|图片说明)|[（(][^）)]{0,20}(摄|供图|图)[）)]$|"
    r"(\s|　|，)[" + HAN + r"]{0,6}\s?摄$|供图$|^(本报记者|记者|通讯员)\s*[" + HAN + r"]{2,4}\s*摄|"
    r"[" + HAN + r"]{2,4}[（(](左|右|中|左一|右一|左二|右二|前排|后排|居中)[^）)]{0,4}[）)]"
)
ACTIVITY = re.compile(
    r"活动|现场|会议|大会|仪式|参观|开展|组织|举行|召开|合影|展示|比赛|演出|调研|检查|慰问|志愿|培训|"
    r"座谈|推进会|观摩|学习|宣讲|健康跑|比武|参加|参与|走访|授课|交流"
)
REPORTING = re.compile(r"表示|介绍|认为|指出|强调|告诉|说[，：:]|坦言|透露|直言")
TIME_START = re.compile(r"^(去年|今年|近日|日前|当天|昨天|今天|前不久|\d{1,4}年|\d{1,2}月|[一二三四五六七八九十]+月)")

# Numbered headings: (pattern, rank). Lower rank = higher level in an outline.
NUMBERED = [
    (re.compile(r"^(第[一二三四五六七八九十百零〇两\d]+(部分|章|篇|编|卷|回))\s*"), 0),
    (re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*"), 1),
    (re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*"), 2),
    (re.compile(r"^(\d{1,2})[、.．]\s*(?!\d)|^(0[1-9])[\s、.．]\s*"), 3),
    (re.compile(r"^[（(](\d{1,2})[）)]\s*"), 4),
]
DASH_HEADING_RANK = 5  # "在…上…——" sub-headings
PLAIN_HEADING_RANK = 0


def ends_sentence(text: str) -> bool:
    """True when the text ends a sentence (terminal punctuation, maybe inside closers)."""
    stripped = text.rstrip(CLOSERS + " ")
    if not stripped:
        return False
    if text[:1] in "（(" and text.rstrip()[-1:] in "）)":
        return True  # a bracketed note stands alone
    return stripped[-1] in TERMINAL + COLONS or stripped.endswith("——")


def numbered_heading(text: str) -> tuple[int, re.Match] | None:
    for pattern, rank in NUMBERED:
        m = pattern.match(text)
        if m and len(text) > m.end():
            return rank, m
    return None


BARE_NUMBER = re.compile(r"^([一二三四五六七八九十百零〇]{1,4}|\d{1,3}|[IVXⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]{1,5})$")
CHAPTER = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+(部分|章|篇|编|卷|回|节)(\s.*)?$")
BARE_CHAPTER = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+(部分|章|篇|编|卷|回|节)$")
SECTION_NUMBER = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+节")


@lru_cache(maxsize=8192)  # parallel() compares every candidate with its siblings: the same lines again and again
def shape(text: str) -> tuple:
    """A coarse picture of a heading, equal for parallel siblings (5时，批发市场 / 7时，肉摊前…;
    在推动攻坚克难上激活力—— / 在赋能经济发展上出实招——)."""
    first = "digit" if text[:1].isdigit() else "quote" if text[:1] in "“「\"" else text[:1]
    first_punct = next((ch for ch in text if ch in "，,？?：:！!、"), "")
    clause = re.split(r"[，,？?：:！!]", text)[0]
    return first, first_punct, len(clause) <= 6, bool(DASH_SUFFIX.search(text))


def parallel(a: str, b: str) -> bool:
    """Two headings phrased alike: same shape, and a framing character shared at the same place."""
    shape_a = shape(a)
    if shape_a != shape(b):
        return False
    if shape_a[0] in ("digit", "quote") or shape_a[1]:
        return True
    core_a, core_b = DASH_SUFFIX.sub("", a), DASH_SUFFIX.sub("", b)
    return abs(len(core_a) - len(core_b)) <= 3 and any(
        core_a[-k] == core_b[-k] and has_han(core_a[-k]) for k in range(1, min(len(core_a), len(core_b), 6)))


def is_heading_like(text: str, max_len: int = 28) -> bool:
    """A short standalone line without sentence punctuation (e.g. 举旗帜, 政治引领 理论武装强信念)."""
    body = text
    numbered = numbered_heading(text)
    if numbered:
        body = text[numbered[1].end():]
    body = DASH_SUFFIX.sub("", body).strip()
    compact = body.replace(" ", "").replace("\u3000", "")
    if not (2 <= len(compact) <= max_len) or han_count(compact) < 2:
        return False
    if any(ch in SENTENCE_PUNCT for ch in compact):
        return False
    return compact.rstrip(CLOSERS)[-1:] not in TERMINAL


def is_two_phrase(text: str) -> bool:
    """政治引领 理论武装强信念: two phrases separated by a space — the classic subhead."""
    parts = re.split(r"[ \u3000]+", text.strip())
    return len(parts) == 2 and all(2 <= len(p) <= 14 for p in parts)


def is_byline(text: str) -> bool:
    return len(text) <= 60 and bool(BYLINE.match(text)) and not ends_sentence(text.rstrip("）)"))


def is_list_item(text: str) -> bool:
    return bool(DASH_PREFIX.match(text)) and len(DASH_PREFIX.sub("", text)) > 0


def strip_dash(text: str) -> str:
    return DASH_PREFIX.sub("", text).strip()


_TRAILING_CREDIT = re.compile(r"[\s　]*([" + HAN + r"]{0,6}(记者|通讯员)\s*)?[" + HAN + r"]{2,4}\s*(摄|供图)$")


def single_sentence(text: str) -> bool:
    inner = _TRAILING_CREDIT.sub("", text).rstrip(CLOSERS + TERMINAL)
    return not any(ch in ENDERS for ch in inner)


def caption_score(text: str) -> int:
    """How much a standalone line reads like a photo caption (position is scored by the caller)."""
    if CAPTION_MARK.search(text):
        return 3
    if len(text) > 90 or not single_sentence(text):
        return -5
    score = 1
    if ACTIVITY.search(text):
        score += 1
    if TIME_START.match(text):
        score -= 1
    if text.startswith(("“", "「", "\"")) or "：“" in text or ":“" in text or REPORTING.search(text):
        score -= 2
    return score


LATIN_WORD = re.compile(r"(?<=[" + HAN + r"\s])([a-z]{2,})(?=[" + HAN + r"\s])")
