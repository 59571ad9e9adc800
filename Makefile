# Kinwise — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export KINWISE_VAR_DIR ?= $(CURDIR)/var

.PHONY: install run serve migrate demo test test-postgres lint format bench clean css

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==25.3"
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web front end (NHS.UK frontend, HTMX, axe-core), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# The NHS.UK frontend's stylesheet in the system font stack (no NHS typeface, nothing from
# another host). The built file is committed: run this after changing the nhsuk-frontend
# version or src/kinwise/web/frontend/nhsuk.scss.
css: $(NODE_STAMP)
	npx sass --load-path=node_modules --style=compressed --no-source-map \
		src/kinwise/web/frontend/nhsuk.scss src/kinwise/web/static/web/nhsuk-frontend.min.css

migrate: install
	$(BIN)/kinwise migrate

demo: migrate
	$(BIN)/kinwise demo

run: demo
	@echo ""
	@echo "Kinwise is starting on http://127.0.0.1:8000/"
	@echo "Log in as the demo registered manager: username 'manager', password 'kinwise-demo'"
	@echo "(or the demo support worker: username 'priya', password 'kinwise-demo'). Stop with Ctrl+C."
	@echo ""
	KINWISE_DEBUG=1 $(BIN)/kinwise serve --addr 127.0.0.1:8000

test: install
	$(BIN)/pytest

test-postgres: install
	KINWISE_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

# Scale measurements on SQLite and PostgreSQL (not part of `make test`): `make bench BENCH_ARGS=--full`
bench: install
	$(BIN)/python bench/run.py --postgres postgres://postgres@127.0.0.1:5432 $(BENCH_ARGS)

format: install
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean:
	rm -rf $(VENV) var build src/*.egg-info
