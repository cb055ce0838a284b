"""Which data backend the app uses: environment first, then secrets, else the embedded files."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.loaders import DEFAULT_DATA_DIR
from insight.store import StoreError, open_store, store_settings
from insight.store.embedded import EmbeddedStore
from insight.store.postgres import PostgresStore

URL = "postgresql://reader:pw@db.example:5432/insight"


def test_with_no_configuration_the_committed_files_are_served():
    settings = store_settings({}, {})
    assert (settings.backend, settings.data_dir, settings.database_url) == ("embedded", DEFAULT_DATA_DIR, None)
    assert isinstance(open_store(settings), EmbeddedStore)


def test_secrets_choose_postgres():
    settings = store_settings({}, {"insight": {"backend": "postgres", "database_url": URL}})
    assert (settings.backend, settings.database_url) == ("postgres", URL)
    assert isinstance(open_store(settings), PostgresStore)


def test_environment_wins_over_secrets():
    secrets = {"insight": {"backend": "postgres", "database_url": URL}}
    settings = store_settings({"INSIGHT_BACKEND": "embedded", "INSIGHT_DATA_DIR": "/srv/data"}, secrets)
    assert (settings.backend, settings.data_dir) == ("embedded", Path("/srv/data"))
    other = "postgresql://app@127.0.0.1/other"
    assert store_settings({"INSIGHT_DATABASE_URL": other}, secrets).database_url == other


@pytest.mark.parametrize(("env", "message"), [
    ({"INSIGHT_BACKEND": "mysql"}, "Unknown data backend 'mysql'"),
    ({"INSIGHT_BACKEND": "postgres"}, "needs a database"),
])
def test_a_wrong_configuration_says_what_to_set(env, message):
    with pytest.raises(StoreError, match=message):
        store_settings(env, {})


def test_settings_never_print_the_database_url():
    assert "pw" not in repr(store_settings({"INSIGHT_BACKEND": "postgres", "INSIGHT_DATABASE_URL": URL}))
