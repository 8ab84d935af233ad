"""Settings: defaults < tingbao.toml < CLI flags, every value checked by type and range.

Settings checks itself when it is built (``__post_init__``), so a bad value is refused before
any work starts, whoever builds it. load_settings() collects the values of the file and the
command line into one dict, checking each under the name the user wrote (``tingbao.toml:
build.bitrate``, ``--rate``), and builds Settings from it with its constructor.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
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
    attempts: int = 4  # give up after this many failures of one chunk in a row with no success between (README)
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
    items: str = "both"  # what feed.xml lists: "issue" (the day's episodes), "articles" or "both"
    intro: str = ""  # audio files (any format ffmpeg reads) around and between the day's articles
    outro: str = ""
    sting: str = ""
    issue_order: str = ""  # `tingbao issue --order config`: article file names, comma-separated
    lexicon: dict[str, str] = field(default_factory=dict)
    config_path: str = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            checked = check_value(f.name, value, f"setting {f.name}")
            if checked is not value:
                object.__setattr__(self, f.name, checked)  # the same value in the field's own type (2 → 2.0)

    def rate_ratio(self) -> float:
        """+10% → 1.10 (speech 10% faster)."""
        return 1 + int(self.rate.rstrip("%")) / 100


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


_TYPES = {"str": (str, "a string in quotes"), "int": (int, "a whole number"), "float": ((int, float), "a number"),
          "bool": (bool, "true or false"), "dict[str, str]": (dict, "a table of strings")}
_KIND = {f.name: f.type for f in fields(Settings)}
_PATHS = {"intro", "outro", "sting", "cover", "cache_dir", "model_dir", "output", "config_path"}


def _percent(low: int, high: int) -> Callable[[str], bool]:
    return lambda v: bool(_RATE.match(v)) and low <= int(v.rstrip("%")) <= high


def _zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# numeric settings' bounds, shared with the command line's IntRange/FloatRange options
LIMITS: dict[str, tuple[float, float]] = {"attempts": (1, 20), "retry_delay": (0, 60), "bitrate": (8, 320),
                                          "jobs": (0, 64), "pause_scale": (0.0, 5.0), "chapter_level": (1, 2)}


def _within(name: str) -> Callable[[float], bool]:
    low, high = LIMITS[name]
    return lambda v: low <= v <= high


# field → (is the value in range, what to write instead)
_RANGES: dict[str, tuple[Callable, str]] = {
    "rate": (_percent(-50, 100), "use a percentage like +10% or -5% (between -50% and +100%)"),
    "volume": (_percent(-100, 100), "use a percentage like +10% or -20%"),
    "pitch": (lambda v: bool(_PITCH.match(v)), "use a value like +5Hz or -10Hz"),
    "attempts": (_within("attempts"), "use a number from 1 to 20"),
    "retry_delay": (_within("retry_delay"), "use a number of seconds from 0 to 60"),
    "bitrate": (_within("bitrate"), "use a value in kbps between 8 and 320 (64 is typical)"),
    "jobs": (_within("jobs"), "use a number from 1 to 64 (0 lets the engine choose)"),
    "pause_scale": (_within("pause_scale"), "use a factor between 0 and 5"),
    "chapter_level": (_within("chapter_level"), "use 1 or 2"),
    "items": (lambda v: v in ("issue", "articles", "both"), 'use "issue", "articles" or "both"'),
    "timezone": (_zone, "use an IANA time zone name such as Asia/Shanghai"),
    "lexicon": (lambda v: all(isinstance(k, str) and isinstance(r, str) for k, r in v.items()),
                "map words to replacement text or pinyin strings"),
}


def check_value(name: str, value: object, where: str) -> object:
    """The value in the field's type (an int is a float too, a path a string), or ConfigError
    naming ``where`` (the key or flag the user wrote)."""
    if name not in _KIND:
        raise ConfigError(f"unknown setting {name}")
    expected, described = _TYPES[_KIND[name]]
    if name in _PATHS and isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        raise ConfigError(f"{where} must be {described}, not {value!r}")
    if _KIND[name] == "float" and not isinstance(value, float):
        value = float(value)
    in_range, hint = _RANGES.get(name, (None, ""))
    if in_range is not None and not in_range(value):
        raise ConfigError(f"{where} {value!r}: {hint}")
    return value


_SERIES = {"title": "series_title", "publication": "publication", "author": "author", "description": "description",
           "link": "link", "email": "email", "image": "image", "category": "category",
           "subcategory": "subcategory", "explicit": "explicit", "locked": "locked", "timezone": "timezone",
           "base_url": "base_url", "items": "items", "intro": "intro", "outro": "outro", "sting": "sting",
           "issue_order": "issue_order"}
_NOT_IN_BUILD = {"lexicon", "config_path"}  # [lexicon] is its own table; config_path is where the file is


def load_settings(config_path: str | None = None, **overrides) -> Settings:
    """Build Settings from tingbao.toml (explicit path, or ./tingbao.toml) and CLI overrides.

    ``overrides`` with value None are "not given on the command line".
    """
    values: dict[str, object] = {}
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
        values |= values_from_toml(data, path)
        values["config_path"] = str(path)
    for key, value in overrides.items():
        if value is not None:
            values[key] = check_value(key, value, _flag(key))
    return Settings(**values)


def values_from_toml(data: dict, path: Path) -> dict[str, object]:
    """The settings a parsed tingbao.toml gives, each checked under its key (``path: build.bitrate``)."""
    from .lexicon import from_toml
    from .reading import normalize_text

    values: dict[str, object] = {}
    unknown = sorted(set(data) - {"build", "series", "lexicon"})
    if unknown:
        raise ConfigError(f"{path}: unknown table [{unknown[0]}] (known: build, series, lexicon)")
    # one spelling per setting: build.pause_scale (not pause-scale), the series' own keys only under [series]
    known = {f.name for f in fields(Settings)} - _NOT_IN_BUILD - set(_SERIES.values())
    series_key = {name: key for key, name in _SERIES.items()}
    for key, value in _table(data, "build", path).items():
        if key not in known:
            name = key.replace("-", "_")
            hint = (f" (spelled build.{name})" if name in known else
                    f" (it belongs in [series] as {series_key[name]})" if name in series_key else "")
            raise ConfigError(f"{path}: unknown key build.{key}{hint}")
        values[key] = check_value(key, value, f"{path}: build.{key}")
    for key, value in _table(data, "series", path).items():
        if key not in _SERIES:
            raise ConfigError(f"{path}: unknown key series.{key} (known: {', '.join(sorted(_SERIES))})")
        name = _SERIES[key]
        if _KIND[name] == "bool" and not isinstance(value, bool):
            raise ConfigError(f"{path}: series.{key} must be true or false")
        # cleaned like article text: these become feed titles and tags (no XML-illegal or bidi characters)
        text = value if isinstance(value, bool) else normalize_text(str(value))
        values[name] = check_value(name, text, f"{path}: series.{key}")
    values["lexicon"] = from_toml(data.get("lexicon", {}), str(path))
    return values


def _table(data: dict, name: str, path: Path) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {name} must be a table ([{name}])")
    return table
