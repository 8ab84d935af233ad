"""The edition's MP3s encoded while synthesis runs: each chapter as soon as it is levelled.

One ffmpeg encodes the whole edition from its chapter files, fed in order as they become
final; each chapter's own MP3 is encoded from the same file beside it. Both are audio only:
the tags, the chapter times (they need every clip) and the cover (drawn once synthesis is
over) come at the end, added by a stream copy (mp3.remux) that gives the same bytes as
encoding with them. What is left after the last clip is its own chapter and the copies.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..progress import Meter
from .mp3 import Tags, feed_files, finish_raw_encode, remux, start_raw_encode


def encoding_units(chapters: int) -> int:
    """The encoding phase's size: per chapter, fed to the edition's encoder and encoded on its
    own; then the edition's file and the sections' files finished."""
    return 2 * chapters + 2


class ChapterEncoder:
    """`chapter_levelled(index, path)` from the assembly thread; `write()` once assembly is done;
    `cancel()` always (it stops any ffmpeg left running). `start_meter` makes the encoding phase's
    Meter, once, when the first chapter arrives."""

    def __init__(self, workdir: Path, sample_rate: int, bitrate: int, start_meter: Callable[[], Meter]):
        self._workdir, self._rate, self._bitrate = workdir, sample_rate, bitrate
        self._start_meter = start_meter
        self._meter: Meter | None = None
        self._lock = threading.Lock()
        self._whole = workdir / "edition.raw.mp3"
        self._whole_proc: subprocess.Popen | None = None
        self._section_procs: list[subprocess.Popen] = []
        # one thread feeds the edition's encoder, one encodes sections: two ffmpegs at most, in order
        self._feeder = ThreadPoolExecutor(1, "tingbao-encode-edition")
        self._sections = ThreadPoolExecutor(1, "tingbao-encode-sections")
        self._jobs: list[Future] = []

    def meter(self) -> Meter:
        with self._lock:
            if self._meter is None:
                self._meter = self._start_meter()
            return self._meter

    def chapter_levelled(self, index: int, path: Path) -> None:
        """Queue a final chapter file; raises what stopped an earlier encode (a full disk), so
        assembly and synthesis stop too."""
        for job in self._jobs:
            if job.done() and job.exception() is not None:
                raise job.exception()
        self.meter()
        self._jobs.append(self._feeder.submit(self._feed, path))
        self._jobs.append(self._sections.submit(self._encode_section, index, path))

    def section_raw(self, index: int) -> Path:
        return self._workdir / f"section-{index:04d}.raw.mp3"

    def _feed(self, path: Path) -> None:
        if self._whole_proc is None:
            self._whole_proc = start_raw_encode(self._rate, self._whole, self._bitrate)
        try:
            feed_files(self._whole_proc, [path])
        except BrokenPipeError:  # ffmpeg stopped: its own message says why
            finish_raw_encode(self._whole_proc, self._whole)
            raise
        self.meter().advance()

    def _encode_section(self, index: int, path: Path) -> None:
        out = self.section_raw(index)
        proc = start_raw_encode(self._rate, out, self._bitrate)
        self._section_procs.append(proc)
        try:
            feed_files(proc, [path])
        except BrokenPipeError:
            pass
        finish_raw_encode(proc, out)
        self.meter().advance()

    def write(self, edition: Path, tags: Tags, chapters: list[tuple[str, int, int]],
              sections: list[tuple[Path, Tags]], cover: str | None) -> None:
        """Every chapter has been handed over: finish the encodes, then write the edition's MP3 and
        each section's (temp name, then rename) with their tags, chapters and cover."""
        for job in self._jobs:
            job.result()
        if self._whole_proc is None:
            raise ValueError("no chapter was encoded")
        finish_raw_encode(self._whole_proc, self._whole)
        meter = self.meter()
        with ThreadPoolExecutor(2) as pool:  # each copy is one short ffmpeg run: two at a time
            whole = pool.submit(remux, self._whole, edition, tags, chapters, cover)
            parts = [pool.submit(remux, self.section_raw(index), path, section_tags, [], cover)
                     for index, (path, section_tags) in enumerate(sections)]
            whole.result()
            meter.advance()
            for part in parts:
                part.result()
            meter.advance()

    def cancel(self) -> None:
        """Stop feeding, end every ffmpeg still running and wait: nothing writes once this returns."""
        for pool in (self._feeder, self._sections):
            pool.shutdown(wait=False, cancel_futures=True)
        for proc in [self._whole_proc, *self._section_procs]:
            if proc is not None and proc.poll() is None:
                proc.kill()
        for pool in (self._feeder, self._sections):
            pool.shutdown(wait=True)
        for proc in [self._whole_proc, *self._section_procs]:  # again: a running job may have started one
            if proc is not None:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
                for stream in (proc.stdin, proc.stderr):
                    if stream is not None:
                        try:
                            stream.close()
                        except OSError:
                            pass

