"""Saved web pages (tests/data/html, written to imitate real Chinese news sites' markup) as articles."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from tingbao import plan_article
from tingbao.accounting import account
from tingbao.article import Kind
from tingbao.cli import main
from tingbao.errors import InputError
from tingbao.reading import read_source
from tingbao.structure import parse

PAGES = Path(__file__).parent / "data" / "html"

# page: title, kicker, subtitle, byline, date, headings after the lead
EXPECTED = {
    "provincial": ("青禾湾老旧小区改造今年惠及四万户", "加装电梯、改造管网、增设充电桩", "全市已完成投资十二亿元，年底前全部完工",
                   "记者 林晓 通讯员 周明", "2025-11-26",
                   ["先问需于民，再定改造清单", "管网入地，楼道变亮", "建管并重，防止“一年新、两年旧”"]),
    "epaper": ("湾区港口吞吐量创新高", "前十个月完成货物吞吐量一点八亿吨", "集装箱航线新增十一条，通达四十多个国家和地区",
               "本报记者 赵晴 实习生 孙悦", "2025-11-26", []),
    "wechat": ("这个冬天，社区食堂为什么火了？", "", "", "记者 许静", "2025-11-24", ["价格实惠，吃得放心", "不止吃饭，还是客厅"]),
    "gov_notice": ("青禾湾市教育局关于做好今冬明春中小学安全工作的通知", "", "", "", "2025-11-20",
                   ["一、加强校园消防安全管理", "二、做好雨雪冰冻天气应对", "三、强化上下学交通安全", "四、落实值班和信息报送制度"]),
    "portal": ("青禾湾跨海大桥主塔封顶 预计明年通车", "", "", "王可", "2025-11-25", []),
    "wire": ("我国新一代海洋科考船完成首航", "", "", "新华社青禾湾11月25日电（记者 吴昊 陈雨）", "2025-11-25", []),
    "figures": ("稻田里的“新农人”", "走进乡村振兴一线", "三位返乡青年用无人机和直播改变了种地方式", "青禾湾晚报记者 方圆",
                "2025-11-23", ["从“看天吃饭”到“看数据种田”", "一台无人机顶二十个人", "把大米卖到直播间"]),
    "gbk": ("青禾湾市举办冬季长跑比赛", "", "", "记者 钱镕", "2025-11-22", []),
}
# Navigation, share bars, editor lines, related links, comments, footers of the pages above.
CHROME = ["首页", "分享", "微信", "责任编辑", "相关新闻", "相关推荐", "热点", "跟贴", "精选留言", "建设者们辛苦了", "周末也开门",
          "版权所有", "关闭窗口", "打印", "网站地图", "阅读原文", "点击关注", "上一版", "版面导航", "字号", "浏览次数", "延伸阅读",
          "清溪村：一条路带活一个村", "索引号", "附件", "标签", "编辑：", "来源：", "校对", "纠错", "图片新闻"]


def _spoken(article) -> str:
    return "\n".join(p.text for s in article.sections for p in s.paragraphs)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_page_structure(page):
    title, kicker, subtitle, byline, date, headings = EXPECTED[page]
    article = parse(read_source(PAGES / f"{page}.html"))
    assert (article.title, article.kicker, article.subtitle, article.byline, article.date) == (
        title, kicker, subtitle, byline, date)
    assert [s.heading for s in article.sections if s.heading] == headings
    if page == "figures":  # <h2> sections, an <h3> inside the first
        assert [s.level for s in article.sections if s.heading] == [1, 2, 1]
    body = [p for s in article.sections for p in s.paragraphs if p.kind == Kind.BODY]
    assert len(body) >= 4


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_no_page_chrome_is_spoken(page):
    spoken = _spoken(plan_article(PAGES / f"{page}.html"))
    assert [c for c in CHROME if c in spoken] == []


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_every_character_of_the_script_is_spoken_or_reported(page):
    source = read_source(PAGES / f"{page}.html")
    assert account(source, parse(source)).ok


def test_figure_captions_are_reported_with_the_page_line():
    path = PAGES / "figures.html"
    article = parse(read_source(path))
    lines = path.read_text(encoding="utf-8").split("\n")
    captions = [k for k in article.skipped if "摄" in k.text or "直播销售" in k.text]
    assert len(captions) == 2
    for k in captions:
        assert (k.kind, k.reason) == (Kind.CAPTION, "photo caption")
        assert "<figcaption>" in lines[k.line - 1] and k.text in lines[k.line - 1]
        assert k.text not in _spoken(article)


def test_wechat_captions_under_images_are_not_spoken():
    article = parse(read_source(PAGES / "wechat.html"))
    skipped = " ".join(k.text for k in article.skipped)
    assert "午饭时间，东湖社区食堂里坐满了就餐的老人" in skipped and "志愿者教老人使用手机扫码点餐" in skipped
    assert "午饭时间" not in _spoken(article)


def test_blockquote_and_body_lines_keep_their_page_line():
    path = PAGES / "figures.html"
    article = parse(read_source(path))
    lines = path.read_text(encoding="utf-8").split("\n")
    quote = next(p for s in article.sections for p in s.paragraphs if p.text.startswith("我们卖的不只是大米"))
    assert "<blockquote>" in lines[quote.lines[0] - 1]
    heading = next(s for s in article.sections if s.heading == "把大米卖到直播间")
    assert lines[heading.line - 1].strip() == "<h2>把大米卖到直播间</h2>"


def test_gbk_page_declared_gb2312_reads_gbk_only_characters():
    data = (PAGES / "gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # the page really uses a GBK-only character, as such pages do
    source = read_source(PAGES / "gbk.html")
    assert source.encoding == "gb18030"
    assert "韩镕" in source.text


def test_a_wrong_charset_declaration_falls_back_to_detection(tmp_path):
    page = (PAGES / "gbk.html").read_bytes().decode("gb18030").replace("charset=gb2312", "charset=utf-8")
    path = tmp_path / "wrong.htm"
    path.write_bytes(page.encode("gb18030"))
    assert parse(read_source(path)).title == "青禾湾市举办冬季长跑比赛"


def test_mhtml_saved_page(tmp_path):
    message = EmailMessage()
    message["Subject"] = "稻田里的“新农人”"
    message.set_content("saved page")
    message.make_mixed()
    html = EmailMessage()
    html.set_content((PAGES / "figures.html").read_text(encoding="utf-8"), subtype="html", charset="utf-8",
                     cte="quoted-printable")
    html["Content-Location"] = "https://example.invalid/a.html"
    message.attach(html)
    path = tmp_path / "page.mhtml"
    path.write_bytes(bytes(message))
    article = parse(read_source(path))
    assert article.title == "稻田里的“新农人”"
    assert [s.heading for s in article.sections if s.heading][0] == "从“看天吃饭”到“看数据种田”"


def test_page_without_an_article_is_a_one_line_error():
    r = CliRunner().invoke(main, ["plan", str(PAGES / "no_article.html")])
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0 and "no article text found" in r.output


def test_plan_json_of_a_page(tmp_path):
    r = CliRunner().invoke(main, ["plan", str(PAGES / "provincial.html"), "--json"])
    assert r.exit_code == 0, r.output
    article = json.loads(r.output)["article"]
    assert article["encoding"] == "utf-8" and article["source"].endswith("provincial.html")
    assert [k["reason"] for k in article["skipped"]] == ["closing credit"]


def test_build_a_page_with_a_fake_engine(tmp_path):
    from tingbao.build import build_edition
    from tingbao.config import Settings

    from .fakes import ToneEngine

    settings = Settings(output=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"))
    result = build_edition(str(PAGES / "figures.html"), settings, engine=ToneEngine())
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    # <h3> is a sub-section: not a top-level chapter by default
    assert [c["title"] for c in manifest["chapters"]] == ["导语", "从“看天吃饭”到“看数据种田”", "把大米卖到直播间"]


def test_paragraphs_each_in_their_own_div_are_all_kept(tmp_path):
    paragraphs = [f"第{n}段，青禾湾市今年新建社区食堂四十二家，每天供餐一万多份，老人吃饭更方便了。" for n in range(1, 9)]
    body = "".join(f"<div class='para'><div><p>{p}</p></div></div>" for p in paragraphs)
    path = tmp_path / "divs.html"
    path.write_text(f"<html><head><meta charset='utf-8'><title>社区食堂_网</title></head><body><h1>社区食堂</h1>"
                    f"<div id='content'>{body}</div><div class='footer'>版权所有</div></body></html>", encoding="utf-8")
    article = parse(read_source(path))
    assert [p.text for s in article.sections for p in s.paragraphs if p.kind == Kind.BODY] == paragraphs


def test_a_page_on_one_line_and_from_stdin(tmp_path, monkeypatch):
    import io
    import sys

    flat = (PAGES / "provincial.html").read_bytes().replace(b"\n", b"")
    path = tmp_path / "min.htm"
    path.write_bytes(flat)
    article = parse(read_source(path))  # line numbers are then those of the generated script, in order
    assert [s.heading for s in article.sections if s.heading] == EXPECTED["provincial"][5]
    assert [s.line for s in article.sections] == sorted(s.line for s in article.sections)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(flat)))
    assert parse(read_source("-")).title == EXPECTED["provincial"][0]


CANTEEN = "青禾湾市今年新建社区食堂四十二家，每天供餐一万多份，老人在家门口就能吃上热乎饭。"


def _canteen_page(tmp_path, container: str, body: str):
    """A small page about the canteen whose article is `body` inside the element with id `container`."""
    path = tmp_path / "page.html"
    path.write_text("<html><head><meta charset='utf-8'><title>食堂</title></head><body><h1>食堂</h1>"
                    f"<div id='{container}'>{body}</div></body></html>", encoding="utf-8")
    return parse(read_source(path))


def test_a_bold_line_under_an_image_is_a_subhead_not_a_caption(tmp_path):
    para = CANTEEN
    article = _canteen_page(tmp_path, "js_content",
                            f"<p>{para}</p><p>{para}</p><p><img src='a.jpg'></p><p><strong>价格实惠</strong></p>"
                            f"<p>{para}</p><p><img src='b.jpg'></p><p>老人在食堂就餐</p><p>{para}</p>")
    assert [s.heading for s in article.sections if s.heading] == ["价格实惠"]
    assert [(k.kind, k.text, k.reason) for k in article.skipped] == [(Kind.CAPTION, "老人在食堂就餐", "photo caption")]


def test_page_text_that_looks_like_script_markup_stays_text(tmp_path):
    article = _canteen_page(tmp_path, "c", f"<p>{CANTEEN}</p><p>#社区食堂# 话题阅读量超过十万次，网友纷纷留言点赞。</p>"
                                           f"<p>&gt; 引用的一句话也要读出来。</p><p>{CANTEEN}</p>")
    assert [s.heading for s in article.sections if s.heading] == [] and article.skipped == []
    body = [p.text for s in article.sections for p in s.paragraphs if p.kind == Kind.BODY]
    assert body[1].startswith("＃社区食堂#") and body[2].startswith("＞ 引用")


def test_a_content_node_holding_the_page_head_says_it_once(tmp_path):
    para = "青禾湾市今年新建社区食堂四十二家，每天供餐一万多份，老人在家门口就能吃上热乎饭。"
    path = tmp_path / "head.html"
    path.write_text("<html><head><meta charset='utf-8'><title>社区食堂火了_青禾湾网</title></head><body><div><div>"
                    "<p>暖心工程</p><h1>社区食堂火了</h1><h2>四十二家食堂每天供餐一万多份</h2>"
                    "<p>作者：记者 许静</p><p>发布时间：2025-11-24 18:05 来源：青禾湾网</p>"
                    + f"<p>{para}</p>" * 5 + "</div></div></body></html>", encoding="utf-8")
    article = parse(read_source(path))
    assert (article.kicker, article.title, article.subtitle, article.byline, article.date) == (
        "暖心工程", "社区食堂火了", "四十二家食堂每天供餐一万多份", "记者 许静", "2025-11-24")
    body = [p.text for s in article.sections for p in s.paragraphs if p.kind == Kind.BODY]
    assert body == [para] * 5 and len(article.sections) == 1


def test_xhtml_page_with_an_xml_declaration(tmp_path):
    page = (PAGES / "epaper.html").read_text(encoding="utf-8").replace('charset=utf-8', 'charset=gb2312')
    path = tmp_path / "content_101.htm"
    path.write_bytes(b'<?xml version="1.0" encoding="gb2312"?>\n' + page.encode("gb18030"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert parse(source).title == EXPECTED["epaper"][0]


def test_mhtml_without_a_page_and_a_plain_page_named_mhtml(tmp_path):
    message = EmailMessage()
    message.set_content("只有文字，没有网页。")
    path = tmp_path / "text.mhtml"
    path.write_bytes(bytes(message))
    with pytest.raises(InputError, match="no HTML page inside"):
        read_source(path)
    plain = tmp_path / "plain.mht"
    plain.write_bytes((PAGES / "wire.html").read_bytes())
    assert parse(read_source(plain)).title == EXPECTED["wire"][0]


def test_a_folder_of_articles_includes_saved_pages(tmp_path):
    from tingbao.build import expand_articles

    for name in ("a.txt", "b.md", "c.html", "d.mhtml", "e.jpg"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [Path(p).name for p in expand_articles([str(tmp_path)])] == ["a.txt", "b.md", "c.html", "d.mhtml"]
