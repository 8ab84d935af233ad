"""Lines that are never the article wherever they stand: page furniture, credits, captions.

Runs first, line by line, so later stages (unwrapping, headings) never see furniture as text.
"""

from __future__ import annotations

from . import furniture as F
from . import layout as L
from .article import Kind, Line


def mark_furniture(units: list[Line]) -> None:
    """Lines that are never the article, wherever they stand: furniture, credits, captions."""
    in_related = False
    repeated = F.running_heads([u.text for u in units])
    for u in units:
        reason = F.furniture_reason(u.text) or ("running header or footer" if u.text in repeated else None)
        if L.ELLIPSIS.match(u.text):
            u.kind = Kind.ELLIPSIS
        elif reason:
            u.kind, u.reason = Kind.FURNITURE, reason
            in_related = reason == "related-news list"
            continue
        elif F.closing_credit(u.text):
            u.kind, u.reason = Kind.FURNITURE, "closing credit"
        elif in_related and (F.RELATED_ITEM.match(u.text) or len(u.text) <= 40 and not L.ends_sentence(u.text)
                             or len(u.text) <= 40 and u.text.endswith(("？", "?"))):
            u.kind, u.reason = Kind.FURNITURE, "related-news list"
            continue
        elif L.CAPTION_MARK.search(u.text) and len(u.text) <= 120 and L.single_sentence(u.text):
            u.kind, u.reason = Kind.CAPTION, "photo caption"
        in_related = False
    _caption_neighbours(units)


def _caption_neighbours(units: list[Line]) -> None:
    """A short line right above a photo credit is its caption; a caption cut by the column
    (图为… / …本报记者晏 / 摄) goes on until its credit; a short name above a source/time line is
    the publishing account."""
    for k in range(len(units) - 1, 0, -1):
        u, above = units[k], units[k - 1]
        if above.kind != Kind.BODY:
            continue
        if (u.reason == "photo credit" and len(above.text) <= 40 and L.single_sentence(above.text)
                and L.caption_score(above.text) >= 0):
            above.kind, above.reason = Kind.CAPTION, "photo caption (above its credit)"
        elif u.kind == Kind.CAPTION and len(above.text) <= 60 and not L.ends_sentence(above.text) and (
                k >= 2 and units[k - 2].kind == Kind.CAPTION or L.CAPTION_MARK.search(above.text)):
            above.kind, above.reason = Kind.CAPTION, "photo caption"
        elif (k < 12 and u.kind == Kind.FURNITURE and F._DATETIME.search(u.text) and 4 <= len(above.text) <= 10
              and L.is_heading_like(above.text) and _title_nearby(units, k - 1)):
            above.kind, above.reason = Kind.FURNITURE, "source name"
    for k in range(len(units) - 1):
        u, below = units[k], units[k + 1]
        after = units[k + 2] if k + 2 < len(units) else None
        if (u.kind == Kind.CAPTION and not L.ends_sentence(u.text) and below.kind == Kind.BODY
                and len(below.text) <= 60 and (below.text.endswith(("摄", "供图")) or F.PHOTO_CREDIT.search(below.text)
                                               or after is not None and after.reason == "photo credit")):
            below.kind, below.reason = Kind.CAPTION, "photo caption"


def _title_nearby(units: list[Line], k: int) -> bool:
    """A publishing account's name sits next to the real headline (a longer title-like line)."""
    return any(v.kind == Kind.BODY and 6 <= len(v.text) <= 48 and len(v.text) > len(units[k].text)
               and not any(ch in "。；" for ch in v.text) for v in units[max(0, k - 4):k + 6] if v is not units[k])
