"""Scenarios: definitions, URL/JSON round-trip, application to a projection, the target solver."""

from __future__ import annotations

import io
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insight.errors import ScenarioError
from insight.forecast.series import projectable_series
from insight.periods import period_labeller
from insight.scenarios import (
    BASELINE_POINT,
    DIFFERENCE,
    DIFFERENCE_LOWER_80,
    DIFFERENCE_LOWER_95,
    DIFFERENCE_UPPER_80,
    DIFFERENCE_UPPER_95,
    LIMIT_COLUMNS,
    MAX_QUERY_LENGTH,
    SCENARIO_COLUMNS,
    TABLE_COLUMNS,
    PopulationEffect,
    PopulationGrowth,
    Scenario,
    StepChange,
    Target,
    TrendChange,
    apply_scenario,
    describe_scenario,
    headline_finding,
    population_effect_for,
    scenarios_csv,
    scenarios_from_json,
    scenarios_from_query,
    scenarios_to_json,
    scenarios_to_query,
    solve_target,
    tabulate_scenarios,
)
from insight.schema import PERIOD_START, Frequency, ValueType

Z80, Z95 = 1.2815515655446004, 1.959963984540054


def annual_projection(start_year: int = 2025, years: int = 6, level: float = 1000.0,
                      growth: float = 20.0, sd0: float = 30.0) -> pd.DataFrame:
    """A hand-made annual projection: linear point, normal limits widening with the horizon."""
    h = np.arange(1, years + 1)
    point = level + growth * h
    sd = sd0 * np.sqrt(h)
    return pd.DataFrame({
        PERIOD_START: pd.to_datetime([f"{start_year + i}-01-01" for i in range(years)]),
        "point": point, "lower_80": point - Z80 * sd, "upper_80": point + Z80 * sd,
        "lower_95": point - Z95 * sd, "upper_95": point + Z95 * sd,
    })


def monthly_projection(months: int = 36) -> pd.DataFrame:
    """A hand-made monthly projection from Jan 2026 with asymmetric (skewed) limits."""
    h = np.arange(1, months + 1)
    point = 200.0 + 10.0 * np.sin(2 * np.pi * h / 12)
    return pd.DataFrame({
        PERIOD_START: pd.date_range("2026-01-01", periods=months, freq="MS"),
        "point": point, "lower_80": point - 8 - 0.2 * h, "upper_80": point + 12 + 0.3 * h,
        "lower_95": point - 14 - 0.3 * h, "upper_95": point + 22 + 0.5 * h,
    })


# ---- applying ------------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [
    Scenario("Nothing"),
    Scenario("Zero trend", trend=TrendChange(0.0, date(2026, 1, 1))),
    Scenario("Zero step", step=StepChange(0.0, date(2026, 1, 1))),
    Scenario("Zero step with zero range", step=StepChange(0, date(2026, 1, 1), low=0, high=0)),
    Scenario("Zero population", population=PopulationGrowth(0.0, date(2025, 1, 1))),
    Scenario("All zero", trend=TrendChange(0, date(2026, 1, 1)), step=StepChange(0, date(2027, 1, 1)),
             population=PopulationGrowth(0, date(2025, 1, 1))),
])
@pytest.mark.parametrize("frame_maker", [annual_projection, monthly_projection])
def test_zero_lever_reproduces_the_baseline_exactly(scenario, frame_maker):
    baseline = frame_maker()
    result = apply_scenario(baseline, scenario, population_effect=PopulationEffect.COUNT)
    assert list(result.columns) == SCENARIO_COLUMNS
    for column in LIMIT_COLUMNS:
        np.testing.assert_array_equal(result[column].to_numpy(), baseline[column].to_numpy())
    np.testing.assert_array_equal(result[BASELINE_POINT].to_numpy(), baseline["point"].to_numpy())
    assert (result[[DIFFERENCE, DIFFERENCE_LOWER_95, DIFFERENCE_UPPER_95]].to_numpy() == 0).all()


