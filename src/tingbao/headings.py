"""Plain text: which lines are the headline, byline, headings, subheads, list items and captions.

Headings are judged by context, not length alone: a standalone line is a heading when it is
short and unpunctuated, when it is numbered and its numbering is a sequence, or when it is
phrased like its siblings (5时，批发市场 / 7时，肉摊前的“老规矩”; 为何…？ / 如何…？).
"""

from __future__ import annotations

import re
import statistics

from . import layout as L
from .article import Kind, Line
from .zh import HAN, han_count, has_han

SPOKEN = (Kind.BODY, Kind.LIST_ITEM, Kind.HEADING, Kind.SUBHEAD, Kind.HEADLINE, Kind.SUBTITLE,
          Kind.BYLINE, Kind.ELLIPSIS, Kind.KICKER)
SILENT = (Kind.CAPTION, Kind.FURNITURE, Kind.COMMENT)
_NAME_LINE = re.compile(r"^[" + HAN + r"·]{2,4}([ \u3000]+[" + HAN + r"·]{1,4}){0,3}$")
_AUTHOR_LINE = L.AUTHOR_LINE
_NARRATIVE = re.compile(r"^(我|他|她|你|它|咱|我们|他们)")
_QA = re.compile(r"^(问|答|记者|主持人|嘉宾)[:：]")
_BRACKETED = re.compile(r"^[（(].*[）)]$|^\d{4}\s*年(\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?)?$")
_BRACKET_NOTE = re.compile(r"[（(][^）)]{1,12}[）)]$")
_LOOSE_MAX = 30


def title_like(text: str) -> bool:
    compact = text.replace(" ", "")
    limit = 80 if _BRACKET_NOTE.search(compact) else 48
    return (4 <= len(compact) <= limit and han_count(compact) >= 4 and not L.is_list_item(text)
            and not any(ch in "。；;" for ch in compact) and not L.is_byline(text)
            and not L.BARE_NUMBER.match(compact) and not L.CHAPTER.match(text))


def classify_top(units: list[Line]) -> int:
    """Find kicker, headline, subtitle and byline near the top; return where the body starts."""
    head = next((i for i, u in enumerate(units[:12]) if u.kind == Kind.BODY and title_like(u.text)), None)
    first = next((i for i, u in enumerate(units[:12]) if u.kind == Kind.BODY), None)
    if (first is not None and first + 1 < len(units) and 2 <= len(units[first].text) <= 20
            and L.is_heading_like(units[first].text) and _NAME_LINE.match(units[first + 1].text)
            and (units[first + 1].blank_before == 0 or _author_position(units, first + 1))):
        head = first  # 故乡 / 鲁迅: a short title with its author under it
    if head is None:
        return 0
    nxt = units[head + 1] if head + 1 < len(units) else None
    if (nxt is not None and nxt.kind == Kind.BODY and title_like(nxt.text) and nxt.blank_before == 0
            and (nxt.text.startswith(("与", "和", "及", "暨", "并", "之"))
                 or units[head].text.endswith(("的", "和", "与", "及")))):
        # a headline set on two lines (…执行情况 / 与…的报告)
        units[head].text += nxt.text
        units[head].joined += nxt.source_lines
        del units[head + 1]
        nxt = units[head + 1] if head + 1 < len(units) else None
    after = units[head + 2] if head + 2 < len(units) else None
    if (nxt is not None and nxt.kind == Kind.BODY and title_like(nxt.text) and after is not None
            and (L.is_list_item(after.text) or L.is_byline(after.text) or L.DATELINE.match(after.text))):
        units[head].kind = Kind.KICKER
        head += 1
    for u in units[:head]:
        if u.kind == Kind.BODY:
            u.kind = Kind.CAPTION if has_han(u.text) and len(u.text) <= 120 else Kind.FURNITURE
            u.reason = "photo caption" if u.kind == Kind.CAPTION else "page furniture above the headline"
    units[head].kind = Kind.HEADLINE
    i = head + 1
    if i < len(units) and L.is_list_item(units[i].text) and len(units[i].text) <= 60:
        units[i].kind, i = Kind.SUBTITLE, i + 1
    bylines = 0
    while i < len(units) and i <= head + 5:
        text = units[i].text
        if units[i].kind in SILENT:
            pass
        elif L.CHAPTER.match(text) or L.numbered_heading(text) or L.BARE_NUMBER.match(text):
            break
        elif L.is_byline(text) or L.DATELINE.fullmatch(text) or _AUTHOR_LINE.match(text) or (
                bylines == 0 and _NAME_LINE.match(text) and (
                    _author_position(units, i) or units[i].blank_before == 0 and i == head + 1)):
            units[i].kind, bylines = Kind.BYLINE, bylines + 1
        elif not (_BRACKETED.match(text) and len(text) <= 40):
            break
        i += 1
    return i


