"""The SPC chart builder, checked on its Vega-Lite spec (chart.to_dict())."""

from __future__ import annotations

import pandas as pd
import pytest

from insight import schema as s
from insight.signals import SeriesInfo, assess_series
from insight.stats import contrast_ratio
from views.spc_chart import COLOURS, COMMON, CONCERN, IMPROVEMENT, SHAPES, build_spc_chart, spc_points

SOURCE = "Source: Test data from the council. Licence: Open Government Licence v3.0."


def info(polarity: s.Polarity = s.Polarity.HIGHER_IS_WORSE, status: s.Status = s.Status.REAL) -> SeriesInfo:
    return SeriesInfo("demand", "A1", "Demand", "Area One", "district", polarity, unit="contacts",
                      value_type=s.ValueType.COUNT, frequency="monthly", status=status)


def monthly(values: list[float]) -> pd.DataFrame:
    starts = pd.date_range("2020-01-01", periods=len(values), freq="MS")
    return pd.DataFrame({s.PERIOD_START: starts, s.PERIOD_LABEL: [f"{d:%b %Y}" for d in starts], s.VALUE: values})


def spec(values: list[float], series: SeriesInfo | None = None) -> dict:
    series = series or info()
    result = assess_series(series, monthly(values))
    assert result.xmr is not None
    return build_spc_chart(result.xmr, series, result.signals, source_line=SOURCE).to_dict()


def layer_data(chart: dict, index: int) -> list[dict]:
    layer = chart["layer"][index]
    return chart["datasets"][layer["data"]["name"]]


RUN_AT_END = [12.0, 10.0] * 8 + [11.6, 11.4] * 4


def test_the_chart_has_limits_average_line_and_points():
    chart = spec(RUN_AT_END)
    marks = [layer["mark"]["type"] for layer in chart["layer"]]
    assert marks == ["rule", "text", "line", "point"]
    levels = layer_data(chart, 0)
    assert [row["label"] for row in levels] == ["Upper process limit", "Average", "Lower process limit"]
    assert levels[0]["y"] > levels[1]["y"] > levels[2]["y"]
    assert len(layer_data(chart, 3)) == len(RUN_AT_END)


def test_signal_points_differ_by_shape_as_well_as_colour():
    chart = spec(RUN_AT_END)
    points = layer_data(chart, 3)
    assert [p["marker"] for p in points] == [COMMON] * 16 + [CONCERN] * 8
    encoding = chart["layer"][3]["encoding"]
    assert encoding["shape"]["scale"] == {"domain": [COMMON, CONCERN], "range": [SHAPES[COMMON], SHAPES[CONCERN]]}
    assert encoding["color"]["scale"]["range"] == [COLOURS[COMMON], COLOURS[CONCERN]]
    assert points[-1]["rules"] == "run on one side of the average"


def test_the_same_pattern_is_an_improvement_when_higher_is_better():
    points = layer_data(spec(RUN_AT_END, info(s.Polarity.HIGHER_IS_BETTER)), 3)
    assert points[-1]["marker"] == IMPROVEMENT


def test_the_description_and_title_state_the_finding():
    chart = spec(RUN_AT_END)
    assert chart["title"]["text"] == "Demand: special cause in recent months"
    assert len(chart["title"]["text"].split()) <= 10
    assert chart["description"].startswith("Control chart of Demand in Area One, Jan 2020 to Dec 2021: average ")
    assert "Recent special cause (deteriorating): 8 months in a row were above the average" in chart["description"]
    assert chart["title"]["subtitle"][-1] == SOURCE


def test_a_calm_series_says_it_has_only_normal_variation():
    chart = spec([12.0, 10.0] * 10)
    assert chart["title"]["text"] == "Demand: only normal ups and downs"
    assert chart["description"].endswith("Every point is common-cause variation: no rule fired.")
    assert {p["marker"] for p in layer_data(chart, 3)} == {COMMON}


def test_an_illustrative_series_is_labelled_on_the_chart():
    chart = spec(RUN_AT_END, info(status=s.Status.ILLUSTRATIVE))
    assert "Illustrative — not real data." in chart["title"]["subtitle"]
    assert "(illustrative, not real)" in chart["description"]


@pytest.mark.parametrize("colour", list(COLOURS.values()))
def test_marker_colours_stand_out_from_a_white_background(colour):
    assert contrast_ratio(colour, "#FFFFFF") >= 3.0


def test_a_point_in_two_patterns_takes_the_strongest_rule_first():
    values = [12.0, 10.0] * 10 + [30.0]
    result = assess_series(info(), monthly(values))
    points = spc_points(result.xmr, info())
    assert points[points["marker"] != COMMON]["rules"].tolist() == ["outside the limits"]


def test_views_import_only_insight_and_libraries():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in (root / "views").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not names & {"streamlit", "components", "pages"}, path.name
