"""The structure corpus (tests/corpus, see SOURCES.md): headings, furniture, body, titles, moves.

`pytest -s tests/test_corpus.py` prints the score table (the same as scripts/score_structure.py).
"""

import pytest

from tingbao.accounting import account
from tingbao.reading import read_source
from tingbao.structure import parse

from .conftest import DATA, EXAMPLE, ROOT
from .corpus_score import case_files, details, f1, score_case, table

CORPUS = ROOT / "tests" / "corpus"
CASES = case_files(CORPUS)


@pytest.fixture(scope="module")
def scores():
    if not CASES:
        pytest.skip("no corpus cases")
    return [score_case(text, js)[0] for text, js in CASES]


def test_corpus_goals(scores):
    print("\n" + table(scores) + "\n" + details(scores))
    assert len(scores) >= 40
    p, r, f = f1(scores)
    assert f >= 0.97, f"heading F1 {f:.3f}"
    assert [s.name for s in scores if s.furniture_spoken] == []
    assert [s.name for s in scores if s.body_lost] == []
    assert sum(s.title_ok for s in scores) >= len(scores) - 2
    assert sum(s.byline_ok for s in scores) >= len(scores) - 2
    assert [s.name for s in scores if not s.moves_ok] == []  # column order restored exactly where expected
    assert [s.name for s in scores if not s.accounting_ok] == []
    assert sum(s.warnings for s in scores if s.clean) == 0  # no false alarm on a clean article


@pytest.mark.parametrize("text", [t for t, _ in CASES], ids=[t.stem for t, _ in CASES])
def test_every_character_spoken_once_or_reported(text):
    source = read_source(text)
    result = account(source, parse(source))
    assert result.ok, (dict(result.lost), dict(result.extra))


@pytest.mark.parametrize("path", [EXAMPLE, *sorted(DATA.glob("*.txt")), *sorted(DATA.glob("*.md"))],
                         ids=lambda p: p.name)
def test_accounting_on_bundled_articles(path):
    source = read_source(path)
    result = account(source, parse(source))
    assert result.ok and result.source == result.spoken + result.skipped


def test_accounting_on_seed(seed_path):
    source = read_source(seed_path)
    result = account(source, parse(source))
    assert result.ok and result.skipped > 0


def test_accounting_catches_a_lost_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("标题在这里写着\n\n第一段正文，说了一件事。\n\n第二段正文。\n", encoding="utf-8")
    source = read_source(path)
    article = parse(source)
    article.sections[-1].paragraphs.pop()
    result = account(source, article)
    assert not result.ok and "二" in result.lost