def test_step_change_shifts_the_point_by_its_size_from_its_date():
    baseline = monthly_projection()
    result = apply_scenario(baseline, Scenario("Hub", step=StepChange(-25.0, date(2027, 4, 1))))
    shift = result["point"] - baseline["point"]
    before = baseline[PERIOD_START] < "2027-04-01"
    assert (shift[before] == 0).all()
    np.testing.assert_allclose(shift[~before], -25.0, rtol=0, atol=1e-12)
    assert int((~before).sum()) == 21  # Apr 2027 .. Dec 2028
    # A certain step moves every limit by the same amount, and its difference has no range.
    np.testing.assert_allclose(result.loc[~before, "upper_95"], baseline.loc[~before, "upper_95"] - 25)
    np.testing.assert_allclose(result.loc[~before, DIFFERENCE_LOWER_95], -25.0)
    np.testing.assert_allclose(result.loc[~before, DIFFERENCE_UPPER_95], -25.0)


def test_trend_change_compounds_yearly_from_its_start():
    baseline = annual_projection(start_year=2025, years=6)
    result = apply_scenario(baseline, Scenario("Falls", trend=TrendChange(-2.0, date(2026, 1, 1))))
    ratio = (result["point"] / baseline["point"]).to_numpy()
    np.testing.assert_allclose(ratio, [1.0, 1.0, 0.98, 0.98**2, 0.98**3, 0.98**4], rtol=1e-12)


@pytest.mark.parametrize(("effect", "expected"), [(PopulationEffect.COUNT, 1.01**3),
                                                  (PopulationEffect.PER_HEAD, 1 / 1.01**3)])
def test_population_growth_raises_counts_and_lowers_per_head_values(effect, expected):
    baseline = annual_projection(start_year=2025, years=4)
    scenario = Scenario("Growth", population=PopulationGrowth(1.0, date(2025, 1, 1)))
    result = apply_scenario(baseline, scenario, population_effect=effect)
    assert result["point"].iloc[3] / baseline["point"].iloc[3] == pytest.approx(expected, rel=1e-12)


def test_population_lever_is_refused_where_it_does_not_apply():
    scenario = Scenario("Growth", population=PopulationGrowth(1.0, date(2025, 1, 1)))
    with pytest.raises(ScenarioError, match="population growth lever does not apply"):
        apply_scenario(annual_projection(), scenario, population_effect=None)


@pytest.mark.parametrize(("value_type", "unit", "expected"), [
    (ValueType.COUNT, "contacts", PopulationEffect.COUNT),
    (ValueType.RATE, "per 1,000", PopulationEffect.PER_HEAD),
    (ValueType.MEAN, "£ per head", PopulationEffect.PER_HEAD),
    (ValueType.MEAN, "£", None),
    (ValueType.PROPORTION, "%", None),
    (ValueType.SCORE, "score", None),
])
def test_population_effect_follows_the_indicator_kind(value_type, unit, expected):
    assert population_effect_for(value_type, unit) is expected


def test_uncertain_step_widens_the_band_by_combining_both_uncertainties():
    sd0 = 30.0
    baseline = annual_projection(years=1, sd0=sd0)  # one normal period, sd 30
    step = StepChange(-50.0, date(2025, 1, 1), low=-50 - Z95 * 40, high=-50 + Z95 * 40)  # normal, sd 40
    result = apply_scenario(baseline, Scenario("Range", step=step), n_sims=20_000)
    combined = math.hypot(sd0, 40.0)  # 50
    assert result["point"].iloc[0] == pytest.approx(baseline["point"].iloc[0] - 50, abs=1e-9)
    centre = baseline["point"].iloc[0] - 50
    assert result["upper_95"].iloc[0] == pytest.approx(centre + Z95 * combined, rel=0.01)
    assert result["lower_80"].iloc[0] == pytest.approx(centre - Z80 * combined, rel=0.01)
    # The difference from baseline carries only the step's own uncertainty.
    assert result[DIFFERENCE_UPPER_95].iloc[0] == pytest.approx(-50 + Z95 * 40, abs=1.0)
    assert result[DIFFERENCE_LOWER_95].iloc[0] == pytest.approx(-50 - Z95 * 40, abs=1.0)


