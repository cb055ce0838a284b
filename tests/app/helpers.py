"""Shared AppTest helpers: open a page (or app.py) with a shared link's query parameters; read a chart's spec."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def run_page(script: str | Path, timeout: float = TIMEOUT, **params: str) -> AppTest:
    """Run `script` (a path under the project, e.g. 'pages/trends.py') once with these query parameters."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def chart_spec(at: AppTest, index: int = 0) -> dict:
    """The Vega-Lite spec of the page's `index`-th chart."""
    return json.loads(at.get("vega_lite_chart")[index].proto.spec)
