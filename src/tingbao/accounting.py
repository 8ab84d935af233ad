"""Every character of the body is spoken exactly once or reported as skipped, with why.

A check, not a stage: characters of the source lines = characters of the spoken printed text
+ characters of the skipped lines, ignoring only what is layout rather than text (spaces,
dashes of list items and subtitles, Markdown markers).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .article import Article
from .reading import Source

_DECORATION = re.compile(r"[\s—－\-―#*_>]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def chars(text: str) -> str:
    return _DECORATION.sub("", text)


@dataclass
class Accounting:
    source: int  # characters in the source lines
    spoken: int
    skipped: int
    lost: Counter = field(default_factory=Counter)  # in the source, neither spoken nor skipped
    extra: Counter = field(default_factory=Counter)  # spoken or skipped more often than in the source

    @property
    def ok(self) -> bool:
        return not self.lost and not self.extra


def source_text(source: Source) -> str:
    """The article's own text: for Markdown, without front matter and comments."""
    text = source.text
    if source.format == "md":
        lines = text.split("\n")
        if lines and lines[0].strip() == "---":
            end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
            lines = lines[end + 1:]
        text = _COMMENT.sub("", "\n".join(lines))
    return text


def account(source: Source, article: Article) -> Accounting:
    src = Counter(chars(source_text(source)))
    spoken = Counter(chars("".join(p.text for s in article.sections for p in s.paragraphs if p.lines != [0])))
    skipped = Counter(chars("".join(k.text for k in article.skipped)))
    out = spoken + skipped
    return Accounting(sum(src.values()), sum(spoken.values()), sum(skipped.values()), src - out, out - src)
