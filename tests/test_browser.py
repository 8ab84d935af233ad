"""The listening page in a real browser: Playwright driving Debian's Chromium against `tingbao serve`."""

import json
import os
import shutil
import threading
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


def _browser_or_skip():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    return sync_playwright


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    out = tmp / "output"
    settings = Settings(output=str(out), cache_dir=str(tmp / "cache"))
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
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_chapters_transcript_and_sections(site, browser):
    base, example, _, tmp = site
    manifest = json.loads((example.folder / "edition.json").read_text(encoding="utf-8"))
    page = browser.new_page(viewport={"width": 390, "height": 800})  # a phone-sized screen
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/{example.slug}/index.html")
    assert page.text_content("#title") == manifest["title"]
    page.wait_for_function("document.getElementById('player').readyState >= 1")

    third = manifest["chapters"][2]
    page.click("#chapters li:nth-child(3) button.chapter")
    page.wait_for_function(f"Math.abs(document.getElementById('player').currentTime - {third['start']}) < 0.25")
    page.wait_for_selector("#chapters li:nth-child(3).current")  # highlighted after the seek

    page.evaluate("document.getElementById('player').play()")
    page.wait_for_function(f"document.getElementById('player').currentTime > {third['start'] + 1.5}")
    page.evaluate("document.getElementById('player').pause()")
    state = page.evaluate("""() => {
        const t = document.getElementById('player').currentTime;
        const s = document.querySelector('.sentence.current');
        return {t, start: parseFloat(s.dataset.start), end: parseFloat(s.dataset.end), text: s.textContent};
    }""")
    cue = max((c for c in manifest["sentences"] if c["start"] <= state["t"]), key=lambda c: c["start"])
    assert state["text"] == cue["text"] and state["start"] <= state["t"]

    page.click(".sentence >> nth=0")
    page.wait_for_function("document.getElementById('player').currentTime < 0.3")

    section = page.get_attribute("#chapters li:nth-child(2) a.section-link", "href")
    response = page.request.get(f"{base}/{example.slug}/{section}")
    assert response.status == 200 and response.headers["content-type"] == "audio/mpeg"
    ranged = page.request.get(f"{base}/{example.slug}/{section}", headers={"Range": "bytes=0-99"})
    assert ranged.status == 206 and len(ranged.body()) == 100

    page.keyboard.press("]")
    page.wait_for_function(f"document.getElementById('player').currentTime >= {manifest['chapters'][1]['start'] - 0.25}")
    page.screenshot(path=str(tmp / "edition.png"), full_page=False)
    assert (tmp / "edition.png").stat().st_size > 1000
    assert errors == []


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
