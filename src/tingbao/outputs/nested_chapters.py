"""Nested ID3 chapters (ID3v2 Chapter Frame Addendum): a top-level CTOC whose children are
chapters and tables of contents, each table of contents listing its own chapters.

ffmpeg writes only a flat table, so the frames are added with mutagen after encoding. mutagen
orders frames by size when it saves, and readers that ignore CTOC (ffmpeg, ffprobe) list the
CHAP frames in file order (mp3.py's docstring): every CHAP's element ID is padded so that the
frames grow in time order, and the saved order is time order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Mark:
    """A chapter (no children) or a table of contents (children), times in milliseconds."""

    title: str
    start: int
    end: int
    children: list[Mark] = field(default_factory=list)


def _chap_size(element_id: str, title: str) -> int:
    # ID3v2.3 as mutagen writes it: id + NUL + four 32-bit fields + a TIT2 sub-frame in UTF-16 with BOM
    return len(element_id) + 1 + 16 + 10 + 1 + 2 + len(title.encode("utf-16-le")) + 2


def write_nested_chapters(path: Path, marks: list[Mark]) -> None:
    """Replace the MP3's chapter frames with `marks` as a tree under one top-level ordered CTOC."""
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

    tags = ID3(str(path))
    tags.delall("CHAP")
    tags.delall("CTOC")
    leaves: list[tuple[Mark, str]] = []
    tocs: list[tuple[Mark, str, list[str]]] = []

    def walk(mark: Mark, number: str) -> str:
        if not mark.children:
            leaves.append((mark, f"ch{number}"))
            return leaves[-1][1]
        ids = [walk(child, f"{number}.{n}") for n, child in enumerate(mark.children, 1)]
        tocs.append((mark, f"toc{number}", ids))
        return f"toc{number}"

    top = [walk(mark, str(n)) for n, mark in enumerate(marks, 1)]
    size, renamed = 0, {}
    for mark, element_id in leaves:  # in time order: each frame one byte larger than the last at least
        padded = element_id
        while _chap_size(padded, mark.title) <= size:
            padded += "_"
        size = _chap_size(padded, mark.title)
        renamed[element_id] = padded
        tags.add(CHAP(element_id=padded, start_time=mark.start, end_time=mark.end, start_offset=0xFFFFFFFF,
                      end_offset=0xFFFFFFFF, sub_frames=[TIT2(encoding=3, text=[mark.title])]))
    for mark, element_id, ids in tocs:
        tags.add(CTOC(element_id=element_id, flags=CTOCFlags.ORDERED,
                      child_element_ids=[renamed.get(i, i) for i in ids],
                      sub_frames=[TIT2(encoding=3, text=[mark.title])]))
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                  child_element_ids=[renamed.get(i, i) for i in top], sub_frames=[TIT2(encoding=3, text=["目录"])]))
    tags.save(str(path), v2_version=3)


def read_nested_chapters(path: Path) -> list[Mark]:
    """The tree back from the file's CTOC frames (what a chapter-aware player shows)."""
    from mutagen.id3 import ID3, CTOCFlags

    tags = ID3(str(path))
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    ctocs = {f.element_id: f for f in tags.getall("CTOC")}

    def title(frame) -> str:
        return str(frame.sub_frames["TIT2"].text[0]) if "TIT2" in frame.sub_frames else ""

    def node(element_id: str) -> Mark:
        if element_id in chaps:
            c = chaps[element_id]
            return Mark(title(c), c.start_time, c.end_time)
        children = [node(i) for i in ctocs[element_id].child_element_ids]
        start = children[0].start if children else 0
        return Mark(title(ctocs[element_id]), start, children[-1].end if children else 0, children)

    top = next(f for f in ctocs.values() if f.flags & CTOCFlags.TOP_LEVEL)
    return [node(i) for i in top.child_element_ids]
