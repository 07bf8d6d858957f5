# Two commands do all set-up on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp
BOOK_FLAGS := -W -n --keep-going
export PYTHONHASHSEED := 0

.PHONY: lint install node book book-if-missing chromium test unit nbval nbval-baseline nbval-unchecked browser browser-tests lab reader lab-test lab-tests unit-lab-browser unit-tests clean bench

# Idempotent install: only re-runs pip when requirements.txt or pyproject.toml changed.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)

# Build the HTML book from the notebooks as stored: `make test` proves, under strict nbval, that every
# stored output is what the current code gives, so the build does not execute them again.
# tools/claims_ledger.py first rewrites book/claims.md for the chapters that _toc.yml lists; KaTeX (from
# the npm registry) typesets the math during the build. tools/static_explorers.py then precomputes the
# explorers' figures for the HTML book's controls (cached in _build/.explorer-cache until src/vanishing or
# data/ change), and tools/reader_notebooks.py puts the reader notebooks and the vanishing wheel where the
# pages link to them.
BUILD_BOOK = $(PY) tools/claims_ledger.py && $(VENV)/bin/jupyter-book build . $(BOOK_FLAGS) \
	&& $(PY) tools/static_explorers.py && $(PY) tools/reader_notebooks.py html _build/html

book: install node
	$(TIMED) "book" -- bash -c '$(BUILD_BOOK)'
	@echo "The book: file://$(CURDIR)/_build/html/index.html"

# For the browser tests: build the book (same command as `make book`) only when it is missing.
# If it cannot be built, say so and go on: tests/test_book.py then skips with that reason.
book-if-missing: install node
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

# From the npm registry, at the versions package-lock.json pins: KaTeX, which typesets the book's math
# when it is built, and axe-core, an accessibility audit the browser tests inject into each page.
NODE_STAMP := node_modules/.install-stamp
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

node: $(NODE_STAMP)

# All tests: unit tests of src/, every chapter notebook under nbval (strict) twice -- as this
# machine computes, then with NumPy and OpenBLAS forced to the x86-64 baseline, so that no stored
# output records one CPU's rounding -- the browser tests of the built book (built first if
# _build/html is missing) and the live JupyterLab test. The JupyterLab test's Run All executes every
# chapter on this machine's kernels, so it doubles as the first nbval pass (tools/nbval_lab.py compares
# the notebook it saves with the stored outputs by nbval's own rules); `nbval-unchecked` then runs
# ordinary nbval on any chapter it did not check. On a fresh clone each chapter thus executes twice,
# not three times. The baseline pass runs beside the unit tests, the JupyterLab test and then the
# browser tests: each leaves a core idle much of the time (a notebook runs on one core but for its pools
# of two workers), so together they keep both cores busy; `-O` keeps each one's output in one piece (the
# unit tests alone, before them, took a minute with a core idle). The baseline pass goes one chapter at
# a time (BASELINE_JOBS, the longest first), so that whichever stream ends first takes the chapters left
# (with one pytest for all of them, the two streams ended up to three minutes apart). Side by
# side, each process gets one OpenBLAS thread (SIDE_BY_SIDE): two threads per process wait on each
# other, spinning, on cores shared by several processes (a chapter 2 cell of large products took 56 s
# in the baseline pass with them, 10 s without; chapter 2's Run All in JupyterLab 72 s, 27 s without).
# tools/timed.py records each stage's time (_build/stage-times.tsv; `make bench` prints them).
NBVAL_ARGS = -p no:cacheprovider --nbval-current-env --nbval-sanitize-with tools/nbval_sanitize.cfg
NBVAL_RUN = $(PY) -m pytest --nbval
NBVAL = $(NBVAL_RUN) chapters $(NBVAL_ARGS)
TIMED = $(PY) tools/timed.py
SIDE_BY_SIDE = env OPENBLAS_NUM_THREADS=1

