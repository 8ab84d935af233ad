"""Chunks -> Clips: cache first, then parallel synthesis with retries and progress events."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from .article import Chunk
from .cache import ClipCache
from .engines.base import Clip, EngineError, PermanentEngineError, TransientEngineError

MIN_CPS, MAX_CPS = 2.0, 8.0  # plausible characters per second at rate +0%


@dataclass
class Progress:
    done: int
    total: int
    cached: int
    synthesized: int
    audio_seconds: float
    elapsed: float

    @property
    def eta(self) -> float | None:
        fresh = self.done - self.cached
        if fresh <= 0:
            return None
        return self.elapsed / fresh * (self.total - self.done)


@dataclass
class SynthesisResult:
    """What happened; the clips themselves are in the cache (memory stays flat in length)."""

    notes: set[str]
    cached: int
    synthesized: int
    engine_calls: int
    wall: float


def _spoken_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def check_plausible(chunk: Chunk, clip: Clip, rate_ratio: float) -> None:
    """Reject clips whose length is implausible for their text, or that are mostly silent."""
    chars = _spoken_chars(chunk.speech)
    if clip.duration <= 0:
        raise TransientEngineError(f"no audio for “{chunk.text[:20]}…”")
    cps = chars / clip.duration
    if chars >= 6 and not (MIN_CPS * rate_ratio * 0.75 <= cps <= MAX_CPS * rate_ratio * 1.25):
        raise TransientEngineError(f"implausible audio length ({clip.duration:.1f} s for {chars} characters)")
    rms = float(np.sqrt(np.mean(clip.samples.astype(np.float64) ** 2))) / 32768
    if rms < 0.003:
        raise TransientEngineError(f"mostly silent audio for “{chunk.text[:20]}…”")


def synthesize_all(chunks: list[Chunk], engine, voice: str, rate: str, cache: ClipCache, jobs: int = 1,
                   attempts: int = 4, on_progress: Callable[[Progress], None] | None = None,
                   rate_ratio: float = 1.0, retry_delay: float = 0.5) -> SynthesisResult:
    start = time.perf_counter()
    unique = list({c.key: c for c in chunks}.values())
    notes: set[str] = set()
    state = {"calls": 0, "audio": 0.0, "done": 0}
    todo = []
    for chunk in unique:
        clip = cache.get(chunk.key)  # verified (checksum); a bad entry is a miss
        if clip is None:
            todo.append(chunk)
        else:
            notes.update(clip.notes)
            state["audio"] += clip.duration
    cached = state["done"] = len(unique) - len(todo)
    lock = threading.Lock()

    def report():
        if on_progress:
            on_progress(Progress(state["done"], len(unique), cached, state["done"] - cached, state["audio"],
                                 time.perf_counter() - start))

    def work(chunk: Chunk) -> None:
        delay = retry_delay
        for attempt in range(1, attempts + 1):
            try:
                with lock:
                    state["calls"] += 1
                clip = engine.synthesize(chunk, voice, rate)
                if len(clip.sentence_ends) != len(chunk.sentences):
                    raise TransientEngineError("the engine returned the wrong number of sentence offsets")
                check_plausible(chunk, clip, rate_ratio)
                cache.put(chunk.key, clip)  # kept at once: an interrupted build loses nothing
                with lock:
                    notes.update(clip.notes)
                    state["done"] += 1
                    state["audio"] += clip.duration
                report()
                return
            except TransientEngineError:
                if attempt == attempts:
                    raise
                time.sleep(delay * (1 + random.random()))  # jittered exponential backoff
                delay *= 2

    report()
    if todo and hasattr(engine, "prepare"):
        engine.prepare(jobs)
    if todo:
        pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="tingbao-synth")
        futures = [pool.submit(work, c) for c in todo]
        try:
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            for f in done:
                if f.exception() is not None:
                    for other in futures:
                        other.cancel()
                    exc = f.exception()
                    if isinstance(exc, EngineError):
                        raise exc
                    raise PermanentEngineError(f"synthesis failed: {exc}") from exc
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return SynthesisResult(notes, cached, state["done"] - cached, state["calls"], time.perf_counter() - start)
