"""StreamingLoudness measures what pyloudnorm measures on the whole array, however it is fed."""

import numpy as np
import pyloudnorm
import pytest

from tingbao.loudness import StreamingLoudness

RATE = 24000


def _signals() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    t = np.arange(RATE * 6) / RATE
    tone = 0.3 * np.sin(2 * np.pi * 440 * t)
    # speech-like: bursts of band-limited noise with gaps (the relative gate matters here)
    bursts = rng.normal(0, 0.2, len(t)) * (np.sin(2 * np.pi * 1.3 * t) > 0.2)
    quiet_then_loud = np.concatenate([0.001 * np.sin(2 * np.pi * 200 * t[: RATE * 3]),
                                      0.5 * np.sin(2 * np.pi * 1000 * t[: RATE * 3])])
    low = 0.4 * np.sin(2 * np.pi * 60 * t)  # below the high-pass corner: weighting must show
    return {"tone": tone, "bursts": bursts, "quiet_then_loud": quiet_then_loud, "low": low}


@pytest.mark.parametrize("name", list(_signals()))
@pytest.mark.parametrize("piece", [RATE * 10, 997, 2400])  # one call; odd sizes; exactly one segment
def test_matches_pyloudnorm(name, piece):
    signal = _signals()[name]
    meter = StreamingLoudness(RATE)
    for start in range(0, len(signal), piece):
        meter.add(signal[start:start + piece])
    expected = pyloudnorm.Meter(RATE).integrated_loudness(signal)
    assert meter.integrated() == pytest.approx(expected, abs=0.01)


def test_int16_samples_are_scaled_like_floats():
    signal = _signals()["bursts"]
    as_int = np.round(signal * 32767).astype(np.int16)
    a, b = StreamingLoudness(RATE), StreamingLoudness(RATE)
    a.add(as_int)
    b.add(as_int.astype(np.float64) / 32768.0)
    assert a.integrated() == pytest.approx(b.integrated(), abs=1e-9)


def test_loudness_follows_the_level():
    meter_a, meter_b = StreamingLoudness(RATE), StreamingLoudness(RATE)
    tone = _signals()["tone"]
    meter_a.add(tone)
    meter_b.add(tone / 2)  # half the amplitude: 6.02 dB quieter
    assert meter_a.integrated() - meter_b.integrated() == pytest.approx(20 * np.log10(2), abs=0.01)


def test_silence_and_too_short_are_minus_infinity():
    meter = StreamingLoudness(RATE)
    meter.add(np.zeros(RATE * 2))
    assert meter.integrated() == float("-inf")
    short = StreamingLoudness(RATE)
    short.add(_signals()["tone"][: RATE // 5])  # under one 400 ms block
    assert short.integrated() == float("-inf")


@pytest.mark.parametrize("rate", [22050, 24000, 44100, 48000])
def test_filters_are_pyloudnorms_k_weighting(rate):
    ours = StreamingLoudness(rate)._filters
    theirs = [(f.b, f.a, f.passband_gain) for f in pyloudnorm.Meter(rate)._filters.values()]  # test-only peek
    assert len(ours) == len(theirs)
    for (b, a, g), (tb, ta, tg) in zip(ours, theirs, strict=True):
        assert np.array_equal(b, tb) and np.array_equal(a, ta) and g == tg


def test_long_input_is_measured_in_blocks_to_the_same_figure():
    """add() cuts long input into blocks at 100 ms segment ends (small float64 copies); the segment
    energies are those of filtering the whole input in one call (to float rounding: the FFT blocks fall
    elsewhere), also after a partial segment."""
    from tingbao.loudness import BLOCK_SEGMENTS

    rate = 24000
    rng = np.random.default_rng(7)
    samples = (rng.standard_normal(rate * 60) * 3000).astype(np.int16)  # longer than one block
    assert len(samples) > 2 * BLOCK_SEGMENTS * rate // 10
    blocked, one_call = StreamingLoudness(rate), StreamingLoudness(rate)
    for feed in (blocked.add, one_call._add):
        feed(samples[:1001])  # leaves a partial segment: the next block must first complete it
        feed(samples[1001:])
    assert blocked._energies == pytest.approx(one_call._energies, rel=1e-12)
    assert blocked._partial == pytest.approx(one_call._partial, rel=1e-12)
    assert blocked.integrated() == pytest.approx(one_call.integrated(), abs=1e-9)


def test_the_meter_does_not_import_scipy():
    """The meter runs beside the offline voice: scipy.signal would add ~66 MB to the build's peak."""
    import subprocess
    import sys

    code = ("import sys, numpy as np; from tingbao.loudness import StreamingLoudness as S; m = S(24000); "
            "m.add(np.ones(48000, dtype=np.int16)); m.integrated(); print('scipy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"
