# make run    set up (virtualenv, packages, database, default bank) and serve on 127.0.0.1:$(PORT),
#             with the task worker that renders PDFs
# make test   set up and run the whole functional test suite (DATABASE_URL=postgres://... for PostgreSQL)
# make faults the fault tests (gunicorn while things break), numbers printed; not part of make test
# make load   50 workshop participants for 2 minutes under locust (not part of make test)
# make bench  every benchmark against its budget, one table, bench/RESULTS.md (not part of make test)
# make bench-scale  the busy day: 1,000 participants in 40 workshops, one then two servers (~20 min)
# make upgrade      newest allowed versions into uv.lock, then the tests and the PDF benchmark
# make prod-check   Django's deployment checks under production-like settings, and bandit
# make audit        known vulnerabilities in the locked Python and npm packages (pip-audit, npm audit)
# make backup / make restore BACKUP=file   the database to a file and back (README "Backups")
# make messages     new and changed texts into locale/fr and locale/de (README, "Languages")
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# uv installs exactly what uv.lock says (versions and hashes) into $(VENV), with the Python that
# .ci/find-python picks and checks, never one it downloads; --locked also fails when uv.lock is
# out of date with pyproject.toml.
UV := .uv/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
UV_SYNC = python=$$(bash .ci/find-python) && $(UV) sync --locked --python "$$python" --quiet

.PHONY: run setup test faults load bench bench-scale upgrade lock-check lint format audit \
	backup restore \
	migrations-check check prod-check system-check runtime-env dev-env clean messages

$(UV): .ci/uv-requirements.txt
	@python=$$(bash .ci/find-python) || exit 1; \
	rm -rf .uv; echo "Installing uv into .uv with $$python"; $$python -m venv .uv
	.uv/bin/pip install -q --disable-pip-version-check --require-hashes --no-deps \
		-r .ci/uv-requirements.txt
	@touch $@

# The app's packages only. --inexact leaves the test tools alone if make test put them there.
runtime-env: $(UV)
	@$(UV_SYNC) --no-dev --inexact

# The app's packages and the dev group (tests, lint, load, benchmarks), nothing else.
dev-env: $(UV)
	@$(UV_SYNC)

# Fails when pyproject.toml changed and uv.lock was not refreshed (make upgrade, or uv lock).
lock-check: $(UV)
	$(UV) lock --check

system-check: runtime-env
	@$(PY) .ci/check_system.py

# Bootstrap from npm for make run; make test adds the HTML checker (vnu-jar) and axe-core.
node_modules/.installed-runtime: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end packages: apt-get install -y npm"; exit 1; }
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $@

node_modules/.installed-dev: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end packages: apt-get install -y npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@ node_modules/.installed-runtime

setup: runtime-env system-check node_modules/.installed-runtime
	$(PY) manage.py compile_catalogues
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_defaults
	$(PY) manage.py ensure_admin

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a PDF worker beside it (Ctrl+C stops both)"
	@export LOG_FORMAT=$${LOG_FORMAT:-plain}; \
	$(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: dev-env system-check node_modules/.installed-dev
	$(PY) manage.py compile_catalogues
	$(PY) -m pytest -m "not faults" -rs $(PYTEST_ARGS)

faults: dev-env node_modules/.installed-dev
	$(PY) -m pytest -m faults tests/test_faults.py -s $(PYTEST_ARGS)

# A deliberate step: the newest versions pyproject.toml allows, then the whole suite and the
# PDF benchmark (WeasyPrint's output and speed are what an upgrade most often changes).
# Review `git diff uv.lock` and commit it with the numbers (or `git checkout uv.lock`).
upgrade: $(UV)
	$(UV) lock --upgrade
	$(MAKE) test
	$(MAKE) faults
	$(PY) bench/bench_pdf.py
	git diff --stat uv.lock

# LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/faults_load) is dropped and
# created again; LOAD_ARGS="--users 10 --run-time 30s" for a shorter run.
load: dev-env
	$(PY) -m faults.load $(LOAD_ARGS)

# Needs wrk (apt-get install wrk) and PostgreSQL on 127.0.0.1:5432 (bench_burst makes a
# database of its own); takes about 7 minutes, most of it the 400 PDF renders of bench_memory.
bench: dev-env setup
	@command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(PY) bench/run.py $(BENCH)

# Issue #19 on PostgreSQL: faults/scale.py with one app server, then two behind nginx (about
# 8 minutes each; SCALE_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/scale, is
# dropped and created again), then the board's and the save's cost as the work grows
# (bench_scale_cost, about a minute, on SCALE_COST_DATABASE_URL, dropped and created again). Needs
# nginx (apt-get install nginx). Prints the figures; copy them into bench/RESULTS.md.
SCALE_COST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/scale_cost
bench-scale: dev-env
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "bench-scale needs nginx: apt-get install -y nginx"; exit 1; }
	$(PY) bench/bench_scale.py $(BENCH_SCALE_ARGS)
	DATABASE_URL=$(SCALE_COST_DATABASE_URL) $(PY) bench/bench_scale_cost.py

# After adding or changing text: brings every msgid of the templates and Python into
# locale/fr and locale/de (needs GNU gettext: apt-get install gettext). Translate the new
# entries (tests/test_i18n_catalogues.py lists the missing ones), then make setup compiles.
MESSAGES_LANGUAGES ?= fr de
messages: dev-env
	$(PY) manage.py makemessages $(addprefix -l ,$(MESSAGES_LANGUAGES)) --no-obsolete \
		--add-location=file --ignore=.venv --ignore=.uv --ignore=node_modules \
		--ignore=tests --ignore=bench --ignore=faults --ignore=staticfiles
	$(PY) manage.py compile_catalogues

lint: dev-env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

# Known vulnerabilities in what uv.lock and package-lock.json install; accept one in
# .ci/audit-accepted.toml with a reason and an expiry date. Says so when the advisory
# databases cannot be reached (AUDIT_REQUIRED=true then fails).
audit: dev-env
	$(PY) .ci/audit.py

# The database (DATABASE_URL, or db.sqlite3) to one file: BACKUP=path, or a dated file in
# var/backups/. Restore replaces everything: stop the app servers and task workers first.
backup: runtime-env
	$(PY) manage.py backup $(BACKUP)

restore: runtime-env
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=path/to/backup"; exit 1; }
	$(PY) manage.py restore "$(BACKUP)" --yes

format: dev-env
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: dev-env
	$(PY) manage.py makemigrations --check --dry-run

# Example production values (not secrets: a throwaway key made on the spot). A real deployment
# runs `manage.py check --deploy --fail-level WARNING` with its own environment.
PROD_ENV = SECURE=true DEBUG=false ALLOWED_HOSTS=assess.example.org \
	CSRF_TRUSTED_ORIGINS=https://assess.example.org \
	EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')

prod-check: dev-env
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

check: lock-check lint migrations-check test

clean:
	rm -rf $(VENV) .uv node_modules staticfiles .pytest_cache .ruff_cache
