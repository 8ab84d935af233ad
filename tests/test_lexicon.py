"""lexicon.py: whole-word replacements, pinyin entries for the frontend, checks at load."""

import pytest

from tingbao.errors import ConfigError
from tingbao.lexicon import apply_lexicon, check_lexicon, from_toml, is_pinyin, pinyin_entries, text_entries, tokenizer


@pytest.mark.parametrize("value, pinyin", [("chong2 qing4", True), ("lü4", True), ("Chang2  Sha1", True),
                                           ("chong qing", False), ("长江", False), ("WTO", False), ("a6", False)])
def test_is_pinyin(value, pinyin):
    assert is_pinyin(value) is pinyin


def test_entries_split_by_who_reads_them():
    lexicon = {"重庆": "chong2 qing4", "WTO": "世界贸易组织"}
    assert pinyin_entries(lexicon) == {"重庆": "chong2 qing4"}
    assert text_entries(lexicon) == {"WTO": "世界贸易组织"}
    assert pinyin_entries(None) == {} == text_entries(None)


def test_whole_words_only_and_pinyin_left_in_place():
    lexicon = {"长江委": "长江水利委员会", "重庆": "chong2 qing4"}
    assert apply_lexicon("长江委在重庆开会", lexicon) == "长江水利委员会在重庆开会"
    assert apply_lexicon("江边", {"江": "河"}) == "河边"
    assert apply_lexicon("长江边", {"江": "河"}) == "长江边"  # 江 inside the word 长江 stays
    assert apply_lexicon("没有词", lexicon) == "没有词"


def test_one_tokenizer_per_lexicon_keeps_its_words_whole():
    words = ("青禾湾",)
    assert tokenizer(words) is tokenizer(words)
    assert "青禾湾" in list(tokenizer(words).cut("青禾湾的早晨", HMM=False))


def test_check_cleans_keys_like_article_text():
    assert check_lexicon({"ＧＤＰ": " 国内生产总值 "}, "t") == {"GDP": "国内生产总值"}


@pytest.mark.parametrize("table, words", [("x", "must map words"), ({"a": 1}, "must map words"),
                                          ({"重庆": "chong2"}, "one syllable per character")])
def test_from_toml_refuses_bad_tables(table, words):
    with pytest.raises(ConfigError, match=words):
        from_toml(table, "tingbao.toml")
