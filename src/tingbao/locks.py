"""One writer at a time per edition folder and per feed.

flock(2) locks are released by the kernel when a process dies (even by SIGKILL), so a
crash never leaves a stale lock. The lock files live in a per-user folder (the user cache
dir, or TINGBAO_LOCK_DIR), keyed by the absolute path they guard, so the output folder only
ever holds what we publish. The folder must be ours and closed to others: in a shared place
another user could otherwise hold our locks (every build would stop) or plant links.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
from contextlib import contextmanager
from pathlib import Path

from .errors import Busy, LockFolderError

__all__ = ["Busy", "LockFolderError", "exclusive", "lock_dir"]  # the errors live in errors.py


def lock_dir() -> Path:
    env = os.environ.get("TINGBAO_LOCK_DIR")
    if env:
        folder = Path(env)
    else:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("tingbao")) / "locks"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise LockFolderError(f"cannot create the lock folder {folder} ({exc.strerror}); "
                              "set TINGBAO_LOCK_DIR to a private folder") from None
    if not stat.S_ISDIR(info.st_mode):
        raise LockFolderError(f"the lock folder {folder} is not a plain folder (a link or a file); remove it "
                              "and tingbao makes a new one, or set TINGBAO_LOCK_DIR")
    if info.st_uid != os.getuid():
        raise LockFolderError(f"the lock folder {folder} belongs to another user (uid {info.st_uid}); "
                              "set TINGBAO_LOCK_DIR to a folder of your own")
    if info.st_mode & 0o077:
        raise LockFolderError(f"the lock folder {folder} is open to other users (mode "
                              f"{stat.S_IMODE(info.st_mode):o}); run `chmod 700 {folder}` or set TINGBAO_LOCK_DIR")
    return folder


def _lock_path(target: Path) -> Path:
    return lock_dir() / (hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:24] + ".lock")


@contextmanager
def exclusive(target: Path, what: str, wait: bool = False):
    """Hold the lock for `target`: wait for it, or fail at once with a message naming `what`."""
    fd = os.open(_lock_path(target), os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"{what} is being written by another tingbao process right now; "
                       "run this again when it has finished") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
