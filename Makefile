# The README's two commands: `make demo` and `make test`. Both set up from scratch.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/qinghewan-2025.txt

.PHONY: demo test setup setup-dev models bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

setup-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

models: setup
	$(BIN)/tingbao models fetch

demo: models
	$(BIN)/tingbao build $(EXAMPLE) -o output

test: setup-dev
	$(BIN)/tingbao models fetch
	$(BIN)/python -m pytest

bench: setup-dev
	$(BIN)/python scripts/bench.py

lint: setup-dev
	$(BIN)/ruff check src tests scripts

clean:
	rm -rf $(VENV) output/*/ .pytest_cache
