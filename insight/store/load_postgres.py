"""Load a built dataset into PostgreSQL/PostGIS, or refuse it and keep serving the previous one.

``python -m insight.store.load_postgres --dsn postgresql://user@host/db --data data/``

The dataset folder is validated first with the project's own checks (insight.validate through the loaders,
plus boundary layers and precomputed projections checked against the areas and catalogue). A dataset that
fails is refused before the database is touched. One that passes is written, in ONE transaction, into a new
schema (``insight_<dataset id>``) whose constraints check keys, foreign keys, codes and periods; only when
every row is in and every constraint holds does the same transaction make it the served dataset. If anything
fails the transaction rolls back and the previous dataset is still the one served. The newest ``--keep``
versions are kept (so a replica still reading the previous one finishes cleanly); older ones are dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from insight import schema as s
from insight.errors import DataValidationError, InsightError, Problem
from insight.loaders import DEFAULT_DATA_DIR, ILLUSTRATIVE_FILE, load_dataset, load_observations
from insight.store import pgschema as ps
from insight.store.base import StoreError
from insight.store.embedded import EmbeddedStore

DEFAULT_KEEP = 2


@dataclass(frozen=True)
class BuiltDataset:
    """Every table and layer of a dataset folder, validated, with a digest of the files it came from."""

    frames: dict[str, pd.DataFrame]  # table name (pgschema.TableSpec.name) -> frame
    boundaries: dict[str, dict[str, Any]]  # level -> GeoJSON FeatureCollection
    content_sha256: str
    source: str

    def row_counts(self) -> dict[str, int]:
        """Rows per table and features per boundary layer."""
        counts = {name: len(frame) for name, frame in self.frames.items()}
        counts.update({f"boundaries_{level}": len(layer["features"]) for level, layer in self.boundaries.items()})
        return counts


@dataclass(frozen=True)
class LoadResult:
    """What a successful load did."""

    dataset_id: str
    schema_name: str
    previous: str | None
    dropped: tuple[str, ...]
    row_counts: dict[str, int]


def read_built_dataset(data_dir: Path) -> BuiltDataset:
    """Read and validate a dataset folder; DataValidationError lists every problem found."""
    data_dir = Path(data_dir)
    dataset = load_dataset(data_dir)  # validates areas, catalogue and observations against each other
    known_areas, known_ids = set(dataset.areas[s.AREA_CODE]), set(dataset.indicators[s.INDICATOR_ID])
    illustrative = load_observations(data_dir, areas=dataset.areas, indicators=dataset.indicators,
                                     file=ILLUSTRATIVE_FILE)
    store = EmbeddedStore(data_dir)
    projections, backtests = store.precomputed("")
    problems: list[Problem] = []
    levels = dict(zip(dataset.areas[s.AREA_CODE], dataset.areas[s.LEVEL], strict=True))
    boundaries: dict[str, dict[str, Any]] = {}
    for level in ps.BOUNDARY_LEVELS:
        try:
            layer = store.boundaries("", level)
        except (OSError, json.JSONDecodeError) as exc:
            problems.append(Problem(f"boundary layer cannot be read ({exc})", f"boundaries/{level}"))
            continue
        problems += _check_layer(layer, str(level), levels)
        boundaries[str(level)] = layer
    for name, frame in (("projections.parquet", projections), ("backtests.parquet", backtests)):
        for column, known in ((s.AREA_CODE, known_areas), (s.INDICATOR_ID, known_ids)):
            unknown = sorted(set(frame[column].astype(str)) - known) if column in frame else []
            problems += [Problem(f"{column} is not in the dataset", name, None, column, v) for v in unknown[:20]]
    if problems:
        raise DataValidationError(problems)
    frames = {ps.AREAS.name: dataset.areas, ps.INDICATORS.name: dataset.indicators,
              ps.OBSERVATIONS.name: dataset.observations, ps.ILLUSTRATIVE.name: illustrative,
              ps.PROJECTIONS.name: projections, ps.BACKTESTS.name: backtests}
    return BuiltDataset(frames, boundaries, _digest(data_dir), str(data_dir.resolve()))


def _check_layer(layer: dict[str, Any], level: str, levels: dict[str, str]) -> list[Problem]:
    file = f"boundaries/{level}"
    if layer.get("type") != "FeatureCollection" or not isinstance(layer.get("features"), list):
        return [Problem("not a GeoJSON FeatureCollection", file)]
    problems = []
    for i, feature in enumerate(layer["features"]):
        code = (feature.get("properties") or {}).get(s.AREA_CODE)
        if levels.get(str(code)) != level:
            problems.append(Problem(f"feature {i}: area code is not a {level} of the dataset", file, None,
                                    s.AREA_CODE, code))
        if (feature.get("geometry") or {}).get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(f"feature {i}: geometry is not a polygon", file, None, "geometry"))
    return problems[:50]


def _digest(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def new_dataset_id(content_sha256: str, now: datetime | None = None) -> str:
    """d<UTC date>t<UTC time>_<8 hex digits>: sortable by load time, unique per load."""
    now = now or datetime.now(UTC)
    salt = hashlib.sha256(f"{content_sha256}{time.time_ns()}{os.getpid()}".encode()).hexdigest()[:8]
    return f"d{now:%Y%m%dt%H%M%S}_{salt}"


def load_into_postgres(dsn: str, built: BuiltDataset, *, keep: int = DEFAULT_KEEP,
                       reader_role: str | None = None) -> LoadResult:
    """Write a validated dataset into a new schema and serve it, all in one transaction."""
    import psycopg
    from psycopg import sql

    if keep < 1:
        raise ValueError("keep must be at least 1 (the dataset being loaded)")
    dataset_id = new_dataset_id(built.content_sha256)
    schema = ps.schema_for(dataset_id)
    try:
        with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
            _ensure_postgis(cur)
            cur.execute(ps.META_DDL)
            cur.execute(f"LOCK TABLE {ps.META_SCHEMA}.active IN EXCLUSIVE MODE")  # one loader at a time
            cur.execute(f"SELECT dataset_id FROM {ps.META_SCHEMA}.active")
            row = cur.fetchone()
            previous = row[0] if row else None
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
            cur.execute(ps.FRAME_COLUMNS_DDL)
            for spec in ps.FRAME_TABLES:
                _write_frame(cur, spec, built.frames[spec.name])
            for spec in ps.FRAME_TABLES:  # after the rows are in: faster, and a violation names its constraint
                for statement in ps.constraint_sql(spec, built.frames[spec.name]):
                    cur.execute(statement)
            cur.execute(ps.BOUNDARIES_DDL)
            _write_boundaries(cur, built.boundaries)
            cur.execute(f"INSERT INTO {ps.META_SCHEMA}.datasets (dataset_id, schema_name, source, content_sha256, "
                        "row_counts) VALUES (%s, %s, %s, %s, %s)",
                        (dataset_id, schema, built.source, built.content_sha256, json.dumps(built.row_counts())))
            cur.execute(f"INSERT INTO {ps.META_SCHEMA}.active (singleton, dataset_id) VALUES (true, %s) "
                        "ON CONFLICT (singleton) DO UPDATE SET dataset_id = EXCLUDED.dataset_id, "
                        "activated_at = now()", (dataset_id,))
            dropped = _drop_old(cur, keep)
            if reader_role:
                _grant(cur, schema, reader_role)
            conn.commit()
    except psycopg.errors.IntegrityError as exc:
        raise DataValidationError([Problem(_db_message(exc), built.source)]) from exc
    except psycopg.Error as exc:
        raise StoreError(f"The database refused the load: {_db_message(exc)}") from exc
    return LoadResult(dataset_id, schema, previous, dropped, built.row_counts())


def _ensure_postgis(cur: Any) -> None:
    cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
    if cur.fetchone() is None:
        cur.execute("CREATE EXTENSION postgis")  # needs a role allowed to create it; the message says so


def _write_frame(cur: Any, spec: ps.TableSpec, frame: pd.DataFrame) -> None:
    cur.execute(ps.create_table_sql(spec, frame))
    columns = [ps.ROW_NUMBER, *frame.columns]
    cur.execute("INSERT INTO frame_columns (table_name, position, column_name, dtype) "
                "SELECT %s, ordinality - 1, c, d FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(c, d)",
                (spec.name, list(frame.columns), [ps.dtype_name(frame[c]) for c in frame.columns]))
    values = [_python_values(frame[c], blank_as_null=c in spec.blank_as_null) for c in frame.columns]
    names = ", ".join(ps.quote_ident(c) for c in columns)
    with cur.copy(f"COPY {spec.name} ({names}) FROM STDIN") as copy:
        for number, row in enumerate(zip(*values, strict=True)):
            copy.write_row((number, *row))


def _python_values(column: pd.Series, *, blank_as_null: bool) -> list[Any]:
    """A column as Python values, missing values as None (never NaN), blanks as None where asked."""
    values = column.astype(object).where(column.notna(), None).tolist()
    if blank_as_null:
        values = [None if v == "" else v for v in values]
    return values


def _write_boundaries(cur: Any, boundaries: dict[str, dict[str, Any]]) -> None:
    rows = []
    for level, layer in boundaries.items():
        members = {k: v for k, v in layer.items() if k != "features"}
        cur.execute("INSERT INTO boundary_layers (level, members) VALUES (%s, %s)", (level, json.dumps(members)))
        for ordinal, feature in enumerate(layer["features"]):
            rest = {k: v for k, v in feature.items() if k != "geometry"}
            rows.append((level, ordinal, str(feature["properties"][s.AREA_CODE]), json.dumps(rest),
                         json.dumps(feature["geometry"])))
    cur.executemany("INSERT INTO boundaries (level, ordinal, area_code, properties, geom) VALUES "
                    "(%s, %s, %s, %s, ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326))", rows)


def _drop_old(cur: Any, keep: int) -> tuple[str, ...]:
    from psycopg import sql

    cur.execute(f"SELECT dataset_id, schema_name FROM {ps.META_SCHEMA}.datasets "
                f"WHERE dataset_id <> (SELECT dataset_id FROM {ps.META_SCHEMA}.active) "
                "ORDER BY loaded_at DESC, dataset_id DESC OFFSET %s", (keep - 1,))
    old = cur.fetchall()
    for dataset_id, schema in old:
        cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        cur.execute(f"DELETE FROM {ps.META_SCHEMA}.datasets WHERE dataset_id = %s", (dataset_id,))
    return tuple(d for d, _ in old)


def _grant(cur: Any, schema: str, role: str) -> None:
    from psycopg import sql

    for target in (ps.META_SCHEMA, schema):
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(target), sql.Identifier(role)))
        cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(sql.Identifier(target),
                                                                                    sql.Identifier(role)))


def _db_message(exc: Exception) -> str:
    """The database's own words (constraint, detail), never the connection string."""
    diag = getattr(exc, "diag", None)
    parts = [getattr(diag, "message_primary", None) or str(exc).splitlines()[0]]
    for label, attr in (("constraint", "constraint_name"), ("table", "table_name"), ("detail", "message_detail")):
        value = getattr(diag, attr, None)
        if value:
            parts.append(f"{label}: {value}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m insight.store.load_postgres",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get("INSIGHT_DATABASE_URL"),
                        help="libpq connection string or URL (default: $INSIGHT_DATABASE_URL)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="a built dataset folder (default data/)")
    parser.add_argument("--keep", type=int, default=DEFAULT_KEEP,
                        help="dataset versions to keep, the new one included (default 2)")
    parser.add_argument("--reader-role", help="a role to grant read access to the new dataset (the app's role)")
    args = parser.parse_args(argv)
    if not args.dsn:
        parser.error("give --dsn or set INSIGHT_DATABASE_URL")
    started = time.perf_counter()
    try:
        built = read_built_dataset(args.data)
        result = load_into_postgres(args.dsn, built, keep=args.keep, reader_role=args.reader_role)
    except InsightError as exc:
        print(f"Refused: {exc}\nThe database still serves the dataset it served before.", file=sys.stderr)
        return 2
    counts = ", ".join(f"{n} {k}" for k, n in result.row_counts.items())
    print(f"Loaded dataset {result.dataset_id} into schema {result.schema_name} ({counts}) in "
          f"{time.perf_counter() - started:.1f} s; it is now served (previously: {result.previous or 'none'}"
          f"{'; dropped ' + ', '.join(result.dropped) if result.dropped else ''}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
