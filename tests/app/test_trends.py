"""Trends & projections as a user reads it (AppTest, page run alone), and its chart builder's spec."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight.config import load_config
from tests.app import helpers
from tests.app.helpers import chart_spec
from views.trend_charts import FAN_80_OPACITY, FAN_95_OPACITY, build_trend_chart
from views.trends import MAX_AREAS, resolve_areas

PAGE = "pages/trends.py"
RANGE = re.compile(r"likely between (\d+\.\d)% and (\d+\.\d)% \(80% range; 95% range (\d+\.\d)% to (\d+\.\d)%")


def run_page(**params: str) -> AppTest:
    return helpers.run_page(PAGE, **params)


def summary_text(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def test_claimant_count_for_essex_shows_a_projected_range_with_both_interval_levels():
    at = run_page(indicator="claimant_count")
    assert not at.exception
    text = summary_text(at)
    assert ("Claimant count in Essex rose from 1.4% in 2001 to 3.0% in 2025 (up 1.6 percentage points). Trend over "
            "the latest 5 years (2021 to 2025): no significant change. A straight-line trend was not "
            "distinguishable from no change at 95% confidence; with this much year-to-year variation, a trend "
            "smaller than about 0.92 percentage points a year would probably not be detected (the test finds one "
            "of that size 4 times in 5).") in text
    match = RANGE.search(text)
    assert match, text
    low80, high80, low95, high95 = (float(g) for g in match.groups())
    assert low95 <= low80 < high80 <= high95
    assert "claimant count in Essex in 2030" in text
    assert "For comparison, the latest figures are 3.2% for East of England (2025) and 4.0% for England (2025)." \
        in text
    accuracy = " ".join(m.value for m in at.markdown)
    # leak-free figures only: how it was tested, this series' test, and the pooled coverage of the ranges
    assert "**Essex.** Tested leak-free standing at each of the years 2019–2022 in turn" in accuracy
    assert "No method beat the naive method (repeating the last value) out of sample for this indicator" in accuracy
    assert "For this series the test used the naive method at every point" in accuracy
    assert re.search(r"Pooled across the 15 series of this indicator, 80% ranges held \d+% and 95% ranges \d+% "
                     r"of 180 outcomes 1–3 years ahead\.", accuracy)
    assert "In that test" not in accuracy and "back-test starting points" not in accuracy
    assert any(c.value.startswith("**Projection** — This is a projection") for c in at.caption)


def test_the_chart_carries_title_subtitle_source_and_the_word_projection():
    spec = chart_spec(run_page(indicator="claimant_count"))
    assert " ".join(spec["title"]["text"]) == "Claimant count in Essex shows no significant change"  # 2021-25: 4.6% .. 3.0%
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Essex, East of England, England; 2001 to 2025, projected to 2030" in subtitle
    assert "Source: ONS Explore Local Statistics (claimant-count)" in subtitle and "Open Government Licence" in subtitle
    assert spec["description"].startswith("Line chart of Claimant count for Essex against East of England, England")
    assert "with a projection to 2030 (80% and 95% ranges)" in spec["description"]
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks.count("area") == 2 and "text" in marks  # the two fans and the "Projection →" label
    dashes = next(layer["encoding"]["strokeDash"]["scale"] for layer in spec["layer"] if "strokeDash" in
                  layer.get("encoding", {}))
    assert dict(zip(dashes["domain"], map(tuple, dashes["range"]), strict=True))["Essex"] == (1, 0)  # solid


def test_a_too_short_series_shows_the_refusal_not_an_exception():
    at = run_page(indicator="business_births")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert "Essex: no projection. Needs at least 8 annual points to project; this series has 6." in warnings
    assert "likely between" not in summary_text(at)
    assert "Business births in Essex" in summary_text(at)


def test_a_division_without_its_own_series_shows_its_district_and_says_so():
    at = run_page(indicator="claimant_count", division="E58000402")
    notes = [i.value for i in at.info]
    assert ("Abbey division has no claimant count series of its own, so its district's series (Colchester) is "
            "shown instead.") in notes
    assert "Claimant count in Colchester rose" in summary_text(at)


def test_imd_rank_at_division_level_is_a_trend_only_on_approximate_boundaries():
    at = run_page(indicator="imd_rank_percentile", division="E58000402")
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "No projection: Projections are made only for annual and monthly series; this series comes in " \
           "irregular editions" in notes
    assert "Division boundaries are APPROXIMATE" in notes
    assert "IMD rank percentile (trend) in Abbey fell from 46.2 in IMD 2004 to 41.1 in IMD 2025" in notes


def test_horizon_and_comparators_come_from_the_link():
    at = run_page(indicator="claimant_count", years="2", compare="England")
    text = summary_text(at)
    assert "claimant count in Essex in 2027" in text
    assert "For comparison, the latest figures are 4.0% for England (2025)." in text
    assert at.query_params["years"] == "2"


@pytest.mark.parametrize("years", ["99", "²", "2.5", "٣", "-1", "[1](http://x.example)"])
def test_a_bad_horizon_in_the_link_is_reported_and_the_default_used(years):
    at = run_page(indicator="claimant_count", years=years)
    assert not at.exception
    assert any(w.value.startswith("The link's projection horizon (years)") and "is not a whole number from 1 to 5"
               in w.value for w in at.warning)
    assert "claimant count in Essex in 2030" in summary_text(at)


def test_an_older_horizon_parameter_is_named_in_a_message():
    at = run_page(indicator="claimant_count", horizon="2")
    assert "The link's 'horizon' setting is from an older version of the dashboard and was ignored (it is now " \
           "'years or months')." in [w.value for w in at.warning]


def test_monthly_series_project_in_months():
    at = run_page(indicator="short_let_guest_nights")
    assert not at.exception
    text = summary_text(at)
    assert "No trend marker: trend markers use annual points; this series is monthly." in text
    assert re.search(r"short-term let guest nights in Essex in Dec 2026 is likely between [\d,]+ guest nights and "
                     r"[\d,]+ guest nights \(80% range", text), text


def test_a_count_is_drawn_without_far_larger_comparators_and_says_why():
    at = run_page(indicator="short_let_guest_nights")
    council = load_config().short_name  # the page tests run on any council (conftest)
    spec = chart_spec(at)
    assert spec["description"].startswith(f"Line chart of Short-term let guest nights for {council}, ")
    assert " against " not in spec["description"]  # no comparator line drawn
    captions = " ".join(c.value for c in at.caption)
    assert "Short-term let guest nights is a count, so " in captions
    assert f"England are not drawn beside {council}: far larger numbers would flatten its line." in captions
    assert '"format": "%b %Y"' in json.dumps(spec)  # monthly ticks read "Jul 2025", not "2025 2025 2025"


def test_view_as_table_lists_observed_and_projected_rows():
    at = run_page(indicator="claimant_count", table="1")
    table = at.dataframe[0].value
    assert set(table["Kind"]) == {"observed", "observed (comparator)", "projection"}
    projected = table[table["Kind"] == "projection"]
    assert list(projected["Period"]) == ["2026", "2027", "2028", "2029", "2030"]
    number = {c: projected[c].str.replace(",", "").astype(float) for c in ("Lower 95%", "Lower 80%")}
    assert (number["Lower 95%"] <= number["Lower 80%"]).all()
    observed = table[table["Kind"] == "observed"]
    assert (observed["Lower 80%"] == "").all()  # no projection range: an empty cell, never "None"


def test_resolve_areas_caps_the_number_of_lines_and_drops_comparators_already_shown(dataset):
    council = load_config()
    districts = tuple(sorted(council.districts))[:6]
    available = set(dataset.observations.loc[dataset.observations["indicator_id"] == "claimant_count",
                                             "area_code"])
    choice = resolve_areas(available, dataset.areas, council, districts=districts, divisions=(),
                           comparators=("county", "england"), short_title="Claimant count")
    assert len(choice.areas) == MAX_AREAS
    assert choice.comparators == (council.county_code, council.england_code)
    assert any(note.startswith(f"Showing the first {MAX_AREAS} of 6 chosen areas") for note in choice.notes)
    alone = resolve_areas(available, dataset.areas, council, districts=(), divisions=(),
                          comparators=("county", "region"), short_title="Claimant count")
    assert alone.areas == (council.county_code,) and alone.comparators == (council.region_code,)


def test_chart_builder_draws_80_and_95_fans_distinctly_and_labels_them():
    observed = pd.DataFrame({
        "area": ["Essex"] * 3, "role": ["area"] * 3,
        "period_start": pd.to_datetime(["2021-01-01", "2022-01-01", "2023-01-01"]),
        "period_label": ["2021", "2022", "2023"], "value": [1.0, 2.0, 3.0],
        "lower_95": [0.5, None, 2.5], "upper_95": [1.5, None, 3.5]})
    projections = pd.DataFrame({
        "area": ["Essex"], "period_start": pd.to_datetime(["2024-01-01"]), "period_label": ["2024"],
        "point": [4.0], "lower_80": [3.5], "upper_80": [4.5], "lower_95": [3.0], "upper_95": [5.0]})
    spec = build_trend_chart(observed, projections, title="T", subtitle="S", source="Source: X. Licence: OGL.",
                             unit="%", description="D", comparator_kinds={}).to_dict(validate=False)
    areas = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "area"]
    assert sorted(layer["mark"]["opacity"] for layer in areas) == sorted([FAN_95_OPACITY, FAN_80_OPACITY])
    text = json.dumps(spec, ensure_ascii=False)
    assert "80% range" in text and "95% range" in text and "Projection →" in text
    assert spec["description"] == "D"
    assert spec["title"]["subtitle"] == ["S", "Source: X. Licence: OGL."]


def test_a_snapshot_indicator_is_a_bar_comparison_not_a_line_over_time():
    at = run_page(indicator="census21_disabled", division="E58000426")  # Clacton West, Census 2021 only
    assert not at.exception
    spec = chart_spec(at)
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert "bar" in marks and "line" not in marks
    assert spec["description"].startswith("Bar chart of Disabled residents for Clacton West against Essex, Census 2021.")
    assert " to " not in " ".join(spec["title"]["text"])
    notes = " ".join(i.value for i in at.info)
    assert "No disabled residents figure is published for East of England or England, so they are not drawn." \
        in notes


def test_several_areas_are_all_named_in_the_title():
    at = run_page(indicator="claimant_count", district="E07000066,E07000073")  # Basildon, Harlow
    title = " ".join(chart_spec(at)["title"]["text"])
    assert "Basildon" in title and "Harlow" in title


def test_an_indicator_published_only_for_england_shows_england_and_says_so(dataset):
    counts = dataset.observations.groupby("indicator_id")["area_code"].agg(lambda codes: set(codes))
    england_only = [i for i, codes in counts.items() if codes <= {"E92000001", "E12000006"}]
    if not england_only:
        pytest.skip("the dataset has no indicator published only for the region or England")
    at = run_page(indicator=england_only[0])
    assert not at.exception and not at.error
    assert any("is published only for" in i.value for i in at.info)
