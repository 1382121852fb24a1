# OMS: `make run` starts OMS with demo data; `make test` runs every check.
# Both bootstrap what they need from the package registries (uv included) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

BACKEND := backend
FRONTEND := frontend
UV_VERSION := 0.13.9
# uv from PATH when present, else a copy installed from PyPI into .tools/ on first use.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
UV_RUN := cd $(BACKEND) && $(UV) run --frozen
PYTEST_ARGS ?=

# The apps in frontend/ (an npm workspace), once it exists: what they are built from, and
# the stamps that say when `npm ci` and `npm run build` last ran.
ifneq ($(wildcard $(FRONTEND)/package.json),)
FRONTEND_SOURCES := $(shell find $(FRONTEND) \( -name node_modules -o -name dist -o -name coverage \
	-o -name '*.tsbuildinfo' -o -name .vite \) -prune -o -type f -print)
NODE_MODULES := $(FRONTEND)/node_modules/.package-lock.json
WEB_APPS := $(FRONTEND)/customer/dist/index.html $(FRONTEND)/admin/dist/index.html
endif

.PHONY: help run test lint typecheck pytest frontend node bench env clean

help:
	@echo "make run        OMS with demo data on http://localhost:$${OMS_PORT:-3000}"
	@echo "make test       lint, types, the apps' checks and the whole test suite"
	@echo "make lint | typecheck | frontend | pytest | bench"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

env: $(UV)
	cd $(BACKEND) && $(UV) sync --frozen --quiet

node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  echo "make: Node.js 20+ and npm are needed to build the apps in $(FRONTEND)/;" \
	       "install them (https://nodejs.org or your package manager) and run make again" >&2; \
	  exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || { \
	  echo "make: Node.js 20+ is needed to build the apps; this is $$(node --version)" >&2; \
	  exit 1; }

# `npm ci` only when the lock file changed since the last install.
$(NODE_MODULES): $(FRONTEND)/package-lock.json $(FRONTEND)/package.json | node
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	mkdir -p $(@D) && touch $@

# Both apps are built by one `npm run build`, when any of their sources changed.
$(WEB_APPS) &: $(FRONTEND_SOURCES) $(NODE_MODULES) | node
	cd $(FRONTEND) && npm run build
	touch $(WEB_APPS)

# From the repository root, so ./.env and ./.oms are the root's.
run: env $(WEB_APPS)
	OMS_LOG_FORMAT=$${OMS_LOG_FORMAT:-console} $(UV) run --project $(BACKEND) --frozen oms run --seed-demo

lint: env
	$(UV_RUN) ruff check . ../bench
	$(UV_RUN) ruff format --check . ../bench
	$(UV_RUN) lint-imports

typecheck: env
	$(UV_RUN) mypy
	cd $(BACKEND) && MYPYPATH=src:.. $(UV) run --frozen mypy ../bench

ifneq ($(wildcard $(FRONTEND)/package.json),)
frontend: $(NODE_MODULES) | node
	cd $(FRONTEND) && npm run lint
	cd $(FRONTEND) && npm run typecheck
	cd $(FRONTEND) && npm test
	cd $(FRONTEND) && npm run build
	touch $(WEB_APPS)
else
frontend:
	@echo "make: no $(FRONTEND)/package.json yet: no apps to check"
endif

pytest: env
	$(UV_RUN) pytest $(PYTEST_ARGS)

test: lint typecheck frontend pytest

bench: env
	cd $(BACKEND) && PYTHONPATH=$(CURDIR) $(UV) run --frozen python -m bench

clean:
	rm -rf .tools $(BACKEND)/.venv $(BACKEND)/.oms $(FRONTEND)/node_modules $(FRONTEND)/*/dist
