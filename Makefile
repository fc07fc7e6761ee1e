# The two commands of the quick start are `make lab` and `make test`; the rest are helpers.
# Each creates the environment in .venv (pinned, same versions as Binder) if it is missing
# or out of date.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
export PYTHONPATH := $(CURDIR)
export JUPYTER_PLATFORM_DIRS := 1
# The classroom's Voila templates (lg-app, which ./voila.json names, and lg-slides): Voila
# finds them here, in `make app` and in JupyterLab's Voila preview alike.
export JUPYTER_PATH := $(CURDIR)/classroom/jupyter
# Jupyter servers refuse to run as root unless told; CI runs as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help env lab test test-fast lint format lock clean app slides handouts

help:
	@echo "make lab    - open the explainer in JupyterLab at the start notebook"
	@echo "make test   - run the whole test suite (lint, unit, property, notebooks, browser)"
	@echo "make lock   - re-pin binder/requirements.txt and requirements-test.txt"
	@echo "make app    - run a notebook as a Voila app, code hidden (NB=04_state_led_vs_silicon_valley;"
	@echo "              TEMPLATE=lg-slides for live slides)"
	@echo "make slides - build offline slide decks into build/slides/"
	@echo "make handouts - build offline handout pages into build/handouts/"

$(STAMP): binder/requirements.txt requirements-test.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r binder/requirements.txt -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# axe-core (package-lock.json) for the browser tests' accessibility checks; without npm they
# skip locally and fail in CI (tests/browser/axe.py).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the accessibility tests will skip (apt-get install npm)"; fi

env: $(STAMP) node_modules/.package-lock.json

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) --port=$(PORT) notebooks/00_start_here.ipynb

test: $(STAMP) node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile binder/requirements.in --universal --python-version 3.10 -o binder/requirements.txt
	$(BIN)/uv pip compile requirements-test.in --universal --python-version 3.10 -o requirements-test.txt

# --- Classroom: app mode, static slide decks and handouts (docs/teaching.md) ---------------
# The app runs Voila from the repository root, so it reads ./voila.json (a cell timeout, so no
# page can hang). Voila's own server takes no --allow-root: it runs as root without it.
# The templates are in classroom/jupyter/voila/templates: lg-app (the default) is Voila's lab
# template with nothing fetched from a CDN; TEMPLATE=lg-slides shows the notebook as live slides.
NB ?= 03_subsidies_and_designations
APP_PORT ?= 8866
TEMPLATE ?= lg-app

app: $(STAMP)
	@test -f notebooks/$(NB).ipynb || { echo "No notebook notebooks/$(NB).ipynb"; exit 1; }
	$(BIN)/voila --port=$(APP_PORT) --template=$(TEMPLATE) notebooks/$(NB).ipynb

slides: $(STAMP)
	$(BIN)/python -m classroom.build slides

handouts: $(STAMP)
	$(BIN)/python -m classroom.build handouts

# --- Browser checks (tests/browser/): screenshots and input-to-redraw latency ----------------
# screenshots: every notebook and app into build/screenshots/, and the README's two pictures
# (start notebook's chart, first app panel) into docs/images/. Needs /usr/bin/chromium and a
# CJK font (apt-get install chromium fonts-noto-cjk). browser-latency: median per panel.
.PHONY: screenshots browser-latency
screenshots: $(STAMP)
	$(BIN)/python -m pytest tests/browser -q -m browser --update-docs-images

browser-latency: $(STAMP)
	$(BIN)/python benchmarks/browser_latency.py --apps

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