def test_simulated_limits_stay_ordered_and_bounded():
    baseline = monthly_projection()
    scenario = Scenario("Big cut", step=StepChange(-150.0, date(2026, 6, 1), low=-260.0, high=-100.0))
    result = apply_scenario(baseline, scenario, lower_bound=0.0)
    values = result[["lower_95", "lower_80", "upper_80", "upper_95"]].to_numpy()
    assert (np.diff(values, axis=1) >= 0).all()
    assert (values >= 0).all()


def test_same_seed_gives_identical_results_and_another_seed_differs():
    baseline = monthly_projection()
    scenario = Scenario("Range", step=StepChange(-20.0, date(2026, 6, 1), low=-40.0, high=-5.0))
    first = apply_scenario(baseline, scenario, seed=7)
    pd.testing.assert_frame_equal(first, apply_scenario(baseline, scenario, seed=7))
    other = apply_scenario(baseline, scenario, seed=8)
    assert not np.array_equal(first["upper_95"].to_numpy(), other["upper_95"].to_numpy())
    np.testing.assert_array_equal(first["point"].to_numpy(), other["point"].to_numpy())


@pytest.mark.parametrize(("frame", "message"), [
    (annual_projection().drop(columns="upper_80"), "lacks column"),
    (annual_projection().iloc[0:0], "empty"),
    (annual_projection().assign(point=np.nan), "missing or infinite"),
    (annual_projection().assign(lower_80=5000.0), "out of order"),
])
def test_malformed_projection_frames_are_refused(frame, message):
    with pytest.raises(ScenarioError, match=message):
        apply_scenario(frame, Scenario("Any"))


# ---- target solver -------------------------------------------------------------------------------

@pytest.mark.parametrize(("target_value", "extra"), [
    (900.0, {}),
    (1400.0, {}),
    (900.0, {"step": StepChange(-40.0, date(2027, 1, 1))}),
    (1000.0, {"population": PopulationGrowth(0.5, date(2025, 1, 1))}),
])
def test_target_solver_answer_applied_reaches_the_target(target_value, extra):
    baseline = annual_projection(start_year=2025, years=6)  # 2025 .. 2030
    target = Target(target_value, 2030, date(2026, 1, 1))
    scenario = Scenario("Reach", target=target, **extra)
    solution = solve_target(baseline, scenario, population_effect=PopulationEffect.COUNT)
    # Apply the answer as an ordinary trend lever: it reaches the target in 2030.
    as_trend = Scenario("Answer", trend=TrendChange(solution.pct_per_year, target.start), **extra)
    applied = apply_scenario(baseline, as_trend, population_effect=PopulationEffect.COUNT)
    assert applied["point"].iloc[-1] == pytest.approx(target_value, rel=1e-6)
    # And the target scenario itself gives the same result.
    direct = apply_scenario(baseline, scenario, population_effect=PopulationEffect.COUNT)
    assert direct["point"].iloc[-1] == pytest.approx(target_value, rel=1e-9)
    assert solution.period_start == pd.Timestamp("2030-01-01")


def test_target_solver_gives_the_closed_form_rate():
    baseline = annual_projection(start_year=2025, years=6)  # point in 2030 = 1120
    solution = solve_target(baseline, Scenario("Reach", target=Target(1000.0, 2030, date(2026, 1, 1))))
    assert solution.pct_per_year == pytest.approx(((1000 / 1120) ** (1 / 4) - 1) * 100, rel=1e-12)
    assert solution.baseline_value == pytest.approx(1120.0)


def test_target_in_a_monthly_projection_uses_december_of_the_target_year():
    baseline = monthly_projection()
    solution = solve_target(baseline, Scenario("Reach", target=Target(150.0, 2027, date(2026, 1, 1))))
    assert solution.period_start == pd.Timestamp("2027-12-01")
    applied = apply_scenario(baseline, Scenario("Reach", target=Target(150.0, 2027, date(2026, 1, 1))))
    assert applied.loc[applied[PERIOD_START] == "2027-12-01", "point"].iloc[0] == pytest.approx(150.0)


