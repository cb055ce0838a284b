# Two commands do all set-up on a fresh machine:
#   make run    - install what is missing, then serve the app on the embedded Essex data (http://localhost:8501)
#   make test   - install what is missing (Python packages, Debian chromium), then run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RAW ?= ../shared/essex-raw
PORT ?= 8501
# COUNCIL=colchester (any insight/councils/<name>.toml) builds, precomputes and serves that council's dataset in
# data/councils/<name>/; the default, essex, is the embedded dataset in data/.
COUNCIL ?= essex
COUNCIL_TOML := insight/councils/$(COUNCIL).toml
ifeq ($(COUNCIL),essex)
DATA_DIR := data
COUNCIL_ENV :=
else
DATA_DIR := data/councils/$(COUNCIL)
COUNCIL_ENV := INSIGHT_COUNCIL=$(COUNCIL_TOML) INSIGHT_DATA_DIR=$(DATA_DIR)
endif

HOST ?= 127.0.0.1

.PHONY: setup browser pdf services deploy-test run test test-fast lint data previous forecasts evaluate audit-disclosure bench load signals false-alarms clean

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

setup: $(VENV)/.installed

browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji)

# WeasyPrint (the committee packs) needs Pango; pdftoppm (poppler-utils) turns a pack into PNG pages to look at.
pdf:
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils)

run: setup pdf
	$(COUNCIL_ENV) STREAMLIT_BROWSER_GATHER_USAGE_STATS=false $(PY) scripts/serve.py --server.address $(HOST) --server.port $(PORT)


# What the deployment tests start themselves: PostgreSQL 15 + PostGIS 3 (a throwaway cluster), HAProxy, and the
# test OpenID Connect provider (npm oidc-provider, pinned by deploy/oidc/package-lock.json; node is needed).
services:
	@(test -f /usr/share/postgresql/15/extension/postgis.control && command -v haproxy >/dev/null && command -v npm >/dev/null) || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-15-postgis-3 haproxy nodejs)
	@test -d deploy/oidc/node_modules/oidc-provider || npm ci --prefix deploy/oidc --no-audit --no-fund --silent

test: setup browser pdf services
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -q
	$(PY) -m pytest -q tests/app --council colchester

test-fast: setup pdf
	$(PY) -m pytest -q -m "not browser"
	$(PY) -m pytest -q tests/app --council colchester

# ruff, then mypy on what pyproject.toml's [tool.mypy] lists (a clean run says "Success: no issues found")
lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy

data: setup
	$(PY) -m insight.build --raw $(RAW) --config $(COUNCIL_TOML) --out $(DATA_DIR)

previous:
	mkdir -p $(DATA_DIR)/previous && cp $(DATA_DIR)/areas.parquet $(DATA_DIR)/indicators.csv $(DATA_DIR)/observations.parquet $(DATA_DIR)/build.json $(DATA_DIR)/previous/

forecasts: setup
	$(PY) -m insight.forecast --all --data-dir $(DATA_DIR)

audit-disclosure: setup
	$(PY) scripts/audit_disclosure.py --raw $(RAW) --exact

evaluate: setup
	nice -n 10 $(PY) -m insight.forecast.evaluate

# The shared deployment end to end on loopback: PostgreSQL/PostGIS, the dataset loaded, the test OIDC provider,
# two replicas behind HAProxy, the page tests through the load balancer and a 100-session load run; everything
# it starts is stopped on the way out (deploy/stack.py). Works as root on a fresh Debian machine.
deploy-test: setup browser services
	STREAMLIT_BROWSER_GATHER_USAGE_STATS=false $(PY) -m deploy.stack

# Every interaction is measured beside a bare Streamlit app doing the same kind of rerun (scripts/bare/), in turn,
# and each script prints the machine's load at its start and end; the RATIO lines are the figures of issue 13.
bench: setup browser
	@$(PY) -c "import os; print('make bench: load average %.2f %.2f %.2f at start' % os.getloadavg())"
	$(PY) scripts/bench_app.py
	$(PY) scripts/bench_forecast.py
	$(PY) scripts/bench_priority.py
	$(PY) scripts/bench_profile.py
	$(PY) scripts/bench_scenarios.py
	@$(PY) -c "import os; print('make bench: load average %.2f %.2f %.2f at end' % os.getloadavg())"

signals: setup
	$(PY) scripts/signal_counts.py

false-alarms: setup
	$(PY) scripts/false_alarms.py

load: setup
	$(PY) scripts/load_harness.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache .mypy_cache
