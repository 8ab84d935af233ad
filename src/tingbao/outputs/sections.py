"""Per-chapter MP3s (encoded from the same PCM, never cut from the edition MP3) and sections.m3u8."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..assembly import Programme
from ..slugs import section_file_names
from .mp3 import Tags, encode


def write_sections(programme: Programme, folder: Path, base_tags: Tags, bitrate: int,
                   cover: str | None = None, on_samples: Callable[[int], None] | None = None) -> list[str]:
    total = len(programme.chapters)
    files = section_file_names([c.title for c in programme.chapters])  # NN-<section-slug>.mp3
    for number, (chapter, name) in enumerate(zip(programme.chapters, files, strict=True), 1):
        tags = Tags(title=chapter.title, artist=base_tags.artist, album=base_tags.title, date=base_tags.date,
                    comment=base_tags.comment, track=f"{number}/{total}")
        encode([programme.chapter_file(number - 1)], programme.sample_rate, folder / name, tags, [], bitrate, cover,
               on_samples)
    return files


def playlist(programme: Programme, names: list[str]) -> str:
    out = ["#EXTM3U"]
    for chapter, name in zip(programme.chapters, names, strict=True):
        seconds = (programme.ms(chapter.end) - programme.ms(chapter.start)) // 1000
        out += [f"#EXTINF:{seconds},{chapter.title}", name]
    return "\n".join(out) + "\n"
