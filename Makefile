# Every target creates .venv when it is missing and installs the project with its dev extra.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-slow test-browser reliability lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/ledger serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# The console in headless Chromium: Debian's package, installed here when it is missing and root may.
test-browser: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; }; } || \
		echo "Chromium is missing and cannot be installed here: the browser tests will skip."
	$(BIN)/python -m pytest -m browser tests/browser

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
.PHONY: bench bench-quick profile
bench: $(STAMP)
	$(BIN)/python -m bench

# The same code at small sizes, under 3 minutes; fails only when a figure is missing or a request erred.
bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

# The upsert load (wrk) against `ledger serve` under py-spy: bench/results/profile-upsert.svg and .top.txt.
profile: $(STAMP)
	$(BIN)/python -m bench.profile
