# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PO     := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

.PHONY: run test test-deps test-clocks test-soak lint typecheck pytest locales extract-messages bench clean

run: $(STAMP) locales ## start the stub backend and the app, print the URL
	$(BIN)/koeln-app $(ARGS)

test: test-deps $(STAMP) locales lint typecheck pytest ## ruff, mypy strict, pytest with the browser tests

# Debian's chromium, fonts and postgresql: installed when missing as root, else the command is
# printed.
test-deps:
	@scripts/install-test-deps.sh

# The suite at night, in the walk-in hours, at closing time and on a Sunday (Cologne time).
CLOCKS := 2026-11-23T03:00 2026-11-23T10:00 2026-11-23T17:55 2026-11-22T12:00
test-clocks: test-deps $(STAMP) locales
	@for clock in $(CLOCKS); do \
		echo "== the whole suite at $$clock"; \
		KOELN_TEST_CLOCK=$$clock $(BIN)/pytest -q $(PYTEST_ARGS) || exit 1; \
	done

# Long repeated runs left out of `make test`: twenty SIGKILLs at random points of sending answers.
test-soak: test-deps $(STAMP) locales
	$(BIN)/pytest -m soak $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy services backend_stub

pytest: test-deps $(STAMP) locales
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
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching -w 100

bench: $(STAMP) locales
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/waiting_load.py
	$(BIN)/python bench/appointments.py
	$(BIN)/python bench/sensors.py
	$(BIN)/python bench/open_data.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
	find locales -name '*.mo' -delete
