"""Encode PCM to a seekable CBR MP3 with ID3v2.3 tags and chapters, using imageio-ffmpeg's binary.

ffmpeg writes the chapters (from an FFMETADATA file): its CHAP frames come out in time
order with a CTOC (flags top-level|ordered). A mutagen save would re-sort frames by size
and readers that ignore the CTOC (ffmpeg/ffprobe) would list chapters out of order
(ID3v2 Chapter Frame Addendum 1.0: the CTOC's child order is the playback order; ffmpeg reads
CHAP frames in file order), so an edition is never re-saved with mutagen. A day's nested
chapters must be (ffmpeg writes only flat ones): nested_chapters.py orders its frame ids so
mutagen's save order is time order.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from ..errors import EncodeError, StorageError, storage_error

OUTPUT_RATE = 44100


@dataclass
class Tags:
    title: str
    artist: str = ""
    album: str = ""
    date: str = ""
    comment: str = ""
    track: str = ""
    # every file tingbao writes is spoken Chinese for podcast apps
    language: ClassVar[str] = "zho"
    genre: ClassVar[str] = "Podcast"


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _escape(value: str) -> str:
    out = value
    for ch in "\\=;#\n":
        out = out.replace(ch, "\\" + ch)
    return out


def ffmetadata(tags: Tags, chapters: list[tuple[str, int, int]]) -> str:
    """chapters: (title, start ms, end ms)."""
    lines = [";FFMETADATA1"]
    for key in ("title", "artist", "album", "date", "language", "comment", "genre", "track"):
        value = getattr(tags, key)
        if value:
            lines.append(f"{key}={_escape(value)}")
    for title, start, end in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}", f"title={_escape(title)}"]
    return "\n".join(lines) + "\n"


# How ffmpeg reports what the user's disk did (its strerror texts), as opposed to a failed encode.
_STORAGE_MESSAGES = ("No space left on device", "Disk quota exceeded", "Read-only file system", "Permission denied",
                     "File too large")


def encode(pcm: list[Path], sample_rate: int, path: Path, tags: Tags,
           chapters: list[tuple[str, int, int]], bitrate: int = 64, cover: str | None = None) -> None:
    """Encode once from PCM into `path` (written to a temp name in the same folder, then renamed).

    `pcm` is raw s16le files streamed to ffmpeg in order (flat memory).
    A full disk or a read-only folder is a StorageError naming the path.
    """
    try:
        _encode(pcm, sample_rate, path, tags, chapters, bitrate, cover)
    except OSError as exc:
        error = storage_error(exc, "the output")
        if error is None:
            raise
        raise error from None


def _encode(pcm: list[Path], sample_rate: int, path: Path, tags: Tags,
            chapters: list[tuple[str, int, int]], bitrate: int, cover: str | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The metadata file sits beside the output (inside the build's staging folder), not in the
    # system temp dir: a killed build's staging folder is cleaned up on the next run, /tmp is not.
    meta = path.with_name(f".{path.name}.{os.getpid()}.meta.txt")
    try:
        meta.write_text(ffmetadata(tags, chapters), encoding="utf-8")
        out = path.with_name(f".{path.name}.{os.getpid()}.tmp.mp3")
        cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
               "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0", "-i", str(meta)]
        cmd += _tagging(cover, 2) + LAME + [f"{bitrate}k", "-id3v2_version", "3", "-write_xing", "1", "-f", "mp3",
                                             str(out)]
        proc = _start(cmd)
        try:
            feed_files(proc, pcm)
            proc.stdin.close()
        except BrokenPipeError:
            pass  # ffmpeg stopped early: its stderr says why
        _finish(proc, out, path)
    finally:
        meta.unlink(missing_ok=True)


# the encoder settings of every MP3: 44.1 kHz mono CBR (what podcast apps expect), bitrate last
LAME = ["-ar", str(OUTPUT_RATE), "-ac", "1", "-c:a", "libmp3lame", "-b:a"]


def _tagging(cover: str | None, cover_input: int) -> list[str]:
    """Input 1 is the FFMETADATA file (tags, chapters); `cover_input` the cover image, if any."""
    cmd = ["-i", cover] if cover else []
    cmd += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
    if cover:
        cmd += ["-map", f"{cover_input}:v", "-c:v", "copy", "-disposition:v", "attached_pic",
                "-metadata:s:v", "title=Album cover", "-metadata:s:v", "comment=Cover (front)"]
    return cmd


def feed_files(proc: subprocess.Popen, pcm: list[Path]) -> None:
    """Stream raw s16le files into ffmpeg's stdin in order, a block at a time (flat memory)."""
    for part in pcm:
        with open(part, "rb") as f:
            while block := f.read(1 << 20):
                proc.stdin.write(block)


