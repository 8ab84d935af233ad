"""`tingbao serve` for the listening page: /slug is sent on to /slug/, playlists and artwork get their types."""

import threading

import pytest

from tingbao.server import make_server

from .test_server import request


@pytest.fixture
def port(tmp_path):
    root = tmp_path / "output"
    (root / "ed" / "sections").mkdir(parents=True)
    (root / "ed" / "index.html").write_text("<html>page</html>", encoding="utf-8")
    (root / "ed" / "sections.m3u8").write_text("#EXTM3U\n", encoding="utf-8")
    (root / "ed" / "cover.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    (root / "ed" / "sections" / "01-dao-yu.mp3").write_bytes(b"\0" * 100)
    server = make_server(root, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()  # quick teardown
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path, location", [("/ed", "/ed/"), ("/ed?t=30", "/ed/?t=30"),
                                            ("/ed/sections", "/ed/sections/")])
def test_a_folder_without_its_slash_is_redirected(port, method, path, location):
    response, body = request(port, method, path)
    assert response.status == 301 and response.getheader("Location") == location and body == b""


def test_the_page_itself(port):
    response, body = request(port, "GET", "/ed/")
    assert response.status == 200 and body == b"<html>page</html>"


@pytest.mark.parametrize("path, kind", [("/ed/sections.m3u8", "audio/x-mpegurl"), ("/ed/cover.jpg", "image/jpeg"),
                                        ("/ed/sections/01-dao-yu.mp3", "audio/mpeg")])
def test_types(port, path, kind):
    response, _ = request(port, "GET", path)
    assert response.status == 200 and response.getheader("Content-Type") == kind
