"""Speech text: normalisation and chunking."""

import logging


def quiet_jieba():
    """jieba logs its dictionary loading to stderr at INFO; users don't need that."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba
