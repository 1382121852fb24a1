# OMS: `make run` starts OMS with demo data; `make test` runs every check.
# Both bootstrap what they need from the package registries (uv included) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

BACKEND := backend
UV_VERSION := 0.13.9
# uv from PATH when present, else a copy installed from PyPI into .tools/ on first use.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
UV_RUN := cd $(BACKEND) && $(UV) run --frozen
PYTEST_ARGS ?=

.PHONY: help run test lint typecheck pytest bench env clean

help:
	@echo "make run        OMS with demo data on http://localhost:$${OMS_PORT:-3000}"
	@echo "make test       lint, types and the whole test suite"
	@echo "make lint | typecheck | pytest | bench"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

env: $(UV)
	cd $(BACKEND) && $(UV) sync --frozen --quiet

# From the repository root, so ./.env and ./.oms are the root's.
run: env
	OMS_LOG_FORMAT=$${OMS_LOG_FORMAT:-console} $(UV) run --project $(BACKEND) --frozen oms run --seed-demo

lint: env
	$(UV_RUN) ruff check . ../bench
	$(UV_RUN) ruff format --check . ../bench
	$(UV_RUN) lint-imports

typecheck: env
	$(UV_RUN) mypy
	cd $(BACKEND) && MYPYPATH=src:.. $(UV) run --frozen mypy ../bench

pytest: env
	$(UV_RUN) pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: env
	cd $(BACKEND) && PYTHONPATH=$(CURDIR) $(UV) run --frozen python -m bench

clean:
	rm -rf .tools $(BACKEND)/.venv $(BACKEND)/.oms
