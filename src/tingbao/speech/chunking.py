"""Article -> sentences -> Chunks (an engine's size limit, never across paragraphs or sections).

A chunk holds the sentences of one paragraph only, so editing a paragraph changes only
that paragraph's chunk keys: a rebuild re-synthesises exactly what changed.
"""

from __future__ import annotations

import hashlib
import json
import re

from .. import zh
from ..article import Article, Chunk, Kind, Sentence
from ..zh import is_silent, quiet_jieba
from .normalize import NORMALIZER_VERSION, normalize

ENDERS = set(zh.ENDERS)
CLOSERS = set(zh.CLOSERS)
OPENERS = set(zh.OPEN_QUOTES)
_LEVELS = [zh.SEMICOLONS + zh.COLONS, zh.COMMAS, "、"]
_KEEP_TOGETHER = re.compile(r"[A-Za-z0-9.,%]")


def split_sentences(text: str) -> list[str]:
    """Cut a paragraph after 。！？；!?; (with closing quotes), never inside quotes.

    Concatenating the result gives back ``text`` exactly.
    """
    pieces: list[str] = []
    start, depth, i, n = 0, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in OPENERS:
            depth += 1
        elif ch in zh.CLOSE_QUOTES:
            depth = max(0, depth - 1)
        ellipsis_end = ch == "…" and i + 1 < n and text[i + 1] in CLOSERS and text[i + 1] != "…"
        if ch in ENDERS or ellipsis_end:
            j = i + 1
            while j < n and (text[j] in ENDERS or text[j] == "…"):
                j += 1
            while j < n and text[j] in CLOSERS:
                if text[j] in zh.CLOSE_QUOTES:
                    depth = max(0, depth - 1)
                j += 1
            if depth == 0:
                pieces.append(text[start:j])
                start = j
            i = j
            continue
        i += 1
    if start < n:
        pieces.append(text[start:])
    return _merge_silent(pieces)


def _merge_silent(pieces: list[str]) -> list[str]:
    """Punctuation-only pieces belong to the sentence before them."""
    out: list[str] = []
    for piece in pieces:
        if out and is_silent(piece):
            out[-1] += piece
        else:
            out.append(piece)
    if len(out) > 1 and is_silent(out[0]):
        first = out.pop(0)
        out[0] = first + out[0]
    return [p for p in out if p.strip()] or out


def cut_long(sentence: str, limit: int) -> list[str]:
    """Cut a sentence longer than ``limit`` at ；： then ， then 、 then word boundaries."""
    if len(sentence) <= limit:
        return [sentence]
    for level in _LEVELS:
        packed = _pack(_split_after(sentence, level), limit)
        # Packing can glue a trailing punctuation-only part back on: then this level made
        # no progress and the next one must cut.
        if len(packed) > 1:
            return [piece for part in packed for piece in cut_long(part, limit)]
    return _pack(_word_pieces(sentence), limit, hard=True)


def _split_after(text: str, seps: str) -> list[str]:
    parts, start = [], 0
    for i, ch in enumerate(text):
        if ch in seps and i + 1 < len(text):
            # Never split inside a number or a Latin word (1,234 / a,b).
            if ch in ",." and i > 0 and _KEEP_TOGETHER.match(text[i - 1]) and _KEEP_TOGETHER.match(text[i + 1]):
                continue
            parts.append(text[start:i + 1])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p]


def _word_pieces(text: str) -> list[str]:
    jieba = quiet_jieba()

    words = list(jieba.cut(text, HMM=False))
    merged: list[str] = []
    for w in words:  # keep runs of digits / Latin in one piece
        if merged and _KEEP_TOGETHER.match(w[:1]) and _KEEP_TOGETHER.match(merged[-1][-1:]):
            merged[-1] += w
        else:
            merged.append(w)
    return merged


def _pack(parts: list[str], limit: int, hard: bool = False) -> list[str]:
    out: list[str] = []
    for part in parts:
        if hard and len(part) > limit:  # a single "word" longer than the limit: no better place
            out.extend(part[k:k + limit] for k in range(0, len(part), limit))
            continue
        if out and len(out[-1]) + len(part) <= limit:
            out[-1] += part
        else:
            out.append(part)
    return _merge_silent(out)


def segment(article: Article, max_chars: int, speaks_latin: bool = False,
            lexicon: dict[str, str] | None = None) -> Article:
    """Fill every paragraph's sentences (original + speech text). Mutates and returns ``article``."""
    index = 0
    for section in article.sections:
        for p_index, paragraph in enumerate(section.paragraphs):
            paragraph.sentences = []
            if paragraph.kind == Kind.ELLIPSIS:
                pieces = [(paragraph.text, "")]  # a pause: no speech
            else:
                pieces = []
                for sentence in split_sentences(paragraph.text):
                    pieces.extend(_fit(sentence, max_chars, speaks_latin, lexicon))
            for piece, speech in pieces:
                paragraph.sentences.append(Sentence(piece, speech, section.index, p_index, index))
                index += 1
    return article


def _fit(sentence: str, max_chars: int, speaks_latin: bool, lexicon) -> list[tuple[str, str]]:
    """Cut so that each piece's *speech* text fits (numbers grow when read out);
    returns (printed text, speech text) pairs."""
    budget = max_chars
    while True:
        pieces = [(p, normalize(p, speaks_latin, lexicon)) for p in cut_long(sentence, budget)]
        if all(len(speech) <= max_chars for _, speech in pieces) or budget <= 8:
            return pieces
        budget = int(budget * 0.8)


def make_chunks(article: Article, max_chars: int, voice_signature: str = "") -> list[Chunk]:
    """Pack each paragraph's sentences into chunks of at most ``max_chars`` speech characters.

    ``voice_signature`` is everything besides the text that changes the sound (engine,
    voice, rate, model version); it goes into every chunk key.
    """
    chunks: list[Chunk] = []
    for section in article.sections:
        for p_index, paragraph in enumerate(section.paragraphs):
            current: list[Sentence] = []
            for sentence in paragraph.sentences:
                if sentence.is_silent:
                    continue  # a pause, never a request to an engine
                if current and sum(len(s.speech) for s in current) + len(sentence.speech) > max_chars:
                    chunks.append(_chunk(section.index, p_index, current, voice_signature))
                    current = []
                current.append(sentence)
            if current:
                chunks.append(_chunk(section.index, p_index, current, voice_signature))
    return chunks


def _chunk(section: int, paragraph: int, sentences: list[Sentence], signature: str) -> Chunk:
    payload = json.dumps([NORMALIZER_VERSION, signature, [s.speech for s in sentences]], ensure_ascii=False)
    return Chunk(hashlib.sha256(payload.encode()).hexdigest()[:32], section, paragraph, list(sentences))
