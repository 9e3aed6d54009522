# The command surface: CI runs these same targets.
PYTHON ?= python3
VENV := .venv
SAM_VENV := .venv-sam
BIN := $(VENV)/bin
DEMO_DATE ?= 2026-11-28
export SAM_CLI_TELEMETRY := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup setup-sam demo test test-fast unit integration coverage lint format bench build validate clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt layers/common/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup-sam: $(SAM_VENV)/.installed

$(SAM_VENV)/.installed: requirements-sam.txt
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet -r requirements-sam.txt
	touch $@

## demo: run the whole pipeline on the bundled sample topic, offline
demo: setup
	DIGEST_WEB_MIRROR=samples/web $(BIN)/dailydigest run qwen --date $(DEMO_DATE) --topics samples/topics.yaml

## test: unit, integration and end-to-end tests (the e2e ones build the SAM app)
test: setup setup-sam
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" $(BIN)/pytest -q

test-fast: setup
	$(BIN)/pytest -q -m "not e2e"

## unit: the tests that open no socket (tests/unit)
unit: setup
	$(BIN)/pytest -q tests/unit

## integration: loopback servers and moto (tests/integration)
integration: setup
	$(BIN)/pytest -q tests/integration

## coverage: unit and integration tests with a line and branch coverage report of the package
coverage: setup
	$(BIN)/pytest -q -m "not e2e" --cov=dailydigest --cov-branch --cov-report=term-missing:skip-covered

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: pipeline wall time, cold starts, sizes, extraction shares (figures, never asserted)
bench: setup setup-sam
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" $(BIN)/python scripts/bench_pipeline.py
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" $(BIN)/python scripts/bench_coldstart.py
	$(BIN)/python scripts/bench_tokens.py
	$(BIN)/python scripts/bench_fetch.py
	$(BIN)/python scripts/bench_google_news.py
	$(BIN)/python scripts/bench_clustering.py
	$(BIN)/python scripts/bench_extract.py
	$(BIN)/python scripts/bench_dates.py
	$(BIN)/python scripts/bench_memory.py

## validate: SAM's own lint, then cfn-lint with the serverless rules (waivers are commented in the template)
validate: setup-sam
	$(SAM_VENV)/bin/sam validate --lint
	$(SAM_VENV)/bin/cfn-lint --append-rules cfn_lint_serverless.rules -- template.yaml

build: setup-sam
	$(SAM_VENV)/bin/sam build --cached

clean:
	rm -rf .aws-sam var site .pytest_cache .mypy_cache .ruff_cache
