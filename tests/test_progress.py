"""Progress as typed events per phase (progress.py), drawn as bars on a terminal (console.py),
and the build options' ranges shared with the settings (click IntRange/FloatRange/Choice)."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from tingbao import progress as P
from tingbao.build import build_edition
from tingbao.cli import main
from tingbao.config import LIMITS, Settings, check_value
from tingbao.console import ProgressBars
from tingbao.errors import ConfigError
from tingbao.zh import spoken_chars

from .fakes import SHORT_NEWS, EventRecorder, ToneEngine

ARTICLE = SHORT_NEWS
Recorder = EventRecorder


def _build(tmp_path, text=ARTICLE, engine=None, events=None, **settings):
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    events = events if events is not None else Recorder()
    engine = engine or ToneEngine()
    s = Settings(output=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"), **settings)
    result = build_edition(str(article), s, engine=engine, on_event=events)
    return result, events, engine


def test_a_build_goes_through_every_phase_in_order(tmp_path):
    _, events, _ = _build(tmp_path, jobs=2)
    started = [e.phase for e in events.events if isinstance(e, P.PhaseStarted)]
    assert started == list(P.PHASES)
    for phase in P.PHASES:
        mine = events.of(phase)
        assert isinstance(mine[0], P.PhaseStarted) and isinstance(mine[-1], P.PhaseFinished)
        assert all(isinstance(e, P.PhaseAdvanced) for e in mine[1:-1]) and len(mine) > 2
        done = [e.done for e in mine[1:-1]]
        assert done == sorted(done) and done[-1] == mine[0].total > 0
        assert all(e.total == mine[0].total for e in mine[1:-1])
    # one phase at a time, except assembly and encoding, which may start while synthesis runs
    # (overlap.py, outputs/stream_encode.py): encoding after assembly, and both finish in order
    boundaries = [(type(e).__name__, e.phase) for e in events.events if not isinstance(e, P.PhaseAdvanced)]
    assert boundaries.index(("PhaseStarted", "assembly")) < boundaries.index(("PhaseStarted", "encoding"))
    for phase in ("assembly", "encoding"):
        boundaries.remove(("PhaseStarted", phase))
        boundaries.insert(boundaries.index(("PhaseFinished", P.PHASES[P.PHASES.index(phase) - 1])) + 1,
                          ("PhaseStarted", phase))
    assert boundaries == [(kind, phase) for phase in P.PHASES for kind in ("PhaseStarted", "PhaseFinished")]


def test_synthesis_advances_by_the_characters_of_each_chunk(tmp_path):
    result, events, engine = _build(tmp_path)
    steps = events.advanced("synthesis")
    total = events.of("synthesis")[0].total
    assert steps[0].done == 0 and steps[0].cached == 0  # an empty cache: nothing done at once
    grew = sorted(b.done - a.done for a, b in zip(steps, steps[1:], strict=False))
    assert len(grew) == result.synthesized == len(engine.calls)
    assert sum(grew) == total and len(set(grew)) > 1  # chunks of different lengths weigh differently
    assert 0.5 * result.duration < steps[-1].audio_seconds < result.duration  # the voice, without the pauses


def test_assembly_and_encoding_advance_per_chapter(tmp_path):
    result, events, _ = _build(tmp_path)
    assert events.of("assembly")[0].total == 2 * result.chapters == 6  # joined, then the gain, per chapter
    assert [e.done for e in events.advanced("assembly")] == [1, 2, 3, 4, 5, 6]
    # per chapter: into the edition's encoder and encoded on its own; then the two sets of files finished
    assert events.of("encoding")[0].total == 2 * result.chapters + 2
    assert [e.done for e in events.advanced("encoding")] == list(range(1, 2 * result.chapters + 3))


def test_cached_chunks_count_as_done_at_once_and_not_towards_the_pace(tmp_path):
    _build(tmp_path)
    more = ARTICLE + "\n三、展望\n\n明年新区还将开通两条线路，覆盖更多社区。\n"
    result, events, engine = _build(tmp_path, more)
    steps = events.advanced("synthesis")
    total = events.of("synthesis")[0].total
    fresh = sum(spoken_chars(c) for c in ("三、展望", "明年新区还将开通两条线路，覆盖更多社区。"))
    assert steps[0].done == steps[0].cached == total - fresh > 0  # the old chunks, shown done before any work
    assert steps[0].eta is None  # no pace yet: cached chunks took no time
    assert all(s.cached == steps[0].cached for s in steps) and steps[-1].done == total
    assert result.cached > 0 and len(engine.calls) == result.synthesized


def test_an_unchanged_rebuild_only_plans(tmp_path):
    _build(tmp_path)
    _, events, _ = _build(tmp_path)
    assert [e.phase for e in events.events] == ["plan"] * len(events.events)
    assert isinstance(events.events[-1], P.PhaseFinished) and events.advanced("plan")[-1].done == 2


def test_a_failed_phase_never_finishes(tmp_path):
    class Broken(ToneEngine):
        def synthesize(self, chunk, spec):
            raise RuntimeError("broken voice")

    events = Recorder()
    with pytest.raises(Exception, match="broken voice"):
        _build(tmp_path, engine=Broken(), events=events)
    assert isinstance(events.of("plan")[-1], P.PhaseFinished)
    assert [type(e) for e in events.of("synthesis")] == [P.PhaseStarted, P.PhaseAdvanced]  # started, never finished
    assert not events.of("assembly")


def test_eta_is_paced_by_fresh_characters_only(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(P.time, "perf_counter", lambda: clock[0])
    events = Recorder()
    meter = P.Meter(events, "synthesis", 1000)
    meter.advance(600, cached=True)  # from the cache: instantly
    assert events.events[-1].eta is None
    clock[0] += 10
    meter.advance(100)  # 100 characters in 10 s
    last = events.events[-1]
    assert (last.done, last.cached, last.elapsed) == (700, 600, 10)
    assert last.eta == pytest.approx(30.0)  # 300 characters left at 10 per second
    clock[0] += 10
    meter.advance(300)
    assert events.events[-1].eta == 0.0 and events.events[-1].done == 1000


def test_meter_finish_completes_and_phases_chain():
    events = Recorder()
    phases = P.Phases(events, "a.txt")
    phases.start("plan", 2).advance()
    phases.start("synthesis", 5)
    phases.finish()
    kinds = [(type(e).__name__, e.phase, getattr(e, "done", None)) for e in events.events]
    assert kinds == [("PhaseStarted", "plan", None), ("PhaseAdvanced", "plan", 1), ("PhaseAdvanced", "plan", 2),
                     ("PhaseFinished", "plan", None), ("PhaseStarted", "synthesis", None),
                     ("PhaseAdvanced", "synthesis", 5), ("PhaseFinished", "synthesis", None)]
    assert events.events[0].article == "a.txt"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _feed(bars: ProgressBars) -> None:
    bars(P.PhaseStarted("synthesis", 100))
    bars(P.PhaseAdvanced("synthesis", 40, 100, 0.0, cached=40, audio_seconds=8.0))
    bars(P.PhaseAdvanced("synthesis", 70, 100, 6.0, cached=40, audio_seconds=14.0))
    bars(P.PhaseAdvanced("synthesis", 100, 100, 12.0, cached=40, audio_seconds=20.0))
    bars(P.PhaseFinished("synthesis", 12.0))
    bars(P.PhaseStarted("encoding", 10))
    bars(P.PhaseAdvanced("encoding", 4, 10, 2.0))


def test_a_terminal_gets_a_bar_per_phase():
    term = FakeTerminal()
    bars = ProgressBars(file=term)
    _feed(bars)
    bars.close()
    shown = term.getvalue()
    assert "synthesising" in shown and "encoding" in shown
    assert "[" + "#" * 30 + "]" in shown and "100%" in shown  # the finished synthesis bar
    assert "70/100 characters, 14 s of audio, 40 from the cache, ETA 6 s" in shown  # 30 left at 5 per second
    assert "ETA 3 s" in shown  # encoding: 6 left at 2 per second
    assert shown.endswith("\n") or shown.endswith("\x1b[?25h")  # the last bar's line is closed


def test_a_message_during_a_bar_gets_its_own_line_and_the_bar_comes_back():
    term = FakeTerminal()
    bars = ProgressBars(file=term)
    bars(P.PhaseStarted("synthesis", 10))
    bars(P.PhaseAdvanced("synthesis", 5, 10, 1.0))
    before = term.getvalue()
    bars.say("engine: local (as configured)")
    after = term.getvalue()[len(before):]
    assert after.startswith("\r\x1b[2Kengine: local (as configured)\n")
    assert "[" + "#" * 15 + "-" * 15 + "]" in after  # the bar, drawn again under the message
    pipe = io.StringIO()
    ProgressBars(file=pipe).say("engine: local")
    assert pipe.getvalue() == "engine: local\n"


def test_a_pipe_gets_no_bars_and_json_mode_none_at_all():
    pipe = io.StringIO()
    _feed(ProgressBars(file=pipe))
    assert pipe.getvalue() == ""
    term = FakeTerminal()
    _feed(ProgressBars(enabled=False, file=term))  # --json
    assert term.getvalue() == ""


@pytest.fixture
def tone_cli(tmp_path, monkeypatch):
    monkeypatch.setattr("tingbao.engines.choose_engine", lambda name, **kw: (ToneEngine(), "tone (test)"))
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return ["build", str(article), "--engine", "local", "-o", str(tmp_path / "out"), "--cache-dir",
            str(tmp_path / "cache")]


def test_cli_build_without_a_terminal_shows_no_bars_and_clean_json(tone_cli):
    r = CliRunner().invoke(main, [*tone_cli, "--json", "--jobs", "0"])  # 0: the engine's own number of workers
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["chapters"] == 3
    assert r.stderr == ""
    r = CliRunner().invoke(main, [*tone_cli, "--bitrate", "32"])
    assert r.exit_code == 0, r.output
    assert "[#" not in r.output and "\r" not in r.output and "%" not in r.output


BAD_OPTIONS = [
    (["--jobs", "65"], "--jobs"), (["--jobs", "-1"], "--jobs"), (["--bitrate", "5"], "--bitrate"),
    (["--bitrate", "abc"], "--bitrate"), (["--attempts", "0"], "--attempts"), (["--pause-scale", "9"], "--pause-scale"),
    (["--chapter-level", "3"], "--chapter-level"), (["--engine", "nosuch"], "unknown engine 'nosuch'"),
]


@pytest.mark.parametrize("argv, words", BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_out_of_range_options_exit_2_in_one_line(tone_cli, tmp_path, argv, words):
    r = CliRunner().invoke(main, [*tone_cli, *argv])
    assert r.exit_code == 2
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("tingbao: ") and words in lines[0], r.output
    assert not (tmp_path / "out").exists()  # refused before anything was read or written


def test_engine_choices_are_the_installed_engines():
    r = CliRunner().invoke(main, ["build", "--help"])
    assert "[auto|edge|local]" in r.output and "8<=x<=320" in r.output and "1<=x<=2" in r.output


@pytest.mark.parametrize("name", sorted(set(LIMITS) - {"retry_delay"}))
def test_flags_and_settings_share_their_bounds(name):
    """Each bound is accepted and one step past it refused, by the flag and by the setting alike."""
    from tingbao.console import bounded

    low, high = LIMITS[name]
    step = 0.01 if isinstance(low, float) else 1
    kind = bounded(name)
    for value in (low, high):
        assert kind.convert(value, None, None) == value and check_value(name, value, name) == value
    for value in (low - step, high + step):
        with pytest.raises(Exception, match="range"):
            kind.convert(value, None, None)
        with pytest.raises(ConfigError):
            check_value(name, value, name)


@pytest.mark.parametrize("line, words", [
    ("pause-scale = 2", "unknown key build.pause-scale (spelled build.pause_scale)"),
    ('series_title = "早报"', "unknown key build.series_title (it belongs in [series] as title)"),
    ('timezone = "UTC"', "unknown key build.timezone (it belongs in [series] as timezone)"),
])
def test_one_spelling_per_setting(tmp_path, line, words):
    from tingbao.config import load_settings

    path = tmp_path / "tingbao.toml"
    path.write_text(f"[build]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_settings(str(path))
    path.write_text("[build]\npause_scale = 2\n[series]\ntitle = \"早报\"\n", encoding="utf-8")
    assert (load_settings(str(path)).pause_scale, load_settings(str(path)).series_title) == (2.0, "早报")
