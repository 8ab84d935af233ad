"""Engine registry: built-ins plus any package that declares a `tingbao.engines` entry point.

A third-party engine is a class implementing `tingbao.engines.base.Engine`, registered as
    [project.entry-points."tingbao.engines"]
    myvoice = "mypkg.engine:MyEngine"
"""

from __future__ import annotations

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
    """Instantiate an engine by name (options are engine-specific, e.g. model_dir)."""
    engines = available()
    if name not in engines:
        raise ConfigError(f"unknown engine {name!r}: choose from auto, {', '.join(sorted(engines))}")
    module_name, _, attr = engines[name].partition(":")
    import importlib

    cls = getattr(importlib.import_module(module_name), attr)
    return cls(**options)
