from tingbao.article import Kind
from tingbao.reading import read_source
from tingbao.structure import parse

from .conftest import DATA, EXAMPLE


def _parse(path):
    return parse(read_source(path))


def test_example_layout():
    a = _parse(EXAMPLE)
    assert a.title == "数字赋能绘就青禾湾新区高质量发展新图景"
    assert a.subtitle == "2025年青禾湾新区建设发展综述"
    assert a.byline == "□ 记者 周明远 通讯员 林晓雪"
    assert [s.heading for s in a.sections] == ["", "建新城", "强产业", "优环境", "暖民生"]
    assert a.sections[1].subheads == ["产城融合 规划引领拓空间"]
    assert [k.line for k in a.skipped] == [1, 71]
    assert all(k.kind == Kind.CAPTION for k in a.skipped)
    kinds = [p.kind for p in a.sections[1].paragraphs]
    assert kinds.count(Kind.LIST_ITEM) == 2 and Kind.ELLIPSIS in kinds


def test_example_mid_word_break_is_joined():
    a = _parse(EXAMPLE)
    joined = [p for s in a.sections for p in s.paragraphs if len(p.lines) == 2]
    assert len(joined) == 1 and "全流程服务，项目" in joined[0].text


def test_outline_nests_and_runin_headings_split():
    a = _parse(DATA / "outline.txt")
    assert a.title == "关于推进社区治理的实施方案"
    assert [(s.heading, s.level) for s in a.sections[1:]] == [
        ("一、总体要求", 1), ("（一）指导思想。", 2), ("（二）工作目标。", 2),
        ("二、重点任务", 1), ("（一）完善议事协商机制", 2), ("（二）提升服务能力", 2)]
    assert a.sections[2].paragraphs[1].text.startswith("坚持以人民为中心")


def test_dateline_is_byline_and_rest_is_body():
    a = _parse(DATA / "dateline.txt")
    assert a.byline == "本报讯（记者 王一帆 通讯员 赵可）"
    assert a.sections[0].paragraphs[-2].text.startswith("近日，河畔公园")


def test_markdown_headings_override_detection(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: 前置标题\nbyline: 记者 张三\n---\n\n导语一句话。\n\n## 第一节\n\n*两个 短语*\n\n"
                    "正文很短\n\n> 编者按：不读。\n\n<!-- 注释\n多行 -->\n\n### 小节\n\n小节正文。\n", encoding="utf-8")
    a = _parse(path)
    assert a.title == "前置标题" and a.byline == "记者 张三"
    assert [(s.heading, s.level) for s in a.sections] == [("", 0), ("第一节", 1), ("小节", 2)]
    assert a.sections[1].subheads == ["两个 短语"]
    text = "".join(p.text for s in a.sections for p in s.paragraphs)
    assert "编者按" not in text and "注释" not in text


def test_stray_latin_word_is_flagged(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("标题在这里啊\n\n党员干部 and 群众一起参加活动。\n", encoding="utf-8")
    assert any(w.code == "latin-word" and w.lines == [3] for w in _parse(path).warnings)


def test_seed_article(seed_path):
    """The real article the product was designed for (see ../shared/seed/README.md)."""
    a = _parse(seed_path)
    assert a.title == "“红色引擎”迸发荆江两岸澎湃动力"
    assert a.subtitle.startswith("2025年荆州市委直属机关工委工作综述")
    assert a.byline == "□ 记者 李天然 通讯员 鲁佳玉"
    top = [s for s in a.sections if s.level == 1]
    assert [(s.heading, s.line, s.subheads) for s in top] == [
        ("举旗帜", 15, ["政治引领 理论武装强信念"]), ("铸堡垒", 43, ["固本强基 聚力赋能促发展"]),
        ("建队伍", 85, ["淬火成钢 提升素质焕活力"]), ("促发展", 131, ["实干笃行 服务大局立新功"])]
    assert sorted(s.line for s in a.sections if s.level == 2) == [103, 113, 121, 139]
    assert [k.line for k in a.skipped if k.kind == Kind.CAPTION] == [5, 7, 101, 153]
    paragraphs = [p for s in a.sections for p in s.paragraphs]
    assert any(p.lines == [35, 37] and "工委强化党组" in p.text for p in paragraphs)
    assert [p.kind for p in paragraphs if 67 in p.lines] == [Kind.ELLIPSIS]
    assert {p.lines[0] for p in paragraphs if p.kind == Kind.LIST_ITEM} == {77, 79, 95, 97}
    assert {(w.code, tuple(w.lines)) for w in a.warnings} == {("latin-word", (59,))}


def test_seed_columns_are_read_in_true_order(seed_path):
    """9–13, 15–41, 43–73, 85–97 + 75–83, 131–149 + 103–129 (see the seed's README)."""
    a = _parse(seed_path)
    assert [(m.from_lines, m.to_after_line) for m in a.moves] == [([75, 83], 97), ([103, 129], 149)]
    order = [n for s in a.sections for p in s.paragraphs for n in p.lines]
    expected = [*range(9, 14, 2), *range(15, 42, 2), *range(43, 74, 2), *range(85, 98, 2), *range(75, 84, 2),
                *range(131, 150, 2), *range(103, 130, 2)]
    assert order == expected
    cut = next(p for s in a.sections for p in s.paragraphs if 97 in p.lines)
    assert cut.lines == [97, 75] and "有序开展" in cut.text
    assert [s.heading for s in a.sections if s.level == 1][-1] == "促发展"
    assert [s.line for s in a.sections][-4:] == [139, 103, 113, 121]
