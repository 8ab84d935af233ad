"""Artwork everywhere a podcast app looks: the MP3s (APIC), beside the edition, the feed (channel and
item itunes:image, channel <image>), read back by feedparser and podcast-partytime."""

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import pytest
from mutagen.id3 import ID3
from PIL import Image

from tingbao.build import build_edition
from tingbao.config import Settings
from tingbao.feed import publish_feed
from tingbao.outputs.artwork import SERIES_COVER

from .conftest import DATA, ROOT, copy_output, series_settings
from .fakes import ToneEngine

BASE = "https://example.com/show"
NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}


def series(**kw) -> Settings:
    return series_settings(BASE, **kw)


@pytest.fixture(scope="module")
def output(tone_built, tmp_path_factory):
    return copy_output(tone_built, tmp_path_factory.mktemp("art") / "output")


def _local(output, url: str):
    assert url.startswith(BASE + "/")
    return output / url[len(BASE) + 1:]


def _apple_artwork(path) -> None:
    image = Image.open(path)
    assert image.format in ("JPEG", "PNG") and image.mode == "RGB"
    assert image.size[0] == image.size[1] and 1400 <= image.size[0] <= 3000


def test_generated_cover_beside_the_edition_and_in_every_mp3(output):
    for manifest_path in output.glob("*/edition.json"):
        folder = manifest_path.parent
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        assert manifest["cover"] == "cover.jpg" and "cover.jpg" in {f["path"] for f in manifest["files"]}
        cover = (folder / "cover.jpg").read_bytes()
        _apple_artwork(folder / "cover.jpg")
        for mp3 in [folder / f"{folder.name}.mp3", *sorted((folder / "sections").glob("*.mp3"))]:
            (apic,) = ID3(mp3).getall("APIC")
            assert apic.data == cover and apic.mime == "image/jpeg" and apic.type == 3  # front cover


def test_feed_artwork_with_feedparser(output):
    result = publish_feed(output, series())
    assert any("no image" in w and SERIES_COVER in w for w in result.warnings)  # said, and what is used instead
    _apple_artwork(output / SERIES_COVER)
    raw = (output / "feed.xml").read_bytes()
    root = ET.fromstring(raw)
    channel = root.find("channel")
    assert channel.find("itunes:image", NS).get("href") == f"{BASE}/{SERIES_COVER}"
    assert channel.findtext("image/url") == f"{BASE}/{SERIES_COVER}"
    assert channel.findtext("image/title") == channel.findtext("title")
    assert channel.findtext("image/link") == channel.findtext("link")
    d = feedparser.parse(raw)
    assert not d.bozo, d.bozo_exception
    assert d.feed.image.href == f"{BASE}/{SERIES_COVER}"
    assert len(d.entries) == 2
    for entry in d.entries:
        slug = entry.enclosures[0].href.split("/")[-2]
        assert entry.image.href == f"{BASE}/{slug}/cover.jpg"
        _apple_artwork(_local(output, entry.image.href))


@pytest.mark.slow  # Node.js
def test_feed_artwork_with_partytime(output):
    node = shutil.which("node")
    if node is None or not (ROOT / "tests" / "js" / "node_modules" / "podcast-partytime").is_dir():
        pytest.skip("Node.js or the npm package podcast-partytime is not installed")
    publish_feed(output, series())
    seen = json.loads(subprocess.run([node, str(ROOT / "tests" / "js" / "parse-art.js"), str(output / "feed.xml")],
                                     capture_output=True, text=True, check=True).stdout)
    assert seen["itunesImage"] == f"{BASE}/{SERIES_COVER}" and seen["image"]["url"] == f"{BASE}/{SERIES_COVER}"
    assert len(seen["items"]) == 2
    for item in seen["items"]:
        slug = item["enclosure"]["url"].split("/")[-2]
        assert item["itunesImage"] == f"{BASE}/{slug}/cover.jpg"
        assert item["chapters"]["url"] == f"{BASE}/{slug}/chapters.json"
        _apple_artwork(_local(output, item["itunesImage"]))


def test_series_image_is_the_channel_artwork(output):
    result = publish_feed(output, series(image="https://cdn.example.com/show.jpg"))
    assert not any("no image" in w for w in result.warnings)
    channel = ET.parse(output / "feed.xml").getroot().find("channel")
    assert channel.find("itunes:image", NS).get("href") == "https://cdn.example.com/show.jpg"
    assert channel.findtext("image/url") == "https://cdn.example.com/show.jpg"
    for item in channel.findall("item"):  # each episode keeps its own artwork
        assert item.find("itunes:image", NS).get("href").endswith("/cover.jpg")


def test_given_cover_is_used_as_it_is(tmp_path):
    art = tmp_path / "art.png"
    buffer = io.BytesIO()
    Image.new("RGB", (1400, 1400), (20, 90, 160)).save(buffer, "PNG")
    art.write_bytes(buffer.getvalue())
    out = tmp_path / "output"
    result = build_edition(str(DATA / "outline.txt"),  # any article: the cover is what is checked
                           Settings(output=str(out), cache_dir=str(tmp_path / "c"), cover=str(art)), engine=ToneEngine())
    assert (result.folder / "cover.png").read_bytes() == art.read_bytes()
    assert not (result.folder / "cover.jpg").exists()
    (apic,) = ID3(result.folder / f"{result.slug}.mp3").getall("APIC")
    assert apic.data == art.read_bytes()
    assert 'src="cover.png"' in (result.folder / "index.html").read_text(encoding="utf-8")
    publish_feed(out, series())
    item = ET.parse(out / "feed.xml").getroot().find("channel/item")
    assert item.find("itunes:image", NS).get("href") == f"{BASE}/{result.slug}/cover.png"
