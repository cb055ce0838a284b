"""One data interface, two backends: the embedded files (default) and PostgreSQL/PostGIS.

``open_store(store_settings(os.environ, secrets))`` gives a DataStore; see base.DataStore for what it serves,
config for how the backend is chosen and load_postgres for how a dataset gets into the database.
"""

from insight.store.base import DataStore, StoreError
from insight.store.config import StoreSettings, open_store, store_settings

__all__ = ["DataStore", "StoreError", "StoreSettings", "open_store", "store_settings"]
