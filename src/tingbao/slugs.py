"""ASCII names for folders and files: the pinyin of a title, cut only between syllables.

One length limit for every slug (edition folders and section files alike). A listener who
downloads `02-ju-qi-zhi.mp3` can tell what it is; `…-dong-l` (a syllable cut in half) is gone.
"""

from __future__ import annotations

import hashlib
import re

SLUG_LIMIT = 60


def _pieces(text: str) -> list[str]:
    """Pinyin syllables for Han characters; Latin letters and digits kept as whole words."""
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    for item in lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [chars]):
        out += re.findall(r"[a-z0-9]+", item.lower())
    return out


def slugify(text: str, limit: int = SLUG_LIMIT) -> str:
    """Syllables joined by dashes, as many as fit in `limit` characters; never cut inside one
    (a single Latin word longer than the limit is the only thing ever cut)."""
    slug = ""
    for piece in _pieces(text):
        candidate = f"{slug}-{piece}" if slug else piece
        if len(candidate) > limit:
            if not slug:
                slug = piece[:limit]
            break
        slug = candidate
    return slug


def make_slug(title: str) -> str:
    """An edition's folder name: stable, never empty, never a path."""
    return slugify(title) or "edition-" + hashlib.sha256(title.encode()).hexdigest()[:8]


def section_file_names(titles: list[str]) -> list[str]:
    """`sections/NN-<section-slug>.mp3`, numbered from 1 (the number keeps names unique and in order)."""
    names = []
    for number, title in enumerate(titles, 1):
        slug = slugify(title) or "section"
        names.append(f"sections/{number:02d}-{slug}.mp3")
    return names
