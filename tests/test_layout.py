"""Per-line layout rules (layout.py): each is a general fact about how Chinese papers set a page."""

import pytest

from tingbao import layout as L


@pytest.mark.parametrize("text, ends", [
    ("村里的路修好了。", True), ("他问：“路什么时候修好？”", True), ("真的吗？！", True), ("而且……", True),
    ("记者来到现场：", True), ("在推动攻坚克难上激活力——", True), ("（本版图片均为资料图）", True),
    ("Done!", True), ("今年以来，全区新建", False), ("投资12亿元", False), ("", False), ("”", False),
])
def test_ends_sentence(text, ends):
    assert L.ends_sentence(text) is ends


@pytest.mark.parametrize("text, rank", [
    ("第一部分 总体要求", 0), ("第3章 建设任务", 0), ("一、坚持党建引领", 1), ("十二．强化保障", 1),
    ("（一）做强县域产业", 2), ("(三)完善机制", 2), ("1. 加快建设", 3), ("02 聚焦民生", 3), ("（2）优化服务", 4),
    ("(12)压实责任", 4),
])
def test_numbered_heading_ranks(text, rank):
    found = L.numbered_heading(text)
    assert found is not None and found[0] == rank


@pytest.mark.parametrize("text", ["一、", "（一）", "3.5亿元投资", "2024年全区", "一二三"])
def test_not_numbered_headings(text):
    assert L.numbered_heading(text) is None


@pytest.mark.parametrize("text, heading", [
    ("举旗帜", True), ("政治引领 理论武装强信念", True), ("一、坚持党建引领", True), ("在赋能经济发展上出实招——", True),
    ("全区上下齐心协力，推动发展。", False), ("他说", True), ("好", False), ("AB", False),
    ("这是一个非常非常非常非常非常非常非常非常非常非常长的标题行", False),
])
def test_is_heading_like(text, heading):
    assert L.is_heading_like(text) is heading


def test_two_phrases_make_a_subhead():
    assert L.is_two_phrase("政治引领 理论武装强信念")
    assert L.is_two_phrase("民生实事\u3000件件落地")
    assert not L.is_two_phrase("政治引领")
    assert not L.is_two_phrase("甲 乙丙 丁戊")


@pytest.mark.parametrize("text, byline", [
    ("□ 本报记者 张三 通讯员 李四", True), ("记者 王五", True), ("文/赵六", True), ("作者：钱七", True),
    ("记者来到村里，看到路已修好。", False), ("村民说记者来了", False), ("本报记者" + "很长" * 40, False),
])
def test_is_byline(text, byline):
    assert L.is_byline(text) is byline


def test_list_items_and_dashes():
    assert L.is_list_item("——坚持问题导向")
    assert not L.is_list_item("——")
    assert not L.is_list_item("坚持问题导向——")
    assert L.strip_dash("—— 坚持问题导向") == "坚持问题导向"
    assert L.strip_dash("--坚持") == "坚持"


@pytest.mark.parametrize("text, one", [
    ("志愿者为老人送去慰问品", True), ("志愿者为老人送去慰问品。", True), ("志愿者送去慰问品。老人很高兴。", False),
    ("村民在田间劳作。记者 张三 摄", True), ("问题一；问题二", False),
])
def test_single_sentence(text, one):
    assert L.single_sentence(text) is one


def test_caption_score_orders_captions_above_body():
    assert L.caption_score("图为志愿者在社区开展义诊活动。") == 3
    assert L.caption_score("社区志愿者开展义诊活动（记者 张三 摄）") == 3
    activity = L.caption_score("志愿者在社区开展义诊活动")
    plain = L.caption_score("村民在田间")
    assert activity > plain
    assert L.caption_score("他表示，下一步将继续努力") < plain  # reported speech is body text
    assert L.caption_score("去年以来，志愿者在社区开展义诊活动") < activity  # a time opener starts a paragraph
    assert L.caption_score("第一句话。第二句话。") == -5


def test_parallel_headings_share_a_shape():
    assert L.parallel("在推动攻坚克难上激活力——", "在赋能经济发展上出实招——")
    assert L.parallel("5时，批发市场", "7时，肉摊前")
    assert not L.parallel("5时，批发市场", "坚持党建引领")


@pytest.mark.parametrize("text", ["本报讯（记者 张三）", "新华社北京3月5日电（记者 李四）", "（新华社北京3月5日电）",
                                  "本报讯 记者 张三 报道"])
def test_datelines(text):
    assert L.DATELINE.match(text)


@pytest.mark.parametrize("text, author", [
    ("省委党校调研组", True), ("某某市市长 王五", True), ("文/赵六", True), ("某某县人民政府", True),
    ("调研组来到村里", False),
])
def test_author_lines(text, author):
    assert bool(L.AUTHOR_LINE.match(text)) is author


def test_latin_words_inside_chinese():
    assert [m.group(1) for m in L.LATIN_WORD.finditer("这个app很好用，用户说ok")] == ["app"]
    assert not L.LATIN_WORD.search("使用5G网络")


@pytest.mark.parametrize("text, ellipsis", [("……", True), ("……" * 3, True), ("...", True), ("。。。", True),
                                            ("…", False), ("好……", False)])
def test_ellipsis_lines(text, ellipsis):
    assert bool(L.ELLIPSIS.match(text)) is ellipsis
