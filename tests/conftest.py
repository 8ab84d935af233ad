from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qinghewan-2025.txt"
DATA = Path(__file__).parent / "data"
SEED = ROOT.parent / "shared" / "seed" / "jingzhou-2025.txt"

# Property tests take their example counts from a profile: every one of them in the full run (CI, `make test`),
# a few in the one-minute loop (`pytest -m "not slow"`). HYPOTHESIS_PROFILE=thorough forces the full count.
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.register_profile("fast", max_examples=20, deadline=None)


def pytest_configure(config):
    quick = "not slow" in (config.getoption("markexpr", "") or "")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("fast" if quick else "thorough"))


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


def series_settings(base_url: str, **kw):
    """The series that publish needs, under `base_url`; a test overrides what it checks."""
    from tingbao.config import Settings

    values = dict(series_title="青禾湾早听报", description="d", author="青禾湾日报社", email="e@example.com",
                  base_url=base_url)
    values.update(kw)
    return Settings(**values)


@pytest.fixture(scope="session")
def tone_built(tmp_path_factory) -> Path:
    """The example and the outline built once per run with the tone engine (most of a build's time is
    encoding the example): tests take a copy, `copy_output`, and change that."""
    from tingbao.build import build_edition
    from tingbao.config import Settings

    from .fakes import ToneEngine

    out = tmp_path_factory.mktemp("tone") / "output"
    for article in (EXAMPLE, DATA / "outline.txt"):
        build_edition(str(article), Settings(output=str(out), cache_dir=str(out.parent / "cache"),
                                             series_title="青禾湾早听报"), engine=ToneEngine())
    return out


def copy_output(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest


@pytest.fixture
def edge_server(monkeypatch):
    """The edge-tts protocol stand-in (tests/edge_server.py), with edge-tts pointed at it."""
    import edge_tts.communicate

    from .edge_server import EdgeStandIn

    server = EdgeStandIn().start()
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", server.url)
    yield server
    server.stop()