def _author_position(units: list[Line], i: int) -> bool:
    """A lone name right under the title is its author when body text (not a heading) follows."""
    nxt = next((u for u in units[i + 1:] if u.kind not in SILENT), None)
    return nxt is not None and (len(nxt.text) > 30 or L.ends_sentence(nxt.text) or bool(
        L.CHAPTER.match(nxt.text) or L.BARE_NUMBER.match(nxt.text)))


def join_chapter_titles(units: list[Line]) -> list[Line]:
    """第一回 / 宴桃园豪杰三结义　斩黄巾英雄首立功: a bare chapter number and its title are one heading."""
    out: list[Line] = []
    for u in units:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == Kind.BODY and u.kind == Kind.BODY and L.BARE_CHAPTER.match(prev.text)
                and not prev.joined and len(u.text) <= 36
                and not any(ch in L.SENTENCE_PUNCT for ch in u.text)):
            prev.text += " " + u.text
            prev.joined.append(u.number)
            prev.blank_after = u.blank_after
            continue
        out.append(u)
    return out


def split_runin_headings(units: list[Line]) -> list[Line]:
    """（一）做强县域产业，带动就近就业。今年要……: a numbered heading that runs into its paragraph.
    A longer first sentence is a heading too when its numbered siblings are run-in headings."""
    found = []
    for u in units:
        numbered = L.numbered_heading(u.text) if u.kind == Kind.BODY else None
        end = next((k for k, ch in enumerate(u.text) if ch in "。：:！？"), -1)
        whole = len(u.text) <= 30 and "。" not in u.text
        if numbered and end > 0 and end + 1 < len(u.text) and not whole:
            found.append((u, numbered, end, _runin_head(u.text[numbered[1].end():end], numbered)))
    sure_ranks = [n[0] for _, n, _, ok in found if ok]
    accept = {id(u) for u, n, end, ok in found if ok or (
        sure_ranks.count(n[0]) >= 2 and end - n[1].end() <= 40 and not u.text.startswith("“"))}
    out = []
    for u in units:
        numbered = L.numbered_heading(u.text) if id(u) in accept else None
        end = next((k for k, ch in enumerate(u.text) if ch in "。：:！？"), -1)
        if numbered:
            out.append(Line(u.number, u.text[:end + 1], Kind.HEADING, level=numbered[0], blank_before=u.blank_before))
            u = Line(u.number, u.text[end + 1:], Kind.BODY, blank_after=u.blank_after)
        out.append(u)
    return out


def _runin_head(head: str, numbered: tuple) -> bool:
    if L.is_heading_like(head):
        return True
    # 做强县域产业，带动就近就业: two short parallel clauses, no figures or quoted speech
    return (numbered[0] in (1, 2, 3) and 4 <= len(head) <= 24 and head.count("，") <= 2 and not L.TIME_START.match(head)
            and not head.startswith("“")
            and all(len(part) >= 2 for part in head.split("，")))


