"""The data model every stage shares: plain dataclasses, no behaviour beyond helpers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from .zh import is_silent


class Kind(StrEnum):
    """What a line of the source is, in Chinese newspaper layout."""

    HEADLINE = "headline"
    KICKER = "kicker"  # 引题, above the headline
    SUBTITLE = "subtitle"  # 副题, starts with ——
    BYLINE = "byline"  # □ 记者 … / 本报讯（记者 …）
    HEADING = "heading"  # section or sub-section heading
    SUBHEAD = "subhead"  # the line under a heading (two phrases)
    LIST_ITEM = "list_item"  # —— item
    BODY = "body"
    CAPTION = "caption"  # photo caption: skipped from speech
    FURNITURE = "furniture"  # page furniture (editor, page number): skipped
    ELLIPSIS = "ellipsis"  # a line holding only ……: a pause
    COMMENT = "comment"  # Markdown > quote or <!-- --> comment: not spoken


@dataclass
class Line:
    """One non-blank source line after reading, with its 1-based line number."""

    number: int
    text: str
    kind: Kind = Kind.BODY
    level: int = 0  # heading level (1 section, 2 sub-section); 0 for non-headings
    blank_before: int = 0
    blank_after: int = 0
    markdown_heading: int = 0  # 1 for "#", 2 for "##" … when the source said so
    joined: list[int] = field(default_factory=list)  # further source lines repaired into this one
    reason: str = ""  # why a skipped line is skipped (furniture, caption, table of contents …)

    @property
    def source_lines(self) -> list[int]:
        return [self.number, *self.joined]


@dataclass
class Sentence:
    text: str  # as printed: what transcripts show
    speech: str  # what an engine is given
    section: int
    paragraph: int  # index of the paragraph inside its section
    index: int = 0  # position in the whole article, 0-based

    @property
    def is_silent(self) -> bool:
        """A pause-only sentence (e.g. a lone ……): heard as a pause, never sent to an engine."""
        return is_silent(self.speech)


@dataclass
class Paragraph:
    kind: Kind
    text: str  # as printed (after repairs), the paragraph's spoken text
    lines: list[int]  # source line numbers it came from
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Section:
    index: int
    heading: str  # "" for the lead
    level: int  # 0 for the lead, 1 section, 2 sub-section
    line: int  # source line of the heading (first line for the lead)
    subheads: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading or "导语"

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    @property
    def char_count(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)


@dataclass
class Skipped:
    kind: Kind
    text: str
    line: int
    reason: str


@dataclass
class LayoutWarning:
    """Something in the article's layout a person should look at (named Layout… so it never
    shadows the builtin Warning)."""

    code: str
    message: str
    lines: list[int]


@dataclass
class Move:
    """A run of source lines read somewhere else than where the file has it (columns out of order)."""

    from_lines: list[int]  # [first, last] source line of the run
    to_after_line: int  # the run is read right after this source line
    reason: str


@dataclass
class Article:
    title: str
    subtitle: str
    kicker: str
    byline: str
    date: str
    sections: list[Section]
    skipped: list[Skipped]
    warnings: list[LayoutWarning]
    source: str  # path, or "-" for stdin
    source_sha256: str = ""
    encoding: str = "utf-8"
    format: str = "txt"
    moves: list[Move] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for sec in self.sections for s in sec.sentences]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Chunk:
    """The unit an engine synthesises: sentences of one paragraph, never across sections."""

    key: str
    section: int
    paragraph: int
    sentences: list[Sentence]

    @property
    def speech(self) -> str:
        return "".join(s.speech for s in self.sentences)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)
