"""The edition's documents made from the article (edition.json, the player page's data), and the
check of the article's metadata that runs before anything is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from . import __version__
from .assembly import Programme
from .config import Settings
from .engines.base import VoiceSpec
from .errors import InputError
from .outputs import transcript as T


def check_metadata(article, text: str) -> None:
    """Front matter the edition's files are made from, checked before anything is written."""
    if not article.date or is_date(article.date):
        return
    line = next((n for n, entry in reversed(list(enumerate(text.split("\n")[:200], 1)))
                 if re.match(r"\s*date\s*:", entry, re.IGNORECASE)), None)
    where = f", line {line}" if line else ""
    raise InputError(f"{article.source}{where}: date: {article.date!r} is not a date; write it as YYYY-MM-DD")


def is_date(value: str) -> bool:
    """YYYY-MM-DD (the feed's pubDate), or YYYY-MM / YYYY (a year for the tags)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if match is None:
        return False
    try:
        dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return False
    return True


def manifest(article, programme: Programme, settings: Settings, engine, voice, folder: Path, names, notes,
              choice: str, section_files: list[str], cover: str) -> dict:
    """Times are the programme's one millisecond rounding (as in the tags, chapters.json and transcripts)."""
    rate = programme.sample_rate
    sentences = {s.index: s for s in article.sentences}
    chapters = [{"title": title, "start": start / 1000, "end": end / 1000, "sections": c.sections, "file": file}
                for (title, start, end), c, file in zip(programme.chapter_times(), programme.chapters, section_files,
                                                        strict=True)]
    return {
        "schema_version": T.EDITION_SCHEMA,
        "tingbao_version": __version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": {"path": article.source, "sha256": article.source_sha256, "encoding": article.encoding,
                   "format": article.format},
        "title": article.title, "kicker": article.kicker, "subtitle": article.subtitle, "byline": article.byline,
        "date": article.date,
        "engine": {"name": engine.name, "voice": voice, "rate": settings.rate, "volume": settings.volume,
                   "pitch": settings.pitch, "sample_rate": rate,
                   "signature": engine.signature(VoiceSpec(voice, settings.rate, settings.volume, settings.pitch)),
                   "choice": choice},
        "settings": {"bitrate": settings.bitrate, "pause_scale": settings.pause_scale,
                     "chapter_level": settings.chapter_level, "skip_byline": settings.skip_byline},
        "duration": programme.duration_ms / 1000,
        "cover": cover,
        "loudness": {"target_lufs": -19.0, "measured_lufs": round(programme.loudness_before, 2),
                     "gain_db": round(programme.gain_db, 2)},
        "chapters": chapters,
        "sentences": [{"index": c.sentence, "section": c.section, "text": c.text,
                       "speech": sentences[c.sentence].speech, "start": start / 1000, "end": end / 1000}
                      for c, (start, end) in zip(programme.cues, programme.cue_times(), strict=True)],
        "files": [{"path": n, "bytes": (folder / n).stat().st_size,
                   "sha256": hashlib.sha256((folder / n).read_bytes()).hexdigest()} for n in names],
        "skipped": [{"kind": str(k.kind), "line": k.line, "text": k.text, "reason": k.reason} for k in article.skipped],
        "moves": [{"from_lines": list(m.from_lines), "to_after_line": m.to_after_line, "reason": m.reason}
                  for m in article.moves],
        "warnings": [{"code": w.code, "lines": w.lines, "message": w.message} for w in article.warnings],
        "notes": notes,
    }
