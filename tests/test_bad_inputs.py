"""One table over every command: what a user can get wrong ends in one line, a non-zero exit,
no traceback and no partial output; the encodings we promise work."""

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from tingbao.cli import main

from .conftest import EXAMPLE

TEXT = EXAMPLE.read_text(encoding="utf-8")


def _files(tmp: Path) -> dict[str, Path]:
    made = {
        "empty": b"", "blank": b"  \n\t\n", "binary": bytes(range(256)) * 40,
        "undecodable": b"\x81\xff\xfe\x80" * 50 + b"\xff", "ascii": b"Only an English note here.\n",
        "gb18030": TEXT.encode("gb18030"), "utf16": TEXT.encode("utf-16"),
        "longline": ("标题新闻在这里\n\n" + "新区建设发展人民群众服务" * 900 + "\n").encode(),
        "notimage": b"GIF89a not really", "brokentoml": b"[series\ntitle=",
        "typetoml": b'[build]\nbitrate = "64"\n',
        "tiny": "青禾湾快讯\n\n新区今天开通了一条公交线路。\n".encode(),
        "pnggarbage": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "lexicontoml": ('[lexicon]\n"\u65b0\u533a" = "' + "\u9752" * 3000 + '"\n').encode(),
    }
    out = {}
    for name, data in made.items():
        path = tmp / (f"{name}.toml" if name.endswith("toml") else f"{name}.txt")
        path.write_bytes(data)
        out[name] = path
    out["notimage"] = out["notimage"].rename(tmp / "cover.jpg")
    edition = tmp / "pub" / "broken-edition"
    edition.mkdir(parents=True)
    (edition / "edition.json").write_text("{not json", encoding="utf-8")
    (tmp / "afile").write_text("x", encoding="utf-8")
    out["series"] = tmp / "series.toml"
    out["series"].write_text('[series]\ntitle="t"\ndescription="d"\nauthor="a"\nemail="e@example.com"\n',
                             encoding="utf-8")
    (tmp / "emptymodels").mkdir()
    (tmp / "o" / "src").mkdir(parents=True)  # a user's folder that a --slug names
    (tmp / "o" / "src" / "main.py").write_text("code\n", encoding="utf-8")
    out["baddate"] = tmp / "baddate.md"
    out["baddate"].write_text("---\ntitle: 青禾湾快讯\ndate: 2025-13-45\n---\n\n新区今天开通了一条公交线路。\n",
                              encoding="utf-8")
    out["hugejpeg"] = tmp / "huge.jpg"
    with open(out["hugejpeg"], "wb") as f:  # a JPEG header, then 50 MB of nothing (sparse: no disk used)
        f.write(b"\xff\xd8\xff\xe0")
        f.truncate(50 * 2**20)
    out["dircovertoml"] = tmp / "dircover.toml"
    out["dircovertoml"].write_text(f'[build]\ncover = "{tmp}"\n', encoding="utf-8")
    return out


