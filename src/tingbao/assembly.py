"""Clips -> one programme: pauses by structure, exact sample-count timing, one loudness gain.

pydub joins each chapter's pieces in PCM; chapter and cue times are cumulative sample
counts, never estimates. Loudness is set once for the whole edition (−19 LUFS mono, the
plain-BS.1770 equivalent of Apple's −16 LUFS; REFERENCE.md "Audio") so sections don't pump.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .article import Article, Chunk, Kind
from .engines.base import Clip

TARGET_LUFS = -19.0
PEAK_CEILING_DB = -2.0  # sample-peak ceiling before encoding; MP3 adds inter-sample peaks


@dataclass
class Pauses:
    """Seconds of silence; `scale` multiplies all of them (--pause-scale)."""

    sentence: float = 0.35
    paragraph: float = 0.75
    lead_item: float = 0.7  # between headline, subtitle, byline
    heading: float = 0.9  # after a heading or subhead
    subsection: float = 1.3
    section: float = 2.2  # listeners must hear where a section ends
    ellipsis: float = 1.0
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
    sample_rate: int
    pcm: np.ndarray  # int16, loudness-normalised
    chapters: list[Chapter]
    cues: list[Cue]
    loudness_before: float
    gain_db: float

    @property
    def duration(self) -> float:
        return len(self.pcm) / self.sample_rate

    def chapter_pcm(self, chapter: Chapter) -> np.ndarray:
        return self.pcm[chapter.start : chapter.end]


def _gap(prev, cur, prev_section, cur_section) -> str:
    if cur_section.index != prev_section.index:
        return "section" if cur_section.level <= 1 else "subsection"
    if cur[0] is not prev[0]:  # a new paragraph
        if prev[0].kind in (Kind.HEADING, Kind.SUBHEAD):
            return "heading"
        if prev[0].kind in (Kind.HEADLINE, Kind.KICKER, Kind.SUBTITLE, Kind.BYLINE):
            return "lead_item"
        return "paragraph"
    return "sentence"


def assemble(article: Article, chunks: list[Chunk], clips: dict[str, Clip], sample_rate: int,
             pauses: Pauses | None = None, chapter_level: int = 1, skip_byline: bool = False) -> Programme:
    AudioSegment = _pydub()
    pauses = pauses or Pauses()
    where = {}
    for chunk in chunks:
        clip = clips[chunk.key]
        start = 0
        for sentence, end in zip(chunk.sentences, clip.sentence_ends, strict=True):
            where[sentence.index] = clip.samples[start:end]
            start = end

    chapters: list[Chapter] = []
    cues: list[Cue] = []
    # pydub segments (speech and silences) in playback order. They are joined once at the end:
    # pydub's `+` copies the whole result each time, which is quadratic in programme length.
    parts: list = []
    position = 0  # samples so far
    prev = prev_section = None

    def add(segment) -> int:
        nonlocal position
        parts.append(segment)
        start, position = position, position + len(segment.raw_data) // 2
        return start

    def pause(seconds: float) -> None:
        add(AudioSegment.silent(round(seconds * 1000), frame_rate=sample_rate))

    for section in article.sections:
        if not chapters or 0 < section.level <= chapter_level:
            if chapters:
                chapters[-1].end = position
            chapters.append(Chapter(section.title, position, position, []))
        chapters[-1].sections.append(section.index)
        for paragraph in section.paragraphs:
            if skip_byline and paragraph.kind == Kind.BYLINE:
                continue
            for sentence in paragraph.sentences:
                if prev is not None:
                    pause(pauses.get(_gap(prev, (paragraph, sentence), prev_section, section)))
                prev, prev_section = (paragraph, sentence), section
                if sentence.is_silent:
                    pause(pauses.get("ellipsis"))
                    continue
                audio = where[sentence.index]
                begin = add(AudioSegment(data=audio.tobytes(), sample_width=2, frame_rate=sample_rate, channels=1))
                cues.append(Cue(begin, begin + len(audio), sentence.text.strip(), section.index, sentence.index))
    chapters[-1].end = position
    pcm = np.frombuffer(b"".join(p.raw_data for p in parts), dtype=np.int16)
    normalised, loudness, gain = normalise_loudness(pcm, sample_rate)
    return Programme(sample_rate, normalised, chapters, cues, loudness, gain)


def _pydub():
    """pydub, pointed at imageio-ffmpeg's binary (there is no system ffmpeg)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Couldn't find ffmpeg": we set it next
        from pydub import AudioSegment
    import imageio_ffmpeg

    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    return AudioSegment


def normalise_loudness(pcm: np.ndarray, sample_rate: int, target: float = TARGET_LUFS):
    """One gain to reach `target` LUFS, then a soft limiter above the peak ceiling."""
    import pyloudnorm

    audio = pcm.astype(np.float32) / 32768.0
    if len(audio) < sample_rate // 2:
        return pcm.copy(), float("nan"), 0.0
    loudness = pyloudnorm.Meter(sample_rate).integrated_loudness(audio)
    if not np.isfinite(loudness):
        return pcm.copy(), float(loudness), 0.0
    gain_db = target - loudness
    audio *= np.float32(10 ** (gain_db / 20))
    ceiling = np.float32(10 ** (PEAK_CEILING_DB / 20))
    knee = ceiling * np.float32(0.7)
    over = np.abs(audio) > knee
    if over.any():  # tanh knee: only the rare peaks are touched, loudness barely moves
        excess = (np.abs(audio[over]) - knee) / (ceiling - knee)
        audio[over] = np.sign(audio[over]) * (knee + (ceiling - knee) * np.tanh(excess))
    return (audio * 32767.0).astype(np.int16), float(loudness), float(gain_db)
