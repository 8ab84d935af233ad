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


# A three-section news brief, short enough for the fast loop (progress and overlap tests).
SHORT_NEWS = """青禾湾快讯

新区今天开通了一条公交线路。线路全长十二公里。

一、建设

新线设站十五座，方便群众出行。沿线还将新建三座公园。

二、服务

公交公司表示，将根据客流调整班次。市民可以通过手机查询到站时间。
"""


class EventRecorder:
    """Collects a build's progress events from any thread."""

    def __init__(self):
        import threading

        self.events: list = []
        self._lock = threading.Lock()

    def __call__(self, event) -> None:
        with self._lock:
            self.events.append(event)

    def of(self, phase: str) -> list:
        return [e for e in self.events if e.phase == phase]

    def advanced(self, phase: str) -> list:
        from tingbao.progress import PhaseAdvanced

        return [e for e in self.of(phase) if isinstance(e, PhaseAdvanced)]

    def assembled(self) -> int:
        """Assembly steps done so far."""
        with self._lock:
            return max([e.done for e in self.advanced("assembly")], default=0)
