# Every target creates .venv when it is missing and installs the project with its dev extra.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-slow reliability lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/ledger serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

# Every reliability scenario, fast and slow, then one table of what each acknowledged, lost or broke.
reliability: $(STAMP)
	@rm -f .reliability.jsonl
	@LEDGER_RELIABILITY_REPORT=.reliability.jsonl $(BIN)/python -m pytest tests/reliability; status=$$?; \
	$(BIN)/python -m tests.reliability.report .reliability.jsonl; exit $$status

# Mixed load on 2 API workers and 2 projection processes under kill -9s and PostgreSQL restarts, then every
# check (tests/reliability/soak.py); SOAK_SECONDS=90 for a short one.
SOAK_SECONDS ?= 600
.PHONY: soak
soak: $(STAMP)
	$(BIN)/python -m tests.reliability.soak --seconds $(SOAK_SECONDS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Benchmarks (bench/README.md): one table of figures, also written to bench/results/latest.json.
.PHONY: bench bench-quick
bench: $(STAMP)
	$(BIN)/python -m bench

# The same code at small sizes, under 3 minutes; fails only when a figure is missing or a request erred.
bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick
