import json

import pytest
from click.testing import CliRunner

from tingbao.cli import main

from .conftest import EXAMPLE


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_plan_tree():
    r = run("plan", str(EXAMPLE))
    assert r.exit_code == 0, r.output
    assert "建新城" in r.output and "line 71 (photo caption)" in r.output and "chars/s" in r.output


def test_plan_speech_side_by_side():
    r = run("plan", str(EXAMPLE), "--speech")
    assert "→ 二零二五年青禾湾新区建设发展综述" in r.output


def test_plan_json_schema():
    data = json.loads(run("plan", str(EXAMPLE), "--json").output)
    assert data["schema"] == "tingbao.plan/1"
    assert data["article"]["title"].startswith("数字赋能")
    assert data["chunks"] and all(len(c["speech"]) <= 120 for c in data["chunks"])


def _speech_view(article_json):
    return [(s["heading"], s["level"], s["subheads"], [(x["text"], x["speech"]) for p in s["paragraphs"]
             for x in p["sentences"]]) for s in article_json["sections"]]


@pytest.mark.parametrize("source", ["example", "seed"])
def test_markdown_round_trip(tmp_path, source, request):
    path = EXAMPLE if source == "example" else request.getfixturevalue("seed_path")
    script = tmp_path / "script.md"
    script.write_text(run("plan", str(path), "--markdown").output, encoding="utf-8")
    before = json.loads(run("plan", str(path), "--json").output)["article"]
    after = json.loads(run("plan", str(script), "--json").output)["article"]
    assert _speech_view(after) == _speech_view(before)
    assert (after["title"], after["subtitle"], after["byline"]) == (before["title"], before["subtitle"], before["byline"])


def test_plan_from_stdin():
    r = run("plan", "-", input=EXAMPLE.read_text(encoding="utf-8"))
    assert r.exit_code == 0 and "暖民生" in r.output


LONG_LINE = "标题新闻在这里\n\n" + "新区建设发展人民群众服务" * 900 + "\n"


@pytest.mark.parametrize("name, content, code, message", [
    ("missing", None, 2, "no such file"),
    ("empty", b"", 2, "empty"),
    ("blank", b" \n\n\t\n", 2, "empty"),
    ("binary", bytes(range(256)) * 40, 2, "binary"),
    ("undecodable", b"\x81\xff\xfe\x80" * 50 + b"\xff", 2, "encoding"),
    ("no-chinese", b"Just an English note.\n", 2, "no Chinese"),
    ("long-line", LONG_LINE.encode(), 0, None),
    ("gb18030", "标题在此\n\n正文内容，数字2025年。\n".encode("gb18030"), 0, None),
    ("utf16", "标题在此\n\n正文内容。\n".encode("utf-16"), 0, None),
])
def test_bad_input_table(tmp_path, name, content, code, message):
    path = tmp_path / f"{name}.txt"
    if content is not None:
        path.write_bytes(content)
    r = run("plan", str(path))
    assert r.exit_code == code, r.output
    assert "Traceback" not in r.output
    if message:
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0]


def test_directory_is_refused(tmp_path):
    r = run("plan", str(tmp_path))
    assert r.exit_code == 2 and "directory" in r.output


@pytest.mark.slow  # a 1 MB article
def test_big_article_plans(tmp_path):
    path = tmp_path / "big.txt"
    body = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(body * (1_000_000 // len(body.encode())), encoding="utf-8")
    r = run("plan", str(path), "--json")
    assert r.exit_code == 0
    assert len(json.loads(r.output)["chunks"]) > 1000


def test_broken_config_is_one_line(tmp_path):
    cfg = tmp_path / "tingbao.toml"
    cfg.write_text("[series\ntitle=", encoding="utf-8")
    r = run("plan", str(EXAMPLE), "--config", str(cfg))
    assert r.exit_code == 2 and "not valid TOML" in r.output


def test_help_examples_name_real_files():
    import re

    from .conftest import ROOT

    for path in set(re.findall(r"examples/\S+", run("--help").output)):
        assert (ROOT / path).is_file(), path


CORPUS = EXAMPLE.parents[1] / "tests" / "corpus"


def test_plan_lists_moves_and_skipped_lines(seed_path):
    out = run("plan", str(seed_path)).output
    assert "lines 75–83 → after line 97" in out and "lines 103–129 → after line 149" in out
    assert "line 101 (photo caption)" in out
    data = json.loads(run("plan", str(seed_path), "--json").output)
    assert [(m["from_lines"], m["to_after_line"]) for m in data["article"]["moves"]] == [([75, 83], 97),
                                                                                        ([103, 129], 149)]


@pytest.mark.parametrize("name", ["news-epaper-yingshang.txt", "news-web-caishichang.txt", "long-aq-pdf.txt"])
def test_markdown_round_trip_corpus(tmp_path, name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} not in the corpus")
    script = tmp_path / "script.md"
    script.write_text(run("plan", str(path), "--markdown").output, encoding="utf-8")
    before = json.loads(run("plan", str(path), "--json").output)["article"]
    after = json.loads(run("plan", str(script), "--json").output)["article"]
    assert _speech_view(after) == _speech_view(before)


def test_plan_speech_marks_every_rewritten_sentence(seed_path):
    data = json.loads(run("plan", str(seed_path), "--json").output)["article"]
    differs = [x for s in data["sections"] for p in s["paragraphs"] for x in p["sentences"]
               if x["text"].strip() != x["speech"]]
    out = run("plan", str(seed_path), "--speech").output
    marked = [line for line in out.splitlines() if line.startswith("* ")]
    assert differs and len(marked) == len(differs)
