"""Scenarios page, as an analyst and a councillor use it (AppTest, page run on its own)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from insight import query
from insight.forecast import project_series
from insight.loaders import get_indicator, load_dataset
from insight.scenarios import (
    Scenario,
    StepChange,
    Target,
    TrendChange,
    apply_scenario,
    scenarios_to_query,
    tabulate_scenarios,
)
from tests.app import helpers
from tests.app.helpers import chart_rows, chart_spec, chart_title, html_table_frame
from views.scenarios import SeriesChoice, build_export_csv, series_labeller

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/scenarios.py"
SERIES = {"scn_data": "open", "scn_indicator": "claimant_count", "scn_area": "E10000012", "scn_horizon": "5"}


def run_page(**params: str) -> AppTest:
    return helpers.run_page(PAGE, **params)


def widget(elements, label_start: str):
    return next(e for e in elements if e.label.startswith(label_start))


def table_rows(at: AppTest, scenario: str) -> list[dict]:
    table = html_table_frame(at)
    return table[table["Scenario"] == scenario].to_dict("records")


@pytest.fixture(scope="module")
def claimant_baseline():
    """The page's baseline for claimant count in Essex, 5 years, computed directly with insight."""
    dataset = load_dataset(ROOT / "data")
    history = query.series(dataset.observations, "claimant_count", ["E10000012"])
    history = history[history["value"].notna()][["period_start", "value"]]
    entry = get_indicator(dataset.indicators, "claimant_count")
    return project_series(history, frequency=entry.frequency, horizon=5, value_type=entry.value_type,
                          indicator_id="claimant_count", area_code="E10000012").frame


def test_default_view_is_real_open_data_with_the_baseline_only():
    at = run_page()
    assert not at.exception
    assert widget(at.radio, "Data").value == "open"
    assert not any("not real" in e.value for e in at.error)
    assert set(html_table_frame(at)["Scenario"]) == {"Baseline"}
    assert chart_title(at).startswith("Projected ")
    assert "[Illustrative" not in chart_title(at)


def test_moving_a_lever_changes_the_scenario_table(claimant_baseline):
    at = run_page(**SERIES)
    widget(at.button, "➕ Add scenario").click().run()
    before = table_rows(at, "Scenario A")
    assert [row["Difference from baseline"] for row in before] == ["+0.00"] * 5
    widget(at.slider, "Change a year").set_value(-5.0).run()
    after = table_rows(at, "Scenario A")
    start = claimant_baseline["period_start"].iloc[0]
    expected = apply_scenario(claimant_baseline,
                              Scenario("Scenario A", trend=TrendChange(-5.0, date(start.year, start.month, 1))),
                              lower_bound=0.0, upper_bound=100.0)
    assert [row["Projected (%)"] for row in after] == [f"{v:,.2f}" for v in expected["point"]]
    assert after[0]["Difference from baseline"] == "+0.00"  # the change starts from the first period
    assert after[-1]["Difference from baseline"] == f"{expected['difference'].iloc[-1]:+.2f}".replace("-", "−")
    assert at.query_params["scenarios"] == scenarios_to_query([Scenario("Scenario A", trend=TrendChange(
        -5.0, date(start.year, start.month, 1)))])


def test_a_step_change_moves_the_point_by_its_size():
    at = run_page(**SERIES)
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.slider, "**One-off step change**").set_value(-0.5).run()
    rows = table_rows(at, "Scenario A")
    assert [row["Difference from baseline"] for row in rows] == ["−0.50"] * 5
    assert [row["Difference range (95%)"] for row in rows] == ["−0.50 to −0.50"] * 5