@pytest.mark.parametrize(("target", "message"), [
    (Target(900.0, 2040, date(2026, 1, 1)), "outside the projection"),
    (Target(-5.0, 2030, date(2026, 1, 1)), "cannot change sign"),
    (Target(100_000.0, 2030, date(2026, 1, 1)), "beyond the ±50% a year"),
    (Target(900.0, 2026, date(2026, 1, 1)), "must be before the target period"),
])
def test_unreachable_targets_are_refused_with_a_reason(target, message):
    with pytest.raises(ScenarioError, match=message):
        solve_target(annual_projection(start_year=2025, years=6), Scenario("Reach", target=target))


# ---- definitions, URL and JSON ---------------------------------------------------------------------

EXAMPLES = (
    Scenario("Early help", trend=TrendChange(-2.0, date(2026, 1, 1))),
    Scenario("New hub (phase 1)", step=StepChange(-50.5, date(2026, 4, 1), low=-80.25, high=-20.0),
             population=PopulationGrowth(0.75, date(2025, 1, 1))),
    Scenario("Reach 1,200".replace(",", ""), target=Target(1200.0, 2030, date(2026, 1, 1)),
             step=StepChange(10.0, date(2027, 1, 1))),
)


def test_scenarios_round_trip_through_the_url_form():
    text = scenarios_to_query(EXAMPLES)
    assert scenarios_from_query(text) == EXAMPLES
    assert text.startswith("n:Early help,t:-2,ts:2026-01~n:New hub (phase 1),s:-50.5,sl:-80.25,sh:-20,")


def test_scenarios_round_trip_through_json():
    assert scenarios_from_json(scenarios_to_json(EXAMPLES)) == EXAMPLES


def test_numbers_are_stored_rounded_so_awkward_values_still_round_trip():
    scenario = Scenario("Third", trend=TrendChange(1 / 3, date(2026, 1, 1)))
    assert scenario.trend.pct_per_year == 0.333333
    assert scenarios_from_query(scenarios_to_query([scenario])) == (scenario,)
    assert scenarios_from_json(scenarios_to_json([scenario])) == (scenario,)


def test_a_name_that_looks_like_code_stays_inert_text():
    (scenario,) = scenarios_from_query("n:os.system('ls')")
    assert scenario.name == "os.system('ls')"
    assert scenario.trend is None and scenario.step is None and scenario.target is None


def test_an_empty_link_means_no_scenarios():
    assert scenarios_from_query("") == ()


@pytest.mark.parametrize(("text", "message"), [
    ("n:A,x:1", "unknown setting 'x'"),
    ("n:A,t:-2", r"trend start \('ts'\) is missing"),
    ("t:-2,ts:2026-01", r"name \('n'\) is missing"),
    ("n:A,t:nan,ts:2026-01", "must be a plain decimal number"),
    ("n:A,t:inf,ts:2026-01", "must be a plain decimal number"),
    ("n:A,t:1e308,ts:2026-01", "must be a plain decimal number"),
    ("n:A,s:99999999999999999999,ss:2026-01", "must be a plain decimal number"),
    ("n:A,s:9999999999999,ss:2026-01", "between -1,000,000,000 and 1,000,000,000"),
    ("n:A,t:75,ts:2026-01", "between -50 and 50"),
    ("n:A,t:-2,ts:2026-13", "has no month 13"),
    ("n:A,t:-2,ts:26-01", "must be a month written YYYY-MM"),
    ("n:A,t:-2,ts:3026-01", "between 1990 and 2100"),
    ("n:A,s:-5,sl:1,sh:2,ss:2026-01", "low ≤ size ≤ high"),
    ("n:A,t:-2,ts:2026-01,g:5,gy:2030,gs:2026-01", "both a trend change and a target"),
    ("n:A,g:5,gy:20x0,gs:2026-01", "four-digit year"),
    ("n:A,t:1,t:2,ts:2026-01", "appears twice"),
    ("n:A~n:B~n:C~n:D", "at most 3"),
    ("n:A~n:a", "different name"),
    ("n:<script>alert(1)</script>", "can only contain letters"),
    ("n:A,__import__('os'):1", "unknown setting '__import__os'"),
    ("n:A,t:__import__('os'),ts:2026-01", "must be a plain decimal number"),
    ("n:Robert'); DROP TABLE x;--", "can only contain letters"),
    ("n:[click](http://evil.example)", "can only contain letters"),
    ("n:" + "x" * 41, "at most 40 characters"),
    ("n:A," + "t:1," * 300, "too long"),
    ("n:A,garbage", "is not a key:value setting"),
    ("n:", "cannot be empty"),
    ("n:Baseline", "reserved"),
    ("n:__import__('os')", "must start with a letter or a digit"),
    ("n:-2-1", "must start with a letter or a digit"),
])
def test_malformed_links_are_rejected_with_a_specific_message(text, message):
    with pytest.raises(ScenarioError, match=message):
        scenarios_from_query(text)


