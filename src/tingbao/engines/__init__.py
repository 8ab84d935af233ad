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

from ..errors import ConfigError, PermanentEngineError

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
        if name not in (engines := available()):
            raise ConfigError(f"unknown engine {name!r}: choose from auto, {', '.join(sorted(engines))}")
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
        raise ConfigError(f"unknown engine {name!r}: choose from {', '.join(sorted(engines))}")
    where = engines[name]
    module_name, _, attr = where.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:  # a plug-in's broken install: its authors', not ours
        raise PermanentEngineError(f"the {name} engine ({where}) cannot be loaded: {type(exc).__name__}: {exc}") \
            from None
    engine = cls(**_accepted(name, where, cls, options))
    _check_contract(name, where, engine)
    return engine


def _accepted(name: str, where: str, cls, options: dict) -> dict:
    params = inspect.signature(cls).parameters.values()
    required = [p.name for p in params if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                and p.name not in options]
    if required:
        raise PermanentEngineError(f"the {name} engine ({where}) requires {', '.join(required)} to be built; "
                                   f"tingbao offers only {', '.join(sorted(options)) or 'nothing'}")
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return dict(options)
    named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return {key: value for key, value in options.items() if key in named}


def _check_contract(name: str, where: str, engine) -> None:
    """A plug-in that lacks part of the contract is named at once, not found out mid-build."""
    from .base import Engine

    members = set(Engine.__annotations__) | {m for m in vars(Engine) if not m.startswith("_")}
    missing = sorted(m for m in members if getattr(engine, m, None) is None)
    if missing:
        raise PermanentEngineError(f"the {name} engine ({where}) does not implement {', '.join(missing)} "
                                   "(see tingbao.engines.base)")


def check_voice(engine, voice: str) -> str:
    """The voice to use (the engine's default when none is asked for), or a one-line error
    (exit 2) before any synthesis when the engine does not have it."""
    voice = voice or engine.default_voice()
    if voice not in {v.name for v in engine.voices()}:
        raise ConfigError(f"unknown voice {voice!r} for the {engine.name} engine; see `tingbao voices --engine "
                          f"{engine.name}`")
    return voice
