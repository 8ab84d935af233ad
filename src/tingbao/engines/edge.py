"""The `edge` engine: Microsoft Edge's online neural voices through edge-tts.

edge-tts is an unofficial client: the service changes, throttles and drops sockets, and
the library sometimes ends a stream early *without* an error (REFERENCE.md "edge-tts").
So every clip is checked here (audio vs the last sentence boundary), failures are typed
for the scheduler's retries, and concurrency adapts: halve on throttling or handshake
refusals, grow by one after a run of successes.
"""

from __future__ import annotations

import asyncio
import re
import threading

import numpy as np

from ..article import Chunk
from .base import Clip, PermanentEngineError, TransientEngineError, Voice

SAMPLE_RATE = 24000  # the service always answers audio-24khz-48kbitrate-mono-mp3
TICKS = 10_000_000  # boundary offsets are in 100-ns ticks
DEFAULT_VOICE = "zh-CN-YunyangNeural"
HARD_CAP = 8
VOICES = [  # the zh voices the consumer service offers (Azure-only ones give NoAudioReceived)
    Voice("zh-CN-YunyangNeural", "male", "zh-CN", SAMPLE_RATE, "news"),
    Voice("zh-CN-XiaoxiaoNeural", "female", "zh-CN", SAMPLE_RATE, "warm"),
    Voice("zh-CN-YunjianNeural", "male", "zh-CN", SAMPLE_RATE, "passionate"),
    Voice("zh-CN-YunxiNeural", "male", "zh-CN", SAMPLE_RATE, "lively"),
    Voice("zh-CN-XiaoyiNeural", "female", "zh-CN", SAMPLE_RATE, "lively"),
    Voice("zh-CN-YunxiaNeural", "male", "zh-CN", SAMPLE_RATE, "cute"),
    Voice("zh-CN-liaoning-XiaobeiNeural", "female", "zh-CN-liaoning", SAMPLE_RATE, "dialect"),
    Voice("zh-CN-shaanxi-XiaoniNeural", "female", "zh-CN-shaanxi", SAMPLE_RATE, "dialect"),
]
UPGRADE = "this is usually fixed by upgrading edge-tts: pip install -U edge-tts"


