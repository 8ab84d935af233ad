"""The command line's terminal side: option types, and how progress looks.

Progress is one click progress bar per phase, on stderr, and only on a terminal: piped or
captured stderr (scripts, CI, `--json`) gets nothing from here, so what is there is tingbao's
own messages, one line each.
"""

from __future__ import annotations

import sys
import threading

import click

from .config import LIMITS
from .progress import Event, PhaseAdvanced, PhaseFinished, PhaseStarted


class EngineName(click.Choice):
    """auto and every installed engine, plug-ins too, looked up when the option is parsed, not on import."""

    def __init__(self):
        super().__init__((), case_sensitive=True)

    @property
    def choices(self):
        from .engines import available

        return ("auto", *sorted(available()))

    @choices.setter
    def choices(self, _value) -> None:
        pass

    def convert(self, value, param, ctx):
        if value not in self.choices:  # the same words as a bad engine name in tingbao.toml
            self.fail(f"unknown engine {value!r}: choose from {', '.join(self.choices)}", param, ctx)
        return value


def bounded(name: str) -> click.ParamType:
    """The setting's range from config.LIMITS, so a flag and tingbao.toml accept the same values."""
    low, high = LIMITS[name]
    return click.FloatRange(low, high) if isinstance(low, float) else click.IntRange(low, high)


BESIDE = ("assembly", "encoding")  # phases that may start while an earlier one still runs
LABELS = {"plan": "planning", "synthesis": "synthesising", "assembly": "assembling", "encoding": "encoding",
          "outputs": "writing files"}
WIDTH = 30


def _seconds(value: float) -> str:
    value = round(value)
    return f"{value // 60}:{value % 60:02d}" if value >= 60 else f"{value} s"


def describe(event: PhaseAdvanced) -> str:
    """What follows the bar: characters and audio while synthesising, and the ETA once there is a pace."""
    parts = []
    if event.phase == "synthesis":
        parts.append(f"{event.done}/{event.total} characters, {_seconds(event.audio_seconds)} of audio")
        if event.cached:
            parts.append(f"{event.cached} from the cache")
    if event.eta is not None and event.eta >= 1 and event.done < event.total:  # "ETA 0 s" says nothing
        parts.append(f"ETA {_seconds(event.eta)}")
    return ", ".join(parts)


class ProgressBars:
    """Renders progress events as click progress bars; call it with each event, `close()` after a build."""

    def __init__(self, enabled: bool = True, file=None):
        self.file = file if file is not None else sys.stderr
        self.enabled = enabled and _isatty(self.file)
        self._bar = None
        self._phase = ""
        self._text = ""  # what follows the bar, from its own phase's last event
        # phases running beside the bar's own (assembly and encoding while synthesis runs), by name
        self._beside: dict[str, PhaseStarted | PhaseAdvanced] = {}
        self._lock = threading.Lock()  # synthesis workers, the assembly thread and the encoders report from theirs

    def __call__(self, event: Event) -> None:
        if not self.enabled:
            return
        with self._lock:
            if isinstance(event, PhaseStarted):
                if event.phase in BESIDE and self._bar is not None and self._phase != event.phase:
                    self._beside[event.phase] = event  # one bar at a time: shown after the bar's own text
                    self._redraw()
                    return
                self._open(event.phase, event.total)
            elif event.phase in self._beside:
                if isinstance(event, PhaseAdvanced):
                    self._beside[event.phase] = event
                else:
                    del self._beside[event.phase]
                self._redraw()
            elif isinstance(event, PhaseAdvanced) and self._bar is not None:
                steps = min(event.done, self._bar.length) - self._bar.pos
                self._text = describe(event)
                self._bar.update(max(0, steps), self._line())
            elif isinstance(event, PhaseFinished):
                beside, self._beside = self._beside, {}
                self._close()
                if beside:  # the first phase that ran beside it gets the bar, where it has got to
                    first = next(iter(beside.values()))
                    del beside[first.phase]
                    self._open(first.phase, first.total)
                    self._beside = beside
                    if isinstance(first, PhaseAdvanced):
                        self._text = describe(first)
                        self._bar.update(min(first.done, self._bar.length), self._line())

    def _open(self, phase: str, total: int) -> None:
        self._close()
        self._beside, self._phase, self._text = {}, phase, ""
        label = LABELS.get(phase, phase)
        self._bar = click.progressbar(length=max(1, total), label=f"{label:14}", file=self.file,
                                      width=WIDTH, show_eta=False, show_percent=True,
                                      item_show_func=lambda text: text)
        self._bar.__enter__()

    def _line(self) -> str:
        parts = [self._text] if self._text else []
        for event in self._beside.values():
            done = event.done if isinstance(event, PhaseAdvanced) else 0
            parts.append(f"{LABELS.get(event.phase, event.phase)} {done}/{event.total}")
        return "; ".join(parts)

    def _redraw(self) -> None:
        self._bar.update(0, self._line())

    def say(self, message: str) -> None:
        """A line of tingbao's own (the engine chosen, a model download) above the running bar."""
        with self._lock:
            if self._bar is None:
                click.echo(message, file=self.file)
                return
            self.file.write("\r\x1b[2K")  # clear the bar's line, write the message, draw the bar again below
            click.echo(message, file=self.file)
            self._bar._last_line = None  # click redraws only a changed line
            self._bar.render_progress()

    def close(self) -> None:
        """End the line of a bar a failure left open, so the next message starts on its own line."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None
        self._phase, self._beside = "", {}


def _isatty(file) -> bool:
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError):
        return False
