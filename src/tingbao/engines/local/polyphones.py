"""Lexical readings (citation tones, before tone sandhi) of every character of a sentence.

Which source decides a character, measured on CPP's development split (see
scripts/score_polyphones.py): inside a word that pypinyin's phrase data knows, the phrase
reading (97.9% there vs 97.7% for the model, and far better on everyday news words such as
行长 or 行业, which the model reads xíng); elsewhere g2pM's BiLSTM (97.1% there vs 80% for
pypinyin's single-character default); our own word table (pron_data) and the context rules
below where both are known to fail.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from . import g2pm
from .pron_data import CHARS, PHRASES

_PRONOUNS = set("我你他她它们咱谁")
# Before these, a free-standing 得 is děi ("must"): 我们得抓紧, 还得靠大家.
_DEI_BEFORE = set("去来做说花用靠把让等先再重提加抓尽赶跟想有要给按找走留交补考学看管换拿付多好早跑承面"
                  "带买写读听穿吃喝修请问搬送")
_DEI_AFTER = set("还就总都也可家") | _PRONOUNS  # 家: 大家得
_DEI_BEFORE2 = {"一起", "赶紧", "马上", "抓紧", "认真", "好好", "尽快", "及时", "小心", "注意", "提前"}
_TITLES = ("先生", "女士", "老师", "教授", "师傅", "同学", "某", "姓", "阿姨", "大爷", "大妈", "医生", "博士")
_SURNAMES = {"单": "shan4", "解": "xie4", "区": "ou1", "查": "zha1", "曾": "zeng1", "仇": "qiu2", "朴": "piao2",
             "盖": "ge3", "缪": "miao4", "翟": "zhai2", "乐": "yue4", "任": "ren2", "覃": "qin2", "纪": "ji3",
             "种": "chong2", "过": "guo1", "尉": "yu4", "繁": "po2", "华": "hua4", "秘": "bi4", "句": "gou1"}
_HUAN = set("钱款债贷账书给清本原乡击手礼")  # 还 before these is huán (return), else hái
_DE5_BEFORE = set("很好更太非十特越比挺真相清不对快慢够")  # 跑得很快, 做得好: the complement marker
_WEI4_AFTER = set("要将会能也都就还正并已又曾愿想可应该努力共同专门主动积极")
_WEI2_AFTER = set("视成作改称列分变转化选评定认升名译沦誉")  # X为Y: 被视为, 改为, 升为


@lru_cache(maxsize=1)
def _phrases() -> frozenset[str]:
    from pypinyin.constants import PHRASES_DICT

    return frozenset(PHRASES_DICT)


@lru_cache(maxsize=1 << 16)  # news repeats its words; pypinyin is the slowest step here
def _pypinyin(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda chars: [""] * len(chars))
    return tuple(out if len(out) == len(word) else (out + [""] * len(word))[: len(word)])


_LONGEST = max(map(len, PHRASES))


def readings(words: list[tuple[str, str]], lexicon: dict[str, str]) -> list[list[str]]:
    """One reading per character of each (word, POS) pair, e.g. [["hang2", "zhang3"], ["zai4"]]."""
    text = "".join(w for w, _ in words)
    chars: list[str] = []
    free: list[bool] = []  # not fixed by the user's lexicon, our table or a phrase
    starts: list[int] = []
    for word, _flag in words:
        starts.append(len(chars))
        if word in lexicon:
            chars.extend((lexicon[word].split() + [""] * len(word))[: len(word)])
            free.extend([False] * len(word))
        else:
            chars.extend(_pypinyin(word))
            free.extend([not (len(word) > 1 and word in _phrases())] * len(word))
    locked = {s for (w, _), s in zip(words, starts, strict=True) if w in lexicon}
    _apply_table(text, set(starts) | {len(text)}, chars, free, locked)
    wanted = [i for i, ch in enumerate(text) if free[i] and g2pm.polyphonic(ch)]
    predicted = g2pm.predict(text) if wanted else {}
    for i in wanted:
        chars[i] = predicted.get(i, chars[i]).replace("u:", "v")
    for i, ch in enumerate(text):
        if free[i] and ch in CHARS and not g2pm.polyphonic(ch):
            chars[i] = CHARS[ch]
    _context_rules(text, words, starts, chars, free)
    return [chars[s : s + len(w)] for (w, _), s in zip(words, starts, strict=True)]


def _apply_table(text: str, bounds: set[int], chars: list[str], free: list[bool], locked: set[int]) -> None:
    """Our table's words where one starts or ends at a segmenter boundary (人民银行 yes, 进行|长期 no)."""
    for s in range(len(text) - 1):
        for length in range(min(_LONGEST, len(text) - s), 1, -1):
            entry = PHRASES.get(text[s : s + length])
            if entry and (s in bounds or s + length in bounds) and not locked & set(range(s, s + length)):
                chars[s : s + length] = entry.split()
                free[s : s + length] = [False] * length
                break


