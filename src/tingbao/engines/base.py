"""The one small protocol every engine implements, and what it is given and returns.

Writing an engine (built-in or a package's `tingbao.engines` entry point, see engines/__init__.py):
- A class with the attributes and methods of `Engine` below; tingbao never probes for optional ones.
- The constructor takes keyword arguments with defaults, and only those it uses: `get_engine`
  passes a constructor just the options its signature names (all of them if it takes **kwargs).
  Options tingbao may offer: `model_dir`, `lexicon` (dict word -> pinyin), `progress` (a
  callable taking a one-line message). `__init__(self)` is fine.
- `voices()` lists what `VoiceSpec.voice` may name (`tingbao voices --engine NAME` prints it and a
  build refuses any other voice before synthesis); `default_voice()` is one of them.
- `prepare(jobs)` is called before each edition's synthesis with the number of worker threads
  that will call `synthesize()` concurrently (do nothing if that does not matter).
- `signature(spec)` is a string of everything besides the text that changes the sound (engine
  and model versions, voice, rate, ...): it goes into the cache keys, so change it whenever the
  audio for the same text and spec would change.
- `synthesize(chunk, spec)` returns a `Clip` with one end offset per sentence of the chunk, and
  raises `tingbao.errors.TransientEngineError` for what a retry may fix (its subclass
  `RefusedEngineError` for throttling) or `PermanentEngineError` for what it will not (exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from ..article import Chunk


@dataclass(frozen=True)
class Voice:
    name: str
    gender: str
    language: str
    sample_rate: int
    description: str = ""


@dataclass
class Clip:
    """Mono 16-bit PCM for one chunk, with the sample offset where each sentence ends.

    ``sentence_ends[i]`` is the end (exclusive) of sentence i of the chunk, so sentence i
    spans ``sentence_ends[i-1]:sentence_ends[i]``; the last entry equals ``len(samples)``.
    """

    samples: np.ndarray  # int16, shape (n,)
    sample_rate: int
    sentence_ends: list[int]
    notes: list[str] = field(default_factory=list)  # e.g. unreadable characters, proportional timing

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class VoiceSpec:
    """What an engine is asked to sound like; an empty voice means the engine's default. `rate`,
    `volume` and `pitch` are relative changes ("+10%", "-5%", "+2Hz"); an engine ignores those it
    cannot change (and leaves them out of its signature)."""

    voice: str = ""
    rate: str = "+0%"
    volume: str = "+0%"
    pitch: str = "+0Hz"


DEFAULT_SPEC = VoiceSpec()  # the engine's default voice, nothing changed


@runtime_checkable
class Engine(Protocol):
    name: str
    sample_rate: int
    max_chars: int  # longest speech text one synthesize() call takes
    speaks_latin: bool  # False: Latin words are spelled before they reach the engine
    default_jobs: int

    def voices(self) -> list[Voice]: ...

    def default_voice(self) -> str: ...

    def prepare(self, jobs: int) -> None:
        """Called before synthesis: `jobs` threads will call synthesize() at once."""
        ...

    def signature(self, spec: VoiceSpec) -> str:
        """Everything besides the text that changes the sound (goes into chunk keys)."""
        ...

    def synthesize(self, chunk: Chunk, spec: VoiceSpec) -> Clip: ...


def to_int16(audio: np.ndarray) -> np.ndarray:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)
