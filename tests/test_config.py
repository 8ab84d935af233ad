"""tingbao.toml: wrong types and unreasonable lexicon entries are refused at load, naming the key."""

import pytest

from tingbao.config import load_settings
from tingbao.errors import ConfigError


@pytest.fixture(autouse=True)
def _no_stray_config(tmp_path, monkeypatch):
    """load_settings(None) reads ./tingbao.toml: run where there is none."""
    monkeypatch.chdir(tmp_path)


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


@pytest.mark.parametrize("kwargs, words", [
    ({"bitrate": "64"}, "setting bitrate must be a whole number"),
    ({"jobs": 2.5}, "setting jobs must be a whole number"),
    ({"skip_byline": 1}, "setting skip_byline must be true or false"),
    ({"attempts": True}, "setting attempts must be a whole number"),
    ({"pause_scale": "1"}, "setting pause_scale must be a number"),
    ({"lexicon": ["x"]}, "setting lexicon must be a table"),
    ({"lexicon": {"x": 1}}, "map words to replacement text"),
])
def test_settings_check_types_when_built(kwargs, words):
    from tingbao.config import Settings

    with pytest.raises(ConfigError, match=words) as caught:
        Settings(**kwargs)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("key, value, words", [
    ("bitrate", 7, "between 8 and 320"), ("bitrate", 321, "between 8 and 320"),
    ("attempts", 0, "from 1 to 20"), ("attempts", 21, "from 1 to 20"), ("jobs", -1, "0 lets the engine"),
    ("jobs", 65, "0 lets the engine"), ("pause_scale", -0.1, "between 0 and 5"), ("pause_scale", 5.5, "between 0 and 5"),
    ("chapter_level", 3, "use 1 or 2"), ("rate", "+101%", "between -50% and \\+100%"), ("rate", "fast", "percentage"),
    ("rate", "-51%", "between -50%"), ("volume", "+101%", "percentage"), ("pitch", "+5%", "like \\+5Hz"),
    ("retry_delay", -1.0, "seconds from 0 to 60"), ("timezone", "Mars/Olympus", "IANA time zone"),
])
def test_out_of_range_values_name_the_flag(key, value, words):
    with pytest.raises(ConfigError, match=f"--{key.replace('_', '-')} .*{words}"):
        load_settings(None, **{key: value})


@pytest.mark.parametrize("key, value", [
    ("bitrate", 8), ("bitrate", 320), ("attempts", 1), ("attempts", 20), ("jobs", 0), ("jobs", 64),
    ("pause_scale", 0.0), ("pause_scale", 5.0), ("chapter_level", 2), ("rate", "-50%"), ("rate", "+100%"),
    ("volume", "-100%"), ("pitch", "-10Hz"), ("timezone", "Europe/Berlin"),
])
def test_values_at_the_edges_are_taken(key, value):
    assert getattr(load_settings(None, **{key: value}), key) == value


def test_a_bad_timezone_in_the_file_names_the_key(tmp_path):
    """It used to be found only after the new edition folder was swapped in (exit 70)."""
    with pytest.raises(ConfigError, match=r"series\.timezone 'Nowhere/Town': use an IANA"):
        _load(tmp_path, '[series]\ntimezone = "Nowhere/Town"\n')


@pytest.mark.parametrize("text, words", [
    ("[build]\nbitrat = 64\n", "unknown key build.bitrat"),
    ("[series]\nname = \"x\"\n", "unknown key series.name"),
    ("[bulid]\nbitrate = 64\n", r"unknown table \[bulid\]"),
    ("build = 3\n", "build must be a table"),
    ("[build]\nbitrate = 500\n", "build.bitrate 500: use a value in kbps"),
])
def test_unknown_keys_and_tables_are_refused(tmp_path, text, words):
    with pytest.raises(ConfigError, match=words):
        _load(tmp_path, text)


def test_an_unknown_override_is_refused():
    with pytest.raises(ConfigError, match="unknown setting colour"):
        load_settings(None, colour="red")


def test_the_command_line_wins_over_the_file_and_none_means_not_given(tmp_path):
    path = tmp_path / "tingbao.toml"
    path.write_text('[build]\nbitrate = 96\nrate = "+10%"\n[series]\ntitle = "早报"\n', encoding="utf-8")
    settings = load_settings(str(path), bitrate=128, rate=None)
    assert (settings.bitrate, settings.rate, settings.series_title) == (128, "+10%", "早报")
    assert settings.config_path == str(path)


def test_ints_become_floats_and_paths_strings():
    from pathlib import Path

    from tingbao.config import Settings

    settings = Settings(pause_scale=2, retry_delay=1, output=Path("out"))
    assert isinstance(settings.pause_scale, float) and isinstance(settings.retry_delay, float)
    assert settings.output == "out"
