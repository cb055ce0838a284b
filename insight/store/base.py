"""The data interface every backend implements: the tables and layers the app reads, for one dataset version.

A backend serves one *current* dataset at a time and names it with a version string that changes whenever a
different dataset is served (a rebuilt data folder, a newly loaded database dataset). Every read takes the
version, so a caller that read the areas of one version never gets the observations of another.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import pandas as pd

from insight import schema as s
from insight.errors import InsightError
from insight.loaders import Dataset


class StoreError(InsightError):
    """The configured data backend cannot serve data (misconfigured, unreachable, or holds no dataset)."""


@runtime_checkable
class DataStore(Protocol):
    """Read-only access to one processed dataset, whichever backend holds it."""

    name: str  # "embedded" or "postgres"

    def version(self) -> str:
        """An id of the dataset served now; it changes when a different dataset is served."""
        ...

    def dataset(self, version: str) -> Dataset:
        """Areas, indicators and observations (not the illustrative ones), cross-validated."""
        ...

    def illustrative_observations(self, version: str) -> pd.DataFrame:
        """The synthetic monthly demand series (labelled illustrative wherever shown)."""
        ...

    def boundaries(self, version: str, level: s.Level | str) -> dict[str, Any]:
        """The simplified boundary layer of a level as a GeoJSON FeatureCollection dict."""
        ...

    def precomputed(self, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The precomputed (projections, backtests) frames; empty frames when none were made."""
        ...
