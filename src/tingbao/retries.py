"""When a failed chunk is tried again, and when a build gives up: one budget per build.

A service that limps (drops a third of its answers) must not fail a build, and one that is
down must fail it in bounded time. So failures are judged against the whole build, not the
chunk: while other chunks succeed, a failing one keeps its place in the queue and is tried
again after a jittered backoff. The build gives up when

- nothing has succeeded anywhere for `stall` seconds *and* the failing chunk has been tried
  `attempts` times in a row with no success anywhere in between (the service looks down), or
- the transient failures of the build exceed `attempts` per chunk to synthesise (it limps
  too badly to finish).

Refusals (HTTP 429, a connection limit, a refused handshake) are the service pacing us: they
never count against the budget and only end a build through the stall rule.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from .errors import RefusedEngineError

STALL_PER_DELAY = 60  # stall limit = 60 first backoffs (30 s at the default 0.5 s)
MAX_BACKOFF_STEPS = 5  # backoff doubles at most 5 times (16 x the first delay)


@dataclass
class ChunkTries:
    streak: int = 0  # failures in a row with no success anywhere in between
    seen: int = 0  # the build's success count at this chunk's last failure


@dataclass
class RetryBudget:
    attempts: int
    todo: int
    retry_delay: float = 0.5
    stall: float | None = None  # seconds; default STALL_PER_DELAY first backoffs
    failures: int = 0
    refusals: int = 0
    successes: int = 0
    last_success: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.stall is None:
            self.stall = STALL_PER_DELAY * self.retry_delay
        self.limit = max(1, self.attempts) * max(1, self.todo)

    def succeeded(self) -> None:
        with self._lock:
            self.successes += 1
            self.last_success = time.monotonic()

    def failed(self, tries: ChunkTries, exc: Exception) -> tuple[float | None, str]:
        """Seconds to wait before this chunk's next try, or None to give up (with why)."""
        refused = isinstance(exc, RefusedEngineError)
        with self._lock:
            if tries.seen != self.successes:  # something succeeded since this chunk last failed
                tries.streak = 0
            tries.streak += 1
            tries.seen = self.successes
            if refused:
                self.refusals += 1
            else:
                self.failures += 1
            stalled = time.monotonic() - self.last_success
            if self.failures > self.limit:
                return None, f"{self.failures} failed requests in this build"
            if tries.streak >= self.attempts and stalled >= self.stall:
                return None, f"nothing succeeded for {stalled:.0f} s"
            step = min(tries.streak - 1, MAX_BACKOFF_STEPS)
        # refusals: the engine's concurrency limit does the pacing; a short pause is enough
        base = self.retry_delay * (0.5 if refused and tries.streak == 1 else 2.0 ** step)
        return base * (1 + random.random()), ""
