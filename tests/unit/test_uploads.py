"""Uploaded observations: summary per indicator and the series to chart."""

from __future__ import annotations

from insight.uploads import summarise_upload, upload_series
from insight.validate import read_observations_csv

CSV = (b"area_code,indicator_id,period,value\nE07000066,a,2023,2\nE07000066,a,2022,1\n"
       b"E07000073,a,2023,\nE07000073,b,2023/24,7\n")
NAMES = {"E07000066": "Basildon", "E07000073": "Harlow"}


def test_summary_counts_areas_and_periods_per_indicator():
    frame = read_observations_csv(CSV, "mine.csv", set(NAMES))
    summary = summarise_upload(frame, NAMES)
    assert summary.to_dict("records") == [
        {"indicator_id": "a", "areas": 2, "periods": 2, "first_period": "2022", "last_period": "2023",
         "area_names": "Basildon, Harlow"},
        {"indicator_id": "b", "areas": 1, "periods": 1, "first_period": "2023/24", "last_period": "2023/24",
         "area_names": "Harlow"},
    ]


def test_series_drops_empty_values_and_names_areas_in_time_order():
    frame = read_observations_csv(CSV, "mine.csv", set(NAMES))
    rows = upload_series(frame, "a", NAMES)
    assert rows[["area_name", "period_label", "value"]].values.tolist() == [["Basildon", "2022", 1.0],
                                                                           ["Basildon", "2023", 2.0]]


def test_a_chart_of_a_large_upload_keeps_ten_areas_and_the_latest_points():
    import pandas as pd

    from insight.uploads import CHART_MAX_POINTS, chart_rows

    rows = pd.DataFrame({"area_name": [f"Area {a:02d}" for a in range(12) for _ in range(1000)],
                         "period_start": list(pd.date_range("1950-01-01", periods=1000, freq="D")) * 12,
                         "value": 1.0})
    shown, note = chart_rows(rows)
    assert len(shown) == CHART_MAX_POINTS and shown["area_name"].nunique() == 10
    assert shown["period_start"].min() == pd.Timestamp("1950-01-01") + pd.Timedelta(days=500)
    assert note == ("The chart shows 5,000 of 12,000 values (10 of 12 areas, latest periods first); the table "
                    "above counts all.")
    small = rows.head(30)
    kept, said = chart_rows(small)
    assert kept is small and said is None
