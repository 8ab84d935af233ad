"""The user's `[lexicon]`: fixed readings for words, from tingbao.toml to the voice.

An entry maps a word to replacement text (WHO → 世界卫生组织, read by every engine) or to pinyin
with tone numbers, one syllable per character (单于 → chan2 yu2, read by the Mandarin frontend).
Words are matched whole, by jieba segmentation that keeps every lexicon word in one piece:
Chinese has no spaces, so a regex \\b would replace 江 inside 长江.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import ConfigError
from .zh import quiet_jieba

MAX_WORD = 32  # the longest names that need a fixed reading (full official bodies) are 20-30 characters
MAX_READING = 50  # an abbreviation spelled out is a phrase; even repeated, a cut piece stays within every engine's
# chunk limit (8 characters x 50 = 400 < edge's 500), where a 3,000-character value overflowed the voice's input

_PINYIN = re.compile(r"^([a-zü]+[1-5])(\s+[a-zü]+[1-5])*$")


def is_pinyin(value: str) -> bool:
    return bool(_PINYIN.match(value.strip().lower()))


def pinyin_entries(lexicon: dict[str, str] | None) -> dict[str, str]:
    """The entries the Mandarin frontend reads (word → "chan2 yu2")."""
    return {w: p for w, p in (lexicon or {}).items() if is_pinyin(p)}


def text_entries(lexicon: dict[str, str] | None) -> dict[str, str]:
    """The entries normalisation replaces in the speech text (every engine hears them)."""
    return {w: r for w, r in (lexicon or {}).items() if not is_pinyin(r)}


@lru_cache(maxsize=8)
def tokenizer(words: tuple[str, ...]):
    """A jieba tokenizer that keeps each lexicon word whole; one per lexicon, shared by
    normalisation and the Mandarin frontend (building one loads jieba's dictionary)."""
    jieba = quiet_jieba()
    if not words:
        return jieba.dt
    jieba.dt.check_initialized()
    made = jieba.Tokenizer()
    # A copy of the loaded word table instead of a second parse of jieba's dictionary (~1 s each)
    made.FREQ, made.total, made.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    for word in words:
        made.add_word(word, freq=10**6)
    return made


def apply_lexicon(text: str, lexicon: dict[str, str]) -> str:
    """Replace whole words (jieba segmentation, never a regex \\b: Chinese has no spaces).

    Pinyin entries are left in place here; the Mandarin frontend reads them.
    """
    replacements = text_entries(lexicon)
    if not replacements or not any(w in text for w in replacements):
        return text
    cutter = tokenizer(tuple(sorted(lexicon)))
    return "".join(replacements.get(tok, tok) for tok in cutter.cut(text, HMM=False))


def from_toml(table: object, where: str) -> dict[str, str]:
    """The `[lexicon]` table of tingbao.toml, checked (see check_lexicon)."""
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ConfigError(f"{where}: [lexicon] must map words to replacement text or pinyin strings")
    return check_lexicon(table, where)


def check_lexicon(lexicon: dict[str, str], where: str) -> dict[str, str]:
    """Words and readings, cleaned like article text (so a key matches the text it is meant for)."""
    from .reading import normalize_text

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
