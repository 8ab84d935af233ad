"""`tingbao serve`: HEAD, byte ranges, content types, and nothing outside the root."""

import http.client
import os
import threading

import pytest
from click.testing import CliRunner

from tingbao.cli import main
from tingbao.server import make_server


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "output"
    (root / "ed").mkdir(parents=True)
    (root / "ed" / "ed.mp3").write_bytes(bytes(range(256)) * 40)
    (root / "ed" / "chapters.json").write_text("{}", encoding="utf-8")
    (root / "ed" / "transcript.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (root / "feed.xml").write_text("<rss/>", encoding="utf-8")
    (root / "index.html").write_text("<html>ok</html>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    server = make_server(root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def request(port, method, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


@pytest.mark.parametrize("path, kind", [
    ("/ed/ed.mp3", "audio/mpeg"), ("/ed/chapters.json", "application/json+chapters"),
    ("/ed/transcript.vtt", "text/vtt; charset=utf-8"), ("/feed.xml", "application/rss+xml; charset=utf-8"),
    ("/", "text/html; charset=utf-8"),
])
def test_types(served, path, kind):
    response, _ = request(served, "GET", path)
    assert response.status == 200 and response.getheader("Content-Type") == kind


def test_head_and_ranges(served):
    response, body = request(served, "HEAD", "/ed/ed.mp3")
    assert response.status == 200 and body == b"" and response.getheader("Content-Length") == "10240"
    assert response.getheader("Accept-Ranges") == "bytes"
    response, body = request(served, "GET", "/ed/ed.mp3", {"Range": "bytes=100-199"})
    assert response.status == 206 and response.getheader("Content-Range") == "bytes 100-199/10240"
    assert body == (bytes(range(256)) * 40)[100:200]
    response, body = request(served, "GET", "/ed/ed.mp3", {"Range": "bytes=-10"})
    assert response.status == 206 and len(body) == 10
    response, _ = request(served, "GET", "/ed/ed.mp3", {"Range": "bytes=99999-"})
    assert response.status == 416 and response.getheader("Content-Range") == "bytes */10240"


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/ed/..%2f..%2fsecret.txt", "/%2E%2E%2Fsecret.txt",
    "/ed/%2e%2e/%2e%2e/secret.txt", "/link.txt", "/..%5c..%5csecret.txt", "/%00",
])
def test_nothing_outside_the_root(served, path):
    response, body = request(served, "GET", path)
    assert response.status in (403, 404) and b"secret" not in body


def test_port_in_use_is_one_line(served):
    r = CliRunner().invoke(main, ["serve", ".", "--port", str(served)])
    assert r.exit_code == 2 and "already in use" in r.output and len(r.output.strip().splitlines()) == 1
