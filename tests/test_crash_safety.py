"""Never destroy what isn't ours, never lose an edition: foreign folders, bad metadata, kills at every rename."""

import json
import multiprocessing
import os
import shutil
import signal
import threading

import pytest
from click.testing import CliRunner

from tingbao.build import build_edition
from tingbao.cli import main
from tingbao.config import Settings
from tingbao.feed import publish_feed

from .fakes import ToneEngine

SHORT = "---\ntitle: {title}\n---\n\n## 第一节\n\n第一节的正文内容。\n\n## 第二节\n\n第二节的正文内容。\n"


def _tone_engine(monkeypatch):
    monkeypatch.setattr("tingbao.engines.choose_engine", lambda name, **kw: (ToneEngine(), "tone (test)"))


def _article(tmp_path, title="测试", name="a.md", body=SHORT):
    path = tmp_path / name
    path.write_text(body.format(title=title), encoding="utf-8")
    return path


def _cli_build(tmp_path, article, *args):
    return CliRunner().invoke(main, ["build", str(article), "-o", str(tmp_path / "out"), "--cache-dir",
                                     str(tmp_path / "cache"), *args])


def _series(**kw) -> Settings:
    values = dict(series_title="t", description="d", author="a", email="e@example.com", base_url="https://e.com")
    values.update(kw)
    return Settings(**values)


# ---------------------------------------------------------------- 1. folders that are not ours


def test_slug_naming_a_user_folder_is_refused_and_nothing_is_removed(tmp_path, monkeypatch):
    _tone_engine(monkeypatch)
    src = tmp_path / "out" / "src"
    src.mkdir(parents=True)
    (src / "main.py").write_text("code", encoding="utf-8")
    r = _cli_build(tmp_path, _article(tmp_path), "--slug", "src")
    assert r.exit_code == 2 and "src" in r.output and "not a tingbao edition" in r.output
    assert (src / "main.py").read_text(encoding="utf-8") == "code"
    assert sorted(p.name for p in src.iterdir()) == ["main.py"]


def test_title_whose_pinyin_matches_a_user_folder_is_refused(tmp_path, monkeypatch):
    _tone_engine(monkeypatch)
    folder = tmp_path / "out" / "ce-shi"
    folder.mkdir(parents=True)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff photo")
    r = _cli_build(tmp_path, _article(tmp_path, title="测试"))
    assert r.exit_code == 2 and "ce-shi" in r.output
    assert (folder / "photo.jpg").read_bytes() == b"\xff\xd8\xff photo"