def test_rejection_messages_never_echo_markup_from_the_link():
    with pytest.raises(ScenarioError) as caught:
        scenarios_from_query("n:A,<img src=x onerror=alert(1)>:1")
    text = str(caught.value)
    assert text.startswith("Scenario 1: unknown setting 'imgsrcxonerroralert1' (allowed: n, t,")
    assert not set("<>=") & set(text)
    assert len(scenarios_to_query(EXAMPLES)) < MAX_QUERY_LENGTH


@pytest.mark.parametrize(("text", "message"), [
    ('{"version": 1, "scenarios": [{"name": "A", "trend": {"pct_per_year": NaN, "start": "2026-01"}}]}',
     "NaN"),
    ('{"version": 1, "scenarios": [{"name": "A", "trend": {"pct_per_year": Infinity, "start": "2026-01"}}]}',
     "Infinity"),
    ('{"version": 1, "scenarios": [{"name": "A", "trend": {"pct_per_year": 1e400, "start": "2026-01"}}]}',
     "finite"),
    ('{"version": 1, "scenarios": [{"name": "A", "trend": {"pct_per_year": "2", "start": "2026-01"}}]}',
     "must be a number, not str"),
    ('{"version": 1, "scenarios": [{"name": "A", "trend": {"pct_per_year": true, "start": "2026-01"}}]}',
     "must be a number, not bool"),
    ('{"version": 1, "scenarios": [{"name": "A", "evil": 1}]}', "unknown setting 'evil'"),
    ('{"version": 1, "scenarios": [{"name": "A", "step": {"size": 1}}]}', "'start' is missing"),
    ('{"version": 2, "scenarios": []}', "unsupported 'version'"),
    ('{"version": 1, "scenarios": [' + ",".join(['{"name": "A' + str(i) + '"}' for i in range(4)]) + "]}",
     "At most 3"),
    ("[1, 2", "not valid JSON"),
])
def test_malformed_json_is_rejected_with_a_specific_message(text, message):
    with pytest.raises(ScenarioError, match=message):
        scenarios_from_json(text)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Scenario(42), "name must be text"),
    (lambda: Scenario("A", trend="-2"), "trend must be a TrendChange"),
    (lambda: TrendChange(float("nan"), date(2026, 1, 1)), "finite"),
    (lambda: StepChange(1.0, "2026-01"), "must be a date"),
    (lambda: Target(5.0, 2030.5, date(2026, 1, 1)), "whole year"),
    (lambda: Target(5.0, 2025, date(2026, 1, 1)), "before its start"),
])
def test_definitions_validate_their_own_fields(make, message):
    with pytest.raises(ScenarioError, match=message):
        make()


def test_describe_states_every_assumption():
    baseline = annual_projection(start_year=2025, years=6)
    scenario = Scenario("Mixed", target=Target(1000.0, 2030, date(2026, 1, 1)),
                        step=StepChange(-50.0, date(2027, 1, 1), low=-80.0, high=-20.0))
    text = describe_scenario(scenario, solve_target(baseline, scenario), unit="contacts")
    assert text.startswith("Mixed: target 1,000 contacts in 2030 from Jan 2026 (needs ")
    assert "step change of -50 contacts from Jan 2027 (95% range -80 to -20)" in text
    assert describe_scenario(Scenario("Plain")) == "Plain: no change from the baseline projection."


# ---- table and CSV -------------------------------------------------------------------------------

