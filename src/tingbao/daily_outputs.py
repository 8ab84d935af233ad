"""The day's folder: <slug>.mp3 with nested ID3 chapters, transcripts, chapters.json, cover,
index.html and an edition.json in the shape build writes (plus "kind": "issue" and the articles),
so the feed and the site index list the day like any edition."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

from . import __version__, staging
from .assembly import clock
from .config import Settings
from .daily_assembly import DayProgramme, Part
from .edition import EDITION_SCHEMA, from_dict
from .outputs import transcript as T
from .outputs import write_atomic
from .outputs.artwork import edition_cover
from .outputs.mp3 import Tags, encode
from .outputs.nested_chapters import Mark, write_nested_chapters


def chapter_tree(day: DayProgramme) -> list[dict]:
    """Top level: opener, one entry per article with its sections, closer (times in ms)."""
    p = day.programme
    tree = []
    for span in day.parts:
        chapters = p.chapters[span.first:span.last + 1]
        entry = {"title": span.title, "kind": span.kind, "slug": span.slug, "start": p.ms(chapters[0].start),
                 "end": p.ms(chapters[-1].end), "sections": []}
        if span.kind == "article":
            entry["sections"] = [{"title": c.title, "start": p.ms(c.start), "end": p.ms(c.end)} for c in chapters]
        tree.append(entry)
    return tree


def marks(tree: list[dict]) -> list[Mark]:
    return [Mark(e["title"], e["start"], e["end"],
                 [Mark(s["title"], s["start"], s["end"]) for s in e["sections"]]) for e in tree]


def chapters_json(tree: list[dict], title: str) -> str:
    """Podcasting 2.0 JSON chapters (1.2.0) have no nesting: a flat list in time order, each article
    once (its headline at its start), then its sections after the lead as "headline · section"."""
    out = []
    for e in tree:
        out.append({"startTime": e["start"] / 1000, "endTime": e["end"] / 1000, "title": e["title"]})
        for s in e["sections"][1:]:
            out.append({"startTime": s["start"] / 1000, "endTime": s["end"] / 1000,
                        "title": f"{e['title']} · {s['title']}"})
    return json.dumps({"version": "1.2.0", "title": title, "chapters": out}, ensure_ascii=False, indent=1) + "\n"


def page_data(tree: list[dict], day: DayProgramme, slug: str, title: str, series: str, date: str,
              cover: str) -> dict:
    p = day.programme
    entries = [{**e, "clock": clock(e["start"]), "length": clock(e["end"] - e["start"]),
                "sections": [{**s, "clock": clock(s["start"])} for s in e["sections"]]} for e in tree]
    cues = [{"start": a / 1000, "end": b / 1000, "text": c.text} for c, (a, b) in zip(p.cues, p.cue_times(),
                                                                                      strict=True)]
    return {"title": title, "series": series, "date": date, "cover": cover, "mp3": f"{slug}.mp3",
            "duration": p.duration_ms / 1000, "duration_clock": clock(p.duration_ms), "entries": entries,
            "articles": [e for e in entries if e["kind"] == "article"], "cues": cues}


def issue_page(data: dict) -> str:
    from .outputs.player import _env

    return _env().get_template("issue.html").render(**data)


def write_issue(output: Path, slug: str, day: dt.date, title: str, day_programme: DayProgramme, parts: list[Part],
                settings: Settings, info: dict) -> list[str]:
    programme = day_programme.programme
    partial = output / f".{slug}.partial-{os.getpid()}"
    partial.mkdir()
    try:
        series = settings.series_title or settings.publication
        tree = chapter_tree(day_programme)
        tags = Tags(title=title, artist=settings.publication or settings.author, album=settings.series_title,
                    date=day.isoformat(), comment=f"今天的内容：{len(day_programme.parts) - 2}篇")
        cover_name, cover_bytes = edition_cover(settings.cover, series, title, day.isoformat())
        write_atomic(partial / cover_name, cover_bytes)
        encode(programme.chapter_files(), programme.sample_rate, partial / f"{slug}.mp3", tags, [],
               settings.bitrate, str(partial / cover_name))
        write_nested_chapters(partial / f"{slug}.mp3", marks(tree))
        write_atomic(partial / "transcript.vtt", T.vtt(programme))
        write_atomic(partial / "transcript.srt", T.srt(programme))
        write_atomic(partial / "chapters.json", chapters_json(tree, title))
        write_atomic(partial / "index.html", issue_page(page_data(tree, day_programme, slug, title, series,
                                                                  day.isoformat(), cover_name)))
        names = [f"{slug}.mp3", "transcript.vtt", "transcript.srt", "chapters.json", cover_name, "index.html"]
        manifest = _manifest(tree, day_programme, parts, settings, info, partial, names, title, day, cover_name)
        # the one writer of edition.json: the day's is checked and written as every edition is
        write_atomic(partial / "edition.json", from_dict(manifest).to_json())
        staging.swap_in(partial, output / slug)
        return names + ["edition.json"]
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _manifest(tree, day_programme: DayProgramme, parts: list[Part], settings: Settings, info: dict, folder: Path,
              names: list[str], title: str, day: dt.date, cover: str) -> dict:
    p = day_programme.programme
    speech = {}
    for number, (span, part) in enumerate(zip(day_programme.parts, parts, strict=True)):
        spoken = {s.index: s.speech for s in part.article.sentences}
        for cue in span.cues:
            speech[cue] = (number, spoken.get(p.cues[cue].sentence, ""))
    engine = info["engine"]
    built = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    articles = [s.slug for s in day_programme.parts if s.kind == "article"]
    return {
        "schema_version": EDITION_SCHEMA, "tingbao_version": __version__, "built_at": info["first_built"] or built,
        "kind": "issue", "articles": articles,
        "source": {"path": ", ".join(info["paths"]), "sha256": "", "encoding": "utf-8", "format": "issue"},
        "title": title, "kicker": "", "subtitle": f"今天的内容：{len(articles)}篇", "byline": "",
        "date": day.isoformat(),
        "engine": {"name": engine.name, "voice": info["voice"], "rate": settings.rate, "volume": settings.volume,
                   "pitch": settings.pitch, "sample_rate": p.sample_rate, "signature": info["signature"],
                   "choice": info["choice"]},
        "settings": {"bitrate": settings.bitrate, "pause_scale": settings.pause_scale,
                     "chapter_level": settings.chapter_level, "skip_byline": settings.skip_byline},
        "duration": p.duration_ms / 1000, "cover": cover,
        "loudness": {"target_lufs": -19.0, "measured_lufs": round(p.loudness_before, 2), "gain_db": 0.0},
        "chapters": [{"title": e["title"], "start": e["start"] / 1000, "end": e["end"] / 1000, "sections": [],
                      "kind": e["kind"], "slug": e["slug"],
                      "children": [{"title": s["title"], "start": s["start"] / 1000, "end": s["end"] / 1000}
                                   for s in e["sections"]]} for e in tree],
        "sentences": [{"index": i, "section": speech[i][0], "text": c.text, "speech": speech[i][1],
                       "start": a / 1000, "end": b / 1000}
                      for i, (c, (a, b)) in enumerate(zip(p.cues, p.cue_times(), strict=True))],
        "files": [{"path": n, "bytes": (folder / n).stat().st_size,
                   "sha256": hashlib.sha256((folder / n).read_bytes()).hexdigest()} for n in names],
        "skipped": [], "moves": [], "warnings": [], "notes": info["notes"], "fingerprint": info["fingerprint"],
    }
