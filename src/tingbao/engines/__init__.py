"""Engine registry: built-ins plus any package that declares a `tingbao.engines` entry point.

A third-party engine is a class implementing `tingbao.engines.base.Engine` (its docstring is the
contract), registered as
    [project.entry-points."tingbao.engines"]
    myvoice = "mypkg.engine:MyEngine"
"""

from __future__ import annotations

import importlib
import inspect
from importlib.metadata import entry_points

from ..errors import ConfigError

BUILTIN = {
    "local": "tingbao.engines.local.engine:LocalEngine",
    "edge": "tingbao.engines.edge:EdgeEngine",
}


def available() -> dict[str, str]:
    found = dict(BUILTIN)
    for ep in entry_points(group="tingbao.engines"):
        found.setdefault(ep.name, ep.value)
    return found


def choose_engine(name: str, **options):
    """Resolve `auto` (edge when a tiny test synthesis through its service comes back complete,
    remembered for a few minutes; else local) and build the engine; return it with a sentence
    saying why it was chosen."""
    if name != "auto":
        return get_engine(name, **options), f"{name} (as configured)"
    from .edge_probe import probe

    reachable, reason = probe()
    chosen = "edge" if reachable else "local"
    return get_engine(chosen, **options), f"{chosen} (auto: {reason})"


def get_engine(name: str, **options):
    """Instantiate an engine by name. `options` are what tingbao can offer (model_dir, lexicon,
    progress); each engine is given only those its constructor names, so a constructor lists
    what it uses and nothing else (a plain `__init__(self)` is given nothing)."""
    engines = available()
    if name not in engines:
        raise ConfigError(f"unknown engine {name!r}: choose from auto, {', '.join(sorted(engines))}")
    module_name, _, attr = engines[name].partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls(**_accepted(cls, options))


def _accepted(cls, options: dict) -> dict:
    params = inspect.signature(cls).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return dict(options)
    named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return {key: value for key, value in options.items() if key in named}


def check_voice(engine, voice: str) -> str:
    """The voice to use (the engine's default when none is asked for), or a one-line error
    (exit 2) before any synthesis when the engine does not have it."""
    voice = voice or engine.default_voice()
    if voice not in {v.name for v in engine.voices()}:
        raise ConfigError(f"unknown voice {voice!r} for the {engine.name} engine; see `tingbao voices --engine "
                          f"{engine.name}`")
    return voice
