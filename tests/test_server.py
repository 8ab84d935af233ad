"""`tingbao serve`: HEAD, byte ranges, content types, and nothing outside the root."""

import http.client
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tingbao.cli import main
from tingbao.server import make_server


@dataclass
class Served:
    port: int
    root: Path
    log: list[str]


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
    log: list[str] = []
    server = make_server(root, "127.0.0.1", 0, log=log.append)
    # shutdown() waits for the loop to look again: every 0.5 s by default, a wait per test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield Served(server.server_address[1], root, log)
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
    response, _ = request(served.port, "GET", path)
    assert response.status == 200 and response.getheader("Content-Type") == kind


def test_head_and_ranges(served):
    response, body = request(served.port, "HEAD", "/ed/ed.mp3")
    assert response.status == 200 and body == b"" and response.getheader("Content-Length") == "10240"
    assert response.getheader("Accept-Ranges") == "bytes"
    response, body = request(served.port, "GET", "/ed/ed.mp3", {"Range": "bytes=100-199"})
    assert response.status == 206 and response.getheader("Content-Range") == "bytes 100-199/10240"
    assert body == (bytes(range(256)) * 40)[100:200]
    response, body = request(served.port, "GET", "/ed/ed.mp3", {"Range": "bytes=-10"})
    assert response.status == 206 and len(body) == 10
    response, _ = request(served.port, "GET", "/ed/ed.mp3", {"Range": "bytes=99999-"})
    assert response.status == 416 and response.getheader("Content-Range") == "bytes */10240"


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/ed/..%2f..%2fsecret.txt", "/%2E%2E%2Fsecret.txt",
    "/ed/%2e%2e/%2e%2e/secret.txt", "/link.txt", "/..%5c..%5csecret.txt", "/%00",
])
def test_nothing_outside_the_root(served, path):
    response, body = request(served.port, "GET", path)
    assert response.status in (403, 404) and b"secret" not in body


def test_port_in_use_is_one_line(served):
    r = CliRunner().invoke(main, ["serve", ".", "--port", str(served.port)])
    assert r.exit_code == 2 and "already in use" in r.output and len(r.output.strip().splitlines()) == 1


@pytest.mark.parametrize("path, headers, status", [
    ("/" + "a" * 300, {}, 404),  # ENAMETOOLONG
    ("/ed/" + "b" * 300 + ".mp3", {}, 404),
    ("/loop", {}, 404),  # ELOOP
    ("/loop/x.mp3", {}, 404),
    ("/ed/ed.mp3", {"Range": "bytes=" + "9" * 5000 + "-"}, 416),
    ("/ed/ed.mp3", {"Range": "bytes=" + "9" * 5000 + "-" + "9" * 5000}, 416),
])
def test_hostile_requests_get_an_answer_not_a_traceback(served, capfd, path, headers, status):
    """These dropped the connection with a traceback on stderr (issue 13, point 7)."""
    os.symlink("loop", served.root / "loop")
    response, _ = request(served.port, "GET", path, headers)
    assert response.status == status
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert len(served.log) == 1 and str(status) in served.log[0] and len(served.log[0]) < 200


def test_huge_range_ends_are_clamped(served):
    whole = bytes(range(256)) * 40
    response, body = request(served.port, "GET", "/ed/ed.mp3", {"Range": "bytes=10-" + "9" * 5000})
    assert response.status == 206 and body == whole[10:]
    response, body = request(served.port, "GET", "/ed/ed.mp3", {"Range": "bytes=-" + "9" * 5000})
    assert response.status == 206 and body == whole


def test_an_unexpected_failure_is_one_log_line(served, capfd, monkeypatch):
    def broken(path):
        raise ValueError("boom")

    monkeypatch.setattr("tingbao.server.content_type", broken)
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        request(served.port, "GET", "/ed/ed.mp3")
    for _ in range(50):  # the log line is written after the connection closes
        if served.log:
            break
        threading.Event().wait(0.02)
    assert "Traceback" not in capfd.readouterr().err
    assert len(served.log) == 1 and "ValueError: boom" in served.log[0]


def test_hidden_names_are_not_served(served):
    """tingbao's feed state, temp files and staging folders all have hidden names: never served."""
    (served.root / ".tingbao").mkdir()
    (served.root / ".tingbao" / "feed-state.json").write_text("{}", encoding="utf-8")
    (served.root / ".ed.partial-12").mkdir()
    (served.root / ".ed.partial-12" / "ed.mp3").write_bytes(b"x")
    for path in ("/.tingbao/feed-state.json", "/.ed.partial-12/ed.mp3", "/%2Etingbao/feed-state.json"):
        response, _ = request(served.port, "GET", path)
        assert response.status == 404, path
