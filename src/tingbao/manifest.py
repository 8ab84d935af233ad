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


def page_data(article, programme: Programme, slug: str, section_files: list[str]) -> dict:
    rate = programme.sample_rate
    paragraph_of = {s.index: (s.section, s.paragraph) for s in article.sentences}
    sentences, paragraphs, last = [], [], None
    for position, cue in enumerate(programme.cues):
        entry = {"index": position, "text": cue.text, "start": round(cue.start / rate, 3),
                 "end": round(cue.end / rate, 3)}
        sentences.append(entry)
        if paragraph_of[cue.sentence] != last:
            paragraphs.append([])
            last = paragraph_of[cue.sentence]
        paragraphs[-1].append(entry)
    chapters = []
    for chapter, file in zip(programme.chapters, section_files, strict=True):
        start = chapter.start / rate
        clock = f"{int(start) // 60}:{int(start) % 60:02d}"
        chapters.append({"title": chapter.title, "start": round(start, 3), "end": round(chapter.end / rate, 3),
                         "file": file, "clock": clock})
    return {"title": article.title or slug, "subtitle": article.subtitle, "byline": article.byline,
            "mp3": f"{slug}.mp3", "chapters": chapters, "sentences": sentences, "paragraphs": paragraphs}


def manifest(article, programme: Programme, settings: Settings, engine, voice, folder: Path, names, notes,
              choice: str) -> dict:
    rate = programme.sample_rate
    sentences = {s.index: s for s in article.sentences}
    return {
        "schema_version": T.EDITION_SCHEMA,
        "tingbao_version": __version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": {"path": article.source, "sha256": article.source_sha256, "encoding": article.encoding,
                   "format": article.format},
        "title": article.title, "kicker": article.kicker, "subtitle": article.subtitle, "byline": article.byline,
        "date": article.date,
        "engine": {"name": engine.name, "voice": voice, "rate": settings.rate, "volume": settings.volume,
                   "pitch": settings.pitch, "sample_rate": rate, "signature": engine.signature(voice, settings.rate),
                   "choice": choice},
        "settings": {"bitrate": settings.bitrate, "pause_scale": settings.pause_scale,
                     "chapter_level": settings.chapter_level, "skip_byline": settings.skip_byline},
        "duration": round(programme.duration, 3),
        "loudness": {"target_lufs": -19.0, "measured_lufs": round(programme.loudness_before, 2),
                     "gain_db": round(programme.gain_db, 2)},
        "chapters": [{"title": c.title, "start": round(c.start / rate, 3), "end": round(c.end / rate, 3),
                      "sections": c.sections} for c in programme.chapters],
        "sentences": [{"index": c.sentence, "section": c.section, "text": c.text,
                       "speech": sentences[c.sentence].speech, "start": round(c.start / rate, 3),
                       "end": round(c.end / rate, 3)} for c in programme.cues],
        "files": [{"path": n, "bytes": (folder / n).stat().st_size,
                   "sha256": hashlib.sha256((folder / n).read_bytes()).hexdigest()} for n in names],
        "skipped": [{"kind": str(k.kind), "line": k.line, "text": k.text, "reason": k.reason} for k in article.skipped],
        "moves": [{"from_lines": list(m.from_lines), "to_after_line": m.to_after_line, "reason": m.reason}
                  for m in article.moves],
        "warnings": [{"code": w.code, "lines": w.lines, "message": w.message} for w in article.warnings],
        "notes": notes,
    }