def test_table_has_baseline_then_each_scenario_for_every_year_of_an_annual_projection():
    baseline = annual_projection(start_year=2025, years=3)
    step = apply_scenario(baseline, Scenario("Step", step=StepChange(-40.0, date(2026, 1, 1))))
    table = tabulate_scenarios(baseline, [("Step", step)], monthly=False)
    assert list(table.columns) == TABLE_COLUMNS
    assert list(table["period"]) == ["2025", "2025", "2026", "2026", "2027", "2027"]
    assert list(table["scenario"]) == ["Baseline", "Step"] * 3
    assert list(table["difference"]) == [0.0, 0.0, 0.0, -40.0, 0.0, -40.0]
    assert table.loc[3, "point"] == pytest.approx(1040.0 - 40.0)


def test_table_of_a_monthly_projection_shows_december_of_each_year():
    baseline = monthly_projection(months=30)  # Jan 2026 .. Jun 2028
    table = tabulate_scenarios(baseline, [], monthly=True)
    assert list(table["period"]) == ["Dec 2026", "Dec 2027", "Jun 2028"]


def test_csv_records_source_licence_and_every_assumption_before_the_table():
    baseline = annual_projection(start_year=2025, years=2)
    scenario = Scenario("Early help", trend=TrendChange(-2.0, date(2025, 1, 1)))
    table = tabulate_scenarios(baseline, [("Early help", apply_scenario(baseline, scenario))], monthly=False)
    text = scenarios_csv(table, title="Claimants, Basildon", source="Claimant count from ONS",
                         licence="Open Government Licence v3.0", assumptions=[describe_scenario(scenario)])
    lines = text.splitlines()
    assert lines[:4] == ["# Claimants, Basildon", "# Source: Claimant count from ONS",
                         "# Licence: Open Government Licence v3.0",
                         "# Assumption - Early help: trend -2% a year relative to the projection from Jan 2025."]
    assert lines[4].startswith("# Scenario ranges combine")
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert list(back.columns) == TABLE_COLUMNS and len(back) == 4
    assert back.loc[3, "point"] == pytest.approx(1040.0 * 0.98, rel=1e-6)


@pytest.mark.parametrize(("scenarios", "expected"), [
    ([], "Projected 1,040 by 2027 if trends continue"),
    ([("Early help", -104.0)], "Early help: 10% below baseline by 2027"),
    ([("Early help", -10.4), ("New hub", 52.0)], "New hub moves most: 5% above baseline by 2027"),
    ([("Tiny", 1.0)], "Tiny: under 1% above baseline by 2027"),
])
def test_headline_finding_names_the_biggest_departure_in_ten_words_or_fewer(scenarios, expected):
    baseline = annual_projection(start_year=2025, years=3).assign(point=1040.0)
    results = [(name, apply_scenario(baseline, Scenario(name, step=StepChange(size, date(2027, 1, 1)))))
               for name, size in scenarios]
    text = headline_finding(tabulate_scenarios(baseline, results, monthly=False))
    assert text == expected
    assert len(text.split()) <= 10


def test_headline_finding_writes_percentages_without_a_space():
    baseline = annual_projection(start_year=2025, years=3, level=3.65, growth=0.0, sd0=0.1)
    assert headline_finding(tabulate_scenarios(baseline, [], monthly=False), unit="%") == \
        "Projected 3.65% by 2027 if trends continue"


def test_projectable_series_need_enough_annual_or_monthly_points():
    observations = pd.DataFrame({
        "indicator_id": ["a"] * 8 + ["a"] * 7 + ["m"] * 24 + ["r"] * 9 + ["a"],
        "area_code": ["X"] * 8 + ["Y"] * 7 + ["X"] * 24 + ["X"] * 9 + ["Z"],
        "value": [1.0] * 48 + [np.nan],
    })
    indicators = pd.DataFrame({"indicator_id": ["a", "m", "r"],
                               "frequency": ["annual", "monthly", "3-year rolling"],
                               "status": ["real", "illustrative", "real"]})
    table = projectable_series(observations, indicators, {Frequency.ANNUAL: 8, Frequency.MONTHLY: 24})
    assert table.to_dict("records") == [
        {"indicator_id": "a", "area_code": "X", "points": 8, "status": "real"},
        {"indicator_id": "m", "area_code": "X", "points": 24, "status": "illustrative"},
    ]


# ---- every range contains its centre -----------------------------------------------------------------

