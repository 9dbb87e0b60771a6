# Two commands for a fresh machine with Python 3.11+:
#   make run    set up .venv, migrate, load BAMEX'25, serve on 127.0.0.1:$(PORT)
#   make test   set up .venv, run ruff and the whole test suite
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(VENV)/bin
CATALOGS := $(wildcard expo_app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test install lint format translations extract-messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed translations

# Catalogues are compiled by the install, never committed.
translations: $(COMPILED)
%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

run: install
	$(BIN)/expo db upgrade
	$(BIN)/expo seed
	@echo "Expo is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/expo run --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After adding or changing UI strings: refresh the catalogues, then translate the new entries.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o expo_app/translations/messages.pot .
	$(BIN)/pybabel update -i expo_app/translations/messages.pot -d expo_app/translations

bench: install
	$(BIN)/python bench/bench_interchange.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find expo_app/translations -name '*.mo' -delete
