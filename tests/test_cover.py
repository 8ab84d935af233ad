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


# --- generated artwork -------------------------------------------------------------------------

GENERATED = ("青禾湾早听报", "数字赋能绘就青禾湾新区高质量发展新图景", "2025-12-30")


@pytest.fixture(scope="module")
def generated():
    from tingbao.outputs.artwork import generate_cover

    return generate_cover(*GENERATED)


def test_generated_cover_meets_podcast_artwork_rules(generated):
    from tingbao.outputs.artwork import MAX_BYTES

    image = Image.open(io.BytesIO(generated))
    assert image.format == "JPEG" and image.mode == "RGB"  # RGB (untagged: sRGB), not CMYK or greyscale
    assert image.size[0] == image.size[1] >= 1400 and image.size == (3000, 3000)
    assert len(generated) < MAX_BYTES == 512 * 1024
    assert "exif" not in image.info and "icc_profile" not in image.info  # nothing that varies between runs


def test_generated_cover_is_deterministic_and_per_title(generated):
    from tingbao.outputs.artwork import generate_cover

    assert generate_cover(*GENERATED) == generated
    assert generate_cover(GENERATED[0], "另一个标题", GENERATED[2]) != generated


def test_generated_cover_text_is_legible_as_a_thumbnail(generated):
    """At 300 px the title block is large, high-contrast ink: many bright pixels in the title area,
    strokes at least ~2 px thick (a thin or tiny title would blur into the background)."""
    import numpy as np

    thumb = np.asarray(Image.open(io.BytesIO(generated)).convert("L").resize((300, 300), Image.LANCZOS))
    background = np.median(thumb[100:220, 280:300])  # the right margin of the title area
    title_area = thumb[60:220, 20:280]
    ink = title_area > background + 120
    assert ink.mean() > 0.08  # a third of the width filled with bold glyphs, several lines
    runs = [len(r) for row in ink for r in "".join("1" if v else "0" for v in row).split("0") if r]
    assert np.median(runs) >= 2


def test_generated_cover_survives_long_and_hostile_titles():
    from tingbao.outputs.artwork import generate_cover

    for title in ("短", "标" * 200, "<script>alert(1)</script> Tom & Jerry", "□ 记者 周明远", ""):
        data = generate_cover("听报", title)
        image = Image.open(io.BytesIO(data))
        assert image.size == (3000, 3000) and len(data) < 512 * 1024


def test_the_font_is_the_simplified_chinese_face():
    from tingbao.outputs.artwork import SC_FACE, _font

    assert _font(100).getname()[0] == SC_FACE == "Noto Sans CJK SC"


def test_edition_cover_takes_the_given_file_or_generates(tmp_path):
    from tingbao.outputs.artwork import edition_cover

    png = tmp_path / "art.png"
    png.write_bytes(_image("PNG"))
    assert edition_cover(str(png), "听报", "标题") == ("cover.png", png.read_bytes())
    jpg = tmp_path / "art.jpg"
    jpg.write_bytes(_image("JPEG"))
    assert edition_cover(str(jpg), "听报", "标题") == ("cover.jpg", jpg.read_bytes())
    name, data = edition_cover("", "听报", "标题", "2025-01-02")
    assert name == "cover.jpg" and Image.open(io.BytesIO(data)).size == (3000, 3000)


def test_series_cover_matches_the_editions_palette():
    from tingbao.outputs.artwork import edition_cover, series_cover

    def corner(data):
        return Image.open(io.BytesIO(data)).convert("RGB").getpixel((2900, 1000))

    show = series_cover("青禾湾早听报", "青禾湾日报")
    assert corner(show) == corner(edition_cover("", "青禾湾早听报", "某一期的标题")[1])
    assert show == series_cover("青禾湾早听报", "青禾湾日报")


def test_title_lines_break_between_words_and_never_before_closing_punctuation():
    from tingbao.outputs.artwork import wrap

    def measure(text):
        return float(len(text))

    lines = wrap("“红色引擎”迸发荆江两岸澎湃动力，高质量发展", 7, measure, 9)
    assert "".join(lines) == "“红色引擎”迸发荆江两岸澎湃动力，高质量发展"
    assert not any(line[0] in "，。、”）》" for line in lines) and not any(line[-1] in "“（《" for line in lines)
    pairs = zip(lines, lines[1:], strict=False)
    assert not any(a.endswith("两") and b.startswith("岸") for a, b in pairs)  # 两岸 is one word
    assert wrap("一二三四五六七八九十", 3, measure, 2) is None  # more lines than allowed: the caller tries smaller
