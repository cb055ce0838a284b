"""Shared AppTest helpers: open a page (or app.py) with a shared link's query parameters; read a chart's spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
    arrow = proto.data.data or proto.datasets[0].data.data  # inline values, or a named data set
    frame = pa.ipc.open_stream(arrow).read_all().to_pandas()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def chart_title(at: AppTest, index: int = 0) -> str:
    """The title the page's `index`-th chart shows: its text, or, where the title is read from the chart's
    data (the scenario chart's headline), that row's text."""
    text = chart_spec(at, index)["title"]["text"]
    if isinstance(text, dict):
        return str(chart_rows(at, index)[0]["headline"])
    return " ".join(text) if isinstance(text, list) else str(text)


def html_table_frame(at: AppTest | Any, index: int = 0, group: str = "Scenario"):
    """The page's (or a block's, e.g. an expander's) `index`-th static HTML table (views.html_table, drawn with st.html) as a frame of its cell
    texts, one column per header; the heading of each group of rows becomes a column named `group`."""
    from html.parser import HTMLParser

    import pandas as pd

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("th", "td"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("th", "td") and self.cell is not None:
                self.rows[-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    bodies = [e.proto.body for e in at.get("html") if "<table" in e.proto.body]
    parser = Cells()
    parser.feed(bodies[index])
    header, *rows = parser.rows
    records, heading = [], None
    for row in rows:
        if len(row) == 1 and len(header) > 1:  # a group's heading row (one cell across the table)
            heading = row[0]
        else:
            records.append(dict(zip(header, row, strict=True)) | ({group: heading} if heading is not None else {}))
    columns = [*header[:1], *([group] if heading is not None else []), *header[1:]]
    return pd.DataFrame(records, columns=columns)
