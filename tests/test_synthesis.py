"""Retries under one budget per build: a limping engine finishes, a dead one stops in bounded time."""

from __future__ import annotations

import random
import threading
import time

import pytest

from tingbao import plan_article
from tingbao.cache import ClipCache
from tingbao.engines.base import DEFAULT_SPEC, VoiceSpec
from tingbao.errors import PermanentEngineError, RefusedEngineError, TransientEngineError
from tingbao.retries import ChunkTries, RetryBudget
from tingbao.speech.chunking import make_chunks
from tingbao.synthesis import synthesize_all

from .conftest import EXAMPLE
from .fakes import ToneEngine

TONE = VoiceSpec("tone")


class FlakyEngine(ToneEngine):
    """ToneEngine whose calls fail as `decide(chunk key, call number of that chunk)` says."""

    def __init__(self, decide):
        super().__init__()
        self.decide = decide
        self.tries: dict[str, int] = {}
        self.failed = 0

    def synthesize(self, chunk, spec=DEFAULT_SPEC):
        with self._lock:
            n = self.tries[chunk.key] = self.tries.get(chunk.key, 0) + 1
        error = self.decide(chunk.key, n)
        if error is not None:
            with self._lock:
                self.failed += 1
            raise error
        return super().synthesize(chunk, spec)


@pytest.fixture(autouse=True)
def _patient(monkeypatch):
    """A loaded test machine must not look like a dead service (tests of the stall rule set their own)."""
    monkeypatch.setattr("tingbao.retries.STALL_PER_DELAY", 100_000)


@pytest.fixture
def chunks():
    article = plan_article(EXAMPLE, max_chars=ToneEngine.max_chars, speaks_latin=False)
    found = make_chunks(article, ToneEngine.max_chars, "tone")
    return list({c.key: c for c in found}.values())


def test_thirty_percent_faults_never_fail_a_build(chunks, tmp_path):
    rng = random.Random(7)
    lock = threading.Lock()

    def decide(key, n):
        with lock:
            return TransientEngineError("dropped") if rng.random() < 0.3 else None

    for run in range(3):
        engine = FlakyEngine(decide)
        result = synthesize_all(chunks, engine, TONE, ClipCache(tmp_path / f"c{run}"), jobs=3,
                                attempts=1, retry_delay=0.001)
        assert result.synthesized == len(chunks) and engine.failed > 0


def test_a_chunk_keeps_trying_while_others_succeed(chunks, tmp_path):
    stubborn = chunks[0].key
    engine = FlakyEngine(lambda key, n: TransientEngineError("dropped") if key == stubborn and n <= 6 else None)
    result = synthesize_all(chunks, engine, TONE, ClipCache(tmp_path), jobs=2, attempts=2,
                            retry_delay=0.001)
    assert result.synthesized == len(chunks) and engine.tries[stubborn] == 7  # far beyond 2 attempts


def test_refusals_never_use_up_attempts(chunks, tmp_path):
    engine = FlakyEngine(lambda key, n: RefusedEngineError("HTTP 429") if n <= 3 else None)
    result = synthesize_all(chunks, engine, TONE, ClipCache(tmp_path), jobs=3, attempts=1,
                            retry_delay=0.001)
    assert result.synthesized == len(chunks) and engine.failed == 3 * len(chunks)


def test_a_dead_engine_stops_in_bounded_time_and_says_how_to_resume(chunks, tmp_path, monkeypatch):
    monkeypatch.setattr("tingbao.retries.STALL_PER_DELAY", 200)  # 0.2 s without a success
    good = {c.key for c in chunks[:3]}
    engine = FlakyEngine(lambda key, n: None if key in good else TransientEngineError("the service sent no audio"))
    start = time.monotonic()
    with pytest.raises(TransientEngineError) as caught:
        synthesize_all(chunks, engine, TONE, ClipCache(tmp_path), jobs=1, attempts=3, retry_delay=0.001)
    assert time.monotonic() - start < 10
    message = str(caught.value)
    assert message.startswith("the service sent no audio (")
    assert message.endswith(f"rerun the same command to resume (3 of {len(chunks)} parts are saved)")
    assert max(engine.tries[k] for k in engine.tries if k not in good) >= 3


def test_a_refusal_that_never_stops_is_permanent(chunks, tmp_path, monkeypatch):
    monkeypatch.setattr("tingbao.retries.STALL_PER_DELAY", 200)
    engine = FlakyEngine(lambda key, n: RefusedEngineError("refused (HTTP 403)", lasting=True))
    with pytest.raises(PermanentEngineError, match=r"HTTP 403.*\(0 of \d+ parts are saved\)"):
        synthesize_all(chunks, engine, TONE, ClipCache(tmp_path), jobs=2, attempts=2, retry_delay=0.001)


def test_the_budget_of_the_build_runs_out(chunks, tmp_path):
    # every chunk fails 3 times before it works: 3 failures per chunk > attempts=2 per chunk
    engine = FlakyEngine(lambda key, n: TransientEngineError("dropped") if n <= 3 else None)
    with pytest.raises(TransientEngineError, match="failed requests in this build"):
        synthesize_all(chunks, engine, TONE, ClipCache(tmp_path), jobs=2, attempts=2, retry_delay=0.001)


def test_permanent_errors_stop_at_once_without_retries(chunks, tmp_path):
    engine = FlakyEngine(lambda key, n: PermanentEngineError("voice files missing"))
    with pytest.raises(PermanentEngineError) as caught:
        synthesize_all(chunks, engine, TONE, ClipCache(tmp_path), jobs=2, attempts=4, retry_delay=0.001)
    assert str(caught.value) == "voice files missing" and max(engine.tries.values()) == 1


def test_budget_streak_resets_when_another_chunk_succeeds():
    budget = RetryBudget(attempts=2, todo=10, retry_delay=0.0, stall=0.0)
    tries = ChunkTries()
    assert budget.failed(tries, TransientEngineError("x"))[0] is not None
    budget.succeeded()  # elsewhere
    assert budget.failed(tries, TransientEngineError("x"))[0] is not None and tries.streak == 1
    wait, why = budget.failed(tries, TransientEngineError("x"))
    assert wait is None and "nothing succeeded" in why
    assert budget.refusals == 0 and budget.failures == 3
