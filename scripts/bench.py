#!/usr/bin/env python3
"""One benchmark table for every figure the issues ask for.

Timings are noisy on shared 2-core machines: each row reports ratios measured in
this one run where a goal is a ratio. Run with `make bench` (or python scripts/bench.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qinghewan-2025.txt"
SEED = ROOT.parent / "shared" / "seed" / "jingzhou-2025.txt"
TINGBAO = [sys.executable, "-m", "tingbao"]
ROWS: list[tuple[str, str, str, str]] = []


def row(name: str, value: str, goal: str, met: bool | None) -> None:
    ROWS.append((name, value, goal, {True: "yes", False: "NO", None: "-"}[met]))
    print(f"  {name}: {value}  (goal {goal})", file=sys.stderr)


def timed(cmd: list[str], repeat: int = 1, **kw) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_text() -> None:
    t = timed(TINGBAO + ["--help"], repeat=5)
    row("tingbao --help wall time", f"{t:.3f} s", "<= 0.3 s", t <= 0.3)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        body = EXAMPLE.read_text(encoding="utf-8")
        big.write_text(body * (1_000_000 // len(body.encode()) + 1), encoding="utf-8")
        t = timed(TINGBAO + ["plan", str(big)], repeat=3)
        row("tingbao plan, 1 MB article", f"{t:.2f} s", "<= 3 s", t <= 3)


SECTIONS = {"text": bench_text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these parts")
    args = parser.parse_args()
    for name in args.only or SECTIONS:
        print(f"[{name}]", file=sys.stderr)
        SECTIONS[name]()
    widths = [max(len(r[i]) for r in ROWS + [("figure", "value", "goal", "met")]) for i in range(4)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    print(line(("figure", "value", "goal", "met")))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in ROWS:
        print(line(r))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
