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
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, staging
from . import manifest as M
from .assembly import Pauses, Programme, assemble, assembly_units
from .cache import ClipCache
from .config import Settings
from .editions import load_editions, write_site_index
from .engines import check_voice
from .engines.base import VoiceSpec
from .errors import InputError, TingbaoError, storage_error
from .locks import exclusive
from .outputs import transcript as T
from .outputs import write_atomic
from .outputs.artwork import edition_cover
from .outputs.cover import check_cover
from .outputs.mp3 import Tags, encode
from .outputs.player import edition_page, page_data
from .outputs.sections import playlist, write_sections
from .progress import OnEvent, Phases
from .reading import read_source
from .slugs import make_slug
from .speech.chunking import make_chunks, segment
from .speech.normalize import NORMALIZER_VERSION
from .structure import parse
from .synthesis import speech_units, synthesize_all


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
    warnings: list[str] = field(default_factory=list)  # other editions of the folder skipped, one line each


def _check_slug(slug: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug):
        raise InputError(f"--slug {slug!r}: use lowercase ASCII letters, digits and dashes")
    return slug


def build_edition(article_path: str, settings: Settings, engine=None, on_event: OnEvent | None = None,
                  on_message=lambda m: None, choice: str | None = None,
                  avoid_slugs: frozenset[str] = frozenset()) -> BuildResult:
    """`on_event` hears the build's progress.Phase* events (plan, synthesis, assembly, encoding, outputs)."""
    start = time.perf_counter()
    check_cover(settings.cover)
    phases = Phases(on_event, article_path)
    plan = phases.start("plan", 2)  # the structure, then the chunks
    source = read_source(article_path)
    article = parse(source)  # enough for the title, hence the slug
    M.check_metadata(article, source.text)
    plan.advance()
    if engine is not None:
        choice = choice or f"{engine.name} (given by the caller)"
    else:
        from .engines import choose_engine  # looked up at call time: tests put a fake engine there

        engine, choice = choose_engine(settings.engine, model_dir=settings.model_dir or None,
                                       lexicon=settings.lexicon, progress=on_message)
        if settings.engine == "auto":
            on_message(f"engine: {choice}")
    voice = check_voice(engine, settings.voice)
    output = Path(settings.output)
    slug = _check_slug(settings.slug) if settings.slug else make_slug(article.title or Path(article_path).stem)
    base, n = slug, 1
    while slug in avoid_slugs:  # two articles of one batch with the same title
        n += 1
        slug = f"{base}-{n}"
    _prepare_output(output)
    with exclusive(output / slug, f"the edition {output / slug}"):
        return _build_locked(article, engine, voice, choice, settings, output, slug, phases, start)


def _build_locked(article, engine, voice, choice, settings: Settings, output: Path, slug: str,
                  phases: Phases, start: float) -> BuildResult:
    spec = VoiceSpec(voice, settings.rate, settings.volume, settings.pitch)
    fingerprint = _fingerprint(article, engine, spec, settings, slug)
    staging.recover(output, slug)  # the previous edition, if a killed build left it aside
    staging.remove_stale(output, slug)
    current = staging.read_manifest(output / slug)
    if _up_to_date(output / slug, current, fingerprint):  # nothing changed: no planning, synthesis, encoding
        warnings = _write_index(output, settings)  # a killed build may have swapped without it
        phases.finish()
        return BuildResult(output / slug, slug, current["duration"], len(current["chapters"]),
                           current.get("chunks", 0), current.get("chunks", 0), 0, 0, time.perf_counter() - start,
                           [f["path"] for f in current["files"]] + ["edition.json"], current.get("notes", []),
                           warnings)
    previous = staging.check_replaceable(output / slug)  # before any work: never replace what isn't ours
    segment(article, max_chars=engine.max_chars, speaks_latin=engine.speaks_latin, lexicon=settings.lexicon)
    chunks = make_chunks(article, engine.max_chars, engine.signature(spec))
    if not chunks:
        raise InputError(f"{article.source}: nothing to read aloud")
    phases.current.advance()
    meter = phases.start("synthesis", speech_units(chunks))
    cache = ClipCache(settings.cache_dir or None)
    synth = synthesize_all(chunks, engine, spec, cache, jobs=settings.jobs or engine.default_jobs,
                           attempts=settings.attempts, meter=meter, rate_ratio=settings.rate_ratio(),
                           retry_delay=settings.retry_delay)
    workdir = output / f".{slug}.work-{os.getpid()}"
    workdir.mkdir()
    try:
        meter = phases.start("assembly", assembly_units(article, settings.chapter_level))
        programme = assemble(article, chunks, lambda key: _cached_clip(cache, key), engine.sample_rate, workdir,
                             Pauses(scale=settings.pause_scale), settings.chapter_level, settings.skip_byline, meter)
        notes = sorted(synth.notes)
        first_built = previous.get("built_at") if previous else None  # kept: the feed's pubDate
        files = _write_edition(output, slug, article, programme, settings, engine, voice, notes, fingerprint,
                               choice, len(chunks), first_built, phases)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    warnings = _write_index(output, settings)
    phases.finish()
    return BuildResult(output / slug, slug, programme.duration, len(programme.chapters), len(chunks), synth.cached,
                       synth.synthesized, synth.engine_calls, time.perf_counter() - start, files, notes, warnings)


def _write_index(output: Path, settings: Settings) -> list[str]:
    warnings: list[str] = []
    with staging.site_lock(output):
        staging.remove_site_temps(output)
        write_site_index(output, load_editions(output, warnings), settings.timezone, warnings)
    return warnings


