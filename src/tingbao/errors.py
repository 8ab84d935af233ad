"""Errors a user can cause or act on. Only cli.py turns them into exit codes."""

import errno


class TingbaoError(Exception):
    """Base class: the message is one line a user can act on."""

    exit_code = 1


class InputError(TingbaoError):
    """The article (or another input file) cannot be used."""

    exit_code = 2


class ConfigError(TingbaoError):
    """A bad option or a broken tingbao.toml."""

    exit_code = 2


class StorageError(TingbaoError):
    """The output folder or the clip cache cannot be written: a full disk, a read-only folder,
    a file where a folder should be. The user's environment, not a bug and not the engine."""

    exit_code = 74  # EX_IOERR (sysexits.h)


class Busy(TingbaoError):
    """Another tingbao process holds the lock on this edition folder or feed."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class LockFolderError(StorageError):
    """The lock folder is not safe to use: the user's environment (exit 74, like a full disk)."""


class NotAnEdition(InputError):
    """Something that tingbao did not make stands where an edition would be written."""


class FeedStateError(InputError):
    """The items a feed keeps until --prune cannot be read back."""


class EngineError(TingbaoError):
    """Base for synthesis failures: after the retries, the build failed (exit 1)."""


class TransientEngineError(EngineError):
    """Worth a retry (network drop, throttling, truncated audio)."""


class RefusedEngineError(TransientEngineError):
    """The service turned the request away before working on it (throttling, a connection
    limit, a refused handshake). Retrying is pacing, not a failed attempt; `lasting` means
    that if it never stops, it is permanent (a 403: the service refuses this client)."""

    def __init__(self, message: str, lasting: bool = False):
        super().__init__(message)
        self.lasting = lasting


class PermanentEngineError(EngineError):
    """Retrying will not help: the engine cannot work (missing model, service refuses us)."""

    exit_code = 3


class ModelMissing(PermanentEngineError):
    """The offline voice's files are not installed, not found or not the expected ones."""


class ModelFormatError(PermanentEngineError):
    """The bytes are not a TFLite model we know how to patch (checked files should never be)."""


class EncodeError(TingbaoError):
    """ffmpeg could not make an MP3: the build failed (exit 1)."""


class FontMissing(TingbaoError):
    """The CJK font package is not installed: a dependency, so a broken install (exit 1)."""


class InvalidEdition(ValueError):
    """An edition.json the feed and the index cannot list (why, in one phrase). Never reaches the
    CLI as an exit: the folder is skipped with a warning that names it."""


class ServeMoved(Exception):
    """`tingbao serve`: answer 301 to `location` (a folder asked for without its slash)."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


class ServeRefused(Exception):
    """`tingbao serve`: answer one request with an HTTP error; the server logs it and goes on."""

    def __init__(self, status, reason: str, size: int = 0):
        super().__init__(reason)
        self.status, self.size = status, size


# What a user's disk or permissions cause; anything else from the OS stays a bug to report.
STORAGE_ERRNOS = frozenset(getattr(errno, name) for name in (
    "ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "ENOTDIR", "EISDIR", "EEXIST", "EFBIG", "EMFILE", "ENFILE",
    "ENAMETOOLONG", "ELOOP") if hasattr(errno, name))


_WRITING = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EFBIG") if hasattr(errno, name))


def storage_error(exc: OSError, what: str = "", path: object = None) -> StorageError | None:
    """One line naming the path ("cannot write the clip cache: /path: No space left on device"),
    or None when the error is not about the user's storage. Without `what`, the verb is "write"
    only when the error can only come from writing."""
    if exc.errno not in STORAGE_ERRNOS:
        return None
    where = path if path is not None else exc.filename
    action = f"write {what}" if what else ("write" if exc.errno in _WRITING else "use")
    reason = exc.strerror or str(exc)
    return StorageError(f"cannot {action}: {where}: {reason}" if where else f"cannot {action}: {reason}")
