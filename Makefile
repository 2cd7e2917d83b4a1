# The README's two commands: `make run` and `make test`. Both bootstrap .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# A demo store of a few thousand customers, enough to feel real and seeded in seconds.
DEMO_CUSTOMERS ?= 5000

.PHONY: run test bench bench-smoke snapshots-update lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# compat: a .pth path entry; the default editable finder costs ~14 ms of every start.
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	@touch $(STAMP)

## run: set up, seed the demo store if there is none, and start the workstation
run: $(STAMP)
	$(BIN)/agent-tui seed --customers $(DEMO_CUSTOMERS) --if-missing
	$(BIN)/agent-tui run

## test: set up and run the whole suite (layering contract, unit, property, Pilot, snapshot, pty)
test: $(STAMP)
	bash tests/setup/system-packages.sh
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider -m "not bench_smoke" $(PYTEST_ARGS)

## bench-smoke: the bench end to end on a small store, every figure reported (CI's own step)
bench-smoke: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -m bench_smoke tests/functional/test_bench_smoke.py

## bench: the figures of DESIGN.md on a one-million-customer store (not part of make test)
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

snapshots-update: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider tests/functional/test_snapshots.py tests/functional/test_snapshots_screens.py \
		--snapshot-update

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build *.egg-info
