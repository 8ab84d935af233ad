"""Text -> Article: headline, subtitle, byline, sections, captions, repairs, warnings.

Plain text gets layout heuristics (see layout.py); Markdown states its structure.
"""

from __future__ import annotations

import re
import statistics

from . import layout as L
from .article import Article, Kind, Line, Paragraph, Section, Skipped, Warning
from .reading import Source

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_MD_EMPHASIS = re.compile(r"^(\*{1,2}|_{1,2})(.+?)\1$")
_FRONT_KEYS = ("title", "subtitle", "kicker", "byline", "date")


def parse(source: Source) -> Article:
    meta: dict[str, str] = {}
    if source.format == "md":
        units, meta, skipped = _markdown_units(source.text)
        _classify_markdown(units, meta)
    else:
        units, skipped = _units(source.text.split("\n"), 0), []
        _classify_plain(units)
    warnings: list[Warning] = []
    units = _split_datelines(units)
    _repair(units, warnings)
    article = _assemble(units, meta, source)
    article.skipped = skipped + [
        Skipped(u.kind, u.text, u.number, _SKIP_REASON[u.kind]) for u in units if u.kind in _SKIP_REASON
    ]
    article.skipped.sort(key=lambda s: s.line)
    article.warnings = warnings + _layout_warnings(units)
    article.warnings.sort(key=lambda w: w.lines[0] if w.lines else 0)
    return article


_SKIP_REASON = {
    Kind.CAPTION: "photo caption",
    Kind.FURNITURE: "page furniture",
    Kind.COMMENT: "comment",
}


def _units(lines: list[str], first_number: int) -> list[Line]:
    units: list[Line] = []
    blanks = 0
    for offset, text in enumerate(lines):
        if not text.strip():
            blanks += 1
            if units:
                units[-1].blank_after += 1
            continue
        units.append(Line(number=first_number + offset + 1, text=text.strip(), blank_before=blanks))
        blanks = 0
    return units


# ---------------------------------------------------------------- Markdown
def _markdown_units(text: str) -> tuple[list[Line], dict[str, str], list[Skipped]]:
    lines = text.split("\n")
    meta: dict[str, str] = {}
    start = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                for entry in lines[1:i]:
                    key, sep, value = entry.partition(":")
                    if sep and key.strip().lower() in _FRONT_KEYS:
                        value = value.strip()
                        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                            value = value[1:-1]  # a quoted YAML scalar
                        meta[key.strip().lower()] = value
                start = i + 1
                break
    skipped: list[Skipped] = []
    cleaned = [""] * start
    in_comment = False
    for number, line in enumerate(lines[start:], start + 1):
        stripped = line.strip()
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            cleaned.append("")
            continue
        if stripped.startswith(">"):
            skipped.append(Skipped(Kind.COMMENT, stripped, number, "Markdown quote"))
            cleaned.append("")
            continue
        cleaned.append(line)
    return _units(cleaned, 0), meta, skipped


def _classify_markdown(units: list[Line], meta: dict[str, str]) -> None:
    title_seen = "title" in meta
    for u in units:
        m = _MD_HEADING.match(u.text)
        if m:
            u.markdown_heading, u.text = len(m.group(1)), m.group(2).strip()
            if u.markdown_heading == 1 and not title_seen:
                u.kind, title_seen = Kind.HEADLINE, True
                continue
            u.kind = Kind.HEADING
    depths = sorted({u.markdown_heading for u in units if u.kind == Kind.HEADING})
    previous: Line | None = None
    for u in units:
        if u.kind == Kind.HEADING:
            u.level = min(depths.index(u.markdown_heading) + 1, 2)
        elif u.kind == Kind.BODY:
            emphasis = _MD_EMPHASIS.match(u.text)
            if emphasis and previous is not None and previous.kind == Kind.HEADING:
                u.kind, u.text = Kind.SUBHEAD, emphasis.group(2).strip()
            elif L.ELLIPSIS.match(u.text):
                u.kind = Kind.ELLIPSIS
            elif L.is_list_item(u.text):
                u.kind = Kind.LIST_ITEM
            elif L.CAPTION_MARK.search(u.text) and L.single_sentence(u.text):
                u.kind = Kind.CAPTION
        previous = u


