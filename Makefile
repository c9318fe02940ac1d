# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE := evidence
# The sample's sign-off is checked against a DEMO trust list: never a real centre's keys.
DEMO_TRUST := demo-keys/demo-trust-list.txt
# The sample learner's own DEMO config (the keep-out list's key), so its hashed names are checked.
DEMO_LEARNER := CPC306_CONFIG_DIR=demo-keys/learner-config

.PHONY: demo test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pip compiles a package it installs, but not an editable one: compile ours here, or every
# command compiles its 70 modules again where Python writes no bytecode (PYTHONDONTWRITEBYTECODE).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q cpc306_portfolio
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m compileall -q cpc306_portfolio
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(DEMO_LEARNER) $(BIN)/cpc306 validate $(SAMPLE)
	$(BIN)/cpc306 status $(SAMPLE)
	$(DEMO_LEARNER) $(BIN)/cpc306 scan $(SAMPLE)
	$(BIN)/cpc306 verify $(SAMPLE) --trust $(DEMO_TRUST)
	$(BIN)/cpc306 render $(SAMPLE) -o out/sample-portfolio.html --trust $(DEMO_TRUST)
	@echo "The assessor's portfolio: $(abspath out/sample-portfolio.html)"

# CI (.ci/run) calls this: the house rules (lint, format, types) are checked first, then the suite.
test: lint
	$(BIN)/python -m pytest tests notebooks --nbval

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy cpc306_portfolio

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
