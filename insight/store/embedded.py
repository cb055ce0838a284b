"""The embedded backend: the processed dataset's files in a data folder (the committed data/ by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from insight import schema as s
from insight.loaders import (
    DEFAULT_DATA_DIR,
    ILLUSTRATIVE_FILE,
    Dataset,
    load_boundaries,
    load_dataset,
    load_observations,
)


class EmbeddedStore:
    """Reads the files of a data folder in process; the version is the folder and its newest file time."""

    name = "embedded"

    def __init__(self, data_dir: Path | str = DEFAULT_DATA_DIR) -> None:
        self.data_dir = Path(data_dir)

    def version(self) -> str:
        """The folder and the newest modification time of its files: changes when the data is rebuilt."""
        files = [p for p in self.data_dir.glob("*") if p.is_file()]
        newest = max((p.stat().st_mtime_ns for p in files), default=0)
        return f"{self.data_dir}@{newest}"

    def dataset(self, version: str) -> Dataset:
        """The three tables, validated and cross-checked (insight.loaders.load_dataset)."""
        return load_dataset(self.data_dir)

    def illustrative_observations(self, version: str) -> pd.DataFrame:
        """The illustrative monthly series, validated."""
        return load_observations(self.data_dir, file=ILLUSTRATIVE_FILE)

    def boundaries(self, version: str, level: s.Level | str) -> dict[str, Any]:
        """A level's GeoJSON layer from data/boundaries/."""
        return load_boundaries(level, self.data_dir)

    def precomputed(self, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """data/projections.parquet and data/backtests.parquet (empty frames when absent)."""
        from insight.forecast.precompute import load_precomputed

        return load_precomputed(self.data_dir)
