"""The reading table (tests/data/normalize/cases.tsv): news-style sentences written for
tingbao, one class per line, compared the way the evaluators compare (spaces removed,
两/二 and 幺/一 equal)."""

from collections import Counter
from pathlib import Path

from tingbao.speech.normalize import normalize

TABLE = Path(__file__).parent / "data" / "normalize" / "cases.tsv"
# The same sentences as read by an engine that speaks Latin letters (C919 → C九一九)
LATIN_TABLE = TABLE.with_name("cases_latin.tsv")


def _rows(table: Path = TABLE) -> list[tuple[str, str, str]]:
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, text, speech = line.split("\t")
            rows.append((kind, text, speech))
    return rows


ROWS = _rows()
LATIN_ROWS = _rows(LATIN_TABLE)


def _canon(text: str) -> str:
    return "".join(text.split()).replace("两", "二").replace("幺", "一")


def test_table_is_large_and_covers_every_class():
    counts = Counter(kind for kind, _, _ in ROWS)
    assert len(ROWS) >= 400
    assert all(n >= 5 for n in counts.values()), counts
    assert len({text for _, text, _ in ROWS}) == len(ROWS), "duplicate inputs"


def test_every_reading_in_the_table():
    """One test for the whole table (runs in a fraction of a second); lists every miss."""
    misses = [f"{kind}: {text} → {normalize(text)} (want {speech})"
              for kind, text, speech in ROWS if _canon(normalize(text)) != _canon(speech)]
    assert not misses, "\n".join(misses)


def test_every_reading_when_the_engine_speaks_latin():
    """Letters stay letters (the engine says them); every digit is still read in Chinese."""
    printed = {text for _, text, _ in ROWS}
    assert len(LATIN_ROWS) >= 50 and all(text in printed for _, text, _ in LATIN_ROWS)
    misses = [f"{kind}: {text} → {normalize(text, speaks_latin=True)} (want {speech})"
              for kind, text, speech in LATIN_ROWS if _canon(normalize(text, speaks_latin=True)) != _canon(speech)]
    assert not misses, "\n".join(misses)
