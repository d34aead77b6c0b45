# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

# Installing also compiles the local search into numba's disk cache (about a minute, once),
# so that the first seating command starts at once instead of paying the compile time.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@echo "compiling the local search and the season planner (once; cached on disk)..."
	$(BIN)/python -c 'from seating.solvers.local.search import warm_up; warm_up()'
	$(BIN)/python -c 'from seating.season.warm import warm_up; warm_up()'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/seating demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
