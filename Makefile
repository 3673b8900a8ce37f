# The two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: queues-migrate run test test-frontend lint typecheck schema bench deadletters token clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

## Run the whole platform in the foreground (Ctrl-C stops it).
run: $(STAMP)
	@$(PY) -m tools.run_platform

## Run the whole test suite (needs RabbitMQ, PostgreSQL, Node.js and Chromium;
## see README): the web app's checks first (fast), then pytest, whose suites
## end with the browser tests (tests/webapp) against the whole platform.
test: $(STAMP) test-frontend
	$(PY) -m pytest tests

## The web app's checks: generated code current, types, lint, component tests.
test-frontend:
	@cd frontend && { test node_modules/.package-lock.json -nt package-lock.json \
		|| npm ci --no-audit --no-fund; }
	cd frontend && npm run codegen:check
	cd frontend && npm run typecheck
	cd frontend && npm run lint
	cd frontend && npm test

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy common contracts services gateway devstripe devmail tools tests bench

schema: $(STAMP)
	$(PY) -m gateway.export_schema

deadletters: $(STAMP)
	$(PY) -m common.deadletters list

queues-migrate: $(STAMP)
	$(PY) -m common.queues migrate

token: $(STAMP)
	@$(PY) -m gateway.token --role $${ROLE:-staff}

clean:
	rm -rf var
