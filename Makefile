# The two set-up commands of the README:
#   make demo   - digest the bundled example corpus (installs what it needs on first use)
#   make test   - lint, type-check and run the whole test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PINS   := $(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
RUNTIME_STAMP := $(VENV)/.runtime-$(PINS)
DEV_STAMP     := $(VENV)/.dev-$(PINS)
EXAMPLE := examples/harbor-bridge/txt
STREAM  := examples/stream

.PHONY: demo test lint typecheck unit native browser postgres bench clean stance-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every install goes through constraints.txt: each package at the version the tests ran with.
$(RUNTIME_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	rm -f $(VENV)/.runtime-* && touch $@

$(DEV_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,native,bench,browser,eval,postgres,dask]'
	rm -f $(VENV)/.dev-* $(VENV)/.runtime-* && touch $@ $(RUNTIME_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/storyline digest $(EXAMPLE) --words 150
	$(BIN)/storyline digest $(STREAM)/feeds $(STREAM)/pages $(STREAM)/crawl --words 60

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Debian's chromium for the HTML report's browser test (Playwright drives it; never `playwright install`).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

# Debian's postgresql for the store's tests, which start a throwaway server of their own
# (initdb + pg_ctl in a temporary directory; Debian keeps them in /usr/lib/postgresql/*/bin).
postgres:
	command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql)

# The quotes and entities stages compiled with mypyc (src/storyline/native): 1.4-1.5x faster, the
# same output; nothing to do when up to date, and a build is never used once its sources change.
native: $(DEV_STAMP)
	$(BIN)/python -m storyline.native build

unit: $(DEV_STAMP) native browser postgres
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(DEV_STAMP)
	$(BIN)/python bench/bench_summary.py
	$(BIN)/python bench/bench_segment.py
	$(BIN)/python bench/bench_temporal.py
	$(BIN)/python bench/bench_timeline.py
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/bench_scale.py

# The stance models (src/storyline/digest/stance_model.json), fitted on the stance train files
# of ../shared/benchmarks (never copied here); the same files give the same bytes.
STANCE ?= ../shared/benchmarks/stance
stance-model: $(RUNTIME_STAMP)
	$(BIN)/storyline eval stance --dataset $(STANCE)/emergent_train.jsonl \
		--dataset $(STANCE)/claimdiff_train.jsonl --write-model src/storyline/digest/stance_model.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache src/storyline/_compiled
