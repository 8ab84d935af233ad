"""Progress as typed events: the library says what it is doing, the CLI (console.py) decides how it looks.

A build goes through five phases, in order: plan, synthesis, assembly, encoding, outputs. Each is
announced (PhaseStarted), advances in units of its own (PhaseAdvanced) and ends (PhaseFinished; a
phase that fails never finishes). Units are chosen so that equal units cost about equal time:
spoken characters while synthesising, chapter passes while assembling, samples while encoding.

Events may come from worker threads (synthesis, the two encoders); a Meter emits them under a
lock, so a listener sees one phase's `done` counts in increasing order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

PHASES = ("plan", "synthesis", "assembly", "encoding", "outputs")


@dataclass(frozen=True)
class PhaseStarted:
    phase: str
    total: int  # units of work in the phase
    article: str = ""


@dataclass(frozen=True)
class PhaseAdvanced:
    phase: str
    done: int
    total: int
    elapsed: float  # seconds since the phase started
    cached: int = 0  # units that were done without work (clips from the cache): they say nothing of speed
    audio_seconds: float = 0.0  # synthesis: audio made or found so far

    @property
    def eta(self) -> float | None:
        """Seconds left at the pace of the units done in this phase; None before any real work."""
        fresh = self.done - self.cached
        if fresh <= 0 or self.elapsed <= 0:
            return None
        return self.elapsed / fresh * (self.total - self.done)


@dataclass(frozen=True)
class PhaseFinished:
    phase: str
    elapsed: float


Event = PhaseStarted | PhaseAdvanced | PhaseFinished
OnEvent = Callable[[Event], None]


def _ignore(event: Event) -> None:
    pass


class Meter:
    """One running phase: counts its units and emits its events (thread-safe)."""

    def __init__(self, on_event: OnEvent | None, phase: str, total: int, article: str = ""):
        self.on_event = on_event or _ignore
        self.phase, self.total, self.article = phase, total, article
        self.done = self.cached = 0
        self.audio_seconds = 0.0
        self._start = time.perf_counter()
        self._lock = threading.Lock()
        self.on_event(PhaseStarted(phase, total, article))

    def advance(self, units: int = 1, audio_seconds: float = 0.0, cached: bool = False) -> None:
        """`units` more are done; `cached` ones took no work (they count as done, not towards the pace)."""
        with self._lock:
            self.done = min(self.total, self.done + units)
            if cached:
                self.cached = min(self.done, self.cached + units)
            self.audio_seconds += audio_seconds
            self.on_event(PhaseAdvanced(self.phase, self.done, self.total, time.perf_counter() - self._start,
                                        self.cached, self.audio_seconds))

    def finish(self) -> None:
        with self._lock:
            if self.done < self.total:  # whatever was left took no work (nothing to encode, say)
                self.done = self.total
                self.on_event(PhaseAdvanced(self.phase, self.done, self.total, time.perf_counter() - self._start,
                                            self.cached, self.audio_seconds))
            self.on_event(PhaseFinished(self.phase, time.perf_counter() - self._start))


class Phases:
    """One build's phases, in order: starting a phase finishes the one before it."""

    def __init__(self, on_event: OnEvent | None, article: str = ""):
        self.on_event, self.article = on_event, article
        self.current: Meter | None = None

    def start(self, phase: str, total: int) -> Meter:
        self.finish()
        self.current = Meter(self.on_event, phase, total, self.article)
        return self.current

    def finish(self) -> None:
        if self.current is not None:
            self.current.finish()
            self.current = None
