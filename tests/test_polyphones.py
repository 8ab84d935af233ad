"""Polyphones in news phrasing: the citation reading of the bracketed character (before sandhi).

The cases in polyphone_cases.tsv were written for tingbao; they cover what users reported
(为 as wéi, 长, 差 chā, 都, 得 děi, 了 liǎo, 行 háng, 和 huó/hú, rarer characters and names).
"""

from pathlib import Path

import pytest

from tingbao.engines.local.frontend import to_pinyin

ROWS = [(line.split("\t") + [""])[:3]
        for line in (Path(__file__).parent / "polyphone_cases.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")]
KNOWN_MISSES = [(marked, expected) for marked, expected, note in ROWS if note == "miss"]


def reading(marked: str) -> str:
    index = marked.index("[")
    text = marked.replace("[", "").replace("]", "")
    pos = 0
    for syl in to_pinyin(text, lexical=True)[0]:
        pos = text.index(syl.char, pos)
        if pos == index:
            return syl.pinyin
        pos += 1
    raise AssertionError(f"{text[index]} not read in {text}")


@pytest.mark.parametrize(
    "marked, expected",
    [pytest.param(m, e, marks=pytest.mark.xfail(strict=True, reason="known miss")) if note == "miss" else (m, e)
     for m, e, note in ROWS],
    ids=[f"{i:03d}-{r[1]}" for i, r in enumerate(ROWS)])
def test_news_polyphone(marked, expected):
    assert reading(marked) == expected


def test_known_misses_stay_few():
    """The cases the frontend still misreads are marked in the table, not dropped from it."""
    assert len(ROWS) >= 700 and len(KNOWN_MISSES) / len(ROWS) < 0.03, len(KNOWN_MISSES)


def _pypinyin_alone(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda chars: [""] * len(chars))


def test_our_rules_rescue_what_pypinyin_alone_misreads():
    """The table is large and most of its worth is in cases pypinyin's phrase data alone gets wrong;
    fails when the word table, g2pM or the context rules stop deciding (48 of 245 when written, 158 of 820
    after the everyday-news cases)."""
    rescued = [marked for marked, want, _note in ROWS
               if reading(marked) == want
               and _pypinyin_alone(marked.replace("[", "").replace("]", ""))[marked.index("[")] != want]
    assert len(ROWS) >= 800 and len(rescued) >= 140, len(rescued)


def test_table_entries_have_one_valid_syllable_per_character():
    from tingbao.engines.local.pron_data import CHARS, PHRASES, WHOLE_WORDS
    from tingbao.lexicon import is_pinyin

    for word, pinyin in {**PHRASES, **CHARS, **WHOLE_WORDS}.items():
        assert len(pinyin.split()) == len(word) and is_pinyin(pinyin), word


def test_names_keep_their_er_and_quotes_are_not_read():
    syllables = [s for clause in to_pinyin("“塔塔儿”族的歌手在《哪儿》中演唱。") for s in clause]
    assert "".join(s.char for s in syllables) == "塔塔儿族的歌手在哪儿中演唱"
    assert [s.pinyin for s in syllables if s.char == "儿"] == ["er2", "er5"]
