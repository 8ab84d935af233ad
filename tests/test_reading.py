import pytest
from click.testing import CliRunner

from tingbao.cli import main
from tingbao.errors import InputError
from tingbao.reading import decode, normalize_text, read_source

TEXT = "青禾湾新区建设综述\n\n新区今年新增学位9000多个，群众满意率达到97%。\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("utf-16", "utf-16"), ("gb18030", None), ("gbk", None),
])
def test_encodings_round_trip(tmp_path, encoding, expected):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode(encoding))
    source = read_source(path)
    assert source.text == TEXT
    if expected:
        assert source.encoding == expected


def test_big5_traditional(tmp_path):
    text = "臺灣新聞報導，今年觀光人數明顯增加，業者表示營收持續成長。\n" * 3
    path = tmp_path / "b.txt"
    path.write_bytes(text.encode("big5"))
    assert read_source(path).text == text


def test_prefers_utf8_when_valid():
    text, encoding = decode("中文".encode())
    assert (text, encoding) == ("中文", "utf-8")


def test_normalisation_keeps_chinese_punctuation():
    raw = "\u3000\u3000全角ＡＢＣ１２３％，“引号”：（括号）！\u200b\r\nnext\rline\x07"
    assert normalize_text(raw) == "全角ABC123%，“引号”：（括号）！\nnext\nline"


def test_fullwidth_decimal_point():
    assert normalize_text("增长１２．５％") == "增长12.5%"


@pytest.mark.parametrize("name, content, message", [
    ("bad.txt", b"", "empty"), ("bad.txt", b"   \n\n\t ", "empty"), ("bad.txt", b"\x00\x01\x02\xff" * 100, "binary"),
    ("bad.txt", b"only ascii text here.", "no Chinese"),
    # a broken saved web page fails like any other input
    ("page.html", b"", "empty"), ("page.html", b"  \n\n", "empty"),
    ("page.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4, "binary"),
    ("page.html", b"<html><body><p>English only page, nothing Chinese here at all.</p></body></html>", "no Chinese"),
])
def test_bad_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_source(path)
    r = CliRunner().invoke(main, ["plan", str(path)])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_source(tmp_path)


def test_markdown_format_by_suffix(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert read_source(path).format == "md"


@pytest.mark.parametrize("bad", ["\uffff", "\ufffe", "\ud800", "\udfff", "\x01", "\x1b", "\x7f", "\ufdd0", "\U0001fffe"])
def test_xml_illegal_characters_are_removed(bad):
    """A title carrying them made feed.xml not well-formed (issue 13, point 2)."""
    cleaned = normalize_text(f"标题{bad}新闻\n正文{bad}。")
    assert cleaned == "标题新闻\n正文。"
    assert all(ch in "\t\n" or 0x20 <= ord(ch) <= 0xD7FF or 0xE000 <= ord(ch) <= 0xFFFD or ord(ch) >= 0x10000
               for ch in cleaned)


@pytest.mark.parametrize("bidi", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                  "\u2069", "\u061c"])
def test_bidi_controls_are_removed(bidi):
    """Bidi overrides can make a title (a file name, a feed title) read differently from what it is."""
    assert normalize_text(f"新闻{bidi}3pm.exe{bidi}报道") == "新闻3pm.exe报道"


def test_zero_width_joiner_kept_inside_emoji_only():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji: man ZWJ woman ZWJ girl
    woman_pilot = "\U0001f469\U0001f3fd\u200d\u2708\ufe0f"
    assert normalize_text(f"全家{family}出游{woman_pilot}") == f"全家{family}出游{woman_pilot}"
    assert normalize_text("新\u200d闻\u200d\U0001f600\u200d") == "新闻\U0001f600"


def test_read_source_cleans_titles(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("\u202e青禾湾\uffff新闻\n\n正文内容在这里。\n", encoding="utf-8")
    assert read_source(path).text.splitlines()[0] == "青禾湾新闻"


@pytest.fixture
def small_cap(monkeypatch):
    import tingbao.reading

    monkeypatch.setattr(tingbao.reading, "MAX_BYTES", 1000)
    return 1000


def test_stdin_is_capped(small_cap, monkeypatch):
    """Endless stdin used to be read until memory ran out (issue 13, point 6)."""
    import io

    class Endless(io.RawIOBase):
        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = "新闻".encode() * (len(buffer) // 6 + 1)
            n = len(buffer)
            buffer[:n] = chunk[:n]
            Endless.served += n
            if Endless.served > 10 * small_cap + 65536:
                raise AssertionError("read far past the cap")
            return n

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with pytest.raises(InputError, match="larger than .* limit"):
        read_source("-")


def test_devices_and_fifos_are_capped(small_cap, tmp_path):
    import os
    import threading

    with pytest.raises(InputError, match="larger than .* limit"):
        read_source("/dev/zero")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as f:
            try:
                f.write("新闻内容。".encode() * 400)  # 6,000 bytes: past the 1,000-byte cap
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(InputError, match="larger than .* limit"):
        read_source(fifo)
    writer.join(5)


def test_a_file_just_under_the_cap_is_read(small_cap, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("新".encode() * 333)  # 999 bytes
    assert read_source(path).text == "新" * 333


@pytest.mark.parametrize("head, expected", [
    (b'<meta charset="GB2312">', "gb18030"), (b"<meta http-equiv='Content-Type' content='text/html; charset=gbk'>",
                                               "gb18030"),
    (b'<meta charset=utf-8>', "utf-8"), (b'<meta charset="big5">', "big5"),
    (b'<meta charset="no-such-codec">', ""), (b"<p>no declaration</p>", ""),
])
def test_html_meta_charset(head, expected):
    from tingbao.html_input import decode_html

    text = "報導" if expected == "big5" else "报道镕"
    data = b"<html><head>" + head + b"</head><body>" + text.encode(expected or "utf-8")
    page, encoding = decode_html(data)
    assert encoding == expected
    assert (page is not None and text in page) if expected else page is None


def test_html_suffixes_are_read_as_pages(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>标题</title></head><body><h1>标题</h1><div>"
            + "<p>青禾湾市今年新建社区食堂四十二家，每天供餐一万多份。</p>" * 4 + "</div></body></html>")
    for suffix in (".html", ".HTM", ".xhtml"):
        path = tmp_path / f"a{suffix}"
        path.write_text(page, encoding="utf-8")
        source = read_source(path)
        assert source.format == "md" and source.text.startswith("---\ntitle: 标题\n")
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    assert read_source(tmp_path / "a.txt").format == "txt"  # only the name says a file is a page
