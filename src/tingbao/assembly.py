"""Clips -> one programme: pauses by structure, exact sample-count timing, one loudness gain.

pydub joins each chapter's pieces in PCM; chapter and cue times are cumulative sample
counts, never estimates. The chapters are levelled by levelling.py (one gain for the edition).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .article import Article, Chunk, Kind
from .engines.base import Clip
from .levelling import Leveller
from .progress import Meter


@dataclass
class Pauses:
    """Seconds of silence; `scale` multiplies all of them (--pause-scale)."""

    sentence: float = 0.35
    paragraph: float = 0.75
    lead_item: float = 0.7  # between headline, subtitle, byline
    heading: float = 0.9  # after a heading or subhead
    subsection: float = 1.3
    section: float = 2.2  # listeners must hear where a section ends
    ellipsis: float = 0.5  # with a sentence gap either side: 1.2 s, less than any chapter break
    chapter_lead: float = 0.3  # of the pause before a chapter's heading, inside the chapter
    scale: float = 1.0

    def get(self, name: str) -> float:
        return getattr(self, name) * self.scale


@dataclass
class Cue:
    start: int  # samples
    end: int
    text: str
    section: int
    sentence: int


@dataclass
class Chapter:
    title: str
    start: int
    end: int
    sections: list[int] = field(default_factory=list)


@dataclass
class Programme:
    """The edition's timeline. Its PCM lives on disk, one loudness-normalised int16 file per
    chapter in `workdir`, so memory stays flat however long the article is."""

    sample_rate: int
    chapters: list[Chapter]
    cues: list[Cue]
    loudness_before: float
    gain_db: float
    workdir: Path

    @property
    def duration(self) -> float:
        return self.chapters[-1].end / self.sample_rate if self.chapters else 0.0

    @property
    def duration_ms(self) -> int:
        return self.ms(self.chapters[-1].end) if self.chapters else 0

    def ms(self, samples: int) -> int:
        return to_ms(samples, self.sample_rate)

    def chapter_times(self) -> list[tuple[str, int, int]]:
        """(title, start ms, end ms) of every chapter."""
        return [(c.title, self.ms(c.start), self.ms(c.end)) for c in self.chapters]

    def cue_times(self) -> list[tuple[int, int]]:
        """(start ms, end ms) of every cue."""
        return [(self.ms(c.start), self.ms(c.end)) for c in self.cues]

    def chapter_file(self, index: int) -> Path:
        return chapter_path(self.workdir, index)

    def chapter_files(self) -> list[Path]:
        return [self.chapter_file(i) for i in range(len(self.chapters))]


def to_ms(samples: int, rate: int) -> int:
    """The one rounding of a sample position to whole milliseconds (half up, integer arithmetic):
    every time written anywhere (tags, JSON, subtitles, pages, feeds) is made from this value."""
    return (2 * samples * 1000 + rate) // (2 * rate)


def clock(ms: int, hours: bool = False) -> str:
    """m:ss (or HH:MM:SS), always the floor of the millisecond value, so every listing agrees."""
    s = ms // 1000
    if hours:
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}" if s < 3600 else f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def chapter_path(workdir: Path, index: int) -> Path:
    return workdir / f"chapter-{index:03d}.pcm"


def _gap(prev, cur, prev_section, cur_section) -> str:
    if cur_section.index != prev_section.index:
        return _section_gap(cur_section)
    if prev[1].is_silent or cur[1].is_silent:  # the `……` pause replaces the paragraph gaps around it
        return "sentence"
    if cur[0] is not prev[0]:  # a new paragraph
        if prev[0].kind in (Kind.HEADING, Kind.SUBHEAD):
            return "heading"
        if prev[0].kind in (Kind.HEADLINE, Kind.KICKER, Kind.SUBTITLE, Kind.BYLINE):
            return "lead_item"
        return "paragraph"
    return "sentence"


def _section_gap(section) -> str:
    return "section" if section.level <= 1 else "subsection"


def chapter_count(article: Article, chapter_level: int = 1) -> int:
    """The chapters assemble() makes: the lead plus every later section at or above `chapter_level`."""
    return 1 + sum(1 for s in article.sections[1:] if 0 < s.level <= chapter_level)


def assembly_units(article: Article, chapter_level: int = 1) -> int:
    """The assembly phase's size: two passes (join, then gain) over each chapter."""
    return 2 * chapter_count(article, chapter_level)


