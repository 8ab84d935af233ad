"""Text -> Article: headline, subtitle, byline, sections, captions, repairs, warnings.

Plain text gets layout heuristics (see layout.py); Markdown states its structure.
"""

from __future__ import annotations

import re

from . import captions, columns, toc, unwrap
from . import furniture as F
from . import headings as H
from . import layout as L
from .article import Article, Kind, LayoutWarning, Line, Paragraph, Section, Skipped
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
        units, skipped = _classify_plain(_units(source.text.split("\n"), 0)), []
    warnings: list[LayoutWarning] = []
    units = _split_datelines(units)
    moves = columns.repair(units, warnings)
    article = _assemble(units, meta, source)
    article.moves = moves
    article.skipped = skipped + [
        Skipped(u.kind, u.text, u.number, u.reason or _SKIP_REASON[u.kind]) for u in units if u.kind in _SKIP_REASON
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
    from_page = False  # a script html_input made of a web page: its `>` lines are the page's photo captions
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                for entry in lines[1:i]:
                    key, sep, value = entry.partition(":")
                    if sep and key.strip().lower() == "generator":
                        from_page = value.strip() == "tingbao html"
                    elif sep and key.strip().lower() in _FRONT_KEYS:
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
            skipped.append(Skipped(Kind.CAPTION, stripped[1:].strip(), number, "photo caption") if from_page
                           else Skipped(Kind.COMMENT, stripped, number, "Markdown quote"))
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
            elif F.furniture_reason(u.text) or F.closing_credit(u.text):
                u.kind, u.reason = Kind.FURNITURE, F.furniture_reason(u.text) or "closing credit"
        previous = u


# ---------------------------------------------------------------- plain text
def _classify_plain(units: list[Line]) -> list[Line]:
    captions.mark_furniture(units)
    toc.mark_contents(units)
    units = H.join_chapter_titles(unwrap.unwrap(units))
    body_start = H.classify_top(units)
    units[body_start:] = H.split_runin_headings(units[body_start:])
    H.classify_body(units, body_start)
    H.assign_levels(units)
    return units


def _split_datelines(units: list[Line]) -> list[Line]:
    """本报讯（记者 张三）正文…: the dateline is a byline, the rest stays body."""
    out: list[Line] = []
    seen_body = False
    for u in units:
        m = L.DATELINE.match(u.text) if u.kind == Kind.BODY and not seen_body else None
        if m and len(u.text) > m.end():
            out.append(Line(u.number, m.group(1).strip(), Kind.BYLINE, blank_before=u.blank_before))
            u = Line(u.number, u.text[m.end():], Kind.BODY, blank_after=u.blank_after)
        elif m:
            u.kind = Kind.BYLINE
        if u.kind == Kind.BODY:
            seen_body = True
        out.append(u)
    return _split_credits(out)


def _split_credits(units: list[Line]) -> list[Line]:
    """…。（本报记者李四参与采写）: a closing credit glued to the last paragraph is not spoken."""
    last = next((k for k in range(len(units) - 1, -1, -1) if units[k].kind == Kind.BODY), None)
    if last is not None:
        u = units[last]
        at = F.trailing_credit(u.text)
        if at > 0:
            credit = Line(u.number, u.text[at:], Kind.FURNITURE, reason="closing credit")
            u.text = u.text[:at]
            units.insert(last + 1, credit)
    return units


# English function words dropped between Chinese words are typos (“党员and群众”), even though
# the voice has a reading for them.
_STRAY_WORDS = {"and", "or", "the", "of", "to", "in", "on", "for", "with"}


def _latin_to_report(text: str) -> list[str]:
    """Words the editor should see: those the voice can only spell, and stray function words."""
    from .speech.latin import unknown_latin_words

    stray = [m.group(1) for m in L.LATIN_WORD.finditer(text) if m.group(1) in _STRAY_WORDS]
    return list(dict.fromkeys(stray + unknown_latin_words(text)))


def _layout_warnings(units: list[Line]) -> list[LayoutWarning]:
    out = []
    for u in units:
        if u.kind in (Kind.BODY, Kind.LIST_ITEM, Kind.HEADING, Kind.SUBHEAD):
            for word in _latin_to_report(u.text):
                out.append(LayoutWarning("latin-word", f"line {u.number}: Latin word “{word}” inside Chinese text "
                                   "(the offline voice will spell it; fix it in the script or [lexicon])", [u.number]))
            if u.kind == Kind.BODY and u.text[0] in "，、；：,;:":
                out.append(LayoutWarning("starts-mid-sentence", f"line {u.number} starts with punctuation "
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
