"""Every time the edition writes comes from one millisecond value: tags, JSON, subtitles, page and feed agree."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from mutagen.id3 import ID3

from tingbao.build import build_edition
from tingbao.config import Settings
from tingbao.feed import publish_feed

from .conftest import EXAMPLE
from .fakes import ToneEngine


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("times") / "output"
    result = build_edition(str(EXAMPLE), Settings(output=str(out), cache_dir=str(out.parent / "cache")),
                           engine=ToneEngine(seconds_per_char=0.2137))  # lengths that are not whole ms
    publish_feed(out, Settings(series_title="听报", description="d", author="a", email="e@example.com",
                               base_url="https://example.com"))
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    return out, result, manifest


def _ms(seconds: float) -> int:
    ms = round(seconds * 1000)
    assert abs(ms - seconds * 1000) < 1e-6  # written as whole milliseconds, never re-rounded
    return ms


def _stamp(text: str) -> int:
    h, m, s = text.replace(",", ".").split(":")
    return (int(h) * 3600 + int(m) * 60) * 1000 + round(float(s) * 1000)


def test_chapters_agree_to_the_millisecond(edition):
    _, result, manifest = edition
    chaps = sorted(ID3(result.folder / f"{result.slug}.mp3").getall("CHAP"), key=lambda c: c.start_time)
    chapters_json = json.loads((result.folder / "chapters.json").read_text(encoding="utf-8"))["chapters"]
    for chap, entry, chapter in zip(chaps, chapters_json, manifest["chapters"], strict=True):
        assert chap.start_time == _ms(entry["startTime"]) == _ms(chapter["start"])
        assert chap.end_time == _ms(entry["endTime"]) == _ms(chapter["end"])
    assert _ms(manifest["duration"]) == chaps[-1].end_time


@pytest.mark.parametrize("name", ["transcript.vtt", "transcript.srt"])
def test_cue_times_are_the_manifest_times(edition, name):
    _, result, manifest = edition
    text = (result.folder / name).read_text(encoding="utf-8")
    cues = re.findall(r"^(\d\d:\d\d:\d\d[.,]\d{3}) --> (\d\d:\d\d:\d\d[.,]\d{3})$", text, re.M)
    assert [(_stamp(a), _stamp(b)) for a, b in cues] == [(_ms(s["start"]), _ms(s["end"])) for s in manifest["sentences"]]


def test_section_transcripts_are_differences_of_the_same_values(edition):
    _, result, manifest = edition
    for chapter in manifest["chapters"]:
        vtt = (result.folder / chapter["file"].replace(".mp3", ".vtt")).read_text(encoding="utf-8")
        starts = [_stamp(a) for a in re.findall(r"^(\d\d:\d\d:\d\d\.\d{3}) -->", vtt, re.M)]
        inside = [s for s in manifest["sentences"] if chapter["start"] <= s["start"] < chapter["end"]]
        assert starts == [_ms(s["start"]) - _ms(chapter["start"]) for s in inside]


def test_feed_and_page_clocks_agree(edition):
    out, result, manifest = edition
    item = ET.parse(out / "feed.xml").getroot().find("channel/item")
    feed = re.findall(r"^(\d\d):(\d\d):(\d\d) (.+)$", item.findtext("description"), re.M)
    page = re.findall(r'<span class="time">(\d+):(\d\d)</span><span class="name">([^<]+)</span>',
                      (result.folder / "index.html").read_text(encoding="utf-8"))
    assert len(feed) == len(page) == len(manifest["chapters"])
    for (h, m, s, title), (pm, ps, page_title), chapter in zip(feed, page, manifest["chapters"], strict=True):
        assert title == page_title == chapter["title"]
        assert int(h) * 3600 + int(m) * 60 + int(s) == int(pm) * 60 + int(ps) == _ms(chapter["start"]) // 1000
    duration = int(item.findtext("{http://www.itunes.com/dtds/podcast-1.0.dtd}duration"))
    assert duration == _ms(manifest["duration"]) // 1000
