"""edition.json as a typed Edition: written and read back alike, every field's type checked,
and editions written by earlier tingbao versions still read."""

import dataclasses
import json
import shutil

import pytest

from tingbao import edition as E
from tingbao.editions import load_editions
from tingbao.errors import InvalidEdition
from tingbao.staging import check_replaceable, read_manifest

from .conftest import DATA

GOLDEN = DATA / "golden_edition"  # edition.json as the tingbao before edition.py wrote it


@pytest.fixture
def golden(tmp_path):
    """A copy of the old edition's folder (with a stand-in MP3, which listing needs)."""
    folder = tmp_path / "out" / "golden"
    shutil.copytree(GOLDEN, folder)
    (folder / "golden.mp3").write_bytes(b"ID3")
    return folder


def _write(folder, data):
    (folder / "edition.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _data(folder):
    return json.loads((folder / "edition.json").read_text(encoding="utf-8"))


def test_an_edition_written_before_edition_py_loads_and_writes_the_same_json(golden):
    edition = E.load(golden)
    assert edition.title == "青禾湾新区开通三条公交新线路" and edition.date == "2025-06-18"
    assert [c.title for c in edition.chapters] == ["导语", "线路", "票价", "下一步"]
    assert edition.chapters[1].file == "sections/02-xian-lu.mp3" and edition.chapters[1].sections == (1,)
    assert edition.engine.name == "tone" and edition.settings.bitrate == 64 and edition.chunks > 0
    assert edition.skipped[0].reason == "photo caption"
    assert edition.to_json() == (golden / "edition.json").read_text(encoding="utf-8")


def test_round_trip_gives_an_equal_edition(golden, tmp_path):
    edition = E.load(golden)
    again = tmp_path / "again"
    again.mkdir()
    (again / "edition.json").write_text(edition.to_json(), encoding="utf-8")
    assert E.load(again) == edition
    changed = dataclasses.replace(edition, title="另一个标题", chapters=edition.chapters[:1])
    (again / "edition.json").write_text(changed.to_json(), encoding="utf-8")
    assert E.load(again) == changed != edition


def test_an_edition_from_the_first_tingbao_loads_and_keeps_its_keys(golden):
    """The first edition.json had no volume, pitch, cover, moves, chapter files, fingerprint or chunks."""
    data = _data(golden)
    for key in ("volume", "pitch"):
        del data["engine"][key]
    for key in ("cover", "moves", "fingerprint", "chunks"):
        del data[key]
    for chapter in data["chapters"]:
        del chapter["file"]
    _write(golden, data)
    edition = E.load(golden)
    assert edition.cover is None and edition.moves is None and edition.fingerprint is None
    assert edition.engine.volume is None and edition.chapters[0].file is None
    assert json.loads(edition.to_json()) == data  # nothing it did not have is added
    assert read_manifest(golden) == edition
    assert [e.slug for e in load_editions(golden.parent)] == ["golden"]


@pytest.mark.parametrize(("path", "value", "reason"), [
    (("title",), 3, "title is not a string"),
    (("duration",), "70s", "duration is not a number"),
    (("chapters", 2, "start"), None, "chapters[2].start is missing"),
    (("chapters", 0, "sections"), 0, "chapters[0].sections is not a list"),
    (("files", 1, "bytes"), 1.5, "files[1].bytes is not a whole number"),
    (("engine", "sample_rate"), True, "engine.sample_rate is not a whole number"),
    (("settings", "skip_byline"), "no", "settings.skip_byline is not true or false"),
    (("sentences", 3), "text", "sentences[3] is not an object"),
    (("notes",), "one note", "notes is not a list"),
    (("schema_version",), 2, "schema_version 2 is newer than this tingbao reads (1)"),
])
def test_a_broken_field_is_named(golden, path, value, reason):
    data = _data(golden)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    _write(golden, data)
    with pytest.raises(InvalidEdition) as info:
        E.load(golden)
    assert str(info.value) == reason
    assert read_manifest(golden) is None
    warnings = []
    assert load_editions(golden.parent, warnings) == []
    assert len(warnings) == 1 and reason in warnings[0] and str(golden) in warnings[0]


@pytest.mark.parametrize(("text", "reason"), [
    (None, "no edition.json"),
    ('{"title": ', "edition.json is not JSON"),
    ("[1, 2]", "edition.json is not an object"),
    ('{"name": "some other tool"}', "schema_version is missing"),
])
def test_what_is_not_an_edition(tmp_path, text, reason):
    if text is not None:
        (tmp_path / "edition.json").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidEdition, match=reason):
        E.load(tmp_path)


def test_a_folder_with_a_broken_edition_json_is_never_replaced_and_says_why(golden):
    data = _data(golden)
    data["files"] = "all of them"
    _write(golden, data)
    with pytest.raises(InvalidEdition):
        E.load(golden)
    from tingbao.errors import NotAnEdition

    with pytest.raises(NotAnEdition, match="files is not a list"):
        check_replaceable(golden)


def test_a_bad_date_is_listed_nowhere_but_the_folder_stays_ours(golden):
    """A value only the feed cannot use (a date that is no day) skips the folder in listings, yet a
    rebuild may still replace it: the folder is ours."""
    data = _data(golden)
    data["date"] = "2025-13-45"
    _write(golden, data)
    warnings = []
    assert load_editions(golden.parent, warnings) == [] and "not a real date" in warnings[0]
    assert check_replaceable(golden) == E.load(golden)


def test_a_days_issue_keeps_its_own_fields(golden):
    """`tingbao issue` writes kind, articles and nested chapters: they load, and are written back as they were."""
    data = _data(golden)
    data = {**{k: data[k] for k in ("schema_version", "tingbao_version", "built_at")}, "kind": "issue",
            "articles": ["golden"], **{k: v for k, v in data.items() if k not in ("schema_version", "tingbao_version",
                                                                               "built_at", "fingerprint", "chunks")}}
    data["source"]["format"] = "issue"
    data["chapters"] = [{"title": "青禾湾新区开通三条公交新线路", "start": 0.0, "end": 70.55, "sections": [],
                         "kind": "article", "slug": "golden",
                         "children": [{"title": "线路", "start": 22.9, "end": 42.75}]}]
    _write(golden, data)
    edition = E.load(golden)
    assert edition.is_issue and edition.articles == ("golden",)
    assert edition.chapters[0].children[0] == E.SubChapter("线路", 22.9, 42.75) and edition.chapters[0].file is None
    assert edition.to_json() == (golden / "edition.json").read_text(encoding="utf-8")
    assert not E.load(GOLDEN).is_issue
