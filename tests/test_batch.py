"""Batch builds, locks and concurrent cache writers."""

import json
import multiprocessing
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tingbao.build import build_many
from tingbao.cli import main
from tingbao.config import Settings

from .conftest import DATA, EXAMPLE, ROOT


def _tone_engine(monkeypatch):
    from . import fakes

    monkeypatch.setattr("tingbao.engines.choose_engine", lambda name, **kw: (fakes.ToneEngine(), "tone (test)"))


def test_batch_builds_files_and_folders_and_survives_a_failure(tmp_path, monkeypatch):
    _tone_engine(monkeypatch)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("青禾湾快讯\n\n新区今天开通了一条公交线路。\n", encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: 第二篇\n---\n\n## 一节\n\n正文内容。\n", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)
    (folder / "notes.pdf").write_bytes(b"%PDF")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["build", str(folder), str(DATA / "outline.txt"), "-o", str(out),
                                  "--cache-dir", str(tmp_path / "cache")])
    assert r.exit_code == 1
    assert "3 built, 1 failed" in r.output and "broken.txt" in r.output and "binary" in r.output
    assert len([p for p in out.iterdir() if p.is_dir()]) == 3
    assert "notes.pdf" not in r.output


def test_same_title_twice_in_one_batch_gets_two_folders(tmp_path, monkeypatch):
    _tone_engine(monkeypatch)
    copy = tmp_path / "copy.txt"
    copy.write_text((DATA / "outline.txt").read_text(encoding="utf-8"), encoding="utf-8")
    items = build_many([str(DATA / "outline.txt"), str(copy)], Settings(output=str(tmp_path / "o"), cache_dir=str(tmp_path / "c")))
    assert items[1].result.slug == items[0].result.slug + "-2"


def _build_in_process(args):
    out, cache, article = args
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from tests.fakes import ToneEngine\n"
            "from tingbao.build import build_edition\nfrom tingbao.config import Settings\n"
            f"build_edition({article!r}, Settings(output={out!r}, cache_dir={cache!r}), engine=ToneEngine(delay=0.01))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).returncode


@pytest.mark.slow  # three processes each building the whole example
def test_parallel_builds_sharing_a_cache(tmp_path):
    cache = str(tmp_path / "cache")
    jobs = [(str(tmp_path / f"out{k}"), cache, str(EXAMPLE)) for k in range(3)]
    with multiprocessing.Pool(3) as pool:
        assert pool.map(_build_in_process, jobs) == [0, 0, 0]
    from tingbao.cache import ClipCache

    store = ClipCache(cache)
    entries = list((tmp_path / "cache").rglob("*.clip"))
    assert entries and all(store.get(p.stem) is not None for p in entries)  # every entry intact
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    manifests = [json.loads(next((tmp_path / f"out{k}").glob("*/edition.json")).read_text(encoding="utf-8"))
                 for k in range(3)]
    assert manifests[0]["sentences"] == manifests[1]["sentences"] == manifests[2]["sentences"]


def test_a_second_writer_of_the_same_edition_fails_clearly(tmp_path, monkeypatch):
    from tingbao.build import build_edition, make_slug
    from tingbao.errors import TingbaoError
    from tingbao.locks import exclusive

    from .fakes import ToneEngine

    out = tmp_path / "out"
    slug = make_slug("关于推进社区治理的实施方案")  # the outline's title
    settings = Settings(output=str(out), cache_dir=str(tmp_path / "c"))
    with exclusive(out / slug, "held by the test"):
        try:
            build_edition(str(DATA / "outline.txt"), settings, engine=ToneEngine())
            raise AssertionError("the second writer was not stopped")
        except TingbaoError as exc:
            assert "another tingbao process" in str(exc) and slug in str(exc)
    assert not (out / slug).exists()
    build_edition(str(DATA / "outline.txt"), settings, engine=ToneEngine())  # released: now it works
    with exclusive(out / "feed.xml", "held"):
        r = CliRunner().invoke(main, ["publish", str(out), "--base-url", "https://e.com", "--config",
                                      str(_series_toml(tmp_path))])
        assert r.exit_code == 75 and "another tingbao process" in r.output


def _series_toml(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[series]\ntitle="t"\ndescription="d"\nauthor="a"\nemail="e@example.com"\n', encoding="utf-8")
    return path


KILL_BUILD = """
import sys
sys.path.insert(0, {root!r})
from tests.fakes import ToneEngine
from tingbao.build import build_edition
from tingbao.config import Settings
from tingbao.feed import publish_feed
if {publish}:
    publish_feed({out!r}, Settings(series_title="t", description="d", author="a", email="e@example.com",
                                   base_url="https://e.com"), per_section=True)
else:
    build_edition({article!r}, Settings(output={out!r}, cache_dir={cache!r}), engine=ToneEngine(delay={delay}))
"""


def _script(tmp_path, publish=False, delay=0.0):
    return KILL_BUILD.format(root=str(ROOT), article=str(EXAMPLE), out=str(tmp_path / "out"),
                             cache=str(tmp_path / "cache"), publish=publish, delay=delay)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sigkill_at_random_points_of_build_and_publish(tmp_path, seed):
    import random
    import time

    rng = random.Random(seed)
    clean = tmp_path / "clean"
    clean.mkdir()
    subprocess.run([sys.executable, "-c", _script(clean)], check=True)
    subprocess.run([sys.executable, "-c", _script(clean, publish=True)], check=True)
    work = tmp_path / "work"
    work.mkdir()
    for step, publish in (("build", False), ("publish", True)):
        if publish:
            subprocess.run([sys.executable, "-c", _script(work)], check=True)
        proc = subprocess.Popen([sys.executable, "-c", _script(work, publish=publish, delay=0.05)])
        time.sleep(rng.uniform(0.3, 3.0) if step == "build" else rng.uniform(0.05, 1.0))
        proc.kill()
        proc.wait()
        subprocess.run([sys.executable, "-c", _script(work, publish=publish)], check=True)  # the rerun
    def comparable(path):  # built_at (and the pubDate made from it) is the one field that differs
        if path.name == "edition.json":
            manifest = json.loads(path.read_text(encoding="utf-8"))
            manifest.pop("built_at")
            return manifest
        if path.suffix == ".xml" or path.name == "feed-state.json":  # the state holds the feed's items
            return re.sub(rb"<pubDate>[^<]*</pubDate>", b"", path.read_bytes())
        return path.read_bytes()

    for path in sorted((clean / "out").rglob("*")):
        twin = work / "out" / path.relative_to(clean / "out")
        assert twin.exists(), twin
        if path.is_file():
            assert comparable(twin) == comparable(path), path.name
    leftovers = [p for p in (work / "out").rglob("*") if p.name.startswith(".") and p.name != ".tingbao"]
    assert leftovers == []
    assert [p.name for p in (work / "out" / ".tingbao").iterdir()] == ["feed-state.json"]
