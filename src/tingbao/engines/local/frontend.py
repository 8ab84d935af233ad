"""Mandarin frontend: speech text -> pinyin -> the Baker model's symbols with prosody marks.

jieba (with POS) segments; polyphones.py gives each character its citation reading (pypinyin's
phrase data, g2pM's model, our table and context rules); the rules below do the rest: tone
sandhi (third-tone runs, 一, 不), erhua, and the prosody marks the model was trained with (#0
inside a prosodic word, #1 between words, #2 phrase, #3 clause: the labels of the Baker (标贝)
corpus that TensorFlowTTS's Baker recipe trained the model on).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ...lexicon import pinyin_entries
from ...lexicon import tokenizer as lexicon_tokenizer
from ...zh import CLAUSE_MARKS, ELLIPSIS, FULL_STOPS, compact_posseg, quiet_jieba
from . import polyphones
from .pron_data import NEUTRAL_ENDINGS

FRONTEND_VERSION = "fe-4"  # part of the cache key: bump when readings (or where sentences are cut) change

_CLAUSE = set(CLAUSE_MARKS)  # → #3 (intonational phrase)
_LIGHT = set("、 ·（）()[]【】—–―~～/|")  # → #2 (prosodic phrase)
_END = set(FULL_STOPS + ELLIPSIS)
_PARTICLES = {"的", "了", "着", "过", "们", "地", "得", "吗", "呢", "吧", "啊", "呀", "嘛", "么", "之"}
_PARTICLE_POS = {"uj", "ul", "uz", "ug", "uv", "ud", "y", "e", "u"}
_NUMERALS = set("零〇一二三四五六七八九十百千万亿两点幺")
_NO_ERHUA = {"儿子", "儿童", "女儿", "婴儿", "幼儿", "孤儿", "健儿", "男儿", "少儿", "胎儿", "患儿", "宠儿", "孩儿",
             "儿女", "托儿", "育儿", "儿科", "新生儿", "留守儿童", "小儿", "孙儿", "犬儿", "侄儿"}
# words ending in these keep a full 儿 after a prefix too (体育健儿, 小女儿); 孩儿 does not (小孩儿 is erhua)
_NO_ERHUA_END = ("儿童", "健儿", "女儿", "婴儿", "幼儿", "孤儿", "男儿", "胎儿", "患儿", "宠儿", "新生儿", "侄儿")
# after 一 these are measure words, so 一 changes tone even where jieba cuts 一|本书
_MEASURE_WORDS = set("个本张条件次位名家只台项座辆天年场份篇部批届把块头种套双对层段所首封片节")
_COMPLEMENTS = set("起住了得及到见开掉下来去上出完清懂动过透着成好定通惯消准饱够")
_NAME_POS = {"nr", "nrt", "nrfg", "ns", "nt", "nz"}  # names: their 儿 is a full syllable (塔塔儿)
_YI1_WORDS = {"统一", "唯一", "万一", "一一", "第一", "初一", "十一", "划一", "专一", "之一", "合一"}


@dataclass
class Syllable:
    char: str
    pinyin: str  # e.g. "zhong1"; "" for unreadable
    word_end: bool = False
    mark: str = "#0"  # the mark after this syllable
    erhua: bool = False  # 儿 merged into the syllable before it


@dataclass
class FrontendResult:
    symbols: list[str]
    pinyin: list[str]
    unreadable: list[str] = field(default_factory=list)


@lru_cache(maxsize=16)
def _tokenizer(words: tuple[str, ...]):
    quiet_jieba()  # posseg.dt loads jieba's dictionary, which logs to stderr unless quietened
    import jieba.posseg as posseg

    if not words:
        return posseg.dt
    # POSTokenizer(...) would parse dict.txt into a second word -> tag table identical to posseg.dt's
    # (a lexicon adds words without tags): share the one table, already compacted.
    compact_posseg()
    tokenizer = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    tokenizer.tokenizer = lexicon_tokenizer(words)
    tokenizer.word_tag_tab = posseg.dt.word_tag_tab
    return tokenizer


def _pause(word: str) -> str | None:
    """The mark a run of punctuation leaves ("#3", "#2", or "" for quotes and book-title marks,
    which are not heard); None if the word has something to read."""
    if not all(ch.isspace() or ch in _LIGHT or unicodedata.category(ch)[0] == "P" for ch in word):
        return None
    if any(ch in _CLAUSE or ch in _END for ch in word):
        return "#3"
    return "#2" if any(ch in _LIGHT or ch.isspace() for ch in word) else ""


def to_pinyin(text: str, lexicon: dict[str, str] | None = None, lexical: bool = False) -> list[list[Syllable]]:
    """Clauses of syllables with prosody marks; unreadable characters keep pinyin "".

    lexical=True stops before tone sandhi and phrase breaks (one clause, citation tones: what
    polyphone test sets such as CPP label)."""
    lexicon = pinyin_entries(lexicon)
    tokenizer = _tokenizer(tuple(sorted(lexicon)))
    words: list[tuple[str, str]] = [(p.word, p.flag) for p in tokenizer.cut(text)]
    syllables: list[Syllable] = []
    for (word, flag), readings in zip(words, polyphones.readings(words, lexicon), strict=True):
        pause = _pause(word)
        if pause is not None:
            if syllables and pause:
                syllables[-1].mark = max(syllables[-1].mark, pause)
            continue
        group = [Syllable(ch, py) for ch, py in zip(word, readings, strict=True)]
        if flag not in _NAME_POS and word not in lexicon:
            _erhua(word, group)
            if not lexical and word.endswith(NEUTRAL_ENDINGS) and group[-1].pinyin[-1:].isdigit():
                group[-1].pinyin = group[-1].pinyin[:-1] + "5"  # 老朋友, 衣服: the spoken neutral tone
        if not group:
            continue
        attach = flag in _PARTICLE_POS or (len(word) == 1 and word in _PARTICLES)
        if syllables and syllables[-1].mark == "#1" and attach:
            syllables[-1].mark = "#0"  # particles lean on the word before them
        group[-1].word_end = True
        group[-1].mark = "#1"
        syllables.extend(group)
    if lexical:
        return [syllables]
    _yi_bu_sandhi(syllables)
    _third_tone_sandhi(syllables)
    _phrase_breaks(syllables)
    clauses, current = [], []
    for syl in syllables:
        current.append(syl)
        if syl.mark == "#3":
            clauses.append(current)
            current = []
    if current:
        clauses.append(current)
    return clauses


def _erhua(word: str, group: list[Syllable]) -> None:
    """哪儿, 一点儿: 儿 merges into the syllable before it (the model's er5 symbol)."""
    if len(word) >= 2 and word.endswith("儿") and word not in _NO_ERHUA and not word.endswith(_NO_ERHUA_END):
        group[-1].pinyin = "er5"
        group[-1].erhua = True


def _tone(py: str) -> int:
    return int(py[-1]) if py and py[-1].isdigit() else 0


def _yi_bu_sandhi(syls: list[Syllable]) -> None:
    for i, s in enumerate(syls):
        prev = syls[i - 1] if i else None
        nxt = syls[i + 1] if i + 1 < len(syls) else None
        if s.char == "一" and s.pinyin.startswith("yi"):
            context = (prev.char if prev else "") + "一" + (nxt.char if nxt else "")
            if (prev is not None and nxt is not None and prev.char == nxt.char and prev.mark == "#0"
                    and prev.char not in _NUMERALS):
                s.pinyin = "yi5"  # 看一看
            elif (nxt is None or s.mark in ("#3", "#2") or (prev is not None and prev.char in _NUMERALS | {"第"})
                  or (nxt.char in _NUMERALS - {"百", "千", "万", "亿", "点"}) or nxt.char in "月号"
                  or (nxt.char == "日" and prev is not None and prev.char == "月")  # 十一月一日
                  or (nxt.char == "点" and i + 2 < len(syls) and syls[i + 2].char in _NUMERALS)
                  or any(w in context for w in _YI1_WORDS)
                  or (s.word_end and s.mark != "#0"
                      and (nxt.char not in _MEASURE_WORDS or (prev is not None and prev.char in "周期")))
                  or (nxt.char == "中" and not s.word_end and nxt.word_end)):  # 一中: No. 1 Middle School
                s.pinyin = "yi1"
            else:
                s.pinyin = "yi2" if _tone(nxt.pinyin) == 4 else "yi4"
        elif s.char == "不" and s.pinyin.startswith("bu"):
            if prev is not None and nxt is not None and prev.char == nxt.char:
                s.pinyin = "bu5"  # 是不是
            elif (prev is not None and nxt is not None and prev.mark == "#0" and s.mark == "#0" and nxt.word_end
                  and (i < 2 or syls[i - 2].mark != "#0") and nxt.char in _COMPLEMENTS):
                s.pinyin = "bu5"  # the potential complement of a three-character word: 对不起, 来不及, 忍不住
            elif nxt is not None and _tone(nxt.pinyin) == 4 and s.mark in ("#0", "#1"):
                s.pinyin = "bu2"
            else:
                s.pinyin = "bu4"


def _third_tone_sandhi(syls: list[Syllable]) -> None:
    """Third-tone sandhi: inside a word every third tone but the last of a run becomes second
    (展览馆 → zhan2 lan2 guan3); across a word boundary a one-syllable word changes before a
    third tone, applied right to left so a run groups in pairs (我很好 → wo3 hen2 hao3)."""
    i = 0
    while i < len(syls):
        j = i
        while j < len(syls) and _tone(syls[j].pinyin) == 3 and (j == i or syls[j - 1].mark == "#0"):
            j += 1
        for k in range(i, j - 1):
            syls[k].pinyin = syls[k].pinyin[:-1] + "2"
        i = max(j, i + 1)
    for k in range(len(syls) - 2, -1, -1):  # right to left, on the tones already changed
        s, nxt = syls[k], syls[k + 1]
        single = s.mark == "#1" and (k == 0 or syls[k - 1].mark != "#0")
        if single and _tone(s.pinyin) == 3 and _tone(nxt.pinyin) == 3:
            s.pinyin = s.pinyin[:-1] + "2"


def _phrase_breaks(syls: list[Syllable]) -> None:
    """Long stretches without punctuation get a #2 at a word boundary every 5–8 syllables."""
    since = 0
    for s in syls:
        since += 1
        if s.mark in ("#2", "#3"):
            since = 0
        elif s.mark == "#1" and since >= 6:
            s.mark = "#2"
            since = 0


def to_symbols(text: str, pinyin_dict: dict[str, list[str]], lexicon: dict[str, str] | None = None) -> FrontendResult:
    """The model's symbol sequence for one sentence: sil … sil eos."""
    symbols, pinyins, unreadable = ["sil"], [], []
    for clause in to_pinyin(text, lexicon):
        for syl in clause:
            parts = _split(syl.pinyin, pinyin_dict)
            if parts is None:
                if _pause(syl.char) is None:  # punctuation stuck to a number ("0.") is not unreadable
                    unreadable.append(syl.char)
                continue
            if syl.erhua and len(symbols) > 1:
                if symbols[-1] in ("#0", "#1"):
                    symbols.pop()
                symbols.append("er5")
                pinyins.append("er5")
            else:
                symbols.extend(parts)
                pinyins.append(syl.pinyin)
            symbols.append(syl.mark)
    while symbols and symbols[-1].startswith("#"):
        symbols.pop()
    if len(symbols) == 1:
        return FrontendResult([], [], unreadable)
    return FrontendResult(symbols + ["sil", "eos"], pinyins, unreadable)


_FALLBACK = {"n": "en", "ng": "en", "m": "mu", "hm": "hen", "r": "er", "ei": "ei"}


def _split(pinyin: str, pinyin_dict: dict[str, list[str]]) -> list[str] | None:
    if not pinyin or not pinyin[-1].isdigit():
        return None
    base, tone = pinyin[:-1].replace("ü", "v"), pinyin[-1]
    base = _FALLBACK.get(base, base) if base not in pinyin_dict else base
    if base not in pinyin_dict:
        return None
    initial, final = pinyin_dict[base]
    return [initial, final + tone]
