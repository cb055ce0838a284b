"""The headline tiles' sparkline as a plain Vega-Lite spec.

Built without Altair on purpose: it is drawn six times on the landing page, and importing, building and
validating Altair charts would add about half a second to the app's cold start.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from insight import schema as s
from views.palette import ACCENT


def build_sparkline(frame: pd.DataFrame, *, title: str, unit: str) -> dict[str, Any]:
    """A small line of an area's series with its latest point marked, no axes (Vega-Lite v6 spec)."""
    values = [{"date": start.strftime("%Y-%m-%d"), "label": str(label), "value": float(value)}
              for start, label, value in zip(frame[s.PERIOD_START], frame[s.PERIOD_LABEL], frame[s.VALUE],
                                             strict=True)]
    first, last = (values[0]["label"], values[-1]["label"]) if values else ("", "")
    encoding = {
        "x": {"field": "date", "type": "temporal", "axis": None},
        "y": {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}},
        "tooltip": [{"field": "label", "type": "nominal", "title": "Period"},
                    {"field": "value", "type": "quantitative", "title": unit, "format": ",.1f"}],
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": f"Sparkline of {title}, {first} to {last}",
        "data": {"values": values},
        "height": 60,
        "width": "container",
        "config": {"view": {"strokeWidth": 0}},
        "layer": [
            {"mark": {"type": "line", "color": ACCENT, "strokeWidth": 2.5}, "encoding": encoding},
            {"mark": {"type": "circle", "color": ACCENT, "size": 60}, "encoding": encoding,
             "transform": [{"window": [{"op": "rank", "as": "rank"}],
                            "sort": [{"field": "date", "order": "descending"}]},
                           {"filter": "datum.rank == 1"}]},
        ],
    }


def with_arrow_dataset(spec: dict[str, Any], name: str = "series") -> dict[str, Any]:
    """The same spec with its inline values as a named Arrow IPC dataset.

    Streamlit would otherwise convert inline values to Arrow on every rerun (~4 ms a chart); a cached spec
    that already carries the bytes is sent as it is.
    """
    out = dict(spec)
    table = pa.Table.from_pylist(list(spec["data"]["values"]))
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    out["datasets"] = {name: sink.getvalue().to_pybytes()}
    out["data"] = {"name": name}
    return out
