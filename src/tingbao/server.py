"""`tingbao serve`: the output folder over HTTP, as podcast apps and the player need it.

http.server's SimpleHTTPRequestHandler answers neither byte ranges (players seek with
them; Apple requires them) nor podcast content types, so the handler is ours: HEAD,
single byte ranges (206 / 416), the right types, and nothing outside the root (`..`,
percent-encoded forms, symlinks pointing out). Loopback unless told otherwise.
"""

from __future__ import annotations

import errno
import mimetypes
import re
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import InputError, ServeMoved, ServeRefused

TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".m3u8": "audio/x-mpegurl",  # a plain playlist of MP3s, not HLS (application/vnd.apple.mpegurl)
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_BEYOND = 10**18  # any byte position with more digits is past every file (and int() refuses 4,300+ digits)


def _position(digits: str) -> int:
    return int(digits) if len(digits) <= 18 else _BEYOND


def content_type(path: Path) -> str:
    if path.name.endswith("chapters.json"):
        return "application/json+chapters"
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    root: Path
    server_version = "tingbao"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # quiet: the CLI prints the URLs; access logs would bury them (refusals are logged below)

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        try:
            self._serve(head)
        except ServeMoved as moved:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", moved.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except ServeRefused as exc:
            path = self.path if len(self.path) <= 80 else self.path[:77] + "..."
            self.server.log(f"{exc.status.value} {self.command} {path}: {exc}")
            if exc.status != HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE:
                self.send_error(exc.status, str(exc))
                return
            self.send_response(exc.status)
            self.send_header("Content-Range", f"bytes */{exc.size}")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def _resolve(self) -> Path:
        raw = urlsplit(self.path).path
        decoded = unquote(raw)
        if "\x00" in decoded or "\\" in decoded:
            raise ServeRefused(HTTPStatus.FORBIDDEN, "outside the served folder")
        parts = [p for p in decoded.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            raise ServeRefused(HTTPStatus.FORBIDDEN, "outside the served folder")
        if any(p.startswith(".") for p in parts):  # tingbao's state, temp and staging names are all hidden
            raise ServeRefused(HTTPStatus.NOT_FOUND, "no such file")
        try:
            target = self.root.joinpath(*parts).resolve()
            if target != self.root and self.root not in target.parents:
                raise ServeRefused(HTTPStatus.FORBIDDEN, "outside the served folder")  # a symlink pointing out
            if target.is_dir():
                if not raw.endswith("/"):  # the page's relative links need the slash: /slug -> /slug/
                    raise ServeMoved(raw + "/" + (f"?{urlsplit(self.path).query}" if urlsplit(self.path).query else ""))
                target = target / "index.html"
            if not target.is_file():
                raise ServeRefused(HTTPStatus.NOT_FOUND, "no such file")
        except (OSError, RuntimeError) as exc:  # a name too long, a symlink loop (RuntimeError before 3.13)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ServeRefused(HTTPStatus.NOT_FOUND, f"no such file ({reason})") from None
        return target

    def _serve(self, head: bool) -> None:
        target = self._resolve()
        size = target.stat().st_size
        start, end, status = 0, size - 1, HTTPStatus.OK
        header = self.headers.get("Range")
        if header:
            m = _RANGE.match(header.strip())
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = _position(m.group(1))
                    end = min(_position(m.group(2)), size - 1) if m.group(2) else size - 1
                else:  # the last N bytes
                    start = max(0, size - _position(m.group(2)))
                if start >= size or start > end:
                    raise ServeRefused(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, f"range past the end ({size} bytes)",
                                   size)
                status = HTTPStatus.PARTIAL_CONTENT
        length = end - start + 1 if size else 0
        try:
            f = open(target, "rb")  # noqa: SIM115 - closed below, after the headers
        except OSError as exc:
            raise ServeRefused(HTTPStatus.FORBIDDEN, f"cannot read ({exc.strerror})") from None
        with f:
            self._send(f, target, status, start, end, size, length, head)

    def _send(self, f, target: Path, status: HTTPStatus, start: int, end: int, size: int, length: int,
              head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type(target))
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-cache")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if head or not length:
            return
        f.seek(start)
        remaining = length
        while remaining:
            block = f.read(min(65536, remaining))
            if not block:
                break
            try:
                self.wfile.write(block)
            except (BrokenPipeError, ConnectionResetError):
                return  # the player seeked elsewhere
            remaining -= len(block)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    log: Callable[[str], None]

    def handle_error(self, request, client_address) -> None:
        """One line, never a traceback: a client can always make a request fail somehow."""
        import sys

        exc = sys.exception() if hasattr(sys, "exception") else sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            self.log(f"error answering {client_address[0]}: {type(exc).__name__}: {str(exc)[:120]}")


def make_server(root: str | Path, host: str = "127.0.0.1", port: int = 8000,
                log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """`log` receives one line per refused request or failed connection."""
    folder = Path(root).resolve()
    if not folder.is_dir():
        raise InputError(f"{root}: no such folder to serve (build an edition first)")
    log = log or (lambda line: None)
    handler = type("Handler", (_Handler,), {"root": folder})
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is already in use on {host}; pick another with --port") from None
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    server.log = log
    return server


def urls(server: ThreadingHTTPServer, root: Path) -> list[str]:
    host, port = server.server_address[:2]
    base = f"http://{host}:{port}"
    out = [f"{base}/"]
    if (Path(root) / "feed.xml").is_file():
        out.append(f"{base}/feed.xml")
    return out