def test_a_shared_url_restores_the_same_scenarios():
    at = run_page(**SERIES)
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.slider, "Change a year").set_value(-3.0).run()
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.slider, "**One-off step change**").set_value(0.4).run()
    link = {key: at.query_params[key] for key in at.query_params}
    assert link["scenarios"].count("~") == 1
    opened = run_page(**link)
    assert not opened.exception
    assert html_table_frame(opened).equals(html_table_frame(at))
    assert [widget(opened.radio, "Edit scenario").format_func(i) for i in (0, 1)] == ["Scenario A", "Scenario B"]
    assert chart_spec(opened)["title"] == chart_spec(at)["title"] and chart_title(opened) == chart_title(at)


def test_a_shared_link_with_an_uncertain_step_and_a_target_is_drawn_and_solved():
    scenarios = [Scenario("Early help", step=StepChange(-0.3, date(2027, 1, 1), low=-0.6, high=-0.1)),
                 Scenario("Reach 2.5", target=Target(2.5, 2030, date(2026, 1, 1)))]
    at = run_page(**SERIES, scenarios=scenarios_to_query(scenarios))
    assert not at.exception and not at.error
    assert "needs a change of" in at.info[0].value and "Reach 2.5" in at.info[0].value
    reach = table_rows(at, "Reach 2.5")
    assert reach[-1]["Period"] == "2030" and reach[-1]["Projected (%)"] == "2.50"
    early = table_rows(at, "Early help")
    low, high = early[-1]["Difference range (95%)"].replace("−", "-").split(" to ")
    assert -0.7 < float(low) < -0.5 and -0.2 < float(high) < 0.0  # the step's own range, simulated
    domain = next(layer["encoding"]["color"]["scale"]["domain"] for layer in chart_spec(at)["layer"]
                  if "color" in layer.get("encoding", {}))
    assert domain == ["Observed", "Baseline projection", "Early help", "Reach 2.5"]


@pytest.mark.parametrize(("crafted", "message"), [
    ("n:<script>alert(1)</script>", "can only contain letters"),
    ("n:A,t:nan,ts:2026-01", "plain decimal number"),
    ("n:A,t:1e308,ts:2026-01", "plain decimal number"),
    ("n:A,s:99999999999,ss:2026-01", "between -1,000,000,000 and 1,000,000,000"),
    ("n:A,__import__('os').system('id'):1", "unknown setting"),
    ("n:A~n:B~n:C~n:D", "at most 3"),
    ("n:[link](http://evil.example)", "can only contain letters"),
])
def test_a_malformed_link_gets_a_clear_message_and_is_ignored(crafted, message):
    at = run_page(**SERIES, scenarios=crafted)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "scenarios in this link were ignored" in errors[0] and message in errors[0]
    assert "<script>" not in errors[0] and "http://" not in errors[0]
    assert set(html_table_frame(at)["Scenario"]) == {"Baseline"}
    assert "scenarios" not in at.query_params


def test_unknown_series_in_a_link_falls_back_to_a_default_with_a_message():
    at = run_page(scn_indicator="no_such_indicator", scn_area="E99999999")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Ignored indicator `no_such_indicator`" in warnings
    assert widget(at.selectbox, "Indicator").value == "claimant_count"


def test_reset_to_baseline_is_one_click_and_can_be_undone():
    at = run_page(**SERIES)
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.slider, "Change a year").set_value(2.0).run()
    widget(at.button, "↺ Reset to baseline").click().run()
    assert set(html_table_frame(at)["Scenario"]) == {"Baseline"}
    assert "scenarios" not in at.query_params
    widget(at.button, "↶ Undo reset").click().run()
    assert set(html_table_frame(at)["Scenario"]) == {"Baseline", "Scenario A"}


def test_illustrative_demand_is_never_default_and_always_badged():
    at = run_page(scn_data="illustrative")
    assert not at.exception
    assert "Illustrative data — not real" in at.error[0].value
    spec = chart_spec(at)
    assert chart_title(at).startswith("[Illustrative, not real]")
    assert "ILLUSTRATIVE DATA — NOT REAL" in json.dumps(spec, ensure_ascii=False)
    assert widget(at.selectbox, "Indicator").value == "demo_asc_contacts"
    assert html_table_frame(at)["Period"].iloc[0] == "Dec 2026"


