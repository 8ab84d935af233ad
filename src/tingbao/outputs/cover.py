"""The cover image is checked before any synthesis: ffmpeg would find it broken only at the very end."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from ..errors import InputError

MAX_COVER_BYTES = 10 * 2**20  # embedded in the edition and in every section MP3; 3000x3000 artwork is 1-3 MB
MAX_COVER_PIXELS = 64 * 10**6  # beyond any artwork; decoding more would be a memory bomb


def check_cover(path: str) -> None:
    """A readable JPEG or PNG of sane size, fully decoded (a valid header on garbage is not enough)."""
    if not path:
        return
    name = f"--cover {path}"
    p = Path(path)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if p.is_dir():
        raise InputError(f"{name}: is a directory, not an image")
    size = p.stat().st_size
    if size > MAX_COVER_BYTES:
        raise InputError(f"{name}: {size / 2**20:.0f} MB is too large for a cover (limit "
                         f"{MAX_COVER_BYTES // 2**20} MB; 3000x3000 JPEG artwork is 1-3 MB)")
    stat = p.stat()
    _decode(str(p), name, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)  # a batch checks its cover once, then again per edition: decode the same file once
def _decode(path: str, name: str, size: int, mtime_ns: int) -> None:
    from PIL import Image

    p = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as image:
                kind = image.format
                if kind not in ("JPEG", "PNG"):
                    raise InputError(f"{name}: not a JPEG or PNG image (it is {kind or 'another format'})")
                width, height = image.size
                if width * height > MAX_COVER_PIXELS:
                    raise InputError(f"{name}: too many pixels for a cover ({width}x{height}; 3000x3000 is "
                                     "the most podcast apps use)")
                image.load()
    except InputError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InputError(f"{name}: too many pixels for a cover (3000x3000 is the most podcast apps use)") from None
    except OSError as exc:  # Pillow's "cannot identify", "truncated", a read error
        raise InputError(f"{name}: not a JPEG or PNG image that can be read ({_reason(exc)})") from None
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"{name}: not a JPEG or PNG image that can be read ({_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    text = str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)
    return " ".join(text.split())[:100] or type(exc).__name__