# ---------------------------------------------------------------- plain text
def _title_like(text: str) -> bool:
    compact = text.replace(" ", "")
    return (4 <= len(compact) <= 48 and L.cjk_count(compact) >= 4 and not L.is_list_item(text)
            and not any(ch in "。；;" for ch in compact) and not L.is_byline(text))


def _classify_plain(units: list[Line]) -> None:
    for u in units:
        if L.ELLIPSIS.match(u.text):
            u.kind = Kind.ELLIPSIS
        elif L.FURNITURE.search(u.text):
            u.kind = Kind.FURNITURE
        elif L.CAPTION_MARK.search(u.text) and len(u.text) <= 120 and L.single_sentence(u.text):
            u.kind = Kind.CAPTION
    body_start = _classify_top(units)
    units[body_start:] = _split_runin_headings(units[body_start:])
    _classify_body(units, body_start)
    _assign_levels(units)


def _classify_top(units: list[Line]) -> int:
    """Find kicker, headline, subtitle and byline near the top; return where the body starts."""
    head = next((i for i, u in enumerate(units[:10]) if u.kind == Kind.BODY and _title_like(u.text)), None)
    if head is None:
        return 0
    nxt = units[head + 1] if head + 1 < len(units) else None
    after = units[head + 2] if head + 2 < len(units) else None
    if (nxt is not None and nxt.kind == Kind.BODY and _title_like(nxt.text) and after is not None
            and (L.is_list_item(after.text) or L.is_byline(after.text))):
        units[head].kind = Kind.KICKER
        head += 1
    for u in units[:head]:
        if u.kind == Kind.BODY:
            u.kind = Kind.CAPTION if L.has_chinese(u.text) and len(u.text) <= 120 else Kind.FURNITURE
    units[head].kind = Kind.HEADLINE
    i = head + 1
    if i < len(units) and L.is_list_item(units[i].text) and len(units[i].text) <= 60:
        units[i].kind, i = Kind.SUBTITLE, i + 1
    while i < len(units) and i <= head + 4:
        if L.is_byline(units[i].text):
            units[i].kind = Kind.BYLINE
        elif units[i].kind not in (Kind.CAPTION, Kind.FURNITURE):
            break
        i += 1
    return i


def _classify_body(units: list[Line], start: int) -> None:
    usual_gap = statistics.median([u.blank_before for u in units[1:]] or [1])
    spoken = (Kind.BODY, Kind.LIST_ITEM, Kind.HEADING, Kind.SUBHEAD, Kind.HEADLINE, Kind.SUBTITLE,
              Kind.BYLINE, Kind.ELLIPSIS, Kind.KICKER)
    prev: Line | None = units[start - 1] if start > 0 else None
    for i in range(start, len(units)):
        u = units[i]
        if u.kind != Kind.BODY:
            if u.kind in spoken:
                prev = u
            continue
        has_next = any(v.kind not in (Kind.CAPTION, Kind.FURNITURE) for v in units[i + 1:])
        after_complete = (prev is None or prev.kind not in (Kind.BODY, Kind.LIST_ITEM)
                          or L.ends_sentence(prev.text))
        if L.is_list_item(u.text):
            u.kind = Kind.LIST_ITEM
        elif has_next and (after_complete or L.DASH_SUFFIX.search(u.text)) and L.is_heading_like(u.text):
            numbered = L.numbered_heading(u.text)
            close_under = L.is_two_phrase(u.text) or prev is not None and prev.blank_after <= usual_gap
            if (prev is not None and prev.kind == Kind.HEADING and not numbered and prev.level != L.DASH_HEADING_RANK
                    and not L.DASH_SUFFIX.search(u.text) and close_under):
                # prev is the heading itself, so it has no subhead yet: one subhead per heading
                u.kind = Kind.SUBHEAD
            else:
                u.kind = Kind.HEADING
                u.level = numbered[0] if numbered else (
                    L.DASH_HEADING_RANK if L.DASH_SUFFIX.search(u.text) else L.PLAIN_HEADING_RANK)
        elif _looks_like_caption(units, i, prev, usual_gap):
            u.kind = Kind.CAPTION
            continue
        if u.kind in spoken:
            prev = u


