"""LiteRT interpreters that keep quiet: its C++ logging ("INFO: Created TensorFlow Lite XNNPACK
delegate for CPU.") is written straight to file descriptor 2, past sys.stderr and the logging
module, so the only way to keep it from the user is to point fd 2 elsewhere while it may print.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

_LOCK = threading.Lock()  # fd 2 is the process's: one redirection at a time, always put back


@contextlib.contextmanager
def fd2_silenced():
    """Send whatever is written to fd 2 inside the block to /dev/null (Python's own stderr too:
    keep the block short)."""
    with _LOCK:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):  # no fd 2 (or no sys.stderr) at all: nothing to silence
            yield
            return
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 2)
            finally:
                os.close(null)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def quiet_interpreter(model_content: bytes, num_threads: int):
    """A LiteRT interpreter that says nothing on stderr while it is made and first allocated
    (LiteRT applies its XNNPACK delegate, and announces it, on the first allocation; the model's
    input shapes are only known then, so that allocation cannot simply happen here)."""
    from ai_edge_litert.interpreter import Interpreter

    with fd2_silenced():
        return _QuietFirstAllocation(Interpreter(model_content=model_content, num_threads=num_threads))


class _QuietFirstAllocation:
    """The interpreter itself for every call, with its first successful allocate_tensors() silenced."""

    def __init__(self, interpreter):
        self._interpreter = interpreter
        self._allocated = False

    def allocate_tensors(self):
        if self._allocated:
            return self._interpreter.allocate_tensors()
        with fd2_silenced():
            result = self._interpreter.allocate_tensors()
        self._allocated = True
        return result

    def __getattr__(self, name: str):
        return getattr(self._interpreter, name)
