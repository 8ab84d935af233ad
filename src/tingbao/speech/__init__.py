"""Speech text: normalisation and chunking."""

import logging
from functools import lru_cache


def quiet_jieba():
    """jieba logs its dictionary loading to stderr at INFO; users don't need that."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=8)
def lexicon_tokenizer(words: tuple[str, ...]):
    """A jieba tokenizer that keeps each lexicon word whole; one per lexicon, shared by
    normalisation and the Mandarin frontend (building one loads jieba's dictionary)."""
    jieba = quiet_jieba()
    if not words:
        return jieba.dt
    tokenizer = jieba.Tokenizer()
    for word in words:
        tokenizer.add_word(word, freq=10**6)
    return tokenizer
