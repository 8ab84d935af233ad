"""Record what a build produces, for tests/test_byte_identical.py.

Builds tests/data/byte_identical.md with the deterministic ToneEngine of tests/fakes.py and
writes the sha256 of every output file to tests/data/byte_identical.json. Run it against the
commit whose outputs are the reference (the tingbao on PYTHONPATH is the one that builds):

    git worktree add /tmp/golden <commit>
    PYTHONPATH=/tmp/golden/src .venv/bin/python scripts/golden_hashes.py <commit> [copy-of-output-folder]
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "tests" / "data" / "byte_identical.md"
HASHES = ROOT / "tests" / "data" / "byte_identical.json"
# edition.json is compared without this: it is the moment of the first build
VOLATILE = re.compile(rb'"built_at": "[^"]*"')


def build_hashes(workdir: Path) -> dict[str, str]:
    """sha256 of every file the build writes (edition.json without its build time), by path."""
    import tingbao  # from PYTHONPATH or the venv: the tingbao whose outputs are hashed

    sys.path.append(str(Path(tingbao.__file__).resolve().parents[2]))  # its own tests.fakes
    from tests.fakes import ToneEngine

    from tingbao.build import build_edition
    from tingbao.config import Settings

    # the article's path is written into edition.json as given: the same relative path wherever the repo is
    shutil.copyfile(ARTICLE, workdir / ARTICLE.name)
    settings = Settings(output=str(workdir / "out"), cache_dir=str(workdir / "cache"), slug="golden")
    here = os.getcwd()
    os.chdir(workdir)
    try:
        build_edition(ARTICLE.name, settings, engine=ToneEngine())
    finally:
        os.chdir(here)
    out = workdir / "out"
    hashes = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and ".tingbao" not in p.parts):
        data = path.read_bytes()
        if path.name == "edition.json":  # its bytes as written (formatting too), less the build time
            data = VOLATILE.sub(b'"built_at": ""', data, count=1)
        hashes[path.relative_to(out).as_posix()] = hashlib.sha256(data).hexdigest()
    return hashes


def main() -> None:
    commit = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    keep = Path(sys.argv[2]) if len(sys.argv) > 2 else None  # a copy of the output folder, e.g. for an old edition
    import tingbao

    print(f"building with {Path(tingbao.__file__).parent}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        hashes = build_hashes(Path(tmp))
        if keep is not None:
            shutil.copytree(Path(tmp) / "out", keep)
    record = {"_comment": f"outputs of tingbao at commit {commit}; regenerate "
                          "with scripts/golden_hashes.py, only when a change to the outputs is intended",
              "files": hashes}
    HASHES.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(hashes)} files recorded in {HASHES}")


if __name__ == "__main__":
    main()
