"""The cover image is checked (fully decoded) before synthesis."""

import io

import pytest
from PIL import Image

from tingbao.errors import InputError
from tingbao.outputs.cover import check_cover


def _image(kind: str, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize("kind, suffix", [("JPEG", "jpg"), ("PNG", "png")])
def test_real_covers_pass(tmp_path, kind, suffix):
    path = tmp_path / f"cover.{suffix}"
    path.write_bytes(_image(kind))
    check_cover(str(path))


@pytest.mark.parametrize("data, words", [
    (lambda: _image("JPEG")[:200], "(?i)truncated"),  # a header and the start of a real JPEG
    (lambda: _image("PNG")[:60], "not a JPEG or PNG"),
    (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "not a JPEG or PNG"),
    (lambda: _image("GIF"), "it is GIF"),
    (lambda: b"", "not a JPEG or PNG"),
])
def test_unreadable_covers_are_refused(tmp_path, data, words):
    path = tmp_path / "cover.jpg"
    path.write_bytes(data())
    with pytest.raises(InputError, match=words):
        check_cover(str(path))


def test_a_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (10_000, 10_000)).save(path)  # a few kB on disk, 100 M pixels decoded
    with pytest.raises(InputError, match="too many pixels"):
        check_cover(str(path))


def test_missing_and_empty_setting(tmp_path):
    check_cover("")
    with pytest.raises(InputError, match="no such file"):
        check_cover(str(tmp_path / "nope.jpg"))
