"""The edge engine against a local stand-in that speaks the service's protocol."""

import json
import re
from collections import Counter

import numpy as np
import pytest
from click.testing import CliRunner

from tingbao import plan_article
from tingbao.article import Chunk, Sentence
from tingbao.build import build_edition
from tingbao.cli import main
from tingbao.config import Settings
from tingbao.engines import choose_engine
from tingbao.engines.edge import (
    AdaptiveLimit,
    EdgeEngine,
    check_complete,
    classify,
    one_line,
    sentence_ends,
    turn_ended,
)
from tingbao.errors import PermanentEngineError, TransientEngineError
from tingbao.speech.chunking import make_chunks

from .conftest import EXAMPLE
from .edge_server import FAULTS, SECONDS_PER_CHAR


@pytest.fixture
def server(edge_server):
    return edge_server


def _settings(tmp_path, name="out", **kw):
    return Settings(engine="edge", output=str(tmp_path / name), cache_dir=str(tmp_path / f"cache-{name}"),
                    retry_delay=0.02, **kw)


def _manifest(result):
    return json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))


def _example_chunk_texts():
    article = plan_article(EXAMPLE, max_chars=EdgeEngine.max_chars, speaks_latin=True)
    return [c.speech for c in make_chunks(article, EdgeEngine.max_chars)]


@pytest.mark.slow  # the whole example through the stand-in (the fault and cap builds are slow too)
def test_build_with_edge_has_exact_cues(server, tmp_path):
    result = build_edition(str(EXAMPLE), _settings(tmp_path))
    manifest = _manifest(result)
    assert manifest["engine"]["name"] == "edge" and manifest["engine"]["voice"] == "zh-CN-YunyangNeural"
    assert [c["title"] for c in manifest["chapters"]] == ["导语", "建新城", "强产业", "优环境", "暖民生"]
    assert manifest["notes"] == []  # boundaries were used, not proportional timing
    article = plan_article(EXAMPLE, max_chars=EdgeEngine.max_chars, speaks_latin=True)
    chunk_last = {c.sentences[-1].index for c in make_chunks(article, EdgeEngine.max_chars)}
    for cue in manifest["sentences"]:
        expected = sum(ch.isalnum() for ch in cue["speech"]) * SECONDS_PER_CHAR
        length = cue["end"] - cue["start"]
        if cue["index"] in chunk_last:  # ends with the clip: MP3 padding after the last boundary
            assert expected - 0.002 <= length <= expected + 0.1
        else:  # cut exactly where the service's SentenceBoundary says
            assert abs(length - expected) <= 0.002
    speech = "".join(s["speech"] for s in manifest["sentences"])
    assert "五G" in speech and "五吉" not in speech  # edge speaks Latin: the letter is kept, not spelled


@pytest.mark.slow  # a whole build of the example through the stand-in service
def test_punctuation_only_text_never_reaches_the_server(server, tmp_path):
    build_edition(str(EXAMPLE), _settings(tmp_path))
    assert server.requests and all(any(ch.isalnum() for ch in r["text"]) for r in server.requests)
    with pytest.raises(PermanentEngineError):
        EdgeEngine().synthesize(Chunk("k", 0, 0, [Sentence("……", "，。", 0, 0, 0)]))
    assert len(server.requests) == len(set(_example_chunk_texts()))


@pytest.mark.slow  # two whole builds of the example through the stand-in service
def test_transient_faults_give_the_same_edition(server, tmp_path):
    clean = _manifest(build_edition(str(EXAMPLE), _settings(tmp_path, "clean")))
    server.requests.clear()
    server.completed.clear()
    server.peak_connections = 0
    server.fault = lambda n: FAULTS[n % 4] if n % 10 in (2, 5, 8) else None  # 30%, every kind
    result = build_edition(str(EXAMPLE), _settings(tmp_path, "faulty", jobs=3, attempts=10))
    faulty = _manifest(result)
    assert {r["fault"] for r in server.requests} >= {"403", "drop", "no_audio", "truncate"}
    for key in ("chapters", "sentences", "duration"):
        assert faulty[key] == clean[key]
    clean_mp3 = next(f for f in clean["files"] if f["path"].endswith(".mp3") and "/" not in f["path"])
    faulty_mp3 = next(f for f in faulty["files"] if f["path"] == clean_mp3["path"])
    assert faulty_mp3["sha256"] == clean_mp3["sha256"]  # same PCM, same bytes
    assert Counter(server.completed) == Counter(set(_example_chunk_texts()))  # each text completed once
    assert server.peak_connections <= 3


