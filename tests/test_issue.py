"""`tingbao issue`: twelve short articles (text, Markdown, saved web pages) become one day's episode."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tingbao.config import Settings
from tingbao.daily import build_issue, opener_lines
from tingbao.outputs.mp3 import decode, ffmpeg_exe
from tingbao.outputs.nested_chapters import read_nested_chapters

from .fakes import ToneEngine

DATE = "2025-11-26"
TOPICS = ["口袋公园", "图书馆", "渡口码头", "菜市场", "公交线路", "社区食堂", "学校操场", "老街改造", "海堤步道", "夜间集市",
          "垃圾分类", "养老驿站"]


def _para(topic: str, n: int) -> str:
    return f"青禾湾区的{topic}项目进展顺利，第{n}批工程已经完工，居民普遍表示满意。"


def write_articles(folder: Path) -> dict[str, str]:
    """Four of each format; the file name's number is the article's place in file order. Returns
    headline by file name."""
    folder.mkdir()
    headlines = {}
    for n, topic in enumerate(TOPICS):
        title = f"{topic}有了新变化"
        paras = [_para(topic, k) for k in range(1, 2 + n % 3)]  # one to three paragraphs: sizes differ
        if n % 3 == 0:
            name = f"{n:02d}-{topic}.txt"
            text = f"{title}\n\n" + "\n\n".join(paras) + f"\n\n一、下一步\n\n{_para(topic, 9)}\n"
        elif n % 3 == 1:
            name = f"{n:02d}-{topic}.md"
            text = f"# {title}\n\n" + "\n\n".join(paras) + f"\n\n## 居民说法\n\n{_para(topic, 8)}\n"
        else:
            name = f"{n:02d}-{topic}.html"
            body = "".join(f"<p>{p}</p>" for p in paras * 3)
            text = (f"<html><head><meta charset='utf-8'><title>{title}_青禾湾网</title></head><body>"
                    f"<nav><a href='/'>首页</a> | <a href='/news'>新闻</a></nav><div><div><h1>{title}</h1>{body}"
                    f"<h2>记者观察</h2><p>{_para(topic, 7)}</p></div></div>"
                    "<div class='share'>分享到微信</div><p class='editor'>责任编辑：王小明</p></body></html>")
        (folder / name).write_text(text, encoding="utf-8")
        headlines[name] = title
    return headlines


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    root = tmp_path_factory.mktemp("issue")
    headlines = write_articles(root / "articles")
    settings = Settings(output=str(root / "out"), cache_dir=str(root / "cache"))
    engine = ToneEngine()
    result = build_issue([str(root / "articles")], settings, DATE, engine=engine)
    return root, settings, result, headlines, engine


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_every_article_has_its_edition_and_the_day_has_its_folder(day):
    root, _, result, headlines, _ = day
    assert [i.error for i in result.items] == [""] * 12
    assert result.slug == f"issue-{DATE}" and len(result.articles) == 12
    for slug in result.articles:
        assert (root / "out" / slug / f"{slug}.mp3").is_file()
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "issue" and manifest["articles"] == result.articles
    assert [c["title"] for c in manifest["chapters"]] == ["开场", *headlines.values(), "结束语"]


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_the_opener_reads_the_date_weekday_and_headlines(day):
    _, _, result, headlines, _ = day
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    spoken = [s["speech"] for s in manifest["sentences"] if s["section"] == 0]
    assert spoken[0] == "听报。"
    assert spoken[1] == "二零二五年十一月二十六日，星期三。"
    contents = "".join(spoken[2:])
    assert contents.startswith("今天的内容有：")
    assert [contents.index(h) for h in headlines.values()] == sorted(contents.index(h) for h in headlines.values())
    last = manifest["sentences"][-1]
    assert last["speech"] == "以上是听报二零二五年十一月二十六日的全部内容，感谢收听。"


def test_weekday_is_computed():
    import datetime as dt

    assert opener_lines("日报", dt.date(2025, 11, 30), ["甲"])[1] == "2025年11月30日，星期日。"
    assert opener_lines("日报", dt.date(2024, 2, 29), ["甲"])[1] == "2024年2月29日，星期四。"


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_nested_chapters_read_back_with_mutagen(day):
    from mutagen.id3 import ID3, CTOCFlags

    _, _, result, headlines, _ = day
    mp3 = result.folder / f"{result.slug}.mp3"
    tree = read_nested_chapters(mp3)
    assert [m.title for m in tree] == ["开场", *headlines.values(), "结束语"]
    assert tree[0].children == [] and tree[-1].children == []
    for mark, name in zip(tree[1:-1], headlines, strict=True):
        titles = [c.title for c in mark.children]
        assert titles[0] == "导语" and len(titles) == 2
        assert titles[1] == {"txt": "一、下一步", "md": "居民说法", "html": "记者观察"}[name.rsplit(".", 1)[1]]
        assert mark.children[0].start == mark.start and mark.children[-1].end == mark.end
    tags = ID3(mp3)
    top = [f for f in tags.getall("CTOC") if f.flags & CTOCFlags.TOP_LEVEL]
    assert len(top) == 1 and len(top[0].child_element_ids) == 14
    children = {f.element_id: f for f in tags.getall("CTOC")}
    assert sum(i in children for i in top[0].child_element_ids) == 12  # each article is a table of contents
    assert len(tags.getall("CHAP")) == 2 + 12 * 2
    assert tags.getall("APIC")  # the cover survived mutagen's save


def _ffmpeg_chapters(mp3: Path) -> list[tuple[int, str]]:
    out = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(mp3), "-f", "ffmetadata", "-"], capture_output=True,
                         text=True, check=True).stdout
    return [(int(s), t) for s, t in re.findall(r"\[CHAPTER\]\nTIMEBASE=1/1000\nSTART=(\d+)\nEND=\d+\ntitle=(.*)", out)]


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_ffmpeg_lists_every_chapter_in_time_order(day):
    _, _, result, _, _ = day
    chapters = _ffmpeg_chapters(result.folder / f"{result.slug}.mp3")
    assert len(chapters) == 26
    starts = [s for s, _ in chapters]
    assert starts == sorted(starts) and len(set(starts)) == 26
    assert chapters[0][1] == "开场" and chapters[-1][1] == "结束语"


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_mp3_decodes_to_the_programme_length(day):
    _, _, result, _, _ = day
    seconds = len(decode(result.folder / f"{result.slug}.mp3")) / 44100
    assert abs(seconds - result.duration) < 0.1
    assert result.duration > 12 * 5  # every article is in it


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_chapters_json_and_transcripts(day):
    _, _, result, headlines, _ = day
    data = json.loads((result.folder / "chapters.json").read_text(encoding="utf-8"))
    assert data["version"] == "1.2.0"
    starts = [c["startTime"] for c in data["chapters"]]
    assert starts == sorted(starts)
    titles = [c["title"] for c in data["chapters"]]
    assert all(h in titles for h in headlines.values()) and "开场" in titles
    assert "有了新变化 · 居民说法" in "".join(titles)
    vtt = (result.folder / "transcript.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "2025年11月26日，星期三。" in vtt and "责任编辑" not in vtt


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_the_day_page_lists_articles_sections_and_one_player(day):
    _, _, result, headlines, _ = day
    page = (result.folder / "index.html").read_text(encoding="utf-8")
    assert page.count("<audio") == 1 and f'src="{result.slug}.mp3"' in page
    assert all(h in page for h in headlines.values()) and "居民说法" in page
    assert all(f'href="../{slug}/"' in page for slug in result.articles)


def _feed_settings(settings: Settings, items: str) -> Settings:
    return Settings(output=settings.output, cache_dir=settings.cache_dir, base_url="https://example.com/p",
                    description="测试", author="青禾湾日报社", email="a@example.com", items=items)


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_publish_lists_the_day_as_its_own_item_and_items_filters(day):
    feedparser = pytest.importorskip("feedparser")
    from tingbao.feed import edition_guid, publish_feed

    _, settings, result, _, _ = day
    counts = {}
    for items in ("articles", "issue", "both"):
        publish_feed(settings.output, _feed_settings(settings, items))
        feed = feedparser.parse((Path(settings.output) / "feed.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        guids = {e.id for e in feed.entries}
        counts[items] = len(guids)
        assert (edition_guid(result.slug) in guids) == (items != "articles")
    assert counts == {"articles": 12, "issue": 1, "both": 13}


def _some(root: Path, folder: Path, names: list[str]) -> Path:
    """A smaller day from the fixture's articles (their clips are in its cache): fast."""
    folder.mkdir()
    for name in names:
        shutil.copy(root / "articles" / name, folder / name)
    return folder