def _assert_ranges_contain_their_centres(result: pd.DataFrame) -> None:
    for lo95, lo80, centre, hi80, hi95 in (
            ("lower_95", "lower_80", "point", "upper_80", "upper_95"),
            (DIFFERENCE_LOWER_95, DIFFERENCE_LOWER_80, DIFFERENCE, DIFFERENCE_UPPER_80, DIFFERENCE_UPPER_95)):
        values = result[[lo95, lo80, centre, hi80, hi95]].to_numpy()
        assert np.isfinite(values).all()
        assert (np.diff(values, axis=1) >= 0).all(), result[[lo95, lo80, centre, hi80, hi95]]


def test_a_lopsided_step_range_keeps_the_centre_inside_it():
    """The audit's case: a step of -1.2 with its range running from the size up to +0.17 was shown as
    '-1.2 (95% range -1.18 to +0.17)'. The size is now the step's median, so the difference's 95% range
    is the range the user gave."""
    baseline = annual_projection(level=3.0, growth=0.0, sd0=0.3)
    step = StepChange(-1.2, date(2025, 1, 1), low=-1.2, high=0.17)
    result = apply_scenario(baseline, Scenario("Lopsided", step=step), lower_bound=0.0)
    _assert_ranges_contain_their_centres(result)
    np.testing.assert_allclose(result[DIFFERENCE], -1.2)
    np.testing.assert_allclose(result[DIFFERENCE_LOWER_95], -1.2)
    np.testing.assert_allclose(result[DIFFERENCE_UPPER_95], 0.17, atol=0.005)


def test_a_step_range_is_read_as_an_equal_tailed_range_around_its_median():
    baseline = annual_projection(years=1, sd0=1e-6)  # next to no projection uncertainty
    step = StepChange(-50.0, date(2025, 1, 1), low=-90.0, high=-40.0)
    result = apply_scenario(baseline, Scenario("Skewed", step=step), n_sims=20_000)
    assert result[DIFFERENCE_LOWER_95].iloc[0] == pytest.approx(-90.0, abs=0.05)
    assert result[DIFFERENCE_UPPER_95].iloc[0] == pytest.approx(-40.0, abs=0.05)
    assert result[DIFFERENCE_LOWER_80].iloc[0] == pytest.approx(-50.0 - 40.0 / Z95 * Z80, abs=0.05)
    assert result[DIFFERENCE_UPPER_80].iloc[0] == pytest.approx(-50.0 + 10.0 / Z95 * Z80, abs=0.05)


def test_a_bound_that_makes_the_difference_dip_still_gives_ranges_around_the_centre():
    """With a floor at 0, a 50% rise and a step of -1, the difference max(1.5 b - 1, 0) - b is lowest at
    b = 2/3, the baseline's median: the equal-tailed range of the difference lies wholly above its centre,
    so the 95% range reported starts at the centre and holds 95% of the simulated differences."""
    baseline = pd.DataFrame({PERIOD_START: pd.to_datetime(["2026-01-01"]), "point": [2 / 3],
                             "lower_80": [0.4], "upper_80": [1.0], "lower_95": [0.1], "upper_95": [1.5]})
    scenario = Scenario("Dip", trend=TrendChange(50.0, date(2025, 1, 1)), step=StepChange(-1.0, date(2025, 1, 1)))
    result = apply_scenario(baseline, scenario, lower_bound=0.0)
    _assert_ranges_contain_their_centres(result)
    assert result[DIFFERENCE].iloc[0] == pytest.approx(-2 / 3)
    assert result[DIFFERENCE_LOWER_95].iloc[0] == pytest.approx(-2 / 3)


_MONTHS = st.integers(min_value=0, max_value=47)


