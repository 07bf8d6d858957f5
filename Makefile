# Two commands do all set-up on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp
BOOK_FLAGS := -W -n --keep-going
export PYTHONHASHSEED := 0

.PHONY: install book book-if-missing chromium axe test unit nbval nbval-baseline browser lab clean bench

# Idempotent install: only re-runs pip when requirements.txt or pyproject.toml changed.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)

# Build the HTML book. Notebooks execute through jupyter-cache; tools/cache_guard.py clears the
# cache when src/vanishing or data/ change, because the cache keys on notebook code only.
# tools/claims_ledger.py first rewrites book/claims.md for the chapters that _toc.yml lists.
# tools/static_explorers.py then precomputes the explorers' figures for the HTML book's controls
# (cached in _build/.explorer-cache until src/vanishing or data/ change).
BUILD_BOOK = $(PY) tools/cache_guard.py && $(PY) tools/claims_ledger.py && $(VENV)/bin/jupyter-book build . $(BOOK_FLAGS) \
	&& $(PY) tools/static_explorers.py

book: install
	$(BUILD_BOOK)
	@echo "The book: file://$(CURDIR)/_build/html/index.html"

# For the browser tests: build the book (same command as `make book`) only when it is missing.
# If it cannot be built, say so and go on: tests/test_book.py then skips with that reason.
book-if-missing: install
	@if [ -f _build/html/index.html ]; then \
	  echo "browser tests: using the existing build in _build/html (run 'make book' to refresh it)"; \
	else \
	  $(BUILD_BOOK) || echo "browser tests: THE BOOK COULD NOT BE BUILT (see above); they will be skipped"; \
	fi

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
# Quick no-op when it is already installed; needs root (CI runs as root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
	  || echo "could not install chromium: the browser tests will be skipped"; }

# axe-core (an accessibility audit the browser tests inject into each page), from the npm registry,
# at the version package-lock.json pins.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(AXE)

axe: $(AXE)

# All tests: unit tests of src/, every chapter notebook under nbval (strict) twice -- as this
# machine computes, then with NumPy and OpenBLAS forced to the x86-64 baseline, so that no stored
# output records one CPU's rounding -- then the browser tests of the built book (built first if
# _build/html is missing).
NBVAL = $(PY) -m pytest --nbval chapters -p no:cacheprovider --nbval-current-env --nbval-sanitize-with tools/nbval_sanitize.cfg

test: install chromium axe
	$(PY) -m pytest tests --ignore=tests/test_book.py
	$(MAKE) --no-print-directory nbval nbval-baseline
	$(MAKE) --no-print-directory book-if-missing
	$(PY) -m pytest tests/test_book.py -p no:cacheprovider

unit: install
	$(PY) -m pytest tests --ignore=tests/test_book.py

browser: install chromium axe book-if-missing
	$(PY) -m pytest tests/test_book.py -p no:cacheprovider

nbval: install
	$(NBVAL)

# The same notebooks with OpenBLAS's Nehalem kernels and NumPy's dispatched SIMD loops off (the
# list is computed for this machine by tools/baseline_env.py).
nbval-baseline: install
	@$(PY) tools/baseline_env.py --report
	env $$($(PY) tools/baseline_env.py) $(NBVAL)

# JupyterLab on the chapters; ipywidgets 8's lab extension ships prebuilt in jupyterlab_widgets
# (nothing to install). Jupyter refuses to run as root without --allow-root.
lab: install
	$(VENV)/bin/jupyter lab chapters $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: install
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_explorers.py

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
