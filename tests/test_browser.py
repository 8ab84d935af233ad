"""The listening page in a real browser: Playwright driving Debian's Chromium against `tingbao serve`
and from a folder (file://). Screenshots go to tests/.artifacts/ (stable paths, printed)."""

import json
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from tingbao.build import build_edition
from tingbao.config import Settings
from tingbao.feed import publish_feed
from tingbao.server import make_server

from .conftest import EXAMPLE
from .fakes import ToneEngine

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = "<script>alert(1)</script> Tom & Jerry"
ARTIFACTS = Path(__file__).parent / ".artifacts"
PHONE = {"width": 390, "height": 844}
PLAYER = "document.getElementById('player')"

pytestmark = pytest.mark.slow  # a real browser: `make test` and CI run these, the one-minute loop does not


def _browser_or_skip():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    return sync_playwright


def _fonts_conf(tmp: Path) -> Path:
    """The page names no web font; a machine without a CJK system font would show tofu in the
    screenshots, so Chromium also gets the Noto Sans CJK that tingbao installs for its covers."""
    import noto_cjk_sans_otc

    conf = tmp / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{Path(str(noto_cjk_sans_otc.FONT_PATH)).parent}</dir>"
                    f"<cachedir>{tmp / 'fontconfig'}</cachedir></fontconfig>", encoding="utf-8")
    return conf


SETTLED = """() => new Promise((resolve) => {
    let last = -1, still = 0;
    (function frame() {
        if (window.scrollY === last) { still += 1; } else { still = 0; last = window.scrollY; }
        if (still >= 10) { resolve(true); } else { requestAnimationFrame(frame); }
    })();
})"""


