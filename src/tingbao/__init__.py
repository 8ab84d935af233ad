"""tingbao (听报): a Chinese news article → a podcast-style audio edition."""

from __future__ import annotations

__version__ = "0.1.0"


def plan_article(path, max_chars: int = 120, speaks_latin: bool = False, lexicon: dict[str, str] | None = None):
    """Read and structure an article and fill in its sentences (no audio)."""
    from .reading import read_source
    from .speech.chunking import segment
    from .structure import parse

    article = parse(read_source(path))
    return segment(article, max_chars=max_chars, speaks_latin=speaks_latin, lexicon=lexicon)


def build_edition(article_path, settings=None, **kwargs):
    """Build an audio edition folder; see tingbao.build.build_edition."""
    from .build import build_edition as _build
    from .config import Settings

    return _build(article_path, settings or Settings(), **kwargs)
