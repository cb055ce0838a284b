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
    parser.addoption("--council", default=os.environ.get("INSIGHT_TEST_COUNCIL", DEFAULT_COUNCIL),
                     help="council whose dataset the page tests run on: a name in insight/councils/ "
                          "(default: $INSIGHT_TEST_COUNCIL or essex)")


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
