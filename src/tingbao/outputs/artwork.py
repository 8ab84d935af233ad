"""Generated cover art: a square JPEG with the series name and the edition's title.

Apple asks for 1400-3000 px square RGB artwork; we make 3000 px, set in Noto Sans CJK SC
(the `noto-cjk-sans-otc` wheel, SIL OFL 1.1) so it installs from PyPI on a fresh machine.
Sizes are chosen for the 300 px thumbnail a podcast app shows: the title is never set
smaller than 1/14 of the side. Output is deterministic: no timestamps, no ICC profile
(untagged JPEG is read as sRGB), Pillow's basic layout engine, a fixed JPEG quality.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

from ..errors import FontMissing

SIDE = 3000
MAX_BYTES = 512 * 1024
SC_FACE = "Noto Sans CJK SC"
# (background, deep shade, accent, text): calm news colours, one per series (picked by its name)
PALETTES = [
    ((140, 28, 19), (104, 18, 12), (242, 193, 78), (255, 250, 240)),
    ((15, 61, 94), (9, 40, 64), (244, 162, 89), (250, 248, 242)),
    ((30, 77, 58), (19, 52, 38), (233, 196, 106), (250, 250, 244)),
    ((43, 45, 66), (28, 29, 44), (239, 131, 84), (250, 248, 245)),
]
# a line may not start with these (closing punctuation) nor end with the opening ones
_NO_START = set("，。、；：？！）》」』”’·…—")
_NO_END = set("（《「『“‘")


@lru_cache(maxsize=1)
def font_path() -> str:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        raise FontMissing("the font package noto-cjk-sans-otc is not installed; reinstall tingbao") from None
    return str(noto_cjk_sans_otc.FONT_PATH)


@lru_cache(maxsize=32)
def _font(size: int):
    from PIL import ImageFont

    path = font_path()
    for index in range(10):  # the collection's SC face (index 2 today; found by name, not assumed)
        font = ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)
        if font.getname()[0] == SC_FACE:
            return font
    raise FontMissing(f"{path} has no {SC_FACE} face")


def _words(text: str) -> list[str]:
    """Pieces a line may break between: jieba words, Latin runs kept whole."""
    import jieba

    jieba.setLogLevel(60)
    return [w for w in jieba.lcut(text) if w]


def wrap(text: str, width: float, measure, max_lines: int) -> list[str] | None:
    """Greedy fill by words; None when the text needs more than `max_lines` lines at this size."""
    lines: list[str] = []
    line = ""
    for word in _words(text):
        candidate = line + word
        if not line or measure(candidate) <= width or word[0] in _NO_START:
            line = candidate
            continue
        if line[-1] in _NO_END:
            line, word = line[:-1], line[-1] + word
        lines.append(line)
        line = word.lstrip()
    if line:
        lines.append(line)
    # a single word wider than the line: cut it by characters
    out: list[str] = []
    for entry in lines:
        while measure(entry) > width and len(entry) > 1:
            cut = len(entry) - 1
            while cut > 1 and measure(entry[:cut]) > width:
                cut -= 1
            out.append(entry[:cut])
            entry = entry[cut:]
        out.append(entry)
    return out if len(out) <= max_lines else None


def _fit(text: str, width: float, height: float, sizes: range, max_lines: int,
         leading: float = 1.0) -> tuple[int, list[str]]:
    """The largest size whose wrapped lines fit the box, with lines of even length."""
    for size in sizes:
        font = _font(size)
        lines_room = min(max_lines, int((height - size) // (size * leading)) + 1 if leading > 1 else max_lines)
        lines = wrap(text, width, font.getlength, lines_room)
        if lines is not None:
            return size, _balance(text, width, font.getlength, len(lines))
    size = sizes[-1]
    lines = wrap(text, width, _font(size).getlength, 99) or [text]
    return size, [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"] if len(lines) > max_lines else lines


def _balance(text: str, width: float, measure, count: int) -> list[str]:
    """The narrowest measure that still takes `count` lines: no lone word on a last line."""
    low, high = width / count, width
    while high - low > 4:
        middle = (low + high) / 2
        lines = wrap(text, middle, measure, count)
        if lines is not None and all(measure(line) <= middle for line in lines):
            high = middle
        else:
            low = middle
    return wrap(text, high, measure, count) or wrap(text, width, measure, count) or [text]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("□", " ")).strip()


def generate_cover(series: str, title: str, date: str = "", side: int = SIDE, colours: str = "") -> bytes:
    """JPEG bytes; the same arguments always give the same bytes. The palette follows `colours`
    (default: the series name), so a show's editions and its channel artwork match."""
    from PIL import Image, ImageDraw

    series, title = _clean(series) or "听报", _clean(title) or "有声版"
    seed = hashlib.sha256(f"{series}\n{title}".encode()).digest()
    bg, deep, accent, ink = PALETTES[hashlib.sha256((_clean(colours) or series).encode()).digest()[0]
                                     % len(PALETTES)]
    unit = side / 3000
    margin = round(250 * unit)
    image = Image.new("RGB", (side, side), bg)
    draw = ImageDraw.Draw(image)

    # a deeper band at the bottom holds the date and the sound-wave mark
    band_top = round(2330 * unit)
    draw.rectangle((0, band_top, side, side), fill=deep)
    wave_left = margin
    if date:
        date_font = _font(round(112 * unit))
        draw.text((margin, band_top + round(335 * unit) - round(56 * unit)), date, font=date_font, fill=accent)
        wave_left = margin + round(date_font.getlength(date) + 120 * unit)
    _wave(draw, seed, wave_left, band_top + round(170 * unit), side - margin, side - round(170 * unit), accent)

    # series name: an accent bar, then the name, at the top
    series_size, series_lines = _fit(series, side - 2 * margin - 80 * unit, 10**6,
                                     range(round(180 * unit), round(109 * unit), -10), 1)
    top = margin - round(20 * unit)
    draw.rectangle((margin, top + round(22 * unit), margin + round(30 * unit), top + round(series_size * 1.28)),
                   fill=accent)
    draw.text((margin + round(80 * unit), top), series_lines[0], font=_font(series_size), fill=ink)

    # the title: as large as fits (at most five lines), centred between the series name and the band
    area_top, area_bottom = top + series_size + round(300 * unit), band_top - round(190 * unit)
    title_size, lines = _fit(title, side - 2 * margin, area_bottom - area_top,
                             range(round(400 * unit), round(199 * unit), -10), 5, leading=1.3)
    leading = round(title_size * 1.3)
    block = leading * (len(lines) - 1) + round(title_size * 1.15)
    y = area_top + max(0, (area_bottom - area_top - block) // 2)
    draw.rectangle((margin, y - round(130 * unit), margin + round(240 * unit), y - round(112 * unit)), fill=accent)
    stroke = max(1, round(title_size * 0.022))  # the collection has one weight: a stroke makes it bold
    for line in lines:
        # an opening quote or bracket sits in the right half of its em: hang it so the ink lines up
        x = margin - (round(title_size * 0.45) if line[:1] in _NO_END else 0)
        draw.text((x, y), line, font=_font(title_size), fill=ink, stroke_width=stroke, stroke_fill=ink)
        y += leading

    return _encode(image)


def _wave(draw, seed: bytes, left: int, top: int, right: int, bottom: int, colour) -> None:
    """Rounded bars whose heights come from the title's hash: each edition gets its own mark."""
    pitch = (bottom - top) * 0.2
    count = max(8, int((right - left) / pitch))
    pitch = (right - left) / count
    bar = pitch * 0.5
    middle = (top + bottom) / 2
    half = (bottom - top) / 2
    for i in range(count):
        envelope = 0.35 + 0.65 * (1 - abs(2 * i / (count - 1) - 1)) ** 0.6
        level = 0.25 + 0.75 * seed[i % len(seed)] / 255
        h = max(bar / 2, half * envelope * level)
        x = left + i * pitch + (pitch - bar) / 2
        draw.rounded_rectangle((round(x), round(middle - h), round(x + bar), round(middle + h)),
                               radius=round(bar / 2), fill=colour)


def _encode(image) -> bytes:
    for quality in (90, 84, 76, 68):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
        data = buffer.getvalue()
        if len(data) < MAX_BYTES:
            return data
    return data


def edition_cover(given: str, series: str, title: str, date: str = "") -> tuple[str, bytes]:
    """The edition's artwork as (file name beside the edition, bytes): the --cover file as given
    (checked before synthesis), else one generated from the series name and the title."""
    if given:
        data = Path(given).read_bytes()
        return ("cover.png" if data.startswith(b"\x89PNG\r\n\x1a\n") else "cover.jpg"), data
    return "cover.jpg", generate_cover(series, title, date)


SERIES_COVER = "series-cover.jpg"  # not cover.jpg: never overwrite a file of the user's in the output folder


def series_cover(series: str, label: str) -> bytes:
    """The channel's artwork when [series] image is not set: the series title large, the publication
    (or author) above it. One image for the whole show, so apps' cached artwork stays right."""
    return generate_cover(label or "听报", series, colours=series)
