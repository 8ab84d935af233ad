"""Lexical readings (citation tones, before tone sandhi) of every character of a sentence.

Which source decides a character, measured on CPP's development split (see
scripts/score_polyphones.py): inside a word that pypinyin's phrase data knows, the phrase
reading (97.9% there vs 97.7% for the model, and far better on everyday news words such as
行长 or 行业, which the model reads xíng); elsewhere g2pM's BiLSTM (97.1% there vs 80% for
pypinyin's single-character default); our own word table (pron_data) and the context rules
below where both are known to fail.
"""

from __future__ import annotations

from functools import lru_cache

from . import g2pm
from .pron_data import CHARS, PHRASES

_PRONOUNS = set("我你他她它们咱谁")
# Before these, a free-standing 得 is děi ("must"): 我们得抓紧, 还得靠大家.
_DEI_BEFORE = set("去来做说花用靠把让等先再重提加抓尽赶跟想有要给按找走留交补考学看管换拿付多好早跑承面")
_DEI_AFTER = set("还就总都也可") | _PRONOUNS
_HUAN = set("钱款债贷账书给清本原乡击手礼")  # 还 before these is huán (return), else hái
_WEI2_AFTER = set("视成作改称列分变转化选评定认升名译沦誉")  # X为Y: 被视为, 改为, 升为


@lru_cache(maxsize=1)
def _phrases() -> frozenset[str]:
    from pypinyin.constants import PHRASES_DICT

    return frozenset(PHRASES_DICT)


def _pypinyin(word: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda chars: [""] * len(chars))
    return out if len(out) == len(word) else (out + [""] * len(word))[: len(word)]


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
    """Our table's words, wherever one spans whole segmenter words (so 行长 is not read inside 进行|长期)."""
    for s in sorted(bounds):
        if s in locked:
            continue
        for length in range(min(_LONGEST, len(text) - s), 1, -1):
            entry = PHRASES.get(text[s : s + length])
            if entry and s + length in bounds:
                chars[s : s + length] = entry.split()
                free[s : s + length] = [False] * length
                break


def _context_rules(text: str, words: list[tuple[str, str]], starts: list[int], chars: list[str],
                   free: list[bool]) -> None:
    """Fixes for single characters that the model gets wrong in everyday news phrasing."""
    for (word, flag), pos in zip(words, starts, strict=True):
        if len(word) == 1 and free[pos]:
            prev = text[pos - 1] if pos else ""
            nxt = text[pos + 1] if pos + 1 < len(text) else ""
            chars[pos] = _rule(word, flag, prev, nxt) or chars[pos]


def _rule(ch: str, flag: str, prev: str, nxt: str) -> str | None:
    if ch == "得" and prev in _DEI_AFTER and nxt in _DEI_BEFORE:
        return "dei3"
    if ch == "为" and prev in _WEI2_AFTER:
        return "wei2"
    if ch == "了" and prev == "不" and nxt != "解":
        return "liao3"
    if ch == "都" and flag == "d":
        return "dou1"
    if ch == "和" and flag in ("c", "p"):
        return "he2"
    if ch == "还":
        return "huan2" if nxt and nxt in _HUAN else ("hai2" if flag == "d" else None)
    return None
