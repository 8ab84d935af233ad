"""build_edition(): article -> plan -> chunks -> clips -> programme -> an edition folder.

The folder is written under a temporary name beside its final place and swapped in at
the end, so a failed or interrupted build never leaves a half-written edition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .assembly import Pauses, Programme, assemble
from .cache import ClipCache
from .config import Settings
from .errors import InputError, TingbaoError
from .feed import editions_for_index, load_editions
from .locks import exclusive
from .outputs import transcript as T
from .outputs import write_atomic
from .outputs.mp3 import Tags, encode
from .outputs.player import edition_page, write_index
from .outputs.sections import playlist, write_sections
from .reading import read_source
from .speech.chunking import make_chunks, segment
from .speech.normalize import NORMALIZER_VERSION
from .structure import parse
from .synthesis import synthesize_all


@dataclass
class BuildResult:
    folder: Path
    slug: str
    duration: float
    chapters: int
    chunks: int
    cached: int
    synthesized: int
    engine_calls: int
    wall: float
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def make_slug(title: str) -> str:
    """ASCII pinyin of the title: stable, never empty, never a path."""
    from pypinyin import Style, lazy_pinyin

    words = lazy_pinyin(title, style=Style.NORMAL, errors=lambda chars: list(chars))
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    slug = slug[:60].rstrip("-")
    return slug or "edition-" + hashlib.sha256(title.encode()).hexdigest()[:8]


def _check_slug(slug: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug):
        raise InputError(f"--slug {slug!r}: use lowercase ASCII letters, digits and dashes")
    return slug


def build_edition(article_path: str, settings: Settings, engine=None, on_progress=None,
                  on_message=lambda m: None, choice: str | None = None,
                  avoid_slugs: frozenset[str] = frozenset()) -> BuildResult:
    start = time.perf_counter()
    if settings.cover and not _is_image(settings.cover):
        raise InputError(f"--cover {settings.cover}: not a JPEG or PNG image")
    if engine is not None:
        choice = choice or f"{engine.name} (given by the caller)"
    else:
        from .engines import choose_engine

        engine, choice = choose_engine(settings.engine, model_dir=settings.model_dir or None,
                                       lexicon=settings.lexicon, progress=on_message, volume=settings.volume,
                                       pitch=settings.pitch)
        if settings.engine == "auto":
            on_message(f"engine: {choice}")
    voice = settings.voice or engine.default_voice()
    if voice not in {v.name for v in engine.voices()}:
        raise TingbaoError(f"unknown voice {voice!r} for engine {engine.name}; see `tingbao voices --engine "
                           f"{engine.name}`")
    article = parse(read_source(article_path))  # enough for the title, hence the slug
    output = Path(settings.output)
    slug = _check_slug(settings.slug) if settings.slug else make_slug(article.title or Path(article_path).stem)
    base, n = slug, 1
    while slug in avoid_slugs:  # two articles of one batch with the same title
        n += 1
        slug = f"{base}-{n}"
    _prepare_output(output)
    with exclusive(output / slug, f"the edition {output / slug}"):
        return _build_locked(article, engine, voice, choice, settings, output, slug, on_progress, start)


def _build_locked(article, engine, voice, choice, settings: Settings, output: Path, slug: str,
                  on_progress, start: float) -> BuildResult:
    fingerprint = _fingerprint(article, engine, voice, settings, slug)
    previous = _read_manifest(output / slug)
    current = previous if _up_to_date(output / slug, previous, fingerprint) else None
    if current is not None:  # nothing changed: no planning, synthesis, assembly or encoding
        return BuildResult(output / slug, slug, current["duration"], len(current["chapters"]),
                           current.get("chunks", 0), current.get("chunks", 0), 0, 0, time.perf_counter() - start,
                           [f["path"] for f in current["files"]] + ["edition.json"], current.get("notes", []))
    segment(article, max_chars=engine.max_chars, speaks_latin=engine.speaks_latin, lexicon=settings.lexicon)
    chunks = make_chunks(article, engine.max_chars, engine.signature(voice, settings.rate))
    if not chunks:
        raise InputError(f"{article.source}: nothing to read aloud")
    _remove_stale(output, slug)
    cache = ClipCache(settings.cache_dir or None)
    synth = synthesize_all(chunks, engine, voice, settings.rate, cache, jobs=settings.jobs or engine.default_jobs,
                           attempts=settings.attempts, on_progress=on_progress, rate_ratio=settings.rate_ratio(),
                           retry_delay=settings.retry_delay)
    workdir = output / f".{slug}.work-{os.getpid()}"
    workdir.mkdir()
    try:
        programme = assemble(article, chunks, lambda key: _cached_clip(cache, key), engine.sample_rate, workdir,
                             Pauses(scale=settings.pause_scale), settings.chapter_level, settings.skip_byline)
        notes = sorted(synth.notes)
        first_built = previous.get("built_at") if previous else None  # kept: the feed's pubDate
        files = _write_edition(output, slug, article, programme, settings, engine, voice, notes, fingerprint,
                               choice, len(chunks), first_built)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return BuildResult(output / slug, slug, programme.duration, len(programme.chapters), len(chunks), synth.cached,
                       synth.synthesized, synth.engine_calls, time.perf_counter() - start, files, notes)


def _cached_clip(cache: ClipCache, key: str):
    clip = cache.get(key)
    if clip is None:
        raise TingbaoError("a synthesised clip vanished from the cache during the build; run the command again")
    return clip


def _remove_stale(output: Path, slug: str) -> None:
    """Temp folders of this edition from a build that was killed (we hold its lock, so they are stale)."""
    for stale in output.glob(f".{slug}.*-*"):
        if stale.is_dir() and re.fullmatch(rf"\.{re.escape(slug)}\.(work|partial|old)-\d+", stale.name):
            shutil.rmtree(stale, ignore_errors=True)


def _fingerprint(article, engine, voice: str, settings: Settings, slug: str) -> str:
    """Everything the edition's files are made from (the source bytes, the versions of every rule,
    the engine's voice signature, the settings), so an unchanged rebuild stops before planning."""
    cover = hashlib.sha256(Path(settings.cover).read_bytes()).hexdigest() if settings.cover else ""
    data = [__version__, NORMALIZER_VERSION, article.source_sha256, engine.signature(voice, settings.rate),
            engine.max_chars, engine.speaks_latin, sorted(settings.lexicon.items()), slug, settings.bitrate,
            settings.pause_scale, settings.chapter_level, settings.skip_byline, cover, settings.series_title,
            settings.publication, settings.author]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def _read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _up_to_date(folder: Path, manifest: dict | None, fingerprint: str) -> bool:
    """The edition was made from exactly these inputs and every file it lists is intact."""
    if manifest is None or manifest.get("fingerprint") != fingerprint:
        return False
    return all((folder / f["path"]).is_file() and (folder / f["path"]).stat().st_size == f["bytes"]
               for f in manifest.get("files", []))


