"""One writer at a time per edition folder and per feed.

flock(2) locks are released by the kernel when a process dies (even by SIGKILL), so a
crash never leaves a stale lock. The lock files live in a per-user temp folder, keyed by
the absolute path they guard, so the output folder only ever holds what we publish.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import TingbaoError


class Busy(TingbaoError):
    exit_code = 75  # EX_TEMPFAIL: try again later


def _lock_path(target: Path) -> Path:
    folder = Path(tempfile.gettempdir()) / f"tingbao-locks-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / (hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:24] + ".lock")


@contextmanager
def exclusive(target: Path, what: str):
    """Hold the lock for `target` or fail at once with a message naming `what`."""
    fd = os.open(_lock_path(target), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"{what} is being written by another tingbao process right now; "
                       "run this again when it has finished") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
