# netfree: the project's vocabulary. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format migrations-check bench soak audit \
        export import hashes messages collectstatic clean help

help:
	@echo "make run    - set up (venv, install, migrate, load fixtures) and serve on 127.0.0.1:$(PORT)"
	@echo "make test   - the whole suite: SQLite, PostgreSQL, browser"
	@echo "make lint   - ruff check and format check, and the architecture's import contracts"
	@echo "make bench  - performance figures on a large generated dataset (a table; ~20 min)"
	@echo "make soak   - readers, editors and a PostgreSQL restart under load (a table; ~2 min)"
	@echo "make audit  - known vulnerabilities in the pinned requirements, and the security lint"
	@echo "make export - write fixtures/ from the database (ARGS=--check compares instead)"
	@echo "make import - import fixture files all or nothing (FILES=..., ARGS=--dry-run)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the pinned requirements change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_initial_data
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Tests run with DEBUG off, as production does; the key is throwaway and never stored.
test: export DJANGO_SECRET_KEY ?= test-$(shell $(PYTHON) -c 'import secrets; print(secrets.token_hex(24))')
test: export DJANGO_DEBUG =
test: export DJANGO_ALLOWED_HOSTS ?= localhost,127.0.0.1,testserver
test: export DJANGO_HTTPS ?= 0
test: $(VENV)/.installed-dev
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	VENV=$(VENV) scripts/run-tests

# The production profile on this machine's loopback, for the bench and the soak test.
bench soak: export DJANGO_SECRET_KEY ?= run-$(shell $(PYTHON) -c 'import secrets; print(secrets.token_hex(24))')
bench soak: export DJANGO_DEBUG =
bench soak: export DJANGO_ALLOWED_HOSTS ?= localhost,127.0.0.1
bench soak: export DJANGO_HTTPS ?= 0

# Figures, not pass/fail: a table of timings and memory (see tools/loadtest/bench.py).
bench: $(VENV)/.installed-dev
	VENV=$(VENV) scripts/bench $(BENCH_ARGS)

# Pass/fail: readers and an editor through a PostgreSQL restart, a table and checks
# (tools/loadtest/soak.py).
soak: $(VENV)/.installed-dev
	VENV=$(VENV) scripts/soak $(SOAK_ARGS)

# Vulnerabilities (pip-audit, in a venv of its own) and the security lint; see scripts/audit.
audit: $(VENV)/.installed-dev
	VENV=$(VENV) scripts/audit

# After changing a pin: write the hash of each pinned file next to it (scripts/hash-requirements).
hashes: | $(BIN)/python
	$(BIN)/python scripts/hash-requirements requirements.txt requirements-dev.txt

# The interface's Russian and Kazakh catalogues (locale/): collect the marked strings, then
# compile (tests/test_translations.py fails while one is untranslated or out of date).
MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=node_modules \
        --ignore=test-artifacts --ignore=tests --ignore=tools --ignore=scripts
messages: export DJANGO_ALLOWED_HOSTS ?= localhost
messages: export DJANGO_SECRET_KEY ?= messages-only
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l ru -l kk --add-location=file $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l ru -l kk $(MESSAGES_IGNORE)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

collectstatic: $(VENV)/.installed
	$(BIN)/python manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) .venv-audit staticfiles .pytest_cache

# The maintainers' fixture loop (README, "Fixtures"): development settings unless the
# environment says otherwise. `make export ARGS=--check`, `make import FILES="fixtures/*.json"`.
export: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py export_fixtures $(ARGS)

import: $(VENV)/.installed
	@[ -n "$(FILES)" ] || { echo 'make import: say which files, e.g. FILES="fixtures/*.json"'; exit 2; }
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py import_fixtures $(FILES) $(ARGS)