def _cached_clip(cache: ClipCache, key: str):
    clip = cache.get(key)
    if clip is None:
        raise TingbaoError("a synthesised clip vanished from the cache during the build; run the command again")
    return clip


def _fingerprint(article, engine, spec: VoiceSpec, settings: Settings, slug: str) -> str:
    """Everything the edition's files are made from (the source bytes, the versions of every rule,
    the engine's voice signature, the settings), so an unchanged rebuild stops before planning."""
    cover = hashlib.sha256(Path(settings.cover).read_bytes()).hexdigest() if settings.cover else ""
    data = [__version__, NORMALIZER_VERSION, article.source_sha256, engine.signature(spec),
            engine.max_chars, engine.speaks_latin, sorted(settings.lexicon.items()), slug, settings.bitrate,
            settings.pause_scale, settings.chapter_level, settings.skip_byline, cover, settings.series_title,
            settings.publication, settings.author]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def _up_to_date(folder: Path, manifest: dict | None, fingerprint: str) -> bool:
    """The edition was made from exactly these inputs and every file it lists is intact."""
    if manifest is None or manifest.get("fingerprint") != fingerprint:
        return False
    return all((folder / f["path"]).is_file() and (folder / f["path"]).stat().st_size == f["bytes"]
               for f in manifest.get("files", []))


def _prepare_output(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output):  # nameless where the OS allows: nothing a kill can leave
            pass
    except OSError as exc:
        raise InputError(f"cannot write to the output folder {output} ({exc.strerror})") from None


def _write_edition(output: Path, slug: str, article, programme: Programme, settings: Settings, engine, voice,
                   notes, fingerprint: str, choice: str, chunk_count: int, first_built: str | None,
                   phases: Phases) -> list[str]:
    partial = output / f".{slug}.partial-{os.getpid()}"
    partial.mkdir()  # stale ones were removed under the lock
    try:
        tags = Tags(title=article.title or slug, artist=settings.publication or settings.author,
                    album=settings.series_title, date=article.date or dt.date.today().isoformat()[:4],
                    comment=article.subtitle, genre="Podcast")
        from concurrent.futures import ThreadPoolExecutor

        chapter_ms = programme.chapter_times()
        series = settings.series_title or settings.publication
        cover_name, cover_bytes = edition_cover(settings.cover, series, article.title or slug, article.date)
        write_atomic(partial / cover_name, cover_bytes)  # beside the edition, and embedded in every MP3
        cover = str(partial / cover_name)
        encoding = phases.start("encoding", 2 * programme.chapters[-1].end)  # every sample, twice
        with ThreadPoolExecutor(2) as pool:  # two ffmpeg processes: the edition and the sections
            whole = pool.submit(encode, programme.chapter_files(), programme.sample_rate, partial / f"{slug}.mp3",
                                tags, chapter_ms, settings.bitrate, cover, encoding.advance)
            parts = pool.submit(write_sections, programme, partial, tags, settings.bitrate, cover, encoding.advance)
            whole.result()
            section_files = parts.result()
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
        manifest = M.manifest(article, programme, settings, engine, voice, partial, names, notes, choice,
                              section_files, cover_name)
        manifest["built_at"] = first_built or manifest["built_at"]
        manifest["fingerprint"] = fingerprint
        manifest["chunks"] = chunk_count
        write_atomic(partial / "edition.json", T.edition_json(manifest))
        staging.swap_in(partial, output / slug)
        return names + ["edition.json"]
    except BaseException:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        raise


@dataclass
class BatchItem:
    article: str
    result: BuildResult | None = None
    error: str = ""
    exit_code: int = 0


ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xhtml", ".mhtml", ".mht")


def expand_articles(paths: list[str]) -> list[str]:
    """A directory means every article in it (.txt, .md, saved web pages; sorted); files are taken as given."""
    out = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.iterdir() if f.suffix.lower() in ARTICLE_SUFFIXES and f.is_file())
            if not found:
                raise InputError(f"{path}: no .txt, .md or .html articles in this folder")
            out.extend(found)
        else:
            out.append(path)
    return out


def build_many(paths: list[str], settings: Settings, on_event: OnEvent | None = None, on_message=lambda m: None,
               on_done=lambda item: None) -> list[BatchItem]:
    """Build several articles sharing one engine (its workers) and the cache; one failure
    does not stop the others."""
    from .engines import choose_engine

    articles = expand_articles(paths)
    check_cover(settings.cover)  # before the engine is chosen (a probe, a model load): fail fast
    engine, choice = choose_engine(settings.engine, model_dir=settings.model_dir or None, lexicon=settings.lexicon,
                                   progress=on_message)
    if settings.engine == "auto":
        on_message(f"engine: {choice}")
    items, slugs = [], set()
    for article in articles:
        item = BatchItem(article)
        try:
            item.result = build_edition(article, settings, engine=engine, choice=choice, on_event=on_event,
                                        on_message=on_message, avoid_slugs=frozenset(slugs))
            slugs.add(item.result.slug)
        except TingbaoError as exc:
            item.error, item.exit_code = str(exc), exc.exit_code
        except OSError as exc:  # a full disk or a read-only folder is the user's (exit 74), not a bug
            error = storage_error(exc, "the output")
            if error is None:
                item.error, item.exit_code = f"internal error ({type(exc).__name__}: {exc})", 70
            else:
                item.error, item.exit_code = str(error), error.exit_code
        except Exception as exc:  # noqa: BLE001 - a bug in one article must not cost the others
            item.error, item.exit_code = f"internal error ({type(exc).__name__}: {exc})", 70
        items.append(item)
        on_done(item)
    return items
