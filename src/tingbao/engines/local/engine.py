"""The `local` engine: the offline Baker voice run by LiteRT, no TensorFlow, no network."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import os
import sys
import threading
import time
from functools import lru_cache

import numpy as np

from ...article import Chunk
from ...errors import PermanentEngineError
from ...zh import compact_posseg
from ..base import DEFAULT_SPEC, Clip, Voice, VoiceSpec, to_int16
from . import model as M
from . import pieces as P
from .frontend import FRONTEND_VERSION, to_symbols
from .quiet import quiet_interpreter

VOICE = Voice("baker", "female", "zh-CN", M.SAMPLE_RATE,
              "标贝 Baker corpus, FastSpeech2 + MB-MelGAN (research / non-commercial data licence)")
EDGE_SILENCE = 0.04  # seconds of silence kept at each end of a sentence; assembly sets the real pauses


class LocalEngine:
    name = "local"
    sample_rate = M.SAMPLE_RATE
    max_chars = 120
    speaks_latin = False
    # One interpreter pair using LiteRT's threads on every core: two pairs (one per worker, one
    # thread each) synthesised the seed ~15% faster on an idle machine (more under load) but held
    # ~300 MB more (700 vs 390 MB synthesising the seed), and the jieba/pypinyin frontend alone
    # holds ~265 MB (scripts/bench.py --only engine --only cold; `--jobs 2` buys the speed back).
    default_jobs = 1

    def __init__(self, model_dir: str | None = None, threads: int | None = None, lexicon: dict[str, str] | None = None,
                 auto_fetch: bool = True, progress=lambda message: None):
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
        self.kept_pieces: list[list[int]] | None = None  # the benchmark sets a list: ids of every piece kept

    def prepare(self, jobs: int) -> None:
        """Called by the scheduler before synthesis: share the cores among `jobs` workers."""
        self._workers = max(1, jobs)

    # ---- protocol
    def voices(self) -> list[Voice]:
        return [VOICE]

    def default_voice(self) -> str:
        return VOICE.name

    def signature(self, spec: VoiceSpec) -> str:
        # volume and pitch are not the model's to change (loudness is set in assembly): left out
        lexicon = hashlib.sha256(json.dumps(self._lexicon, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return f"local/{M.MODEL_ID}/{spec.voice or VOICE.name}/{spec.rate}/{FRONTEND_VERSION}/{lexicon[:12]}"

    def synthesize(self, chunk: Chunk, spec: VoiceSpec = DEFAULT_SPEC) -> Clip:
        speed = 1.0 / (1 + int(spec.rate.rstrip("%")) / 100)  # FastSpeech2 scales durations: <1 is faster
        pieces, ends, total, notes = [], [], 0, []
        for sentence in chunk.sentences:
            symbols, unreadable = self.symbols(sentence.speech)
            if unreadable:
                notes.append(f"unreadable characters skipped: {''.join(unreadable)} in “{sentence.text.strip()}”")
            if symbols:
                audio = self._speak(symbols, speed, notes)
                pieces.append(audio)
                total += len(audio)
            ends.append(total)
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)
        return Clip(samples, self.sample_rate, ends, notes)

    # ---- internals
    def files(self) -> M.ModelFiles:
        with self._lock:
            if self._files is None:
                _mmap_large_buffers()  # before the model bytes and the frontend's tables are allocated
                self._files = M.load(self._model_dir, self._auto_fetch, self._progress)
            return self._files

    def symbols(self, speech: str) -> tuple[list[str], list[str]]:
        result = to_symbols(speech, self.files().pinyin_dict, self._lexicon)
        return result.symbols, result.unreadable

    def phone_ids(self, speech: str) -> tuple[list[int], list[str]]:
        symbols, unreadable = self.symbols(speech)
        return self._ids(symbols), unreadable

    def _ids(self, symbols: list[str]) -> list[int]:
        table = self.files().symbol_to_id
        return [table[s] for s in symbols]

    def _speak(self, symbols: list[str], speed: float, notes: list[str], depth: int = 0) -> np.ndarray:
        """One sentence in one model call when it fits and comes out whole, else its two halves
        (cut at the strongest prosody mark nearest the middle) joined by a short pause."""
        audio, problem, frames = None, "too long for the position table", 0
        if P.fits_positions(len(symbols), speed):
            audio, problem, frames = self._attempt(symbols, speed)
        if problem is None:
            return audio
        if audio is not None and frames < P.SHORT_FRAMES:
            roomy, problem, _ = self._attempt(P.with_room_to_end(symbols), speed)
            if problem is None:
                return roomy
        halves = P.split_symbols(symbols, balanced=depth > P.MAX_DEPTH // 2) if depth < P.MAX_DEPTH else None
        if halves is None:  # one syllable left: keep what we have rather than fail the book
            notes.append(f"the offline voice could not say one syllable cleanly ({problem})")
            return audio if audio is not None else np.zeros(0, dtype=np.int16)
        head, tail, strength = halves
        pause = np.zeros(int(P.PAUSES[strength] * self.sample_rate), dtype=np.int16)
        return np.concatenate([self._speak(head, speed, notes, depth + 1), pause,
                               self._speak(tail, speed, notes, depth + 1)])

    def _attempt(self, symbols: list[str], speed: float) -> tuple[np.ndarray | None, str | None, int]:
        """Synthesise one piece -> (audio or None, why it may not be kept or None, predicted frames):
        no audio when the acoustic model predicts too many frames."""
        ids = self._ids(symbols)
        acoustic, vocoder, last_length = self._interpreters()
        start = time.perf_counter()
        try:
            mel, durations = self._acoustic(acoustic, last_length, ids, speed)
        except RuntimeError as exc:  # LiteRT's gather past the position table: too long after all
            return None, f"model input limit ({exc})", 0
        predicted = int(durations.sum())
        if predicted > P.MAX_FRAMES:
            return None, f"{predicted} frames predicted", predicted
        raw = run_vocoder_windowed(vocoder, mel)
        with self._lock:
            self.model_seconds += time.perf_counter() - start
        if not np.all(np.isfinite(raw)):
            raise PermanentEngineError("the offline voice produced invalid audio (NaN); the model files may be damaged")
        problem = P.piece_problem(mel.shape[1], predicted, len(raw), M.HOP, self.sample_rate, raw)
        if problem is None and self.kept_pieces is not None:
            self.kept_pieces.append(ids)
        return _trim(to_int16(raw)), problem, predicted

    def _interpreters(self):
        """One pair per worker thread, created once (LiteRT releases the GIL while invoking)."""
        pair = getattr(self._local, "pair", None)
        if pair is None:
            files = self.files()
            with self._lock:
                _compact_frontend()
            threads = self._threads or max(1, (os.cpu_count() or 1) // self._workers)
            pair = (quiet_interpreter(files.acoustic, threads), quiet_interpreter(files.vocoder, threads), [0])
            reserve_vocoder_arena(pair[1])
            self._local.pair = pair
        return pair

    @staticmethod
    def _acoustic(acoustic, last_length: list[int], ids: list[int], speed: float) -> tuple[np.ndarray, np.ndarray]:
        inputs = acoustic.get_input_details()
        if last_length[0] == len(ids):
            # A resize forces LiteRT to re-prepare the graph, which re-seeds the dropout's
            # RANDOM_UNIFORM: every sentence then sounds the same whatever ran before it.
            acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids) + 1])
            acoustic.allocate_tensors()
        acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        acoustic.allocate_tensors()
        last_length[0] = len(ids)
        mel = run_acoustic(acoustic, ids, speed)
        return mel, acoustic.get_tensor(acoustic.get_output_details()[2]["index"])[0]


VOCODER_CALL = 256  # most mel frames per vocoder call: its buffers grow ~0.35 MB a frame (a 640-frame
# call peaked at +230 MB). Each cut costs 2 x VOCODER_CONTEXT frames more: on the example's pieces
# 200 -> 17%, 280 -> 9.5%, 320 -> 7.2%, 400 -> 5.2% more vocoder frames than one call each. Cold seed
# build peak RSS with the buffers sized up front: 320 -> 406 MB (over the 400 MB goal), 280 -> 397-400 MB,
# 256 -> 379-394 MB; engine CPU / bare model CPU on the seed at 256: 1.069 (1.14-1.23 at 200). Per frame a
# call costs the same from ~100 frames on (XNNPACK, 2 threads; LiteRT's default kernels take twice as long).
VOCODER_MIN_FRAMES = 10  # shorter inputs fail in MB-MelGAN's MIRROR_PAD
VOCODER_CONTEXT = 20  # frames of context each side: MB-MelGAN's receptive field is 20 frames (19
# gives differences, 20 none), so the windowed output is bit-identical to one long call
# (tests/test_local_engine.py checks it); each extra window costs 2 x 20 frames of work. Less is no
# trade: on a 900-frame mel cut every 200 frames, 16 frames differ by up to -42 dBFS, 12 by -38.

def reserve_vocoder_arena(vocoder) -> None:
    """One full VOCODER_CALL before the first piece: the vocoder's buffers (XNNPACK's own, sized at
    the first invoke, not at allocate_tensors) only grow, and each growth holds the old and the new
    at once. Sized call by call, the cold seed build's peak RSS was ~15 MB higher (at 200 and 320)."""
    run_vocoder(vocoder, np.full((1, VOCODER_CALL, 80), -4.0, dtype=np.float32))  # 80 mel bins


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
    """MB-MelGAN in as few equal calls of at most VOCODER_CALL frames as cover the mel; the first
    and last call start and end where the mel does, so its edges are padded as in one long call."""
    frames = mel.shape[1]
    if frames < VOCODER_MIN_FRAMES:  # repeat the final (silent) frame, then drop what it added
        padded = np.pad(mel, ((0, 0), (0, VOCODER_MIN_FRAMES - frames), (0, 0)), mode="edge")
        return run_vocoder(vocoder, padded)[: frames * M.HOP]
    if frames <= VOCODER_CALL:
        return run_vocoder(vocoder, mel)
    # n calls of `size` frames keep n * size - 2 * CONTEXT * (n - 1) frames
    n = -(-(frames - 2 * VOCODER_CONTEXT) // (VOCODER_CALL - 2 * VOCODER_CONTEXT))
    size = -(-(frames + 2 * VOCODER_CONTEXT * (n - 1)) // n)
    out = np.empty(frames * M.HOP, dtype=np.float32)
    start = 0
    for k in range(n):
        lo = min(max(0, start - VOCODER_CONTEXT), frames - size)
        end = frames if k == n - 1 else lo + size - VOCODER_CONTEXT
        audio = run_vocoder(vocoder, np.ascontiguousarray(mel[:, lo:lo + size, :]))
        out[start * M.HOP:end * M.HOP] = audio[(start - lo) * M.HOP:(end - lo) * M.HOP]
        start = end
    return out

def invoke_models(acoustic, vocoder, ids: list[int], speed: float = 1.0) -> np.ndarray:
    """The two plain LiteRT invokes (what the benchmark calls the bare model)."""
    return run_vocoder(vocoder, run_acoustic(acoustic, ids, speed))


def _mmap_large_buffers() -> None:
    """Have glibc serve every buffer over 64 KB with its own mmap: LiteRT's arenas and the
    per-window audio then go back to the OS when freed instead of fragmenting the heap (the
    seed's peak RSS drops by 20–30 MB). Process-wide, harmless elsewhere, skipped off glibc."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").mallopt(-3, 64 * 1024)  # -3: M_MMAP_THRESHOLD
        except (OSError, AttributeError):
            pass


@lru_cache(maxsize=1)
def _compact_frontend() -> None:
    """Once the frontend has read its first sentence (its tables are loaded), before the
    interpreters allocate their arenas: share jieba's strings between its two tables and hand
    the heap freed while loading back to the OS, so the arenas do not sit on top of it."""
    compact_posseg()
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass


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