@st.composite
def projections(draw: st.DrawFn) -> pd.DataFrame:
    """Any valid projection frame: annual (calendar or financial-year starts) or monthly, any point, any
    (possibly zero or lopsided) widths."""
    n = draw(st.integers(min_value=1, max_value=8))
    kind = draw(st.sampled_from(["calendar", "financial", "monthly"]))
    first = {"calendar": "2025-01-01", "financial": "2025-11-16", "monthly": "2026-01-01"}[kind]
    periods = pd.date_range(first, periods=n, freq="MS") if kind == "monthly" else \
        pd.DatetimeIndex([pd.Timestamp(first) + pd.DateOffset(years=i) for i in range(n)])
    width = st.floats(min_value=0.0, max_value=500.0, allow_nan=False)
    point = np.array(draw(st.lists(st.floats(min_value=-50.0, max_value=2000.0, allow_nan=False),
                                   min_size=n, max_size=n)))
    gaps = np.array(draw(st.lists(st.tuples(width, width, width, width), min_size=n, max_size=n)))
    return pd.DataFrame({PERIOD_START: periods, "point": point,
                         "lower_80": point - gaps[:, 1], "lower_95": point - gaps[:, 1] - gaps[:, 0],
                         "upper_80": point + gaps[:, 2], "upper_95": point + gaps[:, 2] + gaps[:, 3]})


@st.composite
def lever_settings(draw: st.DrawFn, first: pd.Timestamp) -> Scenario:
    """Any lever settings the tool accepts, starting within four years of the projection's start."""
    def start() -> date:
        month = draw(_MONTHS)
        return date(first.year + (first.month - 1 + month) // 12, (first.month - 1 + month) % 12 + 1, 1)

    trend = draw(st.none() | st.builds(TrendChange, st.floats(-50.0, 50.0), st.just(start())))
    step = None
    if draw(st.booleans()):
        size = draw(st.floats(-800.0, 800.0))
        low = size - draw(st.floats(0.0, 800.0) | st.just(0.0))
        high = size + draw(st.floats(0.0, 800.0) | st.just(0.0))
        step = StepChange(size, start(), low=low, high=high)
    population = draw(st.none() | st.builds(PopulationGrowth, st.floats(-10.0, 10.0), st.just(start())))
    return Scenario("Any", trend=trend, step=step, population=population)


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(baseline=projections(), data=st.data(),
       bounds=st.sampled_from([(None, None), (0.0, None), (0.0, 100.0)]),
       n_sims=st.sampled_from([100, 101, 2000]), seed=st.sampled_from([2025, 7]))
def test_every_range_contains_its_centre_for_any_lever_settings(baseline, data, bounds, n_sims, seed):
    scenario = data.draw(lever_settings(pd.Timestamp(baseline[PERIOD_START].iloc[0])))
    result = apply_scenario(baseline, scenario, population_effect=PopulationEffect.COUNT, n_sims=n_sims,
                            seed=seed, lower_bound=bounds[0], upper_bound=bounds[1])
    _assert_ranges_contain_their_centres(result)


# ---- periods are named like the series' own labels -----------------------------------------------------

def test_a_financial_year_projection_is_tabulated_described_and_refused_in_its_own_labels():
    baseline = annual_projection().assign(period_start=pd.to_datetime([f"{2025 + i}-11-16" for i in range(6)]))
    labeller = period_labeller("annual", "2024/25", pd.Timestamp("2024-11-16"))
    scenario = Scenario("Hub", step=StepChange(-40.0, date(2026, 11, 1)),
                        target=Target(1000.0, 2029, date(2025, 11, 1)))
    solution = solve_target(baseline, scenario, labeller=labeller)
    table = tabulate_scenarios(baseline, [("Hub", apply_scenario(baseline, scenario, labeller=labeller))],
                               monthly=False, labeller=labeller)
    assert list(table["period"].unique()) == ["2025/26", "2026/27", "2027/28", "2028/29", "2029/30", "2030/31"]
    assert headline_finding(table).endswith("by 2030/31")
    assert describe_scenario(scenario, solution, labeller=labeller).startswith(
        "Hub: target 1,000 in 2029/30 from 2025/26 (needs ")
    assert "step change of -40 from 2026/27" in describe_scenario(scenario, labeller=labeller)
    assert "target 1,000 in 2029/30 from 2025/26;" in describe_scenario(scenario, labeller=labeller)
    with pytest.raises(ScenarioError, match=r"outside the projection \(2025/26 to 2030/31\)"):
        solve_target(baseline, Scenario("Far", target=Target(1000.0, 2040, date(2025, 11, 1))), labeller=labeller)