B = ["build", "--engine", "local"]
CASES = [  # (id, argv with {placeholders}, exit code, words the one-line message must contain; None = succeeds)
    ("plan-missing", ["plan", "{tmp}/nope.txt"], 2, "no such file"),
    ("plan-directory", ["plan", "{tmp}"], 2, "directory"),
    ("plan-empty", ["plan", "{empty}"], 2, "empty"),
    ("plan-blank", ["plan", "{blank}"], 2, "empty"),
    ("plan-binary", ["plan", "{binary}"], 2, "binary"),
    ("plan-undecodable", ["plan", "{undecodable}"], 2, "encoding"),
    ("plan-no-chinese", ["plan", "{ascii}"], 2, "no Chinese"),
    ("plan-gb18030", ["plan", "{gb18030}"], 0, None),
    ("plan-utf16", ["plan", "{utf16}"], 0, None),
    ("plan-10k-line", ["plan", "{longline}"], 0, None),
    ("plan-5mb", ["plan", "{big}"], 0, None),
    ("plan-config-missing", ["plan", "{example}", "--config", "{tmp}/none.toml"], 2, "no such config"),
    ("build-missing", [*B, "{tmp}/nope.txt", "-o", "{out}"], 2, "no such file"),
    ("build-binary", [*B, "{binary}", "-o", "{out}"], 2, "binary"),
    ("build-no-chinese", [*B, "{ascii}", "-o", "{out}"], 2, "no Chinese"),
    ("build-rate", [*B, "{example}", "-o", "{out}", "--rate", "fast"], 2, "--rate"),
    ("build-bitrate", [*B, "{example}", "-o", "{out}", "--bitrate", "5000"], 2, "--bitrate"),
    ("build-jobs", [*B, "{example}", "-o", "{out}", "--jobs", "-3"], 2, "--jobs"),
    ("build-pitch", ["build", "--engine", "edge", "{example}", "-o", "{out}", "--pitch", "high"], 2, "--pitch"),
    ("build-engine", ["build", "--engine", "festival", "{example}", "-o", "{out}"], 2, "unknown engine"),
    ("build-voice", [*B, "{example}", "-o", "{out}", "--voice", "nobody"], 2, "tingbao voices --engine local"),
    ("build-unwritable-output", [*B, "{example}", "-o", "{tmp}/afile/out"], 2, "cannot write to the output"),
    ("build-cover", [*B, "{example}", "-o", "{out}", "--cover", "{notimage}"], 2, "not a JPEG or PNG"),
    ("build-broken-toml", [*B, "{example}", "-o", "{out}", "--config", "{brokentoml}"], 2, "not valid TOML"),
    ("build-missing-model", [*B, "{example}", "-o", "{out}", "--model-dir", "{tmp}/emptymodels"], 3,
     "does not hold the voice files"),
    # a broken edition is skipped (issue 13, point 3): it must not stop the others from publishing
    ("publish-corrupt-edition", ["publish", "{tmp}/pub", "--base-url", "https://e.com", "--config", "{series}"], 0,
     None),
    ("publish-no-folder", ["publish", "{tmp}/nothing", "--base-url", "https://e.com", "--config", "{series}"], 2,
     "no such output folder"),
    ("publish-bad-url", ["publish", "{tmp}", "--base-url", "ftp:/x", "--config", "{series}"], 2, "--base-url"),
    ("publish-missing-series-key", ["publish", "{tmp}", "--base-url", "https://e.com"], 2, "series.description"),
    ("serve-no-folder", ["serve", "{tmp}/nothing"], 2, "no such folder"),
    ("serve-port-in-use", ["serve", "{tmp}", "--port", "{port}"], 2, "already in use"),
    ("voices-unknown-engine", ["voices", "--engine", "festival"], 2, "unknown engine"),
    # issue 13: click's own usage errors in the same one-line form
    ("build-bitrate-text", [*B, "{example}", "-o", "{out}", "--bitrate", "abc"], 2, "--bitrate"),
    ("build-cover-directory", [*B, "{example}", "-o", "{out}", "--cover", "{tmp}"], 2, "--cover"),
    ("build-unknown-option", [*B, "{example}", "-o", "{out}", "--colour", "red"], 2, "--colour"),
    ("plan-no-article", ["plan"], 2, "ARTICLE"),
    ("unknown-command", ["bulid", "{example}"], 2, "bulid"),
    ("serve-port-text", ["serve", "{tmp}", "--port", "http"], 2, "--port"),
    ("build-toml-type", [*B, "{example}", "-o", "{out}", "--config", "{typetoml}"], 2, "build.bitrate"),
    ("plan-lexicon-too-long", ["plan", "{example}", "--config", "{lexicontoml}"], 2, "at most 50"),
    ("build-lexicon-too-long", [*B, "{example}", "-o", "{out}", "--config", "{lexicontoml}"], 2, "at most 50"),
    # issue 13: a cover that is not a readable image is refused before synthesis, not by ffmpeg after it
    ("build-cover-png-garbage", [*B, "{tiny}", "-o", "{out}", "--cover", "{pnggarbage}"], 2, "not a JPEG or PNG"),
    ("build-cover-50mb", [*B, "{tiny}", "-o", "{out}", "--cover", "{hugejpeg}"], 2, "MB"),
    ("build-cover-directory-toml", [*B, "{tiny}", "-o", "{out}", "--config", "{dircovertoml}"], 2, "directory"),
    # issue 13: the user's storage is exit 74, naming the path
    ("build-cache-is-a-file", [*B, "{tiny}", "-o", "{out}", "--cache-dir", "{tmp}/afile"], 74, "clip cache"),
    ("build-cache-under-a-file", [*B, "{tiny}", "-o", "{out}", "--cache-dir", "{tmp}/afile/c"], 74, "clip cache"),
    # issue 13: never replace what is not ours; metadata checked before anything is written
    ("build-slug-names-a-user-folder", [*B, "{tiny}", "-o", "{tmp}/o", "--slug", "src"], 2, "not a tingbao edition"),
    ("build-bad-front-matter-date", [*B, "{baddate}", "-o", "{out}"], 2, "line 3"),
    # issue 13: no input is read without limit
    ("plan-dev-zero", ["plan", "/dev/zero"], 2, "50 MB"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    files = _files(tmp)
    big = tmp / "big.txt"
    big.write_text(TEXT * (5_000_000 // len(TEXT.encode()) + 1), encoding="utf-8")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    values = {name: str(path) for name, path in files.items()}
    values.update(tmp=str(tmp), out=str(tmp / "out"), example=str(EXAMPLE), big=str(big),
                  port=str(busy.getsockname()[1]))
    yield tmp, values
    busy.close()


def test_the_matrix_is_big_enough():
    assert len(CASES) >= 25 and {c[1][0] for c in CASES} >= {"plan", "build", "publish", "serve", "voices"}


LONG = {"plan-5mb"}  # reading a 5 MB article takes most of a minute: the full run's


@pytest.mark.parametrize("case, argv, code, words", [
    pytest.param(*c, id=c[0], marks=[pytest.mark.slow] if c[0] in LONG else []) for c in CASES])
def test_bad_input(world, case, argv, code, words, monkeypatch):
    tmp, values = world
    monkeypatch.setenv("TINGBAO_CACHE_DIR", str(tmp / "cache"))
    r = CliRunner().invoke(main, [a.format(**values) for a in argv])
    assert r.exit_code == code, r.output
    assert "Traceback" not in r.output
    if words is None:
        return
    errors = [line for line in r.output.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("tingbao: ") and words in errors[0], r.output
    out = Path(values["out"])
    assert (tmp / "o" / "src" / "main.py").read_text(encoding="utf-8") == "code\n"
    if out.exists():  # no partial edition, no temp files
        assert [p.name for p in out.iterdir() if p.name != "index.html"] == []


def test_models_fetch_with_no_way_to_fetch(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TINGBAO_MODEL_DIR", raising=False)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None)
    r = CliRunner().invoke(main, ["models", "fetch"])
    assert r.exit_code == 3 and "Traceback" not in r.output
    lines = [line for line in r.output.splitlines() if line.startswith("tingbao:")]
    assert len(lines) == 1 and "could not download" in lines[0] and "--model-dir" in lines[0]
    assert not (tmp_path / "data" / "tingbao" / "models" / "baker").exists()


def test_build_reports_json_for_each_failed_article(world):
    _, values = world
    r = CliRunner().invoke(main, [*B, values["binary"], "-o", values["out"], "--json"])
    assert r.exit_code == 2
    assert json.loads(r.output)[0]["error"].endswith("looks like a binary file, not text")


HOSTILE_TITLE = "\u202e全家\U0001f468\u200d\U0001f469\u200d\U0001f467出游\uffff\ufffe\x01记\u2066"


def test_hostile_title_characters_are_cleaned_on_reading(tmp_path):
    """XML-illegal characters and bidi controls go; the joiners inside one emoji stay (issue 13, points 2, 10)."""
    article = tmp_path / "a.txt"
    article.write_text(f"{HOSTILE_TITLE}\n\n新区今天开通了一条公交线路。\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["plan", str(article), "--json"])
    assert r.exit_code == 0, r.output
    title = json.loads(r.output[r.output.index("{"):])["article"]["title"]
    assert title == "全家\U0001f468\u200d\U0001f469\u200d\U0001f467出游记"


def test_hostile_title_gives_a_well_formed_feed(tmp_path, monkeypatch):
    import xml.etree.ElementTree as ET

    from . import fakes

    monkeypatch.setattr("tingbao.engines.choose_engine", lambda name, **kw: (fakes.ToneEngine(), "tone (test)"))
    article = tmp_path / "a.txt"
    article.write_text(f"{HOSTILE_TITLE}\n\n新区今天开通了一条公交线路。\n", encoding="utf-8")
    series = tmp_path / "series.toml"
    series.write_text('[series]\ntitle="早\\u202e听\\uffff报"\ndescription="d"\nauthor="a"\nemail="e@example.com"\n',
                      encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["build", "--engine", "local", str(article), "-o", str(out), "--cache-dir",
                                  str(tmp_path / "cache"), "--config", str(series)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["publish", str(out), "--base-url", "https://e.com", "--config", str(series)])
    assert r.exit_code == 0, r.output
    feed = ET.parse(out / "feed.xml").getroot()  # raised "not well-formed" before
    assert feed.find("channel/title").text == "早听报"
    assert feed.find("channel/item/title").text == "全家\U0001f468\u200d\U0001f469\u200d\U0001f467出游记"


def test_bare_tingbao_still_shows_the_help():
    r = CliRunner().invoke(main, [])
    assert r.output.startswith("Usage:") and "Commands:" in r.output
    assert not any(line.startswith("tingbao: ") for line in r.output.splitlines())
