"""The edition's one loudness gain and soft limiter, applied to the chapter files in place.

Loudness is set once for the whole edition (−19 LUFS mono, the plain ITU-R BS.1770
equivalent of the −16 LUFS Apple Podcasts asks for) so sections don't pump. A build
measures it on the opening GAIN_WINDOW seconds (the whole edition when shorter), so each
chapter can be levelled and encoded while later ones are still being synthesised: one
synthetic voice's loudness barely moves over an article, and a gain known only at the end
held every encode until the last clip (8 s of a 29 s edge build of a 1000 s article).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .loudness import StreamingLoudness
from .progress import Meter

TARGET_LUFS = -19.0
GAIN_WINDOW = 120.0  # seconds of programme a build's one gain is measured on
PEAK_CEILING_DB = -2.0  # sample-peak ceiling before encoding; MP3 adds inter-sample peaks

GAIN_BLOCK = 1 << 20


class Leveller:
    """The second pass, chapter by chapter: measure the chapter files (read back once written,
    so the meter cuts each chapter into the same blocks however assembly was fed) until the
    window is full, fix the one gain, then level every chapter file in place (gain, soft
    limiter) and hand it on. Without a window the gain waits for the whole programme."""

    def __init__(self, path_of: Callable[[int], Path], sample_rate: int, window: int | None, progress: Meter | None,
                 on_levelled: Callable[[int, Path], None] | None):
        self.path_of, self.window, self.progress, self.on_levelled = path_of, window, progress, on_levelled
        self.meter = StreamingLoudness(sample_rate)
        self.loudness = float("-inf")
        self.gain_db: float | None = None
        self.pending: list[int] = []

    def written(self, index: int, end: int) -> None:
        if self.gain_db is not None:
            self._level(index)
            return
        self.pending.append(index)
        if self.window is not None:
            self._measure(index)
            if end >= self.window:
                self._decide()

    def close(self) -> None:
        if self.gain_db is None:
            if self.window is None:
                for index in self.pending:
                    self._measure(index)
            self._decide(final=True)

    def _measure(self, index: int) -> None:
        path = self.path_of(index)
        if path.stat().st_size:
            self.meter.add(np.memmap(path, dtype=np.int16, mode="r"))

    def _decide(self, final: bool = False) -> None:
        loudness = self.meter.integrated()
        if not np.isfinite(loudness) and not final:
            return  # a silent opening says nothing: measure on until there is speech
        self.loudness = loudness
        self.gain_db = float(TARGET_LUFS - loudness) if np.isfinite(loudness) else 0.0
        pending, self.pending = self.pending, []
        for index in pending:
            self._level(index)

    def _level(self, index: int) -> None:
        path = self.path_of(index)
        # mapped, not read: a long chapter never sits in memory whole
        if path.stat().st_size and np.isfinite(self.loudness):
            pcm = np.memmap(path, dtype=np.int16, mode="r+")
            for i in range(0, len(pcm), GAIN_BLOCK):  # per sample: blocks keep apply_gain's float copies small
                pcm[i:i + GAIN_BLOCK] = apply_gain(pcm[i:i + GAIN_BLOCK], self.gain_db)
            pcm.flush()
            del pcm
        if self.progress:
            self.progress.advance()
        if self.on_levelled:
            self.on_levelled(index, path)


def apply_gain(pcm: np.ndarray, gain_db: float) -> np.ndarray:
    """The gain, then a tanh knee above 70% of the peak ceiling: only rare peaks are touched."""
    audio = pcm.astype(np.float32) / 32768.0
    audio *= np.float32(10 ** (gain_db / 20))
    ceiling = np.float32(10 ** (PEAK_CEILING_DB / 20))
    knee = ceiling * np.float32(0.7)
    over = np.abs(audio) > knee
    if over.any():
        excess = (np.abs(audio[over]) - knee) / (ceiling - knee)
        audio[over] = np.sign(audio[over]) * (knee + (ceiling - knee) * np.tanh(excess))
    return (audio * 32767.0).astype(np.int16)
