"""The edition: what a build made, as frozen data, and its edition.json.

edition.json is the contract between build and everything that reads an edition folder later
(publish, the site index, the next build's up-to-date check). Its JSON is written and read
here only: `Edition.to_json()` writes it, `load(folder)` reads it back and checks every field's
type, so a reader uses attributes and never guesses at keys.

Fields that older tingbao versions did not write are `None` when loaded from such an edition,
and a `None` is left out of the JSON again (an edition is never given a value it did not have).
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from .errors import InvalidEdition

EDITION_SCHEMA = 1
FILENAME = "edition.json"


@dataclass(frozen=True)
class Source:
    path: str  # as given on the command line, "-" for stdin
    sha256: str
    encoding: str
    format: str


@dataclass(frozen=True)
class EngineInfo:
    name: str
    voice: str
    rate: str
    volume: str | None  # None: built before volume and pitch were settings
    pitch: str | None
    sample_rate: int
    signature: str
    choice: str  # how the engine was chosen, as the build reported it


@dataclass(frozen=True)
class SettingsUsed:
    bitrate: int
    pause_scale: float
    chapter_level: int
    skip_byline: bool


@dataclass(frozen=True)
class Loudness:
    target_lufs: float
    measured_lufs: float
    gain_db: float


@dataclass(frozen=True)
class SubChapter:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds, from the edition's one millisecond rounding
    end: float
    sections: tuple[int, ...]
    file: str | None = None  # its section MP3; None: built before section files were named by section
    # a day's issue: what the chapter is (opener, article, closer), the article's own edition, its sections
    kind: str | None = None
    slug: str | None = None
    children: tuple[SubChapter, ...] | None = None


@dataclass(frozen=True)
class Cue:
    """One sentence as heard: printed text, spoken text, and its time in the edition's MP3."""

    index: int
    section: int
    text: str
    speech: str
    start: float
    end: float


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the edition folder
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Skip:
    kind: str
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Move:
    from_lines: tuple[int, ...]
    to_after_line: int
    reason: str


@dataclass(frozen=True)
class Notice:
    """A layout warning about the article (not about the build)."""

    code: str
    lines: tuple[int, ...]
    message: str


@dataclass(frozen=True)
class Edition:
    """Field order is edition.json's key order."""

    schema_version: int
    tingbao_version: str
    built_at: str  # ISO time of the first build of this edition (a rebuild keeps it: the feed's pubDate)
    kind: str | None  # "issue" for a day's issue (`tingbao issue`); None for an article's edition
    articles: tuple[str, ...] | None  # a day's issue: the slugs of its articles' editions, in order
    source: Source
    title: str
    kicker: str
    subtitle: str
    byline: str
    date: str  # as the article's front matter gave it, "" when it gave none
    engine: EngineInfo
    settings: SettingsUsed
    duration: float
    cover: str | None
    loudness: Loudness
    chapters: tuple[Chapter, ...]
    sentences: tuple[Cue, ...]
    files: tuple[FileEntry, ...]
    skipped: tuple[Skip, ...]
    moves: tuple[Move, ...] | None
    warnings: tuple[Notice, ...]
    notes: tuple[str, ...]
    fingerprint: str | None = None  # of every input (manifest.fingerprint); None: never up to date
    chunks: int | None = None

    def to_json(self) -> str:
        return json.dumps(_plain(self), ensure_ascii=False, indent=1) + "\n"

    @property
    def is_issue(self) -> bool:
        return self.kind == "issue"

    def file_paths(self) -> list[str]:
        """Every file of the edition folder, edition.json last."""
        return [f.path for f in self.files] + [FILENAME]

    def summary(self) -> str:
        """The subtitle, else the first sentence after the lead: a line for a feed or a list."""
        return self.subtitle or next((c.text for c in self.sentences if c.section > 0), "")


def load(folder: str | Path) -> Edition:
    """The edition in `folder`, its types checked; InvalidEdition says what is wrong in a short phrase."""
    path = Path(folder) / FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidEdition(f"no {FILENAME}") from None
    except OSError as exc:
        raise InvalidEdition(f"{FILENAME} cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise InvalidEdition(f"{FILENAME} is not JSON ({exc})") from None
    return from_dict(data)


def from_dict(data: object) -> Edition:
    if not isinstance(data, dict):
        raise InvalidEdition(f"{FILENAME} is not an object")
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > EDITION_SCHEMA:
        raise InvalidEdition(f"schema_version {version} is newer than this tingbao reads ({EDITION_SCHEMA})")
    return _build(Edition, data, "")


def _plain(value):
    if is_dataclass(value):
        return {f.name: _plain(v) for f in fields(value) if (v := getattr(value, f.name)) is not None}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _build(cls, data: dict, where: str):
    hints = typing.get_type_hints(cls)
    values = {}
    for f in fields(cls):
        name = f"{where}.{f.name}" if where else f.name
        kind = hints[f.name]
        optional = _optional(kind)
        if data.get(f.name) is None:  # absent, or null
            if optional is None:
                raise InvalidEdition(f"{name} is missing")
            values[f.name] = None
            continue
        values[f.name] = _value(data[f.name], optional or kind, name)
    return cls(**values)


def _optional(kind):
    """X for `X | None`, else None."""
    if isinstance(kind, types.UnionType) and type(None) in kind.__args__:
        return next(k for k in kind.__args__ if k is not type(None))
    return None


_SCALARS = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}


def _value(value, kind, where: str):
    if typing.get_origin(kind) is tuple:
        if not isinstance(value, list):
            raise InvalidEdition(f"{where} is not a list")
        item = typing.get_args(kind)[0]
        return tuple(_value(v, item, f"{where}[{i}]") for i, v in enumerate(value))
    if is_dataclass(kind):
        if not isinstance(value, dict):
            raise InvalidEdition(f"{where} is not an object")
        return _build(kind, value, where)
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise InvalidEdition(f"{where} is not {_SCALARS[kind]}")
    return value
