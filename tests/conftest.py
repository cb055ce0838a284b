"""Shared test set-up: the repository root on sys.path, the council the page tests run on, and its dataset.

``pytest --council colchester`` (or INSIGHT_TEST_COUNCIL=colchester) runs the page tests on another council's
committed dataset (data/councils/<name>/, configured by insight/councils/<name>.toml): INSIGHT_COUNCIL and
INSIGHT_DATA_DIR are set before any test module imports the app. The default is Essex (data/).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

logging.getLogger("cmdstanpy").disabled = True
logging.getLogger("prophet").setLevel(logging.WARNING)

DEFAULT_COUNCIL = "essex"


def council_data_dir(name: str) -> Path:
    """Where a council's committed dataset lives: data/ for Essex, data/councils/<name>/ for any other."""
    return ROOT / "data" if name == DEFAULT_COUNCIL else ROOT / "data" / "councils" / name


def pytest_addoption(parser: pytest.Parser) -> None:
    """--council NAME runs the page tests on another council's dataset; --backend=postgres runs them (AppTest
    and browser) on a PostgreSQL/PostGIS copy of the dataset."""
    parser.addoption("--council", default=os.environ.get("INSIGHT_TEST_COUNCIL", DEFAULT_COUNCIL),
                     help="council whose dataset the page tests run on: a name in insight/councils/ "
                          "(default: $INSIGHT_TEST_COUNCIL or essex)")
    parser.addoption("--backend", choices=("embedded", "postgres"),
                     default=os.environ.get("INSIGHT_TEST_BACKEND", "embedded"),
                     help="data backend the app uses in page tests (default: $INSIGHT_TEST_BACKEND or embedded)")


def pytest_configure(config: pytest.Config) -> None:
    """Point the app at the chosen council before test modules import components.data (it reads the env)."""
    name = config.getoption("--council")
    toml = ROOT / "insight" / "councils" / f"{name}.toml"
    if not toml.is_file():
        raise pytest.UsageError(f"--council {name}: no {toml.relative_to(ROOT)}")
    if not (council_data_dir(name) / "areas.parquet").is_file():
        raise pytest.UsageError(f"--council {name}: no dataset in {council_data_dir(name).relative_to(ROOT)}; "
                                f"build it with make data COUNCIL={name}")
    if name != DEFAULT_COUNCIL:
        os.environ["INSIGHT_COUNCIL"] = str(toml)
        os.environ["INSIGHT_DATA_DIR"] = str(council_data_dir(name))


@pytest.fixture(scope="session")
def council_name(pytestconfig: pytest.Config) -> str:
    """The council the page tests run on ('essex' unless --council says otherwise)."""
    return str(pytestconfig.getoption("--council"))


@pytest.fixture(scope="session")
def dataset(council_name):
    """The committed dataset of the council under test, loaded once."""
    from insight.loaders import load_dataset

    return load_dataset(council_data_dir(council_name))


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL 15 + PostGIS cluster on a free loopback port, stopped after the session.

    Skipped where PostgreSQL/PostGIS are not installed, except in CI (CI=true), where that is a failure."""
    from deploy.local_pg import postgis_installed, start_local_postgres

    if not postgis_installed():
        message = "PostgreSQL + PostGIS are not installed (apt-get install postgresql postgresql-15-postgis-3)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = start_local_postgres()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", autouse=True)
def app_backend(request: pytest.FixtureRequest):
    """The backend page tests run on. For postgres: the committed data/ is loaded into a fresh database and
    INSIGHT_BACKEND/INSIGHT_DATABASE_URL point the app (in process, and servers the tests start) at it."""
    if request.config.getoption("--backend") != "postgres":
        yield "embedded"
        return
    from insight.store.load_postgres import load_into_postgres, read_built_dataset

    cluster = request.getfixturevalue("postgres_server")
    url = cluster.create_database("insight_pages")
    load_into_postgres(url, read_built_dataset(council_data_dir(str(request.config.getoption("--council")))))
    saved = {k: os.environ.get(k) for k in ("INSIGHT_BACKEND", "INSIGHT_DATABASE_URL")}
    os.environ.update(INSIGHT_BACKEND="postgres", INSIGHT_DATABASE_URL=url)
    _clear_streamlit_caches()
    yield "postgres"
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    _clear_streamlit_caches()


def _clear_streamlit_caches() -> None:
    """The app's caches live in this process across AppTests: drop them when the backend changes."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
