# Amparo: `make demo` and `make test` set everything up on a fresh machine with python3 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO := AMPARO_DEMO=1
HOST ?= 127.0.0.1:8000

.PHONY: demo serve prod-local test install install-test browser lint screenshots messages lock docs clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Amparo needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo; \
		echo "Could not create $(VENV). On Debian or Ubuntu: sudo apt-get install python3-venv"; \
		exit 1; }
	@$(BIN)/python -m pip install -q --upgrade pip

# Exact, hash-checked versions from the lock files (regenerate them with `make lock`).
$(VENV)/.base: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements/base.txt
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

$(VENV)/.test: requirements/test.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements/test.txt
	$(BIN)/pip install -q --no-deps -e .
	@touch $@ $(VENV)/.base

install: $(VENV)/.base
install-test: $(VENV)/.test

# Builds var/amparo.sqlite3 (migrations, demo data when missing) and serves it.
demo: install
	$(DEMO) $(BIN)/amparo migrate --no-input -v 0
	$(DEMO) $(BIN)/amparo seed --cases 2000 --if-empty
	@echo "Amparo (demo, fictitious data) on http://$(HOST)/ — stop with Ctrl-C"
	@# The background worker (imports started in the browser) runs beside the server and stops with it.
	@mkdir -p var; $(DEMO) $(BIN)/amparo db_worker --interval 1 --no-reload > var/worker.log 2>&1 & \
		worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEMO) $(BIN)/amparo runserver --noreload $(HOST)

serve: demo

# The production configuration on this machine (gunicorn, the worker, the local PostgreSQL,
# secrets generated into var/prod-local): `make prod-local` or `make prod-local CASES=1000`.
prod-local: install
	deploy/prod-local.sh $(if $(CASES),--cases $(CASES),)

# The browser tests drive Debian's Chromium (Playwright's own download cannot work here); the
# PDF checks render pages with poppler-utils (pdftoppm, pdftotext).
# Installed when missing and this machine allows it (root with apt-get); otherwise the browser
# tests skip with the reason, except under CI=true, where they fail.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing (sudo apt-get install chromium): the browser tests will skip."; fi; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing poppler-utils to look at the PDFs page by page"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
		else echo "poppler-utils is missing (sudo apt-get install poppler-utils): the PDF checks will skip."; fi; }

lint: install-test
	$(BIN)/ruff check amparo bench

# The README's pictures (docs/screenshots/) from the demo database, by the browser tests' code.
screenshots: install-test browser
	$(DEMO) $(BIN)/amparo migrate --no-input -v 0
	$(DEMO) $(BIN)/amparo seed --cases 2000 --if-empty
	$(DEMO) $(BIN)/python -m amparo.browser.screenshots docs/screenshots

# The linter first (configured in pyproject.toml; a lint error fails the build), then the suite:
# SQLite by default, PostgreSQL when DATABASE_URL points to it.
test: install-test browser
	$(BIN)/ruff check amparo bench
	$(BIN)/pytest

messages: install
	cd amparo && $(DEMO) ../$(BIN)/amparo makemessages -l es --no-obsolete --no-location
	cd amparo && $(DEMO) ../$(BIN)/amparo compilemessages -l es

docs: install
	$(DEMO) $(BIN)/amparo roles --markdown > docs/roles.md

lock: $(BIN)/python
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe -o requirements/base.txt pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --extra test -o requirements/test.txt pyproject.toml

clean:
	rm -rf $(VENV) var/static .pytest_cache
