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


def chart_rows(at: AppTest, index: int = 0) -> list[dict]:
    """The rows Streamlit sent with the page's `index`-th chart (it moves a spec's inline data to Arrow)."""
    import pyarrow as pa

    proto = at.get("vega_lite_chart")[index].proto
    frame = pa.ipc.open_stream(proto.data.data).read_all().to_pandas()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
