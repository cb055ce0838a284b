"""The page tests run on the backend asked for (pytest --backend=postgres, or INSIGHT_TEST_BACKEND)."""

from __future__ import annotations

import os

import psycopg

from components import data


def test_the_app_reads_from_the_backend_the_tests_asked_for(app_backend):
    store = data._store()
    assert store.name == app_backend
    if app_backend == "postgres":
        with psycopg.connect(os.environ["INSIGHT_DATABASE_URL"]) as conn:
            active = conn.execute("SELECT dataset_id FROM insight_meta.active").fetchone()[0]
        assert data.data_stamp().version == active
    else:
        assert data.data_stamp().version.startswith(str(store.data_dir))
