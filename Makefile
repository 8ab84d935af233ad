# The README's two commands: `make demo` and `make test`. Both set up from scratch.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/qinghewan-2025.txt

.PHONY: demo test setup setup-dev models bench lint clean browser js

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

setup-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

models: setup
	$(BIN)/tingbao models fetch

CONFIG := examples/tingbao.toml

ISSUE := $(EXAMPLE) examples/ferry-pier.md examples/night-market.html

demo: models
	$(BIN)/tingbao build $(EXAMPLE) -o output --config $(CONFIG)
	$(BIN)/tingbao issue $(ISSUE) --date 2025-11-26 -o output --config $(CONFIG)
	$(BIN)/tingbao publish output --config $(CONFIG)

test: setup-dev browser js
	$(BIN)/tingbao models fetch
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium (browser downloads do not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install Debian's chromium package to run the browser tests"; fi; }

# podcast-partytime, a real Podcasting 2.0 client, reads our feed when Node.js is present.
js:
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/js --no-audit --no-fund --silent; fi

bench: setup-dev
	$(BIN)/python scripts/bench.py

lint: setup-dev
	$(BIN)/ruff check src tests scripts

clean:
	rm -rf $(VENV) output/*/ .pytest_cache
