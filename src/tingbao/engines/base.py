"""The one small protocol every engine implements, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from ..article import Chunk
from ..errors import TingbaoError


class EngineError(TingbaoError):
    """Base for synthesis failures."""


class TransientEngineError(EngineError):
    """Worth a retry (network drop, throttling, truncated audio)."""


class RefusedEngineError(TransientEngineError):
    """The service turned the request away before working on it (throttling, a connection
    limit, a refused handshake). Retrying is pacing, not a failed attempt; `lasting` means
    that if it never stops, it is permanent (a 403: the service refuses this client)."""

    def __init__(self, message: str, lasting: bool = False):
        super().__init__(message)
        self.lasting = lasting


class PermanentEngineError(EngineError):
    """Retrying will not help (bad voice, missing model, service refuses us)."""

    exit_code = 3


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


@runtime_checkable
class Engine(Protocol):
    name: str
    sample_rate: int
    max_chars: int  # longest speech text one synthesize() call takes
    speaks_latin: bool  # False: Latin words are spelled before they reach the engine
    default_jobs: int

    def voices(self) -> list[Voice]: ...

    def default_voice(self) -> str: ...

    def signature(self, voice: str, rate: str) -> str:
        """Everything besides the text that changes the sound (goes into chunk keys)."""
        ...

    def synthesize(self, chunk: Chunk, voice: str, rate: str) -> Clip: ...


def to_int16(audio: np.ndarray) -> np.ndarray:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)
