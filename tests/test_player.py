"""The listening page's data and markup (the browser tests drive it; these check what it is made of)."""

import json
import re
from html.parser import HTMLParser

import pytest

from tingbao.assembly import clock
from tingbao.outputs.player import clean_byline, edition_page, page_data
from tingbao.slugs import section_file_names

from .conftest import EXAMPLE
from .test_assembly import _programme


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    article, programme = _programme(tmp_path_factory.mktemp("player"), EXAMPLE)
    files = section_file_names([c.title for c in programme.chapters])
    data = page_data(article, programme, "slug", files, series="青禾湾早听报 <b>", date="2025-12-30",
                     cover="cover.jpg")
    return article, programme, data, edition_page(data)


def test_every_time_is_the_programme_millisecond(page):
    _, programme, data, _ = page
    assert [(c["title"], round(c["start"] * 1000), round(c["end"] * 1000)) for c in data["chapters"]] \
        == programme.chapter_times()
    assert [(round(s["start"] * 1000), round(s["end"] * 1000)) for s in data["sentences"]] == programme.cue_times()
    assert [c["clock"] for c in data["chapters"]] == [clock(start) for _, start, _ in programme.chapter_times()]
    assert data["duration_clock"] == clock(programme.duration_ms)


def test_chapter_jump_target_is_its_heading(page):
    article, _, data, _ = page
    headings = [s.heading for s in article.sections if s.level == 1]
    firsts = [data["sentences"][c["first"]]["text"] for c in data["chapters"][1:]]
    assert firsts == headings == [c["title"] for c in data["chapters"][1:]]
    for chapter in data["chapters"]:
        assert chapter["start"] <= data["sentences"][chapter["first"]]["start"] < chapter["end"]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.found = [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack:
            self.found.append((self.stack[-1][0], self.stack[-1][1].get("class", ""), data,
                               [t for t, _ in self.stack]))


def test_headings_are_headings_and_the_byline_has_no_box(page):
    article, _, data, html = page
    parser = _Tags()
    parser.feed(html)
    in_h3 = [text for tag, cls, text, stack in parser.found if "h3" in stack and cls == "sentence"]
    assert in_h3 == [s.heading for s in article.sections if s.level == 1]
    assert "□" in article.byline and "□" not in data["byline"] and "□" not in html
    assert data["byline"] == "记者 周明远 通讯员 林晓雪" == clean_byline("□ 记者  周明远 通讯员 林晓雪")


def test_player_controls_artwork_and_facts(page):
    _, _, data, html = page
    for marker in ('id="play"', 'id="back"', 'id="forward"', 'id="speed"', 'id="scrubber"', 'id="elapsed"',
                   'id="total"', '<img id="artwork" src="cover.jpg"', 'datetime="2025-12-30"'):
        assert marker in html
    assert "<audio" in html and " controls" not in html.split("<audio", 1)[1].split(">", 1)[0]
    ticks = re.findall(r'<span style="left: ([\d.]+)%">', html)
    assert len(ticks) == len(data["chapters"]) - 1 and all(0 < float(t) < 100 for t in ticks)
    assert "1.25" in html and "1.5" in html  # the speeds the button cycles through
    assert "青禾湾早听报 &lt;b&gt;" in html and "青禾湾早听报 <b>" not in html  # escaped like every text


def test_page_data_json_cannot_close_its_script(page):
    _, _, data, html = page
    blob = html.split('<script type="application/json" id="edition-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(blob)["duration"] == data["duration"]
    hostile = edition_page(dict(data, chapters=[dict(data["chapters"][0], title="</script><script>alert(1)//")]))
    assert "</script><script>alert(1)" not in hostile


def test_no_external_resources(page):
    html = page[3]
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no CDN, works from a folder
    assert "@font-face" not in html and "@import" not in html
