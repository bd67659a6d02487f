# The two commands: `make run` and `make test`. Both install what is missing into .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements-dev.lock | cut -d' ' -f1)
PORT ?= 8000
DEMO_SCHOOLS := tests/pledges/fixtures/schools.csv tests/pledges/fixtures/trust_register.csv

NODE_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)

.PHONY: install run test check lint format lock worker beat bench clean

$(STAMP): requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# pip before 23.3 refuses a hashed lock when a package asks for another with an extra (coverage[toml]).
	$(BIN)/pip install --disable-pip-version-check --quiet pip==25.3
	$(BIN)/pip install --disable-pip-version-check --quiet -r requirements-dev.lock
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install
	@mkdir -p var/mail
	$(BIN)/python manage.py migrate --noinput
	@# Invented schools, so the school search has something to find on a local site.
	for f in $(DEMO_SCHOOLS); do $(BIN)/python manage.py import_schools $$f || exit 1; done
	@# The periodic jobs (outbox retries, reminders, expiry, recount) run beside the site, as beat does in production.
	export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	if [ -z "$$REDIS_URL" ]; then $(BIN)/python manage.py run_periodic & periodic=$$!; fi; \
	trap 'kill $${periodic:-} 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest --cov --cov-report=term:skip-covered --cov-report=html:var/coverage $(PYTEST_ARGS)

# Test-only tools from npm (axe-core, the Nu HTML Checker, Lighthouse); nothing from npm is served.
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; else echo "npm not found: the accessibility suite and make check need it (CI installs it)"; fi

# Judges we did not write, against the site on 127.0.0.1: schemathesis, the Nu HTML Checker,
# Lighthouse and LinkChecker (reports in var/reports/). Needs Java and Chromium (CI installs them).
check: install $(NODE_STAMP)
	$(BIN)/python checks/run.py

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A pausecampaign worker -Q celery,mail,bulk --loglevel=INFO

beat: install
	$(BIN)/celery -A pausecampaign beat --loglevel=INFO --schedule var/celerybeat-schedule

bench: install
	$(BIN)/python bench/run.py

# Both locks from pyproject.toml, with hashes, reproducibly: running it again changes nothing
# unless pyproject.toml did. The runtime lock also constrains the development one.
LOCK_VENV := /tmp/pausecampaign-lock
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || ($(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools==7.6.2)
	$(COMPILE) --output-file requirements.lock pyproject.toml
	$(COMPILE) --extra dev --constraint requirements.lock --output-file requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var
