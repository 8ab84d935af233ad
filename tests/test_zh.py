"""zh.py: the shared facts about written Chinese."""

import subprocess
import sys

import pytest

from tingbao import zh


@pytest.mark.parametrize("text, count", [("新华社", 3), ("5G网络", 4), ("“好！”", 1), ("……", 0), ("", 0),
                                         ("ＡＢＣ", 3), ("Ⅲ期", 2), (" ，。", 0)])
def test_spoken_chars_counts_what_a_voice_reads(text, count):
    assert zh.spoken_chars(text) == count
    assert zh.is_silent(text) is (count == 0)


def test_han_ranges():
    assert zh.han_count("中文abc㐀") == 3  # Extension A is Chinese to the layout rules
    assert zh.has_han("abc中") and not zh.has_han("abc 123，")
    assert "\u4e00" <= "中" <= "\u9fff" and zh.HAN == "\u4e00-\u9fff"


def test_punctuation_tables_nest():
    assert set(zh.FULL_STOPS) < set(zh.ENDERS) < set(zh.TERMINAL)
    assert set(zh.ENDERS) < set(zh.SENTENCE_PUNCT) and "、" not in zh.SENTENCE_PUNCT
    assert not set(zh.CLOSE_QUOTES) & set(zh.OPEN_QUOTES)
    assert set(zh.CLOSE_QUOTES) <= set(zh.CLOSERS)
    for full, ascii_ in ("。.", "！!", "？?", "；;", "：:", "，,"):
        if full != "。":
            assert (full in zh.SENTENCE_PUNCT) == (ascii_ in zh.SENTENCE_PUNCT), full


@pytest.mark.slow  # a fresh interpreter loading jieba's dictionary
def test_jieba_says_nothing_on_stderr():
    """jieba logs "Building prefix dict…" / "Loading model…" to stderr; users must not see them."""
    code = ("from tingbao.zh import quiet_jieba\nimport jieba.posseg\nj = quiet_jieba()\n"
            "assert j is quiet_jieba()\nlist(j.cut('新区建设发展'))\nlist(jieba.posseg.cut('新区建设'))\n"
            "from tingbao.lexicon import apply_lexicon\napply_lexicon('长江委开会', {'长江委': '长江水利委员会'})\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
