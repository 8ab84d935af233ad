"""g2pM's BiLSTM polyphone classifier (Park & Lee, Interspeech 2020), run with our own numpy code.

The weights come from the g2pM wheel on PyPI (Apache-2.0, trained on CPP's train split). Its own
__call__ runs the two LSTM directions one matmul per step and picks among all 876 readings; here the
input projections are done for the whole sentence at once and the answer is restricted to the
character's own readings, which is both faster and never yields a reading the character lacks.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

_BOS, _EOS, _UNK = "시", "끝", "<UNK>"  # g2pM's own sentence-boundary tokens


@dataclass(frozen=True)
class _Weights:
    char2idx: dict[str, int]
    readings: dict[str, tuple[str, ...]]  # polyphonic characters only
    class_ids: dict[str, np.ndarray]  # character -> indices of its readings among the classes
    gates_in: np.ndarray  # (2, vocabulary, 128): each character's input projection, both directions
    w_hh: np.ndarray  # (2, 128, 32)
    fc0: tuple[np.ndarray, np.ndarray]
    fc1: tuple[np.ndarray, np.ndarray]


def _load(name: str):
    # The wheel's own files, which its own code also unpickles: as trusted as importing it.
    return pickle.loads(resources.files("g2pM").joinpath(name).read_bytes())  # noqa: S301


@lru_cache(maxsize=1)
def _weights() -> _Weights:
    state = _load("np_ckpt.pkl")
    class2idx: dict[str, int] = _load("class2idx.pkl")
    cedict: dict[str, list[str]] = _load("digest_cedict.pkl")
    poly = {ch: tuple(p for p in prons if p in class2idx) for ch, prons in cedict.items() if len(prons) > 1}
    poly = {ch: prons for ch, prons in poly.items() if len(prons) > 1}

    def get(key: str) -> np.ndarray:
        return np.asarray(state[key], dtype=np.float32)

    emb = get("embedding.weight")
    # Projecting the whole vocabulary once turns the per-sentence input matmul into a lookup:
    # a (T, 64) x (64, 128) product is big enough for OpenBLAS to start its threads, which on a
    # busy machine made long sentences 10-50x slower.
    gates_in = np.stack([emb @ get("lstm.weight_ih_l0").T + get("lstm.bias_ih_l0") + get("lstm.bias_hh_l0"),
                         emb @ get("lstm.weight_ih_l0_reverse").T + get("lstm.bias_ih_l0_reverse")
                         + get("lstm.bias_hh_l0_reverse")])
    return _Weights(
        char2idx=_load("char2idx.pkl"),
        readings=poly,
        class_ids={ch: np.array([class2idx[p] for p in prons]) for ch, prons in poly.items()},
        gates_in=gates_in.astype(np.float32),
        w_hh=np.stack([get("lstm.weight_hh_l0"), get("lstm.weight_hh_l0_reverse")]),
        fc0=(get("logit_layer.0.weight"), get("logit_layer.0.bias")),
        fc1=(get("logit_layer.2.weight"), get("logit_layer.2.bias")),
    )


def polyphonic(char: str) -> bool:
    return char in _weights().readings


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def predict(text: str) -> dict[int, str]:
    """Reading (e.g. "wei2") of every polyphonic character of `text`, by position."""
    w = _weights()
    targets = [i for i, ch in enumerate(text) if ch in w.readings]
    if not targets:
        return {}
    unk = w.char2idx[_UNK]
    ids = [w.char2idx[_BOS]] + [w.char2idx.get(ch, unk) for ch in text] + [w.char2idx[_EOS]]
    index = np.array(ids)
    n = len(ids)
    # (2, T, 128): the backward direction reads the sentence reversed
    gates_in = np.stack([w.gates_in[0][index], w.gates_in[1][index[::-1]]])
    h = np.zeros((2, 32), dtype=np.float32)
    c = np.zeros((2, 32), dtype=np.float32)
    hs = np.empty((2, n, 32), dtype=np.float32)
    for t in range(n):
        g = gates_in[:, t] + np.einsum("dk,dgk->dg", h, w.w_hh)  # einsum: no BLAS threads for tiny products
        s = _sigmoid(g)  # gates i, f, (g), o: one call for all, the g slice is unused
        c = s[:, 32:64] * c + s[:, :32] * np.tanh(g[:, 64:96])
        h = s[:, 96:] * np.tanh(c)
        hs[:, t] = h
    out: dict[int, str] = {}
    for pos in targets:
        t = pos + 1  # after BOS
        hidden = np.concatenate([hs[0, t], hs[1, n - 1 - t]])
        z = np.maximum(w.fc0[0] @ hidden + w.fc0[1], 0.0)
        ch = text[pos]
        logits = w.fc1[0][w.class_ids[ch]] @ z + w.fc1[1][w.class_ids[ch]]
        out[pos] = w.readings[ch][int(np.argmax(logits))]
    return out
