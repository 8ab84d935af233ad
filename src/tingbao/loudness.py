"""Integrated loudness (ITU-R BS.1770, gated) measured as a stream, chunk by chunk.

pyloudnorm measures a whole array at once (and copies it); an edition may be hours long,
so we run the same K-weighting filters with carried filter state and keep only the energy
of each 100 ms segment (a 400 ms gating block is four of them). The filters are built with
pyloudnorm's public IIRfilter from the parameters its Meter uses for "K-weighting" (the
BS.1770 pre-filter re-derived for any sample rate), so the coefficients are pyloudnorm's own.
The gating follows BS.1770-4 exactly as pyloudnorm implements it (tests/test_loudness.py
compares the two). scipy is imported directly here (lfilter): pyloudnorm depends on it too.
"""

from __future__ import annotations

import numpy as np

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
BLOCK_SEGMENTS = 256  # 25.6 s of samples filtered at a time


class StreamingLoudness:
    def __init__(self, rate: int):
        import pyloudnorm

        self.rate = rate
        self.segment = int(round(rate * 0.1))
        shelf = pyloudnorm.IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf")  # stage 1: the head
        high_pass = pyloudnorm.IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")  # stage 2: RLB weighting
        self._filters = [(f.b, f.a, f.passband_gain) for f in (shelf, high_pass)]
        self._state = [None] * len(self._filters)
        self._energies: list[float] = []
        self._partial = 0.0
        self._partial_n = 0

    def add(self, samples: np.ndarray) -> None:
        """Feed int16 (or float in [-1, 1]) mono samples in programme order.

        Fed in blocks cut where a 100 ms segment ends, so every segment is summed exactly as in one
        call (the same figure to the bit) while the float64 copies stay small: a whole chapter at
        once cost the cold build +130 MB at its peak."""
        step = BLOCK_SEGMENTS * self.segment
        head = (self.segment - self._partial_n) % self.segment
        edges = [0, *range(head, len(samples), step), len(samples)]
        for a, b in zip(edges, edges[1:], strict=False):
            if b > a:
                self._add(samples[a:b])

    def _add(self, samples: np.ndarray) -> None:
        from scipy.signal import lfilter, lfilter_zi

        x = samples.astype(np.float64) / (32768.0 if samples.dtype == np.int16 else 1.0)
        for k, (b, a, gain) in enumerate(self._filters):
            if self._state[k] is None:
                self._state[k] = lfilter_zi(b, a) * 0.0
            x, self._state[k] = lfilter(b, a, x, zi=self._state[k])
            x = x * gain
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
