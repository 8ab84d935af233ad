"""The clip cache: what is read back is what was written, or a miss; never half a file."""

import os
import threading

import numpy as np
import pytest

from tingbao import cache as cache_module
from tingbao.cache import MAGIC, ClipCache
from tingbao.engines.base import Clip

KEY = "ab" + "0" * 30


def _clip(seed: int = 1, n: int = 2400) -> Clip:
    samples = np.random.default_rng(seed).integers(-2000, 2000, n).astype(np.int16)
    return Clip(samples, 24000, [n // 2, n], [f"note {seed}"])


def _same(a: Clip, b: Clip) -> bool:
    return (np.array_equal(a.samples, b.samples) and a.samples.dtype == b.samples.dtype
            and (a.sample_rate, a.sentence_ends, a.notes) == (b.sample_rate, b.sentence_ends, b.notes))


def test_round_trip_and_miss(tmp_path):
    store = ClipCache(tmp_path)
    assert store.get(KEY) is None
    store.put(KEY, _clip())
    assert _same(store.get(KEY), _clip())
    assert (tmp_path / KEY[:2] / f"{KEY}.clip").read_bytes()[:4] == MAGIC


def test_no_temp_file_is_left_behind(tmp_path):
    store = ClipCache(tmp_path)
    store.put(KEY, _clip())
    assert [p.name for p in (tmp_path / KEY[:2]).iterdir()] == [f"{KEY}.clip"]


def test_a_failed_write_keeps_the_old_clip_whole(tmp_path, monkeypatch):
    store = ClipCache(tmp_path)
    store.put(KEY, _clip(1))

    def crash(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(cache_module.os, "replace", crash)
    with pytest.raises(OSError):
        store.put(KEY, _clip(2))
    monkeypatch.undo()
    assert _same(store.get(KEY), _clip(1))  # readers see the old file, never a partial new one
    assert [p.name for p in (tmp_path / KEY[:2]).iterdir()] == [f"{KEY}.clip"]  # the temp file is gone


@pytest.mark.parametrize("damage", ["flip_pcm", "truncate", "magic", "header", "empty"])
def test_a_damaged_file_is_a_miss_and_is_forgotten(tmp_path, damage):
    store = ClipCache(tmp_path)
    store.put(KEY, _clip())
    path = tmp_path / KEY[:2] / f"{KEY}.clip"
    data = bytearray(path.read_bytes())
    if damage == "flip_pcm":
        data[-1] ^= 0x01  # one bit of audio: only the checksum can tell
    elif damage == "truncate":
        data = data[:-100]
    elif damage == "magic":
        data[:4] = b"XXXX"
    elif damage == "header":
        data[9] = ord("!")
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    assert store.get(KEY) is None
    assert not path.exists()  # deleted: the chunk is synthesised again and rewritten


def test_concurrent_writers_and_readers_see_only_whole_clips(tmp_path):
    store = ClipCache(tmp_path)
    clips = [_clip(seed, n=24000) for seed in range(4)]
    seen, errors = [], []

    def write(clip: Clip) -> None:
        try:
            for _ in range(15):
                ClipCache(tmp_path).put(KEY, clip)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def read() -> None:
        for _ in range(60):
            got = store.get(KEY)
            if got is not None:
                seen.append(got)

    threads = [threading.Thread(target=write, args=(c,)) for c in clips] + [threading.Thread(target=read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    final = store.get(KEY)
    assert any(_same(final, c) for c in clips)
    assert all(any(_same(s, c) for c in clips) for s in seen)
    assert [p.name for p in (tmp_path / KEY[:2]).iterdir()] == [f"{KEY}.clip"]


def test_a_file_where_the_cache_folder_should_be_is_a_storage_error(tmp_path):
    from tingbao.errors import StorageError

    (tmp_path / "c").write_text("x")
    with pytest.raises(StorageError, match="a file, not a folder"):
        ClipCache(tmp_path / "c")


def test_the_cache_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TINGBAO_CACHE_DIR", str(tmp_path / "env"))
    assert ClipCache().root == tmp_path / "env"
    assert os.path.isdir(tmp_path / "env")