def _shot(page, name: str) -> Path:
    page.evaluate(SETTLED)  # a smooth scroll has finished
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    print(f"screenshot: {path}")
    assert path.stat().st_size > 5000
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    out = tmp / "output"
    settings = Settings(output=str(out), cache_dir=str(tmp / "cache"), series_title="青禾湾早听报")
    example = build_edition(str(EXAMPLE), settings, engine=ToneEngine())
    hostile = tmp / "hostile.md"
    hostile.write_text(f"---\ntitle: {HOSTILE}\n---\n\n## 第一节\n\n正文内容。\n", encoding="utf-8")
    bad = build_edition(str(hostile), Settings(output=str(out), cache_dir=str(tmp / "cache"), slug="hostile"),
                        engine=ToneEngine())
    publish_feed(out, Settings(series_title="听报", description="d", author="a", email="e@example.com",
                               base_url="https://example.com"))
    server = make_server(out, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", example, bad, tmp
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    sync_playwright = _browser_or_skip()
    conf = _fonts_conf(tmp_path_factory.mktemp("fonts"))
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, env={**os.environ, "FONTCONFIG_FILE": str(conf)}, args=[
            "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def _manifest(example) -> dict:
    return json.loads((example.folder / "edition.json").read_text(encoding="utf-8"))


def _open(browser, url: str):
    page = browser.new_page(viewport=PHONE)  # a phone-sized screen
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_function(f"{PLAYER}.readyState >= 1 && document.getElementById('artwork').complete")
    return page, errors


@contextmanager
def _example_page(site, browser, suffix="/"):
    """The example edition's page on a phone screen; by the end of the test it must have logged no error."""
    base, example, _, _ = site
    page, errors = _open(browser, f"{base}/{example.slug}{suffix}")
    yield page, _manifest(example)
    assert errors == []
    page.close()


def _current(page) -> dict:
    return page.evaluate("""() => {
        const s = document.querySelector('.sentence.current'), bar = document.getElementById('bar');
        const r = s.getBoundingClientRect();
        return {text: s.textContent, top: r.top, bottom: r.bottom, bar: bar.getBoundingClientRect().bottom,
                height: window.innerHeight, t: document.getElementById('player').currentTime,
                start: parseFloat(s.dataset.start)};
    }""")


VISIBLE_BELOW_BAR = """() => {
    const s = document.querySelector('.sentence.current');
    if (!s) { return false; }
    const r = s.getBoundingClientRect(), bar = document.getElementById('bar').getBoundingClientRect();
    return r.top >= bar.bottom && r.bottom <= window.innerHeight;
}"""


@pytest.mark.parametrize("suffix", ["/", ""])
def test_page_loads_with_and_without_the_trailing_slash(site, browser, suffix):
    base, example, _, _ = site
    with _example_page(site, browser, suffix) as (page, manifest):
        assert page.url == f"{base}/{example.slug}/"  # /slug is sent on to /slug/: relative links must work
        assert page.text_content("#title") == manifest["title"]
        assert page.evaluate(f"{PLAYER}.error") is None and page.evaluate(f"{PLAYER}.duration") > 60
        assert page.evaluate("document.getElementById('artwork').naturalWidth") == 3000  # cover.jpg loaded
        assert page.text_content("#series") == "青禾湾早听报" and "□" not in page.text_content("#byline")
        assert page.text_content("#total") == page.text_content("#duration")
        if suffix:
            _shot(page, "page-load.png")


def test_chapter_click_highlights_its_heading_and_seeking_back_keeps_it_in_view(site, browser):
    with _example_page(site, browser) as (page, manifest):
        fourth = manifest["chapters"][3]
        page.click("#chapters li:nth-child(4) button.chapter")
        page.wait_for_function(f"Math.abs({PLAYER}.currentTime - {fourth['start']}) < 0.25")
        page.wait_for_selector("#chapters li:nth-child(4).current")
        page.evaluate(f"{PLAYER}.pause()")
        page.wait_for_function(VISIBLE_BELOW_BAR)
        page.evaluate(SETTLED)
        state = _current(page)
        assert state["bar"] <= state["top"] and state["bottom"] <= state["height"]
        assert state["text"] == fourth["title"]  # the chapter's heading, not the silence after the last chapter
        assert state["start"] - fourth["start"] == pytest.approx(0.3, abs=0.001)  # the mark is just before the heading
        assert page.text_content("#now-title") == fourth["title"]
        _shot(page, "page-chapter.png")
        title = json.dumps(fourth["title"], ensure_ascii=False)
        page.evaluate(f"{PLAYER}.currentTime = {fourth['start'] - 3}")  # the previous chapter's last words
        page.wait_for_function(f"document.querySelector('.sentence.current').textContent !== {title}")
        page.evaluate(f"{PLAYER}.currentTime = {fourth['start'] + 0.1}")  # the breath before the heading
        page.wait_for_function(f"document.querySelector('.sentence.current').textContent === {title}")

        page.click("#back")  # -15 s: the sentence now playing is above the screen
        page.click("#back")
        page.wait_for_function(f"{PLAYER}.currentTime < {fourth['start'] - 25}")
        page.evaluate(f"{PLAYER}.pause()")
        page.wait_for_function(VISIBLE_BELOW_BAR)
        page.evaluate(SETTLED)  # and once the smooth scroll has settled: still in view, not under the bar
        state = _current(page)
        assert state["bar"] <= state["top"] and state["bottom"] <= state["height"]
        cue = max((c for c in manifest["sentences"] if c["start"] <= state["t"]), key=lambda c: c["start"])
        assert state["text"] == cue["text"]
        _shot(page, "page-seek-back.png")


def test_player_controls_and_keys(site, browser):
    base, example, _, _ = site
    with _example_page(site, browser) as (page, manifest):
        page.click("#play")
        page.wait_for_function(f"!{PLAYER}.paused && {PLAYER}.currentTime > 0.3")
        page.keyboard.press(" ")  # space pauses
        page.wait_for_function(f"{PLAYER}.paused")
        page.click("#forward")
        page.wait_for_function(f"{PLAYER}.currentTime >= 15")
        for expected in ("1.25×", "1.5×", "1×"):
            page.click("#speed")
            assert page.text_content("#speed") == expected
            assert page.evaluate(f"{PLAYER}.playbackRate") == float(expected[:-1])
        page.keyboard.press("]")
        page.wait_for_function(f"{PLAYER}.currentTime >= {manifest['chapters'][1]['start'] - 0.01}")
        assert page.evaluate(f"{PLAYER}.currentTime") < manifest["chapters"][1]["start"] + 0.25
        second = int(page.evaluate(f"{PLAYER}.currentTime"))
        assert page.text_content("#elapsed") == f"{second // 60}:{second % 60:02d}"  # the floor, like every clock
        t = page.evaluate(f"{PLAYER}.currentTime")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"{PLAYER}.currentTime < {t - 9}")
        ticks = page.locator("#ticks span").count()
        assert ticks == len(manifest["chapters"]) - 1
        page.click(".sentence >> nth=0")
        page.wait_for_function(f"{PLAYER}.currentTime < 0.3")
        section = page.get_attribute("#chapters li:nth-child(2) a.section-link", "href")
        assert section == "sections/02-jian-xin-cheng.mp3"  # named by its section
        response = page.request.get(f"{base}/{example.slug}/{section}")
        assert response.status == 200 and response.headers["content-type"] == "audio/mpeg"
        ranged = page.request.get(f"{base}/{example.slug}/{section}", headers={"Range": "bytes=0-99"})
        assert ranged.status == 206 and len(ranged.body()) == 100


def test_a_listener_who_scrolls_away_is_not_pulled_back(site, browser):
    with _example_page(site, browser) as (page, manifest):
        page.click("#chapters li:nth-child(3) button.chapter")
        page.evaluate(f"{PLAYER}.pause()")
        page.evaluate(SETTLED)
        page.mouse.move(200, 600)
        page.mouse.wheel(0, -20000)  # back up to the chapter list while it plays on
        page.wait_for_function("window.scrollY === 0")
        later = manifest["chapters"][3]["start"] + 5
        page.evaluate(f"{PLAYER}.currentTime = {later}")  # as playback would reach it
        page.wait_for_function(f"document.querySelector('.sentence.current').dataset.start > {later - 6}")
        page.evaluate(SETTLED)
        assert page.evaluate("window.scrollY") == 0


def test_works_from_a_folder(site, browser):
    _, example, _, _ = site
    manifest = _manifest(example)
    page, errors = _open(browser, (example.folder / "index.html").as_uri())
    assert page.evaluate("document.getElementById('artwork').naturalWidth") == 3000
    page.click("#chapters li:nth-child(2) button.chapter")
    page.wait_for_selector("#chapters li:nth-child(2).current")
    page.evaluate(f"{PLAYER}.pause()")
    assert page.text_content(".sentence.current") == manifest["chapters"][1]["title"]
    assert errors == []
    page.close()


def test_hostile_title_is_shown_literally(site, browser):
    base, _, bad, _ = site
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/{bad.slug}/index.html")
    assert page.text_content("#title") == HOSTILE
    page.goto(f"{base}/index.html")
    assert HOSTILE in page.text_content("#editions") and page.get_attribute("#feed-link", "href") == "feed.xml"
    assert dialogs == []


def test_traversal_from_the_browser_side(site, browser):
    base = site[0]
    page = browser.new_page()
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd"):
        response = page.request.get(base + path)
        assert response.status in (403, 404) and b"root:" not in response.body()
