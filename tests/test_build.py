"""`tingbao build`, checked with real readers: ffmpeg, mutagen, pyloudnorm."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from mutagen.id3 import ID3

from tingbao.build import build_edition, make_slug
from tingbao.config import Settings
from tingbao.outputs.mp3 import decode, ffmpeg_exe

from .conftest import DATA, EXAMPLE, ROOT
from .fakes import ToneEngine

FRAME = 1152 / 44100  # one MP3 frame


def _build(tmp_path, article=EXAMPLE, engine=None, **settings):
    engine = engine or ToneEngine()
    s = Settings(output=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"), **settings)
    return build_edition(str(article), s, engine=engine), engine


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("edition")
    result, engine = _build(tmp)
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    return result, manifest


def test_layout_and_slug(edition):
    result, manifest = edition
    assert result.slug == make_slug("数字赋能绘就青禾湾新区高质量发展新图景")
    assert re.fullmatch(r"[a-z0-9-]+", result.slug)
    names = {f["path"] for f in manifest["files"]}
    assert {f"{result.slug}.mp3", "sections.m3u8", "transcript.vtt", "transcript.srt", "chapters.json"} <= names
    assert [c["title"] for c in manifest["chapters"]] == ["导语", "建新城", "强产业", "优环境", "暖民生"]
    for f in manifest["files"]:
        assert (result.folder / f["path"]).stat().st_size == f["bytes"]
    assert not list(result.folder.parent.glob(".*"))  # no temp folders or files left


def test_mp3_duration_matches_pcm(edition):
    result, manifest = edition
    pcm = decode(result.folder / f"{result.slug}.mp3")
    assert abs(len(pcm) / 44100 - manifest["duration"]) <= FRAME


def test_chapters_as_ffmpeg_sees_them(edition):
    result, manifest = edition
    out = subprocess.run([ffmpeg_exe(), "-i", str(result.folder / f"{result.slug}.mp3"), "-f", "ffmetadata", "-"],
                         capture_output=True, text=True).stdout
    blocks = out.split("[CHAPTER]")[1:]
    starts = [int(re.search(r"^START=(\d+)$", b, re.M).group(1)) / 1000 for b in blocks]
    titles = [re.search(r"^title=(.*)$", b, re.M).group(1) for b in blocks]
    assert titles == [c["title"] for c in manifest["chapters"]]
    assert starts == sorted(starts)
    for start, chapter in zip(starts, manifest["chapters"], strict=True):
        assert abs(start - chapter["start"]) <= FRAME


def test_id3_chapters_exact(edition):
    result, manifest = edition
    tags = ID3(result.folder / f"{result.slug}.mp3")
    assert tags.version[:2] == (2, 3)
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    (toc,) = tags.getall("CTOC")
    assert int(toc.flags) == 0x03 and toc.child_element_ids == [c.element_id for c in chaps]
    chapters_json = json.loads((result.folder / "chapters.json").read_text(encoding="utf-8"))
    assert chapters_json["version"] == "1.2.0"
    for chap, entry in zip(chaps, chapters_json["chapters"], strict=True):
        assert chap.start_time == round(entry["startTime"] * 1000) and chap.end_time == round(entry["endTime"] * 1000)
        assert chap.start_offset == 0xFFFFFFFF and str(chap.sub_frames["TIT2"]) == entry["title"]
    assert all(a.end_time == b.start_time for a, b in zip(chaps, chaps[1:], strict=False))
    assert abs(chaps[-1].end_time / 1000 - manifest["duration"]) < 0.002
    assert str(tags["TIT2"]) == "数字赋能绘就青禾湾新区高质量发展新图景"


@pytest.mark.slow  # decodes and measures the whole programme twice (pyloudnorm, ffmpeg's ebur128)
def test_loudness_and_true_peak(edition):
    import pyloudnorm

    result, _ = edition
    mp3 = result.folder / f"{result.slug}.mp3"
    audio = decode(mp3).astype(np.float64) / 32768
    assert abs(pyloudnorm.Meter(44100).integrated_loudness(audio) + 19) <= 1
    err = subprocess.run([ffmpeg_exe(), "-nostats", "-i", str(mp3), "-af", "ebur128=peak=true", "-f", "null", "-"],
                         capture_output=True, text=True).stderr
    peak = float(re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", err)[-1])
    assert peak <= -1.0


def test_section_files_and_playlist(edition):
    result, manifest = edition
    m3u = (result.folder / "sections.m3u8").read_text(encoding="utf-8").splitlines()
    assert m3u[0] == "#EXTM3U"
    files = [line for line in m3u if line.startswith("sections/")]
    assert len(files) == len(manifest["chapters"])
    for name, chapter in zip(files, manifest["chapters"], strict=True):
        length = len(decode(result.folder / name)) / 44100
        assert abs(length - (chapter["end"] - chapter["start"])) <= FRAME
        assert str(ID3(result.folder / name)["TIT2"]) == chapter["title"]


def _cues(text, sep):
    blocks = [b.splitlines() for b in text.strip().split("\n\n") if "-->" in b]
    out = []
    for b in blocks:
        start, end = (t.strip() for t in b[1].split("-->"))
        to_s = lambda t: sum(float(x) * m for x, m in zip(t.replace(sep, ".").split(":"), (3600, 60, 1), strict=True))  # noqa: E731
        out.append((to_s(start), to_s(end), "\n".join(b[2:])))
    return out


@pytest.mark.parametrize("name, sep", [("transcript.vtt", "."), ("transcript.srt", ",")])
def test_transcripts(edition, name, sep):
    from tingbao import plan_article

    result, _ = edition
    cues = _cues((result.folder / name).read_text(encoding="utf-8"), sep)
    assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:], strict=False))
    assert all(s < e for s, e, _ in cues)
    spoken = "".join(s.text for s in plan_article(EXAMPLE).sentences if not s.is_silent)
    assert re.sub(r"\s", "", "".join(c[2] for c in cues)) == re.sub(r"\s", "", spoken)
    assert "社区志愿者" not in "".join(c[2] for c in cues)  # the skipped caption is not heard


@pytest.mark.slow  # the whole example built and encoded twice more
def test_rebuild_and_one_paragraph_edit(tmp_path):
    first, engine = _build(tmp_path)
    assert first.synthesized == len(set(engine.calls)) > 0
    again = ToneEngine()
    second, _ = _build(tmp_path, engine=again)
    assert again.calls == [] and second.cached == second.chunks
    edited = tmp_path / "edited.txt"
    edited.write_text(EXAMPLE.read_text(encoding="utf-8").replace("新区坚持“一张蓝图绘到底”", "新区始终坚持“一张蓝图绘到底”"),
                      encoding="utf-8")
    third_engine = ToneEngine()
    _build(tmp_path, article=edited, engine=third_engine)
    assert len(third_engine.calls) == 1


@pytest.mark.slow  # a second whole build of the example (test_byte_identical keeps a short one in the loop)
def test_same_input_same_manifest(edition, tmp_path):
    ma = dict(edition[1])  # the module's build, from a cache of its own like this one
    b, _ = _build(tmp_path / "b")
    mb = json.loads((b.folder / "edition.json").read_text(encoding="utf-8"))
    ma.pop("built_at"), mb.pop("built_at")
    assert ma == mb


def test_chapter_level_two(tmp_path):
    from .conftest import DATA

    result, _ = _build(tmp_path, article=DATA / "outline.txt", chapter_level=2)
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    assert len(manifest["chapters"]) == 7
    flat, _ = _build(tmp_path / "flat", article=DATA / "outline.txt")
    assert len(json.loads((flat.folder / "edition.json").read_text(encoding="utf-8"))["chapters"]) == 3


def test_corrupt_cache_entry_is_resynthesised(tmp_path):
    import shutil

    outline = DATA / "outline.txt"  # any article: the cache is what is checked
    first, _ = _build(tmp_path, article=outline)
    shutil.rmtree(first.folder)  # otherwise the unchanged edition is simply up to date
    entry = next((tmp_path / "cache").rglob("*.clip"))
    entry.write_bytes(entry.read_bytes()[:-100])
    engine = ToneEngine()
    _build(tmp_path, article=outline, engine=engine)
    assert len(engine.calls) == 1


KILL_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.fakes import ToneEngine
from tingbao.build import build_edition
from tingbao.config import Settings
build_edition({article!r}, Settings(output={out!r}, cache_dir={cache!r}), engine=ToneEngine(delay={delay}))
"""


