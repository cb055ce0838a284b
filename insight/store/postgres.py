"""The PostgreSQL/PostGIS backend: reads the dataset version that insight_meta.active names.

Every read names its version's schema explicitly, so a load that swaps in a new dataset mid-way never mixes
two versions; the version string is the dataset id. Connections are short-lived (the app caches what it
reads per version, so it reads rarely); errors never carry the connection string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from insight import schema as s
from insight.loaders import Dataset
from insight.store import pgschema as ps
from insight.store.base import StoreError
from insight.validate import validate_areas, validate_indicators, validate_observations

CONNECT_TIMEOUT_S = 5


class PostgresStore:
    """Reads one database's served dataset."""

    name = "postgres"

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        import psycopg

        try:
            with psycopg.connect(self._dsn, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True) as conn, \
                    conn.cursor() as cur:
                yield cur
        except psycopg.errors.UndefinedTable as exc:
            raise StoreError("The database holds no Insight dataset (or an older one was dropped): load one "
                             "with `python -m insight.store.load_postgres`.") from exc
        except psycopg.Error as exc:
            raise StoreError(f"The data database cannot be read ({type(exc).__name__}); try again shortly."
                             ) from exc

    def version(self) -> str:
        """The id of the dataset the database serves now."""
        with self._cursor() as cur:
            cur.execute(f"SELECT dataset_id FROM {ps.META_SCHEMA}.active")
            row = cur.fetchone()
        if row is None:
            raise StoreError("The database holds no Insight dataset yet: load one with "
                             "`python -m insight.store.load_postgres --dsn ... --data data/`.")
        return str(row[0])

    def dataset(self, version: str) -> Dataset:
        """Areas, indicators and observations of a version, checked as the embedded loader checks them."""
        areas = self.frame(version, ps.AREAS.name)
        indicators = self.frame(version, ps.INDICATORS.name)
        observations = self.frame(version, ps.OBSERVATIONS.name)
        validate_areas(areas, "database: areas")
        validate_indicators(indicators, "database: indicators")
        validate_observations(observations, "database: observations", set(areas[s.AREA_CODE]),
                              set(indicators[s.INDICATOR_ID]))
        return Dataset(areas, indicators, observations)

    def illustrative_observations(self, version: str) -> pd.DataFrame:
        """The illustrative monthly series of a version."""
        return self.frame(version, ps.ILLUSTRATIVE.name)

    def precomputed(self, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The (projections, backtests) of a version."""
        return self.frame(version, ps.PROJECTIONS.name), self.frame(version, ps.BACKTESTS.name)

    def boundaries(self, version: str, level: s.Level | str) -> dict[str, Any]:
        """A level's layer rebuilt as GeoJSON from PostGIS, features in their loaded order."""
        level = s.Level(level)
        if level not in ps.BOUNDARY_LEVELS:
            raise ValueError(f"No boundary layer for level '{level}'; available: "
                             f"{', '.join(str(k) for k in ps.BOUNDARY_LEVELS)}")
        schema = ps.schema_for(version)
        with self._cursor() as cur:
            cur.execute(f'SELECT members FROM "{schema}".boundary_layers WHERE level = %s', (str(level),))
            row = cur.fetchone()
            if row is None:
                raise StoreError(f"The database's dataset has no {level} boundary layer.")
            cur.execute(f'SELECT properties, ST_AsGeoJSON(geom, 15) FROM "{schema}".boundaries '
                        "WHERE level = %s ORDER BY ordinal", (str(level),))
            features = [{**_json(props), "geometry": json.loads(geom)} for props, geom in cur.fetchall()]
        return {**_json(row[0]), "features": features}

    def frame(self, version: str, table: str) -> pd.DataFrame:
        """One table of a version as the frame it was loaded from (same columns, dtypes and row order)."""
        spec = next((t for t in ps.FRAME_TABLES if t.name == table), None)
        if spec is None:
            raise ValueError(f"unknown table {table!r}")
        schema = ps.schema_for(version)
        with self._cursor() as cur:
            cur.execute(f'SELECT column_name, dtype FROM "{schema}".frame_columns WHERE table_name = %s '
                        "ORDER BY position", (table,))
            columns = cur.fetchall()
            names = ", ".join(ps.quote_ident(c) for c, _ in columns) or "NULL"
            cur.execute(f'SELECT {names} FROM "{schema}".{table} ORDER BY {ps.ROW_NUMBER}')
            rows = cur.fetchall()
        data = {name: [r[i] for r in rows] for i, (name, _) in enumerate(columns)}
        return pd.DataFrame({name: _typed(data[name], dtype, name in spec.blank_as_null)
                             for name, dtype in columns}, columns=[c for c, _ in columns])


def _typed(values: list[Any], dtype: str, blank_as_null: bool) -> pd.Series:
    if blank_as_null:
        values = ["" if v is None else v for v in values]
    if dtype == "str":
        return pd.Series(values, dtype="str")
    if dtype.startswith("datetime64"):
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype=dtype)
    if dtype == "object":
        return pd.Series(values, dtype=object)
    if dtype == "float64":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    return pd.Series(values, dtype=dtype)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
