# Causeway. Two commands for a new machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py

.PHONY: run test lint security format schema errors events docs migrate seed venv clean bench fuzz fuzz-ci load faults sdk sdk-check

$(STAMP): pyproject.toml requirements/constraints.txt clients/cli/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[dev]" -e clients/cli
	@touch $(STAMP)

venv: $(STAMP)

## Run the platform on the embedded default: web on 127.0.0.1:8000 (PORT=, HOST=), a Celery worker and beat;
## the docs site is built first when missing or older than its sources.
run: $(STAMP) site/index.html
	@bin/dev-run

## Build the docs site (mkdocs.yml: docs/ into site/, served by the web process at /docs/), offline, no warnings.
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
docs: $(STAMP)
	$(MKDOCS) build --strict

site/index.html: mkdocs.yml config/mkdocs_hooks.py CHANGELOG.md pyproject.toml $(shell find docs changes -type f 2>/dev/null) | $(STAMP)
	$(MKDOCS) build --strict

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
	$(VENV)/bin/mypy apps sandbox
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file $(VENV)/schema.yaml
	@diff -q $(VENV)/schema.yaml docs/openapi.yaml || (echo "docs/openapi.yaml is stale: run 'make schema'" && exit 1)
	$(MKDOCS) build --strict

## Static security checks (docs/security.md): bandit (no medium or high finding), the secrets scan against
## .secrets.baseline, and Django's deploy check on the production settings with dummy values (no warning at all).
security: $(STAMP)
	$(VENV)/bin/bandit -q -c pyproject.toml -r apps config sandbox clients/cli manage.py gunicorn.conf.py --severity-level medium
	$(PY) bin/secrets-check
	env -i PATH="$$PATH" HOME="$$HOME" LANG=C.UTF-8 CAUSEWAY_VAR_DIR="$$(mktemp -d)" \
	  DJANGO_SETTINGS_MODULE=config.settings.prod ALLOWED_HOSTS=api.example.com \
	  DATABASE_URL=postgres://causeway@db.invalid:5432/causeway \
	  CACHE_URL=redis://cache.invalid:6379/0 CELERY_BROKER_URL=redis://cache.invalid:6379/1 \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  FIELD_ENCRYPTION_KEYS="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	  $(MANAGE) check --deploy --fail-level DEBUG

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

## The fuzz run CI uses: the same runs, checks and phases (stateful included), bounded (README, "CI").
FUZZ_CI_ARGS := --max-examples 5 --time-limit 600
fuzz-ci: $(STAMP)
	$(PY) bin/fuzz.py $(FUZZ_CI_ARGS)

## Regenerate the event catalogue in docs/events.md (one example payload per event type, fired in a test sandbox).
events: $(STAMP)
	CAUSEWAY_WRITE_DOCS=1 $(PY) -m pytest -q -p no:cacheprovider tests/events/test_event_catalogue.py

# The SDK generators (openapi-typescript, openapi-to-postmanv2, tsc), pinned in sdks/package-lock.json.
SDK_NPM := sdks/node_modules/.installed
$(SDK_NPM): sdks/package.json sdks/package-lock.json
	npm ci --prefix sdks --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(SDK_NPM)

## Build the Python and TypeScript SDKs and the Postman collection from docs/openapi.yaml into sdks/ (docs/sdks.md).
sdk: $(STAMP) $(SDK_NPM)
	$(PY) sdks/generate.py
	cd sdks/typescript && ../node_modules/.bin/tsc -p .

## CI: the committed SDKs and collection match docs/openapi.yaml, and the TypeScript SDK builds (for its smoke test).
sdk-check: $(STAMP) $(SDK_NPM)
	$(PY) sdks/generate.py --check
	cd sdks/typescript && ../node_modules/.bin/tsc -p .

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
	rm -rf var site $(VENV)