def test_chart_carries_source_licence_and_projection_caveat():
    at = run_page(**SERIES)
    title = " ".join(next(layer["encoding"]["x"]["title"] for layer in chart_spec(at)["layer"]
                          if "x" in layer.get("encoding", {})))  # wrapped into lines under the chart
    assert ("Source: ONS Explore Local Statistics (claimant-count) from the Office for National Statistics. "
            "Licence: Open Government Licence v3.0.") in title
    assert "Projection: it extends past trends and ignores policy changes and shocks" in title


def test_duplicate_scenario_names_are_refused_in_place():
    at = run_page(**SERIES)
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.text_input, "Scenario name").input("Scenario A").run()
    assert any("Each scenario needs a different name" in e.value for e in at.error)
    assert set(html_table_frame(at)["Scenario"]) == {"Baseline", "Scenario A", "Scenario B"}


def test_aiming_for_a_target_states_the_change_needed_and_reaches_it():
    at = run_page(**SERIES)
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.radio, "**Trend**").set_value("target").run()
    widget(at.number_input, "Target value").set_value(3.0).run()
    assert not at.exception
    info = at.info[0].value
    assert "**Scenario A:** reaching 3 in 2030 needs a change of" in info and "% a year**" in info
    assert "relative to the projection from 2026 (" in info  # an annual series' periods are years, not months
    assert table_rows(at, "Scenario A")[-1]["Projected (%)"] == "3.00"


def test_population_growth_lowers_a_per_head_figure():
    at = run_page(scn_data="open", scn_indicator="gdhi_per_head", scn_area="E10000012", scn_horizon="5")
    widget(at.button, "➕ Add scenario").click().run()
    widget(at.slider, "**Population growth**").set_value(1.0).run()
    rows = table_rows(at, "Scenario A")
    differences = [float(row["Difference from baseline"].replace("−", "-").replace(",", "")) for row in rows]
    assert differences[0] == 0
    assert all(differences[i + 1] < differences[i] for i in range(len(differences) - 1))


def test_removing_a_scenario_keeps_the_others():
    at = run_page(**SERIES, scenarios="n:First,t:-2,ts:2026-01~n:Second,t:2,ts:2026-01")
    assert widget(at.radio, "Edit scenario").value == 0
    widget(at.button, "🗑 Remove").click().run()
    assert set(html_table_frame(at)["Scenario"]) == {"Baseline", "Second"}
    assert at.query_params["scenarios"] == "n:Second,t:2,ts:2026-01"


def test_csv_download_records_the_assumptions_and_the_illustrative_label():
    at = run_page(scn_data="illustrative", scenarios="n:Hub,s:-5,sl:-9,sh:-2,ss:2026-06")
    labels = [e.proto.label for e in at.get("download_button")]
    assert "⬇ Download table (CSV, with assumptions)" in labels
    text = "\n".join(m.value for m in at.markdown)
    assert "**Illustrative data — not real** — synthetic figures for demonstration only." in text

    dataset = load_dataset(ROOT / "data")
    entry = get_indicator(dataset.indicators, "demo_asc_contacts")
    choice = SeriesChoice(True, entry, "E58000426", "Clacton West", 24, ())
    baseline = monthly_baseline()
    scenario = Scenario("Hub", step=StepChange(-5.0, date(2026, 6, 1), low=-9.0, high=-2.0))
    table = tabulate_scenarios(baseline, [("Hub", apply_scenario(baseline, scenario))], monthly=True)
    lines = build_export_csv(table, (scenario,), {}, choice, series_labeller(choice, pd.DataFrame())).splitlines()
    assert lines[0].startswith("# ILLUSTRATIVE DATA — NOT REAL. Adult social care contacts per month")
    assert "# Licence: OGL v3.0 inputs; synthetic output" in lines
    assert ("# Assumption - Hub: step change of -5 contacts per month from Jun 2026 "
            "(95% range -9 to -2).") in lines
    assert any(line.startswith("# ILLUSTRATIVE DATA — NOT REAL: synthetic figures. Adult social care") for line in lines)
    assert lines[-1].split(",")[:2] == ["Dec 2027", "Hub"]