test: install chromium node
	$(TIMED) "lint and format (ruff)" -- $(MAKE) --no-print-directory lint
	@$(PY) tools/nbval_lab.py clear
	$(TIMED) "book (if missing)" -- $(MAKE) --no-print-directory book-if-missing
	@$(PY) tools/baseline_env.py --report
	$(TIMED) "nbval (baseline kernels) beside unit, JupyterLab, browser tests" -- \
	  $(SIDE_BY_SIDE) $(MAKE) --no-print-directory -j2 -Otarget unit-lab-browser $(BASELINE_JOBS)
	$(TIMED) "nbval (this machine's kernels), the rest" -- $(MAKE) --no-print-directory nbval-unchecked

# The unit tests, the JupyterLab test, then the browser tests: one stream beside the baseline nbval pass.
unit-lab-browser:
	$(MAKE) --no-print-directory unit-tests
	$(MAKE) --no-print-directory lab-tests
	$(MAKE) --no-print-directory browser-tests

unit-tests:
	$(TIMED) "unit tests" -- $(PY) -m pytest tests --ignore=tests/test_book.py

# Strict nbval on this machine's kernels for the chapters the JupyterLab test did not check (all of
# them when it could not start): its Run All executes every chapter on these kernels, and
# tools/nbval_lab.py compares the notebook it saves with the stored outputs by nbval's own rules.
nbval-unchecked: install
	@rest="$$($(PY) tools/nbval_lab.py unchecked)"; \
	if [ -z "$$rest" ]; then \
	  echo "nbval, this machine's kernels: every chapter was checked on JupyterLab's Run All"; \
	else \
	  echo "nbval, this machine's kernels, on the chapters JupyterLab's Run All did not check:" $$rest; \
	  $(NBVAL_RUN) $$rest $(NBVAL_ARGS); \
	fi

# ruff (configured in pyproject.toml): the lint rules pass and every file is as `ruff format` writes it.
# `$(VENV)/bin/ruff format .` and `$(VENV)/bin/ruff check --fix .` mend what they can.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

unit: install unit-tests

browser: install chromium node book-if-missing browser-tests

browser-tests:
	$(TIMED) "browser tests" -- $(PY) -m pytest tests/test_book.py -p no:cacheprovider

nbval: install
	$(TIMED) "nbval" -- $(NBVAL)

# The same notebooks with OpenBLAS's Nehalem kernels and NumPy's dispatched SIMD loops off (the
# list is computed for this machine by tools/baseline_env.py).
nbval-baseline: install
	@$(PY) tools/baseline_env.py --report
	$(TIMED) "nbval, baseline kernels" -- env $$($(PY) tools/baseline_env.py) $(NBVAL)

# The same pass as one job per chapter, for `make test`: the three longest first, then any other chapter
# in the order of its name.
BASELINE_FIRST := chapters/01_exposing_the_problem.ipynb chapters/05_remedies.ipynb chapters/06_recurrent.ipynb
CHAPTER_FILES := $(sort $(wildcard chapters/*.ipynb))
BASELINE_ORDER := $(foreach c,$(BASELINE_FIRST),$(filter $(c),$(CHAPTER_FILES))) $(filter-out $(BASELINE_FIRST),$(CHAPTER_FILES))
BASELINE_JOBS := $(patsubst chapters/%.ipynb,baseline/%,$(BASELINE_ORDER))
.PHONY: $(BASELINE_JOBS)
$(BASELINE_JOBS): baseline/%:
	$(TIMED) "nbval, baseline kernels: $*" -- env $$($(PY) tools/baseline_env.py) $(NBVAL_RUN) chapters/$*.ipynb $(NBVAL_ARGS)

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
# Chromium through Playwright, its text checked, Run All (its outputs checked by strict nbval's
# comparison, tools/nbval_lab.py), every explorer's controls moved (tests/test_lab.py; several
# minutes, so plain `pytest tests` leaves it out, see pyproject.toml).
lab-test: install chromium lab-tests

lab-tests:
	$(TIMED) "JupyterLab test" -- $(PY) -m pytest tests/test_lab.py -m lab -p no:cacheprovider -s --durations=0

bench: install
	@$(PY) tools/timed.py --report
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_fit.py
	$(PY) benchmarks/bench_explorers.py
	@if [ -f _build/html/index.html ]; then $(PY) benchmarks/bench_pages.py; \
	else echo "bench_pages: skipped, the book is not built (make book)"; fi

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
