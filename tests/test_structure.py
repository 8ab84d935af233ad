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


def _text(tmp_path, text, name="a.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return _parse(path)


def _headings(a):
    return [(s.heading, s.level) for s in a.sections if s.level]


def _spoken(a):
    return "".join(p.text for s in a.sections for p in s.paragraphs)


BODY = "这一段是正文，讲了一件具体的事情，篇幅比标题长得多，也有完整的句号。"


def test_comma_and_question_headings_by_siblings(tmp_path):
    a = _text(tmp_path, f"早市见闻录在这里\n\n{BODY}\n\n5时，批发市场\n{BODY}\n\n6时30分，城西菜市场\n{BODY}\n\n"
                        f"8时，早高峰过后\n{BODY}\n")
    assert _headings(a) == [("5时，批发市场", 1), ("6时30分，城西菜市场", 1), ("8时，早高峰过后", 1)]
    b = _text(tmp_path, f"预付卡退费新规解读\n\n{BODY}\n\n为何要设冷静期？\n\n{BODY}\n\n冷静期内退卡，要扣钱吗？\n\n{BODY}\n")
    assert _headings(b) == [("为何要设冷静期？", 1), ("冷静期内退卡，要扣钱吗？", 1)]


def test_numbered_comma_headings_and_runin_with_comma(tmp_path):
    a = _text(tmp_path, f"县域产业调研报告全文\n\n{BODY}\n\n一、稳住粮食生产，守牢耕地红线\n\n{BODY}\n\n"
                        f"（一）做强县域产业，带动就近就业。{BODY}\n\n（二）盘活存量土地，提高亩均效益。{BODY}\n\n"
                        f"二、服务跟上去，农民才踏实\n\n{BODY}\n")
    assert _headings(a) == [("一、稳住粮食生产，守牢耕地红线", 1), ("（一）做强县域产业，带动就近就业。", 2),
                            ("（二）盘活存量土地，提高亩均效益。", 2), ("二、服务跟上去，农民才踏实", 1)]


def test_enumeration_in_a_statute_is_body(tmp_path):
    a = _text(tmp_path, "某市条例全文在这里\n\n第一章　总则\n\n第一条　本条例所称作品，包括下列形式：\n\n（一）文字作品；\n\n"
                        "（二）口述作品；\n\n（三）符合作品特征的其他智力成果。\n\n第二条　本条例自公布之日起施行。\n")
    assert _headings(a) == [("第一章　总则", 1)]


def test_epaper_web_chrome_and_credits_are_skipped(tmp_path):
    a = _text(tmp_path, "《 晨江日报 》（ 2024年05月06日 第 03 版）\n\n图②：技术人员为村民检修旋耕机。\n\n记者 何远帆 摄\n\n"
                        "春耕一线见闻录\n\n来源：晨江新闻网 | 2024-05-06 08:30\n字号：大 中 小  打印  关闭窗口\n分享让更多人看到\n"
                        f"{BODY * 2}\n\n李四 摄\n\n{BODY}（本报记者李四参与采写）\n\n责任编辑：王五\n订阅 收藏 大字号\n")
    assert a.title == "春耕一线见闻录"
    reasons = {k.line: k.reason for k in a.skipped}
    assert reasons[1] == "e-paper source line" and reasons[3].startswith("photo caption")
    assert reasons[5] == "photo credit" and reasons[14] == "photo credit"
    assert {9, 10, 11, 18, 19} <= set(reasons) and 12 not in reasons
    assert any(k.reason == "closing credit" and k.text == "（本报记者李四参与采写）" for k in a.skipped)
    assert "摄" not in _spoken(a) and "参与采写" not in _spoken(a) and "订阅" not in _spoken(a)


def test_hard_wrapped_book_is_unwrapped(tmp_path):
    para = "我冒了严寒回到相隔二千余里别了二十余年的故乡去时候既然是深冬渐近故乡时天气又阴晦了冷风吹进船舱中呜呜的响" * 3
    lines = [para[k:k + 30] for k in range(0, len(para), 30)]
    text = "故乡\n鲁迅\n\n七\n\n" + "\n".join(lines) + "。\n\n八\n\n" + "\n".join(lines) + "。\n"
    a = _text(tmp_path, text)
    assert (a.title, a.byline) == ("故乡", "鲁迅")
    assert _headings(a) == [("七", 1), ("八", 1)]
    assert [len(p.lines) for s in a.sections[1:] for p in s.paragraphs if p.kind == Kind.BODY] == [len(lines)] * 2
    assert not a.skipped


def test_table_of_contents_is_skipped(tmp_path):
    a = _text(tmp_path, f"某某规划文本全文\n\n目　录\n第一章　发展基础……1\n第二章　总体要求……4\n第三章　保障措施……9\n\n"
                        f"第一章　发展基础\n\n{BODY}\n\n第二章　总体要求\n\n{BODY}\n\n第三章　保障措施\n\n{BODY}\n")
    assert [h for h, _ in _headings(a)] == ["第一章　发展基础", "第二章　总体要求", "第三章　保障措施"]
    assert [k.reason for k in a.skipped] == ["table of contents"] * 4


def test_author_under_title_and_long_headline_note(tmp_path):
    a = _text(tmp_path, f"让老年助餐服务既吃得上又吃得好，既办得起来又办得长久（专家谈）\n\n王五\n\n{BODY}\n\n"
                        "一、先说问题\n\n" + BODY + "\n\n二、再说办法\n\n" + BODY + "\n\n（作者为某大学教授）\n")
    assert a.title.endswith("（专家谈）") and a.byline == "王五"
    assert _headings(a) == [("一、先说问题", 1), ("二、再说办法", 1)]
    assert a.skipped[-1].reason == "closing credit"


def test_two_line_heading_block_stays_together(tmp_path):
    a = _text(tmp_path, f"春耕生产一线见闻\n\n{BODY}\n\n一、农机下田\n\n县农机站站长李四——\n\n“农时不等人”\n\n凌晨五点半{BODY}\n\n"
                        f"种粮大户钱满仓——\n\n“算了一笔明白账”\n\n{BODY}\n")
    assert _headings(a) == [("一、农机下田", 1), ("县农机站站长李四", 2), ("种粮大户钱满仓", 2)]
    assert [s.subheads for s in a.sections if s.level == 2] == [["“农时不等人”"], ["“算了一笔明白账”"]]
    assert a.sections[2].paragraphs[-1].text.startswith("凌晨五点半")


def test_dialogue_ending_in_ellipsis_is_body(tmp_path):
    a = _text(tmp_path, f"老周的调解记事本\n\n{BODY}\n\n“这日子没法过了……”\n\n{BODY}\n\n“你先回去吧……”\n\n{BODY}\n")
    assert _headings(a) == [] and not a.skipped
    assert "你先回去吧" in _spoken(a)


def test_datelines(tmp_path):
    a = _text(tmp_path, f"首条班列开行\n\n本报杭州3月2日电  （记者张三）{BODY}\n\n{BODY}\n")
    assert a.byline == "本报杭州3月2日电  （记者张三）"
    b = _text(tmp_path, f"茶山上新了\n\n新华社北京3月2日电（记者 李四）{BODY}\n\n{BODY}\n\n（完）\n")
    assert b.byline == "新华社北京3月2日电（记者 李四）" and b.skipped[-1].text == "（完）"


def test_no_false_alarm_on_a_clean_article(tmp_path):
    a = _text(tmp_path, f"深夜十点的社区书房\n\n{BODY}\n\n{BODY}\n\n“我每天都来。”一位读者说。\n\n{BODY}\n")
    assert a.warnings == [] and a.moves == [] and a.skipped == []


def test_notice_fields_and_look_alike_headings_stay_spoken(tmp_path):
    a = _text(tmp_path, f"关于举办读书分享会的通知\n\n{BODY}\n\n时间：2024年5月1日上午9时\n\n联系人：张三，电话：12345678\n\n"
                        f"关注民生 倾听民意\n\n{BODY}\n")
    spoken = _spoken(a)
    assert "上午9时" in spoken and "联系人" in spoken and "关注民生" in spoken and not a.skipped


def test_lettered_epaper_page_and_wire_closing(tmp_path):
    a = _text(tmp_path, "第A03版：要闻\n\n2024年5月6日 星期一\n\n湿地公园迎来候鸟\n\n"
                        f"新华社南昌3月2日电（记者 王五）{BODY}\n\n（完）\n\n【纠错】 【责任编辑:王五】\n")
    assert a.title == "湿地公园迎来候鸟" and a.byline == "新华社南昌3月2日电（记者 王五）"
    assert [k.line for k in a.skipped] == [1, 3, 9, 11]
