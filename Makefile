# Attune: two commands. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALL_STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
NPM_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: run test worker beat messages lint format bench setup install system-deps backup-deps speech-deps browser-deps frontend db demo clean

run: setup ## Set everything up and serve the demo at http://127.0.0.1:8000 with a worker
	@$(PY) manage.py load_demo --quiet-accounts
	@$(PY) manage.py load_requirement_defaults
	@$(PY) manage.py load_demo_webinar
	@echo "Starting http://127.0.0.1:8000 (admin: /admin/); the demo accounts follow once it answers. Ctrl-C stops the web server, the worker and the scheduler."
	@exec $(VENV)/bin/honcho -f Procfile.dev start

# The suite runs in TEST_WORKERS processes (pytest-xdist); each gets its own var folder and
# Redis databases (lms/settings/test.py). TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= 2

test: install system-deps browser-deps backup-deps speech-deps frontend ## Run the whole test suite
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

worker: install ## Run a Celery worker for both queues
	$(VENV)/bin/celery -A lms worker -Q default,transcode -l info

beat: install ## Run the one Celery beat (a second one refuses to start; docs/operations.md)
	$(VENV)/bin/celery -A lms beat -l info --schedule $${ATTUNE_VAR_DIR:-var}/celerybeat-schedule

messages: install system-deps ## Update the translation catalogs (locale/) from the code and compile them
	$(PY) manage.py translations update
	$(PY) manage.py translations compile
	$(PY) manage.py translations check

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Full scale: make bench SCALE_ARGS="--learners 100000 --records 1000000"
bench: install system-deps speech-deps ## Run every benchmark in benchmarks/, then write docs/benchmarks.md
	@started=$$(date +%s); failed=""; \
	for script in benchmarks/[!_]*.py; do \
		[ "$$script" = benchmarks/summary.py ] && continue; \
		args=""; [ "$$script" = benchmarks/scale.py ] && args="$(SCALE_ARGS)"; \
		echo "== $$script $$args"; $(PY) "$$script" $$args || failed="$$failed $$script"; \
	done; \
	echo "== benchmarks/summary.py"; $(PY) benchmarks/summary.py --since $$started; \
	if [ -n "$$failed" ]; then echo "Failed:$$failed"; exit 1; fi; \
	echo "make bench took $$(( $$(date +%s) - started )) s"

setup: install system-deps frontend db

install: $(INSTALL_STAMP)

$(INSTALL_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

system-deps:
	@if ! command -v ffmpeg >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing ffmpeg with apt-get"; apt-get update -qq && $(APT_INSTALL) ffmpeg; \
		else \
			echo "ffmpeg is missing. Install it, then run make again:"; \
			echo "  Debian/Ubuntu: sudo apt-get install ffmpeg"; \
			echo "  macOS:         brew install ffmpeg"; \
			exit 1; \
		fi; \
	fi
	@# gettext's tools: compiling the translation catalogs (msgfmt) and checking them.
	@if ! command -v msgfmt >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing gettext with apt-get"; apt-get update -qq && $(APT_INSTALL) gettext; \
		else \
			echo "gettext (msgfmt) is missing. Install it, then run make again:"; \
			echo "  Debian/Ubuntu: sudo apt-get install gettext"; \
			echo "  macOS:         brew install gettext"; \
			exit 1; \
		fi; \
	fi
	@if ! command -v pdftotext >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing poppler-utils (pdftotext) with apt-get"; apt-get update -qq && $(APT_INSTALL) poppler-utils; \
		else \
			echo "pdftotext is missing (certificate tests read PDFs with it):"; \
			echo "  Debian/Ubuntu: sudo apt-get install poppler-utils"; \
			echo "  macOS:         brew install poppler"; \
			exit 1; \
		fi; \
	fi

	@# xmlsec1: SAML sign-in (pysaml2) signs and checks XML signatures with it.
	@if ! command -v xmlsec1 >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing xmlsec1 (SAML sign-in signs and checks assertions with it) with apt-get"; apt-get update -qq && $(APT_INSTALL) xmlsec1; \
		else \
			echo "xmlsec1 is missing (SAML sign-in through an association's membership system needs it):"; \
			echo "  Debian/Ubuntu: sudo apt-get install xmlsec1"; \
			echo "  macOS:         brew install libxmlsec1"; \
			exit 1; \
		fi; \
	fi

# pg_dump/pg_restore: only the tests need them (the backup restore test), not `make run`.
backup-deps:
	@if ! command -v pg_restore >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing postgresql-client (pg_dump, pg_restore) with apt-get"; apt-get update -qq && $(APT_INSTALL) postgresql-client; \
		else \
			echo "pg_dump/pg_restore are missing (the backup restore test and docs/operations.md use them):"; \
			echo "  Debian/Ubuntu: sudo apt-get install postgresql-client"; \
			echo "  macOS:         brew install libpq"; \
			exit 1; \
		fi; \
	fi

speech-deps:
	@if ! command -v espeak-ng >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing espeak-ng (the captioning tests and benchmark speak known text) with apt-get"; apt-get update -qq && $(APT_INSTALL) espeak-ng; \
		else \
			echo "espeak-ng is missing (the captioning tests and benchmarks/captions.py speak known text):"; \
			echo "  Debian/Ubuntu: sudo apt-get install espeak-ng"; \
			echo "  macOS:         brew install espeak-ng"; \
			exit 1; \
		fi; \
	fi

browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ -z "$$ATTUNE_CHROMIUM" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing chromium with apt-get"; apt-get update -qq && $(APT_INSTALL) chromium; \
		else \
			echo "Chromium is missing (end-to-end tests need it): sudo apt-get install chromium,"; \
			echo "or set ATTUNE_CHROMIUM to a Chromium binary."; exit 1; \
		fi; \
	fi

frontend:
	@if [ -f package.json ]; then $(MAKE) --no-print-directory $(NPM_STAMP); fi

$(NPM_STAMP):
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@rm -f node_modules/.installed-* && touch $@

db: install
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_framework
	$(PY) manage.py load_requirement_defaults

clean:
	rm -rf var/test-* var/celery var/celerybeat-schedule*
