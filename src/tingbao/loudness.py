"""Integrated loudness (ITU-R BS.1770, gated) measured as a stream, chunk by chunk.

pyloudnorm measures a whole array at once (and copies it); an edition may be hours long,
so we run the same K-weighting with carried state and keep only the energy of each 100 ms
segment (a 400 ms gating block is four of them). The two biquads are pyloudnorm's "K-weighting"
(its RBJ-cookbook formulas for the BS.1770 pre-filter at any sample rate, coefficient for
coefficient). They are applied as one FIR: the cascade's impulse response, cut where it has
decayed below 1e-17 of its peak, convolved by FFT with the tail carried between calls. Written
by hand because the one library filter (scipy.signal.lfilter, which pyloudnorm uses) costs
~66 MB resident to import, and the meter now runs beside the offline voice, whose build must
stay under 400 MB. The gating follows BS.1770-4 as pyloudnorm implements it
(tests/test_loudness.py compares the two).
"""

from __future__ import annotations

import numpy as np

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
BLOCK_SEGMENTS = 256  # 25.6 s of samples given to the filter at a time
FFT_SIZE = 1 << 16  # samples per FFT: small float64 copies (a few MB), a few FFTs per second of audio


def k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """pyloudnorm's K-weighting biquads (b, a, passband gain): a +4 dB high shelf at 1500 Hz, Q 1/sqrt(2),
    then the RLB high-pass at 38 Hz, Q 0.5 (RBJ cookbook, normalised by a0)."""
    out = []
    for kind, gain_db, q, fc in (("high_shelf", 4.0, 1 / np.sqrt(2), 1500.0), ("high_pass", 0.0, 0.5, 38.0)):
        A = 10 ** (gain_db / 40.0)  # noqa: N806 - the cookbook's names
        w0 = 2.0 * np.pi * (fc / rate)
        alpha = np.sin(w0) / (2.0 * q)
        if kind == "high_shelf":
            b0 = A * ((A + 1) + (A - 1) * np.cos(w0) + 2 * np.sqrt(A) * alpha)
            b1 = -2 * A * ((A - 1) + (A + 1) * np.cos(w0))
            b2 = A * ((A + 1) + (A - 1) * np.cos(w0) - 2 * np.sqrt(A) * alpha)
            a0 = (A + 1) - (A - 1) * np.cos(w0) + 2 * np.sqrt(A) * alpha
            a1 = 2 * ((A - 1) - (A + 1) * np.cos(w0))
            a2 = (A + 1) - (A - 1) * np.cos(w0) - 2 * np.sqrt(A) * alpha
        else:
            b0, b1, b2 = (1 + np.cos(w0)) / 2, -(1 + np.cos(w0)), (1 + np.cos(w0)) / 2
            a0, a1, a2 = 1 + alpha, -2 * np.cos(w0), 1 - alpha
        out.append((np.array([b0, b1, b2]) / a0, np.array([a0, a1, a2]) / a0, 1.0))
    return out


def _impulse_response(filters, rate: int) -> np.ndarray:
    """The cascade's impulse response (direct form I, run once), cut once it has died away."""
    n = max(64, rate)  # the 38 Hz high-pass's double pole decays to 1e-17 within ~0.25 s at any rate
    signal = [0.0] * n
    signal[0] = 1.0
    for b, a, gain in filters:
        b0, b1, b2 = (float(v) for v in b)
        _, a1, a2 = (float(v) for v in a)
        out, x1, x2, y1, y2 = [], 0.0, 0.0, 0.0, 0.0
        for x in signal:
            y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            out.append(y * gain)
            x1, x2, y1, y2 = x, x1, y, y1
        signal = out
    h = np.array(signal)
    alive = np.nonzero(np.abs(h) > np.abs(h).max() * 1e-17)[0]
    return h[: alive[-1] + 1]


class StreamingLoudness:
    def __init__(self, rate: int):
        self.rate = rate
        self.segment = int(round(rate * 0.1))
        self._filters = k_weighting(rate)
        self._h = _impulse_response(self._filters, rate)
        self._step = FFT_SIZE - len(self._h) + 1  # input samples per FFT
        self._spectrum = np.fft.rfft(self._h, FFT_SIZE)
        self._tail = np.zeros(len(self._h) - 1)  # what earlier input still adds to the next samples
        self._energies: list[float] = []
        self._partial = 0.0
        self._partial_n = 0

    def add(self, samples: np.ndarray) -> None:
        """Feed int16 (or float in [-1, 1]) mono samples in programme order.

        Fed in blocks cut where a 100 ms segment ends, so every segment is summed as in one call
        while the float64 copies stay small: a whole chapter at once cost the cold build +130 MB."""
        step = BLOCK_SEGMENTS * self.segment
        head = (self.segment - self._partial_n) % self.segment
        edges = [0, *range(head, len(samples), step), len(samples)]
        for a, b in zip(edges, edges[1:], strict=False):
            if b > a:
                self._add(samples[a:b])

    def _weighted(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(len(x))
        taps = len(self._tail)
        for start in range(0, len(x), self._step):
            piece = x[start:start + self._step]
            y = np.fft.irfft(np.fft.rfft(piece, FFT_SIZE) * self._spectrum, FFT_SIZE)[: len(piece) + taps]
            y[:taps] += self._tail
            out[start:start + len(piece)] = y[: len(piece)]
            self._tail = y[len(piece):].copy()
        return out

    def _add(self, samples: np.ndarray) -> None:
        x = self._weighted(samples.astype(np.float64) / (32768.0 if samples.dtype == np.int16 else 1.0))
        squared = x * x
        start = 0
        if self._partial_n:
            take = min(self.segment - self._partial_n, len(squared))
            self._partial += float(squared[:take].sum())
            self._partial_n += take
            start = take
            if self._partial_n == self.segment:
                self._energies.append(self._partial)
                self._partial, self._partial_n = 0.0, 0
        whole = (len(squared) - start) // self.segment
        if whole:
            body = squared[start:start + whole * self.segment].reshape(whole, self.segment).sum(axis=1)
            self._energies.extend(body.tolist())
        rest = squared[start + whole * self.segment:]
        if len(rest):
            self._partial += float(rest.sum())
            self._partial_n += len(rest)

    def integrated(self) -> float:
        seg = np.array(self._energies)
        if len(seg) < 4:
            return float("-inf")
        z = np.convolve(seg, np.ones(4), mode="valid") / (4 * self.segment)  # 400 ms blocks, 100 ms hop
        with np.errstate(divide="ignore"):
            blocks = -0.691 + 10 * np.log10(z)
            above_absolute = blocks >= ABSOLUTE_GATE
            if not above_absolute.any():
                return float("-inf")
            relative = -0.691 + 10 * np.log10(z[above_absolute].mean()) + RELATIVE_GATE
            gated = (blocks > relative) & above_absolute
            return float(-0.691 + 10 * np.log10(z[gated].mean()))
