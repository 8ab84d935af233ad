"""Locks live in a per-user folder that nobody else can hold or open."""

import os
import stat
import tempfile
from pathlib import Path

import pytest

from tingbao import locks
from tingbao.errors import TingbaoError


def test_default_lock_folder_is_per_user_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("TINGBAO_LOCK_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with locks.exclusive(tmp_path / "edition", "the edition"):
        pass
    folder = locks.lock_dir()
    assert folder.is_relative_to(tmp_path / "xdg")
    assert not folder.is_relative_to(Path(tempfile.gettempdir()) / f"tingbao-locks-{os.getuid()}")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()
    assert [stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()] == [0o600]


def test_a_lock_folder_open_to_others_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "locks"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("TINGBAO_LOCK_DIR", str(folder))
    with pytest.raises(TingbaoError, match=f"{folder}.*other users") as caught:
        with locks.exclusive(tmp_path / "edition", "the edition"):
            pass
    assert caught.value.exit_code not in (0, 1, 70)
    assert list(folder.iterdir()) == []


def test_a_lock_folder_owned_by_someone_else_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "locks"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("TINGBAO_LOCK_DIR", str(folder))
    real = os.getuid()
    monkeypatch.setattr(locks.os, "getuid", lambda: real + 1)
    with pytest.raises(TingbaoError, match="another user"):
        with locks.exclusive(tmp_path / "edition", "the edition"):
            pass


def test_a_symlinked_lock_folder_is_refused(tmp_path, monkeypatch):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    monkeypatch.setenv("TINGBAO_LOCK_DIR", str(tmp_path / "link"))
    with pytest.raises(TingbaoError, match="not a plain folder"):
        with locks.exclusive(tmp_path / "edition", "the edition"):
            pass
