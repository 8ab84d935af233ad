"""build_issue(): the day's articles -> their own editions (as `tingbao build` makes them) -> one
episode for the day in `output/issue-<date>/`: a spoken opener naming the headlines, every
article with a chapter per section, a pause or a sting between articles, a closing line.

The articles' clips come from the cache their own builds just filled, so the day costs only the
opener and closer (and, on a rebuild, whatever article changed).
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

from . import __version__, staging
from .article import Article, Kind, Paragraph, Section
from .assembly import Pauses
from .build import BatchItem, build_each, cached_clip, engine_for, expand_articles, prepare_output, refresh_site_index
from .cache import ClipCache
from .config import Settings
from .daily_assembly import Part, assemble_day, load_sound
from .engines import check_voice
from .engines.base import VoiceSpec
from .errors import InputError, TingbaoError
from .locks import exclusive
from .manifest import up_to_date
from .reading import read_source
from .speech.chunking import make_chunks, segment
from .structure import parse
from .synthesis import SynthesisResult, synthesize_all

WEEKDAYS = "一二三四五六日"
ORDERS = ("file", "size", "config")


@dataclass
class IssueResult:
    folder: Path
    slug: str
    duration: float
    articles: list[str]  # the slugs of the articles in the day's order
    items: list[BatchItem]  # every article's own build
    synthesis: SynthesisResult  # of the day's own chunks (opener, closer) and what the articles left to do
    wall: float
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def synthesized(self) -> int:
        return self.synthesis.synthesized

    @property
    def cached(self) -> int:
        return self.synthesis.cached

    @property
    def engine_calls(self) -> int:
        return self.synthesis.engine_calls


def check_date(value: str) -> dt.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise InputError(f"--date {value!r}: write the day as YYYY-MM-DD, e.g. 2025-11-26")


def opener_lines(series: str, day: dt.date, headlines: list[str]) -> list[str]:
    """Written as a person would print it; the speech rules read the date (二零二五年十一月二十六日)."""
    # a space inside a headline (main title, then a second phrase) is a comma when read out
    named = "；".join(re.sub(r"\s+", "，", h.strip().rstrip("。！？!?；;，, ")) for h in headlines)
    return [f"{series}。", f"{day.year}年{day.month}月{day.day}日，星期{WEEKDAYS[day.weekday()]}。",
            f"今天的内容有：{named}。"]


def closer_lines(series: str, day: dt.date) -> list[str]:
    return [f"以上是{series}{day.year}年{day.month}月{day.day}日的全部内容，感谢收听。"]


def spoken_article(lines: list[str], name: str) -> Article:
    """A made-up article of one lead section, one paragraph a line (a paragraph pause between them)."""
    paragraphs = [Paragraph(Kind.BODY, line, [n]) for n, line in enumerate(lines, 1)]
    return Article(name, "", "", "", "", [Section(0, "", 0, 1, [], paragraphs)], [], [], name)


def order_articles(planned: list[tuple[str, Article]], order: str, settings: Settings) -> list[tuple[str, Article]]:
    if order == "size":  # the longest first, as a front page leads with its main story
        return sorted(planned, key=lambda p: -sum(s.char_count for s in p[1].sections))
    if order == "config":
        names = [n.strip() for n in settings.issue_order.split(",") if n.strip()]

        def rank(p):
            path = Path(p[0])
            hits = [i for i, n in enumerate(names) if n in (path.name, path.stem)]
            return hits[0] if hits else len(names)
        return sorted(planned, key=rank)
    return planned


def day_fingerprint(parts: list[Part], output: Path, settings: Settings, signature: str, title: str | None,
                    day: dt.date, sounds: list[tuple[str, str]]) -> str:
    """Everything the day's files are made from: each article edition's own fingerprint (its source,
    rules, voice and settings) in the day's order, the opener and closer, the sounds, the day's settings."""
    def digest(path: str) -> str:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    editions = [staging.read_manifest(output / part.slug) for part in parts if part.slug]
    data = [__version__, signature, [e.fingerprint if e else None for e in editions],
            [part.slug or " ".join(p.text for p in part.article.sections[0].paragraphs) for part in parts],
            title, day.isoformat(), [(what, digest(path)) for what, path in sounds], settings.bitrate,
            settings.pause_scale, settings.chapter_level, settings.skip_byline, digest(settings.cover)
            if settings.cover else "", settings.series_title, settings.publication, settings.author]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def build_issue(paths: list[str], settings: Settings, date: str, title: str | None = None, order: str = "file",
                engine=None, on_message=lambda m: None, on_done=lambda item: None) -> IssueResult:
    start = time.perf_counter()
    day = check_date(date)
    if order not in ORDERS:
        raise InputError(f"--order {order!r}: use file, size or config")
    if order == "config" and not settings.issue_order.strip(", "):  # before any article is built
        raise InputError("--order config needs [series] issue_order in tingbao.toml (article file names, "
                         "comma-separated)")
    articles = expand_articles(paths)
    sounds = [(what, getattr(settings, what)) for what in ("intro", "outro", "sting") if getattr(settings, what)]
    for what, path in sounds:
        if not Path(path).is_file():
            raise InputError(f"series.{what} {path}: no such file")
    if engine is None:
        engine, choice = engine_for(settings, on_message)
    else:
        choice = f"{engine.name} (given by the caller)"
    voice = check_voice(engine, settings.voice)
    spec = VoiceSpec(voice, settings.rate, settings.volume, settings.pitch)
    items = build_each(articles, settings, engine, choice, on_message=on_message, on_done=on_done)
    built = [(item.article, item.result) for item in items if item.result is not None]
    if not built:
        raise TingbaoError("no article of the day could be built; the day's episode needs at least one")
    signature = engine.signature(spec)
    planned = []
    for path, result in built:  # re-planned (cheap): the clips are in the cache under the same keys
        article = parse(read_source(path))
        segment(article, max_chars=engine.max_chars, speaks_latin=engine.speaks_latin, lexicon=settings.lexicon)
        planned.append((path, article, result.slug))
    by_path = {p: (a, s) for p, a, s in planned}
    ordered = [(p, by_path[p][0]) for p, _ in order_articles([(p, a) for p, a, _ in planned], order, settings)]
    series = settings.series_title or settings.publication
    headlines = [a.title or Path(p).stem for p, a in ordered]
    parts = [Part("开场", spoken_article(opener_lines(series, day, headlines), "opener"), [], "", "opener")]
    parts += [Part(h, a, [], by_path[p][1]) for (p, a), h in zip(ordered, headlines, strict=True)]
    parts.append(Part("结束语", spoken_article(closer_lines(series, day), "closer"), [], "", "closer"))
    for part in parts:
        if part.kind != "article":
            segment(part.article, max_chars=engine.max_chars, speaks_latin=engine.speaks_latin,
                    lexicon=settings.lexicon)
        part.chunks = make_chunks(part.article, engine.max_chars, signature)
    cache = ClipCache(settings.cache_dir or None)
    synth = synthesize_all([c for p in parts for c in p.chunks], engine, spec, cache,
                           jobs=settings.jobs or engine.default_jobs, attempts=settings.attempts,
                           rate_ratio=settings.rate_ratio(), retry_delay=settings.retry_delay)
    output = Path(settings.output)
    slug = f"issue-{day.isoformat()}"
    prepare_output(output)
    with exclusive(output / slug, f"the edition {output / slug}"):
        staging.recover(output, slug)
        staging.remove_stale(output, slug)
        previous = staging.check_replaceable(output / slug)
        fingerprint = day_fingerprint(parts, output, settings, signature, title, day, sounds)
        if up_to_date(output / slug, previous, fingerprint):  # nothing changed: no assembly, no encoding
            return IssueResult(output / slug, slug, previous.duration, [p.slug for p in parts if p.slug], items,
                               synth, time.perf_counter() - start,
                               previous.file_paths(), refresh_site_index(output, settings))
        workdir = output / f".{slug}.work-{os.getpid()}"
        workdir.mkdir()
        try:
            rate = engine.sample_rate
            loaded = {what: load_sound(path, rate, f"series.{what}") for what, path in sounds}
            day_programme = assemble_day(parts, lambda key: cached_clip(cache, key), rate, workdir,
                                         Pauses(scale=settings.pause_scale), settings.chapter_level,
                                         settings.skip_byline, loaded.get("intro"), loaded.get("outro"),
                                         loaded.get("sting"))
            from .daily_outputs import write_issue

            info = {"engine": engine, "voice": voice, "signature": signature, "choice": choice,
                    "notes": sorted(synth.notes), "first_built": previous.built_at if previous else None,
                    "paths": [p for p, _ in ordered], "fingerprint": fingerprint}
            files = write_issue(output, slug, day, title or f"{series} {day.year}年{day.month}月{day.day}日",
                                day_programme, parts, settings, info)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    warnings = refresh_site_index(output, settings)
    return IssueResult(output / slug, slug, day_programme.programme.duration, [p.slug for p in parts if p.slug],
                       items, synth, time.perf_counter() - start,
                       files, warnings)
