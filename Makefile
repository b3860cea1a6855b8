# Causeway. Two commands for a new machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py

.PHONY: run test lint format schema errors migrate seed venv clean bench fuzz load faults

$(STAMP): pyproject.toml requirements/constraints.txt clients/cli/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[dev]" -e clients/cli
	@touch $(STAMP)

venv: $(STAMP)

## Run the platform on the embedded default: web on 127.0.0.1:8000, a Celery worker and beat.
run: $(STAMP)
	@bin/dev-run

## Run the whole test suite (on PostgreSQL/Redis when DATABASE_URL/CACHE_URL/CELERY_BROKER_URL are set).
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

migrate: $(STAMP)
	$(MANAGE) migrate_all

seed: migrate
	$(MANAGE) sandbox_quickstart

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy apps
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file $(VENV)/schema.yaml
	@diff -q $(VENV)/schema.yaml docs/openapi.yaml || (echo "docs/openapi.yaml is stale: run 'make schema'" && exit 1)

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Regenerate the committed OpenAPI schema.
schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file docs/openapi.yaml

## Regenerate the error reference in docs/errors.md from the declared errors.
errors: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) errors_reference

## schemathesis against a live server with the committed schema: every check and phase, zero failures (README, "CI").
fuzz: $(STAMP)
	$(PY) bin/fuzz.py

bench: $(STAMP)
	$(PY) bench/run.py
	$(PY) bench/request_logs.py

## Load and fault runs (bench/README.md): their own PostgreSQL (port 5440) and Redis (6390); not part of CI.
LOAD_STAMP := $(VENV)/.installed-load
$(LOAD_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[dev,load]"
	@touch $(LOAD_STAMP)

load: $(LOAD_STAMP)
	nice -n 10 $(PY) bench/load/run.py $(LOAD_ARGS)

faults: $(LOAD_STAMP)
	nice -n 10 $(PY) bench/load/run.py --faults $(LOAD_ARGS)

clean:
	rm -rf var $(VENV)
