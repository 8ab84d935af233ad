"""The podcast feed, read back by real clients: feedparser and (with Node.js) podcast-partytime."""

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from tingbao.build import build_edition
from tingbao.cli import main
from tingbao.config import Settings
from tingbao.feed import byline_names, edition_guid, podcast_guid, publish_feed

from .conftest import DATA, EXAMPLE, ROOT, copy_output, series_settings
from .fakes import ToneEngine

BASE = "https://example.com/tingbao"


def series(**kw) -> Settings:
    return series_settings(BASE, **{"description": "有声版 & <测试>", "email": "podcast@example.com",
                                    "image": "cover.png", **kw})


@pytest.fixture(scope="module")
def output(tone_built, tmp_path_factory):
    return copy_output(tone_built, tmp_path_factory.mktemp("feed") / "output")


def test_podcast_guid_spec_vector():
    assert podcast_guid("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid("podnews.net/rss/") == podcast_guid("http://podnews.net/rss")


def test_byline_names():
    assert byline_names("□ 记者 周明远 通讯员 林晓雪") == ["周明远", "林晓雪"]
    assert byline_names("本报讯（记者 王一帆 通讯员 赵可）") == ["王一帆", "赵可"]


def test_feed_fields_with_feedparser(output):
    publish_feed(output, series())
    raw = (output / "feed.xml").read_bytes()
    root = ET.fromstring(raw)  # well-formed
    for uri in ("http://www.itunes.com/dtds/podcast-1.0.dtd", "https://podcastindex.org/namespace/1.0",
                "http://www.w3.org/2005/Atom", "http://purl.org/rss/1.0/modules/content/"):
        assert uri.encode() in raw
    assert root.tag == "rss"
    d = feedparser.parse(raw)
    assert not d.bozo, d.bozo_exception
    f = d.feed
    assert f.title == "青禾湾早听报" and f.language == "zh-cn" and f.subtitle == "有声版 & <测试>"
    assert f.author == "青禾湾日报社" and f.publisher_detail.email == "podcast@example.com"
    assert f.image.href == f"{BASE}/cover.png"
    assert {t.term for t in f.tags} == {"News", "Daily News"}
    assert any(link.rel == "self" and link.href == f"{BASE}/feed.xml" for link in f.links)
    assert f.podcast_guid == podcast_guid(f"{BASE}/feed.xml")
    assert f.podcast_locked == {"owner": "podcast@example.com"}
    ns = {"podcast": "https://podcastindex.org/namespace/1.0", "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
    assert root.find("channel/podcast:locked", ns).text == "yes"
    assert root.find("channel/itunes:explicit", ns).text == "false"  # feedparser reads only yes/no/clean
    assert b'<itunes:category text="Daily News"' in raw and b"<itunes:explicit>false</itunes:explicit>" in raw
    assert len(d.entries) == 2
    for entry in d.entries:
        slug = entry.enclosures[0].href.split("/")[-2]
        manifest = json.loads((output / slug / "edition.json").read_text(encoding="utf-8"))
        assert entry.title == manifest["title"] and entry.id == edition_guid(slug)
        assert entry.enclosures[0].type == "audio/mpeg"
        assert int(entry.enclosures[0].length) == (output / slug / f"{slug}.mp3").stat().st_size
        assert int(entry.itunes_duration) == int(manifest["duration"])  # the floor, like every clock
        assert entry.published.endswith("+0800")
        lines = [line for line in entry.summary.splitlines() if re.match(r"\d\d:\d\d:\d\d ", line)]
        assert lines[0].startswith("00:00:00 导语") and len(lines) == len(manifest["chapters"])
    assert d.entries[0].published_parsed >= d.entries[1].published_parsed  # newest first
    item = root.find("channel/item")
    ns = {"podcast": "https://podcastindex.org/namespace/1.0"}
    assert item.find("podcast:chapters", ns).get("type") == "application/json+chapters"
    assert {t.get("type") for t in item.findall("podcast:transcript", ns)} == {"text/vtt", "application/x-subrip"}


def test_people_from_the_byline(output):
    publish_feed(output, series())
    root = ET.parse(output / "feed.xml").getroot()
    ns = {"podcast": "https://podcastindex.org/namespace/1.0"}
    people = {p.text: (p.get("group"), p.get("role")) for p in root.iter(f"{{{ns['podcast']}}}person")}
    assert people == {"周明远": ("writing", "author"), "林晓雪": ("writing", "author")}


@pytest.mark.slow  # a second whole build of the example
def test_idempotent_and_stable_guids(output, tmp_path):
    publish_feed(output, series())
    first = (output / "feed.xml").read_bytes()
    publish_feed(output, series())
    assert (output / "feed.xml").read_bytes() == first
    guids = [e.id for e in feedparser.parse(first).entries]
    build_edition(str(EXAMPLE), Settings(output=str(output), cache_dir=str(tmp_path / "c"), pause_scale=1.2),
                  engine=ToneEngine())  # a rebuild with different audio
    publish_feed(output, series())
    assert [e.id for e in feedparser.parse((output / "feed.xml").read_bytes()).entries] == guids


def test_keeps_items_of_removed_editions_until_prune(tone_built, tmp_path):
    out = _two_editions_published(tone_built, tmp_path)
    gone = next(p for p in out.iterdir() if p.is_dir() and "guan-yu" in p.name)
    shutil.rmtree(gone)
    result = publish_feed(out, series())
    assert result.kept == 1 and len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 2
    publish_feed(out, series(), prune=True)
    assert len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 1


def test_hostile_title_stays_valid_xml(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: <script>alert(1)</script> Tom & Jerry “引号” 'x'\n---\n\n## 第一节\n\n正文内容很简单。\n",
                       encoding="utf-8")
    out = tmp_path / "output"
    build_edition(str(article), Settings(output=str(out), cache_dir=str(tmp_path / "c")), engine=ToneEngine())
    publish_feed(out, series())
    d = feedparser.parse((out / "feed.xml").read_bytes())
    assert not d.bozo and d.entries[0].title == "<script>alert(1)</script> Tom & Jerry “引号” 'x'"
    page = next(out.glob("*/index.html")).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_per_section_feed(output):
    result = publish_feed(output, series(), per_section=True)
    d = feedparser.parse(result.section_feed.read_bytes())
    assert not d.bozo
    manifests = [json.loads(p.read_text(encoding="utf-8")) for p in output.glob("*/edition.json")]
    assert len(d.entries) == sum(len(m["chapters"]) for m in manifests)
    first = d.entries[-1]
    assert "/sections/" in first.enclosures[0].href and len({e.id for e in d.entries}) == len(d.entries)
    slug = first.enclosures[0].href.split("/")[-3]
    vtt = sorted((output / slug / "sections").glob("*.vtt"))[0].read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "00:00:00.000 -->" in vtt


def test_missing_series_key_is_named(output):
    r = CliRunner().invoke(main, ["publish", str(output), "--base-url", BASE, "--config", str(_toml(output, ""))])
    assert r.exit_code == 2 and "series.description" in r.output and len(r.output.strip().splitlines()) == 1


def _toml(folder: Path, body: str) -> Path:
    path = folder.parent / "t.toml"
    path.write_text(f"[series]\ntitle = \"x\"\n{body}", encoding="utf-8")
    return path


@pytest.mark.slow  # Node.js
def test_partytime_reads_chapters_and_transcripts(output):
    node = shutil.which("node")
    script = ROOT / "tests" / "js" / "parse-feed.js"
    if node is None or not (ROOT / "tests" / "js" / "node_modules" / "podcast-partytime").is_dir():
        pytest.skip("Node.js or the npm package podcast-partytime is not installed")
    publish_feed(output, series())
    seen = json.loads(subprocess.run([node, str(script), str(output / "feed.xml")], capture_output=True, text=True,
                                     check=True).stdout)
    assert seen["guid"] == podcast_guid(f"{BASE}/feed.xml")
    for item in seen["items"]:
        slug = item["enclosure"]["url"].split("/")[-2]
        assert item["chapters"]["url"] == f"{BASE}/{slug}/chapters.json"
        assert item["chapters"]["type"] == "application/json+chapters"
        assert {t["url"] for t in item["transcripts"]} == {f"{BASE}/{slug}/transcript.vtt", f"{BASE}/{slug}/transcript.srt"}


def _two_editions_published(tone_built, tmp_path):
    out = copy_output(tone_built, tmp_path / "output")
    publish_feed(out, series())
    return out


def test_xml_illegal_characters_never_reach_the_feed(tmp_path):
    out = tmp_path / "output"
    build_edition(str(DATA / "outline.txt"), Settings(output=str(out), cache_dir=str(tmp_path / "c")), engine=ToneEngine())
    path = next(out.glob("*/edition.json"))
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["title"] = "标题\uffff\ufffe\x01\x0b\x1f\ud800尾\t"  # as a reader that let them through would leave it
    manifest["chapters"][0]["title"] = "导\udfff语\x08"
    path.write_text(json.dumps(manifest), encoding="utf-8")  # JSON escapes keep the lone surrogates
    publish_feed(out, series(description="描述\x02"), per_section=True)
    for name in ("feed.xml", "feed-sections.xml"):
        raw = (out / name).read_bytes()
        ET.fromstring(raw)  # well-formed
        d = feedparser.parse(raw)
        assert not d.bozo, d.bozo_exception
    assert feedparser.parse((out / "feed.xml").read_bytes()).entries[0].title == "标题尾"


def test_unreadable_previous_feed_never_drops_kept_items(tone_built, tmp_path):
    out = _two_editions_published(tone_built, tmp_path)
    shutil.rmtree(next(p for p in out.iterdir() if p.is_dir() and "guan-yu" in p.name))
    (out / "feed.xml").write_bytes((out / "feed.xml").read_bytes()[:200])  # a broken feed.xml
    result = publish_feed(out, series())
    titles = [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert result.kept == 1 and len(titles) == 2 and "关于推进社区治理的实施方案" in titles


def test_feed_broken_by_an_older_tingbao_still_keeps_its_items(tone_built, tmp_path):
    out = _two_editions_published(tone_built, tmp_path)
    shutil.rmtree(out / ".tingbao")  # published by a tingbao that kept no state
    shutil.rmtree(next(p for p in out.iterdir() if p.is_dir() and "guan-yu" in p.name))
    raw = (out / "feed.xml").read_bytes().replace("关于推进".encode(), "关于\uffff推进".encode())
    (out / "feed.xml").write_bytes(raw)
    result = publish_feed(out, series())
    assert result.kept == 1
    titles = [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert "关于推进社区治理的实施方案" in titles


def test_unreadable_feed_without_state_stops_unless_pruning(tone_built, tmp_path):
    from tingbao.errors import TingbaoError

    out = _two_editions_published(tone_built, tmp_path)
    shutil.rmtree(out / ".tingbao")
    (out / "feed.xml").write_bytes(b"\x00garbage")
    with pytest.raises(TingbaoError, match="feed.xml") as caught:
        publish_feed(out, series())
    assert caught.value.exit_code == 2 and (out / "feed.xml").read_bytes() == b"\x00garbage"
    assert len(feedparser.parse(publish_feed(out, series(), prune=True).feed.read_bytes()).entries) == 2
