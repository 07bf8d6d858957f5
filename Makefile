# Two commands do all set-up on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp
BOOK_FLAGS := -W -n --keep-going
export PYTHONHASHSEED := 0

.PHONY: install book test unit nbval browser lab clean bench

# Idempotent install: only re-runs pip when requirements.txt or pyproject.toml changed.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)

# Build the HTML book. Notebooks execute through jupyter-cache; tools/srchash.py clears the
# cache when src/vanishing changes, because the cache keys on notebook code only.
book: install
	$(PY) tools/cache_guard.py
	$(VENV)/bin/jupyter-book build . $(BOOK_FLAGS)
	@echo "The book: file://$(CURDIR)/_build/html/index.html"

# All tests: unit tests of src/, every chapter notebook under nbval (strict), and the
# browser tests of the built book (they build it first if it is missing).
test: install
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval chapters -p no:cacheprovider --nbval-current-env --nbval-sanitize-with tools/nbval_sanitize.cfg

unit: install
	$(PY) -m pytest tests

nbval: install
	$(PY) -m pytest --nbval chapters -p no:cacheprovider --nbval-current-env --nbval-sanitize-with tools/nbval_sanitize.cfg

lab: install
	$(VENV)/bin/jupyter lab chapters

bench: install
	$(PY) benchmarks/bench_training.py

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
