"""The edition folder made from the article and its programme: the audio, the transcripts, the page
and edition.json last (as an `edition.Edition`); the fingerprint that tells whether an edition is
up to date; and the check of the article's metadata that runs before anything is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from . import __version__, staging
from . import edition as E
from .assembly import Programme
from .config import Settings
from .engines.base import VoiceSpec
from .errors import InputError
from .outputs import transcript as T
from .outputs import write_atomic
from .outputs.artwork import edition_cover
from .outputs.mp3 import Tags
from .outputs.player import edition_page, page_data
from .outputs.sections import playlist, section_tags
from .outputs.stream_encode import ChapterEncoder
from .progress import Phases
from .speech.normalize import NORMALIZER_VERSION


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


def fingerprint(article, engine, spec: VoiceSpec, settings: Settings, slug: str) -> str:
    """Everything the edition's files are made from (the source bytes, the versions of every rule,
    the engine's voice signature, the settings), so an unchanged rebuild stops before planning."""
    cover = hashlib.sha256(Path(settings.cover).read_bytes()).hexdigest() if settings.cover else ""
    data = [__version__, NORMALIZER_VERSION, article.source_sha256, engine.signature(spec),
            engine.max_chars, engine.speaks_latin, sorted(settings.lexicon.items()), slug, settings.bitrate,
            settings.pause_scale, settings.chapter_level, settings.skip_byline, cover, settings.series_title,
            settings.publication, settings.author]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def up_to_date(folder: Path, edition: E.Edition | None, fingerprint: str) -> bool:
    """The edition was made from exactly these inputs and every file it lists is intact."""
    if edition is None or edition.fingerprint != fingerprint:
        return False
    return all((folder / f.path).is_file() and (folder / f.path).stat().st_size == f.bytes for f in edition.files)


def make_edition(article, programme: Programme, settings: Settings, engine, spec: VoiceSpec, folder: Path,
                 names: list[str], notes: list[str], choice: str, section_files: list[str], cover: str, *,
                 built_at: str | None, fingerprint: str, chunks: int) -> E.Edition:
    """Times are the programme's one millisecond rounding (as in the tags, chapters.json and transcripts).
    `built_at` is the first build's time, kept by a rebuild (the feed's pubDate); None: now."""
    sentences = {s.index: s for s in article.sentences}
    chapters = [E.Chapter(title, start / 1000, end / 1000, tuple(c.sections), file)
                for (title, start, end), c, file in zip(programme.chapter_times(), programme.chapters, section_files,
                                                        strict=True)]
    return E.Edition(
        schema_version=E.EDITION_SCHEMA, tingbao_version=__version__,
        built_at=built_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), kind=None, articles=None,
        source=E.Source(article.source, article.source_sha256, article.encoding, article.format),
        title=article.title, kicker=article.kicker, subtitle=article.subtitle, byline=article.byline,
        date=article.date,
        engine=E.EngineInfo(engine.name, spec.voice, spec.rate, spec.volume, spec.pitch, programme.sample_rate,
                            engine.signature(spec), choice),
        settings=E.SettingsUsed(settings.bitrate, settings.pause_scale, settings.chapter_level,
                                settings.skip_byline),
        duration=programme.duration_ms / 1000, cover=cover,
        loudness=E.Loudness(-19.0, round(programme.loudness_before, 2), round(programme.gain_db, 2)),
        chapters=tuple(chapters),
        sentences=tuple(E.Cue(c.sentence, c.section, c.text, sentences[c.sentence].speech, start / 1000, end / 1000)
                        for c, (start, end) in zip(programme.cues, programme.cue_times(), strict=True)),
        files=tuple(E.FileEntry(n, (folder / n).stat().st_size, hashlib.sha256((folder / n).read_bytes()).hexdigest())
                    for n in names),
        skipped=tuple(E.Skip(str(k.kind), k.line, k.text, k.reason) for k in article.skipped),
        moves=tuple(E.Move(tuple(m.from_lines), m.to_after_line, m.reason) for m in article.moves),
        warnings=tuple(E.Notice(w.code, tuple(w.lines), w.message) for w in article.warnings),
        notes=tuple(notes), fingerprint=fingerprint, chunks=chunks)


def write_edition(output: Path, slug: str, article, programme: Programme, settings: Settings, engine,
                  spec: VoiceSpec, notes: list[str], fingerprint: str, choice: str, chunk_count: int,
                  first_built: str | None, phases: Phases, encoder: ChapterEncoder,
                  cover_art: tuple[str, bytes] | None = None) -> list[str]:
    """Every file of the edition, written beside its final place and swapped in whole (the caller
    holds the edition's lock); the names written, edition.json last. `cover_art` is edition_cover()'s
    answer if the caller made it already (while synthesis ran: a first cover costs seconds of fonts)."""
    partial = output / f".{slug}.partial-{os.getpid()}"
    partial.mkdir()  # stale ones were removed under the lock
    try:
        tags = Tags(title=article.title or slug, artist=settings.publication or settings.author,
                    album=settings.series_title, date=article.date or dt.date.today().isoformat()[:4],
                    comment=article.subtitle)
        chapter_ms = programme.chapter_times()
        series = settings.series_title or settings.publication
        cover_name, cover_bytes = cover_art or edition_cover(settings.cover, series, article.title or slug,
                                                             article.date)
        write_atomic(partial / cover_name, cover_bytes)  # beside the edition, and embedded in every MP3
        cover = str(partial / cover_name)
        phases.finish()  # assembly; encoding began with its first chapter
        phases.current = encoder.meter()
        sections = section_tags(programme, tags)
        section_files = [name for name, _ in sections]
        encoder.write(partial / f"{slug}.mp3", tags, chapter_ms, [(partial / n, t) for n, t in sections], cover)
        phases.start("outputs", 1)
        sidecars = []
        for index, mp3 in enumerate(section_files):  # what the per-section feed links to
            stem = mp3.removesuffix(".mp3")
            write_atomic(partial / f"{stem}.vtt", T.section_vtt(programme, index))
            write_atomic(partial / f"{stem}.chapters.json", T.section_chapters_json(programme, index))
            sidecars += [f"{stem}.vtt", f"{stem}.chapters.json"]
        write_atomic(partial / "sections.m3u8", playlist(programme, section_files))
        write_atomic(partial / "transcript.vtt", T.vtt(programme))
        write_atomic(partial / "transcript.srt", T.srt(programme))
        write_atomic(partial / "chapters.json", T.chapters_json(programme, article.title))
        shown_date = article.date or (first_built or dt.datetime.now(dt.UTC).isoformat())[:10]
        write_atomic(partial / "index.html", edition_page(page_data(article, programme, slug, section_files,
                                                                    series=series, date=shown_date,
                                                                    cover=cover_name)))
        names = [f"{slug}.mp3", *section_files, *sidecars, "sections.m3u8", "transcript.vtt", "transcript.srt",
                 "chapters.json", cover_name, "index.html"]
        edition = make_edition(article, programme, settings, engine, spec, partial, names, notes, choice,
                               section_files, cover_name, built_at=first_built, fingerprint=fingerprint,
                               chunks=chunk_count)
        write_atomic(partial / E.FILENAME, edition.to_json())
        staging.swap_in(partial, output / slug)
        return edition.file_paths()
    except BaseException:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        raise
