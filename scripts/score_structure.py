"""Print the structure score table for a folder of cases (default: tests/corpus).

Usage: .venv/bin/python scripts/score_structure.py [FOLDER] [--details]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus_score import case_files, details, score_case, table  # noqa: E402


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else ROOT / "tests" / "corpus"
    scores = [score_case(text, js)[0] for text, js in case_files(folder)]
    print(table(scores))
    if "--details" in argv:
        print(details(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
