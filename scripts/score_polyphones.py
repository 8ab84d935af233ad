"""Polyphone accuracy of the local frontend on a CPP-format folder (dev.sent + dev.lb).

    .venv/bin/python scripts/score_polyphones.py [FOLDER] [--worst N] [--errors]

FOLDER defaults to ../shared/data/cpp-dev (relative to the repository). Each line of dev.sent
marks one polyphone with ▁ on both sides; dev.lb holds its gold pinyin (tones 1-5, ü as u:).
The frontend's reading is taken before tone sandhi (to_pinyin(..., lexical=True)): CPP labels
citation tones, so 一 in 一个 is yi1 there, and the reading a listener hears is yi2.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from tingbao.engines.local.frontend import to_pinyin  # noqa: E402


def lexical_reading(text: str, index: int) -> str:
    """The reading of text[index] (an "r5" for a 儿 merged into the syllable before it)."""
    pos = 0
    for syl in to_pinyin(text, lexical=True)[0]:
        pos = text.index(syl.char, pos)
        if pos == index:
            return "r5" if syl.erhua else syl.pinyin
        pos += 1
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(REPO.parent / "shared" / "data" / "cpp-dev"))
    parser.add_argument("--split", default="dev", help="file stem: <split>.sent and <split>.lb")
    parser.add_argument("--worst", type=int, default=25, help="characters to list, worst first")
    parser.add_argument("--errors", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    sents = (folder / f"{args.split}.sent").read_text(encoding="utf-8").splitlines()
    golds = (folder / f"{args.split}.lb").read_text(encoding="utf-8").splitlines()
    total: collections.Counter[str] = collections.Counter()
    wrong: collections.Counter[str] = collections.Counter()
    to_pinyin("预热")  # load jieba and the model outside the timing
    start = time.perf_counter()
    for line, gold in zip(sents, golds, strict=True):
        index = line.index("▁")
        text = line.replace("▁", "")
        got = lexical_reading(text, index)
        gold = gold.strip().replace("u:", "v")
        char = text[index]
        total[char] += 1
        if got != gold:
            wrong[char] += 1
            if args.errors:
                print(f"{char} gold {gold} got {got}: {text}")
    seconds = time.perf_counter() - start
    n, bad = sum(total.values()), sum(wrong.values())
    print(f"{folder} ({args.split}): {n - bad}/{n} = {100 * (n - bad) / n:.2f}% "
          f"(lexical readings, before tone sandhi; {1000 * seconds / n:.2f} ms per sentence)")
    print(f"worst characters ({len(wrong)} of {len(total)} have a miss):")
    ranked = sorted(wrong, key=lambda ch: (-wrong[ch], -wrong[ch] / total[ch], ch))
    for ch in ranked[: args.worst]:
        print(f"  {ch}  {total[ch] - wrong[ch]:4d}/{total[ch]:<4d} {100 * (total[ch] - wrong[ch]) / total[ch]:5.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
