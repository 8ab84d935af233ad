"""Bytes -> clean text: encoding detection, format, Unicode clean-up.

Line structure is preserved exactly (one output line per source line), so every
later stage can report 1-based line numbers of the file the user has.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import html_input
from .errors import InputError
from .zh import HAN_ANY

MAX_BYTES = 50 * 1024 * 1024  # far beyond any article; protects memory on a wrong file

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]
_CJK_ENCODINGS = ("gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs", "hz", "utf_16", "utf_32")
_CJK = re.compile(f"[{HAN_ANY}]")

# Full-width ASCII letters, digits and ％ become half-width. Full NFKC is not used:
# it would turn Chinese punctuation （，：；！？） into ASCII, which changes meaning
# for sentence splitting and looks wrong in transcripts.
_WIDTH_MAP = {cp: cp - 0xFEE0 for cp in (
    list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)) + [0xFF05]
)}
_DROP = {cp: None for cp in (0x200B, 0x200C, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD)}
# Bidi embeddings, overrides and isolates (and the Arabic letter mark) can make a title, hence a
# file name or a feed title, display differently from what it is; Chinese news never needs them.
_DROP.update({cp: None for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x061C)})
_ZWJ = "\u200d"
# Characters XML 1.0 forbids (lone surrogates, U+FFFE/U+FFFF; C0 controls go with all Cc below)
# and the other noncharacters: one in a title made feed.xml unreadable for every episode.
_ILLEGAL = re.compile("[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17)) + "]")
_FULLWIDTH_DOT_IN_NUMBER = re.compile(r"(?<=\d)．(?=\d)")


@dataclass
class Source:
    text: str
    path: str  # as given, "-" for stdin
    format: str  # "txt" or "md" (a web page is read as the Markdown script html_input makes of it)
    encoding: str
    sha256: str


def read_source(path: str | Path) -> Source:
    """Read an article file (or "-" for stdin) into clean text."""
    name = str(path)
    if name == "-":
        data = _read_capped(sys.stdin.buffer, name)
        fmt = "md" if re.match(rb"\s*(---|#)", data[:200] if data else b"") else "txt"
        fmt = "html" if fmt == "txt" and html_input.looks_like_html(data) else fmt
    else:
        p = Path(name)
        if not p.exists():
            raise InputError(f"{name}: no such file")
        if p.is_dir():
            raise InputError(f"{name}: is a directory, not an article (give a .txt, .md or .html file)")
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"{name}: {p.stat().st_size // 2**20} MB is too large for an article "
                             f"(limit {_limit()})")
        try:
            with open(p, "rb") as f:
                data = _read_capped(f, name)
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror})") from None
        fmt = _FORMATS.get(p.suffix.lower(), "txt")
    if fmt in ("html", "mhtml"):
        return _read_page(data, name, fmt)
    text, encoding = decode(data, name)
    text = normalize_text(text)
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    if not _CJK.search(text):
        raise InputError(f"{name}: no Chinese text found (tingbao reads Chinese articles)")
    return Source(text=text, path=name, format=fmt, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".xhtml": "html", ".mhtml": "mhtml",
            ".mht": "mhtml"}


def _read_page(data: bytes, name: str, fmt: str) -> Source:
    """A saved web page: its article becomes a Markdown script (line numbers stay those of the page)."""
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "mhtml" and data.strip():
        data = html_input.mhtml_html(data, name)
    page, encoding = html_input.decode_html(data) if b"\0" not in data[:8192] else (None, "")
    if page is None:
        page, encoding = decode(data, name)  # empty, binary, undetectable: the errors every input gets
    page = normalize_text(page)
    if not _CJK.search(page):
        raise InputError(f"{name}: no Chinese text found (tingbao reads Chinese articles)")
    return Source(text=html_input.to_script(page, name), path=name, format="md", encoding=encoding, sha256=sha)


def _read_capped(stream, name: str) -> bytes:
    """At most MAX_BYTES: a device (/dev/zero), a FIFO or a pipe has no size to check beforehand."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than the {_limit()} limit for an article (tingbao reads at most "
                         f"{_limit()} of input)")
    return data


def _limit() -> str:
    return f"{MAX_BYTES // 2**20} MB" if MAX_BYTES >= 2**20 else f"{MAX_BYTES} bytes"


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode bytes, preferring UTF-8 when valid; return (text, encoding name)."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError:
                raise InputError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    if b"\0" in data[:8192]:  # no text encoding we accept without a BOM has NUL bytes
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_CJK_ENCODINGS)).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError(
        f"{name}: cannot tell the text encoding (tried UTF-8, UTF-16, GB18030/GBK, Big5); save it as UTF-8")


def normalize_text(text: str) -> str:
    """Line endings, widths, invisible characters; indentation is not text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_WIDTH_MAP).translate(_DROP)
    text = _ILLEGAL.sub("", text)
    if _ZWJ in text:
        text = _keep_emoji_joiners(text)
    text = _FULLWIDTH_DOT_IN_NUMBER.sub(".", text)
    lines = []
    for line in text.split("\n"):
        line = "".join(
            " " if ch in "\t\u00a0" else ch
            for ch in line
            if ch in "\t" or unicodedata.category(ch) != "Cc"
        )
        # Ideographic spaces (U+3000) and ASCII spaces at line start are indentation.
        lines.append(line.lstrip(" \u3000").rstrip(" \u3000"))
    return "\n".join(lines)


def _is_emoji_part(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch == "\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _keep_emoji_joiners(text: str) -> str:
    """A zero-width joiner makes one emoji of several (👨‍👩‍👧); anywhere else it is invisible noise."""
    parts = text.split(_ZWJ)
    out = [parts[0]]
    for part in parts[1:]:
        joins = out[-1][-1:] and part[:1] and _is_emoji_part(out[-1][-1]) and _is_emoji_part(part[0])
        out.append(_ZWJ + part if joins else part)
    return "".join(out)
