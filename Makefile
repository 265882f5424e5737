# The README's commands. `make run` and `make test` work on a fresh machine with Python 3.11.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint bench demo messages screenshots clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)  ## migrate, load the demo network once, print the demo logins, serve on http://127.0.0.1:8000
	$(VENV)/bin/icc serve

test: $(STAMP)  ## the whole suite (browser tests need /usr/bin/chromium; .ci/run installs it)
	$(PY) -m pytest -q

lint: $(STAMP)  ## ruff, mypy and the layer contracts of docs/architecture.md (import-linter)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)  ## print the benchmark tables (not pass/fail)
	$(PY) bench/bench_scoring.py
	$(PY) bench/bench_autosave.py
	$(PY) bench/bench_explorer.py
	$(PY) bench/bench_composite.py
	$(PY) bench/bench_learning.py

demo: $(STAMP)
	$(VENV)/bin/icc demo --reset

messages: $(STAMP)  ## refresh django.po from the code (new strings, none stale) and compile it; translate in django.po
	cd src/icc/web && $(abspath $(PY)) -m django makemessages -l fr --no-obsolete --no-wrap --ignore=static
	cd src/icc/web && $(abspath $(PY)) -m django compilemessages -l fr

screenshots: $(STAMP)  ## retake the README's tour pictures (docs/img) from a fresh demo (needs /usr/bin/chromium)
	$(PY) docs/screenshots.py

clean:
	rm -rf $(VENV) var .pytest_cache
