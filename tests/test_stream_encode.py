"""Encoding beside synthesis: once the gain window is measured, each chapter is levelled and
encoded while later chunks are still being synthesised; what is written equals one-step encodes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

from tingbao import build as B
from tingbao.errors import PermanentEngineError
from tingbao.loudness import StreamingLoudness
from tingbao.outputs.mp3 import (
    OUTPUT_RATE,
    Tags,
    decode,
    encode,
    ffmpeg_exe,
    finish_raw_encode,
    remux,
    start_raw_encode,
)

from .fakes import EventRecorder, ToneEngine
from .test_overlap import LAST, Gated, _build, _threads


def _encoded(events: EventRecorder) -> int:
    return max([e.done for e in events.advanced("encoding")], default=0)


def _ffmpeg_children() -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if "ffmpeg" in fields[0] and int(fields[1].split()[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def _chapter_starts(mp3: Path) -> list[int]:
    out = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(mp3), "-f", "ffmetadata", "-"], capture_output=True,
                         text=True, check=True).stdout
    return [int(s) for s in re.findall(r"\[CHAPTER\]\nTIMEBASE=1/1000\nSTART=(\d+)", out)]


def test_chapters_are_encoded_while_the_last_chunk_is_held(tmp_path, monkeypatch):
    monkeypatch.setattr(B, "GAIN_WINDOW", 1.0)  # the gain is fixed by the lead: every chapter encodes at once
    events = EventRecorder()
    engine = Gated(LAST, lambda: _encoded(events) >= 4)  # two chapters in the edition's encoder and on their own
    result = _build(tmp_path, "stream", engine, events)
    assert {"edition.raw.mp3", "section-0000.raw.mp3", "section-0001.raw.mp3"} <= set(engine.seen_while_held)
    assert "section-0002.raw.mp3" not in engine.seen_while_held  # the third chapter waits for the held clip
    kinds = [(type(e).__name__, e.phase) for e in events.events]
    assert kinds.index(("PhaseStarted", "encoding")) < kinds.index(("PhaseFinished", "synthesis"))
    assert _threads() == [] and _ffmpeg_children() == []

    # what was written: the programme's length to the sample (at 44.1 kHz), the chapters of a build
    # that encoded after synthesis (a window longer than the programme)
    monkeypatch.setattr(B, "GAIN_WINDOW", 1e9)
    after = _build(tmp_path, "after", ToneEngine())
    mp3 = result.folder / f"{result.slug}.mp3"
    assert abs(len(decode(mp3)) - round(result.duration * OUTPUT_RATE)) <= 1
    assert len(decode(mp3)) == len(decode(after.folder / f"{after.slug}.mp3"))
    assert _chapter_starts(mp3) == _chapter_starts(after.folder / f"{after.slug}.mp3") != []
    sections = sorted((result.folder / "sections").glob("*.mp3"))
    assert len(sections) == result.chapters == 3
    assert sum(len(decode(s)) for s in sections) == pytest.approx(len(decode(mp3)), abs=3)


def test_the_gain_is_measured_on_the_opening_window_and_the_edition_lands_on_target(tmp_path, monkeypatch):
    whole = _build(tmp_path, "whole", ToneEngine())  # shorter than the window: measured on everything
    monkeypatch.setattr(B, "GAIN_WINDOW", 1.0)
    opening = _build(tmp_path, "opening", ToneEngine())
    loudness = {}
    for name, result in (("whole", whole), ("opening", opening)):
        meter = StreamingLoudness(OUTPUT_RATE)
        meter.add(decode(result.folder / f"{result.slug}.mp3"))
        loudness[name] = meter.integrated()
        measured = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))["loudness"]
        assert measured["measured_lufs"] + measured["gain_db"] == pytest.approx(-19.0, abs=0.02)
    # what the MP3 measures (after the limiter and the encoder) barely moves: one voice's opening is representative
    assert loudness["whole"] == pytest.approx(-19.0, abs=0.5)
    assert loudness["opening"] == pytest.approx(loudness["whole"], abs=0.3)
    window = json.loads((opening.folder / "edition.json").read_text(encoding="utf-8"))["loudness"]["measured_lufs"]
    everything = json.loads((whole.folder / "edition.json").read_text(encoding="utf-8"))["loudness"]["measured_lufs"]
    assert window != everything  # the opening alone was measured


def test_an_engine_failure_after_encoding_began_leaves_no_ffmpeg_thread_or_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(B, "GAIN_WINDOW", 1.0)
    events = EventRecorder()
    engine = Gated(LAST, lambda: _encoded(events) >= 2, fail=True)
    with pytest.raises(PermanentEngineError, match="the voice broke"):
        _build(tmp_path, "broken", engine, events)
    assert "edition.raw.mp3" in engine.seen_while_held  # the edition's encoder was running
    assert _threads() == [] and _ffmpeg_children() == []
    assert sorted(p.name for p in (tmp_path / "broken").iterdir()) == []


def test_a_raw_encode_given_its_tags_by_a_copy_is_the_one_step_encode(tmp_path):
    t = np.arange(24000 * 7) / 24000
    pcm = tmp_path / "chapter.pcm"
    pcm.write_bytes((np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2").tobytes())
    from PIL import Image

    Image.new("RGB", (64, 64), (180, 40, 40)).save(tmp_path / "cover.jpg")
    tags = Tags(title="标题", artist="青禾湾", album="早报", date="2025", comment="副题", track="1/2")
    chapters = [("一", 0, 3000), ("二", 3000, 7000)]
    encode([pcm], 24000, tmp_path / "one-step.mp3", tags, chapters, 64, str(tmp_path / "cover.jpg"))
    proc = start_raw_encode(24000, tmp_path / "raw.mp3", 64)
    proc.stdin.write(pcm.read_bytes())
    finish_raw_encode(proc, tmp_path / "raw.mp3")
    remux(tmp_path / "raw.mp3", tmp_path / "copied.mp3", tags, chapters, str(tmp_path / "cover.jpg"))
    assert (tmp_path / "copied.mp3").read_bytes() == (tmp_path / "one-step.mp3").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chapter.pcm", "copied.mp3", "cover.jpg", "one-step.mp3",
                                                         "raw.mp3"]  # no temp or metadata file left


def test_cancel_right_after_a_chapter_is_queued_returns_and_leaves_no_ffmpeg(tmp_path):
    """A job may start its ffmpeg after cancel() has killed the running ones: it is killed too, not waited on."""
    from tingbao.outputs.stream_encode import ChapterEncoder

    pcm = tmp_path / "chapter.pcm"
    pcm.write_bytes(np.zeros(24000 * 30, dtype="<i2").tobytes())
    for _ in range(5):
        encoder = ChapterEncoder(tmp_path, 24000, 64, _NullMeter)
        encoder.chapter_levelled(0, pcm)
        done = threading.Event()
        threading.Thread(target=lambda e=encoder, d=done: (e.cancel(), d.set()), daemon=True).start()
        assert done.wait(20), "cancel() hung on an ffmpeg that was still waiting for input"
        assert _ffmpeg_children() == []


class _NullMeter:
    def advance(self, units: int = 1) -> None:
        pass
