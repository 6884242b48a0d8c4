# Deep Learning Architectures, hands-on. Two commands: `make lab` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The lessons store this kernel's name (tools/sync_notebooks.py, KERNELSPEC): ipykernel's own
# default, so a set-up without make shows the same name and opening a lesson changes nothing.
KERNEL_DISPLAY_NAME := Python 3 (ipykernel)
KERNELSPEC := $(VENV)/share/jupyter/kernels/python3/kernel.json
# Offline: any stray download fails at once on a closed local port (9 = discard).
OFFLINE := HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
	http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
	NO_PROXY=localhost,127.0.0.1 no_proxy=localhost,127.0.0.1 COURSE_ALLOW_DOWNLOAD=0
NBVAL := --nbval-lax --nbval-current-env --nbval-cell-timeout=900 -p no:cacheprovider
SEEDS ?= 5
# JupyterLab refuses to run as root (containers) unless told so.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

# Every package pinned, with hashes, for every platform and Python >= 3.11: what `make lab` and
# `make test` install, so a fresh clone computes the numbers the lessons and README print.
# requirements.txt and requirements-dev.txt stay the human lists; `make lock` refreshes this.
LOCK := requirements.lock
LOCK_ARGS := --universal --fork-strategy fewest --generate-hashes --python-version 3.11

.PHONY: lab test test-fast test-unit test-notebooks test-browser test-colab test-latest bench \
	lint sync lock clean book test-book

$(STAMP): $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

# Reinstalled when the Makefile changes, so an older environment gets the current name.
$(KERNELSPEC): $(STAMP) Makefile
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "$(KERNEL_DISPLAY_NAME)"
	touch $(KERNELSPEC)

lab: $(STAMP) $(KERNELSPEC) ## set up, then open JupyterLab on the welcome notebook
	$(PY) -m jupyter lab $(LAB_ARGS) notebooks/00_welcome.ipynb

test: $(STAMP) ## set up, then every test: unit, notebooks (learner's default mode), browser, book
	$(MAKE) test-unit test-notebooks test-browser test-book COURSE_STRICT=1

test-fast: $(STAMP) ## the quick loop: the same tests on tiny budgets
	$(MAKE) test-unit test-notebooks test-browser COURSE_STRICT=1 COURSE_FAST=1

test-unit: $(STAMP) $(KERNELSPEC)
	$(OFFLINE) $(PY) -m pytest -q --durations=10 -m "not browser and not headless"

# Lessons run with a progress store of their own (warm-ups and 09 record what they show), so a
# test run leaves the learner's progress as it was.
test-notebooks: $(STAMP) $(KERNELSPEC)
	$(OFFLINE) COURSE_STRICT=1 COURSE_PROGRESS_DIR=$$(mktemp -d) $(PY) -m pytest -q $(NBVAL) notebooks
	$(OFFLINE) $(PY) -m pytest -q -m headless

test-browser: $(STAMP) $(KERNELSPEC) ## the browser test; gets a Chromium first (tools/get_browser.sh)
	bash tools/get_browser.sh $(PY)
	$(OFFLINE) $(PY) -m pytest -q -m "browser and not book"

lint: $(STAMP)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

sync: $(STAMP) ## regenerate lesson headers and set-up cells, strip outputs
	$(PY) tools/sync_notebooks.py

lock: $(STAMP) ## re-resolve requirements*.txt into requirements.lock (newest versions today)
	$(PY) -m uv pip compile $(LOCK_ARGS) --upgrade -q requirements.txt requirements-dev.txt -o $(LOCK)
	@echo "requirements.lock refreshed: run make test (and make bench) before committing it"

clean:
	rm -rf $(VENV) $(LATEST_VENV) $(BOOK_VENV) .pytest_cache .ruff_cache results screenshots \
		.book-cache _build