def _start(cmd: list[str]) -> subprocess.Popen:
    try:
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        raise EncodeError(f"could not run ffmpeg ({exc})") from None


def _finish(proc: subprocess.Popen, out: Path, path: Path) -> None:
    """Wait for ffmpeg; rename its temp output to `path`, or raise what stopped it."""
    stderr = proc.stderr.read()
    proc.wait()
    if proc.returncode != 0:
        out.unlink(missing_ok=True)
        reason = stderr.decode(errors="replace").strip().splitlines()
        full = next((m for m in _STORAGE_MESSAGES if any(m in line for line in reason)), None)
        if full:
            raise StorageError(f"cannot write the output: {path}: {full}")
        raise EncodeError(f"ffmpeg could not encode {path.name}: {reason[-1] if reason else 'unknown error'}")
    if out != path:
        os.replace(out, path)


def start_raw_encode(sample_rate: int, out: Path, bitrate: int) -> subprocess.Popen:
    """An ffmpeg encoding the s16le PCM written to its stdin into `out`: audio only (no ID3 tag),
    with its Xing/LAME frame. remux() adds the tags, chapters and cover once they are known.

    It runs beside synthesis at a lower priority: the offline voice's two LiteRT threads leave
    about a quarter of two cores idle, which the encoder can use without slowing the voice."""
    proc = _start([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "s16le",
                   "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0", *LAME, f"{bitrate}k", "-write_xing", "1",
                   "-write_id3v2", "0", "-f", "mp3", str(out)])
    try:
        os.setpriority(os.PRIO_PROCESS, proc.pid, ENCODER_NICENESS)
    except (AttributeError, OSError):  # not on this OS, or the process is gone: it runs as it is
        pass
    return proc


ENCODER_NICENESS = 10  # below the voice: measured on the seed, cold local build 53 s vs 56-60 s at 0


def finish_raw_encode(proc: subprocess.Popen, out: Path) -> None:
    try:
        proc.stdin.close()
    except BrokenPipeError:
        pass
    try:
        _finish(proc, out, out)
    except OSError as exc:
        raise storage_error(exc, "the output") or exc from None


def _lame_encoder(raw: Path) -> str:
    """The 9-character encoder string in the raw file's LAME tag (libavcodec's ident). A stream
    copy would write "Lavf" there; given back, the file is byte for byte the one-step encode's."""
    with open(raw, "rb") as f:
        head = f.read(4096)
    at = max(head.find(b"Info"), head.find(b"Xing"))
    return head[at + 120:at + 129].decode("ascii", errors="replace").rstrip("\x00") if at >= 0 else ""


def remux(raw: Path, path: Path, tags: Tags, chapters: list[tuple[str, int, int]], cover: str | None) -> None:
    """Copy a raw encode's audio into `path` (temp name, then rename) with its ID3v2.3 tags,
    chapters and cover: what encode() writes in one go, without encoding again."""
    meta = path.with_name(f".{path.name}.{os.getpid()}.meta.txt")
    out = path.with_name(f".{path.name}.{os.getpid()}.tmp.mp3")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(ffmetadata(tags, chapters), encoding="utf-8")
        cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(raw), "-i", str(meta)]
        cmd += _tagging(cover, 2) + ["-c:a", "copy", "-metadata:s:a:0", f"encoder={_lame_encoder(raw)}",
                                     "-id3v2_version", "3", "-write_xing", "1", "-f", "mp3", str(out)]
        proc = _start(cmd)
        proc.stdin.close()
        _finish(proc, out, path)
    except OSError as exc:
        raise storage_error(exc, "the output") or exc from None
    finally:
        meta.unlink(missing_ok=True)


def decode(path: Path, sample_rate: int = OUTPUT_RATE) -> np.ndarray:
    """Decode an MP3 to mono int16 PCM with ffmpeg (pydub would need ffprobe, which the wheel lacks)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path),
           "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "pipe:1"]
    proc = subprocess.run(cmd, capture_output=True, check=True)
    return np.frombuffer(proc.stdout, dtype="<i2")
