"""The `local` engine: the offline Baker voice run by LiteRT, no TensorFlow, no network."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time

import numpy as np

from ...article import Chunk
from ..base import Clip, PermanentEngineError, Voice, to_int16
from . import model as M
from .frontend import FRONTEND_VERSION, to_symbols

VOICE = Voice("baker", "female", "zh-CN", M.SAMPLE_RATE,
              "标贝 Baker corpus, FastSpeech2 + MB-MelGAN (research / non-commercial data licence)")
EDGE_SILENCE = 0.04  # seconds of silence kept at each end of a sentence; assembly sets the real pauses


class LocalEngine:
    name = "local"
    sample_rate = M.SAMPLE_RATE
    max_chars = 120
    speaks_latin = False
    # Measured on 2 cores (scripts/bench.py): one interpreter pair per worker thread with one
    # LiteRT thread each beats one pair using LiteRT's own 2 threads by ~10%.
    default_jobs = os.cpu_count() or 1

    def __init__(self, model_dir: str | None = None, threads: int | None = None, lexicon: dict[str, str] | None = None,
                 auto_fetch: bool = True, progress=lambda message: None, **_ignored):
        self._model_dir = model_dir
        self._threads = threads
        self._lexicon = dict(lexicon or {})
        self._auto_fetch = auto_fetch
        self._progress = progress
        self._files: M.ModelFiles | None = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self.model_seconds = 0.0  # time inside the two LiteRT invokes (for the benchmark)
        self._workers = 1

    def prepare(self, jobs: int) -> None:
        """Called by the scheduler before synthesis: share the cores among `jobs` workers."""
        self._workers = max(1, jobs)

    # ---- protocol
    def voices(self) -> list[Voice]:
        return [VOICE]

    def default_voice(self) -> str:
        return VOICE.name

    def signature(self, voice: str, rate: str) -> str:
        lexicon = hashlib.sha256(json.dumps(self._lexicon, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return f"local/{M.MODEL_ID}/{voice or VOICE.name}/{rate}/{FRONTEND_VERSION}/{lexicon[:12]}"

    def synthesize(self, chunk: Chunk, voice: str = "", rate: str = "+0%") -> Clip:
        if voice not in ("", VOICE.name):
            raise PermanentEngineError(f"unknown voice {voice!r} for the local engine (it has one: {VOICE.name})")
        speed = 1.0 / (1 + int(rate.rstrip("%")) / 100)  # FastSpeech2 scales durations: <1 is faster
        pieces, ends, total, notes = [], [], 0, []
        for sentence in chunk.sentences:
            ids, unreadable = self.phone_ids(sentence.speech)
            if unreadable:
                notes.append(f"unreadable characters skipped: {''.join(unreadable)} in “{sentence.text.strip()}”")
            if ids:
                audio = _trim(self._run(ids, speed))
                pieces.append(audio)
                total += len(audio)
            ends.append(total)
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)
        return Clip(samples, self.sample_rate, ends, notes)

    # ---- internals
    def files(self) -> M.ModelFiles:
        with self._lock:
            if self._files is None:
                self._files = M.load(self._model_dir, self._auto_fetch, self._progress)
            return self._files

    def phone_ids(self, speech: str) -> tuple[list[int], list[str]]:
        files = self.files()
        result = to_symbols(speech, files.pinyin_dict, self._lexicon)
        return [files.symbol_to_id[s] for s in result.symbols], result.unreadable

    def _interpreters(self):
        """One pair per worker thread, created once (LiteRT releases the GIL while invoking)."""
        pair = getattr(self._local, "pair", None)
        if pair is None:
            from ai_edge_litert.interpreter import Interpreter

            files = self.files()
            threads = self._threads or max(1, (os.cpu_count() or 1) // self._workers)
            pair = (Interpreter(model_content=files.acoustic, num_threads=threads),
                    Interpreter(model_content=files.vocoder, num_threads=threads), [0])
            self._local.pair = pair
        return pair

    def _run(self, ids: list[int], speed: float) -> np.ndarray:
        acoustic, vocoder, last_length = self._interpreters()
        start = time.perf_counter()
        inputs = acoustic.get_input_details()
        if last_length[0] == len(ids):
            # A resize forces LiteRT to re-prepare the graph, which re-seeds the dropout's
            # RANDOM_UNIFORM: every sentence then sounds the same whatever ran before it.
            acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids) + 1])
            acoustic.allocate_tensors()
        acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        acoustic.allocate_tensors()
        last_length[0] = len(ids)
        audio = run_vocoder_windowed(vocoder, run_acoustic(acoustic, ids, speed))
        with self._lock:
            self.model_seconds += time.perf_counter() - start
        if not np.all(np.isfinite(audio)):
            raise PermanentEngineError("the offline voice produced invalid audio (NaN); the model files may be damaged")
        return to_int16(audio)


VOCODER_WINDOW = 256  # mel frames per vocoder call
VOCODER_CONTEXT = 32  # frames of context each side; MB-MelGAN's receptive field is smaller, so the
# windowed output is bit-identical to one long call (checked), while memory stays bounded (one
# 20 s sentence in one call peaked at 1.3 GB) and the smaller arena runs faster.


def run_acoustic(acoustic, ids: list[int], speed: float = 1.0) -> np.ndarray:
    """FastSpeech2: phone ids -> mel [1, T, 80] (the input must already be sized to len(ids))."""
    inputs = acoustic.get_input_details()
    acoustic.set_tensor(inputs[0]["index"], np.array([ids], dtype=np.int32))
    acoustic.set_tensor(inputs[1]["index"], np.array([0], dtype=np.int32))
    acoustic.set_tensor(inputs[2]["index"], np.array([speed], dtype=np.float32))
    acoustic.set_tensor(inputs[3]["index"], np.array([1.0], dtype=np.float32))
    acoustic.set_tensor(inputs[4]["index"], np.array([1.0], dtype=np.float32))
    acoustic.invoke()
    return acoustic.get_tensor(acoustic.get_output_details()[1]["index"])


def run_vocoder(vocoder, mel: np.ndarray) -> np.ndarray:
    """MB-MelGAN in one call: mel [1, T, 80] -> float audio [T * 300]."""
    v_in = vocoder.get_input_details()[0]["index"]
    vocoder.resize_tensor_input(v_in, mel.shape)
    vocoder.allocate_tensors()
    vocoder.set_tensor(v_in, mel)
    vocoder.invoke()
    return vocoder.get_tensor(vocoder.get_output_details()[0]["index"])[0, :, 0].copy()


def run_vocoder_windowed(vocoder, mel: np.ndarray) -> np.ndarray:
    frames = mel.shape[1]
    if frames <= VOCODER_WINDOW + 2 * VOCODER_CONTEXT:
        return run_vocoder(vocoder, mel)
    pieces = []
    for start in range(0, frames, VOCODER_WINDOW):
        lo, hi = max(0, start - VOCODER_CONTEXT), min(frames, start + VOCODER_WINDOW + VOCODER_CONTEXT)
        audio = run_vocoder(vocoder, np.ascontiguousarray(mel[:, lo:hi, :]))
        keep = min(VOCODER_WINDOW, frames - start)
        pieces.append(audio[(start - lo) * M.HOP:(start - lo + keep) * M.HOP])
    return np.concatenate(pieces)


def invoke_models(acoustic, vocoder, ids: list[int], speed: float = 1.0) -> np.ndarray:
    """The two plain LiteRT invokes (what the benchmark calls the bare model)."""
    return run_vocoder(vocoder, run_acoustic(acoustic, ids, speed))


def _trim(audio: np.ndarray, rate: int = M.SAMPLE_RATE) -> np.ndarray:
    """Cut the vocoder's leading/trailing silence down to EDGE_SILENCE."""
    frame = rate // 100
    n = len(audio) // frame
    if n == 0:
        return audio
    rms = np.sqrt(np.mean(audio[: n * frame].astype(np.float32).reshape(n, frame) ** 2, axis=1))
    loud = np.nonzero(rms > max(rms.max() * 0.03, 30.0))[0]
    if len(loud) == 0:
        return audio[:0]
    keep = int(EDGE_SILENCE * rate)
    start = max(0, loud[0] * frame - keep)
    end = min(len(audio), (loud[-1] + 1) * frame + keep)
    return audio[start:end]
