# kinerja-analysis: `make` alone lists the targets. Every target that needs Python first runs
# `setup`, which creates .venv and installs the package editable with its extras, once per
# version of pyproject.toml.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp's name carries a hash of pyproject.toml's content (and the rule has no prerequisite, so
# dates do not matter): a fresh clone or a touched file does not reinstall, an edited dependency
# list does.
SETUP_KEY := $(shell (sha256sum pyproject.toml 2>/dev/null || shasum -a 256 pyproject.toml) | cut -c1-16)
STAMP := $(VENV)/.setup-$(SETUP_KEY)
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
LINTED := src tests scripts $(wildcard benchmarks)

.PHONY: help setup report test lab app data notebooks bench lint clean

help: ## list the targets (this text)
	@echo "Usage: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z_-]*:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP) ## create .venv and install the package with its extras (-e ".[dev]"); fast when done

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e ".[dev]"
	@rm -f $(VENV)/.setup-*
	@touch $@

report: setup ## build the HTML reports (and the summary as PDF) from the synthetic Plaju data into reports/
	@# The PDF is printed with Chromium; without it the HTML reports are still built, and we say why.
	@if $(BIN)/python -c "from kinerja_analysis.delivery.reports import find_chromium; find_chromium()" 2>/dev/null; then \
		$(BIN)/kinerja report --pdf; \
	else \
		echo "Chromium not found: building the HTML reports only (for the PDF: apt-get install -y chromium)."; \
		$(BIN)/kinerja report; \
	fi

test: setup ## run every test: unit, property, doctests, the notebooks under nbval, the reports
	$(BIN)/pytest $(NBVAL)

lab: setup ## open JupyterLab on the notebooks
	$(BIN)/kinerja lab

app: setup ## open the what-if app (notebook 07) with Voila
	$(BIN)/kinerja app

data: setup ## regenerate the synthetic data in data/demo (kinerja demo-data)
	$(BIN)/kinerja demo-data --out data/demo

notebooks: setup ## re-execute the committed notebooks in place, with clean metadata
	$(BIN)/python scripts/execute_notebooks.py

bench: setup ## run the scale benchmarks (benchmarks/*.py)
	@shopt -s nullglob; files=(benchmarks/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "No benchmarks/*.py yet."; exit 1; fi; \
	for f in "$${files[@]}"; do echo "== $$f"; $(BIN)/python "$$f" || exit 1; done

lint: setup ## check the code with ruff (lint and format)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

clean: ## remove generated reports and caches (keeps .venv; rm -rf .venv to start over)
	if [ -d reports ]; then find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +; fi
	rm -rf .pytest_cache .ruff_cache .hypothesis build dist
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) -prune -exec rm -rf {} +