def _split_runin_headings(units: list[Line]) -> list[Line]:
    """（一）指导思想。正文…: a numbered heading that runs into its paragraph."""
    out = []
    for u in units:
        numbered = L.numbered_heading(u.text) if u.kind == Kind.BODY else None
        end = next((k for k, ch in enumerate(u.text) if ch in "。：:！？"), -1)
        if numbered and end > 0 and end + 1 < len(u.text) and L.is_heading_like(u.text[:end]):
            out.append(Line(u.number, u.text[:end + 1], Kind.HEADING, level=numbered[0], blank_before=u.blank_before))
            u = Line(u.number, u.text[end + 1:], Kind.BODY, blank_after=u.blank_after)
        out.append(u)
    return out


def _looks_like_caption(units: list[Line], i: int, prev: Line | None, usual_gap: float) -> bool:
    u = units[i]
    score = L.caption_score(u.text)
    if score < 0:
        return False
    if u.blank_before > usual_gap or u.blank_after > usual_gap:
        score += 1
    if prev is not None and prev.kind in (Kind.BODY, Kind.LIST_ITEM) and not L.ends_sentence(prev.text):
        score += 2  # it interrupts an unfinished sentence: a caption dropped in by the layout
    if i == len(units) - 1:
        score += 1
    return score >= 4


def _assign_levels(units: list[Line]) -> None:
    """Turn heading ranks (numbering styles) into outline levels 1 and 2."""
    ranks = sorted({u.level for u in units if u.kind == Kind.HEADING})
    for u in units:
        if u.kind == Kind.HEADING:
            u.level = min(ranks.index(u.level) + 1, 2)


def _split_datelines(units: list[Line]) -> list[Line]:
    """本报讯（记者 张三）正文…: the dateline is a byline, the rest stays body."""
    out: list[Line] = []
    seen_body = False
    for u in units:
        m = L.DATELINE.match(u.text) if u.kind == Kind.BODY and not seen_body else None
        if m and len(u.text) > m.end():
            out.append(Line(u.number, m.group(1), Kind.BYLINE, blank_before=u.blank_before))
            u = Line(u.number, u.text[m.end():], Kind.BODY, blank_after=u.blank_after)
        if u.kind == Kind.BODY:
            seen_body = True
        out.append(u)
    return out


# ---------------------------------------------------------------- repair and warnings
def _repair(units: list[Line], warnings: list[Warning]) -> None:
    """Join a paragraph cut mid-sentence by a column or page break (…工委强 / 化党组…)."""
    i = 0
    while i < len(units):
        u = units[i]
        if u.kind in (Kind.BODY, Kind.LIST_ITEM) and not L.ends_sentence(u.text):
            j = i + 1
            while j < len(units) and units[j].kind in (Kind.CAPTION, Kind.FURNITURE, Kind.COMMENT):
                j += 1
            if j < len(units) and units[j].kind == Kind.BODY:
                nxt = units.pop(j)
                u.text += nxt.text
                u.joined += nxt.source_lines
                u.blank_after = nxt.blank_after
                continue
            warnings.append(Warning("dangling-fragment", f"line {u.number} stops mid-sentence and nothing "
                                    "after it continues it (column or page break?)", [u.number]))
        i += 1
    for w in [w for w in warnings if w.code == "dangling-fragment"]:
        _find_misplaced_run(units, w.lines[0], warnings)