def loose_headings(units: list[Line], start: int) -> set[int]:
    """Standalone lines with a comma or question mark that are headings because their siblings
    are phrased the same way, or because they are numbered."""
    candidates = []
    for i in range(start, len(units)):
        u = units[i]
        if u.kind != Kind.BODY or not _standalone(units, i) or _QA.match(u.text) or _BRACKETED.match(u.text):
            continue
        compact = u.text.replace(" ", "")
        numbered = L.numbered_heading(u.text)
        if numbered and len(compact) <= 60 and "。" not in compact and not L.ends_sentence(u.text.rstrip("？?")):
            candidates.append((i, True))
        elif (numbered and len(compact) <= 30 and "。" not in compact[:-1] and compact.count("，") <= 2
              and compact[-1] not in "；;" and not _in_list(units, i)
              and _body_follows(units, i) and _numbered_siblings(units, start, i, numbered[0])):
            candidates.append((i, True))
        elif (len(compact) <= _LOOSE_MAX and "。" not in compact and compact.count("，") <= 2
              and not (compact[:1] in "“「\"" and compact.rstrip("？?")[-1:] in "”」\"")
              and not _NARRATIVE.match(compact) and (not L.ends_sentence(u.text) or compact.endswith(("？", "?")))
              and not compact.endswith(("…", "……"))):
            candidates.append((i, False))
    accepted = {i for i, numbered in candidates if numbered}
    loose = [i for i, numbered in candidates if not numbered]
    sectioned = bool(accepted) or any(
        u.kind == Kind.BODY and L.is_heading_like(u.text) and _standalone(units, k) and _body_follows(units, k)
        for k, u in enumerate(units[start:], start))
    for i in loose:
        siblings = [j for j in loose if j != i and L.parallel(units[i].text, units[j].text)]
        short = len(units[i].text.replace(" ", "")) <= 20 and units[i].blank_before >= 1
        if (siblings or short and (sectioned or len(loose) >= 2)) and _body_follows(units, i):
            accepted.add(i)
    return accepted


def _in_list(units: list[Line], i: int) -> bool:
    """An enumeration inside an article (…下列作品：/（一）…；/（二）…。) is not a run of headings."""
    prev = next((u for u in reversed(units[:i]) if u.kind not in SILENT), None)
    return prev is not None and prev.text.rstrip()[-1:] in "：:；;"


def _numbered_siblings(units: list[Line], start: int, i: int, rank: int) -> bool:
    """1.汽车以旧换新，最高补贴2万元。 is a heading when other standalone lines are numbered alike."""
    same = [k for k in range(start, len(units)) if k != i and units[k].kind == Kind.BODY
            and (n := L.numbered_heading(units[k].text)) and n[0] == rank and len(units[k].text) <= 40
            and _standalone(units, k) and _body_follows(units, k)]
    return len(same) >= 1


def _standalone(units: list[Line], i: int) -> bool:
    prev = next((u for u in reversed(units[:i]) if u.kind not in SILENT), None)
    return (prev is None or prev.kind != Kind.BODY or L.ends_sentence(prev.text) or L.is_heading_like(prev.text)
            or bool(L.numbered_heading(prev.text)) and len(prev.text) <= 60 and "。" not in prev.text)


def _body_follows(units: list[Line], i: int) -> bool:
    nxt = next((u for u in units[i + 1:] if u.kind not in SILENT), None)
    return nxt is not None and nxt.kind in (Kind.BODY, Kind.LIST_ITEM) and len(nxt.text) > len(units[i].text)