def _is_image(path: str) -> bool:
    try:
        head = Path(path).read_bytes()[:8]
    except OSError:
        return False
    return head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n")


def _prepare_output(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / f".tingbao-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"cannot write to the output folder {output} ({exc.strerror})") from None


def _write_edition(output: Path, slug: str, article, programme: Programme, settings: Settings, engine, voice,
                   notes, fingerprint: str, choice: str, chunk_count: int, first_built: str | None) -> list[str]:
    staging = output / f".{slug}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        tags = Tags(title=article.title or slug, artist=settings.publication or settings.author,
                    album=settings.series_title, date=article.date or dt.date.today().isoformat()[:4],
                    comment=article.subtitle, genre="Podcast")
        from concurrent.futures import ThreadPoolExecutor

        chapter_ms = T.chapter_ms(programme)
        with ThreadPoolExecutor(2) as pool:  # two ffmpeg processes: the edition and the sections
            whole = pool.submit(encode, programme.chapter_files(), programme.sample_rate, staging / f"{slug}.mp3",
                                tags, chapter_ms, settings.bitrate, settings.cover or None)
            parts = pool.submit(write_sections, programme, staging, slug, tags, settings.bitrate,
                                settings.cover or None)
            whole.result()
            section_files = parts.result()
        sidecars = []
        for index, mp3 in enumerate(section_files):  # what the per-section feed links to
            stem = mp3.removesuffix(".mp3")
            write_atomic(staging / f"{stem}.vtt", T.section_vtt(programme, index))
            write_atomic(staging / f"{stem}.chapters.json", T.section_chapters_json(programme, index))
            sidecars += [f"{stem}.vtt", f"{stem}.chapters.json"]
        write_atomic(staging / "sections.m3u8", playlist(programme, section_files))
        write_atomic(staging / "transcript.vtt", T.vtt(programme))
        write_atomic(staging / "transcript.srt", T.srt(programme))
        write_atomic(staging / "chapters.json", T.chapters_json(programme, article.title))
        write_atomic(staging / "index.html", edition_page(_page_data(article, programme, slug, section_files)))
        names = [f"{slug}.mp3", *section_files, *sidecars, "sections.m3u8", "transcript.vtt", "transcript.srt",
                 "chapters.json",
                 "index.html"]
        manifest = _manifest(article, programme, settings, engine, voice, staging, names, notes, choice)
        manifest["built_at"] = first_built or manifest["built_at"]
        manifest["fingerprint"] = fingerprint
        manifest["chunks"] = chunk_count
        write_atomic(staging / "edition.json", T.edition_json(manifest))
        final = output / slug
        old = output / f".{slug}.old-{os.getpid()}"
        if final.exists():
            os.replace(final, old)
        os.replace(staging, final)
        shutil.rmtree(old, ignore_errors=True)
        write_index(output, editions_for_index(load_editions(output, strict=False), settings.timezone))
        return names + ["edition.json"]
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _page_data(article, programme: Programme, slug: str, section_files: list[str]) -> dict:
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


