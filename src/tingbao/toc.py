"""Tables of contents: a run of short lines near the top that repeats the headings below.

Read aloud they would announce every heading twice, so they are skipped and reported.
"""

from __future__ import annotations

import re

from .article import Kind, Line

_LEADER = re.compile(r"[\s.…·．_\-—]*\d*$")
_TOC_TITLE = re.compile(r"^(目\s*录|目\s*次|本文导读|导读)$")


def _key(text: str) -> str:
    return _LEADER.sub("", text).replace(" ", "").replace("\u3000", "")


def mark_contents(units: list[Line]) -> None:
    """Mark the table of contents (and its 目录 line) as furniture."""
    body = [u for u in units if u.kind == Kind.BODY]
    title = next((k for k, u in enumerate(body[:60]) if _TOC_TITLE.match(u.text.strip())), None)
    if title is not None:
        # under 目录: short lines until one repeats the first entry (the real heading) or prose starts
        run = [body[title]]
        for v in body[title + 1:]:
            key = _key(v.text)
            if not key or len(key) > 40 or key[-1] in "。；;" or len(run) > 1 and key == _key(run[1].text):
                break
            run.append(v)
        if len(run) >= 3:
            for v in run:
                v.kind, v.reason = Kind.FURNITURE, "table of contents"
            return
    last_seen: dict[str, int] = {}  # each key's last line: "repeated later" without rescanning the body
    for w in body:
        key = _key(w.text)
        last_seen[key] = max(last_seen.get(key, 0), w.number)
    for start, u in enumerate(body):
        if len(_key(u.text)) > 24:
            continue
        run = []
        for v in body[start:]:
            key = _key(v.text)
            if not key or len(key) > 24 or key[-1] in "。；;" or last_seen.get(key, 0) <= v.number:
                break
            run.append(v)
        # the headings repeated below must come after the whole run, not inside it
        if len(run) >= 3:
            for v in run:
                v.kind, v.reason = Kind.FURNITURE, "table of contents"
            for v in units:
                if v.number < run[0].number and _TOC_TITLE.match(v.text.strip()):
                    v.kind, v.reason = Kind.FURNITURE, "table of contents"
            return
        if start > 40:
            return
