"""build_edition(): article -> plan -> chunks -> clips -> programme -> an edition folder.

The folder is written under a temporary name beside its final place and swapped in at
the end, so a failed or interrupted build never leaves a half-written edition.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest as M
from . import staging
from .assembly import Pauses, assemble, assembly_units, chapter_count
from .cache import ClipCache
from .config import Settings
from .editions import load_editions, write_site_index
from .engines import check_voice
from .engines.base import VoiceSpec
from .errors import InputError, TingbaoError, storage_error
from .levelling import GAIN_WINDOW
from .locks import exclusive
from .outputs.artwork import edition_cover
from .outputs.cover import check_cover
from .outputs.stream_encode import ChapterEncoder, encoding_units
from .overlap import Overlap
from .progress import Meter, OnEvent, Phases
from .reading import read_source
from .slugs import make_slug
from .speech.chunking import make_chunks, segment
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
    prepare_output(output)
    with exclusive(output / slug, f"the edition {output / slug}"):
        return _build_locked(article, engine, voice, choice, settings, output, slug, phases, start)


def _build_locked(article, engine, voice, choice, settings: Settings, output: Path, slug: str,
                  phases: Phases, start: float) -> BuildResult:
    spec = VoiceSpec(voice, settings.rate, settings.volume, settings.pitch)
    fingerprint = M.fingerprint(article, engine, spec, settings, slug)
    staging.recover(output, slug)  # the previous edition, if a killed build left it aside
    staging.remove_stale(output, slug)
    current = staging.read_manifest(output / slug)
    if M.up_to_date(output / slug, current, fingerprint):  # nothing changed: no planning, synthesis, encoding
        warnings = refresh_site_index(output, settings)  # a killed build may have swapped without it
        phases.finish()
        return BuildResult(output / slug, slug, current.duration, len(current.chapters), current.chunks or 0,
                           current.chunks or 0, 0, 0, time.perf_counter() - start, current.file_paths(),
                           list(current.notes), warnings)
    previous = staging.check_replaceable(output / slug)  # before any work: never replace what isn't ours
    segment(article, max_chars=engine.max_chars, speaks_latin=engine.speaks_latin, lexicon=settings.lexicon)
    chunks = make_chunks(article, engine.max_chars, engine.signature(spec))
    if not chunks:
        raise InputError(f"{article.source}: nothing to read aloud")
    phases.current.advance()
    meter = phases.start("synthesis", speech_units(chunks))
    cache = ClipCache(settings.cache_dir or None)
    workdir = output / f".{slug}.work-{os.getpid()}"
    workdir.mkdir()
    overlap = encoder = None
    # the cover is drawn beside the tail of assembly, once synthesis is over: its 3000 px canvas
    # (27 MB) drawn during synthesis would add to the voice's peak memory
    art = ThreadPoolExecutor(1, "tingbao-cover")
    try:
        # chapters are joined in a thread as their clips arrive, levelled once the gain window is
        # measured and encoded from then on (levelling.py, outputs/stream_encode.py)
        chapters = chapter_count(article, settings.chapter_level)
        encoder = ChapterEncoder(workdir, engine.sample_rate, settings.bitrate,
                                 lambda: Meter(phases.on_event, "encoding", encoding_units(chapters), phases.article))
        overlap = Overlap(lambda load, progress: assemble(
            article, chunks, load, engine.sample_rate, workdir, Pauses(scale=settings.pause_scale),
            settings.chapter_level, settings.skip_byline, progress,
            on_levelled=encoder.chapter_levelled, gain_window=GAIN_WINDOW),
            lambda key: cached_clip(cache, key),
            lambda: Meter(phases.on_event, "assembly", assembly_units(article, settings.chapter_level),
                          phases.article))
        try:
            synth = synthesize_all(chunks, engine, spec, cache, jobs=settings.jobs or engine.default_jobs,
                                   attempts=settings.attempts, meter=meter, rate_ratio=settings.rate_ratio(),
                                   retry_delay=settings.retry_delay, on_clip=overlap.clip_ready)
        except Exception:  # Ctrl-C goes straight to `finally`
            overlap.cancel()
            overlap.raise_error()  # assembly failed first (a full disk): that is the error, not synthesis
            raise
        cover = art.submit(edition_cover, settings.cover, settings.series_title or settings.publication,
                           article.title or slug, article.date)
        phases.finish()
        phases.current = overlap.meter()  # the encoding phase finishes it
        programme = overlap.finish()
        notes = sorted(synth.notes)
        first_built = previous.built_at if previous else None  # kept: the feed's pubDate
        files = M.write_edition(output, slug, article, programme, settings, engine, spec, notes, fingerprint,
                                choice, len(chunks), first_built, phases, encoder, cover.result())
    finally:
        if overlap is not None:
            overlap.cancel()  # never leave the thread writing into a folder being removed
        if encoder is not None:
            encoder.cancel()
        art.shutdown(cancel_futures=True)
        shutil.rmtree(workdir, ignore_errors=True)
    warnings = refresh_site_index(output, settings)
    phases.finish()
    return BuildResult(output / slug, slug, programme.duration, len(programme.chapters), len(chunks), synth.cached,
                       synth.synthesized, synth.engine_calls, time.perf_counter() - start, files, notes, warnings)


def refresh_site_index(output: Path, settings: Settings) -> list[str]:
    warnings: list[str] = []
    with staging.site_lock(output):
        staging.remove_site_temps(output)
        write_site_index(output, load_editions(output, warnings), settings.timezone, warnings)
    return warnings


def cached_clip(cache: ClipCache, key: str):
    clip = cache.get(key)
    if clip is None:
        raise TingbaoError("a synthesised clip vanished from the cache during the build; run the command again")
    return clip


def prepare_output(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output):  # nameless where the OS allows: nothing a kill can leave
            pass
    except OSError as exc:
        raise InputError(f"cannot write to the output folder {output} ({exc.strerror})") from None


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
    articles = expand_articles(paths)
    check_cover(settings.cover)  # before the engine is chosen (a probe, a model load): fail fast
    engine, choice = engine_for(settings, on_message)
    return build_each(articles, settings, engine, choice, on_event, on_message, on_done)


def engine_for(settings: Settings, on_message=lambda m: None):
    """The configured engine (auto resolved, and the user told which it chose), with why it was chosen."""
    from .engines import choose_engine

    engine, choice = choose_engine(settings.engine, model_dir=settings.model_dir or None, lexicon=settings.lexicon,
                                   progress=on_message)
    if settings.engine == "auto":
        on_message(f"engine: {choice}")
    return engine, choice


def build_each(articles: list[str], settings: Settings, engine, choice: str, on_event: OnEvent | None = None,
               on_message=lambda m: None, on_done=lambda item: None) -> list[BatchItem]:
    """Each article's edition with the one engine; a failure is the item's, never the batch's."""
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
