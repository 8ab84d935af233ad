from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qinghewan-2025.txt"
DATA = Path(__file__).parent / "data"
SEED = ROOT.parent / "shared" / "seed" / "jingzhou-2025.txt"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Never touch the user's cache or config; each test gets a clean cwd-independent cache."""
    monkeypatch.setenv("TINGBAO_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    if "TINGBAO_MODEL_DIR" not in os.environ:
        monkeypatch.delenv("TINGBAO_MODEL_DIR", raising=False)


@pytest.fixture
def seed_path():
    if not SEED.is_file():
        pytest.skip("the seed article (../shared/seed) is not present")
    return SEED


@pytest.fixture(scope="session")
def model_dir():
    """The offline voice (make test fetches it). Missing in CI is a failure, not a skip."""
    from tingbao.engines.local import model

    found = model.find_model_dir()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("the offline voice is missing: `make test` should have run `tingbao models fetch`")
        pytest.skip("the offline voice is not installed (run `tingbao models fetch`)")
    return found