# The course as an HTML book (tools/build_book.py): every lesson executed in the learner's
# default mode (COURSE_FAST=1: fast mode) into .book-cache/, again only when it or what it reads
# changed, then Sphinx (its own environment, requirements-book.txt) into _build/html. MathJax
# is downloaded once from the npm registry (pinned, hash-checked); the build itself runs offline.
BOOK_VENV := .venv-book
BOOK_STAMP := $(BOOK_VENV)/.installed

$(BOOK_STAMP): requirements-book.txt
	test -x $(BOOK_VENV)/bin/python || $(PYTHON) -m venv $(BOOK_VENV)
	$(BOOK_VENV)/bin/python -m pip install -q --upgrade pip
	$(BOOK_VENV)/bin/python -m pip install -q -r requirements-book.txt
	touch $(BOOK_STAMP)

book: $(STAMP) $(KERNELSPEC) $(BOOK_STAMP) ## the HTML book in _build/html (a static folder)
	$(PY) tools/build_book.py --fetch-only
	$(OFFLINE) $(PY) tools/build_book.py

test-book: ## the book from fast-mode runs, then its browser tests (offline)
	$(MAKE) book COURSE_FAST=1
	bash tools/get_browser.sh $(PY)
	$(OFFLINE) $(PY) -m pytest -q -m book

bench: $(STAMP) ## every lesson in default mode over $(SEEDS) seeds (42, 43, ...): time, memory, checkpoints, margins
	$(OFFLINE) $(PY) tools/bench.py --seeds $(SEEDS)

# Colab's versions (requirements-colab.txt) in a second environment. Notebooks run there
# with COURSE_FAST=1: every code path is exercised against Colab's TensorFlow, Keras and
# ipywidgets, while the targets themselves are enforced by `make test`.
# Colab runs Python 3.13: use it when this machine has it, else python3 (then the one difference).
COLAB_PYTHON ?= $(shell for p in python3.13 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.13*/bin/python3.13 2>/dev/null); do $$p -c "" >/dev/null 2>&1 && { echo $$p; exit; }; done; echo $(PYTHON))
COLAB_VENV := .venv-colab
COLAB_PY := $(COLAB_VENV)/bin/python
COLAB_STAMP := $(COLAB_VENV)/.installed

$(COLAB_STAMP): requirements.txt requirements-dev.txt requirements-colab.txt pyproject.toml
	test -x $(COLAB_PY) || $(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_PY) -m pip install -q --upgrade pip
	$(COLAB_PY) -m pip install -q -c requirements-colab.txt -r requirements.txt -r requirements-dev.txt
	$(COLAB_PY) -m pip install -q --no-deps -e .
	$(COLAB_PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Colab versions)"
	touch $(COLAB_STAMP)

test-colab: $(COLAB_STAMP) ## unit tests and every notebook under Colab's versions
	$(OFFLINE) $(COLAB_PY) -m pytest -q -m "not browser and not headless"
	$(OFFLINE) COURSE_STRICT=1 COURSE_FAST=1 COURSE_PROGRESS_DIR=$$(mktemp -d) $(COLAB_PY) -m pytest -q $(NBVAL) notebooks

# The newest versions that requirements*.txt allow, unpinned, in a third environment: the unit
# tests and every notebook in fast mode, so version drift shows up before `make lock` takes it
# in. Not part of `make test` (it re-resolves from the network each time it is rebuilt).
LATEST_VENV := .venv-latest
LATEST_PY := $(LATEST_VENV)/bin/python

test-latest: ## unit tests + fast notebooks against the newest allowed versions (not the lock)
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_PY) -m pip install -q --upgrade pip
	$(LATEST_PY) -m pip install -q --upgrade -r requirements.txt -r requirements-dev.txt
	$(LATEST_PY) -m pip install -q --no-deps -e .
	$(LATEST_PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (latest)"
	$(LATEST_PY) tools/lock_drift.py
	$(OFFLINE) $(LATEST_PY) -m pytest -q -m "not browser and not headless"
	$(OFFLINE) COURSE_STRICT=1 COURSE_FAST=1 $(LATEST_PY) -m pytest -q $(NBVAL) notebooks
