"""A full disk, a read-only folder or a cache path that is a file is the user's environment:
one line naming the path and exit 74 (EX_IOERR), not 70 ("a bug") or 3 ("the engine")."""

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tingbao.cli import main

from .conftest import EXAMPLE

TINY = "青禾湾快讯\n\n新区今天开通了一条公交线路。\n\n## 交通\n\n线路全长十二公里。\n"


@pytest.fixture
def tone(monkeypatch, tmp_path):
    from . import fakes

    monkeypatch.setattr("tingbao.engines.choose_engine", lambda name, **kw: (fakes.ToneEngine(), "tone (test)"))
    article = tmp_path / "a.txt"
    article.write_text(TINY, encoding="utf-8")
    return article


def _build(article, out, cache, *extra):
    return CliRunner().invoke(main, ["build", "--engine", "local", str(article), "-o", str(out), "--cache-dir", str(cache),
                                     *extra])  # choose_engine is the tone engine; "local" only keeps it quiet


def _one_line(r, *words):
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("tingbao: "), r.output
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in r.output and "internal error" not in r.output


def _build_fails(article, tmp_path, *words) -> Path:
    """Builds into tmp_path/out with its cache in tmp_path/cache: exit 74 and one line with `words`."""
    out = tmp_path / "out"
    r = _build(article, out, tmp_path / "cache")
    assert r.exit_code == 74, r.output
    _one_line(r, *words)
    return out


def _no_partial_edition(out: Path):
    if out.exists():
        assert [p.name for p in out.iterdir() if p.name != "index.html"] == []


def _fail_replace(monkeypatch, when, code=errno.ENOSPC):
    real = os.replace

    def replace(src, dst, *a, **kw):
        if when(str(dst)):
            raise OSError(code, os.strerror(code), str(dst))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)


def test_cache_path_that_is_a_file(tone, tmp_path):
    cache = tmp_path / "cache"
    cache.write_text("not a folder", encoding="utf-8")
    _no_partial_edition(_build_fails(tone, tmp_path, "clip cache", str(cache)))


def test_read_only_cache(tone, tmp_path, monkeypatch):
    import tempfile

    real = tempfile.mkstemp
    cache = tmp_path / "cache"

    def mkstemp(*a, dir=None, **kw):  # noqa: A002 - tempfile's name
        if dir is not None and str(cache) in str(dir):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))
        return real(*a, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    _build_fails(tone, tmp_path, "clip cache", str(cache), "Read-only")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_cache_for_real(tone, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o500)
    _build_fails(tone, tmp_path, "clip cache", str(cache))


def test_disk_full_writing_the_mp3(tone, tmp_path, monkeypatch):
    """Was exit 70, "internal error (OSError ...)"."""
    out = tmp_path / "out"
    _fail_replace(monkeypatch, lambda dst: dst.startswith(str(out)) and dst.endswith(".mp3"))
    _no_partial_edition(_build_fails(tone, tmp_path, "cannot write", str(out), "No space left"))


def test_disk_full_inside_ffmpeg(tone, tmp_path, monkeypatch):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'out.mp3: Error writing trailer: No space left on device' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr("tingbao.outputs.mp3.ffmpeg_exe", lambda: str(fake))
    out = tmp_path / "out"
    _no_partial_edition(_build_fails(tone, tmp_path, "cannot write", str(out), "No space left"))


def test_disk_full_writing_a_transcript(tone, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _fail_replace(monkeypatch, lambda dst: dst.startswith(str(out)) and dst.endswith("transcript.vtt"))
    _build_fails(tone, tmp_path, "cannot write", "No space left")


def test_disk_full_in_the_cache_during_synthesis(tone, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _fail_replace(monkeypatch, lambda dst: dst.startswith(str(cache)) and dst.endswith(".clip"))
    _build_fails(tone, tmp_path, "clip cache", "No space left")


def test_disk_full_publishing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    series = tmp_path / "series.toml"
    series.write_text('[series]\ntitle="t"\ndescription="d"\nauthor="a"\nemail="e@example.com"\n', encoding="utf-8")
    _fail_replace(monkeypatch, lambda dst: dst.startswith(str(out)))
    r = CliRunner().invoke(main, ["publish", str(out), "--base-url", "https://e.com", "--config", str(series)])
    assert r.exit_code == 74, r.output
    _one_line(r, "cannot write", str(out), "No space left")


@pytest.mark.slow  # the whole example through the CLI; the faults above build the short article
def test_example_still_builds_with_the_tone_engine(tone, tmp_path):
    r = _build(EXAMPLE, tmp_path / "out", tmp_path / "cache")
    assert r.exit_code == 0, r.output
