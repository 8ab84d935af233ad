"""Polyphones, tone sandhi, neutral tones and erhua: expected surface pinyin (what a speaker says)."""

import functools
import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tingbao.engines.local.frontend import to_pinyin, to_symbols

CASES = [
    ("重庆", "chong2 qing4"), ("重新", "chong2 xin1"), ("重要", "zhong4 yao4"), ("重量", "zhong4 liang4"),
    ("银行", "yin2 hang2"), ("行走", "xing2 zou3"), ("行业", "hang2 ye4"), ("进行", "jin4 xing2"),
    ("长大", "zhang3 da4"), ("长度", "chang2 du4"), ("校长", "xiao4 zhang3"), ("长江", "chang2 jiang1"),
    ("为了", "wei4 le5"), ("作为", "zuo4 wei2"), ("认为", "ren4 wei2"), ("因为", "yin1 wei4"),
    ("还是", "hai2 shi4"), ("还钱", "huan2 qian2"), ("归还", "gui1 huan2"), ("他还在", "ta1 hai2 zai4"),
    ("一样", "yi2 yang4"), ("一个", "yi2 ge4"), ("一次", "yi2 ci4"), ("第一", "di4 yi1"),
    ("一天", "yi4 tian1"), ("一年", "yi4 nian2"), ("一起", "yi4 qi3"), ("统一", "tong3 yi1"),
    ("十一", "shi2 yi1"), ("一月", "yi1 yue4"), ("看一看", "kan4 yi5 kan4"), ("一点二", "yi1 dian3 er4"),
    ("不是", "bu2 shi4"), ("不对", "bu2 dui4"), ("不好", "bu4 hao3"), ("不能", "bu4 neng2"),
    ("是不是", "shi4 bu5 shi4"), ("你好", "ni2 hao3"), ("展览馆", "zhan2 lan2 guan3"), ("我很好", "wo3 hen2 hao3"),
    ("领导", "ling2 dao3"), ("水果", "shui2 guo3"), ("了解", "liao2 jie3"), ("好了", "hao3 le5"),
    ("觉得", "jue2 de5"), ("得到", "de2 dao4"), ("音乐", "yin1 yue4"), ("快乐", "kuai4 le4"),
    ("都市", "du1 shi4"), ("我们都", "wo3 men5 dou1"), ("朝阳", "zhao1 yang2"), ("朝代", "chao2 dai4"),
    ("发展", "fa1 zhan3"), ("发现", "fa1 xian4"), ("会计", "kuai4 ji4"), ("开会", "kai1 hui4"),
    ("数学", "shu4 xue2"), ("处理", "chu2 li3"), ("好处", "hao3 chu4"), ("调查", "diao4 cha2"),
    ("调整", "tiao2 zheng3"), ("干部", "gan4 bu4"), ("干净", "gan1 jing4"), ("地方", "di4 fang1"),
    ("我们", "wo3 men5"), ("哪儿", "na3 er5"), ("一点儿", "yi4 dian3 er5"), ("儿童", "er2 tong2"),
    ("买东西", "mai3 dong1 xi5"), ("东西走向", "dong1 xi1 zou3 xiang4"), ("体育健儿", "ti3 yu4 jian4 er2"),
    ("商量商量", "shang1 liang5 shang1 liang5"), ("老朋友", "lao3 peng2 you5"), ("大部分", "da4 bu4 fen5"), ("长三角", "chang2 san1 jiao3"), ("理发店", "li3 fa4 dian4"),
    ("一本书", "yi4 ben3 shu1"), ("周一天气", "zhou1 yi1 tian1 qi4"), ("十一月一日", "shi2 yi1 yue4 yi1 ri4"), ("一日三餐", "yi2 ri4 san1 can1"),
    ("小孩儿", "xiao3 hai2 er5"), ("对不起", "dui4 bu5 qi3"), ("来不及", "lai2 bu5 ji2"),
    ("决不会", "jue2 bu2 hui4"), ("要不是", "yao4 bu2 shi4"), ("小女儿", "xiao2 nv3 er2"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_pinyin(text, expected):
    assert " ".join(s.pinyin for clause in to_pinyin(text) for s in clause) == expected


def test_sandhi_and_polyphones_are_what_the_cases_test():
    """At least 60 cases, and a fair share that plain pypinyin (no sandhi, neutral tones, erhua or
    polyphone rules) reads wrong while we read them right (17 of 68 when written)."""
    from pypinyin import Style, lazy_pinyin

    def plain(text: str) -> str:
        return " ".join(p for p in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True,
                                               errors=lambda chars: [""] * len(chars)) if p)

    ours = {text: " ".join(s.pinyin for clause in to_pinyin(text) for s in clause) for text, _ in CASES}
    rescued = [text for text, want in CASES if ours[text] == want and plain(text) != want]
    assert len(CASES) >= 60 and len(rescued) >= 15, len(rescued)


def test_lexicon_pinyin_wins():
    lexicon = {"长沙": "chang2 sha1", "行长": "hang2 zhang3"}
    assert [s.pinyin for c in to_pinyin("行长在长沙", lexicon) for s in c] == ["hang2", "zhang3", "zai4", "chang2", "sha1"]


MAPPER = {"pinyin_dict": {"zhong": ["zh", "ong"], "guo": ["g", "uo"], "ren": ["r", "en"], "hao": ["h", "ao"],
                          "ni": ["n", "i"], "er": ["^", "er"], "na": ["n", "a"]}}


def test_symbols_have_prosody_marks_and_ends():
    r = to_symbols("中国人，你好。", MAPPER["pinyin_dict"])
    assert r.symbols == ["sil", "zh", "ong1", "#0", "g", "uo2", "#1", "r", "en2", "#3",
                         "n", "i2", "#0", "h", "ao3", "sil", "eos"]


def test_unreadable_characters_are_reported():
    r = to_symbols("中国☃人", MAPPER["pinyin_dict"])
    assert r.unreadable == ["☃"]


def test_erhua_is_er5_after_the_syllable():
    r = to_symbols("哪儿", MAPPER["pinyin_dict"])
    assert r.symbols == ["sil", "n", "a3", "er5", "sil", "eos"]


def test_real_mapper_covers_example(model_dir):
    from tingbao import plan_article

    from .conftest import EXAMPLE

    mapper = json.loads((model_dir / "baker_mapper.json").read_text(encoding="utf-8"))
    for sentence in plan_article(EXAMPLE).sentences:
        result = to_symbols(sentence.speech, mapper["pinyin_dict"])
        assert not result.unreadable, sentence.speech
        assert all(s in mapper["symbol_to_id"] for s in result.symbols)


SANDHI = [
    # 一 before each tone, and 一 read as a number
    ("一般", "yi4 ban1"), ("一直", "yi4 zhi2"), ("一把", "yi4 ba3"), ("一步", "yi2 bu4"),
    ("他在一中读书", "ta1 zai4 yi1 zhong1 du2 shu1"), ("第一名", "di4 yi1 ming2"), ("十一", "shi2 yi1"),
    ("一九九一年", "yi1 jiu2 jiu3 yi1 nian2"), ("二零一一年", "er4 ling2 yi1 yi1 nian2"), ("一号", "yi1 hao4"),
    ("一百", "yi4 bai3"), ("一二三", "yi1 er4 san1"),
    # 不 before each tone
    ("不知", "bu4 zhi1"), ("不同", "bu4 tong2"), ("不满", "bu4 man3"), ("不够", "bu2 gou4"),
    # third-tone runs, inside a word and across words
    ("保险", "bao2 xian3"), ("永远", "yong2 yuan3"), ("管理者", "guan2 li2 zhe3"), ("洗澡水", "xi2 zao2 shui3"),
    ("我也想", "wo3 ye2 xiang3"), ("五百", "wu2 bai3"),
    # erhua, but never the 儿 of a name
    ("一会儿", "yi2 hui4 er5"), ("塔塔儿", "ta2 ta3 er2"),
]


@pytest.mark.parametrize("text, expected", SANDHI)
def test_sandhi_and_numbers(text, expected):
    assert " ".join(s.pinyin for clause in to_pinyin(text) for s in clause) == expected


def test_punctuation_is_a_pause_or_nothing_never_unreadable():
    r = to_symbols("“中国”《人》（你好）——国人；中国：好、人·国", MAPPER["pinyin_dict"])
    assert r.unreadable == []
    assert r.symbols == ["sil", "zh", "ong1", "#0", "g", "uo2", "#1", "r", "en2", "#2", "n", "i2", "#0", "h", "ao3",
                         "#2", "g", "uo2", "#0", "r", "en2", "#3", "zh", "ong1", "#0", "g", "uo2", "#3",
                         "h", "ao3", "#2", "r", "en2", "#2", "g", "uo2", "sil", "eos"]


_CJK_AND_PUNCT = st.text(st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                                   st.sampled_from(list("“”‘’《》〈〉「」；：、（）—–·…！？。，,.;:()[]【】 \t\n儿一不")),
                                   st.characters()), max_size=80)


