import pytest

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


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"   \n\n\t ", "empty"), (b"\x00\x01\x02\xff" * 100, "binary"),
    (b"only ascii text here.", "no Chinese"),
])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_source(path)


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_source(tmp_path)


def test_markdown_format_by_suffix(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert read_source(path).format == "md"