def _context_rules(text: str, words: list[tuple[str, str]], starts: list[int], chars: list[str],
                   free: list[bool]) -> None:
    """Fixes for single characters that the model gets wrong in everyday news phrasing."""
    for w, ((word, flag), pos) in enumerate(zip(words, starts, strict=True)):
        for k, ch in enumerate(word):
            i = pos + k
            if not free[i] or (len(word) > 1 and ch not in "得了弄涌"):  # inside words only 做得好, 算不了
                continue
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            after = [f for _, f in words[w + 1 : w + 4]]
            clause = text[:i].replace("，", "。").replace("；", "。").rsplit("。", 1)[-1]
            if ch in _SURNAMES and text.startswith(_TITLES, i + 1):
                chars[i] = _SURNAMES[ch]  # 单先生, 解女士: the surname reading
            else:
                chars[i] = _rule(ch, flag, text[i + 1 : i + 3], prev, nxt, after, clause) or chars[i]


def _pause_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PZ"


def _rule(ch: str, flag: str, nxt2: str, prev: str, nxt: str, after: list[str], clause: str) -> str | None:
    """after: the POS of the next three words; clause: the text before ch in its clause."""
    if ch == "得":
        if prev in _DEI_AFTER and (nxt in _DEI_BEFORE or nxt2 in _DEI_BEFORE2):
            return "dei3"
        if nxt == "了" and after[:1] == ["ul"]:
            return "de2"  # 得了第一名
        return "de5" if flag == "ud" or nxt in _DE5_BEFORE else None
    if ch == "为":
        if prev in _WEI2_AFTER or "以" in clause:  # 被视为; 以学生为中心
            return "wei2"
        if prev in _WEI4_AFTER or (flag == "p" and after[:1] and after[0][:1] in "nr"
                                   and any(f[:1] == "v" for f in after[1:])):
            return "wei4"  # 要为群众办实事; 志愿者为老人测量血压
        return None
    if ch == "弄":  # lòng only for lanes: 弄堂, 里弄, 杨柳弄社区; the model says lòng too often
        lane = nxt in "堂口号" or nxt2 == "社区" or prev == "里" or prev.isdigit() or prev in "零〇二三四五六七八九十百"
        return "long4" if lane else "nong4"
    if ch == "涌" and nxt in "、，。；河镇村口尾边站":
        return "chong1"  # Cantonese place names: 葵涌, 麻涌, 鸭涌河 (汹涌, 涌入 are phrases)
    if ch == "长" and nxt and nxt in "得着出":
        return "zhang3"  # 长得很像, 长着, 长出
    if ch == "藏" and flag == "v":
        return "cang2"
    if ch == "数" and flag == "v":
        return "shu3"
    if ch == "种" and (flag == "v" or prev in "在要来去多抢播补"):
        return "zhong4"
    if ch == "教" and flag == "v":
        return "jiao1"
    if ch == "了" and prev == "不" and nxt != "解":
        return "liao3"
    if ch == "都" and flag == "d":
        return "dou1"
    if ch == "和" and flag in ("c", "p"):
        return "he2"
    if ch == "还":
        if ("把" in clause and nxt and nxt in "了给回") or not nxt or _pause_char(nxt):
            return "huan2"  # 把书还了回去; 欠款要按时还。
        return "huan2" if nxt and nxt in _HUAN else ("hai2" if flag == "d" else None)
    return None
