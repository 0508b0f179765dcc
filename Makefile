# Two commands on a fresh machine with Python 3.11 and pip:
#   make demo   set up .venv, create the sample chain, run the per-store reports
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := data/sample
PERIOD ?= 2026-01-01..2026-12-31
RUN    ?= reports/demo

.PHONY: setup sample demo test bench lab clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# rfc3987-syntax (pulled in by jupyter-events) adds ~2 s to every nbformat import, i.e. to
	# every notebook run; nothing the kit uses needs it.
	$(BIN)/python -m pip uninstall --quiet -y rfc3987-syntax
	touch $(STAMP)

$(SAMPLE)/complaints.csv: $(STAMP) kit/sample.py
	$(BIN)/kit sample --stores 12 --months 12 --seed 7 --out $(SAMPLE)

sample: $(SAMPLE)/complaints.csv

demo: sample
	$(BIN)/kit run --notebook 03_complaint_audit --stores all --period $(PERIOD) --data $(SAMPLE) --out $(RUN)
	@echo "Open $(RUN)/index.html"

test: sample
	$(BIN)/python -m pytest

lab: setup
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) reports $(SAMPLE)