def _find_misplaced_run(units: list[Line], fragment_line: int, warnings: list[Warning]) -> None:
    """Column-order check: the continuation of a dangling fragment often sits at the end of
    the previous section (the page was read column by column). Look back from the heading
    of the fragment's section for a paragraph that starts with a bare verb."""
    from .speech import quiet_jieba

    quiet_jieba()
    import jieba.posseg

    idx = next(k for k, u in enumerate(units) if u.number == fragment_line)
    heading = next((k for k in range(idx, -1, -1) if units[k].kind == Kind.HEADING and units[k].level == 1), None)
    if heading is not None:
        for k in range(heading - 1, max(heading - 9, -1), -1):
            u, before = units[k], units[k - 1] if k else None
            if u.kind == Kind.HEADING:
                break
            if u.kind != Kind.BODY or before is None or not L.ends_sentence(before.text):
                continue
            first = next(iter(jieba.posseg.cut(u.text[:8])), None)
            if first is not None and first.flag in ("v", "vn"):
                end = units[heading - 1].number
                warnings.append(Warning(
                    "starts-mid-sentence",
                    f"line {u.number} starts mid-sentence; lines {u.number}–{end} may be the rest of line "
                    f"{fragment_line} (columns read out of order): move them in the script", [u.number, end]))
                break
    tail = [u for u in units[idx + 1:] if u.kind not in (Kind.CAPTION, Kind.FURNITURE)]
    run = []
    for u in tail:
        if u.kind == Kind.HEADING and u.level == 1:
            break
        run.append(u)
    if run and run[0].kind == Kind.HEADING:
        warnings.append(Warning(
            "out-of-order-run",
            f"lines {run[0].number}–{run[-1].number} follow a sentence cut off at line {fragment_line}; "
            "they may belong to another section (columns read out of order)", [run[0].number, run[-1].number]))


def _layout_warnings(units: list[Line]) -> list[Warning]:
    out = []
    for u in units:
        if u.kind in (Kind.BODY, Kind.LIST_ITEM, Kind.HEADING, Kind.SUBHEAD):
            for m in L.LATIN_WORD.finditer(u.text):
                out.append(Warning("latin-word", f"line {u.number}: stray Latin word “{m.group(1)}” inside "
                                   "Chinese text (a Chinese voice will spell it)", [u.number]))
            if u.kind == Kind.BODY and u.text[0] in "，、；：,;:":
                out.append(Warning("starts-mid-sentence", f"line {u.number} starts with punctuation "
                                   "(a fragment?)", [u.number]))
    return out


# ---------------------------------------------------------------- assembly
_LEAD_KEYS = {Kind.HEADLINE: "title", Kind.SUBTITLE: "subtitle", Kind.KICKER: "kicker", Kind.BYLINE: "byline"}


def _assemble(units: list[Line], meta: dict[str, str], source: Source) -> Article:
    lead = Section(index=0, heading="", level=0, line=units[0].number if units else 1)
    sections = [lead]
    found = {k: "" for k in _FRONT_KEYS}
    for key in ("kicker", "title", "subtitle", "byline"):
        if meta.get(key):
            kind = Kind.HEADLINE if key == "title" else Kind(key)
            found[key] = meta[key]
            lead.paragraphs.append(Paragraph(kind, meta[key], [0]))
    for u in units:
        lines = u.source_lines
        if u.kind in _SKIP_REASON:
            continue
        text = L.strip_dash(u.text) if u.kind == Kind.SUBTITLE else u.text
        if u.kind == Kind.HEADING:
            sections.append(Section(index=len(sections), heading=L.DASH_SUFFIX.sub("", u.text).strip(),
                                    level=u.level, line=u.number))
        elif u.kind == Kind.SUBHEAD:
            sections[-1].subheads.append(text)
        key = _LEAD_KEYS.get(u.kind)
        if key:
            found[key] = f"{found[key]} {text}".strip() if key == "byline" else found[key] or text
        sections[-1].paragraphs.append(Paragraph(u.kind, text, lines))
    if not sections[0].paragraphs and len(sections) > 1:
        sections.pop(0)
    for i, s in enumerate(sections):
        s.index = i
    return Article(title=found["title"] or meta.get("title", ""), subtitle=found["subtitle"], kicker=found["kicker"],
                   byline=found["byline"], date=meta.get("date", ""), sections=sections, skipped=[], warnings=[],
                   source=source.path, source_sha256=source.sha256, encoding=source.encoding, format=source.format)
