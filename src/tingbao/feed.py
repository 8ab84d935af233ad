"""Podcast RSS for a folder of editions (RSS 2.0 + iTunes + Podcasting 2.0 namespaces).

Built with the standard library's ElementTree rather than feedgen: feedgen/podgen only
emit itunes:explicit yes/no/clean (validators now want true/false) and know nothing of
the podcast: namespace. Output is deterministic (same inputs → byte-identical feed).
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from .config import Settings
from .errors import ConfigError, InputError
from .outputs import write_atomic

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


@dataclass
class Edition:
    folder: Path
    manifest: dict

    @property
    def slug(self) -> str:
        return self.folder.name


def load_editions(output: Path, strict: bool = True) -> list[Edition]:
    """Every edition folder's manifest; a broken one is an error (strict) or skipped."""
    editions = []
    for folder in sorted(p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")):
        path = folder / "edition.json"
        if not path.is_file():
            continue
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            manifest["title"], manifest["chapters"], manifest["files"]  # noqa: B018 - the fields we need
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            if not strict:
                continue
            raise InputError(f"{path}: not a valid edition.json (rebuild that edition or remove its folder)") from None
        editions.append(Edition(folder, manifest))
    return editions


def _required(settings: Settings) -> None:
    for key, value in (("base_url", settings.base_url), ("title", settings.series_title),
                       ("description", settings.description), ("author", settings.author),
                       ("email", settings.email)):
        if not value:
            where = "--base-url or " if key == "base_url" else ""
            raise ConfigError(f"the feed needs {where}series.{key} in tingbao.toml")
    if not re.match(r"^https?://[^\s/]+", settings.base_url):
        raise ConfigError(f"--base-url {settings.base_url!r}: use an http(s) URL such as https://example.com/podcast")


def published(manifest: dict, timezone: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", manifest.get("date") or ""):
        return dt.datetime.fromisoformat(manifest["date"]).replace(hour=6, tzinfo=zone)
    return dt.datetime.fromisoformat(manifest["built_at"]).astimezone(zone)


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


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
    if settings.image:
        image = settings.image if re.match(r"^https?://", settings.image) else f"{settings.base_url}/{settings.image}"
        _sub(channel, q("itunes", "image"), href=image)
    # itunes:category carries its name in an attribute called "text"
    category = ET.SubElement(channel, q("itunes", "category"), {"text": settings.category})
    if settings.subcategory:
        ET.SubElement(category, q("itunes", "category"), {"text": settings.subcategory})
    _sub(channel, q("itunes", "explicit"), "true" if settings.explicit else "false")
    _sub(channel, q("podcast", "guid"), podcast_guid(feed_url))
    _sub(channel, q("podcast", "locked"), "yes" if settings.locked else "no", owner=settings.email)
    return channel


def _item(edition: Edition, settings: Settings, base: str, *, title: str, guid: str, mp3: str, duration: float,
          chapters: list[dict], chapters_url: str, transcripts: list[tuple[str, str]]) -> ET.Element:
    m = edition.manifest
    item = ET.Element("item")
    _sub(item, "title", title)
    summary = m.get("subtitle") or next((s["text"] for s in m.get("sentences", []) if s.get("section", 0) > 0), "")
    lines = [f"{_hms(c['start'] - chapters[0]['start'])} {c['title']}" for c in chapters]
    _sub(item, "description", "\n".join([summary, "", *lines]).strip())
    notes = f"<p>{html.escape(summary)}</p><p>{'<br/>'.join(html.escape(line) for line in lines)}</p>"
    _sub(item, q("content", "encoded"), notes)  # show notes with the chapter list (Apple reads this)
    _sub(item, "guid", guid, isPermaLink="false")
    _sub(item, "pubDate", format_datetime(published(m, settings.timezone)))
    size = (edition.folder / mp3).stat().st_size
    _sub(item, "enclosure", url=f"{base}/{mp3}", length=str(size), type="audio/mpeg")
    _sub(item, q("itunes", "duration"), str(int(round(duration))))
    _sub(item, q("itunes", "episodeType"), "full")
    _sub(item, q("itunes", "explicit"), "true" if settings.explicit else "false")
    _sub(item, q("podcast", "chapters"), url=chapters_url, type="application/json+chapters")
    for url, kind in transcripts:
        attrs = {"url": url, "type": kind}
        if kind == "text/vtt":
            attrs["rel"] = "captions"
        _sub(item, q("podcast", "transcript"), **attrs)
    for name in byline_names(m.get("byline", "")):
        _sub(item, q("podcast", "person"), name, group="writing", role="author")
    return item


def _edition_items(edition: Edition, settings: Settings) -> list[ET.Element]:
    m, slug = edition.manifest, edition.slug
    base = f"{settings.base_url}/{slug}"
    return [_item(edition, settings, base, title=m["title"] or slug, guid=edition_guid(slug), mp3=f"{slug}.mp3",
                  duration=m["duration"], chapters=m["chapters"], chapters_url=f"{base}/chapters.json",
                  transcripts=[(f"{base}/transcript.vtt", "text/vtt"),
                               (f"{base}/transcript.srt", "application/x-subrip")])]


def _section_items(edition: Edition, settings: Settings) -> list[ET.Element]:
    """One item per chapter: its section MP3 with its own chapters file and transcript slice
    (written by the build next to the section MP3)."""
    m, slug = edition.manifest, edition.slug
    base = f"{settings.base_url}/{slug}"
    items = []
    for number, chapter in enumerate(m["chapters"], 1):
        stem = f"sections/{number:02d}-{slug}"
        start, end = chapter["start"], chapter["end"]
        if not (edition.folder / f"{stem}.vtt").is_file():
            raise InputError(f"{edition.folder}: no per-section transcripts (built by an older tingbao); rebuild it")
        items.append(_item(edition, settings, base, title=f"{m['title']} · {chapter['title']}",
                           guid=str(uuid.uuid5(uuid.UUID(edition_guid(slug)), f"section-{number}")),
                           mp3=f"{stem}.mp3", duration=end - start,
                           chapters=[{"start": start, "title": chapter["title"]}],
                           chapters_url=f"{base}/{stem}.chapters.json",
                           transcripts=[(f"{base}/{stem}.vtt", "text/vtt")]))
    return items


@dataclass
class PublishResult:
    feed: Path
    items: int
    kept: int  # items kept from the previous feed whose edition folder is gone
    section_feed: Path | None = None


def publish_feed(output: str | Path, settings: Settings, per_section: bool = False,
                 prune: bool = False) -> PublishResult:
    output = Path(output)
    if not output.is_dir():
        raise InputError(f"{output}: no such output folder (build an edition first)")
    settings.base_url = settings.base_url.rstrip("/")
    _required(settings)
    from .locks import exclusive

    with exclusive(output / "feed.xml", f"the feed {output / 'feed.xml'}"):
        return _publish(output, settings, per_section, prune)


def _publish(output: Path, settings: Settings, per_section: bool, prune: bool) -> PublishResult:
    editions = load_editions(output)
    feed, kept = _write_feed(output / "feed.xml", settings, editions, _edition_items, settings.series_title, prune)
    section_feed = None
    if per_section:
        section_feed, _ = _write_feed(output / "feed-sections.xml", settings, editions, _section_items,
                                      f"{settings.series_title}（分节）", prune)
    from .outputs.player import write_index

    write_index(output, editions_for_index(editions, settings.timezone), feed_name="feed.xml")
    return PublishResult(feed, sum(1 for _ in editions), kept, section_feed)


def editions_for_index(editions: list[Edition], timezone: str) -> list[dict]:
    rows = [{"slug": e.slug, "title": e.manifest["title"], "subtitle": e.manifest.get("subtitle", ""),
             "duration": _hms(e.manifest["duration"]), "published": published(e.manifest, timezone)} for e in editions]
    return sorted(rows, key=lambda r: (r["published"], r["slug"]), reverse=True)


def _write_feed(path: Path, settings: Settings, editions, make_items, title: str, prune: bool) -> tuple[Path, int]:
    feed_url = f"{settings.base_url}/{path.name}"
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _channel(rss, settings, feed_url, title)
    items = [item for edition in editions for item in make_items(edition, settings)]
    fresh = {item.findtext("guid") for item in items}
    kept = 0
    if path.is_file() and not prune:  # keep items whose edition folder is gone, unless --prune
        try:
            previous = ET.parse(path).getroot().find("channel")
        except ET.ParseError:
            previous = None
        for old in previous.findall("item") if previous is not None else []:
            if old.findtext("guid") not in fresh:
                items.append(copy.deepcopy(old))
                kept += 1
    items.sort(key=lambda i: (parsedate_to_datetime(i.findtext("pubDate")), i.findtext("guid")), reverse=True)
    channel.extend(items)
    ET.indent(rss, space=" ")
    data = ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
    write_atomic(path, data)
    return path, kept
