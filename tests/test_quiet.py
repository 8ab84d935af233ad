"""Nothing but tingbao's own lines on stderr: jieba's dictionary-loading lines and LiteRT's
C++ "INFO: Created TensorFlow Lite XNNPACK delegate" never reach the user.

Each check runs a fresh interpreter (a subprocess): jieba and LiteRT log only the first time in
a process, so an in-process test would pass whatever the code did. The controls show the noise
is real, so the clean runs can fail.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import EXAMPLE

NOISE = ("INFO:", "Building prefix dict", "Loading model", "Prefix dict has been built", "XNNPACK", "Traceback")
ARTICLE = "青禾湾快讯\n\n新区今天开通了一条公交线路。\n\n线路全长十二公里，设站十五座，方便群众出行。\n"


def _run(args: list[str], tmp_path, code: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, TINGBAO_CACHE_DIR=str(tmp_path / "cache"))
    argv = [sys.executable, "-c", code] if code is not None else [sys.executable, "-m", "tingbao", *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


def _assert_clean(stderr: str) -> None:
    for line in stderr.splitlines():
        assert line.startswith(("tingbao:", "note:", "engine:")), f"not tingbao's: {line!r}\n{stderr}"
        assert not any(noise in line for noise in NOISE), stderr


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "tingbao.toml").write_text('[lexicon]\n"公交" = "gong1 jiao1"\n', encoding="utf-8")  # jieba's tokenizer
    return path


@pytest.mark.slow  # a control: it shows what the tests below look for is real
def test_unquieted_jieba_is_noisy(tmp_path):
    """The control: jieba on its own logs its dictionary loading to stderr."""
    r = _run([], tmp_path, "import jieba\njieba.lcut('新区今天开通了一条公交线路')")
    assert "Building prefix dict" in r.stderr and "Prefix dict has been built" in r.stderr


_PLAN = """
import sys
from tingbao.cli import main
try:
    main(["plan", {path!r}, {mode!r}])
except SystemExit as exit:
    assert not exit.code, exit.code
import jieba
print("jieba loaded:", jieba.dt.initialized)
"""


def test_plan_stderr_is_empty(tmp_path):
    r = _run([], tmp_path, _PLAN.format(path=str(EXAMPLE), mode="--json"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().endswith("jieba loaded: True")  # the plan did load jieba's dictionary...
    assert r.stderr == ""  # ...and said nothing about it


def test_fd2_silenced_hides_only_the_block_and_restores_stderr(tmp_path):
    code = ("import os\nfrom tingbao.engines.local.quiet import fd2_silenced\n"
            "os.write(2, b'before ')\nwith fd2_silenced():\n    os.write(2, b'hidden ')\nos.write(2, b'after')\n")
    r = _run([], tmp_path, code)
    assert r.returncode == 0 and r.stderr == "before after"


def test_fd2_silenced_restores_stderr_after_an_error(tmp_path):
    code = ("import os\nfrom tingbao.engines.local.quiet import fd2_silenced\ntry:\n    with fd2_silenced():\n"
            "        raise ValueError\nexcept ValueError:\n    pass\nos.write(2, b'still here')\n")
    assert _run([], tmp_path, code).stderr == "still here"


_INTERPRETER = """
from tingbao.engines.local.engine import LocalEngine
from tingbao.engines.local.quiet import quiet_interpreter
files = LocalEngine(model_dir={model_dir!r}).files()
{make}
it.resize_tensor_input(it.get_input_details()[0]["index"], [1, 12])
it.allocate_tensors()
it.allocate_tensors()
print(type(it).__name__, len(it.get_output_details()))
"""


@pytest.mark.slow
def test_litert_interpreter_is_quiet(tmp_path, model_dir):
    raw = "from ai_edge_litert.interpreter import Interpreter\nit = Interpreter(model_content=files.acoustic)"
    noisy = _run([], tmp_path, _INTERPRETER.format(model_dir=str(model_dir), make=raw))
    assert "INFO: Created TensorFlow Lite XNNPACK delegate" in noisy.stderr  # the control
    quiet = _run([], tmp_path, _INTERPRETER.format(model_dir=str(model_dir),
                                                   make="it = quiet_interpreter(files.acoustic, 1)"))
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and quiet.stdout.split()[1] == noisy.stdout.split()[1]


@pytest.mark.slow
def test_build_with_the_local_voice_writes_nothing_foreign_to_stderr(article, tmp_path, model_dir):
    r = _run(["build", str(article), "--engine", "local", "--model-dir", str(model_dir), "-o", str(tmp_path / "out"),
              "--bitrate", "32"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(str(tmp_path / "out"))
    _assert_clean(r.stderr)
    assert "\r" not in r.stderr and "[#" not in r.stderr  # not a terminal: no progress bars either