def classify_body(units: list[Line], start: int) -> None:
    usual_gap = statistics.median([u.blank_before for u in units[1:]] or [1])
    loose = loose_headings(units, start)
    numbered_article = sum(1 for u in units[start:] if u.kind == Kind.BODY and L.numbered_heading(u.text)
                           and len(u.text) <= 40 and "。" not in u.text) >= 2
    prev: Line | None = units[start - 1] if start > 0 else None
    # blank counts never change in this loop: whether few lines are set apart is one answer for all
    few_set_apart = sum(v.blank_before > usual_gap and v.blank_after > usual_gap for v in units[start:]) <= 2
    for i in range(start, len(units)):
        u = units[i]
        if u.kind != Kind.BODY:
            if u.kind in SPOKEN:
                prev = u
            continue
        has_next = any(v.kind not in SILENT and (len(v.text) > 20 or L.ends_sentence(v.text)) for v in units[i + 1:])
        after_complete = (prev is None or prev.kind not in (Kind.BODY, Kind.LIST_ITEM)
                          or L.ends_sentence(prev.text) or units[i - 1].kind in SILENT and u.blank_before > 0)
        bare = L.BARE_NUMBER.match(u.text) or L.CHAPTER.match(u.text)
        isolated = u.blank_before > usual_gap and u.blank_after > usual_gap and prev is not None and few_set_apart
        if L.is_list_item(u.text):
            u.kind = Kind.LIST_ITEM
        elif (isolated and not L.numbered_heading(u.text) and not bare and len(u.text) <= 40
              and L.single_sentence(u.text) and L.caption_score(u.text) >= 1):
            u.kind, u.reason = Kind.CAPTION, "photo caption (set apart by blank lines)"
            continue
        elif has_next and bare and (after_complete or L.CHAPTER.match(u.text)):
            u.kind, u.level = Kind.HEADING, 0 if L.CHAPTER.match(u.text) and not L.SECTION_NUMBER.match(u.text) else 1
        elif (numbered_article and not L.numbered_heading(u.text) and prev is not None and prev.kind == Kind.BODY
              and len(u.text) >= 8 and L.is_heading_like(u.text) and not L.DASH_SUFFIX.search(u.text)
              and " " not in u.text and L.caption_score(u.text) >= 1 and u.blank_before >= 1):
            # among numbered headings (01 / 02 / 03), an unnumbered phrase inside a section is a picture's caption
            u.kind, u.reason = Kind.CAPTION, "photo caption (unnumbered line among numbered sections)"
            continue
        elif has_next and (i in loose or (after_complete or L.DASH_SUFFIX.search(u.text)) and L.is_heading_like(u.text)
                           and not _BRACKETED.match(u.text) and not _QA.match(u.text)):
            _heading_or_subhead(u, prev, usual_gap)
        elif _looks_like_caption(units, i, prev, usual_gap):
            u.kind, u.reason = Kind.CAPTION, "photo caption"
            continue
        if u.kind in SPOKEN:
            prev = u


def _heading_or_subhead(u: Line, prev: Line | None, usual_gap: float) -> None:
    numbered = L.numbered_heading(u.text)
    close_under = L.is_two_phrase(u.text) or prev is not None and prev.blank_after <= usual_gap
    quoted = u.text[:1] in "“「" and u.text.rstrip()[-1:] in "”」" and len(u.text) <= 20
    after_heading = prev is not None and prev.kind == Kind.HEADING
    if after_heading and not numbered and not L.DASH_SUFFIX.search(u.text) and (
            (prev.level != L.DASH_HEADING_RANK and close_under) or (prev.level == L.DASH_HEADING_RANK and quoted)):
        # prev is the heading itself, so it has no subhead yet: one subhead per heading
        u.kind = Kind.SUBHEAD
        return
    u.kind = Kind.HEADING
    u.level = numbered[0] if numbered else (
        L.DASH_HEADING_RANK if L.DASH_SUFFIX.search(u.text) else L.PLAIN_HEADING_RANK)


def _looks_like_caption(units: list[Line], i: int, prev: Line | None, usual_gap: float) -> bool:
    u = units[i]
    score = L.caption_score(u.text)
    if score < 0 or u.text[-1:] in "，、,":
        return False
    if u.blank_before > usual_gap or u.blank_after > usual_gap:
        score += 1
    later = next((v for v in units[i + 1:] if v.kind not in SILENT), None)
    if (prev is not None and prev.kind in (Kind.BODY, Kind.LIST_ITEM) and not L.ends_sentence(prev.text)
            and later is not None and later.kind == Kind.BODY):
        score += 2  # it interrupts an unfinished sentence: a caption dropped in by the layout
    if i == len(units) - 1:
        score += 1
    return score >= 4


def assign_levels(units: list[Line]) -> None:
    """Turn heading ranks (numbering styles) into outline levels 1 and 2."""
    ranks = sorted({u.level for u in units if u.kind == Kind.HEADING})
    for u in units:
        if u.kind == Kind.HEADING:
            u.level = min(ranks.index(u.level) + 1, 2)