@pytest.mark.slow
def test_sigkill_midway_then_rerun_equals_clean_build(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    script = KILL_SCRIPT.format(root=str(ROOT), article=str(EXAMPLE), out=str(out), cache=str(cache), delay=0.15)
    proc = subprocess.Popen([sys.executable, "-c", script])
    import time

    deadline = time.time() + 60
    while time.time() < deadline and len(list(cache.rglob("*.clip"))) < 5:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert not (out.exists() and any(p.name.endswith(".mp3") for p in out.rglob("*.mp3") if ".partial" not in str(p)))
    subprocess.run([sys.executable, "-c", script.replace("delay=0.15", "delay=0")], check=True)
    clean, _ = _build(tmp_path / "clean")
    killed = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temp files left behind
    for name in ("chapters.json", "transcript.vtt", f"{clean.slug}.mp3"):
        assert (killed / name).read_bytes() == (clean.folder / name).read_bytes()


@pytest.mark.slow
def test_seed_builds_with_the_local_engine(seed_path, model_dir, tmp_path):
    settings = Settings(output=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"), model_dir=str(model_dir))
    result = build_edition(str(seed_path), settings)
    manifest = json.loads((result.folder / "edition.json").read_text(encoding="utf-8"))
    assert [c["title"] for c in manifest["chapters"]] == ["导语", "举旗帜", "铸堡垒", "建队伍", "促发展"]
    assert manifest["engine"]["name"] == "local"
    assert {s["line"] for s in manifest["skipped"]} == {5, 7, 101, 153}
    pcm = decode(result.folder / f"{result.slug}.mp3")
    assert abs(len(pcm) / 44100 - manifest["duration"]) <= FRAME
    chars = sum(len(s["text"]) for s in manifest["sentences"])
    assert chars / 7 <= manifest["duration"] <= chars / 2.5
