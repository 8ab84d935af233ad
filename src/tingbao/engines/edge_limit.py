"""How many connections the edge service gets at once: AIMD, as TCP does with its window.

The service publishes no limit and answers too many connections with 429 (or a refused
handshake). Refusals come in bursts: starting 8 requests against a 2-connection limit gets 6
refused at once. Cutting the limit once per refusal would drop 8 -> 1 and then crawl back; so,
like TCP, we cut at most once per round trip: a refusal of a request that started before the
last cut says nothing new. Until the first refusal each success adds a connection (slow
start: the limit doubles every round trip, from 4 to the cap); after it, a window's worth of
successes at the current limit (one success per allowed connection) probes one higher, and
twice as many for each time that level was refused before: a service with a fixed cap of 2 was
probed (and refused) every second chunk, 34 refusals in a 67-chunk build; now 7 (bench.py).
"""

from __future__ import annotations

import threading

HARD_CAP = 8
START = 4  # connections before the service has told us anything


class AdaptiveLimit:
    """A semaphore whose size adapts. `with limit as epoch:` holds a connection; report its
    outcome with `succeeded()` or `refused(epoch)`."""

    def __init__(self, limit: int, cap: int = HARD_CAP):
        self.cap = max(1, min(cap, HARD_CAP))
        self.limit = max(1, min(limit, self.cap))
        self.active = 0
        self.epoch = 0  # bumped by every change of the limit
        self.streak = 0  # successes since the last change
        self.cuts = 0
        self.slow_start = True  # until the first refusal
        self.refused_at: dict[int, int] = {}  # limit -> how many windows at it were refused
        self._cond = threading.Condition()

    def __enter__(self) -> int:
        with self._cond:
            while self.active >= self.limit:
                self._cond.wait()
            self.active += 1
            return self.epoch

    def __exit__(self, *exc) -> None:
        with self._cond:
            self.active -= 1
            self._cond.notify_all()

    def succeeded(self) -> None:
        with self._cond:
            self.streak += 1
            window = self.limit * 2 ** self.refused_at.get(self.limit + 1, 0)
            if (self.slow_start or self.streak >= window) and self.limit < self.cap:
                self.limit += 1
                self.epoch += 1
                self.streak = 0
                self._cond.notify_all()

    def refused(self, epoch: int) -> None:
        """The request that started in `epoch` was turned away: cut, once per window."""
        with self._cond:
            if epoch != self.epoch:
                return
            self.refused_at[self.limit] = self.refused_at.get(self.limit, 0) + 1
            # halve from far above; near the limit step down by one (halving 3 -> 1 would idle a slot)
            self.limit = max(1, self.limit // 2 if self.limit > 4 else self.limit - 1)
            self.epoch += 1
            self.streak = 0
            self.cuts += 1
            self.slow_start = False
