"""Hard-wrapped text (books, PDFs, old e-texts): put wrapped lines back into paragraphs.

A file is hard-wrapped when many lines share one width and most of them stop mid-sentence.
Then a full-width line continues on the next line, unless that line is a chapter line, a bare
numeral or a numbered heading. This runs before structure, so a wrapped line is never taken
for a caption or a heading.
"""

from __future__ import annotations

import unicodedata

from . import layout as L
from .article import Kind, Line

_SLACK = 4  # display columns a wrapped line may fall short of the width (line-breaking rules)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_width(units: list[Line]) -> int | None:
    """The width the text was wrapped at, or None when it was not hard-wrapped."""
    widths = [width(u.text) for u in units if width(u.text) >= 20 and u.kind != Kind.FURNITURE]
    if len(widths) < 6:
        return None
    best, count = 0, 0
    for w in sorted(set(widths)):
        n = sum(1 for x in widths if w - _SLACK <= x <= w)
        if n >= count:
            best, count = w, n
    full = [u for u in units if best - _SLACK <= width(u.text) <= best and u.kind != Kind.FURNITURE]
    longer = sum(1 for x in widths if x > best + 2)
    open_ended = sum(1 for u in full if not L.ends_sentence(u.text))
    if count < 6 or count < 0.3 * len(widths) or longer > 0.1 * len(widths) or open_ended < 0.5 * len(full):
        return None
    return best


def _structural(text: str) -> bool:
    return bool(L.CHAPTER.match(text) or L.BARE_NUMBER.match(text) or L.AUTHOR_LINE.match(text) or L.is_byline(text)
                or L.numbered_heading(text) and ("。" not in text and len(text) <= 60 or 0 < text.find("。") <= 30))


def unwrap(units: list[Line]) -> list[Line]:
    w = wrap_width(units)
    if w is None:
        return units
    out: list[Line] = []
    prev: Line | None = None  # the paragraph being rebuilt; page furniture between its lines is passed over
    last = ""  # prev's last source line: only a full line wraps on
    for u in units:
        if u.kind in (Kind.FURNITURE, Kind.CAPTION):
            out.append(u)
            continue
        full = w - _SLACK <= width(last)
        # a proportional PDF font makes wrapped lines uneven: an open line with no gap goes on too
        open_line = (width(last) >= 0.7 * w and not L.ends_sentence(last) and u.blank_before == 0 and len(out) > 3
                     and prev is not None and not _structural(prev.text))
        if full and prev is not None and _structural(prev.text) and width(u.text) > 0.7 * w:
            full = False  # a long numbered heading filling the line, then its paragraph
        if (prev is not None and (full or open_line) and not _structural(u.text)
                and (u.blank_before == 0 or not L.ends_sentence(last))):
            prev.text += u.text
            prev.joined += u.source_lines
            prev.blank_after = u.blank_after
        else:
            out.append(u)
            prev = u
        last = u.text
    return out
