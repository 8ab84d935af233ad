"""Slugs: pinyin cut only between syllables, one length limit, section files named by their section."""

import re

import pytest
from pypinyin import Style, lazy_pinyin

from tingbao.slugs import SLUG_LIMIT, make_slug, section_file_names, slugify

LONG = "红色引擎迸发晶彩激荡两岸澎湃动力荆州经济技术开发区以高质量党建引领高质量发展"


def test_long_titles_are_cut_between_syllables():
    slug = make_slug(LONG)
    syllables = lazy_pinyin(LONG, style=Style.NORMAL)
    assert len(slug) <= SLUG_LIMIT
    assert slug.split("-") == syllables[: len(slug.split("-"))]  # whole syllables, in order
    assert len(slug) + 1 + len(syllables[len(slug.split("-"))]) > SLUG_LIMIT  # and as many as fit


def test_example_title_keeps_its_last_whole_syllable():
    assert make_slug("数字赋能绘就青禾湾新区高质量发展新图景") == "shu-zi-fu-neng-hui-jiu-qing-he-wan-xin-qu-gao-zhi-liang-fa"


@pytest.mark.parametrize("title, slug", [
    ("举旗帜", "ju-qi-zhi"),
    ("2025年工作报告", "2025-nian-gong-zuo-bao-gao"),  # numbers and Latin words stay whole
    ("<script>alert(1)</script> Tom & Jerry", "script-alert-1-script-tom-jerry"),
])
def test_slug_forms(title, slug):
    assert make_slug(title) == slug


def test_never_empty_and_never_a_path():
    for title in ("", "……", "../..", "——"):
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", make_slug(title))
    assert slugify("a" * 100) == "a" * SLUG_LIMIT  # one word longer than the limit is the only cut inside


def test_section_files_are_named_by_section():
    names = section_file_names(["导语", "举旗帜", "铸堡垒", LONG, "？？"])
    assert names[:3] == ["sections/01-dao-yu.mp3", "sections/02-ju-qi-zhi.mp3", "sections/03-zhu-bao-lei.mp3"]
    assert names[3] == f"sections/04-{make_slug(LONG)}.mp3" and names[4] == "sections/05-section.mp3"
    assert len(set(names)) == len(names)
