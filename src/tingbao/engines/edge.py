"""The `edge` engine: Microsoft Edge's online neural voices through edge-tts.

edge-tts is an unofficial client: the service changes, throttles and drops sockets, and
the library sometimes ends a stream early *without* an error (edge-tts's issue tracker has
NoAudioReceived waves and short streams).
So a clip is accepted only when the stream ended with the service's `turn.end` and the
decoded audio reaches the end it announced to within one MP3 frame; failures are typed for
the scheduler's retries (refusals apart), and concurrency adapts (edge_limit.py).
"""

from __future__ import annotations

import asyncio
import re

import numpy as np

from ..article import Chunk
from ..errors import PermanentEngineError, RefusedEngineError, TransientEngineError
from ..zh import spoken_chars
from .base import DEFAULT_SPEC, Clip, Voice, VoiceSpec
from .edge_limit import HARD_CAP, START, AdaptiveLimit
from .edge_probe import service_address

__all__ = ["HARD_CAP", "AdaptiveLimit", "EdgeEngine", "service_address", "sentence_ends"]

SAMPLE_RATE = 24000  # the service always answers audio-24khz-48kbitrate-mono-mp3
TICKS = 10_000_000  # boundary offsets are in 100-ns ticks
DEFAULT_VOICE = "zh-CN-YunyangNeural"
FRAME = 576  # samples in one 24 kHz MPEG-2 layer III frame (24 ms)
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


def sentence_ends(speeches: list[str], marks: list[tuple[int, int, str]], total: int) -> tuple[list[int], bool]:
    """Map the service's SentenceBoundary events onto our sentences.

    Returns (end sample of each sentence, exact). A sentence ends where a boundary's
    cumulative text reaches ours; the cut goes in the middle of the pause that follows.
    Falls back to proportional timing (exact=False) when the events do not line up.
    """
    ours, count = [], 0
    for speech in speeches:
        count += spoken_chars(speech)
        ours.append(count)
    theirs, count = {}, 0
    for k, (offset, duration, text) in enumerate(marks):
        count += spoken_chars(text)
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
    default_jobs = HARD_CAP  # a ceiling: the limit starts at 4 and grows only while the service accepts

    def __init__(self, connect_timeout: int = 10, receive_timeout: int = 60):
        self.connect_timeout, self.receive_timeout = connect_timeout, receive_timeout
        self.limit = AdaptiveLimit(START)

    def voices(self) -> list[Voice]:
        return list(VOICES)

    def default_voice(self) -> str:
        return DEFAULT_VOICE

    def signature(self, spec: VoiceSpec) -> str:
        return f"edge/{spec.voice or DEFAULT_VOICE}/{spec.rate}/{spec.volume}/{spec.pitch}"

    def prepare(self, jobs: int) -> None:
        self.limit = AdaptiveLimit(min(jobs, START), cap=jobs)

    def synthesize(self, chunk: Chunk, spec: VoiceSpec = DEFAULT_SPEC) -> Clip:
        pcm, marks = self.fetch_checked(chunk, spec)
        ends, exact = sentence_ends([s.speech for s in chunk.sentences], marks, len(pcm))
        notes = [] if exact else ["edge: sentence boundaries missing or misaligned; proportional timing used"]
        return Clip(pcm, SAMPLE_RATE, ends, notes)

    def fetch_checked(self, chunk: Chunk, spec: VoiceSpec, deadline: float | None = None):
        """One request under the connection limit: (decoded PCM, boundaries) of a complete answer."""
        text = "".join(s.speech for s in chunk.sentences)
        if not spoken_chars(text):  # punctuation-only text makes the service answer NoAudioReceived
            raise PermanentEngineError("internal error: a punctuation-only chunk reached the edge engine")
        with self.limit as epoch:
            try:
                mp3, marks, ended = asyncio.run(self._fetch(text, spec, deadline))
            except Exception as exc:  # noqa: BLE001 - every failure is classified below
                error = classify(exc)
                if isinstance(error, RefusedEngineError):
                    self.limit.refused(epoch)
                raise error from exc
        pcm = decode_mp3(mp3)
        check_complete(len(pcm), marks, ended)
        self.limit.succeeded()
        return pcm, marks

    async def _fetch(self, text: str, spec: VoiceSpec, deadline: float | None = None):
        import edge_tts

        communicate = edge_tts.Communicate(text, spec.voice or DEFAULT_VOICE, rate=spec.rate, volume=spec.volume,
                                           pitch=spec.pitch,
                                           boundary="SentenceBoundary", connect_timeout=self.connect_timeout,
                                           receive_timeout=self.receive_timeout)
        audio, marks = bytearray(), []

        async def read():
            async for message in communicate.stream():
                if message["type"] == "audio":
                    audio.extend(message["data"])
                elif message["type"] == "SentenceBoundary":
                    marks.append((message["offset"], message["duration"], message["text"]))

        await asyncio.wait_for(read(), deadline)
        return bytes(audio), marks, turn_ended(communicate.state, len(audio))


