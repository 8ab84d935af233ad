"""The engine contract (engines/base.py): what any engine, built-in or from an entry point, is given."""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import subprocess

import pytest
from click.testing import CliRunner

from tingbao.article import Chunk, Sentence
from tingbao.build import build_edition
from tingbao.cli import main
from tingbao.config import Settings
from tingbao.engines import get_engine
from tingbao.engines.base import Engine, VoiceSpec
from tingbao.engines.edge import EdgeEngine
from tingbao.engines.local import model as M
from tingbao.engines.local.engine import LocalEngine
from tingbao.engines.local.frontend import FRONTEND_VERSION

from .conftest import EXAMPLE, ROOT
from .fakes import ToneEngine

ARTICLE = "青禾湾新区发布年度报告\n\n记者 王小明\n\n新区今年新建道路十二公里。\n\n## 产业\n\n三家企业投产，就业增加两千人。\n"


class StrictEngine(ToneEngine):
    """A third-party engine whose constructor takes nothing: any option given to it is a TypeError."""

    name = "strict"

    def __init__(self):
        super().__init__()

    def synthesize(self, chunk, spec):
        assert self.prepared, "synthesize() before prepare()"
        return super().synthesize(chunk, spec)


class PickyEngine(ToneEngine):
    name = "picky"

    def __init__(self, model_dir: str | None = None):
        super().__init__()
        self.model_dir = model_dir


class GreedyEngine(ToneEngine):
    name = "greedy"

    def __init__(self, **options):
        super().__init__()
        self.options = options


class Unprepared(ToneEngine):
    name = "unprepared"
    prepare = None  # as if the class had no prepare()


class NeedsKey(ToneEngine):
    name = "needs-key"

    def __init__(self, api_key: str, model_dir: str | None = None):
        super().__init__()


@pytest.fixture
def plugins(monkeypatch):
    """Three engines registered the way a package would (entry point group `tingbao.engines`)."""
    made: list[ToneEngine] = []

    class EP:
        def __init__(self, name, cls):
            self.name, self.value = name, f"tests.test_engine_contract:{cls.__name__}"

    eps = [EP("strict", StrictEngine), EP("picky", PickyEngine), EP("greedy", GreedyEngine),
           EP("unprepared", Unprepared), EP("needs-key", NeedsKey), EP("gone", type("Gone", (), {}))]
    monkeypatch.setattr("tingbao.engines.entry_points", lambda group: eps if group == "tingbao.engines" else [])
    original = StrictEngine.__init__

    def remember(self):
        original(self)
        made.append(self)

    monkeypatch.setattr(StrictEngine, "__init__", remember)
    return made


def test_a_strict_entry_point_engine_builds_an_edition(plugins, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    settings = Settings(engine="strict", output=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"), jobs=3,
                        lexicon={"青禾湾": "qing1 he2 wan1"}, volume="+10%", pitch="-5Hz")
    result = build_edition(str(article), settings)
    (engine,) = plugins
    assert isinstance(engine, Engine)
    assert engine.prepared == [3]  # told how many workers call synthesize() before the first call
    assert len(engine.calls) == result.synthesized > 0
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    assert manifest["engine"]["name"] == "strict" and manifest["engine"]["voice"] == "tone"
    assert (result.folder / f"{result.slug}.mp3").stat().st_size > 0


def test_an_engine_is_given_only_the_options_it_names(plugins):
    offered = {"model_dir": "/m", "lexicon": {"a": "a1"}, "progress": print}
    assert isinstance(get_engine("strict", **offered), StrictEngine)
    assert get_engine("picky", **offered).model_dir == "/m"
    assert get_engine("greedy", **offered).options == offered
    assert get_engine("local", **offered)._model_dir == "/m"


def test_voices_lists_an_entry_point_engine_and_refuses_an_unknown_one(plugins):
    r = CliRunner().invoke(main, ["voices", "--engine", "strict"])
    assert r.exit_code == 0 and r.output.startswith("tone\tnone\tzh-CN\t24000 Hz")
    r = CliRunner().invoke(main, ["voices", "--engine", "festival"])
    assert r.exit_code == 2 and "unknown engine 'festival'" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("engine, words", [
    ("unprepared", "the unprepared engine (tests.test_engine_contract:Unprepared) does not implement prepare"),
    ("needs-key", "requires api_key to be built; tingbao offers only lexicon, model_dir, progress"),
    ("gone", "the gone engine (tests.test_engine_contract:Gone) cannot be loaded: AttributeError"),
])
def test_a_broken_plug_in_is_one_line_exit_3(plugins, engine, words, tmp_path):
    r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--engine", engine, "-o", str(tmp_path / "out")])
    assert r.exit_code == 3 and words in r.output and len(r.output.strip().splitlines()) == 1, r.output
    r = CliRunner().invoke(main, ["voices", "--engine", engine])
    assert r.exit_code == 3 and words.split(";")[0] in r.output


def test_voices_has_no_auto():
    r = CliRunner().invoke(main, ["voices", "--engine", "auto"])
    assert r.exit_code == 2 and "choose from edge, local" in r.output


def test_edge_voices_are_the_ones_a_build_accepts():
    r = CliRunner().invoke(main, ["voices", "--engine", "edge"])
    listed = [line.split("\t")[0] for line in r.output.splitlines()]
    assert r.exit_code == 0 and listed == [v.name for v in EdgeEngine().voices()]
    assert EdgeEngine().default_voice() in listed


@pytest.mark.parametrize("engine", ["local", "strict"])
def test_unknown_voice_exits_2_before_synthesis(plugins, engine, tmp_path):
    r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--engine", engine, "--voice", "nobody",
                                  "-o", str(tmp_path / "out")])
    assert r.exit_code == 2, r.output
    (line,) = r.output.strip().splitlines()  # "tingbao: <article>: unknown voice …"
    assert line.startswith("tingbao: ") and line.endswith(
        f"unknown voice 'nobody' for the {engine} engine; see `tingbao voices --engine {engine}`")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert all(not e.calls for e in plugins)


