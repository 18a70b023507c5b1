# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
# Two workers: this machine has two cores; the browser and database tests are I/O-bound.
PYTEST_ARGS ?= -n 2 -q
export UV_PYTHON := python3.11

.PHONY: help install deps system-deps run test bench lint messages check-deploy

help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:8000 with a Celery worker and beat"
	@echo "make test   - install and run every test"
	@echo "make bench  - run the benchmarks, writing bench/RESULTS.md"
	@echo "make lint   - ruff"

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$$(command -v uv || echo $(UV)) sync --frozen --quiet
	touch $@

node_modules/.synced: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

deps: .venv/.synced node_modules/.synced

# Chromium (browser tests), fonts and HarfBuzz subsetting (WeasyPrint) from Debian, when missing.
system-deps:
	@bash scripts/ensure-system-deps.sh

install: deps

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	bash scripts/run.sh

test: install system-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

bench: install
	@bash scripts/ensure-system-deps.sh bench
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m bench

lint: deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

messages: deps
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=bench --ignore=tests --ignore=berichten --no-obsolete
	cd berichten && ../$(PY) ../manage.py makemessages -l en --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

check-deploy: deps
	DJANGO_SECRET_KEY=$$(openssl rand -hex 40) DJANGO_ALLOWED_HOSTS=beheer.example.nl EMAIL_URL=smtp://mail.example.nl:587 SITE_URL=https://beheer.example.nl \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING
