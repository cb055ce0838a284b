"""Shared test set-up: the repository root on sys.path and the processed dataset."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

logging.getLogger("cmdstanpy").disabled = True
logging.getLogger("prophet").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def dataset():
    """The committed default dataset, loaded once."""
    from insight.loaders import load_dataset

    return load_dataset(ROOT / "data")
