"""Long sentences in model-sized pieces: FastSpeech2's limits, where a symbol sequence is cut, and
the check every synthesised piece passes before it is kept.

The limits, read from the acoustic model's graph with LiteRT (`get_tensor_details()`: the only
table with 2,049 rows; `_get_ops_details()`: the GATHERs that read it) and then measured:
- Both position lookups read one table, `embeddings/position_embeddings` [2049, 256] int8: the
  sinusoid of TensorFlowTTS (equal to sin/cos within int8 rounding), row 0 the padding. The encoder
  gathers rows 1..N for N input symbols (node 18), the decoder rows 1..T for T mel frames after
  the length regulator (node 485, the “gather index out of bounds” one). Hard limits: 2,048 symbols
  and 2,048 frames. Measured: 392 symbols -> 1,958 frames ran, the next 10 characters failed at
  node 485 (frames run out long before symbols: ~5.5 frames a symbol).
- Long before that the voice degrades. The regulator is exact (the mel always has
  sum(durations) frames) but past ~770 frames (~9.6 s; longer than Baker's recordings) the
  decoder loses its place: durations drift against the content, the last syllables are not in the
  mel, and it ends still loud. Sweeping comma-free text over the example article (36–60 characters
  in steps of 3, 4 starting points): all 15 inputs up to 762 frames ended in silence; of the 17 from
  773 frames on, 13 ended loud. MAX_FRAMES keeps a margin below that.
"""

from __future__ import annotations

import numpy as np

POSITIONS = 2048  # rows of the position table after the padding row: symbols in, frames out
MAX_FRAMES = 640  # 8 s of mel per model call: the quality limit above, with a margin
FRAMES_PER_SYMBOL = 5.6  # an input this estimate puts over MAX_FRAMES is cut before the model runs; the
# rest run once and their predicted durations decide. Sentences take 4.6–7.7 frames a symbol (median
# 5.8): at 4.5, inputs of 101–142 symbols ran, and on the seed 49 of 257 calls (on the example 12 of
# 86) were thrown away for predicting over MAX_FRAMES. At 5.6 the cut starts at 115 symbols: no piece
# of either article that was kept is cut (the longest kept had 113), and 35 of those 49 calls (9 of
# the 12) are not made. Symbols come in steps of 3 (initial, final, mark), so 113 vs 116 is the whole margin
END_SECONDS = 0.03  # the tail a piece must end quietly in …
END_DB = 30.0  # … this far below its own speech level (cut endings measured 6–18 dB, whole ones > 150)
SHORT_FRAMES = 320  # the decoder loses its place only on long inputs: a shorter piece that ends loud
# (headings like 暖民生 at -27 dBFS, single syllables) has only a final pause too short for its last
# syllable to fade; ending it with a clause mark and a doubled final sil gave every one we tried silence
MAX_DEPTH = 64  # cuts per sentence; past half of it any mark nearest the middle will do
_STRENGTH = {"#3": 3, "#2": 2, "#1": 1, "#0": 0}  # clause (，；：), phrase (、 and long runs), word, syllable
PAUSES = {3: 0.15, 2: 0.08, 1: 0.0, 0: 0.0}  # seconds added between pieces cut at that strength


def fits_positions(n_symbols: int, speed: float) -> bool:
    """Cheap check before the acoustic model runs: could this input fit in one call at all?"""
    return n_symbols <= POSITIONS and n_symbols * FRAMES_PER_SYMBOL * speed <= MAX_FRAMES


def split_symbols(symbols: list[str], balanced: bool = False) -> tuple[list[str], list[str], int] | None:
    """Cut ``sil … sil eos`` in two at the strongest prosody mark nearest the middle (``balanced``:
    at any mark nearest the middle, so a chain of lopsided cuts cannot go on for ever).

    Returns both halves (each again ``sil … sil eos``) and the strength of the mark cut at, or
    None when only one syllable is left. The mark itself is dropped: a half ends like a sentence.
    """
    inner = symbols[1:-2]
    marks = [(i, _STRENGTH[s]) for i, s in enumerate(inner) if s in _STRENGTH and 0 < i < len(inner) - 1]
    if not marks:
        return None
    strongest = 0 if balanced else max(strength for _, strength in marks)
    middle = len(inner) / 2
    cut = min((i for i, strength in marks if strength >= strongest), key=lambda i: abs(i - middle))
    strongest = _STRENGTH[inner[cut]]
    head, tail = _strip_marks(inner[:cut]), _strip_marks(inner[cut + 1:])
    if not head or not tail:
        return None
    return ["sil", *head, "sil", "eos"], ["sil", *tail, "sil", "eos"], strongest


def _strip_marks(symbols: list[str]) -> list[str]:
    start, end = 0, len(symbols)
    while start < end and symbols[start] in _STRENGTH:
        start += 1
    while end > start and symbols[end - 1] in _STRENGTH:
        end -= 1
    return symbols[start:end]


def with_room_to_end(symbols: list[str]) -> list[str]:
    """``… sil eos`` -> ``… #3 sil sil eos``: a longer final pause (see SHORT_FRAMES)."""
    return [*symbols[:-2], "#3", "sil", "sil", "eos"]


def tail_gap_db(audio: np.ndarray, rate: int) -> float:
    """How far (dB) the last END_SECONDS lie below the speech level (the 90th percentile of 10 ms RMS)."""
    frame = rate // 100
    n = len(audio) // frame
    tail = audio[-int(END_SECONDS * rate):].astype(np.float64)
    if n < 5 or len(tail) == 0:
        return float("inf")
    rms = np.sqrt(np.mean(audio[: n * frame].astype(np.float64).reshape(n, frame) ** 2, axis=1))
    level = float(np.percentile(rms, 90))
    end = float(np.sqrt(np.mean(tail**2)))
    return 20 * np.log10(max(level, 1e-9) / max(end, 1e-9))


def piece_problem(frames: int, durations_total: int, audio_len: int, hop: int, rate: int,
                  audio: np.ndarray) -> str | None:
    """Why a synthesised piece may not be kept, or None: its length must be what the durations
    predicted and it must end in silence (a voice still speaking at the end lost its ending)."""
    if frames != durations_total or audio_len != frames * hop:
        return f"{audio_len} samples for {durations_total} predicted frames"
    gap = tail_gap_db(audio, rate)
    if gap < END_DB:
        return f"ends only {gap:.0f} dB below its speech level"
    return None


def dbfs(samples: np.ndarray) -> float:
    """RMS level of int16 samples in dBFS (-inf for digital silence)."""
    if len(samples) == 0:
        return float("-inf")
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) / 32768
    return 20 * np.log10(rms) if rms > 0 else float("-inf")


def end_dbfs(samples: np.ndarray, rate: int, seconds: float = END_SECONDS) -> float:
    """Level of a clip's last `seconds` (the bench's “ends above −40 dBFS” figure)."""
    return dbfs(samples[-int(seconds * rate):])
