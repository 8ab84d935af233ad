"""What tingbao knows about written Chinese, in one place: character ranges, punctuation,
a quiet jieba, and what counts as a spoken character.

Every stage that cuts, measures or reads Chinese text imports from here, so a table that
grows (a new closing quote, a wider ideograph range) grows for all of them at once.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

# Character ranges, as bodies of a regex class ("[" + HAN + "]").
# HAN, the CJK Unified Ideographs block, is what the layout and number rules mean by "a Chinese
# character". HAN_WIDE adds Extension A (rare characters in names), used where a line is judged
# Chinese at all; both are kept as they were so a build reads exactly as before.
HAN = "\u4e00-\u9fff"
HAN_WIDE = "\u3400-\u9fff"
# Every block a Chinese page's text may use, compatibility ideographs too: enough to tell that
# bytes decoded to Chinese at all (reading.py's encoding check).
HAN_ANY = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_WIDE = re.compile(f"[{HAN_WIDE}]")

# Punctuation. Full-width and ASCII forms side by side: news copy mixes them.
FULL_STOPS = "。！？!?"  # end a sentence
SEMICOLONS = "；;"
COLONS = "：:"
COMMAS = "，,"
ELLIPSIS = "…"
ENDERS = FULL_STOPS + SEMICOLONS  # where a sentence may be cut for speech
TERMINAL = ENDERS + ELLIPSIS  # a line ending in one of these ends a sentence
CLAUSE_MARKS = COMMAS + SEMICOLONS + COLONS  # a clause boundary: a breath, not a stop
SENTENCE_PUNCT = ENDERS + COMMAS + COLONS  # never inside a heading
OPEN_QUOTES = "“‘「『"
CLOSE_QUOTES = "”’」』"
CLOSE_BRACKETS = "）)》"
CLOSERS = CLOSE_QUOTES + CLOSE_BRACKETS  # may follow a sentence's final mark


def han_count(text: str) -> int:
    """How many Chinese characters (HAN_WIDE) the text holds."""
    return len(_HAN_WIDE.findall(text))


def has_han(text: str) -> bool:
    return bool(_HAN_WIDE.search(text))


def spoken_chars(text: str) -> int:
    """Characters a voice reads aloud: letters, digits and ideographs (str.isalnum), never
    punctuation or spaces. The one measure for chunk costs, progress and silence."""
    return sum(1 for ch in text if ch.isalnum())


def is_silent(text: str) -> bool:
    """Nothing to read (punctuation or spaces only): heard as a pause, never sent to a voice."""
    return not any(ch.isalnum() for ch in text)


@lru_cache(maxsize=1)
def quiet_jieba():
    """The jieba module, with its dictionary-loading lines ("Building prefix dict…", "Loading
    model…", logged at INFO/DEBUG to stderr) silenced once for the whole process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


def compact_posseg() -> None:
    """Have jieba.posseg's word -> tag table share its 349k word strings with jieba's own
    dictionary and its tags with one another (both are read from dict.txt line by line, so
    every word is held twice and every two-letter tag once per word): ~25 MB less, the same
    table. Loads jieba's dictionary and posseg if they are not loaded yet; idempotent."""
    import sys

    jieba = quiet_jieba()
    jieba.dt.initialize()
    import jieba.posseg as posseg

    table = posseg.dt.word_tag_tab
    if getattr(posseg.dt, "_tingbao_compact", False):
        return
    intern = sys.intern
    shared = {word: intern(table[word]) for word in jieba.dt.FREQ if word in table}
    if len(shared) == len(table):  # else a word is missing from FREQ: keep jieba's own table
        posseg.dt.word_tag_tab = shared
    posseg.dt._tingbao_compact = True
