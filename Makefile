# Two commands for a fresh machine with Python 3.11+:
#   make run    set up .venv, migrate, load BAMEX'25, serve on 127.0.0.1:$(PORT)
#   make test   set up .venv, run ruff and the whole test suite
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(VENV)/bin
CATALOGS := $(wildcard expo_app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test install install-test lint format translations extract-messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The app alone for `make run`; the test tools (Playwright, ruff...) only for `make test`.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

# Catalogues are compiled by the install, never committed.
translations: $(COMPILED)
%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

run: install
	$(BIN)/expo db upgrade
	$(BIN)/expo seed
	@echo "Expo is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/expo run --host 127.0.0.1 --port $(PORT)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After adding or changing UI strings: refresh the catalogues, then translate the new entries.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o expo_app/translations/messages.pot .
	$(BIN)/pybabel update -i expo_app/translations/messages.pot -d expo_app/translations

# Speed and memory figures (several minutes): import/export, programme, scheduler, badges.
bench: $(VENV)/.installed-bench translations
	$(BIN)/python bench/bench_interchange.py
	$(BIN)/python bench/bench_programme.py
	$(BIN)/python bench/bench_scheduler.py
	$(BIN)/python bench/bench_badges.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find expo_app/translations -name '*.mo' -delete
