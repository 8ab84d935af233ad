"""The programme's timeline: chapter marks just before their heading, pauses by structure, one rounding."""

from fractions import Fraction

import pytest

from tingbao import plan_article
from tingbao.article import Kind
from tingbao.assembly import Pauses, assemble, clock, to_ms
from tingbao.engines.base import VoiceSpec
from tingbao.speech.chunking import make_chunks

from .conftest import DATA, EXAMPLE
from .fakes import ToneEngine


def _programme(tmp_path, path, **kw):
    article = plan_article(path)
    engine = ToneEngine()
    chunks = make_chunks(article, engine.max_chars, engine.signature(VoiceSpec("tone")))
    clips = {c.key: engine.synthesize(c) for c in chunks}
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return article, assemble(article, chunks, clips.__getitem__, engine.sample_rate, work, **kw)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return _programme(tmp_path_factory.mktemp("assembly"), EXAMPLE)


def _heading_cues(article, programme):
    """The first cue of every chapter after the first (each is its section's heading)."""
    first = {}
    for cue in programme.cues:
        first.setdefault(cue.section, cue)
    return [first[chapter.sections[0]] for chapter in programme.chapters[1:]]


def test_chapters_start_just_before_their_heading(example):
    article, programme = example
    rate = programme.sample_rate
    headings = {s.index: s.heading for s in article.sections}
    for chapter, cue in zip(programme.chapters[1:], _heading_cues(article, programme), strict=True):
        assert cue.text == headings[cue.section] == chapter.title
        lead = (cue.start - chapter.start) / rate
        assert lead == pytest.approx(0.3, abs=0.001)  # a breath of silence, then the heading
    # the rest of the section pause stays at the end of the previous chapter
    for before, after in zip(programme.chapters, programme.chapters[1:], strict=False):
        last = max(c.end for c in programme.cues if before.start <= c.start < before.end)
        assert (after.start - last) / rate == pytest.approx(Pauses().section - 0.3, abs=0.001)
        assert before.end == after.start


def test_lead_never_exceeds_a_scaled_pause(tmp_path):
    article, programme = _programme(tmp_path, EXAMPLE, pauses=Pauses(scale=0.1))
    for chapter, cue in zip(programme.chapters[1:], _heading_cues(article, programme), strict=True):
        assert 0 <= cue.start - chapter.start <= round(0.22 * programme.sample_rate) + 1


def test_ellipsis_pause_is_shorter_than_any_chapter_break(tmp_path):
    source = tmp_path / "ellipsis.md"
    source.write_text("# 标题\n\n## 第一节\n\n第一段说完了。\n\n……\n\n第二段接着说。\n\n## 第二节\n\n最后一段。\n",
                      encoding="utf-8")
    article, programme = _programme(tmp_path, source)
    assert any(p.kind == Kind.ELLIPSIS for s in article.sections for p in s.paragraphs)
    cues = {c.text: c for c in programme.cues}
    gap = (cues["第二段接着说。"].start - cues["第一段说完了。"].end) / programme.sample_rate
    chapter_break = (cues["第二节"].start - cues["第二段接着说。"].end) / programme.sample_rate
    pauses = Pauses()
    assert pauses.paragraph < gap < min(pauses.subsection, pauses.section) <= chapter_break
    assert gap == pytest.approx(2 * pauses.sentence + pauses.ellipsis, abs=0.002)


def test_chapter_level_two_marks_sub_sections_too(tmp_path):
    article, programme = _programme(tmp_path, DATA / "outline.txt", chapter_level=2)
    assert len(programme.chapters) == 7
    for chapter, cue in zip(programme.chapters[1:], _heading_cues(article, programme), strict=True):
        assert (cue.start - chapter.start) / programme.sample_rate == pytest.approx(0.3, abs=0.001)


@pytest.mark.parametrize("rate", [22050, 24000, 44100, 16000])
def test_one_rounding_half_up(rate):
    for samples in [0, 1, rate // 2000, rate // 1000, 12345, 10**9 + 7, rate * 3 + rate // 2000]:
        exact = Fraction(samples * 1000, rate)
        expected = int(exact + Fraction(1, 2))  # half up, never banker's rounding, never float error
        assert to_ms(samples, rate) == expected


def test_programme_times_are_that_rounding(example):
    _, programme = example
    rate = programme.sample_rate
    assert programme.chapter_times() == [(c.title, to_ms(c.start, rate), to_ms(c.end, rate))
                                         for c in programme.chapters]
    assert programme.cue_times() == [(to_ms(c.start, rate), to_ms(c.end, rate)) for c in programme.cues]
    assert programme.duration_ms == to_ms(programme.chapters[-1].end, rate)


@pytest.mark.parametrize("ms, short, long", [(0, "0:00", "00:00:00"), (59_999, "0:59", "00:00:59"),
                                             (238_999, "3:58", "00:03:58"), (239_000, "3:59", "00:03:59"),
                                             (3_600_000, "1:00:00", "01:00:00")])
def test_clock_is_the_floor(ms, short, long):
    assert clock(ms) == short and clock(ms, hours=True) == long
