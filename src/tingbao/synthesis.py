"""Chunks -> Clips: cache first, then parallel synthesis with retries and progress events."""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .article import Chunk
from .cache import ClipCache
from .engines.base import Clip, Engine, VoiceSpec
from .errors import EngineError, PermanentEngineError, RefusedEngineError, TingbaoError, TransientEngineError
from .progress import Meter
from .retries import ChunkTries, RetryBudget
from .zh import spoken_chars

MIN_CPS, MAX_CPS = 2.0, 8.0  # plausible characters per second at rate +0%


def speech_units(chunks: list[Chunk]) -> int:
    """The synthesis phase's size: spoken characters of each distinct chunk. Time per chunk grows
    with its text, so progress and ETA counted in characters do not lurch at a long chunk."""
    return sum(spoken_chars(c.speech) for c in {c.key: c for c in chunks}.values())


@dataclass
class SynthesisResult:
    """What happened; the clips themselves are in the cache (memory stays flat in length)."""

    notes: set[str]
    cached: int
    synthesized: int
    engine_calls: int
    wall: float


def check_plausible(chunk: Chunk, clip: Clip, rate_ratio: float) -> None:
    """Reject clips whose length is implausible for their text, or that are mostly silent."""
    chars = spoken_chars(chunk.speech)
    if clip.duration <= 0:
        raise TransientEngineError(f"no audio for “{chunk.text[:20]}…”")
    cps = chars / clip.duration
    if chars >= 6 and not (MIN_CPS * rate_ratio * 0.75 <= cps <= MAX_CPS * rate_ratio * 1.25):
        raise TransientEngineError(f"implausible audio length ({clip.duration:.1f} s for {chars} characters)")
    rms = float(np.sqrt(np.mean(clip.samples.astype(np.float64) ** 2))) / 32768
    if rms < 0.003:
        raise TransientEngineError(f"mostly silent audio for “{chunk.text[:20]}…”")


class _Queue:
    """Chunks ready to try, in order; a failed chunk comes back after its backoff without
    holding a worker while it waits."""

    def __init__(self, chunks: list[Chunk]):
        self._heap = [(0.0, n, c) for n, c in enumerate(chunks)]
        self._seq = len(chunks)
        self._busy = 0
        self._cond = threading.Condition()
        self.stopped = False

    def get(self) -> Chunk | None:
        """The next chunk to try; None when everything is done or the build stopped."""
        with self._cond:
            while not self.stopped and (self._heap or self._busy):
                wait = self._heap[0][0] - time.monotonic() if self._heap else None
                if wait is not None and wait <= 0:
                    self._busy += 1
                    return heapq.heappop(self._heap)[2]
                self._cond.wait(wait)
            return None

    def done(self, chunk: Chunk, retry_in: float | None = None) -> None:
        with self._cond:
            self._busy -= 1
            if retry_in is not None:
                heapq.heappush(self._heap, (time.monotonic() + retry_in, self._seq, chunk))
                self._seq += 1
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self.stopped = True
            self._cond.notify_all()


def synthesize_all(chunks: list[Chunk], engine: Engine, spec: VoiceSpec, cache: ClipCache, jobs: int = 1,
                   attempts: int = 4, meter: Meter | None = None,
                   rate_ratio: float = 1.0, retry_delay: float = 0.5,
                   on_clip: Callable[[Chunk], None] | None = None) -> SynthesisResult:
    """Synthesise what the cache lacks with `jobs` workers. Transient failures are retried
    under one budget for the build (retries.py); `on_clip` hears of every chunk in the cache;
    `meter` (the synthesis phase, sized by speech_units) advances by each chunk's characters."""
    start = time.perf_counter()
    unique = list({c.key: c for c in chunks}.values())
    notes: set[str] = set()
    state = {"calls": 0, "audio": 0.0, "done": 0, "chars": 0}
    todo = []
    for chunk in unique:
        clip = cache.get(chunk.key)  # verified (checksum); a bad entry is a miss
        if clip is None:
            todo.append(chunk)
        else:
            notes.update(clip.notes)
            state["audio"] += clip.duration
            state["chars"] += spoken_chars(chunk.speech)
            if on_clip:
                on_clip(chunk)
    cached = state["done"] = len(unique) - len(todo)
    lock = threading.Lock()
    budget = RetryBudget(attempts, len(todo), retry_delay)
    queue = _Queue(todo)
    tries = {c.key: ChunkTries() for c in todo}
    failure: list[tuple[BaseException, bool]] = []  # the first error, and whether a rerun resumes

    def attempt(chunk: Chunk) -> None:
        with lock:
            state["calls"] += 1
        clip = engine.synthesize(chunk, spec)
        if len(clip.sentence_ends) != len(chunk.sentences):
            raise TransientEngineError("the engine returned the wrong number of sentence offsets")
        check_plausible(chunk, clip, rate_ratio)
        cache.put(chunk.key, clip)  # kept at once: an interrupted build loses nothing
        budget.succeeded()
        with lock:
            notes.update(clip.notes)
            state["done"] += 1
            state["audio"] += clip.duration
        if on_clip:
            on_clip(chunk)
        if meter:
            meter.advance(spoken_chars(chunk.speech), clip.duration)

    def worker() -> None:
        while (chunk := queue.get()) is not None:
            try:
                attempt(chunk)
            except TransientEngineError as exc:
                wait_s, why = budget.failed(tries[chunk.key], exc)
                if wait_s is None:
                    _give_up(exc, why)
                queue.done(chunk, wait_s)
                continue
            except BaseException as exc:  # noqa: BLE001 - permanent, storage, bugs: stop the build
                _give_up(exc, "")
                queue.done(chunk)
                continue
            queue.done(chunk)

    def _give_up(exc: BaseException, why: str) -> None:
        with lock:
            if not failure:
                if isinstance(exc, TransientEngineError):
                    failure.append((_final_error(exc, why), True))
                else:  # a missing model, a full disk: rerunning as is would not help; a bug: it might
                    failure.append((exc, not isinstance(exc, TingbaoError)))
        queue.stop()

    if meter:  # what the cache held is done at once, and says nothing about how fast the rest goes
        meter.advance(state["chars"], state["audio"], cached=True)
    engine.prepare(jobs)
    if todo:
        threads = [threading.Thread(target=worker, name=f"tingbao-synth-{k}", daemon=True)
                   for k in range(max(1, min(jobs, len(todo))))]
        for t in threads:
            t.start()
        try:
            for t in threads:
                t.join()
        except BaseException:  # Ctrl-C: let the workers finish what they hold, lose nothing cached
            queue.stop()
            raise
    if failure:
        exc, resumable = failure[0]
        if not resumable or not isinstance(exc, Exception):
            raise exc
        final = exc if isinstance(exc, EngineError) else PermanentEngineError(f"synthesis failed: {exc}")
        raise type(final)(_with_resume(str(final), state["done"], len(unique))) from exc
    return SynthesisResult(notes, cached, state["done"] - cached, state["calls"], time.perf_counter() - start)


def _final_error(exc: TransientEngineError, why: str) -> EngineError:
    """A refusal that never stopped (403) is the service refusing us: permanent (exit 3)."""
    message = f"{exc} ({why})" if why else str(exc)
    if isinstance(exc, RefusedEngineError) and exc.lasting:
        return PermanentEngineError(message)
    return TransientEngineError(message)


def _with_resume(message: str, saved: int, total: int) -> str:
    return f"{message}; rerun the same command to resume ({saved} of {total} parts are saved)"
