"""Content-addressed clip store: one file per chunk key, atomic writes, checksummed.

File layout: b"TBC1", uint32 header length, JSON header (sample rate, sentence ends,
notes, sample count, SHA-256 of the PCM), then the int16 PCM. A file that fails any
check is deleted and reported as a miss, so the chunk is synthesised again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import struct
import tempfile
from pathlib import Path

import numpy as np

from .engines.base import Clip
from .errors import StorageError, storage_error

MAGIC = b"TBC1"


def default_cache_dir() -> Path:
    env = os.environ.get("TINGBAO_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("tingbao")) / "clips"


class ClipCache:
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root else default_cache_dir()
        self._check_writable()

    def _check_writable(self) -> None:
        """Before any synthesis: a cache that cannot keep a clip would cost the whole run."""
        if self.root.exists() and not self.root.is_dir():
            raise StorageError(f"cannot write the clip cache: {self.root}: a file, not a folder (choose another "
                               "with --cache-dir or TINGBAO_CACHE_DIR)")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.root, prefix=".probe-", suffix=".tmp")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise self._error(exc) from None

    def _error(self, exc: OSError) -> OSError | StorageError:
        error = storage_error(exc, "the clip cache", self.root)
        if error is None:
            return exc
        free = "free some space, or " if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
        return StorageError(f"{error} ({free}choose another folder with --cache-dir or TINGBAO_CACHE_DIR)")

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.clip"

    def get(self, key: str) -> Clip | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        clip = _decode(data)
        if clip is None:
            path.unlink(missing_ok=True)  # corrupt or truncated: forget it, synthesise again
        return clip

    def put(self, key: str, clip: Clip) -> None:
        try:
            self._put(key, clip)
        except OSError as exc:  # a full disk mid-run: the user's, named, not "synthesis failed"
            raise self._error(exc) from None

    def _put(self, key: str, clip: Clip) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        pcm = np.ascontiguousarray(clip.samples, dtype="<i2").tobytes()
        header = json.dumps({"rate": clip.sample_rate, "ends": clip.sentence_ends, "notes": clip.notes,
                             "n": len(clip.samples), "sha256": hashlib.sha256(pcm).hexdigest()}).encode()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + struct.pack("<I", len(header)) + header + pcm)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)  # atomic: readers see the old file or the whole new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _decode(data: bytes) -> Clip | None:
    try:
        if data[:4] != MAGIC:
            return None
        (size,) = struct.unpack_from("<I", data, 4)
        header = json.loads(data[8 : 8 + size])
        pcm = data[8 + size :]
        if len(pcm) != 2 * header["n"] or hashlib.sha256(pcm).hexdigest() != header["sha256"]:
            return None
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.int16)
        return Clip(samples, int(header["rate"]), list(header["ends"]), list(header.get("notes", [])))
    except (ValueError, KeyError, struct.error, UnicodeDecodeError):
        return None
