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
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import InputError

TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def content_type(path: Path) -> str:
    if path.name.endswith("chapters.json"):
        return "application/json+chapters"
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    root: Path
    server_version = "tingbao"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # quiet: the CLI prints the URLs; access logs would bury them

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _resolve(self) -> Path | None:
        raw = urlsplit(self.path).path
        decoded = unquote(raw)
        if "\x00" in decoded or "\\" in decoded:
            return None
        parts = [p for p in decoded.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            return None
        target = self.root.joinpath(*parts).resolve()
        if target != self.root and self.root not in target.parents:
            return None  # a symlink that points out of the root
        if target.is_dir():
            target = target / "index.html"
        return target

    def _serve(self, head: bool) -> None:
        target = self._resolve()
        if target is None:
            self.send_error(HTTPStatus.FORBIDDEN, "outside the served folder")
            return
        if not target.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        size = target.stat().st_size
        start, end, status = 0, size - 1, HTTPStatus.OK
        header = self.headers.get("Range")
        if header:
            m = _RANGE.match(header.strip())
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = int(m.group(1))
                    end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
                else:  # the last N bytes
                    start = max(0, size - int(m.group(2)))
                if start >= size or start > end:
                    self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = HTTPStatus.PARTIAL_CONTENT
        length = end - start + 1 if size else 0
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
        with open(target, "rb") as f:
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


def make_server(root: str | Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    folder = Path(root).resolve()
    if not folder.is_dir():
        raise InputError(f"{root}: no such folder to serve (build an edition first)")
    handler = type("Handler", (_Handler,), {"root": folder})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is already in use on {host}; pick another with --port") from None
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    server.daemon_threads = True
    return server


def urls(server: ThreadingHTTPServer, root: Path) -> list[str]:
    host, port = server.server_address[:2]
    base = f"http://{host}:{port}"
    out = [f"{base}/"]
    if (Path(root) / "feed.xml").is_file():
        out.append(f"{base}/feed.xml")
    return out


