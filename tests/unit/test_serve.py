"""scripts/serve.py (what `make run` starts) warms imports and the landing page's caches without failing."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_warm_up_imports_and_fills_the_landing_page_caches(monkeypatch):
    serve = load_serve()
    monkeypatch.setattr(serve, "_wait_until_serving", lambda timeout=30.0: None)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    serve._warm_imports()  # raises if a warmed module no longer exists or a cached loader fails

    from components import data

    tiles = data.headlines(data.HEADLINE_INDICATORS, "E10000012", "E92000001")
    assert [t.indicator_id for t in tiles] == list(data.HEADLINE_INDICATORS)
