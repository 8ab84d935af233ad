import numpy as np
import pytest
from click.testing import CliRunner

from tingbao.article import Chunk, Sentence
from tingbao.cli import main
from tingbao.engines import available, get_engine
from tingbao.engines.base import Engine, VoiceSpec
from tingbao.errors import PermanentEngineError
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
    fast = engine.synthesize(chunk, VoiceSpec(rate="+30%")).duration
    assert fast < normal * 0.9


# ---- long sentences: cut into pieces the model can voice (engines/local/pieces.py)

def _syllables(n: int, marks: dict[int, str]) -> list[str]:
    """sil, n syllables (initial + final) with the given mark after syllable k (else #0), sil, eos."""
    out = ["sil"]
    for k in range(n):
        out += ["zh", "ong1"]
        if k < n - 1:
            out.append(marks.get(k, "#0"))
    return out + ["sil", "eos"]


def test_split_prefers_the_strongest_mark_nearest_the_middle():
    from tingbao.engines.local.pieces import split_symbols

    symbols = _syllables(20, {2: "#3", 8: "#3", 9: "#2", 10: "#1", 16: "#3"})
    head, tail, strength = split_symbols(symbols)
    assert strength == 3 and head[-2:] == tail[-2:] == ["sil", "eos"] and head[0] == tail[0] == "sil"
    assert head.count("ong1") == 9 and tail.count("ong1") == 11  # the clause mark after syllable 8
    assert not any(s.startswith("#") for s in (head[-3], tail[1]))  # the cut mark is dropped
    # without clause marks: the phrase mark; without those: a word; a single long word: a syllable
    assert split_symbols(_syllables(20, {3: "#2", 15: "#1"}))[2] == 2
    assert split_symbols(_syllables(20, {3: "#1", 15: "#1"}))[0].count("ong1") == 16
    head, tail, strength = split_symbols(_syllables(20, {}))
    assert strength == 0 and head.count("ong1") == 10 and tail.count("ong1") == 10
    assert split_symbols(_syllables(1, {})) is None
    # balanced: any mark nearest the middle, whatever its strength
    assert split_symbols(_syllables(20, {1: "#3"}), balanced=True)[0].count("ong1") == 10


def test_inputs_too_long_for_one_call_are_cut_before_the_model_runs():
    from tingbao.engines.local.pieces import fits_positions

    # Seed and example: every input of 116 symbols or more predicted over MAX_FRAMES, so its acoustic
    # call was thrown away (35 of 257 calls on the seed); the longest input that fit had 113.
    assert fits_positions(113, 1.0) and not fits_positions(116, 1.0)
    assert fits_positions(140, 0.8) and not fits_positions(100, 1.25)  # faster or slower speech moves the cut


