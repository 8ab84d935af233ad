"""Assembly overlapped with synthesis: each chapter is joined as soon as its clips are in the cache.

assemble() reads clips in article order through its `load_clip`; here that call waits until
synthesis has reported the chunk (synthesize_all's `on_clip`), so chapters are joined, metered
and written to the workdir in a thread of their own while later chunks are still being
synthesised. Once the gain window is measured (levelling.py), each chapter is also levelled and
handed to the encoders as it is joined. The output is the same bytes as assembling afterwards
with the same gain window: the same code runs on the same clips in the same order; only when
differs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .assembly import Programme
from .engines.base import Clip
from .progress import Meter


class _Cancelled(Exception):
    """The build stopped (synthesis failed, Ctrl-C): the assembly thread leaves quietly."""


class AssemblyFailed(Exception):
    """Raised into synthesis when assembly has failed, so its workers stop; the build raises
    the assembly's own error instead."""


class Overlap:
    """Runs `run(load_clip, meter)` (an assemble() call) in a thread as clips become ready.

    `load` reads a ready clip (from the cache); `start_meter` makes the assembly phase's Meter,
    called once, when the first clip is there (a build whose synthesis fails at once never
    starts assembling)."""

    def __init__(self, run: Callable[[Callable[[str], Clip], Meter], Programme], load: Callable[[str], Clip],
                 start_meter: Callable[[], Meter]):
        self._run, self._load, self._start_meter = run, load, start_meter
        self._cond = threading.Condition()
        self._ready: set[str] = set()
        self._all_ready = self._cancelled = False
        self._meter: Meter | None = None
        self._error: BaseException | None = None
        self._programme: Programme | None = None
        self._thread = threading.Thread(target=self._main, name="tingbao-assembly", daemon=True)
        self._thread.start()

    def clip_ready(self, chunk) -> None:
        """synthesize_all's on_clip (worker threads, or up front for cached chunks)."""
        with self._cond:
            if self._error is not None:
                raise AssemblyFailed("assembly failed")
            self._ready.add(chunk.key)
            self._cond.notify_all()

    def meter(self) -> Meter:
        """The assembly phase's Meter, started now if the first clip has not come yet."""
        with self._cond:
            if self._meter is None:
                self._meter = self._start_meter()
            return self._meter

    def finish(self) -> Programme:
        """Synthesis is done (every clip is in the cache): wait for the last chapters, return the programme
        or raise the assembly's error."""
        with self._cond:
            self._all_ready = True
            self._cond.notify_all()
        self._thread.join()
        self.raise_error()
        assert self._programme is not None
        return self._programme

    def raise_error(self) -> None:
        """Raise what stopped assembly, if anything did (after synthesis failed because of it)."""
        if self._error is not None:
            raise self._error

    def cancel(self) -> None:
        """Stop the thread at its next clip or chapter and wait for it: nothing writes to the
        workdir once this returns. Safe to call more than once, and after finish()."""
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()
        self._thread.join()

    def _wait_for(self, key: str) -> Clip:
        with self._cond:
            while key not in self._ready and not self._all_ready:
                if self._cancelled:
                    raise _Cancelled
                self._cond.wait()
            if self._cancelled:
                raise _Cancelled
        self.meter()
        return self._load(key)

    def _main(self) -> None:
        try:
            self._programme = self._run(self._wait_for, _Checked(self))
        except _Cancelled:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the build's thread, raised there
            with self._cond:
                self._error = exc


class _Checked:
    """The assembly meter as assemble() sees it: each chapter pass is also a point to stop at."""

    def __init__(self, overlap: Overlap):
        self._overlap = overlap

    def advance(self, units: int = 1) -> None:
        if self._overlap._cancelled:
            raise _Cancelled
        self._overlap.meter().advance(units)