@pytest.mark.slow  # whole builds of the example through the stand-in service
def test_permanent_403_then_recovery(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tingbao.retries.STALL_PER_DELAY", 4)  # give up after 2 s without a success
    server.refuse_from = 8
    args = ["build", str(EXAMPLE), "--engine", "edge", "--jobs", "1", "--attempts", "2", "-o", "out",
            "--cache-dir", "cache"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 3, r.output  # a refusal that never stops is permanent
    errors = [line for line in r.output.splitlines() if line.startswith("tingbao:")]
    assert len(errors) == 1 and "403" in errors[0] and "upgrad" in errors[0] and "Traceback" not in r.output
    total = len(set(_example_chunk_texts()))
    saved = len(set(server.completed))
    assert f"rerun the same command to resume ({saved} of {total} parts are saved)" in errors[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    done_before = set(server.completed)
    assert 0 < len(done_before) < len(set(_example_chunk_texts()))
    server.refuse_from = None
    server.requests.clear()
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    asked = {q["text"] for q in server.requests}
    assert asked == set(_example_chunk_texts()) - done_before


def test_auto_picks_edge_when_it_answers_else_local(server, monkeypatch):
    import edge_tts.communicate

    engine, why = choose_engine("auto")
    assert engine.name == "edge" and "auto" in why and "answered" in why
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", "ws://127.0.0.1:9/edge/v1?TrustedClientToken=x")
    engine, why = choose_engine("auto")
    assert engine.name == "local" and "failed" in why and "Connection refused" in why


def test_sentence_ends_from_boundaries_and_fallback():
    ticks = 10_000_000
    marks = [(0, 1 * ticks, "今天天气很好。"), (int(1.2 * ticks), ticks, "我们去公园。")]
    ends, exact = sentence_ends(["今天天气很好。", "我们去公园。"], marks, 24000 * 3)
    assert exact and ends == [int(1.1 * 24000), 72000]
    ends, exact = sentence_ends(["今天天气很好。", "我们去公园。"], [], 22000)
    assert not exact and ends == [12000, 22000]


def test_adaptive_limit_cuts_once_per_window_and_probes_up():
    limit = AdaptiveLimit(8)
    epochs = []
    for _ in range(8):
        epochs.append(limit.__enter__())
    for epoch in epochs[:6]:  # a burst of refusals of requests started together: one cut
        limit.refused(epoch)
        limit.__exit__()
    assert limit.limit == 4 and limit.cuts == 1
    for expected in (3, 2):  # each later window that is refused again: one more cut, one step near the top
        window = [limit.__enter__()]  # the 2 first requests are still running
        limit.refused(window[0])
        limit.__exit__()
        assert limit.limit == expected
    assert limit.cuts == 3
    for _ in range(2):
        limit.__exit__()
    for _ in range(3):  # 3 was refused once: two windows of successes at 2 before probing it again
        limit.succeeded()
    assert limit.limit == 2
    limit.succeeded()
    assert limit.limit == 3
    limit.refused(limit.epoch)  # near the limit: one step down, not halved to 1
    assert limit.limit == 2
    for _ in range(7):  # refused twice at 3 now: four windows
        limit.succeeded()
    assert limit.limit == 2
    limit.succeeded()
    assert limit.limit == 3
    assert AdaptiveLimit(20).limit == 8  # hard cap
    fresh = AdaptiveLimit(4, cap=8)
    for _ in range(4):  # slow start: +1 per success until the first refusal
        fresh.succeeded()
    assert fresh.limit == 8


def test_bad_edge_options_are_one_line(tmp_path):
    for args, word in ((["--pitch", "5"], "--pitch"), (["--volume", "loud"], "--volume"),
                       (["--voice", "zh-CN-Nobody"], "unknown voice")):
        r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--engine", "edge", "-o", str(tmp_path), *args])
        assert r.exit_code != 0 and word in r.output
        assert len([line for line in r.output.splitlines() if line.startswith("tingbao:")]) == 1
        assert re.search("Traceback", r.output) is None


@pytest.mark.slow  # a whole build of the example through the stand-in service
def test_server_connection_cap_makes_the_engine_back_off(server, tmp_path):
    server.max_connections = 2
    result = build_edition(str(EXAMPLE), _settings(tmp_path, jobs=6, attempts=10))
    assert result.synthesized == len(set(_example_chunk_texts()))
    assert server.peak_connections <= 2


def _chunk(text: str) -> Chunk:
    return Chunk("k", 0, 0, [Sentence(text, text, 0, 0, 0)])


HEADING = "强产业"  # 3 characters: 0.67 s at 4.5 characters per second
LONG = "荆州市今年以来持续推进产业升级，新能源汽车零部件项目陆续投产。" * 6 + "全年目标有望提前完成。"


@pytest.mark.parametrize("text", [HEADING, LONG], ids=["heading", "long"])
@pytest.mark.parametrize("fault", ["drop@-144", "drop@-100", "drop@-1", "drop@4096", "drop@1000", "drop",
                                   "truncate@-144", "truncate@-1000", "truncate"])
def test_no_clip_is_accepted_short(server, text, fault):
    """Drops at any byte offset (no turn.end) and answers shorter than announced are transient failures."""
    server.seconds_per_char = 1 / 4.5
    server.exact_end = True  # the announced end is the decoded end, as a strict service's
    engine = EdgeEngine()
    whole = engine.synthesize(_chunk(text))
    assert whole.duration >= sum(ch.isalnum() for ch in text) / 4.5
    server.fault = lambda n: fault
    with pytest.raises(TransientEngineError) as caught:
        engine.synthesize(_chunk(text))
    word = "closed the stream" if fault.startswith("drop") else "less audio than it announced"
    assert word in str(caught.value) and "\n" not in str(caught.value)
    server.fault = None
    again = engine.synthesize(_chunk(text))
    assert np.array_equal(again.samples, whole.samples)


def test_last_frame_drop_is_caught_with_the_lenient_stand_in(server):
    """Without exact_end the stand-in's audio runs past the announced end: only turn.end tells."""
    server.seconds_per_char = 1 / 4.5
    server.fault = lambda n: "drop@-144"
    with pytest.raises(TransientEngineError, match="closed the stream"):
        EdgeEngine().synthesize(_chunk(HEADING))


def test_one_heading_article_with_a_dropped_last_frame_is_rebuilt_whole(server, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("标题\n\n强产业\n\n今年的产业发展很好。\n", encoding="utf-8")
    server.seconds_per_char = 1 / 4.5
    clean = _manifest(build_edition(str(article), _settings(tmp_path, "clean", jobs=1, attempts=1)))
    server.requests.clear()
    dropped = []

    def once(n, text):  # the heading's first answer loses only its last 24 ms frame
        if text == HEADING and not dropped:
            dropped.append(n)
            return "drop@-144"
        return None

    server.text_fault = once
    faulty = _manifest(build_edition(str(article), _settings(tmp_path, "faulty", jobs=1, attempts=1)))
    assert [r["text"] for r in server.requests].count(HEADING) == 2 and dropped
    assert faulty["sentences"] == clean["sentences"] and faulty["duration"] == clean["duration"]


def test_turn_end_is_read_from_edge_tts_state():
    assert turn_ended({"chunk_audio_bytes": 0, "cumulative_audio_bytes": 4320}, 4320)
    assert not turn_ended({"chunk_audio_bytes": 4176, "cumulative_audio_bytes": 0}, 4176)  # socket closed
    with pytest.raises(PermanentEngineError, match="edge-tts"):
        turn_ended({}, 10)


def test_check_complete_allows_less_than_one_frame():
    ticks = 10_000_000
    marks = [(0, ticks, "一二三")]
    check_complete(24000 - 575, marks, True)
    with pytest.raises(TransientEngineError):
        check_complete(24000 - 576, marks, True)  # one 24 ms frame short
    with pytest.raises(TransientEngineError):
        check_complete(30000, marks, False)


def test_connection_errors_are_one_line_without_reprs():
    import aiohttp
    from aiohttp.client_reqrep import ConnectionKey

    key = ConnectionKey("speech.platform.bing.com", 443, True, True, None, None, None)
    exc = aiohttp.ClientConnectorError(key, OSError(101, "Network is unreachable"))
    assert "object at 0x" in str(exc) or "ssl:" in str(exc)  # what aiohttp itself prints
    message = str(classify(exc))
    assert message.startswith("cannot reach the edge service (speech.platform.bing.com:443): Network is unreachable")
    assert "object at" not in message and "ssl:" not in message and "\n" not in message
    assert "ssl" not in one_line("Cannot connect to host h:443 ssl:<ssl.SSLContext object at 0x7f00ab> [x]")


def test_auto_falls_back_when_every_handshake_is_refused(server):
    server.refuse_always = True
    engine, why = choose_engine("auto")
    assert engine.name == "local" and "403" in why and "\n" not in why


def test_auto_answer_is_remembered_for_minutes(server, monkeypatch):
    from tingbao.engines import edge_probe

    engine, why = choose_engine("auto")
    assert engine.name == "edge" and (asked := len(server.requests)) == 1 and edge_probe.probe_file().is_file()
    engine, why2 = choose_engine("auto")
    assert engine.name == "edge" and len(server.requests) == asked and "ago" in why2
    data = json.loads(edge_probe.probe_file().read_text(encoding="utf-8"))
    data["time"] -= edge_probe.KEEP_SUCCESS + 1  # stale: asked again
    edge_probe.probe_file().write_text(json.dumps(data), encoding="utf-8")
    choose_engine("auto")
    assert len(server.requests) == asked + 1
