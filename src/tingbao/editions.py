"""The editions of an output folder, as the feed and the index read them.

A folder whose edition.json is broken or from a tingbao that wrote a bad value is skipped
with a warning: one bad folder must never stop the others being listed, published or built.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidEdition


@dataclass
class Edition:
    folder: Path
    manifest: dict

    @property
    def slug(self) -> str:
        return self.folder.name


def load_editions(output: Path, warnings: list[str] | None = None) -> list[Edition]:
    """Every edition folder's manifest. A broken one is skipped, with a line in `warnings`: one bad
    folder must never stop the others from being listed, published or built."""
    editions = []
    for folder in sorted(p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")):
        path = folder / "edition.json"
        if not path.is_file():
            continue
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            _check_manifest(manifest, folder)
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            if warnings is not None:
                reason = f" ({exc})" if isinstance(exc, InvalidEdition) else ""
                warnings.append(f"{folder}: skipped, not a valid edition.json{reason}; rebuild it or remove the folder")
            continue
        editions.append(Edition(folder, manifest))
    return editions


def _check_manifest(m: dict, folder: Path) -> None:
    """The fields the feed and the index read, each of the type they expect."""
    if not isinstance(m["title"], str) or not isinstance(m.get("subtitle", ""), str):
        raise InvalidEdition("title")
    float(m["duration"])
    dt.datetime.fromisoformat(m["built_at"])
    if m.get("date") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["date"]):
        try:
            dt.date.fromisoformat(m["date"])
        except ValueError:
            raise InvalidEdition(f"date {m['date']!r} is not a real date") from None
    if not m["chapters"] or not isinstance(m["files"], list):
        raise InvalidEdition("no chapters")
    for chapter in m["chapters"]:
        float(chapter["start"]), float(chapter["end"]), str(chapter["title"])
    if not (folder / f"{folder.name}.mp3").is_file():
        raise InvalidEdition(f"{folder.name}.mp3 is missing")


def published(manifest: dict, timezone: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", manifest.get("date") or ""):
        return dt.datetime.fromisoformat(manifest["date"]).replace(hour=6, tzinfo=zone)
    return dt.datetime.fromisoformat(manifest["built_at"]).astimezone(zone)


def hms(seconds: float) -> str:
    """HH:MM:SS, the floor of the edition's millisecond value (as the page's m:ss)."""
    from .assembly import clock

    return clock(round(seconds * 1000), hours=True)


def editions_for_index(editions: list[Edition], timezone: str) -> list[dict]:
    from .state import xml_text  # what no XML or HTML page may hold (and lone surrogates cannot be written)

    rows = [{"slug": e.slug, "title": xml_text(e.manifest["title"]),
             "subtitle": xml_text(e.manifest.get("subtitle", "")), "duration": hms(e.manifest["duration"]),
             "cover": f"{e.slug}/{e.manifest['cover']}" if isinstance(e.manifest.get("cover"), str)
             and (e.folder / e.manifest["cover"]).is_file() else "",
             "published": published(e.manifest, timezone)} for e in editions]
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
