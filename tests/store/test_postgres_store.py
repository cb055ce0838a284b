"""The PostgreSQL/PostGIS backend against a real PostgreSQL 15 + PostGIS 3 (started by the tests)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from insight import schema as s
from insight.errors import DataValidationError
from insight.store.base import StoreError
from insight.store.embedded import EmbeddedStore
from insight.store.load_postgres import load_into_postgres, main, read_built_dataset
from insight.store.postgres import PostgresStore

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
_names = itertools.count()


@pytest.fixture
def database(postgres_server) -> str:
    """A fresh, empty database for one test."""
    return postgres_server.create_database(f"store_test_{next(_names)}")


@pytest.fixture(scope="module")
def built():
    return read_built_dataset(DATA)


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _schemas(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'insight_d%' ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def test_every_table_and_layer_round_trips_equal_to_the_embedded_backend(database, built):
    load_into_postgres(database, built)
    pg, files = PostgresStore(database), EmbeddedStore(DATA)
    version = pg.version()
    from_db, from_files = pg.dataset(version), files.dataset(files.version())
    for table in ("areas", "indicators", "observations"):
        pd.testing.assert_frame_equal(getattr(from_db, table), getattr(from_files, table))
    pd.testing.assert_frame_equal(pg.illustrative_observations(version), files.illustrative_observations(""))
    for db_frame, file_frame in zip(pg.precomputed(version), files.precomputed(""), strict=True):
        pd.testing.assert_frame_equal(db_frame, file_frame)
    for level in ("division", "district", "lsoa"):
        assert pg.boundaries(version, level) == files.boundaries("", level)


def test_areas_geometries_are_postgis_polygons_in_wgs84(database, built):
    load_into_postgres(database, built)
    schema = f"insight_{PostgresStore(database).version()}"
    with psycopg.connect(database) as conn:
        rows = conn.execute(f'SELECT level, count(*), min(ST_SRID(geom)), bool_and(ST_Area(geom) > 0) '
                            f'FROM "{schema}".boundaries GROUP BY level ORDER BY level').fetchall()
    assert rows == [("district", 12, 4326, True), ("division", 70, 4326, True), ("lsoa", 903, 4326, True)]


def test_a_dataset_failing_validation_is_refused_and_the_previous_one_keeps_serving(database, built, tmp_path,
                                                                                   capsys):
    load_into_postgres(database, built)
    store = PostgresStore(database)
    before = store.version()
    bad = _copy_data(tmp_path)
    observations = pd.read_parquet(bad / "observations.parquet")
    observations.loc[0, s.AREA_CODE] = "E99999999"  # an area that is not in the dataset
    observations.to_parquet(bad / "observations.parquet", index=False)

    assert main(["--dsn", database, "--data", str(bad)]) == 2

    err = capsys.readouterr().err
    assert "Refused" in err and "unknown area code" in err and "E99999999" in err
    assert store.version() == before
    assert _schemas(database) == [f"insight_{before}"]
    pd.testing.assert_frame_equal(store.dataset(before).observations, built.frames["observations"])


def test_a_dataset_breaking_a_database_constraint_rolls_back_as_one_transaction(database, built, tmp_path):
    load_into_postgres(database, built)
    store = PostgresStore(database)
    before = store.version()
    bad = _copy_data(tmp_path)
    observations = pd.read_parquet(bad / "observations.parquet")
    last = len(observations) - 1  # the last row: every table before it has been written when it fails
    observations.loc[last, s.PERIOD_END] = observations.loc[last, s.PERIOD_START] - pd.Timedelta(days=1)
    observations.to_parquet(bad / "observations.parquet", index=False)

    with pytest.raises(DataValidationError, match="observations_period_order"):
        load_into_postgres(database, read_built_dataset(bad))

    assert store.version() == before
    assert _schemas(database) == [f"insight_{before}"]
    with psycopg.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM insight_meta.datasets").fetchone() == (1,)


@pytest.mark.parametrize(("column", "value", "constraint"), [
    (s.LEVEL, "parish", "areas_known_level"),
    (s.AREA_CODE, "essex-1", "areas_code_format"),
    (s.POPULATION, -5.0, "areas_population_not_negative"),
])
def test_area_codes_levels_and_counts_are_checked_by_the_database(database, built, column, value, constraint):
    areas = built.frames["areas"].copy()
    lsoa = areas.index[areas[s.LEVEL] == "lsoa"][-1]
    areas.loc[lsoa, column] = value
    broken = type(built)({**built.frames, "areas": areas}, {}, built.content_sha256, built.source)
    with pytest.raises(DataValidationError, match=constraint):
        load_into_postgres(database, broken)
    with psycopg.connect(database) as conn:
        assert conn.execute("SELECT to_regclass('insight_meta.active')").fetchone() == (None,)


def test_a_new_load_is_served_at_once_and_only_the_newest_versions_are_kept(database, built):
    first = load_into_postgres(database, built, keep=2)
    second = load_into_postgres(database, built, keep=2)
    store = PostgresStore(database)
    assert store.version() == second.dataset_id and second.previous == first.dataset_id
    assert len(store.dataset(first.dataset_id).areas) == len(built.frames["areas"])  # still readable after swap
    third = load_into_postgres(database, built, keep=2)
    assert third.dropped == (first.dataset_id,)
    assert _schemas(database) == sorted([f"insight_{second.dataset_id}", f"insight_{third.dataset_id}"])
    with pytest.raises(StoreError, match="no Insight dataset"):
        store.dataset(first.dataset_id)


def test_the_command_line_loads_a_dataset_and_says_what_it_serves(database, capsys):
    assert main(["--dsn", database, "--data", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert f"Loaded dataset {PostgresStore(database).version()}" in out
    assert "26181 observations" in out and "now served (previously: none)" in out


def test_an_empty_database_says_how_to_load_one(database):
    with pytest.raises(StoreError, match="load_postgres"):
        PostgresStore(database).version()


def test_errors_never_show_the_connection_string(postgres_server):
    secret_url = f"postgresql://insight:s3cret-password@127.0.0.1:{postgres_server.port}/no_such_database"
    with pytest.raises(StoreError) as raised:
        PostgresStore(secret_url).version()
    assert "s3cret" not in str(raised.value) and "no_such_database" not in str(raised.value)


def test_a_read_only_role_granted_by_the_loader_can_serve_the_app_but_not_change_data(database, built,
                                                                                     postgres_server):
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'insight_reader') "
                     "THEN CREATE ROLE insight_reader LOGIN; END IF; END $$")
    result = load_into_postgres(database, built, reader_role="insight_reader")
    reader_url = database.replace("postgresql://insight@", "postgresql://insight_reader@")
    reader = PostgresStore(reader_url)
    assert reader.version() == result.dataset_id
    assert len(reader.dataset(result.dataset_id).observations) == len(built.frames["observations"])
    with psycopg.connect(reader_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f'DELETE FROM "{result.schema_name}".observations')
