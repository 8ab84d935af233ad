"""Assembly overlapped with synthesis (overlap.py): chapters are joined while later chunks are
still being synthesised, the bytes stay those of assembling afterwards, and a failure on either
side stops both without leaving a thread or a folder behind."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time

import pytest

from tingbao import build as B
from tingbao import progress as P
from tingbao.build import build_edition
from tingbao.config import Settings
from tingbao.console import ProgressBars
from tingbao.errors import PermanentEngineError, StorageError

from .fakes import SHORT_NEWS, EventRecorder, ToneEngine

ARTICLE = SHORT_NEWS
LAST = "市民可以通过手机查询到站时间。"
Recorder = EventRecorder


class Gated(ToneEngine):
    """Holds the chunk with `text` until `ready()` is true (or 20 s), and notes what it saw then."""

    def __init__(self, text: str, ready, fail: bool = False):
        super().__init__()
        self.text, self.ready, self.fail = text, ready, fail
        self.seen_while_held: list[str] = []
        self.recorder: Recorder | None = None

    def synthesize(self, chunk, spec):
        if self.text in chunk.text:
            deadline = time.monotonic() + 20
            while not self.ready() and time.monotonic() < deadline:
                time.sleep(0.01)
            self.seen_while_held = sorted(p.name for p in self.workdir.parent.glob(".*.work-*/*"))
            self.joined_while_held = self.recorder.assembled() if self.recorder else None
            if self.fail:
                raise PermanentEngineError("the voice broke")
        return super().synthesize(chunk, spec)


def _build(tmp_path, name, engine, events=None):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / name
    engine.workdir = out / "x"
    settings = Settings(output=str(out), cache_dir=str(tmp_path / f"cache-{name}"), jobs=1)
    return build_edition(str(article), settings, engine=engine, on_event=events)


def _hashes(folder) -> dict[str, str]:
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "edition.json":
            edition = json.loads(data)
            edition.pop("built_at")
            data = json.dumps(edition, sort_keys=True).encode()
        out[str(path.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return out


def _threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("tingbao-")]


def test_the_first_chapter_is_assembled_while_the_last_chunk_is_held(tmp_path):
    events = Recorder()
    engine = Gated(LAST, lambda: events.assembled() >= 2)  # the lead and 一、建设 joined
    engine.recorder = events
    result = _build(tmp_path, "overlap", engine, events)
    assert engine.seen_while_held[:2] == ["chapter-000.pcm", "chapter-001.pcm"]  # written before the last clip
    assert engine.joined_while_held == 2  # the third chapter (二、服务) waits for the held clip
    kinds = [(type(e).__name__, e.phase, getattr(e, "done", None)) for e in events.events]
    first_join = kinds.index(("PhaseAdvanced", "assembly", 1))
    last_clip = max(i for i, k in enumerate(kinds) if k[:2] == ("PhaseAdvanced", "synthesis"))
    assert first_join < last_clip  # the progress events interleave
    assert kinds.index(("PhaseFinished", "synthesis", None)) < kinds.index(("PhaseAdvanced", "assembly", 4))
    # ... and the gain pass (units 4-6) waits for the last clip: one gain for the edition
    plain = _build(tmp_path, "plain", ToneEngine())
    assert _hashes(result.folder) == _hashes(plain.folder)
    assert result.chapters == 3 and _threads() == []


def test_an_engine_failure_midway_leaves_no_thread_or_folder(tmp_path):
    events = Recorder()
    engine = Gated(LAST, lambda: events.assembled() >= 2, fail=True)
    with pytest.raises(PermanentEngineError, match="the voice broke"):
        _build(tmp_path, "broken", engine, events)
    assert "chapter-001.pcm" in engine.seen_while_held  # assembly was under way when synthesis failed
    assert _threads() == []
    assert sorted(p.name for p in (tmp_path / "broken").iterdir()) == []  # no workdir, no partial edition
    assert not any(isinstance(e, P.PhaseFinished) and e.phase in ("synthesis", "assembly") for e in events.events)


def test_an_assembly_failure_stops_synthesis_and_is_the_error(tmp_path, monkeypatch):
    loaded = []

    def failing(cache, key):
        loaded.append(key)
        if len(loaded) == 2:
            raise StorageError("cannot write the output: disk full")
        return cache.get(key)

    monkeypatch.setattr(B, "cached_clip", failing)
    engine = ToneEngine(delay=0.2)
    with pytest.raises(StorageError, match="disk full"):
        _build(tmp_path, "full", engine)
    chunks = _build(tmp_path, "plain", ToneEngine()).chunks
    assert len(engine.calls) < chunks  # synthesis stopped early, not after every chunk
    assert _threads() == []
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == []


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_terminal_shows_assembly_beside_synthesis_then_gives_it_the_bar():
    term = FakeTerminal()
    bars = ProgressBars(file=term)
    bars(P.PhaseStarted("synthesis", 100))
    bars(P.PhaseAdvanced("synthesis", 40, 100, 4.0, audio_seconds=8.0))
    bars(P.PhaseStarted("assembly", 6))
    bars(P.PhaseAdvanced("assembly", 1, 6, 0.1))
    bars(P.PhaseAdvanced("synthesis", 70, 100, 7.0, audio_seconds=14.0))
    shown = term.getvalue()
    assert "assembling 1/6" in shown and "70/100 characters, 14 s of audio, ETA 3 s; assembling 1/6" in shown
    assert "[" + "#" * 21 + "-" * 9 + "]" in shown  # still the synthesis bar (70%), not assembly's 1/6
    assert "assembling    " not in shown  # no assembly bar of its own yet
    bars(P.PhaseAdvanced("assembly", 2, 6, 0.2))
    bars(P.PhaseFinished("synthesis", 10.0))
    after = term.getvalue()[len(shown):]
    assert "assembling    " in after and "[" + "#" * 10 + "-" * 20 + "]" in after  # its own bar, at 2 of 6
    bars(P.PhaseAdvanced("assembly", 6, 6, 0.5))
    bars(P.PhaseFinished("assembly", 0.5))
    bars(P.PhaseStarted("encoding", 10))
    bars.close()
    assert "encoding" in term.getvalue()


def test_the_terminal_shows_encoding_beside_synthesis_and_assembly_then_each_gets_the_bar_in_turn():
    term = FakeTerminal()
    bars = ProgressBars(file=term)
    bars(P.PhaseStarted("synthesis", 100))
    bars(P.PhaseStarted("assembly", 8))
    bars(P.PhaseAdvanced("assembly", 3, 8, 0.1))
    bars(P.PhaseStarted("encoding", 10))
    bars(P.PhaseAdvanced("encoding", 2, 10, 0.1))
    bars(P.PhaseAdvanced("synthesis", 50, 100, 5.0, audio_seconds=10.0))
    shown = term.getvalue()
    assert "assembling 3/8; encoding 2/10" in shown
    assert "encoding      " not in shown and "assembling    " not in shown  # no bars of their own yet
    bars(P.PhaseFinished("synthesis", 10.0))
    after = term.getvalue()[len(shown):]
    assert "assembling    " in after and "encoding 2/10" in after  # assembly's bar; encoding still beside it
    bars(P.PhaseAdvanced("encoding", 4, 10, 0.2))
    bars(P.PhaseFinished("assembly", 0.5))
    last = term.getvalue()[len(shown) + len(after):]
    assert "encoding      " in last and "[" + "#" * 12 + "-" * 18 + "]" in last  # its own bar, at 4 of 10
    bars.close()
