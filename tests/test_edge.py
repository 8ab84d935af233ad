"""The edge engine against a local stand-in that speaks the service's protocol."""

import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner

from tingbao import plan_article
from tingbao.article import Chunk, Sentence
from tingbao.build import build_edition
from tingbao.cli import main
from tingbao.config import Settings
from tingbao.engines import choose_engine
from tingbao.engines.base import PermanentEngineError
from tingbao.engines.edge import AdaptiveLimit, EdgeEngine, sentence_ends
from tingbao.speech.chunking import make_chunks

from .conftest import EXAMPLE
from .edge_server import FAULTS, SECONDS_PER_CHAR, EdgeStandIn


@pytest.fixture
def server(monkeypatch):
    import edge_tts.communicate

    srv = EdgeStandIn().start()
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", srv.url)
    yield srv
    srv.stop()


def _settings(tmp_path, name="out", **kw):
    return Settings(engine="edge", output=str(tmp_path / name), cache_dir=str(tmp_path / f"cache-{name}"),
                    retry_delay=0.02, **kw)


def _manifest(result):
    return json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))


def _example_chunk_texts():
    article = plan_article(EXAMPLE, max_chars=EdgeEngine.max_chars, speaks_latin=True)
    return [c.speech for c in make_chunks(article, EdgeEngine.max_chars)]


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


def test_punctuation_only_text_never_reaches_the_server(server, tmp_path):
    build_edition(str(EXAMPLE), _settings(tmp_path))
    assert server.requests and all(any(ch.isalnum() for ch in r["text"]) for r in server.requests)
    with pytest.raises(PermanentEngineError):
        EdgeEngine().synthesize(Chunk("k", 0, 0, [Sentence("……", "，。", 0, 0, 0)]))
    assert len(server.requests) == len(set(_example_chunk_texts()))


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


def test_permanent_403_then_recovery(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    server.refuse_from = 8
    args = ["build", str(EXAMPLE), "--engine", "edge", "--jobs", "1", "--attempts", "2", "-o", "out",
            "--cache-dir", "cache"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code != 0
    errors = [line for line in r.output.splitlines() if line.startswith("tingbao:")]
    assert len(errors) == 1 and "403" in errors[0] and "upgrad" in errors[0] and "Traceback" not in r.output
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
    assert engine.name == "local" and "could not be reached" in why


def test_sentence_ends_from_boundaries_and_fallback():
    ticks = 10_000_000
    marks = [(0, 1 * ticks, "今天天气很好。"), (int(1.2 * ticks), ticks, "我们去公园。")]
    ends, exact = sentence_ends(["今天天气很好。", "我们去公园。"], marks, 24000 * 3)
    assert exact and ends == [int(1.1 * 24000), 72000]
    ends, exact = sentence_ends(["今天天气很好。", "我们去公园。"], [], 22000)
    assert not exact and ends == [12000, 22000]


def test_adaptive_limit_halves_and_grows():
    limit = AdaptiveLimit(8, grow_after=2)
    limit.throttled()
    assert limit.limit == 4
    limit.throttled()
    limit.throttled()
    limit.throttled()
    assert limit.limit == 1
    for _ in range(4):
        limit.succeeded()
    assert limit.limit == 3
    assert AdaptiveLimit(20).limit == 8  # hard cap


def test_voices_offline_falls_back_to_builtin_list(monkeypatch):
    monkeypatch.setattr("tingbao.engines.edge.list_online_voices", lambda timeout=5.0: None)
    r = CliRunner().invoke(main, ["voices", "--engine", "edge"])
    assert r.exit_code == 0 and "zh-CN-YunyangNeural" in r.output and "could not ask" in r.output


def test_bad_edge_options_are_one_line(tmp_path):
    for args, word in ((["--pitch", "5"], "--pitch"), (["--volume", "loud"], "--volume"),
                       (["--voice", "zh-CN-Nobody"], "unknown voice")):
        r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--engine", "edge", "-o", str(tmp_path), *args])
        assert r.exit_code != 0 and word in r.output
        assert len([line for line in r.output.splitlines() if line.startswith("tingbao:")]) == 1
        assert re.search("Traceback", r.output) is None


def test_server_connection_cap_makes_the_engine_back_off(server, tmp_path):
    server.max_connections = 2
    result = build_edition(str(EXAMPLE), _settings(tmp_path, jobs=6, attempts=10))
    assert result.synthesized == len(set(_example_chunk_texts()))
    assert server.peak_connections <= 2
