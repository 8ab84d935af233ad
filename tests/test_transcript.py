"""Transcripts: cue text is escaped as WebVTT requires, and unchanged when nothing needs escaping."""

from pathlib import Path

from tingbao.assembly import Chapter, Cue, Programme
from tingbao.outputs import transcript as T

RATE = 1000


def _programme(*texts: str) -> Programme:
    cues = [Cue(i * RATE, (i + 1) * RATE, text, 0, i) for i, text in enumerate(texts)]
    return Programme(RATE, [Chapter("第一章", 0, len(texts) * RATE, [0])], cues, -20.0, 0.0, Path("."))


def _cue_texts(vtt: str) -> list[str]:
    """What a WebVTT parser takes as cue text: the lines after each timing line, up to a blank line."""
    blocks = vtt.split("\n\n")[1:]
    texts = []
    for block in blocks:
        lines = block.strip("\n").split("\n")
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        text = lines[timing + 1:]
        assert all("-->" not in line for line in text), block  # a second "-->" ends the cue for Chromium
        texts.append("\n".join(text))
    return texts


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_vtt_escapes_arrows_ampersands_and_angle_brackets():
    texts = ["温度从10-->20度", "A&B公司<重组>完成", "&lt;不是标签"]
    vtt = T.vtt(_programme(*texts))
    cues = _cue_texts(vtt)
    assert [_unescape(c) for c in cues] == texts
    assert "<" not in "".join(cues) and all(c.count("&") == c.count("&amp;") + c.count("&lt;") + c.count("&gt;")
                                            for c in cues)
    section = T.section_vtt(_programme(*texts), 0)
    assert [_unescape(c) for c in _cue_texts(section)] == texts


def test_srt_has_no_second_arrow_in_cue_text():
    srt = T.srt(_programme("温度从10-->20度"))
    assert srt.count("-->") == 1 and "温度从10→20度" in srt


def test_plain_text_is_byte_identical():
    texts = ["青禾湾新区今年新增学位9000多个。", "群众满意率达到97%，“引号”也照旧。"]
    programme = _programme(*texts)
    assert T.vtt(programme) == ("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\n" + texts[0] + "\n\n"
                                "2\n00:00:01.000 --> 00:00:02.000\n" + texts[1] + "\n")
    assert T.srt(programme) == ("1\n00:00:00,000 --> 00:00:01,000\n" + texts[0] + "\n\n"
                                "2\n00:00:01,000 --> 00:00:02,000\n" + texts[1] + "\n")
