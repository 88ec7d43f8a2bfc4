# Named aliases. `make demo` and `make test` do their own set-up on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-10)
PYTEST_ARGS ?=

.PHONY: demo test test-fast lint format bench messages system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

system-deps:
	bash scripts/system-deps.sh

## demo: the web app on SQLite with the demo province, at http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/langso demo

## test: the whole suite (SQLite; set LANGSO_DATABASE_URL=postgres://… for PostgreSQL)
test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser" -x -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

messages: $(STAMP)
	cd langso && ../$(BIN)/langso makemessages -l en --no-obsolete && ../$(BIN)/langso compilemessages -l en

clean:
	rm -rf $(VENV) var
