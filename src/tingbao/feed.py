"""Podcast RSS for a folder of editions (RSS 2.0 + iTunes + Podcasting 2.0 namespaces).

Built with the standard library's ElementTree rather than feedgen: feedgen/podgen only
emit itunes:explicit yes/no/clean (validators now want true/false) and know nothing of
the podcast: namespace. Output is deterministic (same inputs → byte-identical feed).
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from . import state
from .config import Settings
from .editions import Listed, hms, load_editions, published, write_site_index
from .errors import ConfigError, InputError
from .outputs import write_atomic
from .outputs.artwork import SERIES_COVER, series_cover

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
    "podcast": "https://podcastindex.org/namespace/1.0",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
PODCAST_GUID_NS = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")  # Podcasting 2.0 spec
EDITION_GUID_NS = uuid.UUID("6f1d6f4e-2a1b-5c2e-9d3a-74696e676261")  # tingbao's own namespace for item guids
_ROLE_WORDS = {"记者", "本报记者", "通讯员", "本报通讯员", "特约记者", "实习生", "撰文", "文", "图", "作者", "本报讯",
               "新华社记者", "摄", "报道"}


def q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def podcast_guid(feed_url: str) -> str:
    """UUIDv5 of the feed URL without scheme and trailing slashes (podcast:guid)."""
    return str(uuid.uuid5(PODCAST_GUID_NS, re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url).rstrip("/")))


def edition_guid(slug: str) -> str:
    """Never changes when the edition is rebuilt or republished, or when the base URL moves."""
    return str(uuid.uuid5(EDITION_GUID_NS, slug))


def byline_names(byline: str) -> list[str]:
    """□ 记者 周明远 通讯员 林晓雪 → [周明远, 林晓雪]."""
    text = re.sub(r"[□■◇◆●★（）()【】\[\]：:/／|｜,，、]", " ", byline)
    names = []
    for token in text.split():
        for role in sorted(_ROLE_WORDS, key=len, reverse=True):
            if token.startswith(role) and len(token) > len(role):
                token = token[len(role):]
        if token not in _ROLE_WORDS and re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", token) and token not in names:
            names.append(token)
    return names


def _required(settings: Settings) -> None:
    for key, value in (("base_url", settings.base_url), ("title", settings.series_title),
                       ("description", settings.description), ("author", settings.author),
                       ("email", settings.email)):
        if not value:
            where = "--base-url or " if key == "base_url" else ""
            raise ConfigError(f"the feed needs {where}series.{key} in tingbao.toml")
    if not re.match(r"^https?://[^\s/]+", settings.base_url):
        raise ConfigError(f"--base-url {settings.base_url!r}: use an http(s) URL such as https://example.com/podcast")


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-") if k != "rel" else k: v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _channel(rss, settings: Settings, feed_url: str, title: str) -> ET.Element:
    channel = _sub(rss, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", settings.link or settings.base_url)
    _sub(channel, "description", settings.description)
    _sub(channel, "language", "zh-cn")
    _sub(channel, q("atom", "link"), href=feed_url, rel="self", type="application/rss+xml")
    _sub(channel, q("itunes", "author"), settings.author)
    owner = _sub(channel, q("itunes", "owner"))
    _sub(owner, q("itunes", "name"), settings.author)
    _sub(owner, q("itunes", "email"), settings.email)
    image = channel_image(settings)
    _sub(channel, q("itunes", "image"), href=image)
    logo = _sub(channel, "image")  # RSS 2.0's own artwork element, for readers that know no iTunes tags
    _sub(logo, "url", image)
    _sub(logo, "title", title)
    _sub(logo, "link", settings.link or settings.base_url)
    # itunes:category carries its name in an attribute called "text"
    category = ET.SubElement(channel, q("itunes", "category"), {"text": settings.category})
    if settings.subcategory:
        ET.SubElement(category, q("itunes", "category"), {"text": settings.subcategory})
    _sub(channel, q("itunes", "explicit"), "true" if settings.explicit else "false")
    _sub(channel, q("podcast", "guid"), podcast_guid(feed_url))
    _sub(channel, q("podcast", "locked"), "yes" if settings.locked else "no", owner=settings.email)
    return channel


def channel_image(settings: Settings) -> str:
    """[series] image (a URL or a file in the output folder), else the series cover publish generates."""
    image = settings.image or SERIES_COVER
    return image if re.match(r"^https?://", image) else f"{settings.base_url}/{image}"


def _item(listed: Listed, settings: Settings, base: str, *, title: str, guid: str, mp3: str, duration: float,
          chapters: list[tuple[float, str]], chapters_url: str, transcripts: list[tuple[str, str]]) -> ET.Element:
    """`chapters`: (start, title) of each chapter the item's audio holds."""
    edition = listed.edition
    item = ET.Element("item")
    _sub(item, "title", title)
    summary = edition.summary()
    lines = [f"{hms(start - chapters[0][0])} {name}" for start, name in chapters]
    _sub(item, "description", "\n".join([summary, "", *lines]).strip())
    notes = f"<p>{html.escape(summary)}</p><p>{'<br/>'.join(html.escape(line) for line in lines)}</p>"
    _sub(item, q("content", "encoded"), notes)  # show notes with the chapter list (Apple reads this)
    _sub(item, "guid", guid, isPermaLink="false")
    _sub(item, "pubDate", format_datetime(published(edition, settings.timezone)))
    size = (listed.folder / mp3).stat().st_size
    _sub(item, "enclosure", url=f"{base}/{mp3}", length=str(size), type="audio/mpeg")
    _sub(item, q("itunes", "duration"), str(round(duration * 1000) // 1000))
    _sub(item, q("itunes", "episodeType"), "full")
    if edition.cover and (listed.folder / edition.cover).is_file():
        _sub(item, q("itunes", "image"), href=f"{base}/{edition.cover}")
    _sub(item, q("itunes", "explicit"), "true" if settings.explicit else "false")
    _sub(item, q("podcast", "chapters"), url=chapters_url, type="application/json+chapters")
    for url, kind in transcripts:
        attrs = {"url": url, "type": kind}
        if kind == "text/vtt":
            attrs["rel"] = "captions"
        _sub(item, q("podcast", "transcript"), **attrs)
    for name in byline_names(edition.byline):
        _sub(item, q("podcast", "person"), name, group="writing", role="author")
    return item


def _edition_items(listed: Listed, settings: Settings) -> list[ET.Element]:
    edition, slug = listed.edition, listed.slug
    base = f"{settings.base_url}/{slug}"
    return [_item(listed, settings, base, title=edition.title or slug, guid=edition_guid(slug), mp3=f"{slug}.mp3",
                  duration=edition.duration, chapters=[(c.start, c.title) for c in edition.chapters],
                  chapters_url=f"{base}/chapters.json",
                  transcripts=[(f"{base}/transcript.vtt", "text/vtt"),
                               (f"{base}/transcript.srt", "application/x-subrip")])]


def _section_items(listed: Listed, settings: Settings) -> list[ET.Element]:
    """One item per chapter: its section MP3 with its own chapters file and transcript slice
    (written by the build next to the section MP3)."""
    edition, slug = listed.edition, listed.slug
    base = f"{settings.base_url}/{slug}"
    items = []
    for number, chapter in enumerate(edition.chapters, 1):
        stem = (chapter.file or f"sections/{number:02d}-{slug}.mp3").removesuffix(".mp3")
        if not (listed.folder / f"{stem}.vtt").is_file():
            raise InputError(f"{listed.folder}: no per-section transcripts (built by an older tingbao); rebuild it")
        items.append(_item(listed, settings, base, title=f"{edition.title} · {chapter.title}",
                           guid=str(uuid.uuid5(uuid.UUID(edition_guid(slug)), f"section-{number}")),
                           mp3=f"{stem}.mp3", duration=chapter.end - chapter.start,
                           chapters=[(chapter.start, chapter.title)],
                           chapters_url=f"{base}/{stem}.chapters.json",
                           transcripts=[(f"{base}/{stem}.vtt", "text/vtt")]))
    return items


@dataclass
class PublishResult:
    feed: Path
    items: int
    kept: int  # items kept from the previous feed whose edition folder is gone
    section_feed: Path | None = None
    warnings: list[str] = field(default_factory=list)  # editions skipped, one line each


def publish_feed(output: str | Path, settings: Settings, per_section: bool = False,
                 prune: bool = False) -> PublishResult:
    output = Path(output)
    if not output.is_dir():
        raise InputError(f"{output}: no such output folder (build an edition first)")
    settings.base_url = settings.base_url.rstrip("/")
    _required(settings)
    from .locks import exclusive
    from .staging import recover_all, remove_site_temps, site_lock

    with exclusive(output / "feed.xml", f"the feed {output / 'feed.xml'}"):
        recover_all(output)  # editions a killed build left aside
        with site_lock(output):
            remove_site_temps(output)
            return _publish(output, settings, per_section, prune)


def _publish(output: Path, settings: Settings, per_section: bool, prune: bool) -> PublishResult:
    warnings: list[str] = []
    editions = load_editions(output, warnings)
    if not settings.image:  # Apple refuses a show without artwork: make one, and say so
        write_atomic(output / SERIES_COVER, series_cover(settings.series_title, settings.publication or
                                                         settings.author))
        warnings.append(f"the series has no image ([series] image in tingbao.toml): the feed uses a generated "
                        f"cover, {output / SERIES_COVER}")
    feeds = [("feed.xml", _edition_items, settings.series_title)]
    if per_section:
        feeds.append(("feed-sections.xml", _section_items, f"{settings.series_title}（分节）"))
    built = [_make_feed(output, name, settings, *_listed_in(name, editions, settings.items), make, title, prune,
                        warnings) for name, make, title in feeds]
    for (name, _, _), (_, items, _) in zip(feeds, built, strict=True):
        state.save(output, name, items)  # first: the state always holds at least what a feed holds
    for (name, _, _), (rss, _, _) in zip(feeds, built, strict=True):
        write_atomic(output / name, ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n")
    write_site_index(output, editions, settings.timezone, warnings)
    section_feed = output / "feed-sections.xml" if per_section else None
    return PublishResult(output / "feed.xml", len(editions), built[0][2], section_feed, warnings)


def _is_issue(listed: Listed) -> bool:
    """A day's episode (`tingbao issue`)."""
    return listed.edition.is_issue


def _listed_in(name: str, editions: list, items: str) -> tuple[list, frozenset[str]]:
    """[series] items chooses what feed.xml lists (the day's episodes, the articles, or both); the
    per-section feed lists articles only. Also the guids of the editions left out, whose earlier
    items must not be kept as if their folder were gone."""
    wanted = items if name == "feed.xml" else "articles"
    shown = [e for e in editions if wanted == "both" or _is_issue(e) == (wanted == "issue")]
    return shown, frozenset(edition_guid(e.slug) for e in editions if e not in shown)


def _make_feed(output: Path, name: str, settings: Settings, editions, hidden: frozenset[str], make_items, title: str,
               prune: bool, warnings: list[str]) -> tuple[ET.Element, list[ET.Element], int]:
    """The feed document, its items, and how many of them were kept from before."""
    feed_url = f"{settings.base_url}/{name}"
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _channel(rss, settings, feed_url, title)
    items = []
    for edition in editions:
        try:
            items += make_items(edition, settings)
        except (InputError, OSError, ValueError, KeyError, TypeError) as exc:  # its old item is kept below
            warnings.append(f"{edition.folder}: skipped in {name} ({exc})")
    fresh = {item.findtext("guid") for item in items}
    kept = 0
    if not prune:  # keep items whose edition folder is gone (or broken), unless --prune
        for old in state.previous_items(output, name):
            if old.findtext("guid") not in fresh | hidden:
                items.append(old)
                fresh.add(old.findtext("guid"))
                kept += 1
    items.sort(key=lambda i: (_item_date(i), i.findtext("guid") or ""), reverse=True)
    channel.extend(items)
    state.clean_tree(rss)
    stored = [copy.deepcopy(item) for item in items]
    ET.indent(rss, space=" ")
    return rss, stored, kept


def _item_date(item: ET.Element) -> dt.datetime:
    try:
        when = parsedate_to_datetime(item.findtext("pubDate") or "")
    except (TypeError, ValueError):
        when = dt.datetime.min
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)  # "-0000" parses naive
