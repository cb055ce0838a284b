"""The pure views of issue 17: the 'Needs attention' items and their links, the marks on the Trends chart, the
control-chart panels, the targets form's helpers and the literacy guides, on constructed inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from insight import literacy
from insight import schema as s
from insight.config import load_config
from insight.errors import DataValidationError, Problem
from insight.loaders import Indicator
from insight.query import FilterOptions
from insight.signals import Rule, SeriesInfo, annual_trend_signal, assess_series
from insight.targets import ALL_AREAS, Target, TargetDirection
from views import attention as av
from views import literacy as lv
from views import signal_marks as sm
from views import targets as tv
from views.trend_charts import AREA, ROLE, SELECTED, build_trend_chart

OPTIONS = FilterOptions(district_names={"D1": "Dale", "D2": "Ford"}, division_names={"V1": "Vale", "V2": "Wold"},
                        divisions_by_district={"D1": ("V1",), "D2": ("V2",)},
                        indicator_themes={"demand": "economy"}, titles_by_theme={"economy": {"demand": "Demand"}})
HORIZONS = {"annual": 5, "monthly": 24}


def info(area_code: str = "D1", area_name: str = "Dale", **overrides: object) -> SeriesInfo:
    base: dict[str, object] = dict(indicator_id="demand", area_code=area_code, title="Demand", area_name=area_name,
                                   level="district", polarity=s.Polarity.HIGHER_IS_WORSE, unit="%",
                                   value_type=s.ValueType.PROPORTION, frequency="annual")
    base.update(overrides)
    return SeriesInfo(**base)  # type: ignore[arg-type]


def annual(values: list[float], first: int = 2015) -> pd.DataFrame:
    starts = pd.to_datetime([f"{first + i}-01-01" for i in range(len(values))])
    return pd.DataFrame({s.PERIOD_START: starts, s.PERIOD_LABEL: [str(d.year) for d in starts], s.VALUE: values})


def monthly(values: list[float], start: str = "2020-01-01") -> pd.DataFrame:
    starts = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({s.PERIOD_START: starts, s.PERIOD_LABEL: [f"{d:%b %Y}" for d in starts], s.VALUE: values})


def indicator() -> Indicator:
    return Indicator(indicator_id="demand", title="Demand", short_title="Demand", unit="%",
                     value_type=s.ValueType.PROPORTION, polarity=s.Polarity.HIGHER_IS_WORSE,
                     frequency=s.Frequency.ANNUAL, theme="economy", levels=(s.Level.DISTRICT,), source="src",
                     definition="Demand as a share.")


RISING = [10.0, 10.5, 11.0, 12.0, 12.4, 13.1, 14.0, 15.2]  # a clear rise: a deteriorating five-year trend


def rising_signal(area_code: str = "D1", area_name: str = "Dale"):
    signal, _ = annual_trend_signal(info(area_code, area_name), annual(RISING))
    assert signal is not None and signal.rule is Rule.ANNUAL_TREND
    return signal


# ---- links --------------------------------------------------------------------------------------------------
def test_a_district_signal_opens_trends_on_that_district_and_keeps_a_division_it_holds():
    signal = rising_signal()
    link = av.chart_link(signal, OPTIONS, current_division="V1", max_horizons=HORIZONS)
    assert (link.indicator_id, link.theme, link.districts, link.divisions) == ("demand", "economy", ("D1",), ("V1",))
    assert not link.spc and link.horizon is None
    other = av.chart_link(signal, OPTIONS, current_division="V2", max_horizons=HORIZONS)
    assert other.divisions == ()  # Wold is not in Dale: the district alone


def test_a_council_signal_opens_trends_with_no_place_chosen_and_a_division_signal_on_the_division():
    county = rising_signal("C1", "Shire")
    assert av.chart_link(county, OPTIONS, current_division="V1", max_horizons=HORIZONS).districts == ()
    division = rising_signal("V2", "Wold")
    link = av.chart_link(division, OPTIONS, current_division=None, max_horizons=HORIZONS)
    assert (link.districts, link.divisions) == ((), ("V2",))


def test_an_spc_signal_opens_the_control_chart_and_a_target_crossing_the_furthest_horizon():
    values = [10.0, 11.0] * 6 + [14.0, 14.5, 14.2, 14.8, 14.4, 14.6, 14.9]
    assessment = assess_series(info(frequency="monthly"), monthly(values))
    spc = next(x for x in assessment.signals if x.rule is Rule.RUN)
    assert av.chart_link(spc, OPTIONS, current_division=None, max_horizons=HORIZONS).spc
    projection = pd.DataFrame({s.PERIOD_START: pd.to_datetime(["2023-01-01", "2024-01-01"]), "point": [16.0, 17.0],
                               "lower_80": [15.0, 15.5], "upper_80": [17.0, 18.5], "lower_95": [14.0, 14.5],
                               "upper_95": [18.0, 19.5]})
    target = Target("demand", 16.5, TargetDirection.AT_MOST, "Plan ceiling", "Policy team")
    crossing = next(x for x in assess_series(info(), annual(RISING), projection=projection, targets=[target]).signals
                    if x.rule is Rule.PROJECTION_TARGET)
    assert av.chart_link(crossing, OPTIONS, current_division=None, max_horizons=HORIZONS).horizon == 5


# ---- the panel ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("limit", "summary"), [
    (5, "2 measures for Dale have a signal."),
    (1, "2 measures for Dale have a signal; the 1 most concerning are shown."),
])
def test_the_panel_says_how_many_measures_have_a_signal(limit, summary):
    config = load_config()
    first = rising_signal()
    second, _ = annual_trend_signal(info(indicator_id="other", title="Other"), annual(RISING))
    panel = av.attention_panel([first, second], ["D1", "D2"], names={"D1": "Dale", "D2": "Ford"}, options=OPTIONS,
                               council=config, current_division=None, max_horizons=HORIZONS, limit=limit)
    assert [x.summary for x in panel.sections] == [summary, "No signals for Ford in the current data."]
    item = panel.sections[0].entries[0]
    assert item.badge == "◆ Getting worse" and item.badge_colour == "orange"
    assert item.finding == first.finding and item.caveat == first.caveat and item.rule_text == first.rule_text
    assert "No targets are set, so no projection is tested against one." in " ".join(panel.notes)


def test_a_small_area_is_headed_with_the_councils_word_for_it():
    config = load_config()
    assert av.area_heading("V1", {"V1": "Vale"}, OPTIONS, config) == f"Vale {config.area_word}"
    assert av.area_heading(config.county_code, {}, OPTIONS, config) == config.short_name


# ---- marks on the chart ---------------------------------------------------------------------------------------
def trend_spec() -> dict:
    observed = annual(RISING).assign(**{AREA: "Dale", ROLE: SELECTED, s.LOWER_95: float("nan"),
                                        s.UPPER_95: float("nan")})
    return build_trend_chart(observed, pd.DataFrame(), title="t", subtitle="s", source="src", unit="%",
                             description="Line chart.", comparator_kinds={}).to_dict(validate=False)


def test_a_signal_is_ringed_on_its_evidence_and_labelled_by_its_latest_point():
    signal = rising_signal()
    spec = sm.mark_chart(trend_spec(), [signal])
    rings = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "point"]
    assert len(rings) == 1 and rings[0]["mark"]["shape"] == "diamond" and rings[0]["mark"]["color"] == "#B04A00"
    assert [r["period_label"] for r in rings[0]["data"]["values"]] == [e.period_label for e in signal.evidence]
    text = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "text"
                and "values" in layer.get("data", {}))
    assert [r["label"] for r in text["data"]["values"]] == ["◆ Signal: getting worse"]
    assert spec["description"] == ("Line chart. Signal marked: a clear trend over five years (getting worse) in "
                                   "Dale.")


def test_a_target_is_a_labelled_line_and_an_unmarked_chart_is_left_alone():
    target = Target("demand", 12.0, TargetDirection.AT_MOST, "Plan ceiling", "Policy team")
    shown = sm.shown_targets([target, Target("other", 1.0, TargetDirection.AT_LEAST, "x", "y")], [info()])
    assert [t.label for t in shown] == ["Target: Plan ceiling (at most 12.0%)"]
    spec = sm.mark_chart(trend_spec(), [], shown)
    rule = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("color") == sm.TARGET_COLOUR)
    assert rule["data"]["values"] == [{"target": 12.0, "label": "Target: Plan ceiling (at most 12.0%)"}]
    plain_spec = trend_spec()
    assert sm.mark_chart(plain_spec, []) is plain_spec


def test_an_area_target_names_its_area_and_an_all_areas_target_is_drawn_once():
    mine = Target("demand", 12.0, TargetDirection.AT_LEAST, "Floor", "Team", area_code="D2")
    every = Target("demand", 14.0, TargetDirection.AT_MOST, "Ceiling", "Team", area_code=ALL_AREAS)
    shown = sm.shown_targets([mine, every], [info(), info("D2", "Ford")])
    assert [t.label for t in shown] == ["Target: Ceiling (at most 14.0%)", "Target for Ford: Floor (at least 12.0%)"]


# ---- control charts ------------------------------------------------------------------------------------------
def test_a_short_monthly_series_gets_a_note_not_a_control_chart():
    panel = sm.spc_panel(assess_series(info(frequency="monthly"), monthly([10.0, 11.0] * 5)), source_line="src")
    assert panel.spec is None
    assert panel.note == ("Dale: Too short for SPC: 10 months with a value; SPC needs at least 15 (NHS Making Data "
                          "Count advises 15, ideally 20).")


def test_a_qualifying_series_gets_its_chart_guide_and_table():
    values = [10.0, 11.0] * 6 + [14.0, 14.5, 14.2, 14.8, 14.4, 14.6, 14.9]
    panel = sm.spc_panel(assess_series(info(frequency="monthly"), monthly(values)), source_line="src")
    assert panel.spec is not None and panel.spec["description"].startswith("Control chart of Demand in Dale")
    assert panel.guide is not None and panel.guide.example.startswith("For example, for Demand in Dale the average")
    assert list(panel.table.columns) == ["Period", "Value", "Point", "Rules"] and len(panel.table) == len(values)
    assert {x.rule for x in panel.signals} <= av.SPC_SIGNAL_RULES and panel.signals


# ---- targets form -------------------------------------------------------------------------------------------------
def test_a_new_target_replaces_one_for_the_same_indicator_area_and_direction():
    old = Target("demand", 12.0, TargetDirection.AT_MOST, "Old", "Team")
    floor = Target("demand", 5.0, TargetDirection.AT_LEAST, "Floor", "Team")
    new = Target("demand", 11.0, TargetDirection.AT_MOST, "New", "Team")
    assert tv.with_target((old, floor), new) == (floor, new)
    assert tv.without_target((old, floor), old) == (floor,)


def test_typed_words_are_listed_literally_never_as_markdown():
    entry = indicator()
    target = Target("demand", 12.0, TargetDirection.AT_MOST, "[click](https://evil.example)", "![x](http://h/p.png)")
    assert tv.target_line(target, entry, {}) == ("**At most 12.0%** for every area: `[click](https://evil.example)` "
                                                 "(set by `![x](http://h/p.png)`)")
    error = DataValidationError([Problem("target 1: not an indicator in the catalogue", "f", column="indicator_id",
                                         value="<b>x</b>")])
    assert tv.problem_lines(error) == ("- target 1: not an indicator in the catalogue (field `indicator_id`): found "
                                       "`<b>x</b>`")


# ---- literacy -----------------------------------------------------------------------------------------------------
def test_a_wards_glossary_has_no_approximate_divisions_and_a_divisions_glossary_keeps_them():
    wards = literacy.council_glossary("ward", approximate=False)
    assert "Approximate boundaries" not in [e.term for e in wards]
    assert not [e for e in wards if "ivision" in e.definition]
    named = {e.term: e for e in literacy.council_glossary("ward", approximate=True)}
    assert named["Approximate boundaries"].definition.startswith("Ward edges we had to rebuild")
    assert literacy.first_visit_steps("ward")[0][1].startswith("Choose a district or a ward in the side bar.")


def test_finding_a_word_searches_terms_other_spellings_and_definitions():
    assert [e.term for e in lv.glossary_entries(literacy.GLOSSARY, "spc")] == ["Control chart"]
    assert len(lv.glossary_entries(literacy.GLOSSARY, "")) == len(literacy.GLOSSARY)
    assert "Confidence interval" in [e.term for e in lv.glossary_entries(literacy.GLOSSARY, "19 times in 20")]


def test_there_is_no_fan_chart_guide_without_a_projection_and_a_scenario_guide_without_scenarios():
    table = pd.DataFrame({"Kind": ["observed"], "Area": ["Dale"], "Period": ["2020"]})
    entry = indicator()
    assert lv.fan_guide(table, entry) is None
    baseline = pd.DataFrame({"period": ["2030"], "scenario": ["Baseline"], "point": [3.0]})
    guide = lv.scenario_guide(baseline, entry, "Dale")
    assert guide.example == ("For example, add a scenario with the levers above. Its line then sits beside the "
                             "baseline for demand in Dale.")


def test_the_words_around_the_lists_and_targets_are_plain():
    import textstat

    config = load_config()
    target = Target("demand", 12.0, TargetDirection.AT_MOST, "Plan ceiling", "Policy team")
    texts = [tv.NONE_SET, *tv.DIRECTION_LABELS.values()]
    for targets in ((), (target,)):
        panel = av.attention_panel([rising_signal()], ["D1", "D2"], names={"D1": "Dale", "D2": "Ford"},
                                   options=OPTIONS, council=config, current_division=None, max_horizons=HORIZONS,
                                   targets=targets)
        texts += [*panel.notes, *(x.summary for x in panel.sections)]
    assert [t for t in texts if textstat.flesch_kincaid_grade(t) > literacy.MAX_GRADE] == []


def test_words_typed_for_a_target_are_quoted_literally_wherever_a_signal_is_written():
    crafted = Target("demand", 16.5, TargetDirection.AT_MOST, "[click](https://evil.example)", "![x](http://h/p.png)")
    projection = pd.DataFrame({s.PERIOD_START: pd.to_datetime(["2023-01-01", "2024-01-01"]), "point": [16.0, 17.0],
                               "lower_80": [15.0, 15.5], "upper_80": [17.0, 18.5], "lower_95": [14.0, 14.5],
                               "upper_95": [18.0, 19.5]})
    signal = next(x for x in assess_series(info(), annual(RISING), projection=projection, targets=[crafted]).signals
                  if x.rule is Rule.PROJECTION_TARGET)
    finding, caveat = av.safe_words(signal, [crafted])
    assert "`[click](https://evil.example)` (at most 16.5%)" in finding
    assert caveat.endswith("Target set by `![x](http://h/p.png)`.")
    for text in (finding, caveat, sm.signal_note(signal, [crafted])):
        assert "[click](https://evil.example)" not in text.replace("`[click](https://evil.example)`", "")
        assert "![x](http://h/p.png)" not in text.replace("`![x](http://h/p.png)`", "")
    assert av.safe_words(rising_signal(), [crafted]) == (rising_signal().finding, rising_signal().caveat)