class AdaptiveLimit:
    """A semaphore whose size adapts: halve on throttling, +1 after `grow_after` successes."""

    def __init__(self, limit: int, cap: int = HARD_CAP, grow_after: int = 5):
        self.cap = max(1, min(cap, HARD_CAP))
        self.limit = max(1, min(limit, self.cap))
        self.grow_after = grow_after
        self.active = 0
        self.streak = 0
        self._cond = threading.Condition()

    def __enter__(self):
        with self._cond:
            while self.active >= self.limit:
                self._cond.wait()
            self.active += 1
        return self

    def __exit__(self, *exc):
        with self._cond:
            self.active -= 1
            self._cond.notify_all()

    def succeeded(self) -> None:
        with self._cond:
            self.streak += 1
            if self.streak >= self.grow_after and self.limit < self.cap:
                self.limit += 1
                self.streak = 0
                self._cond.notify_all()

    def throttled(self) -> None:
        with self._cond:
            self.limit = max(1, self.limit // 2)
            self.streak = 0


def _spoken(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def sentence_ends(speeches: list[str], marks: list[tuple[int, int, str]], total: int) -> tuple[list[int], bool]:
    """Map the service's SentenceBoundary events onto our sentences.

    Returns (end sample of each sentence, exact). A sentence ends where a boundary's
    cumulative text reaches ours; the cut goes in the middle of the pause that follows.
    Falls back to proportional timing (exact=False) when the events do not line up.
    """
    ours, count = [], 0
    for speech in speeches:
        count += _spoken(speech)
        ours.append(count)
    theirs, count = {}, 0
    for k, (offset, duration, text) in enumerate(marks):
        count += _spoken(text)
        end = offset + duration
        nxt = marks[k + 1][0] if k + 1 < len(marks) else end
        theirs[count] = round((end + max(end, nxt)) / 2 * SAMPLE_RATE / TICKS)
    ends = [min(theirs.get(c, -1), total) for c in ours[:-1]]
    if marks and all(e >= 0 for e in ends) and ends == sorted(ends):
        return ends + [total], True
    return [round(total * c / max(ours[-1], 1)) for c in ours[:-1]] + [total], False


class EdgeEngine:
    name = "edge"
    sample_rate = SAMPLE_RATE
    max_chars = 500  # one paragraph; far below edge-tts's 4096-byte split and the 10-minute cap
    speaks_latin = True
    default_jobs = 4

    def __init__(self, volume: str = "+0%", pitch: str = "+0Hz", connect_timeout: int = 10,
                 receive_timeout: int = 60, **_ignored):
        self.volume, self.pitch = volume, pitch
        self.connect_timeout, self.receive_timeout = connect_timeout, receive_timeout
        self.limit = AdaptiveLimit(self.default_jobs)

    def voices(self) -> list[Voice]:
        return list(VOICES)

    def default_voice(self) -> str:
        return DEFAULT_VOICE

    def signature(self, voice: str, rate: str) -> str:
        return f"edge/{voice or DEFAULT_VOICE}/{rate}/{self.volume}/{self.pitch}"

    def prepare(self, jobs: int) -> None:
        self.limit = AdaptiveLimit(jobs)

    def synthesize(self, chunk: Chunk, voice: str = "", rate: str = "+0%") -> Clip:
        voice = voice or DEFAULT_VOICE
        if voice not in {v.name for v in VOICES}:
            raise PermanentEngineError(f"unknown edge voice {voice!r}; see `tingbao voices --engine edge`")
        speeches = [s.speech for s in chunk.sentences]
        text = "".join(speeches)
        if not _spoken(text):  # punctuation-only text makes the service answer NoAudioReceived
            raise PermanentEngineError("internal error: a punctuation-only chunk reached the edge engine")
        with self.limit:
            try:
                mp3, marks = asyncio.run(self._fetch(text, voice, rate))
            except TransientEngineError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is classified below
                raise self._classify(exc) from exc
        pcm = decode_mp3(mp3)
        if marks:
            last = marks[-1][0] + marks[-1][1]
            if len(pcm) < last * SAMPLE_RATE / TICKS - 0.25 * SAMPLE_RATE:
                raise TransientEngineError(  # edge-tts ended the stream early without an error
                    f"truncated audio from the service ({len(pcm) / SAMPLE_RATE:.1f} s of "
                    f"{last / TICKS:.1f} s announced)")
        ends, exact = sentence_ends(speeches, marks, len(pcm))
        self.limit.succeeded()
        notes = [] if exact else ["edge: sentence boundaries missing or misaligned; proportional timing used"]
        return Clip(pcm, SAMPLE_RATE, ends, notes)

    async def _fetch(self, text: str, voice: str, rate: str):
        import edge_tts

        communicate = edge_tts.Communicate(text, voice, rate=rate, volume=self.volume, pitch=self.pitch,
                                           boundary="SentenceBoundary", connect_timeout=self.connect_timeout,
                                           receive_timeout=self.receive_timeout)
        audio, marks = bytearray(), []
        async for message in communicate.stream():
            if message["type"] == "audio":
                audio += message["data"]
            elif message["type"] == "SentenceBoundary":
                marks.append((message["offset"], message["duration"], message["text"]))
        return bytes(audio), marks

    def _classify(self, exc: Exception) -> Exception:
        import aiohttp
        from edge_tts import exceptions as E

        status = getattr(exc, "status", None)
        if isinstance(exc, aiohttp.ClientResponseError) and status in (403, 429):
            self.limit.throttled()
            if status == 403:
                return TransientEngineError(f"the edge service refused the connection (HTTP 403); {UPGRADE}")
            return TransientEngineError("the edge service is throttling requests (HTTP 429)")
        if isinstance(exc, E.SkewAdjustmentError):
            self.limit.throttled()
            return TransientEngineError(f"the edge service refused the connection (clock/token); {UPGRADE}")
        if isinstance(exc, E.NoAudioReceived):
            return TransientEngineError("the edge service sent no audio")
        if isinstance(exc, (E.WebSocketError, E.UnexpectedResponse, E.UnknownResponse)):
            return TransientEngineError(f"the edge service broke the protocol ({exc})")
        if isinstance(exc, aiohttp.ClientConnectorError | OSError):
            return TransientEngineError(f"cannot reach the edge service ({exc}); check the network or use local")
        if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | TimeoutError):
            return TransientEngineError(f"the edge service timed out or dropped the connection ({type(exc).__name__})")
        return TransientEngineError(f"edge-tts failed: {type(exc).__name__}: {exc}")


def decode_mp3(data: bytes) -> np.ndarray:
    """Decode the service's MP3 once, to 24 kHz mono int16 (ffmpeg from imageio-ffmpeg)."""
    import subprocess

    import imageio_ffmpeg

    proc = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin",
                           "-f", "mp3", "-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "pipe:1"],
                          input=data, capture_output=True)
    if proc.returncode != 0:
        raise TransientEngineError("the edge service sent audio ffmpeg cannot decode")
    return np.frombuffer(proc.stdout, dtype="<i2").astype(np.int16)


def service_address() -> tuple[str, int]:
    """Host and port of the websocket edge-tts will use (tests point it at a local stand-in)."""
    from urllib.parse import urlsplit

    import edge_tts.communicate

    url = urlsplit(edge_tts.communicate.WSS_URL)
    return url.hostname or "", url.port or (443 if url.scheme in ("wss", "https") else 80)


def probe(timeout: float = 3.0) -> tuple[bool, str]:
    """Can we reach the service? Instant when there is no network (DNS fails at once)."""
    import socket
    import time

    host, port = service_address()
    start = time.perf_counter()
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        return False, f"the edge service ({host}) could not be reached: {exc.strerror or exc}"
    return True, f"the edge service ({host}) answered in {time.perf_counter() - start:.2f} s"


def list_online_voices(timeout: float = 5.0) -> list[Voice] | None:
    """zh voices from the service, or None when it cannot be asked."""
    import edge_tts

    async def ask():
        return await asyncio.wait_for(edge_tts.list_voices(), timeout)

    try:
        found = asyncio.run(ask())
    except Exception:  # noqa: BLE001 - offline, blocked or changed: the caller falls back
        return None
    return [Voice(v["ShortName"], v.get("Gender", "").lower(), v.get("Locale", ""), SAMPLE_RATE,
                  ", ".join(v.get("VoiceTag", {}).get("VoicePersonalities", [])))
            for v in found if re.match(r"zh-", v.get("Locale", ""))]
