"""index.html for an edition (player, chapters, live transcript) and for the output folder.

jinja2 with autoescaping; the page data goes in as JSON through `tojson`, which escapes
<, >, & and ', so article text can never close the script element. No CDN, no fonts:
the page works from a folder on a laptop. Every time on the page is made from the
edition's one millisecond value per point (assembly.to_ms), like the tags and the feed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..article import Kind
from ..assembly import Programme, clock
from . import write_atomic

# layout marks a newspaper sets before a byline or a dateline (□ 记者 …): not part of any name
_BOXES = re.compile(r"[□■◇◆●○◎★☆▲△▼▽]+")
_TRANSCRIPT_KINDS = {Kind.HEADLINE: "headline", Kind.KICKER: "kicker", Kind.SUBTITLE: "subtitle",
                     Kind.BYLINE: "byline", Kind.HEADING: "heading", Kind.SUBHEAD: "subhead",
                     Kind.LIST_ITEM: "item"}


def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("tingbao", "templates"), autoescape=select_autoescape(["html"]),
                       keep_trailing_newline=True)


def clean_byline(byline: str) -> str:
    return " ".join(_BOXES.sub(" ", byline).split())


def page_data(article, programme: Programme, slug: str, section_files: list[str], *, series: str = "",
              date: str = "", cover: str = "") -> dict:
    """What edition.html shows. Paragraphs carry their kind, so headings are set as headings; each
    chapter names its first sentence (its heading), which a jump to the chapter highlights."""
    kind_of = {}
    for section in article.sections:
        for number, paragraph in enumerate(section.paragraphs):
            kind_of[(section.index, number)] = (paragraph.kind, section.level)
    where = {s.index: (s.section, s.paragraph) for s in article.sentences}
    sentences: list[dict] = []
    paragraphs: list[dict] = []
    last = None
    for position, (cue, (start, end)) in enumerate(zip(programme.cues, programme.cue_times(), strict=True)):
        if where[cue.sentence] != last:
            last = where[cue.sentence]
            kind, level = kind_of.get(last, (Kind.BODY, 1))
            paragraphs.append({"kind": _TRANSCRIPT_KINDS.get(kind, "body"), "level": max(1, level),
                               "sentences": []})
        text = clean_byline(cue.text) if paragraphs[-1]["kind"] == "byline" else cue.text
        entry = {"index": position, "text": text, "start": start / 1000, "end": end / 1000}
        sentences.append(entry)
        paragraphs[-1]["sentences"].append(entry)
    chapters = []
    times = programme.chapter_times()
    for number, ((title, start, end), chapter, file) in enumerate(
            zip(times, programme.chapters, section_files, strict=True), 1):
        first = next((i for i, cue in enumerate(programme.cues) if chapter.start <= cue.start < chapter.end), -1)
        chapters.append({"number": number, "title": title, "start": start / 1000, "end": end / 1000, "file": file,
                         "clock": clock(start), "length": clock(end - start), "first": first})
    total = programme.duration_ms
    return {"title": article.title or slug, "subtitle": article.subtitle, "byline": clean_byline(article.byline),
            "kicker": article.kicker, "series": series, "date": date, "cover": cover, "mp3": f"{slug}.mp3",
            "duration": total / 1000, "duration_clock": clock(total), "chapters": chapters, "sentences": sentences,
            "paragraphs": paragraphs}


def edition_page(data: dict) -> str:
    """data: from page_data()."""
    return _env().get_template("edition.html").render(**data)


def write_index(output: Path, editions: list[dict], feed_name: str = "feed.xml") -> None:
    html = _env().get_template("index.html").render(
        editions=editions, feed=feed_name if (output / feed_name).is_file() else None)
    write_atomic(output / "index.html", html)
