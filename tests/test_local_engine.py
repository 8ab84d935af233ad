import numpy as np
import pytest
from click.testing import CliRunner

from tingbao.article import Chunk, Sentence
from tingbao.cli import main
from tingbao.engines import available, get_engine
from tingbao.engines.base import Engine, PermanentEngineError
from tingbao.speech.normalize import normalize


def _chunk(*texts):
    sentences = [Sentence(t, normalize(t), 0, 0, i) for i, t in enumerate(texts)]
    return Chunk("k", 0, 0, sentences)


@pytest.fixture(scope="module")
def engine(model_dir):
    return get_engine("local", model_dir=str(model_dir))


def test_engine_implements_protocol(engine):
    assert isinstance(engine, Engine)
    assert engine.voices()[0].sample_rate == 24000 and not engine.speaks_latin


def test_third_party_engines_by_entry_point(monkeypatch):
    class EP:
        name, value = "mine", "tests.test_local_engine:_chunk"

    monkeypatch.setattr("tingbao.engines.entry_points", lambda group: [EP()] if group == "tingbao.engines" else [])
    assert available()["mine"] == "tests.test_local_engine:_chunk"
    assert available()["local"].endswith("LocalEngine")


def test_unknown_voice_is_permanent(engine):
    with pytest.raises(PermanentEngineError, match="unknown voice"):
        engine.synthesize(_chunk("你好。"), voice="nobody")


def test_missing_model_dir_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["models", "path", "--model-dir", str(tmp_path)])
    assert r.exit_code == 0 and str(tmp_path) in r.output
    with pytest.raises(PermanentEngineError, match="--model-dir"):
        get_engine("local", model_dir=str(tmp_path)).synthesize(_chunk("你好。"))


def test_voices_command():
    r = CliRunner().invoke(main, ["voices", "--engine", "local"])
    assert r.exit_code == 0 and "baker\tfemale\tzh-CN\t24000 Hz" in r.output


@pytest.mark.slow
def test_real_synthesis_is_plausible(engine):
    text = "新区今年新增城镇就业岗位一万多个，群众满意率持续提高。"
    clip = engine.synthesize(_chunk(text))
    n = len(text)
    assert n / 7 <= clip.duration <= n / 3
    audio = clip.samples.astype(np.float64) / 32768
    assert np.sqrt(np.mean(audio**2)) > 0.01
    assert np.abs(clip.samples).max() < 32767
    assert clip.sentence_ends == [len(clip.samples)]


@pytest.mark.slow
def test_sentence_offsets_deterministic_and_distinct(engine):
    chunk = _chunk("今天天气很好。", "我们一起去公园散步。")
    a, b = engine.synthesize(chunk), engine.synthesize(chunk)
    assert np.array_equal(a.samples, b.samples)  # seeded dropout: a chunk always sounds the same
    assert len(a.sentence_ends) == 2 and 0 < a.sentence_ends[0] < a.sentence_ends[1] == len(a.samples)
    first = engine.synthesize(_chunk("今天天气很好。"))
    assert np.array_equal(first.samples, a.samples[: a.sentence_ends[0]])
    other = engine.synthesize(_chunk("明天可能下雨。"))
    assert not np.array_equal(other.samples[: len(first.samples)], first.samples[: len(other.samples)])


@pytest.mark.slow
def test_rate_changes_duration(engine):
    chunk = _chunk("新区坚持一张蓝图绘到底，把全区划分为七个功能片区。")
    normal = engine.synthesize(chunk).duration
    fast = engine.synthesize(chunk, rate="+30%").duration
    assert fast < normal * 0.9
