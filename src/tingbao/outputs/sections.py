"""Per-chapter MP3s' names and tags (encoded from the same PCM, never cut from the edition MP3:
stream_encode.py) and sections.m3u8."""

from __future__ import annotations

from ..assembly import Programme
from ..slugs import section_file_names
from .mp3 import Tags


def section_tags(programme: Programme, base_tags: Tags) -> list[tuple[str, Tags]]:
    """Each chapter's file name (NN-<section-slug>.mp3) and tags."""
    total = len(programme.chapters)
    files = section_file_names([c.title for c in programme.chapters])
    return [(name, Tags(title=chapter.title, artist=base_tags.artist, album=base_tags.title, date=base_tags.date,
                        comment=base_tags.comment, track=f"{number}/{total}"))
            for number, (chapter, name) in enumerate(zip(programme.chapters, files, strict=True), 1)]


def playlist(programme: Programme, names: list[str]) -> str:
    out = ["#EXTM3U"]
    for chapter, name in zip(programme.chapters, names, strict=True):
        seconds = (programme.ms(chapter.end) - programme.ms(chapter.start)) // 1000
        out += [f"#EXTINF:{seconds},{chapter.title}", name]
    return "\n".join(out) + "\n"
