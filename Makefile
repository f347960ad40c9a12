# make run  - create the virtualenv, install, migrate, load demo data, serve on 127.0.0.1:8000
# make test - the whole suite: lint, format, types, schema freshness, tests on SQLite,
#             PostgreSQL and Redis (required under CI=true), the graphql-http audit
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
AUDIT := tests/http_audit

SYSTEM_PACKAGES := pcscd vsmartcard-vpcd libpcsclite-dev swig fonts-noto-cjk fonts-wqy-zenhei poppler-utils
TEST_STAMP := $(VENV)/.installed-test

BENCH_POSTGRES ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
BENCH_REDIS ?= redis://127.0.0.1:6379/14

.PHONY: bench run test install lint typecheck audit-deps services system-deps check-schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# What the card and seal tests need from Debian: pcscd with the vpcd virtual reader, the
# headers pyscard builds against, a CJK font for seals, poppler for PDF checks.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(TEST_STAMP): $(STAMP) | system-deps
	$(BIN)/pip install --quiet -e ".[dev,card]"
	touch $(TEST_STAMP)

run: install
	$(BIN)/gateway db upgrade
	$(BIN)/gateway demo-data
	PORT=$(PORT) $(BIN)/gateway serve

$(AUDIT)/node_modules/.package-lock.json: $(AUDIT)/package-lock.json
	cd $(AUDIT) && npm ci --no-audit --no-fund --loglevel=error

audit-deps: $(AUDIT)/node_modules/.package-lock.json

# PostgreSQL and Redis are local services on the project's machines; start them if stopped.
services:
	@if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && command -v pg_ctlcluster >/dev/null; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; fi
	@if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && command -v redis-server >/dev/null; then \
		redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no || true; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

check-schema: install
	$(BIN)/gateway export-schema --check

test: install system-deps $(TEST_STAMP) audit-deps services lint typecheck check-schema
	$(BIN)/pytest -q -p no:cacheprovider

# The throughput benchmarks of docs/benchmarks.md (minutes; not part of `make test`, whose
# guards run small versions of them). wrk drives the HTTP workloads.
bench: $(TEST_STAMP) services
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	$(BIN)/python -m tests.benchmarks.order_page
	$(BIN)/python -m tests.benchmarks.order_page --postgres $(BENCH_POSTGRES)
	$(BIN)/python -m tests.benchmarks.order_page --workload W5
	$(BIN)/python -m tests.benchmarks.order_page --workload W5 --postgres $(BENCH_POSTGRES)
	$(BIN)/python -m tests.benchmarks.fanout
	$(BIN)/python -m tests.benchmarks.fanout --postgres $(BENCH_POSTGRES) --redis $(BENCH_REDIS)
	$(BIN)/python -m tests.benchmarks.signing
	$(BIN)/python -m tests.benchmarks.seal_imaging

clean:
	rm -rf $(VENV) .data $(AUDIT)/node_modules .mypy_cache .ruff_cache .pytest_cache