@pytest.mark.parametrize("kind", ["file", "symlink", "corrupt-manifest", "foreign-manifest"])
def test_other_things_at_the_slug_are_refused(tmp_path, monkeypatch, kind):
    _tone_engine(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "ce-shi"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    if kind == "file":
        target.write_text("mine", encoding="utf-8")
    elif kind == "symlink":
        target.symlink_to(elsewhere)
    else:
        target.mkdir()
        text = "{not json" if kind == "corrupt-manifest" else json.dumps({"name": "some other tool"})
        (target / "edition.json").write_text(text, encoding="utf-8")
    before = sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*"))
    r = _cli_build(tmp_path, _article(tmp_path))
    assert r.exit_code == 2 and "ce-shi" in r.output, r.output
    after = sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*")
                   if "cache" not in p.parts)
    assert [x for x in after if x[0].parts[0] == "out"] == [x for x in before if x[0].parts[0] == "out"]
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_user_file_inside_an_edition_blocks_its_rebuild(tmp_path):
    settings = Settings(output=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"))
    first = build_edition(str(_article(tmp_path)), settings, engine=ToneEngine())
    (first.folder / "my-notes.txt").write_text("notes", encoding="utf-8")
    build_edition(str(_article(tmp_path)), settings, engine=ToneEngine())  # up to date: nothing is replaced
    settings.pause_scale = 1.3  # a real rebuild, which would replace the folder
    with pytest.raises(Exception, match="my-notes.txt") as caught:
        build_edition(str(_article(tmp_path)), settings, engine=ToneEngine())
    assert caught.value.exit_code == 2
    assert (first.folder / "my-notes.txt").read_text(encoding="utf-8") == "notes"


def test_names_like_ours_but_not_ours_are_never_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    keep = [out / ".index.html.bak", out / ".feed.xml.tmp", out / "notes.tmp", out / ".ce-shi.old-notes",
            out / ".ce-shi.partial-x1"]
    for path in keep:
        path.write_text("mine", encoding="utf-8")
    settings = Settings(output=str(out), cache_dir=str(tmp_path / "cache"))
    build_edition(str(_article(tmp_path)), settings, engine=ToneEngine())
    publish_feed(out, _series())
    assert all(p.read_text(encoding="utf-8") == "mine" for p in keep)


# ---------------------------------------------------------------- 3. bad metadata, bad editions


def test_bad_front_matter_date_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    _tone_engine(monkeypatch)
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: 测试\ndate: 2025-13-45\n---\n\n## 第一节\n\n正文内容。\n", encoding="utf-8")
    r = _cli_build(tmp_path, article)
    assert r.exit_code == 2, r.output
    assert "date" in r.output and "line 3" in r.output and "2025-13-45" in r.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_bad_edition_folder_does_not_stop_other_builds_or_publish(tmp_path, monkeypatch):
    _tone_engine(monkeypatch)
    out = tmp_path / "out"
    settings = Settings(output=str(out), cache_dir=str(tmp_path / "cache"))
    bad = build_edition(str(_article(tmp_path, title="坏的")), settings, engine=ToneEngine())
    manifest = json.loads((bad.folder / "edition.json").read_text(encoding="utf-8"))
    manifest["date"] = "2025-13-45"  # as an older tingbao let through
    (bad.folder / "edition.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    broken = out / "broken"
    broken.mkdir()
    (broken / "edition.json").write_text('{"title": ', encoding="utf-8")
    r = _cli_build(tmp_path, _article(tmp_path, title="好的", name="b.md"))
    assert r.exit_code == 0, r.output
    result = publish_feed(out, _series())
    assert result.items == 1
    assert any(bad.slug in w for w in result.warnings) and any("broken" in w for w in result.warnings)
    config = tmp_path / "t.toml"
    config.write_text('[series]\ntitle="t"\ndescription="d"\nauthor="a"\nemail="e@example.com"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["publish", str(out), "--base-url", "https://e.com", "--config", str(config)])
    assert r.exit_code == 0, r.output


# ---------------------------------------------------------------- 4, 5 and every rename: kills


def _child(fn, kill_at, log):
    """Run fn with every os.rename/os.replace/shutil.rmtree counted; SIGKILL ourselves at kill_at."""
    counter, lock = [0], threading.Lock()

    def wrap(real, name):
        def call(*args, **kwargs):
            with lock:
                index = counter[0]
                counter[0] += 1
            if log is not None:
                log.append((name, str(args[-1] if name != "rmtree" else args[0])))
            if kill_at == (index, "before"):
                os.kill(os.getpid(), signal.SIGKILL)
            result = real(*args, **kwargs)
            if kill_at == (index, "after"):
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return call

    os.rename, os.replace = wrap(os.rename, "rename"), wrap(os.replace, "replace")
    shutil.rmtree = wrap(shutil.rmtree, "rmtree")
    fn()


def _killed(fn, kill_at) -> int:
    proc = multiprocessing.get_context("fork").Process(target=_child, args=(fn, kill_at, None))
    proc.start()
    proc.join(120)
    return proc.exitcode


def _calls(fn) -> list[tuple[str, str]]:
    """The renames and removals fn makes, in order (run in a child so nothing here is patched)."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager:
        log = manager.list()
        proc = ctx.Process(target=_child, args=(fn, None, log))
        proc.start()
        proc.join(120)
        assert proc.exitcode == 0
        return list(log)


def _snapshot(root) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def _site(tmp_path):
    """Two editions published, then one folder removed (its feed item is kept until --prune).
    The articles stay in tmp_path, so every copy of the site records the same source paths."""
    out = tmp_path / "template" / "out"
    settings = Settings(output=str(out), cache_dir=str(tmp_path / "template" / "cache"))
    build_edition(str(_article(tmp_path, title="第一篇", name="a.md")), settings, engine=ToneEngine())
    gone = build_edition(str(_article(tmp_path, title="第二篇", name="b.md")), settings, engine=ToneEngine())
    publish_feed(out, _series(), per_section=True)
    shutil.rmtree(gone.folder)
    return out


def _rebuild_and_publish(root):
    def run():
        settings = Settings(output=str(root / "out"), cache_dir=str(root / "cache"), pause_scale=1.4)
        build_edition(str(root.parent / "a.md"), settings, engine=ToneEngine())
        publish_feed(root / "out", _series(), per_section=True)
    return run


@pytest.mark.slow  # builds killed in forked children, like the kill-at-every-rename test
def test_kill_after_the_old_edition_is_moved_aside(tmp_path):
    out = _site(tmp_path)
    template = out.parent
    slug = next(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    built_at = json.loads((out / slug / "edition.json").read_text(encoding="utf-8"))["built_at"]
    shutil.copytree(template, tmp_path / "probe")
    calls = _calls(_rebuild_and_publish(tmp_path / "probe"))
    aside = next(i for i, (name, dst) in enumerate(calls) if name in ("rename", "replace") and ".old-" in dst)
    for then in ("publish", "build"):
        work = tmp_path / then
        shutil.copytree(template, work)
        assert _killed(_rebuild_and_publish(work), (aside, "after")) == -signal.SIGKILL
        if then == "publish":  # a publish alone puts the edition back: it is not lost from the feed
            publish_feed(work / "out", _series(), per_section=True)
            assert "第一篇" in (work / "out" / "feed.xml").read_text(encoding="utf-8")
        else:
            _rebuild_and_publish(work)()
        manifest = json.loads((work / "out" / slug / "edition.json").read_text(encoding="utf-8"))
        assert manifest["built_at"] == built_at


@pytest.mark.parametrize("name", [".feed.xml.k2j4h5g6.tmp", ".index.html.a1b2c3d4.tmp", ".feed-sections.xml.zz_9yy8x.tmp",
                                  ".series-cover.jpg.qtwf8a2n.tmp"])
def test_temp_files_of_killed_runs_are_removed(tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_text("<rss", encoding="utf-8")
    settings = Settings(output=str(out), cache_dir=str(tmp_path / "cache"))
    build_edition(str(_article(tmp_path)), settings, engine=ToneEngine())
    publish_feed(out, _series())
    assert not (out / name).exists()


@pytest.mark.slow
def test_kill_at_every_rename_of_build_and_publish_then_rerun_equals_an_uninterrupted_run(tmp_path):
    template = _site(tmp_path).parent
    reference = tmp_path / "reference"
    shutil.copytree(template, reference)
    _rebuild_and_publish(reference)()
    expected = _snapshot(reference / "out")
    shutil.copytree(template, tmp_path / "probe")
    calls = _calls(_rebuild_and_publish(tmp_path / "probe"))
    assert any(".old-" in dst for _, dst in calls) and any(dst.endswith("feed.xml") for _, dst in calls)
    checked = 0
    for index, (name, dst) in enumerate(calls):
        for when in ("before", "after"):
            work = tmp_path / f"k{index}{when[0]}"
            shutil.copytree(template, work)
            assert _killed(_rebuild_and_publish(work), (index, when)) == -signal.SIGKILL, (name, dst)
            _rebuild_and_publish(work)()
            got = _snapshot(work / "out")
            assert got.keys() == expected.keys(), (index, when, name, dst, got.keys() ^ expected.keys())
            for path, data in expected.items():
                assert got[path] == data, (index, when, name, dst, path)
            shutil.rmtree(work)
            checked += 1
    assert checked == 2 * len(calls) >= 20


def test_a_user_index_page_in_the_output_folder_is_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<!doctype html><title>my project</title>", encoding="utf-8")
    settings = Settings(output=str(out), cache_dir=str(tmp_path / "cache"))
    result = build_edition(str(_article(tmp_path)), settings, engine=ToneEngine())
    published = publish_feed(out, _series())
    assert (out / "index.html").read_text(encoding="utf-8") == "<!doctype html><title>my project</title>"
    assert any("index.html" in w for w in result.warnings) and any("index.html" in w for w in published.warnings)
    (out / "index.html").unlink()
    publish_feed(out, _series())
    assert "测试" in (out / "index.html").read_text(encoding="utf-8")  # ours again: kept up to date
