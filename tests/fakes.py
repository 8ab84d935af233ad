"""A fast, deterministic stand-in engine: a voiced tone per sentence, length from the text."""

from __future__ import annotations

import hashlib
import threading
import time

import numpy as np

from tingbao.engines.base import DEFAULT_SPEC, Clip, Voice, VoiceSpec


class ToneEngine:
    name = "tone"
    sample_rate = 24000
    max_chars = 120
    speaks_latin = False
    default_jobs = 2

    def __init__(self, seconds_per_char: float = 0.2, delay: float = 0.0):
        self.seconds_per_char = seconds_per_char
        self.delay = delay
        self.calls: list[str] = []
        self.prepared: list[int] = []  # the jobs of every prepare() call
        self._lock = threading.Lock()

    def voices(self):
        return [Voice("tone", "none", "zh-CN", self.sample_rate)]

    def default_voice(self):
        return "tone"

    def prepare(self, jobs: int) -> None:
        self.prepared.append(jobs)

    def signature(self, spec: VoiceSpec) -> str:
        return f"tone/{spec.voice}/{spec.rate}/{self.seconds_per_char}"

    def synthesize(self, chunk, spec: VoiceSpec = DEFAULT_SPEC):
        with self._lock:
            self.calls.append(chunk.key)
        if self.delay:
            time.sleep(self.delay)
        pieces, ends, total = [], [], 0
        for s in chunk.sentences:
            n = max(1, sum(ch.isalnum() for ch in s.speech))
            length = int(n * self.seconds_per_char * self.sample_rate)
            seed = int(hashlib.sha256(s.speech.encode()).hexdigest()[:8], 16)
            rng = np.random.default_rng(seed)
            t = np.arange(length) / self.sample_rate
            f0 = 150 + seed % 100
            voiced = 0.3 * np.sin(2 * np.pi * f0 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
            audio = voiced + 0.02 * rng.standard_normal(length)
            pieces.append((audio * 32767 * 0.5).astype(np.int16))
            total += length
            ends.append(total)
        return Clip(np.concatenate(pieces), self.sample_rate, ends)
