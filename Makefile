# make run    set up (virtualenv, packages, database, default bank) and serve on 127.0.0.1:$(PORT),
#             with the task worker that renders PDFs
# make test   set up and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)
# make faults the fault tests alone, numbers printed (also part of make test)
# make load   50 workshop participants for 2 minutes under locust (not part of make test)
# make bench  every benchmark against its budget, one table, bench/RESULTS.md (not part of make test)
# make prod-check   Django's deployment checks under production-like settings, and bandit
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP_FLAGS ?= -q --disable-pip-version-check

.PHONY: run setup test faults load bench lint format migrations-check check prod-check clean

$(VENV)/.installed: pyproject.toml
	@python=$$(bash .ci/find-python) || exit 1; \
	if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); \
	fi
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(PY) -m pip install $(PIP_FLAGS) '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end packages: apt-get install -y npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_defaults
	$(PY) manage.py ensure_admin

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a PDF worker beside it (Ctrl+C stops both)"
	@$(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

faults: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest tests/test_faults.py -s $(PYTEST_ARGS)

# LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/faults_load) is dropped and
# created again; LOAD_ARGS="--users 10 --run-time 30s" for a shorter run.
load: $(VENV)/.installed node_modules/.installed
	$(PY) -m faults.load $(LOAD_ARGS)

# Needs wrk (apt-get install wrk) and PostgreSQL on 127.0.0.1:5432 (bench_burst makes a
# database of its own); takes about 7 minutes, most of it the 400 PDF renders of bench_memory.
bench: setup
	@command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(PY) bench/run.py $(BENCH)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

# Example production values (not secrets: a throwaway key made on the spot). A real deployment
# runs `manage.py check --deploy --fail-level WARNING` with its own environment.
PROD_ENV = SECURE=true DEBUG=false ALLOWED_HOSTS=assess.example.org \
	CSRF_TRUSTED_ORIGINS=https://assess.example.org \
	EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')

prod-check: $(VENV)/.installed
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

check: lint migrations-check test

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
