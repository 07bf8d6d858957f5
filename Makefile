# Two commands do all set-up on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp
BOOK_FLAGS := -W -n --keep-going
export PYTHONHASHSEED := 0

.PHONY: install book book-if-missing chromium axe test unit nbval nbval-baseline browser lab reader lab-test clean bench

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
# (cached in _build/.explorer-cache until src/vanishing or data/ change), and tools/reader_notebooks.py
# puts the reader notebooks and the vanishing wheel where the pages link to them; tools/trim_mathjax.py
# drops the MathJax bundles no page loads (15.6 MB), keeping _build/html within 80 MB.
BUILD_BOOK = $(PY) tools/cache_guard.py && $(PY) tools/claims_ledger.py && $(VENV)/bin/jupyter-book build . $(BOOK_FLAGS) \
	&& $(PY) tools/static_explorers.py && $(PY) tools/reader_notebooks.py html _build/html \
	&& $(PY) tools/trim_mathjax.py _build/html

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
	$(MAKE) --no-print-directory lab-test

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

# JupyterLab on the reader notebooks: the stored, executed chapters with their glued numbers and
# figures pasted into the text (tools/reader_notebooks.py), in _build/lab; the text is rendered by
# jupyterlab_myst, the controls by ipywidgets 8 (its lab extension ships prebuilt in jupyterlab_widgets).
# The notebooks import the editable `vanishing`, which finds data/mnist.npz. Run > Run All Cells
# recomputes every output. Jupyter refuses to run as root without --allow-root.
LAB_DIR := _build/lab
lab: install
	$(PY) tools/reader_notebooks.py notebooks $(LAB_DIR)
	@echo "Starting JupyterLab on $(LAB_DIR): open the http://127.0.0.1:...?token=... URL it prints below."
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=$(LAB_DIR) --ip=127.0.0.1 $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# For the HTML book, after the jupyter-book build: each chapter's reader notebook where the page's
# download button serves its .ipynb (_build/html/_sources/chapters/), and the `vanishing` wheel with
# data/mnist.npz inside in _build/html/_static/, so that a reader of the book alone can run a chapter:
#   pip install "vanishing-0.1.0-py3-none-any.whl[lab]" && jupyter lab 01_exposing_the_problem.ipynb
reader: install
	$(PY) tools/reader_notebooks.py html _build/html

# The live test of the reader notebooks: JupyterLab on a loopback port, each chapter opened in Debian's
# Chromium through Playwright, its text checked, Run All, every explorer's controls moved
# (tests/test_lab.py; several minutes, so plain `pytest tests` leaves it out, see pyproject.toml).
lab-test: install chromium
	$(PY) -m pytest tests/test_lab.py -m lab -p no:cacheprovider -s --durations=0

bench: install
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_explorers.py
	@if [ -f _build/html/index.html ]; then $(PY) benchmarks/bench_pages.py; \
	else echo "bench_pages: skipped, the book is not built (make book)"; fi

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