def monthly_baseline() -> pd.DataFrame:
    """A flat hand-made monthly projection, Jan 2026 - Dec 2027."""
    point = np.full(24, 100.0)
    return pd.DataFrame({"period_start": pd.date_range("2026-01-01", periods=24, freq="MS"), "point": point,
                         "lower_80": point - 10, "upper_80": point + 10, "lower_95": point - 20,
                         "upper_95": point + 20})


FINANCIAL_YEAR = {"scn_data": "open", "scn_indicator": "adult_obesity", "scn_area": "E10000012", "scn_horizon": "5"}


def test_a_financial_year_series_names_its_periods_alike_in_chart_table_csv_sentence_and_levers():
    """Adult obesity is published for 2015/16 .. 2024/25 (periods starting mid-November): its projection
    runs 2025/26 .. 2029/30 everywhere, as on the Trends page, and its levers offer those years, not months."""
    import vl_convert as vlc

    at = run_page(**FINANCIAL_YEAR, scenarios="n:Hub,s:-1,sl:-1.5,sh:-0.2,ss:2026-11")
    assert not at.exception and not at.error
    expected = ["2025/26", "2026/27", "2027/28", "2028/29", "2029/30"]
    table = html_table_frame(at)
    assert list(dict.fromkeys(table["Period"])) == expected
    finding = next(m.value for m in at.markdown if "the baseline projection for" in m.value)
    assert "the baseline projection for 2029/30 is" in finding and "Hub: " in finding
    spec = chart_spec(at)
    assert chart_title(at).endswith("by 2029/30")
    assert " ".join(spec["title"]["subtitle"]).endswith("to 2029/30. Shaded: 80% ranges (and the baseline's 95%).")
    rows = chart_rows(at)
    projected = [row for row in rows if row["layer"] == "marks" and row["series"] == "Hub"]
    assert [row["period"] for row in projected] == expected
    assert projected[0]["period_start"].startswith("2025-11-16")  # the table's first row is this period
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert {"year": 2025, "month": 11, "date": 16} in axis["values"]
    svg = vlc.vegalite_to_svg({**spec, "width": 1200, "data": {"values": rows}})
    assert ">2025/26<" in svg and ">2029/30<" in svg and ">2026<" not in svg  # ticks named like the table
    starts = [e for e in at.select_slider if e.label == "From"]
    assert starts and all(e.options == expected for e in starts)
    hub = [e for e in at.select_slider if e.label == "From"][1]  # the step's start
    assert hub.format_func(hub.value) == "2026/27"

    dataset = load_dataset(ROOT / "data")
    entry = get_indicator(dataset.indicators, "adult_obesity")
    history = query.series(dataset.observations, "adult_obesity", ["E10000012"]).dropna(subset=["value"])
    choice = SeriesChoice(False, entry, "E10000012", "Essex", 5, ())
    labeller = series_labeller(choice, history)
    baseline = project_series(history[["period_start", "value"]], frequency=entry.frequency, horizon=5,
                              value_type=entry.value_type).frame
    scenario = Scenario("Hub", step=StepChange(-1.0, date(2026, 11, 1), low=-1.5, high=-0.2))
    csv_table = tabulate_scenarios(baseline, [("Hub", apply_scenario(baseline, scenario))], monthly=False,
                                   labeller=labeller)
    lines = build_export_csv(csv_table, (scenario,), {}, choice, labeller).splitlines()
    rows = [line.split(",")[:2] for line in lines if not line.startswith("#")][1:]
    assert [period for period, _ in rows[::2]] == expected
    assert any(line.startswith("# Assumption - Hub: step change of -1 % from 2026/27") for line in lines), lines
