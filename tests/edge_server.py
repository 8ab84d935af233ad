"""A local stand-in for the Edge Read Aloud websocket, close enough for the real edge_tts client.

It follows edge-tts's communicate.py: the client sends `Path:speech.config` and `Path:ssml`
text frames; we answer `turn.start`, `audio.metadata` (SentenceBoundary events, 100-ns
ticks), binary audio frames (2-byte big-endian header length, headers, MP3 bytes) carrying
a real 24 kHz 48 kbps mono MP3 made by ffmpeg (a tone of 0.2 s per character), then
`turn.end`. Fault knobs reproduce what users hit; every request is logged.

Faults, per connection number: "403" (handshake refused), "drop" (socket closed after a third
of the audio, no turn.end), "no_audio", "truncate" (a third of the audio, then turn.end), and
"drop@K" / "truncate@K" to cut at byte K of the MP3 (negative K counts from the end, so
"drop@-144" loses only the last 24 ms frame).
Used by the tests and scripts/bench.py only: product code never points edge-tts here.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import struct
import subprocess
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

SECONDS_PER_CHAR = 0.2
TICKS = 10_000_000
FRAME_BYTES = 144  # 24 kHz 48 kbps MPEG-2 layer III: 72 * 48000 / 24000 bytes, never padded
FRAME_SAMPLES = 576
FAULTS = ("403", "drop", "no_audio", "truncate")


@lru_cache(maxsize=512)
def tone_mp3(seconds: float, pitch: int) -> bytes:
    import imageio_ffmpeg

    return subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         f"sine=frequency={pitch}:duration={seconds:.3f}:sample_rate=24000", "-ac", "1", "-ar", "24000",
         "-b:a", "48k", "-f", "mp3", "pipe:1"], capture_output=True, check=True).stdout


def id3_size(mp3: bytes) -> int:
    if mp3[:3] != b"ID3":
        return 0
    return 10 + ((mp3[6] & 0x7F) << 21 | (mp3[7] & 0x7F) << 14 | (mp3[8] & 0x7F) << 7 | mp3[9] & 0x7F)


def decoded_samples(mp3: bytes) -> int:
    """What ffmpeg decodes from our CBR stream: every frame, encoder delay and padding included."""
    return (len(mp3) - id3_size(mp3)) // FRAME_BYTES * FRAME_SAMPLES


def cut_at(fault: str | None, size: int) -> int | None:
    """Bytes of audio kept by a "drop"/"truncate" fault (None: all)."""
    if fault in ("drop", "truncate"):
        return size // 3
    if fault and "@" in fault:
        keep = int(fault.split("@", 1)[1])
        return keep if keep >= 0 else size + keep
    return None


def _spoken(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


@dataclass
class EdgeStandIn:
    latency: float = 0.0
    max_connections: int | None = None  # extra simultaneous connections get HTTP 429
    refuse_first: int = 0  # handshake 403 for the first N connections
    refuse_always: bool = False
    refuse_from: int | None = None  # handshake 403 from connection N on (a service that "goes down")
    # (connection number) -> one of FAULTS or None; "403" refuses the handshake, the rest spoil the answer
    fault: Callable[[int], str | None] | None = None
    # (connection number, text) -> a fault for the answer, when it depends on what is asked
    text_fault: Callable[[int, str], str | None] | None = None
    requests: list[dict] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    peak_connections: int = 0
    seconds_per_char: float = SECONDS_PER_CHAR
    speed: float | None = None  # stream audio at this multiple of real time (None: at once)
    exact_end: bool = False  # the last boundary ends where the decoded audio does (a strict service)
    refused: int = 0  # handshakes answered 403 or 429

    def __post_init__(self):
        self._active = 0
        self._connections = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()

    # ---- lifecycle
    def start(self) -> EdgeStandIn:
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/edge/v1?TrustedClientToken=stand-in"

    def _serve(self) -> None:
        from aiohttp import web

        async def main():
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            app = web.Application()
            app.router.add_get("/edge/v1", self._handle)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()
            await runner.cleanup()

        asyncio.run(main())

    # ---- protocol
    async def _handle(self, request):
        from aiohttp import web

        with self._lock:
            self._connections += 1
            number = self._connections
            fault = self.fault(number) if self.fault else None  # asked once: fault functions may be random
            refused = (self.refuse_always or number <= self.refuse_first
                       or (self.refuse_from is not None and number >= self.refuse_from) or fault == "403")
            if refused:
                self.requests.append({"n": number, "text": None, "fault": "403"})
                self.refused += 1
                return web.Response(status=403, text="Forbidden")
            if self.max_connections is not None and self._active >= self.max_connections:
                self.refused += 1
                return web.Response(status=429, text="Too Many Requests")
            self._active += 1
            self.peak_connections = max(self.peak_connections, self._active)
        ws = web.WebSocketResponse(compress=True)
        try:
            await ws.prepare(request)
            text = None
            async for msg in ws:
                if msg.type != web.WSMsgType.TEXT:
                    continue
                if "Path:ssml" in msg.data:
                    body = msg.data.split("\r\n\r\n", 1)[1]
                    inner = re.search(r"<prosody[^>]*>(.*)</prosody>", body, re.S)
                    text = html.unescape(inner.group(1)) if inner else ""
                    await self._answer(ws, text, number, fault)
                    break
        finally:
            with self._lock:
                self._active -= 1
        return ws

    async def _answer(self, ws, text: str, number: int, fault: str | None) -> None:
        if fault is None and self.text_fault is not None:
            fault = self.text_fault(number, text)
        with self._lock:
            self.requests.append({"n": number, "text": text, "fault": fault})
        if self.latency:
            await asyncio.sleep(self.latency)
        rid = uuid.uuid4().hex
        await ws.send_str(f"X-RequestId:{rid}\r\nContent-Type:application/json; charset=utf-8\r\n"
                          f"Path:turn.start\r\n\r\n{{}}")
        if fault == "no_audio":
            await ws.send_str(f"X-RequestId:{rid}\r\nPath:turn.end\r\n\r\n{{}}")
            return
        sentences = [s for s in re.findall(r"[^。！？!?；;]+[。！？!?；;]*", text) if _spoken(s)]
        durations = [round(_spoken(s) * self.seconds_per_char * TICKS) for s in sentences]
        # encoded off the event loop: other connections keep streaming meanwhile
        audio = await asyncio.to_thread(tone_mp3, round(sum(durations) / TICKS, 3), 200 + len(text) % 200)
        if self.exact_end and durations:
            durations[-1] = decoded_samples(audio) * TICKS // 24000 - sum(durations[:-1])
        offset = 0
        for sentence, duration in zip(sentences, durations, strict=True):
            meta = {"Metadata": [{"Type": "SentenceBoundary", "Data": {
                "Offset": offset, "Duration": duration,
                "text": {"Text": sentence, "Length": len(sentence), "BoundaryType": "SentenceBoundary"}}}]}
            await ws.send_str(f"X-RequestId:{rid}\r\nContent-Type:application/json; charset=utf-8\r\n"
                              f"Path:audio.metadata\r\n\r\n{json.dumps(meta, ensure_ascii=False)}")
            offset += duration
        keep = cut_at(fault, len(audio))
        if keep is not None:
            audio = audio[:keep]
        header = f"X-RequestId:{rid}\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n".encode()
        for start in range(0, len(audio), 4096):
            await ws.send_bytes(struct.pack(">H", len(header)) + header + audio[start:start + 4096])
            if self.speed:  # 48 kbps is 6000 bytes per second of audio
                await asyncio.sleep(len(audio[start:start + 4096]) / 6000 / self.speed)
        if fault and fault.startswith("drop"):
            await ws.close()  # the socket goes away mid-stream; edge-tts ends without an error
            return
        await ws.send_str(f"X-RequestId:{rid}\r\nPath:turn.end\r\n\r\n{{}}")
        if fault is None:
            with self._lock:
                self.completed.append(text)
