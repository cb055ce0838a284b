# Two commands do all set-up on a fresh machine:
#   make run    - install what is missing, then serve the app on the embedded Essex data (http://localhost:8501)
#   make test   - install what is missing (Python packages, Debian chromium), then run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RAW ?= ../shared/essex-raw
PORT ?= 8501

.PHONY: setup browser services deploy-test run test test-fast lint data forecasts bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji)

# What the deployment tests start themselves: PostgreSQL 15 + PostGIS 3 (a throwaway cluster), HAProxy, and the
# test OpenID Connect provider (npm oidc-provider, pinned by deploy/oidc/package-lock.json; node is needed).
services:
	@(test -f /usr/share/postgresql/15/extension/postgis.control && command -v haproxy >/dev/null && command -v npm >/dev/null) || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-15-postgis-3 haproxy nodejs)
	@test -d deploy/oidc/node_modules/oidc-provider || npm ci --prefix deploy/oidc --no-audit --no-fund --silent

run: setup
	STREAMLIT_BROWSER_GATHER_USAGE_STATS=false $(PY) scripts/serve.py --server.port $(PORT)

test: setup browser services
	$(PY) -m ruff check .
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser"

lint: setup
	$(PY) -m ruff check .

data: setup
	$(PY) -m insight.build --raw $(RAW)

forecasts: setup
	$(PY) -m insight.forecast --all

# The shared deployment end to end on loopback: PostgreSQL/PostGIS, the dataset loaded, the test OIDC provider,
# two replicas behind HAProxy, the page tests through the load balancer and a 100-session load run; everything
# it starts is stopped on the way out (deploy/stack.py). Works as root on a fresh Debian machine.
deploy-test: setup browser services
	STREAMLIT_BROWSER_GATHER_USAGE_STATS=false $(PY) -m deploy.stack

bench: setup browser
	$(PY) scripts/bench_app.py
	$(PY) scripts/bench_forecast.py
	$(PY) scripts/bench_priority.py
	$(PY) scripts/bench_profile.py
	$(PY) scripts/bench_scenarios.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