def test_unknown_edge_voice_exits_2_before_any_request(edge_server, tmp_path):
    r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--engine", "edge", "--voice", "zh-CN-Nobody",
                                  "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")])
    assert r.exit_code == 2, r.output
    (line,) = r.output.strip().splitlines()
    assert line.startswith("tingbao: ") and line.endswith(
        "unknown voice 'zh-CN-Nobody' for the edge engine; see `tingbao voices --engine edge`")
    assert edge_server.requests == []


def test_edge_sends_the_specs_volume_and_pitch(edge_server, monkeypatch):
    import edge_tts

    sent = []
    original = edge_tts.Communicate.__init__

    def spy(self, text, voice, **kw):
        sent.append((voice, kw["rate"], kw["volume"], kw["pitch"]))
        original(self, text, voice, **kw)

    monkeypatch.setattr(edge_tts.Communicate, "__init__", spy)
    chunk = Chunk("k", 0, 0, [Sentence("今天天气很好。", "今天天气很好。", 0, 0, 0)])
    EdgeEngine().synthesize(chunk, VoiceSpec("zh-CN-XiaoxiaoNeural", "+5%", "+10%", "-5Hz"))
    EdgeEngine().synthesize(chunk)
    assert sent == [("zh-CN-XiaoxiaoNeural", "+5%", "+10%", "-5Hz"), ("zh-CN-YunyangNeural", "+0%", "+0%", "+0Hz")]


def test_signatures_are_the_strings_cache_keys_were_made_of():
    """Chunk keys hash these strings: a different spelling would re-synthesise every cached clip."""
    spec = VoiceSpec("zh-CN-XiaoxiaoNeural", "+5%", "+10%", "-5Hz")
    assert EdgeEngine().signature(spec) == "edge/zh-CN-XiaoxiaoNeural/+5%/+10%/-5Hz"
    assert EdgeEngine().signature(VoiceSpec()) == "edge/zh-CN-YunyangNeural/+0%/+0%/+0Hz"
    lexicon = {"青禾湾": "qing1 he2 wan1"}
    digest = hashlib.sha256(json.dumps(lexicon, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    local = LocalEngine(lexicon=lexicon)
    assert local.signature(VoiceSpec("baker", "-10%", "+10%", "-5Hz")) == \
        f"local/{M.MODEL_ID}/baker/-10%/{FRONTEND_VERSION}/{digest}"  # volume and pitch are not the model's
    assert local.signature(VoiceSpec()) == local.signature(VoiceSpec("baker"))


def test_no_engine_is_probed_and_no_constructor_swallows_options():
    found = subprocess.run(["grep", "-rnE", r"hasattr\(engine|\*\*_ignored", str(ROOT / "src")],
                           capture_output=True, text=True)
    assert found.returncode == 1, found.stdout  # grep: 1 means no line matched
    for cls in (LocalEngine, EdgeEngine):
        assert not re.search(r"\*\*", str(inspect.signature(cls)))
