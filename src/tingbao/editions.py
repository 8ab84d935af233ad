"""The editions of an output folder, as the feed and the index read them.

A folder whose edition.json is broken or from a tingbao that wrote a bad value is skipped
with a warning: one bad folder must never stop the others being listed, published or built.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .edition import Edition, load
from .errors import InvalidEdition

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Listed:
    """An edition folder of the output folder, as the feed and the index list it."""

    folder: Path
    edition: Edition

    @property
    def slug(self) -> str:
        return self.folder.name


def load_editions(output: Path, warnings: list[str] | None = None) -> list[Listed]:
    """Every edition folder that can be listed. A broken one is skipped, with a line in `warnings`: one bad
    folder must never stop the others from being listed, published or built."""
    editions = []
    for folder in sorted(p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not (folder / "edition.json").is_file():
            continue
        try:
            edition = load(folder)
            _check_listable(edition, folder)
        except InvalidEdition as exc:
            if warnings is not None:
                warnings.append(f"{folder}: skipped, not a valid edition.json ({exc}); rebuild it or remove the folder")
            continue
        editions.append(Listed(folder, edition))
    return editions


def _check_listable(edition: Edition, folder: Path) -> None:
    """What the feed and the index need beyond well-typed fields. Not part of edition.load: a folder
    that fails only this is still ours, and a rebuild may replace it."""
    try:
        dt.datetime.fromisoformat(edition.built_at)
    except ValueError:
        raise InvalidEdition(f"built_at {edition.built_at!r} is not a time") from None
    if _DAY.fullmatch(edition.date):
        try:
            dt.date.fromisoformat(edition.date)
        except ValueError:
            raise InvalidEdition(f"date {edition.date!r} is not a real date") from None
    if not edition.chapters:
        raise InvalidEdition("no chapters")
    if not (folder / f"{folder.name}.mp3").is_file():
        raise InvalidEdition(f"{folder.name}.mp3 is missing")


def published(edition: Edition, timezone: str) -> dt.datetime:
    """The feed's pubDate: 06:00 local time on the article's date, else the first build's time."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    if _DAY.fullmatch(edition.date):
        return dt.datetime.fromisoformat(edition.date).replace(hour=6, tzinfo=zone)
    return dt.datetime.fromisoformat(edition.built_at).astimezone(zone)


def hms(seconds: float) -> str:
    """HH:MM:SS, the floor of the edition's millisecond value (as the page's m:ss)."""
    from .assembly import clock

    return clock(round(seconds * 1000), hours=True)


def editions_for_index(editions: list[Listed], timezone: str) -> list[dict]:
    from .state import xml_text  # what no XML or HTML page may hold (and lone surrogates cannot be written)

    rows = [{"slug": e.slug, "title": xml_text(e.edition.title), "subtitle": xml_text(e.edition.subtitle),
             "duration": hms(e.edition.duration),
             "cover": f"{e.slug}/{e.edition.cover}" if e.edition.cover and (e.folder / e.edition.cover).is_file()
             else "",
             "published": published(e.edition, timezone)} for e in editions]
    return sorted(rows, key=lambda r: (r["published"], r["slug"]), reverse=True)


def write_site_index(output: Path, editions: list, timezone: str, warnings: list[str]) -> None:
    """output/index.html from the editions — unless that page is someone else's, which is left with a warning.
    Build and publish both call this (under the output's site lock)."""
    from .outputs.player import write_index
    from .staging import foreign_page

    foreign = foreign_page(output)
    if foreign:
        warnings.append(foreign)
    else:
        write_index(output, editions_for_index(editions, timezone))