def test_tail_check_tells_a_cut_ending_from_silence():
    from tingbao.engines.local.pieces import END_DB, tail_gap_db

    rate = 24000
    t = np.arange(rate) / rate
    voice = 0.3 * np.sin(2 * np.pi * 220 * t)
    ended = np.concatenate([voice, np.zeros(rate // 10)])
    assert tail_gap_db(ended, rate) > END_DB
    assert tail_gap_db(voice, rate) < 3  # still speaking in its last 30 ms


def test_a_piece_is_kept_only_whole_and_of_the_predicted_length():
    from tingbao.engines.local.pieces import piece_problem

    rate, hop = 24000, 300
    t = np.arange(320 * hop) / rate
    speech = 0.3 * np.sin(2 * np.pi * 220 * t)
    ended = np.concatenate([speech[: -10 * hop], np.zeros(10 * hop)])
    frames = 320
    assert piece_problem(frames, frames, len(ended), hop, rate, ended) is None
    assert "below its speech level" in piece_problem(frames, frames, len(speech), hop, rate, speech)
    assert "predicted" in piece_problem(frames, frames + 3, len(ended), hop, rate, ended)


class _FakeModel:
    """Stands in for LiteRT: 6.5 frames a symbol (slow speech: more than the cut estimates), fails
    like the real graph past 2,048 frames, and loses the ending of anything over 500 frames (the
    real decoder does past ~770)."""

    def __init__(self):
        self.calls: list[tuple[int, bool]] = []  # (frames, kept)

    def __call__(self, symbols, speed):
        from tingbao.engines.local.pieces import MAX_FRAMES

        frames = int(len(symbols) * 6.5 * speed)
        if frames > 2048:
            raise AssertionError("LiteRT would fail: gather index out of bounds")
        self.calls.append((frames, frames <= 500))
        if frames > MAX_FRAMES:
            return None, f"{frames} frames predicted", frames
        audio = np.full(frames * 300, 1000, dtype=np.int16)
        return audio, (None if frames <= 500 else "ends only 5 dB below its speech level"), frames


def test_any_length_is_cut_into_pieces_within_the_limits(engine, monkeypatch):
    from tingbao.engines.local.engine import LocalEngine
    from tingbao.engines.local.pieces import PAUSES

    fake = _FakeModel()
    line = "，".join(["各地持续推进农村人居环境整治提升行动"] * 550)  # ~10,000 characters on one line
    replaced = "这条" + "乡村振兴示范带" * 430 + "全长三公里。"  # a lexicon entry replaced by 3,000 characters
    monkeypatch.setattr(LocalEngine, "_attempt", lambda self, symbols, speed: fake(symbols, speed))
    for text in (line, replaced):
        fake.calls.clear()
        clip = engine.synthesize(_chunk(text, "会议指出，要久久为功。"))
        kept = [frames for frames, ok in fake.calls if ok]
        assert len(kept) < len(fake.calls) and not clip.notes  # some pieces failed and were cut again
        # the first sentence is exactly its kept pieces (the last one is the second sentence's),
        # with at most a clause pause between two pieces: nothing failed is in the clip
        first = clip.sentence_ends[0]
        assert sum(kept[:-1]) * 300 <= first <= sum(kept[:-1]) * 300 + len(kept) * PAUSES[3] * 24000
        assert clip.sentence_ends[1] - first == kept[-1] * 300 and clip.sentence_ends[1] == len(clip.samples)
        assert first / 24000 > len(text) * 0.15


# Invented news sentences: one without commas, one with, one of 300 characters; each with the
# parts it is said as when cut by hand (so “the whole lasts at least the sum of its parts”).
_BUS = ("记者从市交通运输局获悉今年以来全市新开通和优化调整公交线路二十六条新增城乡客运班线十一条",
        "在城区主要道路和学校医院周边增设港湾式停靠站四十多处并同步推进老旧公交车辆更新换代计划",
        "到年底前全部更换为新能源车辆让沿线群众出行更加方便快捷舒适安全也为城市绿色低碳发展注入新的动力和活力"
        "受到广大市民普遍欢迎和好评")
_INDUSTRY = ("今年第一季度，", "全区规模以上工业增加值同比增长百分之七点八，", "高于全市平均水平一点二个百分点，",
             "其中装备制造、电子信息和新材料三大主导产业贡献率超过六成，", "带动全区新增就业岗位三千五百余个")
_COUNTY = ("为进一步优化营商环境激发市场主体活力县政府近日出台支持中小企业发展的二十条措施"
           "从降低融资成本减免部分行政事业性收费加大稳岗就业补贴力度等方面为企业纾困解难",
           "同时组织县直部门干部深入园区和乡镇开展一对一帮扶活动及时协调解决企业在用工用地用电和物流运输等方面遇到的实际困难",
           "据统计措施实施以来全县已累计为各类市场主体减轻负担一点六亿元新增贷款投放十二亿元新登记注册企业数量同比增长百分之十五以上",
           "县里还将建立常态化政企沟通机制每季度召开一次企业家座谈会认真听取意见建议推动各项政策措施落地见效"
           "让企业切实感受到实实在在的获得感",
           "此外县里还将持续开展第三方营商环境满意度调查并把调查结果纳入各部门年度绩效考核体系之中")


@pytest.mark.slow
@pytest.mark.parametrize("parts, length", [(_BUS, 150), (_INDUSTRY, 90), (_COUNTY, 300)], ids=["150-no-commas",
                                                                                           "90-commas", "300"])
def test_long_sentences_end_in_silence_and_keep_every_part(engine, parts, length):
    from tingbao.engines.local.pieces import END_DB, end_dbfs, tail_gap_db

    text = "".join(parts) + "。"
    assert len(text) - 1 == length and ("，" in text) == (length == 90)
    clip = engine.synthesize(_chunk(text))
    assert end_dbfs(clip.samples, clip.sample_rate) < -40 and not clip.notes
    assert tail_gap_db(clip.samples.astype(np.float64), clip.sample_rate) > END_DB
    apart = sum(engine.synthesize(_chunk(part.rstrip("，") + "。")).duration for part in parts)
    assert clip.duration >= apart, (clip.duration, apart)


@pytest.mark.slow
def test_windowed_vocoder_is_bit_identical_to_one_call(engine):
    from ai_edge_litert.interpreter import Interpreter

    from tingbao.engines.local.engine import (
        VOCODER_CALL,
        reserve_vocoder_arena,
        run_acoustic,
        run_vocoder,
        run_vocoder_windowed,
    )

    ids, _ = engine.phone_ids(normalize(_INDUSTRY[1] + _INDUSTRY[2] + "。"))
    acoustic = Interpreter(model_content=engine.files().acoustic)
    acoustic.resize_tensor_input(acoustic.get_input_details()[0]["index"], [1, len(ids)])
    acoustic.allocate_tensors()
    mel = run_acoustic(acoustic, ids)
    mel = np.concatenate([mel] * -(-(2 * VOCODER_CALL + 1) // mel.shape[1]), axis=1)  # three calls or more
    vocoder = Interpreter(model_content=engine.files().vocoder)
    reserve_vocoder_arena(vocoder)  # as the engine does: calls of every size after it, smaller ones too
    assert mel.shape[1] > 2 * VOCODER_CALL
    for frames in (mel.shape[1], VOCODER_CALL + 1, 2 * VOCODER_CALL - 41, 2 * VOCODER_CALL - 40, 40):
        part = np.ascontiguousarray(mel[:, :frames])
        assert np.array_equal(run_vocoder_windowed(vocoder, part), run_vocoder(vocoder, part))


def test_compacted_posseg_table_is_jiebas_own_and_shares_its_words():
    import jieba.posseg as posseg

    from tingbao.zh import compact_posseg, quiet_jieba

    compact_posseg()
    table = posseg.dt.word_tag_tab
    fresh = posseg.POSTokenizer(quiet_jieba().dt).word_tag_tab  # read from dict.txt again
    assert table == fresh and table is not fresh
    word = next(w for w in table if len(w) > 1 and table[w] == "nr")
    freq_key = next(k for k in quiet_jieba().dt.FREQ if k == word)
    assert next(k for k in table if k == word) is freq_key  # one string object for both tables
    assert len({id(tag) for tag in table.values()}) == len(set(table.values()))  # tags interned
    assert [(p.word, p.flag) for p in posseg.dt.cut("习近平在北京考察")][0] == ("习近平", fresh["习近平"])
