"""transcript.vtt / .srt (one cue per sentence, printed text), chapters.json (edition.json: edition.py)."""

from __future__ import annotations

import json

from ..assembly import Programme


def ms_stamp(ms: int, sep: str) -> str:
    """HH:MM:SS.mmm from the edition's one millisecond value (Programme.ms): never rounded again."""
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def vtt_text(text: str) -> str:
    """WebVTT cue text: `&` and `<` start entities and tags, and `-->` may not occur at all
    (Chromium drops the cue's text); `>` is escaped only there, so plain text stays as it was."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("-->", "--&gt;")


def srt_text(text: str) -> str:
    """SRT has no escapes; parsers find timing lines by their `-->`, so a text arrow becomes →."""
    return text.replace("-->", "→")


def _cues(programme: Programme, sep: str) -> list[str]:
    out = []
    escape = vtt_text if sep == "." else srt_text
    for i, (cue, (start, end)) in enumerate(zip(programme.cues, programme.cue_times(), strict=True), 1):
        out += [str(i), f"{ms_stamp(start, sep)} --> {ms_stamp(end, sep)}", escape(cue.text), ""]
    return out


def section_vtt(programme: Programme, index: int) -> str:
    """The transcript of one chapter, times relative to its own section file (differences of the
    edition's millisecond values, so they agree with the edition's transcript to the millisecond)."""
    chapter = programme.chapters[index]
    origin = programme.ms(chapter.start)
    cues = [(c, t) for c, t in zip(programme.cues, programme.cue_times(), strict=True)
            if chapter.start <= c.start < chapter.end]
    out = ["WEBVTT", ""]
    for i, (cue, (start, end)) in enumerate(cues, 1):
        out += [str(i), f"{ms_stamp(start - origin, '.')} --> {ms_stamp(end - origin, '.')}", vtt_text(cue.text), ""]
    return "\n".join(out)


def section_chapters_json(programme: Programme, index: int) -> str:
    chapter = programme.chapters[index]
    length = (programme.ms(chapter.end) - programme.ms(chapter.start)) / 1000
    data = {"version": "1.2.0", "title": chapter.title,
            "chapters": [{"startTime": 0, "endTime": length, "title": chapter.title}]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def vtt(programme: Programme) -> str:
    return "\n".join(["WEBVTT", "", *_cues(programme, ".")])


def srt(programme: Programme) -> str:
    return "\n".join(_cues(programme, ","))


def chapters_json(programme: Programme, title: str) -> str:
    """Podcasting 2.0 JSON chapters, version 1.2.0."""
    chapters = [{"startTime": start / 1000, "endTime": end / 1000, "title": name}
                for name, start, end in programme.chapter_times()]
    return json.dumps({"version": "1.2.0", "title": title, "chapters": chapters}, ensure_ascii=False, indent=1) + "\n"
