"""Per-chapter MP3s (encoded from the same PCM, never cut from the edition MP3) and sections.m3u8."""

from __future__ import annotations

from pathlib import Path

from ..assembly import Programme
from .mp3 import Tags, encode


def section_name(number: int, slug: str) -> str:
    return f"sections/{number:02d}-{slug}.mp3"


def write_sections(programme: Programme, folder: Path, slug: str, base_tags: Tags, bitrate: int,
                   cover: str | None = None) -> list[str]:
    names = []
    total = len(programme.chapters)
    for number, chapter in enumerate(programme.chapters, 1):
        name = section_name(number, slug)
        tags = Tags(title=chapter.title, artist=base_tags.artist, album=base_tags.title, date=base_tags.date,
                    language=base_tags.language, comment=base_tags.comment, genre=base_tags.genre,
                    track=f"{number}/{total}")
        encode([programme.chapter_file(number - 1)], programme.sample_rate, folder / name, tags, [], bitrate, cover)
        names.append(name)
    return names


def playlist(programme: Programme, names: list[str]) -> str:
    out = ["#EXTM3U"]
    for chapter, name in zip(programme.chapters, names, strict=True):
        seconds = round((chapter.end - chapter.start) / programme.sample_rate)
        out += [f"#EXTINF:{seconds},{chapter.title}", name]
    return "\n".join(out) + "\n"
