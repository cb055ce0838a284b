"""Which backend serves the data: chosen from the environment, then Streamlit secrets, else embedded.

Environment (wins): ``INSIGHT_BACKEND`` (``embedded`` or ``postgres``), ``INSIGHT_DATABASE_URL``,
``INSIGHT_DATA_DIR``. Secrets (``.streamlit/secrets.toml``, see secrets.toml.example)::

    [insight]
    backend = "postgres"
    database_url = "postgresql://insight_reader:...@db.example:5432/insight"

With neither, the app serves the committed files in data/ and needs no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from insight.loaders import DEFAULT_DATA_DIR
from insight.store.base import DataStore, StoreError

BACKENDS = ("embedded", "postgres")


@dataclass(frozen=True)
class StoreSettings:
    """The chosen backend and where its data is (the URL is never printed)."""

    backend: str = "embedded"
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None

    def __repr__(self) -> str:
        return f"StoreSettings(backend={self.backend!r}, data_dir={str(self.data_dir)!r})"


def store_settings(env: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> StoreSettings:
    """Settings from environment variables, then the [insight] secrets section; StoreError if inconsistent."""
    section = dict((secrets or {}).get("insight", {}) or {})
    backend = (env.get("INSIGHT_BACKEND") or str(section.get("backend", "")) or "embedded").strip().lower()
    if backend not in BACKENDS:
        raise StoreError(f"Unknown data backend '{backend}': set INSIGHT_BACKEND to one of {', '.join(BACKENDS)}.")
    url = env.get("INSIGHT_DATABASE_URL") or section.get("database_url") or None
    data_dir = Path(env.get("INSIGHT_DATA_DIR") or section.get("data_dir") or DEFAULT_DATA_DIR)
    if backend == "postgres" and not url:
        raise StoreError("The postgres backend needs a database: set INSIGHT_DATABASE_URL or "
                         "[insight] database_url in .streamlit/secrets.toml.")
    return StoreSettings(backend, data_dir, str(url) if url else None)


def open_store(settings: StoreSettings) -> DataStore:
    """The backend the settings name."""
    if settings.backend == "postgres":
        from insight.store.postgres import PostgresStore

        if not settings.database_url:
            raise StoreError("The postgres backend needs a database URL (INSIGHT_DATABASE_URL).")
        return PostgresStore(settings.database_url)
    from insight.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir)
