"""Several articles -> one day's programme: each part assembled as an edition is (assembly.assemble,
its own loudness gain to the same target), then joined with a pause or a sting between parts and
the intro/outro around them, all loudness-matched to the speech.

The result is a Programme whose chapters are every part's chapters in order (the leaves of the
day's chapter tree) plus `parts`, the tree's top level: which chapters belong to which article.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .assembly import Chapter, Cue, Pauses, Programme, assemble, chapter_path
from .errors import InputError
from .levelling import TARGET_LUFS, apply_gain
from .loudness import StreamingLoudness

ARTICLE_GAP = 2.0  # seconds of silence between articles when there is no sting
STING_BREATH = 0.4  # silence either side of a sting


@dataclass
class Part:
    """One piece of the day: the opener, an article, the closer."""

    title: str
    article: object  # article.Article, segmented
    chunks: list
    slug: str = ""  # the article's own edition folder ("" for the opener and closer)
    kind: str = "article"  # "opener" | "article" | "closer"


@dataclass
class PartSpan:
    title: str
    slug: str
    kind: str
    first: int  # index of its first chapter in the day's programme
    last: int  # index of its last chapter (inclusive)
    cues: list[int] = field(default_factory=list)  # indices of its cues in the day's programme


@dataclass
class DayProgramme:
    programme: Programme
    parts: list[PartSpan]


def load_sound(path: str, sample_rate: int, what: str) -> np.ndarray:
    """A sound file of any format ffmpeg reads, as mono int16 at the speech's rate, at the speech's loudness."""
    from .outputs.mp3 import ffmpeg_exe

    if not Path(path).is_file():
        raise InputError(f"{what} {path}: no such file")
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-vn",
           "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "pipe:1"]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0 or not proc.stdout:
        reason = proc.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(f"{what} {path}: not a sound file ffmpeg can read ({reason[-1] if reason else 'no audio'})")
    pcm = np.frombuffer(proc.stdout, dtype="<i2").copy()
    meter = StreamingLoudness(sample_rate)
    meter.add(pcm)
    loudness = meter.integrated()
    if np.isfinite(loudness):  # a sound shorter than one 400 ms block has no integrated loudness: left as it is
        pcm = apply_gain(pcm, TARGET_LUFS - loudness)
    return pcm


def _silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.int16)


def assemble_day(parts: list[Part], load_clip, sample_rate: int, workdir: Path, pauses: Pauses | None = None,
                 chapter_level: int = 1, skip_byline: bool = False, intro: np.ndarray | None = None,
                 outro: np.ndarray | None = None, sting: np.ndarray | None = None) -> DayProgramme:
    """Join the parts; the gap after a part belongs to its last chapter, so a chapter jump lands on speech."""
    if sting is not None:
        gap = np.concatenate([_silence(STING_BREATH, sample_rate), sting, _silence(STING_BREATH, sample_rate)])
    else:
        gap = _silence(ARTICLE_GAP * (pauses.scale if pauses else 1.0), sample_rate)
    chapters: list[Chapter] = []
    cues: list[Cue] = []
    spans: list[PartSpan] = []
    position = 0
    for number, part in enumerate(parts):
        subdir = workdir / f"part-{number:03d}"
        subdir.mkdir()
        own = assemble(part.article, part.chunks, load_clip, sample_rate, subdir, pauses, chapter_level, skip_byline)
        before = intro if number == 0 and intro is not None else None
        after = outro if number == len(parts) - 1 else gap
        shift = position + (len(before) if before is not None else 0)
        span = PartSpan(part.title, part.slug, part.kind, len(chapters), len(chapters) + len(own.chapters) - 1)
        for cue in own.cues:
            span.cues.append(len(cues))
            cues.append(Cue(cue.start + shift, cue.end + shift, cue.text, cue.section, cue.sentence))
        for index, chapter in enumerate(own.chapters):
            target = chapter_path(workdir, len(chapters))
            first, last = index == 0, index == len(own.chapters) - 1
            extra_before = before if first and before is not None else None
            extra_after = after if last and after is not None else None
            if extra_before is None and extra_after is None:
                shutil.move(own.chapter_file(index), target)
            else:
                with open(target, "wb") as out:
                    if extra_before is not None:
                        out.write(extra_before.astype("<i2").tobytes())
                    with open(own.chapter_file(index), "rb") as f:
                        shutil.copyfileobj(f, out)
                    if extra_after is not None:
                        out.write(extra_after.astype("<i2").tobytes())
            start = position if first else chapter.start + shift
            end = chapter.end + shift + (len(extra_after) if extra_after is not None else 0)
            title = part.title if len(own.chapters) == 1 and part.kind != "article" else chapter.title
            chapters.append(Chapter(title, start, end, list(chapter.sections)))
            position = end
        shutil.rmtree(subdir, ignore_errors=True)
        spans.append(span)
    programme = Programme(sample_rate, chapters, cues, TARGET_LUFS, 0.0, workdir)
    return DayProgramme(programme, spans)