@settings(deadline=None)
@given(text=_CJK_AND_PUNCT)
def test_any_text_gives_valid_symbols(model_dir, text):
    mapper = _mapper(model_dir)
    result = to_symbols(text, mapper["pinyin_dict"])
    assert all(s in mapper["symbol_to_id"] for s in result.symbols)
    assert all(unicodedata.category(ch)[0] != "P" for ch in result.unreadable)
    if result.symbols:
        assert result.symbols[0] == "sil" and result.symbols[-2:] == ["sil", "eos"]


@functools.lru_cache(maxsize=1)
def _mapper(model_dir):
    return json.loads((model_dir / "baker_mapper.json").read_text(encoding="utf-8"))


def test_a_lexicon_tokenizer_shares_posseg_s_tag_table_and_tags_alike():
    """With a lexicon, the frontend's tagger reuses posseg's word -> tag table instead of parsing dict.txt again,
    and tags exactly as jieba's own POSTokenizer over the same lexicon tokenizer would."""
    import jieba.posseg as posseg

    from tingbao.engines.local import frontend as F
    from tingbao.lexicon import tokenizer as lexicon_tokenizer

    words = ("长江委", "青禾湾")
    mine = F._tokenizer(words)
    assert mine.word_tag_tab is posseg.dt.word_tag_tab
    reference = posseg.POSTokenizer(lexicon_tokenizer(words))
    text = "长江委今天在青禾湾召开会议，行长说银行的长期利率会调整。"
    assert [(w.word, w.flag) for w in mine.cut(text)] == [(w.word, w.flag) for w in reference.cut(text)]
