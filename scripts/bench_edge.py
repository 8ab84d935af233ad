#!/usr/bin/env python3
"""The edge engine under real faults, against tests/edge_server.py (no network).

The stand-in answers after 0.3 s, streams audio at 10x real time and speaks 4.5 characters
per second; its announced end is the decoded end (a strict service), so a lost last frame
shows. Scenarios (the long article is the seed if present, else the bundled example):

1. wall time, no faults, default options: tingbao vs the edge-tts CLI (goal <= 0.25x);
2. 30% transient faults of every kind: N builds all exit 0 and every file equals the
   fault-free build's, bit for bit (N = 10, 3 with --quick);
3. a server that refuses beyond 2 connections: --jobs 8 vs --jobs 2 (goal <= 1.05x).

Both programs run as subprocesses pointed at the stand-in the same way (edge-tts's WSS_URL
set before their own main). `rows()` returns (figure, value, goal, met) for scripts/bench.py.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qinghewan-2025.txt"
SEED = ROOT.parent / "shared" / "seed" / "jingzhou-2025.txt"
KINDS = ("403", "drop", "no_audio", "truncate", "drop@-144", "truncate@-144", "drop@4096")

POINTED = "import sys, edge_tts.communicate as c; c.WSS_URL = sys.argv.pop(1); "
EDGE_TTS_CLI = POINTED + "from edge_tts.util import main; sys.argv[0] = 'edge-tts'; main()"
TINGBAO_CLI = POINTED + "from tingbao.cli import main; sys.argv[0] = 'tingbao'; main()"


def _server(**knobs):
    sys.path.insert(0, str(ROOT))
    from tests.edge_server import EdgeStandIn

    return EdgeStandIn(latency=0.3, speed=10.0, seconds_per_char=1 / 4.5, exact_end=True, **knobs).start()


def _run(script: str, server, args: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, server.url, *args], capture_output=True, text=True,
                          cwd=ROOT)
    return time.perf_counter() - start, proc.returncode, (proc.stderr or proc.stdout).strip()[-300:]


def _build(server, article: Path, out: Path, *extra: str) -> tuple[float, int, str]:
    return _run(TINGBAO_CLI, server, ["build", str(article), "--engine", "edge", "-o", str(out / "out"),
                                      "--cache-dir", str(out / "cache"), *extra])


def _files(out: Path) -> dict[str, str]:
    """Digest of every file of the edition (edition.json apart: it records wall times)."""
    found = {}
    for path in sorted((out / "out").rglob("*")):
        if path.is_file() and path.name != "edition.json" and not path.name.startswith("."):
            found[str(path.relative_to(out / "out"))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def rows(quick: bool = False) -> list[tuple[str, str, str, bool | None]]:
    article = SEED if SEED.is_file() else EXAMPLE
    name = "seed" if article == SEED else "example"
    found: list[tuple[str, str, str, bool | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server = _server()
        try:
            cli, code, err = _run(EDGE_TTS_CLI, server, ["--file", str(article), "--voice", "zh-CN-YunyangNeural",
                                                        "--write-media", str(tmp / "cli.mp3")])
            assert code == 0, err
            ours, code, err = _build(server, article, tmp / "clean")
            assert code == 0, err
        finally:
            server.stop()
        found.append((f"edge, {name}, no faults: tingbao (default options) / edge-tts CLI",
                      f"{ours:.1f} s / {cli:.1f} s = {ours / cli:.2f}x", "<= 0.25x", ours / cli <= 0.25))
        reference = _files(tmp / "clean")

        runs = 3 if quick else 10
        ok = same = 0
        problems = []
        for run in range(runs):
            rng = random.Random(run)
            draws: dict[int, str | None] = {}

            def fault(n: int, rng=rng, draws=draws) -> str | None:
                return draws.setdefault(n, rng.choice(KINDS) if rng.random() < 0.3 else None)

            server = _server(fault=fault)
            try:
                _, code, err = _build(server, article, tmp / f"faulty{run}")
            finally:
                server.stop()
            ok += code == 0
            files = _files(tmp / f"faulty{run}") if code == 0 else {}
            same += files == reference
            if code or files != reference:
                problems.append(f"run {run}: exit {code} {err[-120:]}" if code else f"run {run}: files differ")
        found.append((f"edge, {name}, 30% transient faults ({', '.join(KINDS)}): builds exit 0 / files equal "
                      "to the fault-free build", f"{ok}/{runs} / {same}/{runs}" + (f" ({problems[0]})" if problems
                                                                                else ""),
                      f"{runs}/{runs} / {runs}/{runs}", ok == same == runs))

        times = {}
        for jobs in (2, 8):
            server = _server(max_connections=2)
            try:
                times[jobs], code, err = _build(server, article, tmp / f"cap{jobs}", "--jobs", str(jobs))
                assert code == 0, err
                refused = server.refused
            finally:
                server.stop()
            times[f"r{jobs}"] = refused
        ratio = times[8] / times[2]
        found.append((f"edge, {name}, server caps at 2 connections: --jobs 8 / --jobs 2",
                      f"{times[8]:.1f} s / {times[2]:.1f} s = {ratio:.2f}x (refusals {times['r8']} / "
                      f"{times['r2']})", "<= 1.05x", ratio <= 1.05))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 faulty builds instead of 10")
    args = parser.parse_args()
    print("| figure | value | goal | met |\n|---|---|---|---|")
    for figure, value, goal, met in rows(args.quick):
        print(f"| {figure} | {value} | {goal} | {({True: 'yes', False: 'NO', None: '-'})[met]} |", flush=True)


if __name__ == "__main__":
    main()
