"""Locks live in a per-user folder that nobody else can hold or open."""

import os
import stat
import tempfile
from pathlib import Path

import pytest

from tingbao import locks
from tingbao.errors import TingbaoError


def _private_lock_dir(tmp_path, monkeypatch):
    folder = tmp_path / "locks"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("TINGBAO_LOCK_DIR", str(folder))
    return folder


def _refused(tmp_path, match: str):
    with pytest.raises(TingbaoError, match=match) as caught:
        with locks.exclusive(tmp_path / "edition", "the edition"):
            pass
    return caught


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
    caught = _refused(tmp_path, f"{folder}.*other users")
    assert caught.value.exit_code not in (0, 1, 70)
    assert list(folder.iterdir()) == []


def test_a_lock_folder_owned_by_someone_else_is_refused(tmp_path, monkeypatch):
    _private_lock_dir(tmp_path, monkeypatch)
    real = os.getuid()
    monkeypatch.setattr(locks.os, "getuid", lambda: real + 1)
    _refused(tmp_path, "another user")


def test_a_symlinked_lock_folder_is_refused(tmp_path, monkeypatch):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    monkeypatch.setenv("TINGBAO_LOCK_DIR", str(tmp_path / "link"))
    _refused(tmp_path, "not a plain folder")



def test_a_second_writer_is_told_to_try_again(tmp_path, monkeypatch):
    from tingbao.errors import Busy

    _private_lock_dir(tmp_path, monkeypatch)
    with locks.exclusive(tmp_path / "edition", "the edition"):
        with pytest.raises(Busy, match="the edition is being written") as caught:
            with locks.exclusive(tmp_path / "edition", "the edition"):
                pass
        assert caught.value.exit_code == 75
        with locks.exclusive(tmp_path / "other", "another edition"):  # other targets are free
            pass
    with locks.exclusive(tmp_path / "edition", "the edition"):  # released on leaving
        pass


def test_the_lock_follows_the_folder_not_its_spelling(tmp_path, monkeypatch):
    from tingbao.errors import Busy

    _private_lock_dir(tmp_path, monkeypatch)
    (tmp_path / "edition").mkdir()
    monkeypatch.chdir(tmp_path)
    with locks.exclusive(Path("edition"), "the edition"):
        with pytest.raises(Busy):
            with locks.exclusive(tmp_path / "sub" / ".." / "edition", "the edition"):
                pass


def test_waiting_writer_gets_the_lock_when_it_is_released(tmp_path, monkeypatch):
    import threading
    import time

    _private_lock_dir(tmp_path, monkeypatch)
    order = []
    held = threading.Event()

    def holder():
        with locks.exclusive(tmp_path / "edition", "the edition"):
            held.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait()
    with locks.exclusive(tmp_path / "edition", "the edition", wait=True):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_a_killed_holder_leaves_no_stale_lock(tmp_path, monkeypatch):
    import subprocess
    import sys

    _private_lock_dir(tmp_path, monkeypatch)
    code = ("import sys, time\nfrom pathlib import Path\nfrom tingbao import locks\n"
            "with locks.exclusive(Path(sys.argv[1]), 'the edition'):\n    print('held', flush=True)\n"
            "    time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "edition")], stdout=subprocess.PIPE,
                             text=True, env=os.environ.copy())
    try:
        assert child.stdout.readline().strip() == "held"
        from tingbao.errors import Busy

        with pytest.raises(Busy):
            with locks.exclusive(tmp_path / "edition", "the edition"):
                pass
    finally:
        child.kill()
        child.wait()
    with locks.exclusive(tmp_path / "edition", "the edition"):  # the kernel released it
        pass
