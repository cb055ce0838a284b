"""views.vega_data: a chart's data sets handed to Streamlit as Arrow tables carry the same rows as the records."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pyarrow as pa
from streamlit import dataframe_util

from views.vega_data import arrow_datasets


def _rows(arrow_bytes: bytes) -> list[dict]:
    """Rows of Arrow IPC bytes as Streamlit sends them, with NaN read as missing (pandas writes a missing
    number as NaN, Arrow as null: Vega-Lite treats both as invalid)."""
    table = pa.ipc.open_stream(arrow_bytes).read_all()
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()
             if not k.startswith("__index_level")} for row in table.to_pylist()]


def test_the_data_sets_of_an_altair_chart_reach_the_browser_with_the_same_rows():
    frame = pd.DataFrame({"period": ["2023", "2024", "2025"], "value": [1.5, None, 2.25], "area": ["A", "B", "A"],
                          "n": [3, 4, 5]})
    spec = alt.layer(alt.Chart(frame).mark_line().encode(x="period:O", y="value:Q"),
                     alt.Chart(frame.head(1)).mark_rule().encode(y="n:Q")).to_dict(validate=False)
    drawn = arrow_datasets(spec)
    assert set(drawn["datasets"]) == set(spec["datasets"])
    for name, records in spec["datasets"].items():
        assert isinstance(drawn["datasets"][name], pa.Table)
        before = _rows(dataframe_util.convert_anything_to_arrow_bytes(records))
        after = _rows(dataframe_util.convert_anything_to_arrow_bytes(drawn["datasets"][name]))
        assert after == before
    assert spec["datasets"][next(iter(spec["datasets"]))][0]["period"] == "2023"  # the records are not changed


def test_inline_values_become_a_table_and_layer_data_and_other_keys_stay():
    layer_data = {"values": [{"y": 1}]}
    spec = {"data": {"values": [{"x": 1}, {"x": 2, "y": 2}]}, "layer": [{"data": layer_data, "mark": "rule"}],
            "mark": "point"}
    drawn = arrow_datasets(spec)
    assert isinstance(drawn["data"]["values"], pa.Table)
    assert drawn["data"]["values"].to_pylist() == [{"x": 1, "y": None}, {"x": 2, "y": 2}]  # a field the first row lacks is kept
    assert drawn["layer"][0]["data"] is layer_data and drawn["mark"] == "point"
    assert isinstance(spec["data"]["values"], list)


def test_records_arrow_cannot_type_and_data_that_is_not_records_are_left_for_streamlit():
    mixed = [{"v": 1}, {"v": "one"}]
    frame = pd.DataFrame({"v": [1]})
    spec = {"datasets": {"mixed": mixed, "empty": [], "frame": frame}, "data": {"name": "mixed"}}
    drawn = arrow_datasets(spec)
    assert drawn["datasets"]["mixed"] is mixed and drawn["datasets"]["empty"] == [] \
        and drawn["datasets"]["frame"] is frame
    assert drawn["data"] == {"name": "mixed"}
