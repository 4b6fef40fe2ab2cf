# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PO     := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

.PHONY: run test lint typecheck pytest locales extract-messages bench screenshots clean

run: $(STAMP) locales ## start the stub backend and the app, print the URL
	$(BIN)/koeln-app $(ARGS)

test: $(STAMP) locales lint typecheck pytest ## ruff, mypy strict, pytest with the browser tests

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy services backend_stub

pytest: $(STAMP) locales
	$(BIN)/pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

locales: $(MO)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d locales -D messages -l $* 

# After changing user-facing text: extract, then translate the new entries in every .po.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -o locales/messages.pot --no-location --sort-output --project koeln-app .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching

bench: $(STAMP) locales
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/waiting_load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
	find locales -name '*.mo' -delete