@pytest.mark.slow  # the twelve-article day (a dozen whole builds); the fast loop keeps the CLI checks
def test_a_rebuild_after_one_article_changed_synthesises_only_that_article(day, tmp_path):
    root, settings, _, _, _ = day
    articles = _some(root, tmp_path / "articles", ["02-渡口码头.html", "03-菜市场.txt", "04-公交线路.md"])
    out = Settings(output=str(tmp_path / "out"), cache_dir=settings.cache_dir)
    build_issue([str(articles)], out, DATE, engine=ToneEngine())  # this day's opener names these three
    changed = articles / "03-菜市场.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("居民普遍表示满意", "摊主说生意好了"),
                       encoding="utf-8")
    engine = ToneEngine()
    result = build_issue([str(articles)], out, DATE, engine=engine)
    rebuilt = [i.result for i in result.items if i.result.synthesized]
    assert [r.slug for r in rebuilt] == [result.articles[1]]
    assert len(engine.calls) == rebuilt[0].synthesized > 0  # the day itself synthesised nothing
    assert result.synthesized == 0


@pytest.mark.slow  # another day built
def test_order_size_puts_the_longest_first(day, tmp_path):
    root, settings, _, _, _ = day
    out = Settings(output=str(tmp_path / "out"), cache_dir=settings.cache_dir)
    articles = _some(root, tmp_path / "articles", ["00-口袋公园.txt", "01-图书馆.md", "02-渡口码头.html",
                                                   "03-菜市场.txt"])
    result = build_issue([str(articles)], out, DATE, order="size", engine=ToneEngine())
    sizes = []
    for slug in result.articles:
        manifest = json.loads((tmp_path / "out" / slug / "edition.json").read_text(encoding="utf-8"))
        sizes.append(sum(len(s["text"]) for s in manifest["sentences"]))
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]


