"""Same article, same options, same fake engine: the same bytes as the reference build.

tests/data/byte_identical.json holds the sha256 of every file a build of tests/data/byte_identical.md
wrote at the commit it names (edition.json without its build time). A refactor changes none of them;
a change meant to alter the outputs regenerates them with scripts/golden_hashes.py and says why.
"""

import importlib.util
import json

import pytest

from .conftest import DATA, ROOT


def _golden_hashes():
    spec = importlib.util.spec_from_file_location("golden_hashes", ROOT / "scripts" / "golden_hashes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return _golden_hashes().build_hashes(tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="module")
def recorded():
    return json.loads((DATA / "byte_identical.json").read_text(encoding="utf-8"))["files"]


def test_the_same_files_are_written(built, recorded):
    assert sorted(built) == sorted(recorded)


@pytest.mark.parametrize("kind", ["mp3", "vtt", "srt", "json", "m3u8", "jpg", "html"])
def test_every_file_is_byte_identical(built, recorded, kind):
    names = [name for name in recorded if name.endswith(f".{kind}")]
    assert names
    assert {n: built.get(n) for n in names} == {n: recorded[n] for n in names}