def turn_ended(state: dict, received: int) -> bool:
    """Did every request of this stream end with the service's `turn.end`?

    edge-tts 7.3 ends `stream()` quietly when the socket closes mid-answer. Its only trace is
    in `Communicate.state`: on `turn.end` (and only there) it moves the part's audio byte count
    into `cumulative_audio_bytes` and zeroes `chunk_audio_bytes`. So the stream ended properly
    exactly when the cumulative count is everything we received and nothing is pending.
    """
    if "cumulative_audio_bytes" not in state or "chunk_audio_bytes" not in state:
        raise PermanentEngineError("this edge-tts version does not say whether an answer was complete; "
                                   "install the tested range: pip install 'edge-tts>=7.3.1,<7.4'")
    return state["chunk_audio_bytes"] == 0 and state["cumulative_audio_bytes"] == received


def check_complete(samples: int, marks: list[tuple[int, int, str]], ended: bool) -> None:
    """Accept a clip only when the turn ended and its audio reaches the announced end
    (last boundary's offset + duration) to within less than one MP3 frame."""
    if not ended:
        raise TransientEngineError(f"the edge service closed the stream before the end of its answer "
                                   f"({samples / SAMPLE_RATE:.2f} s of audio received)")
    if marks:
        announced = max(offset + duration for offset, duration, _ in marks) * SAMPLE_RATE / TICKS
        if announced - samples >= FRAME:
            raise TransientEngineError(f"the edge service sent less audio than it announced "
                                       f"({samples / SAMPLE_RATE:.2f} s of {announced / SAMPLE_RATE:.2f} s)")


def one_line(text: str) -> str:
    """No object reprs or line breaks from a library's message."""
    text = re.sub(r"\s*\bssl:(<[^<>]*>|\S+)", "", str(text))  # aiohttp's "ssl:<ssl.SSLContext object at 0x…>"
    text = re.sub(r"<[^<>]* object at 0x[0-9a-fA-F]+>", "…", text)
    return re.sub(r"\s+", " ", text).strip() or "no details"


def _os_reason(exc: OSError) -> str:
    """"Connection refused", "Name or service not known": not asyncio's "Connect call failed (…)"."""
    import os
    import socket

    if exc.errno and exc.errno > 0 and not isinstance(exc, socket.gaierror):
        return os.strerror(exc.errno)
    return one_line(exc.strerror or exc)


def classify(exc: BaseException) -> Exception:
    """A one-line engine error for anything edge-tts or aiohttp raised."""
    import aiohttp
    from edge_tts import exceptions as E

    if isinstance(exc, PermanentEngineError | TransientEngineError):
        return exc
    status = getattr(exc, "status", None)
    if isinstance(exc, aiohttp.ClientResponseError) and status == 403:
        return RefusedEngineError(f"the edge service refused the connection (HTTP 403); {UPGRADE}", lasting=True)
    if isinstance(exc, aiohttp.ClientResponseError) and status == 429:
        return RefusedEngineError("the edge service is throttling requests (HTTP 429)")
    if isinstance(exc, E.SkewAdjustmentError):
        return RefusedEngineError(f"the edge service refused the connection (clock/token); {UPGRADE}",
                                  lasting=True)
    if isinstance(exc, E.NoAudioReceived):
        return TransientEngineError("the edge service sent no audio")
    if isinstance(exc, E.WebSocketError | E.UnexpectedResponse | E.UnknownResponse):
        return TransientEngineError(f"the edge service broke the protocol ({one_line(exc)})")
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = _os_reason(exc.os_error) if exc.os_error else one_line(exc)
        return TransientEngineError(f"cannot reach the edge service ({exc.host}:{exc.port}): {reason}; "
                                    "check the network or use --engine local")
    if isinstance(exc, aiohttp.ClientResponseError):
        return TransientEngineError(f"the edge service answered HTTP {status} ({one_line(exc.message)})")
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return TransientEngineError("the edge service timed out")
    if isinstance(exc, aiohttp.ClientError):
        return TransientEngineError(f"the edge service dropped the connection ({type(exc).__name__})")
    if isinstance(exc, OSError):
        host = service_address()[0]
        return TransientEngineError(f"cannot reach the edge service ({host}): {_os_reason(exc)}; "
                                    "check the network or use --engine local")
    return TransientEngineError(f"edge-tts failed: {type(exc).__name__}: {one_line(exc)}")


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

