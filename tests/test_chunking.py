import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tingbao import plan_article
from tingbao.speech.chunking import cut_long, make_chunks, split_sentences

from .conftest import EXAMPLE


def test_split_keeps_closing_quotes_and_never_splits_inside_quotes():
    text = "“壹引其纲，万目皆张。”市委坚持。他说：“我们要努力。我们要奋斗。”真的吗？！好……"
    assert split_sentences(text) == ["“壹引其纲，万目皆张。”", "市委坚持。", "他说：“我们要努力。我们要奋斗。”",
                                     "真的吗？！", "好……"]


def test_ellipsis_inside_paragraph_does_not_end_sentence():
    assert split_sentences("疏堵点、聚人气、护平安……荆州干部冲锋在前。") == ["疏堵点、聚人气、护平安……荆州干部冲锋在前。"]


def test_cut_long_prefers_stronger_punctuation():
    sentence = "甲" * 30 + "；" + "乙" * 30 + "，" + "丙" * 30 + "。"
    pieces = cut_long(sentence, 40)
    assert "".join(pieces) == sentence
    assert pieces[0].endswith("；")
    assert all(len(p) <= 40 for p in pieces)


def test_cut_long_never_inside_digits():
    sentence = "新区" + "投资" * 30 + "12345678" + "亿元建设" * 10
    for piece in cut_long(sentence, 20):
        assert not (piece[-1].isdigit() and sentence[sentence.index(piece) + len(piece)].isdigit())


HAN = st.sampled_from(list("新区建设发展人民群众服务企业项目年月日的了是在和"))
PUNCT = st.sampled_from(list("，。！？；：、“”……——《》"))
TOKENS = st.one_of(HAN, HAN, HAN, PUNCT, st.sampled_from(["2025年", "1.2万", "3.5%", "5G", "12", "\n\n"]))
TEXTS = st.lists(TOKENS, min_size=1, max_size=400).map("".join)


def _plan_text(tmp_path, text, max_chars):
    path = tmp_path / "a.txt"
    path.write_text("标题测试新闻\n\n" + text + "\n\n结尾是中文。", encoding="utf-8")
    return plan_article(path, max_chars=max_chars)


@settings(deadline=None)
@given(text=TEXTS, max_chars=st.integers(min_value=20, max_value=200))
def test_chunks_cover_the_body_exactly(tmp_path_factory, text, max_chars):
    article = _plan_text(tmp_path_factory.mktemp("p"), text, max_chars)
    chunks = make_chunks(article, max_chars)
    strip = lambda t: re.sub(r"\s", "", t)  # noqa: E731
    for paragraph in (p for s in article.sections for p in s.paragraphs):  # every character lands in a sentence
        assert strip("".join(s.text for s in paragraph.sentences)) == strip(paragraph.text)
    voiced = [s for s in article.sentences if not s.is_silent]
    assert [s.index for c in chunks for s in c.sentences] == [s.index for s in voiced]  # each once, in order
    assert strip("".join(c.text for c in chunks)) == strip("".join(s.text for s in voiced))
    assert all(len(c.speech) <= max_chars for c in chunks)
    assert all(any(ch.isalnum() for ch in c.speech) for c in chunks)
    order = [(c.section, c.paragraph) for c in chunks]
    assert order == sorted(order)
    assert [s.index for c in chunks for s in c.sentences] == sorted(s.index for c in chunks for s in c.sentences)


def test_example_chunks_never_cross_sections_and_keys_are_stable():
    a = make_chunks(plan_article(EXAMPLE, max_chars=80), 80, "local/baker")
    b = make_chunks(plan_article(EXAMPLE, max_chars=80), 80, "local/baker")
    assert [c.key for c in a] == [c.key for c in b]
    assert all(len({s.section for s in c.sentences}) == 1 for c in a)
    other_voice = make_chunks(plan_article(EXAMPLE, max_chars=80), 80, "edge/Yunyang")
    assert not {c.key for c in a} & {c.key for c in other_voice}


def test_ellipsis_line_is_a_pause_not_a_chunk():
    article = plan_article(EXAMPLE)
    silent = [s for s in article.sentences if s.is_silent]
    assert [s.text for s in silent] == ["……"]
    assert all("……" != c.text for c in make_chunks(article, 120))


def test_cut_long_terminates_when_only_punctuation_follows_the_last_comma():
    sentence = "新" * 14 + "2025年，，"
    pieces = cut_long(sentence, 20)
    assert "".join(pieces) == sentence
