"""Is the edge service usable right now? Asked with a real request, remembered for minutes.

A TCP connect proves little: a proxy or a service that refuses every handshake accepts it.
So `auto` sends a tiny synthesis through edge-tts, exactly as a build would, and keeps the
answer in the user cache (edge-probe.json) so that a batch of commands asks once.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

PROBE_TEXT = "你好"
KEEP_SUCCESS = 300.0  # seconds an answer is trusted
KEEP_FAILURE = 60.0  # a network that comes back should be noticed soon


def service_address() -> tuple[str, int]:
    """Host and port of the websocket edge-tts will use (tests point it at a local stand-in)."""
    from urllib.parse import urlsplit

    import edge_tts.communicate

    url = urlsplit(edge_tts.communicate.WSS_URL)
    return url.hostname or "", url.port or (443 if url.scheme in ("wss", "https") else 80)


def _service_url() -> str:
    import edge_tts.communicate

    return edge_tts.communicate.WSS_URL.split("?", 1)[0]


def probe_file() -> Path:
    from ..cache import default_cache_dir

    return default_cache_dir() / "edge-probe.json"


def _remembered(path: Path, url: str, now: float) -> tuple[bool, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        age = now - float(data["time"])
        keep = KEEP_SUCCESS if data["ok"] else KEEP_FAILURE
        if data["url"] == url and 0 <= age < keep:
            return bool(data["ok"]), f"{data['reason']}, {age:.0f} s ago"
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _remember(path: Path, url: str, now: float, ok: bool, reason: str) -> None:
    try:  # a cache we cannot write only costs the next command one request
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".edge-probe.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"url": url, "time": now, "ok": ok, "reason": reason}, f)
        os.replace(tmp, path)
    except OSError:
        pass


def probe(timeout: float = 8.0, use_cache: bool = True) -> tuple[bool, str]:
    """(usable, why): one tiny synthesis must come back complete within `timeout` seconds."""
    from ..article import Chunk, Sentence
    from ..errors import EngineError
    from .base import VoiceSpec
    from .edge import EdgeEngine

    url, now, path = _service_url(), time.time(), probe_file()
    if use_cache and (known := _remembered(path, url, now)) is not None:
        return known
    host = service_address()[0]
    engine = EdgeEngine(connect_timeout=max(1, int(timeout / 2)), receive_timeout=max(1, int(timeout)))
    start = time.perf_counter()
    try:
        engine.fetch_checked(Chunk("probe", 0, 0, [Sentence(PROBE_TEXT, PROBE_TEXT, 0, 0, 0)]), VoiceSpec(),
                             deadline=timeout)
    except EngineError as exc:
        ok, reason = False, f"a test request to the edge service ({host}) failed: {str(exc).split('; ')[0]}"
    else:
        ok, reason = True, f"the edge service ({host}) answered a test request in {time.perf_counter() - start:.2f} s"
    _remember(path, url, now, ok, reason)
    return ok, reason