def assemble(article: Article, chunks: list[Chunk], load_clip: Callable[[str], Clip], sample_rate: int,
             workdir: Path, pauses: Pauses | None = None, chapter_level: int = 1,
             skip_byline: bool = False, progress: Meter | None = None,
             on_levelled: Callable[[int, Path], None] | None = None, gain_window: float | None = None) -> Programme:
    """Join each chapter in PCM (pydub), write it to `workdir`, then apply one gain to every
    chapter file. Only one chapter is in memory at a time. The gain is measured on the first
    `gain_window` seconds (whole chapters; None: the whole programme); `on_levelled(i, path)`
    hears each chapter file as it becomes final, in order. `progress` (sized by assembly_units)
    advances once per chapter and pass."""
    AudioSegment = _pydub()
    pauses = pauses or Pauses()
    chunk_of = {s.index: c for c in chunks for s in c.sentences}
    chapters: list[Chapter] = []
    cues: list[Cue] = []
    sink: list = []  # the current chapter's open file: PCM goes to disk as it comes, never joined in memory
    position = 0  # samples so far in the programme
    prev = prev_section = None
    gap_paid = False  # the pause before a new chapter's first sentence was added when the chapter began
    loaded: tuple[str, list[np.ndarray]] | None = None  # the clip of the chunk being read
    window = None if gain_window is None else round(gain_window * sample_rate)
    leveller = Leveller(lambda index: chapter_path(workdir, index), sample_rate, window, progress, on_levelled)

    def add(segment) -> int:
        nonlocal position
        data = segment.raw_data
        sink[0].write(data)
        start, position = position, position + len(data) // 2
        return start

    def open_chapter() -> None:
        sink[:] = [open(chapter_path(workdir, len(chapters) - 1), "wb")]  # noqa: SIM115

    def pause(seconds: float) -> None:
        add(AudioSegment.silent(round(seconds * 1000), frame_rate=sample_rate))

    def flush() -> None:
        sink.pop().close()
        if progress:
            progress.advance()
        leveller.written(len(chapters) - 1, chapters[-1].end)

    def sentence_audio(index: int) -> np.ndarray:
        nonlocal loaded
        chunk = chunk_of[index]
        if loaded is None or loaded[0] != chunk.key:
            clip = load_clip(chunk.key)
            bounds = [0, *clip.sentence_ends]
            loaded = (chunk.key, [clip.samples[a:b] for a, b in zip(bounds, bounds[1:], strict=False)])
        return loaded[1][[s.index for s in chunk.sentences].index(index)]

    try:
        for section in article.sections:
            if not chapters or 0 < section.level <= chapter_level:
                lead = 0.0
                if chapters:
                    # the chapter mark goes just before its heading, not where the last chapter's speech ended:
                    # a jump lands on a breath of silence and then the heading
                    gap = pauses.get(_section_gap(section)) if prev is not None else 0.0
                    lead = min(pauses.get("chapter_lead"), gap)
                    pause(gap - lead)
                    gap_paid = prev is not None
                    chapters[-1].end = position
                    flush()
                chapters.append(Chapter(section.title, position, position, []))
                open_chapter()
                if lead:
                    pause(lead)
            chapters[-1].sections.append(section.index)
            for paragraph in section.paragraphs:
                if skip_byline and paragraph.kind == Kind.BYLINE:
                    continue
                for sentence in paragraph.sentences:
                    if prev is not None and not gap_paid:
                        pause(pauses.get(_gap(prev, (paragraph, sentence), prev_section, section)))
                    gap_paid = False
                    prev, prev_section = (paragraph, sentence), section
                    if sentence.is_silent:
                        pause(pauses.get("ellipsis"))
                        continue
                    audio = sentence_audio(sentence.index)
                    begin = add(AudioSegment(data=audio.tobytes(), sample_width=2, frame_rate=sample_rate, channels=1))
                    cues.append(Cue(begin, begin + len(audio), sentence.text.strip(), section.index, sentence.index))
        chapters[-1].end = position
        flush()
    finally:
        if sink:  # an error part-way: the file is closed (the build removes its workdir)
            sink[0].close()
    leveller.close()
    return Programme(sample_rate, chapters, cues, leveller.loudness, leveller.gain_db or 0.0, workdir)


def _pydub():
    """pydub, pointed at imageio-ffmpeg's binary (there is no system ffmpeg)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Couldn't find ffmpeg": we set it next
        from pydub import AudioSegment
    import imageio_ffmpeg

    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    return AudioSegment
