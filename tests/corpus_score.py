"""Score tingbao's reading of a folder of structure cases (tests/corpus/*.json + text).

Used by tests/test_corpus.py and scripts/score_structure.py (same numbers in both).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tingbao.accounting import account
from tingbao.article import Article
from tingbao.reading import read_source
from tingbao.structure import parse

_WS = re.compile(r"\s+")
_MD_MARK = re.compile(r"^\s*#{1,6}\s+|^\s*[*_]{1,2}|[*_]{1,2}\s*$")


def norm(text: str | None) -> str:
    return _WS.sub("", text or "").strip("—－-―")


@dataclass
class CaseScore:
    name: str
    expected: int = 0  # headings expected
    predicted: int = 0
    matched: int = 0
    level_errors: int = 0
    furniture_spoken: list[str] = field(default_factory=list)
    body_lost: list[str] = field(default_factory=list)
    title_ok: bool = True
    byline_ok: bool = True
    moves_ok: bool = True
    clean: bool = False
    warnings: int = 0
    accounting_ok: bool = True
    missing_headings: list[str] = field(default_factory=list)
    extra_headings: list[str] = field(default_factory=list)


def case_files(folder: Path) -> list[tuple[Path, Path]]:
    out = []
    for js in sorted(folder.glob("*.json")):
        text = next((p for p in (js.with_suffix(".txt"), js.with_suffix(".md")) if p.exists()), None)
        if text is not None:
            out.append((text, js))
    return out


def score_case(text_path: Path, json_path: Path) -> tuple[CaseScore, Article]:
    want = json.loads(json_path.read_text(encoding="utf-8"))
    source = read_source(text_path)
    a = parse(source)
    s = CaseScore(text_path.stem)
    got = [(norm(sec.heading), sec.level) for sec in a.sections if sec.level >= 1]
    exp = [(norm(h), lvl) for h, lvl in want.get("headings", [])]
    s.expected, s.predicted = len(exp), len(got)
    pool = list(got)
    for text, level in exp:
        hit = next((g for g in pool if g[0] == text), None)
        if hit is None:
            s.missing_headings.append(text)
            continue
        pool.remove(hit)
        s.matched += 1
        s.level_errors += hit[1] != level
    s.extra_headings = [g[0] for g in pool]
    spoken = norm("".join(p.text for sec in a.sections for p in sec.paragraphs))
    skipped = [norm(k.text) for k in a.skipped]
    skip_lines = {norm(x) for x in want.get("skip", [])}
    s.furniture_spoken = [x for x in skip_lines if x and x in spoken and not any(x in k for k in skipped)]
    for line in source.text.split("\n"):
        n = norm(_MD_MARK.sub("", line) if source.format == "md" else line)
        if n and n not in skip_lines and n not in spoken and not _markup(line, source.format):
            s.body_lost.append(line.strip())
    s.title_ok = norm(a.title) == norm(want.get("title"))
    s.byline_ok = norm(a.byline) == norm(want.get("byline"))
    s.moves_ok = sorted([m.from_lines + [m.to_after_line] for m in a.moves]) == sorted(want.get("moves") or [])
    s.clean = "clean" in want.get("classes", [])
    s.warnings = len(a.warnings)
    s.accounting_ok = account(source, a).ok
    return s, a


def _markup(line: str, fmt: str) -> bool:
    """Markdown syntax lines (front matter, comments) are not body."""
    t = line.strip()
    return fmt == "md" and (t in ("---",) or t.startswith(("<!--", "-->")) or bool(re.match(r"^\w+:\s", t)))


def f1(scores: list[CaseScore]) -> tuple[float, float, float]:
    m = sum(s.matched for s in scores)
    p = m / max(1, sum(s.predicted for s in scores))
    r = m / max(1, sum(s.expected for s in scores))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(scores: list[CaseScore]) -> str:
    rows = [f"{'case':32} {'head exp/got/ok':>15} {'lvl':>3} {'furn':>4} {'lost':>4} {'title':>5} {'byline':>6} "
            f"{'moves':>5} {'acct':>4} {'warn':>4}"]
    for s in scores:
        rows.append(f"{s.name[:32]:32} {f'{s.expected}/{s.predicted}/{s.matched}':>15} {s.level_errors:>3} "
                    f"{len(s.furniture_spoken):>4} {len(s.body_lost):>4} {'ok' if s.title_ok else 'NO':>5} "
                    f"{'ok' if s.byline_ok else 'NO':>6} {'ok' if s.moves_ok else 'NO':>5} "
                    f"{'ok' if s.accounting_ok else 'NO':>4} {s.warnings:>4}")
    p, r, f = f1(scores)
    rows.append(f"heading P {p:.3f} R {r:.3f} F1 {f:.3f}; level errors {sum(s.level_errors for s in scores)}; "
                f"furniture spoken {sum(len(s.furniture_spoken) for s in scores)}; body lines lost "
                f"{sum(len(s.body_lost) for s in scores)}; titles {sum(s.title_ok for s in scores)}/{len(scores)}; "
                f"bylines {sum(s.byline_ok for s in scores)}/{len(scores)}; moves {sum(s.moves_ok for s in scores)}/"
                f"{len(scores)}; accounting {sum(s.accounting_ok for s in scores)}/{len(scores)}; warnings on clean "
                f"{sum(s.warnings for s in scores if s.clean)}")
    return "\n".join(rows)


def details(scores: list[CaseScore]) -> str:
    out = []
    for s in scores:
        for label, items in (("missing heading", s.missing_headings), ("extra heading", s.extra_headings),
                             ("furniture spoken", s.furniture_spoken), ("body lost", s.body_lost)):
            out += [f"{s.name}: {label}: {x[:60]}" for x in items]
    return "\n".join(out)