def _manifest(article, programme: Programme, settings: Settings, engine, voice, folder: Path, names, notes,
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
        "warnings": [{"code": w.code, "lines": w.lines, "message": w.message} for w in article.warnings],
        "notes": notes,
    }


@dataclass
class BatchItem:
    article: str
    result: BuildResult | None = None
    error: str = ""
    exit_code: int = 0


def expand_articles(paths: list[str]) -> list[str]:
    """A directory means every .txt/.md in it (sorted); files are taken as given."""
    out = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.iterdir() if f.suffix.lower() in (".txt", ".md") and f.is_file())
            if not found:
                raise InputError(f"{path}: no .txt or .md articles in this folder")
            out.extend(found)
        else:
            out.append(path)
    return out


def build_many(paths: list[str], settings: Settings, on_progress=None, on_message=lambda m: None,
               on_done=lambda item: None) -> list[BatchItem]:
    """Build several articles sharing one engine (its workers) and the cache; one failure
    does not stop the others."""
    from .engines import choose_engine

    articles = expand_articles(paths)
    engine, choice = choose_engine(settings.engine, model_dir=settings.model_dir or None, lexicon=settings.lexicon,
                                   progress=on_message, volume=settings.volume, pitch=settings.pitch)
    if settings.engine == "auto":
        on_message(f"engine: {choice}")
    items, slugs = [], set()
    for article in articles:
        item = BatchItem(article)
        try:
            item.result = build_edition(article, settings, engine=engine, choice=choice, on_progress=on_progress,
                                        on_message=on_message, avoid_slugs=frozenset(slugs))
            slugs.add(item.result.slug)
        except TingbaoError as exc:
            item.error, item.exit_code = str(exc), exc.exit_code
        except Exception as exc:  # noqa: BLE001 - a bug in one article must not cost the others
            item.error, item.exit_code = f"internal error ({type(exc).__name__}: {exc})", 70
        items.append(item)
        on_done(item)
    return items