@pytest.mark.slow  # another day built
def test_order_config_follows_issue_order_and_is_checked_first(day, tmp_path):
    from tingbao.errors import InputError

    root, settings, _, headlines, _ = day
    articles = _some(root, tmp_path / "articles", ["00-口袋公园.txt", "01-图书馆.md", "02-渡口码头.html"])
    unset = Settings(output=str(tmp_path / "none"), cache_dir=settings.cache_dir)
    with pytest.raises(InputError, match="issue_order"):
        build_issue([str(articles)], unset, DATE, order="config", engine=ToneEngine())
    assert not (tmp_path / "none").exists()  # refused before any article was built
    out = Settings(output=str(tmp_path / "out"), cache_dir=settings.cache_dir, issue_order="02-渡口码头.html, 00-口袋公园")
    result = build_issue([str(articles)], out, DATE, order="config", engine=ToneEngine())
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    assert [c["title"] for c in manifest["chapters"][1:-1]] == [headlines[n] for n in
                                                               ("02-渡口码头.html", "00-口袋公园.txt", "01-图书馆.md")]


def _tone(path: Path, seconds: float, volume: float) -> str:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-af", f"volume={volume}", str(path)], check=True)
    return str(path)


@pytest.mark.slow  # two more days built, one decoded and measured
def test_intro_outro_and_sting_are_placed_and_loudness_matched(day, tmp_path):
    from tingbao.loudness import StreamingLoudness

    root, settings, _, _, _ = day
    articles = _some(root, tmp_path / "articles", ["00-口袋公园.txt", "01-图书馆.md"])
    plain = build_issue([str(articles)], Settings(output=str(tmp_path / "plain"), cache_dir=settings.cache_dir),
                        DATE, engine=ToneEngine())
    intro = _tone(tmp_path / "intro.wav", 3.0, 0.05)  # far quieter than the speech
    sting = _tone(tmp_path / "sting.ogg", 1.0, 0.5)
    outro = _tone(tmp_path / "outro.mp3", 2.0, 0.5)
    out = Settings(output=str(tmp_path / "out"), cache_dir=settings.cache_dir, intro=intro, outro=outro,
                   sting=sting)
    result = build_issue([str(articles)], out, DATE, engine=ToneEngine())
    # intro + outro, and 3 gaps of sting + breaths instead of 2 s of silence
    assert abs(result.duration - (plain.duration + 3 + 2 + 3 * (1.8 - 2.0))) < 0.1
    pcm = decode(result.folder / f"{result.slug}.mp3")
    meter = StreamingLoudness(44100)
    meter.add(pcm[44100 // 2: int(44100 * 2.5)])
    assert abs(meter.integrated() - (-19.0)) < 1.5


def test_cli_issue_refuses_a_bad_date_in_one_line(tmp_path):
    from tingbao.cli import main

    (tmp_path / "a.txt").write_text("标题\n\n正文一句话。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["issue", str(tmp_path / "a.txt"), "--date", "2025-13-01",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == ["tingbao: --date '2025-13-01': write the day as YYYY-MM-DD, "
                                                  "e.g. 2025-11-26"]


@pytest.mark.slow  # a real browser
def test_the_day_page_jumps_to_an_article_and_marks_it_in_a_browser(day):
    import threading

    from tingbao.server import make_server

    from .test_browser import CHROMIUM, _browser_or_skip

    sync_playwright = _browser_or_skip()
    root, _, result, headlines, _ = day
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    server = make_server(root / "out", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"])
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{result.slug}")
            page.wait_for_function("document.getElementById('player').readyState >= 1")
            assert abs(page.evaluate("document.getElementById('player').duration") - result.duration) < 0.5
            assert page.locator("#day > li").count() == 14
            third = manifest["chapters"][3]  # the third article
            page.locator("#day > li").nth(3).locator("button.jump").first.click()
            page.wait_for_function("document.querySelector('#day > li:nth-child(4)').classList.contains('current')")
            assert third["start"] <= page.evaluate("document.getElementById('player').currentTime") < third["end"]
            assert page.locator("#day > li.current").count() == 1
            assert page.locator("#day > li.current .headline").text_content() == list(headlines.values())[2]
            page.locator("#day > li").nth(3).locator("a.own").click()  # the article's own page
            page.wait_for_function("document.getElementById('player') !== null")
            assert page.url.rstrip("/").endswith(result.articles[2])
            browser.close()
        assert errors == []
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow  # the day built twice more (the retitled one encoded)
def test_an_unchanged_day_is_not_assembled_or_encoded_again(day):
    root, settings, result, _, _ = day
    mp3 = result.folder / f"{result.slug}.mp3"
    before = mp3.stat().st_mtime_ns
    engine = ToneEngine()
    again = build_issue([str(root / "articles")], settings, DATE, engine=engine)
    assert engine.calls == [] and again.synthesized == 0
    assert mp3.stat().st_mtime_ns == before and again.duration == result.duration
    retitled = build_issue([str(root / "articles")], settings, DATE, title="另一个标题", engine=engine)
    assert mp3.stat().st_mtime_ns != before and engine.calls == []
    assert json.loads((retitled.folder / "edition.json").read_text(encoding="utf-8"))["title"] == "另一个标题"


@pytest.mark.slow  # Node.js
def test_partytime_reads_the_day_item(day):
    from tingbao.feed import edition_guid, publish_feed

    node = shutil.which("node")
    script = Path(__file__).parent / "js" / "parse-feed.js"
    if node is None or not (script.parent / "node_modules" / "podcast-partytime").is_dir():
        pytest.skip("Node.js or the npm package podcast-partytime is not installed")
    _, settings, result, _, _ = day
    publish_feed(settings.output, _feed_settings(settings, "issue"))
    seen = json.loads(subprocess.run([node, str(script), str(Path(settings.output) / "feed.xml")],
                                     capture_output=True, text=True, check=True).stdout)
    assert [i["guid"] for i in seen["items"]] == [edition_guid(result.slug)]
    item, base = seen["items"][0], f"https://example.com/p/{result.slug}"
    assert item["enclosure"]["url"] == f"{base}/{result.slug}.mp3"
    assert item["chapters"]["url"] == f"{base}/chapters.json"
    assert {t["url"] for t in item["transcripts"]} == {f"{base}/transcript.vtt", f"{base}/transcript.srt"}
