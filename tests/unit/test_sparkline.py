"""The sparkline spec is valid Vega-Lite and carries its description (alt text)."""

from __future__ import annotations

import json

import pandas as pd

from insight import schema as s
from views.sparkline import build_sparkline


def test_sparkline_spec_is_valid_vega_lite_with_every_point(dataset):
    import altair as alt

    frame = pd.DataFrame({s.PERIOD_START: pd.to_datetime(["2021-01-01", "2022-01-01", "2023-01-01"]),
                          s.PERIOD_LABEL: ["2021", "2022", "2023"], s.VALUE: [1.0, 2.5, 2.0]})
    spec = build_sparkline(frame, title="Claimant count", unit="%")
    alt.Chart.from_dict(spec)  # raises if the spec is not valid Vega-Lite
    assert spec["description"] == "Sparkline of Claimant count, 2021 to 2023"
    assert [row["value"] for row in spec["data"]["values"]] == [1.0, 2.5, 2.0]
    json.dumps(spec)


def test_arrow_dataset_carries_the_same_rows():
    import pyarrow as pa

    from views.sparkline import with_arrow_dataset

    frame = pd.DataFrame({s.PERIOD_START: pd.to_datetime(["2021-01-01", "2022-01-01"]),
                          s.PERIOD_LABEL: ["2021", "2022"], s.VALUE: [1.0, 2.5]})
    spec = with_arrow_dataset(build_sparkline(frame, title="x", unit="%"))
    assert spec["data"] == {"name": "series"}
    table = pa.ipc.open_stream(spec["datasets"]["series"]).read_all()
    assert table.column("value").to_pylist() == [1.0, 2.5]
    assert table.column("date").to_pylist() == ["2021-01-01", "2022-01-01"]
