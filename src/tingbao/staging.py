"""Replacing an edition folder without ever losing it, and clearing what killed runs left.

Only names tingbao made are ever removed or replaced: an edition folder whose edition.json is
ours and which holds nothing else, or a temp name in one of our own patterns found while we
hold the lock every writer of that name holds (so its writer is dead).

The swap is two renames: the old edition to `.<slug>.old-<pid>`, the new one from
`.<slug>.partial-<pid>` to `<slug>`. A kill between them leaves the old edition aside; the
next build (or publish) renames it back, so its files and first build time are not lost.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .edition import Edition, load
from .errors import Busy, InvalidEdition, NotAnEdition
from .locks import exclusive

_TEMP = r"[A-Za-z0-9_]{8}\.tmp"  # what tempfile.mkstemp adds to our ".<name>." prefixes
_SITE_TEMP = re.compile(rf"\.(index\.html|feed\.xml|feed-sections\.xml|series-cover\.jpg)\.{_TEMP}")
_STATE_TEMP = re.compile(rf"\.feed-state\.json\.{_TEMP}")
_PAGE_MARKS = (b'<meta name="generator" content="tingbao', b'<link rel="icon" href="data:,">')
_ASIDE = re.compile(r"\.([a-z0-9][a-z0-9-]*)\.old-\d+")
# per-section sidecars (and their temp files) that earlier versions of publish wrote into edition folders
_LEGACY = re.compile(rf"sections/(\d\d-[a-z0-9-]+\.(vtt|chapters\.json)|\.[^/]+\.{_TEMP})")


def read_manifest(folder: Path) -> Edition | None:
    """The folder's edition when its edition.json is one of ours (edition.load accepts it), else None."""
    try:
        return load(folder)
    except InvalidEdition:
        return None


def check_replaceable(folder: Path) -> Edition | None:
    """None when nothing is there; the edition when the folder is an edition holding only our files."""
    if not folder.exists() and not folder.is_symlink():
        return None
    if folder.is_symlink() or not folder.is_dir():
        raise NotAnEdition(f"{folder} exists and is not a tingbao edition folder; tingbao will not replace it: "
                           "choose another --slug or move it away")
    try:
        edition = load(folder)
    except InvalidEdition as exc:
        raise NotAnEdition(f"{folder} is not a tingbao edition (no valid edition.json: {exc}); tingbao will not "
                           "replace it: choose another --slug or move it away") from None
    ours = set(edition.file_paths())
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue  # a folder of foreign files is caught by its files
        if name not in ours and not _LEGACY.fullmatch(name):
            raise NotAnEdition(f"{folder} holds {name}, which tingbao did not write; move it out of the edition "
                               "folder, then build again")
    return edition


def swap_in(staging: Path, final: Path) -> None:
    """Put the complete edition `staging` at `final`, replacing the edition there (the caller holds its lock)."""
    aside = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists() or final.is_symlink():
        check_replaceable(final)  # again at the last moment: nothing foreign is ever moved aside
        os.rename(final, aside)
    try:
        os.rename(staging, final)
    except OSError:
        if aside.is_dir():
            os.rename(aside, final)
        raise
    if aside.is_dir():
        shutil.rmtree(aside, ignore_errors=True)


def recover(output: Path, slug: str) -> bool:
    """Put back the edition a killed swap left aside (the caller holds the edition's lock)."""
    final = output / slug
    if final.exists() or final.is_symlink():
        return False
    asides = [p for p in output.glob(f".{slug}.old-*") if _ASIDE.fullmatch(p.name) and p.is_dir()
              and not p.is_symlink() and read_manifest(p) is not None]
    if not asides:
        return False
    os.rename(max(asides, key=lambda p: p.stat().st_mtime), final)
    return True


def recover_all(output: Path) -> list[str]:
    """Every edition left aside by a killed build whose lock is free (its builder is gone)."""
    recovered = []
    for aside in sorted(output.iterdir()):
        match = _ASIDE.fullmatch(aside.name)
        if match is None or (output / match[1]).exists():
            continue
        try:
            with exclusive(output / match[1], f"the edition {output / match[1]}"):
                if recover(output, match[1]):
                    recovered.append(match[1])
        except Busy:
            continue  # being built right now: its builder finishes the swap
    return recovered


def remove_stale(output: Path, slug: str) -> None:
    """Temp folders of this edition from a build that was killed (we hold its lock, so they are stale)."""
    for stale in output.glob(f".{slug}.*-*"):
        if (re.fullmatch(rf"\.{re.escape(slug)}\.(work|partial|old)-\d+", stale.name) and stale.is_dir()
                and not stale.is_symlink()):
            shutil.rmtree(stale, ignore_errors=True)


def remove_site_temps(output: Path) -> None:
    """Temp files of index.html, the feeds and the feed state from killed runs (the caller holds the
    site lock, which every writer of those files holds while writing)."""
    for folder, pattern in ((output, _SITE_TEMP), (output / ".tingbao", _STATE_TEMP)):
        try:
            names = [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
        except OSError:
            continue
        for path in names:
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)


def foreign_page(output: Path) -> str | None:
    """A warning when output/index.html is someone else's page (`-o .` in a web project): we leave it."""
    path = output / "index.html"
    try:
        if not path.exists() and not path.is_symlink():
            return None
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as f:
                head = f.read(4096)
                if any(mark in head for mark in _PAGE_MARKS):  # in the head of every page tingbao writes
                    return None
    except OSError:
        pass
    return f"{path} was not written by tingbao, so it is left as it is (the list of editions is not updated)"


def site_lock(output: Path):
    """Held (waiting, never failing) while writing index.html, the feeds or the feed state."""
    return exclusive(output / ".tingbao" / "site", f"the index of {output}", wait=True)
