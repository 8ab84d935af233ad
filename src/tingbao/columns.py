"""Column and page breaks: join a paragraph cut in two, and restore the reading order of runs
that a page read column by column put somewhere else.

Evidence, never position alone: a paragraph that stops mid-sentence (…有序) and a run that starts
mid-sentence (开展…, 快享，…) whose list items or sub-headings are phrased like those of the
section it belongs to. A run is moved when the evidence is clear; otherwise it is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import layout as L
from .article import Kind, LayoutWarning, Line, Move
from .headings import SILENT
from .zh import HAN, quiet_jieba

_WINDOW = 80
_LABEL = re.compile(rf"^[{HAN}]{{1,6}}[:：]|^\d{{1,2}}[.．、]")
_STARTER_FLAGS = ("t", "r", "c", "ns", "nr", "nt", "nz", "j", "m", "mq", "x", "f", "s", "eng")


@dataclass
class _Run:
    start: int
    end: int  # exclusive
    score: int


@lru_cache(maxsize=4096)  # the same fragment is tagged against every candidate run
def _posseg(text: str) -> tuple:
    quiet_jieba()
    import jieba.posseg

    return tuple(jieba.posseg.cut(text))


def continuation_score(fragment: str, text: str) -> int:
    """How much ``text`` reads like the rest of the sentence ``fragment`` stops in."""
    if not text:
        return -9
    score = 3 if text[0] in "，、；：,;:）)”’" else 0
    words = _posseg(text[:10])
    first = words[0] if words else None
    tail = _posseg(fragment[-6:])
    # …确保在 | 汛期到来前…: a sentence cannot stop on a preposition, conjunction or particle
    open_end = bool(tail) and tail[-1].flag[:1] in ("p", "c", "u") and tail[-1].word not in "了吗呢吧啊"
    if first is not None:
        if first.flag[:1] in ("v", "d", "u", "a", "y") and first.flag not in _STARTER_FLAGS:
            score += 1
        clause = re.split(r"[，。；、,;]", text)[0]
        if len(clause) <= 2 and len(clause) < len(text) and first.flag not in _STARTER_FLAGS:
            score += 1  # 见效。一年来… / 快享，真正…: a paragraph does not open with a two-character clause
        if open_end and first.flag[:1] in ("n", "t", "r", "m") and len(clause) > 4:
            score += 2
        elif first.flag in _STARTER_FLAGS or text[0] in "“「\"":
            score -= 1
    tail, head = fragment[-4:], text[:4]
    pos = 0
    for w in _posseg(tail + head):
        if pos < len(tail) < pos + len(w.word) and len(w.word) >= 2:
            score += 2  # a word spans the cut: 工委强 | 化党组 -> 强化
            break
        pos += len(w.word)
    return score


def _list_parallel(a: str, b: str) -> bool:
    """——多维发力，激活… / ——精准分类，实现…: list items phrased alike."""
    if not (L.is_list_item(a) and L.is_list_item(b)):
        return False
    ca, cb = L.strip_dash(a).split("，")[0], L.strip_dash(b).split("，")[0]
    return ca != L.strip_dash(a) and len(ca) == len(cb) and 2 <= len(ca) <= 8


def _section_bounds(units: list[Line], i: int) -> tuple[int, int]:
    lo = next((k for k in range(i, -1, -1) if units[k].kind == Kind.HEADING and units[k].level == 1), 0)
    hi = next((k for k in range(i + 1, len(units)) if units[k].kind == Kind.HEADING and units[k].level == 1),
              len(units))
    return lo, hi


def _best_run(units: list[Line], i: int) -> _Run | None:
    """The run elsewhere that best continues the fragment at ``i``: it starts after a finished
    paragraph and ends at a heading (a column's end)."""
    lo, hi = _section_bounds(units, i)
    own_items = [u.text for u in units[lo:hi] if u.kind == Kind.LIST_ITEM]
    best: list[_Run] = []
    # a page holds a few dozen paragraphs: a run read out of column order is never far away
    for p in range(max(1, i - _WINDOW), min(len(units), i + _WINDOW)):
        u = units[p]
        prev = next((v for v in reversed(units[:p]) if v.kind not in SILENT), None)
        if u.kind != Kind.BODY or p == i + 1 or prev is None or prev.kind not in (Kind.BODY, Kind.LIST_ITEM):
            continue
        if not L.ends_sentence(prev.text):
            continue
        end = next((k for k in range(p, len(units)) if units[k].kind == Kind.HEADING), len(units))
        while end > p and units[end - 1].kind in SILENT:
            end -= 1
        if p <= i < end or lo <= p < hi and end <= hi and p > i:
            continue
        score = continuation_score(units[i].text, u.text)
        items = [v.text for v in units[p:end] if v.kind == Kind.LIST_ITEM]
        if any(_list_parallel(a, b) for a in items for b in own_items):
            score += 2  # its list items are siblings of the fragment's section's items
        if best and score == best[0].score:
            best.append(_Run(p, end, score))
        elif not best or score > best[0].score:
            best = [_Run(p, end, score)]
    return best[0] if len(best) == 1 else None


def repair(units: list[Line], warnings: list[LayoutWarning]) -> list[Move]:
    """Join paragraphs cut by a column or page break, moving a continuation run when it is
    elsewhere in the file. Returns the moves made."""
    moves: list[Move] = []
    breaks: list[tuple[int, int]] = []  # (fragment line, first line of the spoken unit after it)
    i = 0
    while i < len(units):
        u = units[i]
        if u.kind not in (Kind.BODY, Kind.LIST_ITEM) or L.ends_sentence(u.text):
            i += 1
            continue
        if _LABEL.match(u.text) or len(u.text) < 12:
            i += 1  # 附件：1.… / a signature: not a sentence cut by a column
            continue
        j = next((k for k in range(i + 1, len(units)) if units[k].kind not in SILENT), None)
        nxt = units[j] if j is not None and units[j].kind == Kind.BODY else None
        if j is not None and units[j].kind != Kind.BODY:
            breaks.append((u.number, units[j].number))
        here = continuation_score(u.text, nxt.text) if nxt is not None else -9
        # the next paragraph plainly continues the sentence: no need to look elsewhere
        run = _best_run(units, i) if here < 1 else None
        if run is not None and run.score >= 2 and run.score >= here + 2:
            first, last = units[run.start], units[run.end - 1]
            moves.append(Move([first.number, max(last.source_lines)], max(u.source_lines),
                              f"line {max(u.source_lines)} stops mid-sentence and line {first.number} "
                              "continues it (the page's columns were read out of order)"))
            block = units[run.start:run.end]
            del units[run.start:run.end]
            at = units.index(u) + 1
            units[at:at] = block
            i = units.index(u)
            _join(u, units.pop(i + 1))
            continue
        if nxt is not None:
            _join(u, units.pop(j))
            continue
        if run is not None and run.score >= 1:
            end = units[run.end - 1].number
            warnings.append(LayoutWarning(
                "starts-mid-sentence", f"line {units[run.start].number} starts mid-sentence; lines "
                f"{units[run.start].number}–{end} may be the rest of line {u.number} (columns read out of order): "
                "move them in the script", [units[run.start].number, end]))
        warnings.append(LayoutWarning("dangling-fragment", f"line {u.number} stops mid-sentence and nothing "
                                "after it continues it (column or page break?)", [u.number]))
        i += 1
    for fragment, first in breaks:
        moves += _move_sibling_run(units, fragment, first, warnings)
    return moves


def _join(u: Line, nxt: Line) -> None:
    u.text += nxt.text
    u.joined += nxt.source_lines
    u.blank_after = nxt.blank_after


def _move_sibling_run(units: list[Line], fragment: int, first: int, warnings: list[LayoutWarning]) -> list[Move]:
    """Sub-headings right after a column break, phrased like the sub-headings of another
    section (在推动攻坚克难上激活力—— / 在赋能经济发展上出实招——): they belong at that section's end."""
    start = next(k for k, u in enumerate(units) if u.number == first)
    head = units[start]
    if head.kind != Kind.HEADING or head.level != 2:
        return []
    lo, hi = _section_bounds(units, start)
    run_end = hi
    while run_end > start and units[run_end - 1].kind in SILENT:
        run_end -= 1
    run_heads = [u for u in units[start:run_end] if u.kind == Kind.HEADING]
    homes = set()
    for k, u in enumerate(units):
        if u.kind == Kind.HEADING and u.level == 2 and not lo <= k < hi and any(
                L.parallel(u.text, h.text) for h in run_heads):
            homes.add(units[_section_bounds(units, k)[0]].number)
    last = units[run_end - 1].number
    if len(homes) != 1 or any(units[k].kind == Kind.HEADING and units[k].level == 2 for k in range(lo, start)):
        warnings.append(LayoutWarning(
            "out-of-order-run", f"lines {first}–{last} follow a sentence cut off at line {fragment}; "
            "they may belong to another section (columns read out of order)", [first, last]))
        return []
    block = units[start:run_end]
    del units[start:run_end]
    home = homes.pop()
    t_lo, t_hi = _section_bounds(units, next(k for k, u in enumerate(units) if u.number == home))
    while t_hi > t_lo and units[t_hi - 1].kind in SILENT:
        t_hi -= 1
    after = max(units[t_hi - 1].source_lines)
    units[t_hi:t_hi] = block
    sibling = next(u.number for u in units[t_lo:t_hi] if u.kind == Kind.HEADING and u.level == 2)
    return [Move([first, last], after, f"sub-headings phrased like line {sibling} in the section at line "
                 f"{units[t_lo].number}, after a sentence cut off at line {fragment} (columns read out of order)")]
