"""Settings: defaults < tingbao.toml < CLI flags."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import ConfigError

_RATE = re.compile(r"^[+-]\d{1,3}%$")
_PITCH = re.compile(r"^[+-]\d{1,3}Hz$")


@dataclass
class Settings:
    engine: str = "auto"
    voice: str = ""
    rate: str = "+0%"
    volume: str = "+0%"
    pitch: str = "+0Hz"
    jobs: int = 0  # 0: the engine's default
    attempts: int = 4  # tries per chunk for transient failures
    retry_delay: float = 0.5  # first backoff in seconds; doubles, with jitter
    bitrate: int = 64
    pause_scale: float = 1.0
    chapter_level: int = 1
    skip_byline: bool = False
    cover: str = ""
    cache_dir: str = ""
    model_dir: str = ""
    output: str = "output"
    slug: str = ""
    # series metadata (tags and feed)
    series_title: str = "听报"
    publication: str = ""
    author: str = ""
    description: str = ""
    link: str = ""
    email: str = ""  # itunes:owner
    image: str = ""  # channel artwork: a URL, or a file inside the output folder
    category: str = "News"
    subcategory: str = "Daily News"
    explicit: bool = False
    locked: bool = True
    timezone: str = "Asia/Shanghai"
    base_url: str = ""
    lexicon: dict[str, str] = field(default_factory=dict)
    config_path: str = ""

    def rate_ratio(self) -> float:
        """+10% → 1.10 (speech 10% faster)."""
        return 1 + int(self.rate.rstrip("%")) / 100

    def validate(self) -> Settings:
        if not _RATE.match(self.rate) or not -50 <= int(self.rate.rstrip("%")) <= 100:
            raise ConfigError(f"--rate {self.rate!r}: use a percentage like +10% or -5% (between -50% and +100%)")
        if not _RATE.match(self.volume) or not -100 <= int(self.volume.rstrip("%")) <= 100:
            raise ConfigError(f"--volume {self.volume!r}: use a percentage like +10% or -20%")
        if not _PITCH.match(self.pitch):
            raise ConfigError(f"--pitch {self.pitch!r}: use a value like +5Hz or -10Hz")
        if not 1 <= self.attempts <= 20:
            raise ConfigError(f"--attempts {self.attempts}: use a number from 1 to 20")
        if not (8 <= self.bitrate <= 320):
            raise ConfigError(f"--bitrate {self.bitrate}: use a value in kbps between 8 and 320 (64 is typical)")
        if not (0 <= self.jobs <= 64):
            raise ConfigError(f"--jobs {self.jobs}: use a number from 1 to 64 (0 lets the engine choose)")
        if not (0.0 <= self.pause_scale <= 5.0):
            raise ConfigError(f"--pause-scale {self.pause_scale}: use a factor between 0 and 5")
        if self.chapter_level not in (1, 2):
            raise ConfigError(f"--chapter-level {self.chapter_level}: use 1 or 2")
        return self


_SERIES = {"title": "series_title", "publication": "publication", "author": "author", "description": "description",
           "link": "link", "email": "email", "image": "image", "category": "category",
           "subcategory": "subcategory", "explicit": "explicit", "locked": "locked", "timezone": "timezone",
           "base_url": "base_url"}


def load_settings(config_path: str | None = None, **overrides) -> Settings:
    """Build Settings from tingbao.toml (explicit path, or ./tingbao.toml) and CLI overrides.

    ``overrides`` with value None are "not given on the command line".
    """
    settings = Settings()
    path = Path(config_path) if config_path else Path("tingbao.toml")
    if config_path and not path.is_file():
        raise ConfigError(f"{config_path}: no such config file")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
        _apply_toml(settings, data, path)
        settings.config_path = str(path)
    known = {f.name for f in fields(Settings)}
    for key, value in overrides.items():
        if value is not None:
            if key not in known:
                raise ConfigError(f"unknown setting {key}")
            setattr(settings, key, value)
    return settings.validate()


_NOT_IN_BUILD = {"lexicon", "config_path"}  # [lexicon] is its own table; config_path is where the file is
_TYPES = {"str": (str, "a string in quotes"), "int": (int, "a whole number"), "float": ((int, float), "a number"),
          "bool": (bool, "true or false")}


def _apply_toml(settings: Settings, data: dict, path: Path) -> None:
    from .reading import normalize_text

    known = {f.name: f for f in fields(Settings) if f.name not in _NOT_IN_BUILD}
    for key, value in data.get("build", {}).items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{path}: unknown key build.{key}")
        setattr(settings, name, _typed(value, known[name].type, f"{path}: build.{key}"))
    for key, value in data.get("series", {}).items():
        if key not in _SERIES:
            raise ConfigError(f"{path}: unknown key series.{key} (known: {', '.join(sorted(_SERIES))})")
        name = _SERIES[key]
        if isinstance(getattr(settings, name), bool) and not isinstance(value, bool):
            raise ConfigError(f"{path}: series.{key} must be true or false")
        # cleaned like article text: these become feed titles and tags (no XML-illegal or bidi characters)
        setattr(settings, name, value if isinstance(value, bool) else normalize_text(str(value)))
    lexicon = data.get("lexicon", {})
    if not isinstance(lexicon, dict) or not all(isinstance(v, str) for v in lexicon.values()):
        raise ConfigError(f"{path}: [lexicon] must map words to replacement text or pinyin strings")
    settings.lexicon = check_lexicon(lexicon, str(path))


def _typed(value, kind: str, where: str):
    """The value as the Settings field's type (an int is a float too), or one line naming the key."""
    expected, described = _TYPES.get(kind, (None, ""))
    if expected is None:
        return value
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        raise ConfigError(f"{where} must be {described}, not {value!r}")
    return float(value) if kind == "float" else value


MAX_WORD = 32  # the longest names that need a fixed reading (full official bodies) are 20-30 characters
MAX_READING = 50  # an abbreviation spelled out is a phrase; even repeated, a cut piece stays within every engine's
# chunk limit (8 characters x 50 = 400 < edge's 500), where a 3,000-character value overflowed the voice's input


def check_lexicon(lexicon: dict[str, str], where: str) -> dict[str, str]:
    """Words and readings, cleaned like article text (so a key matches the text it is meant for)."""
    from .reading import normalize_text
    from .speech.normalize import is_pinyin

    out = {}
    for raw_word, raw_reading in lexicon.items():
        word, reading = normalize_text(raw_word).strip(), normalize_text(raw_reading).strip()
        name = f"{where}: [lexicon] {raw_word[:MAX_WORD]!r}"
        if "\n" in word or "\n" in reading:
            raise ConfigError(f"{name}: a word or reading may not contain a line break")
        if not word or not reading:
            raise ConfigError(f"{name}: empty word or reading")
        if len(word) > MAX_WORD:
            raise ConfigError(f"{name}: a word of {len(word)} characters; use at most {MAX_WORD}")
        if word.isdigit():
            raise ConfigError(f"{name}: only digits; numbers are read by tingbao's number rules (years, amounts, "
                              "phone numbers), so give the word around the number instead, e.g. 110报警")
        if is_pinyin(reading):
            if len(reading.split()) != len(word):
                raise ConfigError(f"{name}: pinyin {reading!r} needs one syllable per character of the word "
                                  f"({len(word)})")
        elif len(reading) > MAX_READING:
            raise ConfigError(f"{name}: a reading of {len(reading)} characters; use at most {MAX_READING}")
        out[word] = reading
    return out
