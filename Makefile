# Two commands on a fresh machine with Python 3.11 and pip:
#   make demo   set up .venv, create the sample chain, run the chain's reports
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := data/sample
PERIOD ?= 2026-01-01..2026-12-31
RUN    ?= reports/demo

.PHONY: setup sample demo test lint format bench lab workshop clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# rfc3987-syntax (pulled in by jupyter-events) adds ~2 s to every nbformat import, i.e. to
	# every notebook run; nothing the kit uses needs it.
	$(BIN)/python -m pip uninstall --quiet -y rfc3987-syntax
	touch $(STAMP)

$(SAMPLE)/complaints.csv: $(STAMP) kit/intake/sample.py
	$(BIN)/kit sample --stores 12 --seed 7 --out $(SAMPLE)

sample: $(SAMPLE)/complaints.csv

# The chain overview (00), the workshop notebooks (01, 02, headless, on a demo workspace) and the
# per-store reports (03, 04) for every store; --resume keeps reports whose inputs did not change.
DEMO_NOTEBOOKS := 00_chain_overview,01_customer_types,02_service_standards,03_complaint_audit,04_satisfaction_loyalty
WORKSPACE := $(RUN)/workspaces/demo

demo: sample
	test -d $(WORKSPACE) || $(BIN)/kit workspace new demo --root $(RUN)/workspaces
	$(BIN)/kit run --notebooks $(DEMO_NOTEBOOKS) --stores all --period $(PERIOD) --data $(SAMPLE) \
		--workspace $(WORKSPACE) --out $(RUN) --timeout 900 --resume
	@echo "Open $(RUN)/index.html"

test: sample
	$(BIN)/python -m pytest

# Lint and format with ruff (configured in pyproject.toml); `make test` checks both too.
LINTED := kit tests benchmarks notebooks
lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: setup
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

# Speed and memory benchmarks: they print figures and ratios against baselines measured in the
# same run (they are not tests). bench_batch runs 100 reports: allow several minutes.
bench: sample
	$(BIN)/python benchmarks/bench_intake.py
	$(BIN)/python benchmarks/bench_audit.py
	$(BIN)/python benchmarks/bench_batch.py --naive-sample 4

# JupyterLab on notebooks/, its menus in the workshop language (WORKSHOP_LANG=zh|en, default zh):
# the kit's settings folder holds an overrides.json that sets JupyterLab's display language.
WORKSHOP_LANG ?= zh

lab: setup
	$(BIN)/jupyter lab notebooks/ --LabApp.app_settings_dir=$(CURDIR)/kit/workshop/assets/lab/$(WORKSHOP_LANG) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# The workshop forms as a web app (no code visible) on the demo workspace and the sample data;
# for a client: kit workshop workspaces/<client> --data <client data> --lang zh
workshop: sample
	test -d $(WORKSPACE) || $(BIN)/kit workspace new demo --root $(RUN)/workspaces
	$(BIN)/kit workshop $(WORKSPACE) --data $(SAMPLE) --lang $(WORKSHOP_LANG)

clean:
	rm -rf $(VENV) reports $(SAMPLE)
