"""tingbao.toml: wrong types and unreasonable lexicon entries are refused at load, naming the key."""

import pytest

from tingbao.config import load_settings
from tingbao.errors import ConfigError


def _load(tmp_path, text: str):
    path = tmp_path / "tingbao.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(str(path))


@pytest.mark.parametrize("line, key", [
    ('bitrate = "64"', "build.bitrate"), ("jobs = 2.5", "build.jobs"), ('skip_byline = "yes"', "build.skip_byline"),
    ("cover = 5", "build.cover"), ('pause_scale = "1.5"', "build.pause_scale"), ("attempts = true", "build.attempts"),
    ('lexicon = "x"', "build.lexicon"),
])
def test_wrong_types_name_the_key(tmp_path, line, key):
    """`bitrate = "64"` ended in a TypeError, exit 70 (issue 13)."""
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        _load(tmp_path, f"[build]\n{line}\n")


def test_right_types_are_taken(tmp_path):
    settings = _load(tmp_path, "[build]\nbitrate = 96\npause_scale = 2\nskip_byline = true\nrate = \"+10%\"\n")
    assert (settings.bitrate, settings.pause_scale, settings.skip_byline, settings.rate) == (96, 2.0, True, "+10%")
    assert isinstance(settings.pause_scale, float)


@pytest.mark.parametrize("entry, words", [
    ('"新区" = "' + "青" * 3000 + '"', "at most 50"),  # ended in a raw LiteRT GATHER error, exit 3
    ('"' + "长" * 40 + '" = "长江"', "at most 32"),
    ('"2025" = "二零二五"', "only digits"),
    ('"重庆" = "chong2"', "one syllable per character"),
    ('"重庆" = "chong2 qing4 shi4"', "one syllable per character"),
    ('"新区" = ""', "empty"),
    ('"" = "新区"', "empty"),
    ('"新区" = "新\\n区"', "line break"),
])
def test_unreasonable_lexicon_entries_are_refused(tmp_path, entry, words):
    with pytest.raises(ConfigError, match=words):
        _load(tmp_path, f"[lexicon]\n{entry}\n")


def test_reasonable_lexicon_entries_are_kept(tmp_path):
    settings = _load(tmp_path, '[lexicon]\n"长江委" = "长江水利委员会"\n"重庆" = "chong2 qing4"\n"WTO" = "世界贸易组织"\n'
                               '"ＧＤＰ" = "国内生产总值"\n')
    assert settings.lexicon == {"长江委": "长江水利委员会", "重庆": "chong2 qing4", "WTO": "世界贸易组织",
                                "GDP": "国内生产总值"}  # keys cleaned like the article text, so they match it


def test_series_strings_are_cleaned_like_article_text(tmp_path):
    settings = _load(tmp_path, '[series]\ntitle = "早\\u202e听\\uffff报"\n')
    assert settings.series_title == "早听报"


def test_an_unreadable_config_is_a_config_error(tmp_path, monkeypatch):
    path = tmp_path / "tingbao.toml"
    path.write_text("[build]\n", encoding="utf-8")

    def refuse(self, *a, **kw):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr("pathlib.Path.read_text", refuse)
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(str(path))
