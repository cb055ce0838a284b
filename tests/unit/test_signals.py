"""Signals: which rule family a series gets, what each signal says, and the sweep over a whole dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight import schema as s
from insight.loaders import Dataset
from insight.signals import (
    CAVEATS,
    METHOD_NONE,
    METHOD_SPC,
    METHOD_TREND,
    RULE_TEXT,
    Direction,
    Evidence,
    Rule,
    SeriesInfo,
    all_signals,
    annual_trend_signal,
    assess_dataset,
    assess_series,
    count_signals,
    direction_for,
    projection_signal,
    rating_signal,
    signal_table,
)
from insight.spc import Side
from insight.targets import Target, TargetDirection
from insight.versions import COMPARATOR_CODE, PREVIOUS, RATING

ZIGZAG = [12.0, 10.0] * 8


def info(**overrides: object) -> SeriesInfo:
    base: dict[str, object] = dict(indicator_id="demand", area_code="A1", title="Demand", area_name="Area One",
                                   level="district", polarity=s.Polarity.HIGHER_IS_WORSE, unit="contacts per month",
                                   value_type=s.ValueType.COUNT, frequency="monthly")
    base.update(overrides)
    return SeriesInfo(**base)  # type: ignore[arg-type]


def monthly(values: list[float], start: str = "2020-01-01") -> pd.DataFrame:
    starts = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({s.PERIOD_START: starts, s.PERIOD_LABEL: [f"{d:%b %Y}" for d in starts], s.VALUE: values})


def annual(values: list[float], first: int = 2015) -> pd.DataFrame:
    starts = pd.to_datetime([f"{first + i}-01-01" for i in range(len(values))])
    return pd.DataFrame({s.PERIOD_START: starts, s.PERIOD_LABEL: [str(d.year) for d in starts], s.VALUE: values})


@pytest.mark.parametrize(("movement", "polarity", "expected"), [
    (Side.HIGH, s.Polarity.HIGHER_IS_WORSE, Direction.DETERIORATING),
    (Side.LOW, s.Polarity.HIGHER_IS_WORSE, Direction.IMPROVING),
    (Side.HIGH, s.Polarity.HIGHER_IS_BETTER, Direction.IMPROVING),
    (Side.LOW, s.Polarity.HIGHER_IS_BETTER, Direction.DETERIORATING),
    (Side.HIGH, s.Polarity.NEITHER, Direction.NEITHER),
    (Side.LOW, s.Polarity.NEITHER, Direction.NEITHER),
])
def test_direction_follows_the_indicators_polarity(movement, polarity, expected):
    assert direction_for(movement, polarity) is expected


# ---- SPC signals ----------------------------------------------------------------------------------------
def test_a_current_run_above_the_mean_is_a_deteriorating_signal_with_its_evidence():
    values = ZIGZAG + [11.6, 11.4] * 4  # the series ends with an 8-month run above the mean
    result = assess_series(info(), monthly(values))
    assert result.method == METHOD_SPC and result.reason == ""
    [signal] = result.signals
    assert signal.rule is Rule.RUN and signal.movement is Side.HIGH
    assert signal.direction is Direction.DETERIORATING
    assert [e.period_label for e in signal.evidence] == [f"{d:%b %Y}" for d in
                                                         pd.date_range("2021-05-01", periods=8, freq="MS")]
    assert [e.value for e in signal.evidence] == [11.6, 11.4] * 4
    assert signal.finding.startswith("Demand in Area One: 8 months in a row were above the average of ")
    assert signal.finding.endswith("(May 2021 to Dec 2021).")
    assert signal.when == pd.Timestamp("2021-12-01")
    assert signal.rule_text == RULE_TEXT[Rule.RUN]
    assert signal.caveat.startswith(CAVEATS[Rule.RUN])


def test_the_same_run_is_improving_when_higher_is_better():
    values = ZIGZAG + [11.6, 11.4] * 4
    [signal] = assess_series(info(polarity=s.Polarity.HIGHER_IS_BETTER), monthly(values)).signals
    assert signal.direction is Direction.IMPROVING


@pytest.mark.parametrize(("months_after", "current"), [(0, True), (2, True), (3, False), (6, False)])
def test_only_patterns_ending_in_the_latest_three_periods_are_signals(months_after, current):
    values = [12.0, 10.0] * 10 + [30.0] + [12.0, 10.0, 12.0, 10.0, 12.0, 10.0][:months_after]
    result = assess_series(info(), monthly(values))
    assert result.xmr is not None
    assert [e.rule.value for e in result.xmr.episodes] == ["beyond_limits"]  # always on the chart
    assert [x.rule for x in result.signals] == ([Rule.BEYOND_LIMITS] if current else [])


def test_a_point_beyond_the_limit_is_described_with_the_limit():
    values = [12.0, 10.0] * 10 + [30.0]
    [signal] = assess_series(info(), monthly(values)).signals
    assert signal.rule is Rule.BEYOND_LIMITS
    assert signal.evidence[0].value == 30.0 and signal.evidence[0].period_label == "Sep 2021"
    assert signal.finding.startswith("Demand in Area One: Sep 2021 was above the upper process limit (30.0 contacts "
                                     "per month; limit ")
    assert signal.magnitude > 3  # further than three sigma from the mean


def test_provisional_limits_are_said_in_the_caveat():
    values = [12.5, 10.0] * 9 + [30.0]  # 19 points, mean 232.5/19: the zig-zag still crosses it
    [signal] = assess_series(info(), monthly(values)).signals
    assert signal.rule is Rule.BEYOND_LIMITS
    assert "The limits rest on only 19 months, so they are provisional." in signal.caveat


def test_one_high_point_in_a_short_series_can_lift_the_mean_above_every_other_point():
    """A known property of SPC on short series: the outlier drags the mean, and a run below it fires too."""
    values = [12.0, 10.0] * 8 + [30.0]  # mean 206/17 > 12
    signals = assess_series(info(), monthly(values)).signals
    assert [(x.rule, len(x.evidence)) for x in signals] == [(Rule.RUN, 16), (Rule.BEYOND_LIMITS, 1)]


def test_a_monthly_series_of_twelve_points_is_too_short_for_spc():
    result = assess_series(info(), monthly([1.0, 2.0] * 6))
    assert result.method == METHOD_NONE and result.signals == ()
    assert result.reason.startswith("Too short for SPC: 12 months with a value")


def test_illustrative_series_say_so_in_name_and_caveat():
    values = ZIGZAG + [11.6, 11.4] * 4
    [signal] = assess_series(info(status=s.Status.ILLUSTRATIVE), monthly(values)).signals
    assert "(illustrative, not real)" in signal.finding
    assert signal.caveat.endswith("Illustrative data, not real.")


def test_an_uploaded_series_without_a_frequency_is_tested_at_its_inferred_cadence():
    starts = pd.date_range("2018-01-01", periods=24, freq="QS")
    frame = pd.DataFrame({s.PERIOD_START: starts, s.PERIOD_LABEL: [f"Q{i}" for i in range(24)],
                          s.VALUE: [12.0, 10.0] * 12})
    result = assess_series(info(frequency=""), frame)
    assert result.method == METHOD_SPC
    assert result.xmr is not None and result.xmr.cadence.value == "quarterly"


@pytest.mark.parametrize(("frequency", "reason"), [
    (s.Frequency.SNAPSHOT, "A single snapshot"),
    (s.Frequency.ROLLING_3_YEAR, "Rolling averages overlap"),
    (s.Frequency.EDITIONS, "Irregular editions"),
])
def test_series_without_a_test_say_why(frequency, reason):
    result = assess_series(info(frequency=frequency.value), annual([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    assert result.method == METHOD_NONE and result.signals == ()
    assert result.reason.startswith(reason)


# ---- annual trend (S5) --------------------------------------------------------------------------------
def test_a_clear_five_year_rise_is_a_signal_getting_worse_when_higher_is_worse():
    frame = annual([3.0, 3.0, 3.0, 3.1, 3.4, 3.8, 4.1, 4.5, 4.9])
    result = assess_series(info(frequency="annual", unit="%", value_type=s.ValueType.PROPORTION), frame)
    assert result.method == METHOD_TREND
    [signal] = result.signals
    assert signal.rule is Rule.ANNUAL_TREND and signal.direction is Direction.DETERIORATING
    assert [e.period_label for e in signal.evidence] == ["2019", "2020", "2021", "2022", "2023"]
    assert signal.finding == ("Demand in Area One: rising over the latest 5 years, getting worse (2019 to 2023: "
                              "3.4% to 4.9%).")
    assert signal.magnitude == pytest.approx(0.37 * 4 / np.mean([3.4, 3.8, 4.1, 4.5, 4.9]))


def test_a_clear_fall_of_a_neither_indicator_has_no_direction():
    signal, marker = annual_trend_signal(info(frequency="annual", polarity=s.Polarity.NEITHER),
                                         annual([9.0, 8.1, 7.0, 6.2, 5.0]))
    assert signal is not None and signal.direction is Direction.NEITHER and signal.movement is Side.LOW
    assert marker.judgement is None


def test_no_significant_change_is_no_signal():
    result = assess_series(info(frequency="annual"), annual([3.0, 3.4, 2.9, 3.5, 3.0, 3.3]))
    assert result.method == METHOD_TREND and result.signals == ()
    assert result.marker is not None and result.marker.direction == "no significant change"


def test_four_annual_points_are_too_few_for_a_trend_test():
    result = assess_series(info(frequency="annual"), annual([1.0, 2.0, 3.0, 4.0]))
    assert result.method == METHOD_NONE
    assert result.reason == "No trend test: fewer than 5 comparable annual points (4)."


def test_a_missing_year_restarts_the_five_consecutive_points():
    frame = annual([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    frame.loc[5, s.VALUE] = np.nan  # 2020 missing: only 2021-2022 follow it
    result = assess_series(info(frequency="annual"), frame)
    assert result.reason == "No trend test: fewer than 5 comparable annual points (2)."


def test_a_break_in_the_series_stops_the_trend_test():
    result = assess_series(info(frequency="annual", has_break=True), annual([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    assert result.signals == () and "break" in result.reason


# ---- projection against a target ---------------------------------------------------------------------
def projection(lower: list[float], upper: list[float], first: int = 2026) -> pd.DataFrame:
    starts = pd.to_datetime([f"{first + i}-01-01" for i in range(len(lower))])
    mid = [(a + b) / 2 for a, b in zip(lower, upper, strict=True)]
    return pd.DataFrame({s.PERIOD_START: starts, "point": mid, "lower_80": lower, "upper_80": upper,
                         "lower_95": [v - 1 for v in lower], "upper_95": [v + 1 for v in upper]})


CEILING = Target("demand", 10.0, TargetDirection.AT_MOST, "Plan ceiling", "Policy team")
FLOOR = Target("demand", 10.0, TargetDirection.AT_LEAST, "Plan floor", "Policy team")
ANNUAL_INFO = info(frequency="annual", unit="%", value_type=s.ValueType.PROPORTION)


def test_a_range_reaching_above_a_ceiling_is_a_signal_from_the_first_such_year():
    frame = projection([7.0, 8.0, 9.0, 10.5], [9.0, 10.0, 11.0, 12.5])  # upper passes 10 in 2028; whole in 2029
    signal = projection_signal(ANNUAL_INFO, frame, CEILING)
    assert signal is not None
    assert signal.rule is Rule.PROJECTION_TARGET and signal.movement is Side.HIGH
    assert signal.direction is Direction.DETERIORATING
    assert signal.when == pd.Timestamp("2028-01-01")
    assert [e.period_label for e in signal.evidence] == ["2028", "2029"]
    assert signal.evidence[0].note == "projected; 80% range 9.0% to 11.0%"
    assert signal.finding == ("Demand in Area One: the projection's 80% range reaches above Plan ceiling (at most "
                              "10.0%) by 2028; by 2029 the whole 80% range is above it.")
    assert signal.magnitude == pytest.approx(0.25)
    assert "Target set by Policy team." in signal.caveat


def test_a_range_that_only_touches_the_ceiling_is_no_signal():
    assert projection_signal(ANNUAL_INFO, projection([7.0, 8.0], [9.0, 10.0]), CEILING) is None


def test_a_range_reaching_below_a_floor_is_a_signal():
    signal = projection_signal(info(frequency="annual", polarity=s.Polarity.HIGHER_IS_BETTER),
                               projection([11.0, 9.5], [13.0, 12.0]), FLOOR)
    assert signal is not None and signal.movement is Side.LOW and signal.direction is Direction.DETERIORATING
    assert [e.period_label for e in signal.evidence] == ["2027"]


def test_a_series_already_past_the_line_says_so():
    observed = Evidence(pd.Timestamp("2025-01-01"), "2025", 10.4, "latest observed")
    signal = projection_signal(ANNUAL_INFO, projection([9.0], [11.0]), CEILING, last_observed=observed)
    assert signal is not None
    assert signal.finding.startswith("Demand in Area One: is already above Plan ceiling (at most 10.0%) "
                                     "(10.4% in 2025), and the projection's 80% range reaches above")
    assert signal.evidence[0] == observed
    assert signal.when == pd.Timestamp("2026-01-01")


def test_projection_signals_need_a_target_that_applies():
    frame = annual([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    proj = projection([7.0, 8.0], [11.0, 12.0])
    other = Target("something_else", 10.0, TargetDirection.AT_MOST, "Other", "Me")
    elsewhere = Target("demand", 10.0, TargetDirection.AT_MOST, "Other area", "Me", area_code="A2")
    for targets in ((), (other,), (elsewhere,)):
        result = assess_series(info(frequency="annual"), frame, projection=proj, targets=targets)
        assert [x.rule for x in result.signals] == [Rule.ANNUAL_TREND]
    result = assess_series(info(frequency="annual"), frame, projection=proj, targets=(CEILING,))
    assert [x.rule for x in result.signals] == [Rule.ANNUAL_TREND, Rule.PROJECTION_TARGET]


# ---- rating changes --------------------------------------------------------------------------------------
def change_row(before: str, after: str) -> dict[str, object]:
    return {s.AREA_CODE: "A1", s.INDICATOR_ID: "demand", COMPARATOR_CODE: "E", PREVIOUS + s.PERIOD_START:
            pd.Timestamp("2023-01-01"), PREVIOUS + s.PERIOD_LABEL: "2023", PREVIOUS + s.VALUE: 3.1,
            PREVIOUS + RATING: before, s.PERIOD_START: pd.Timestamp("2024-01-01"), s.PERIOD_LABEL: "2024",
            s.VALUE: 3.6, RATING: after}


@pytest.mark.parametrize(("polarity", "before", "after", "direction", "steps"), [
    (s.Polarity.HIGHER_IS_WORSE, "Similar", "Worse", Direction.DETERIORATING, 1),
    (s.Polarity.HIGHER_IS_WORSE, "Better", "Worse", Direction.DETERIORATING, 2),
    (s.Polarity.HIGHER_IS_WORSE, "Worse", "Similar", Direction.IMPROVING, 1),
    (s.Polarity.HIGHER_IS_BETTER, "Better", "Similar", Direction.DETERIORATING, 1),
    (s.Polarity.NEITHER, "Lower", "Higher", Direction.NEITHER, 2),
])
def test_a_rating_that_moved_is_a_signal_in_the_polarity_direction(polarity, before, after, direction, steps):
    signal = rating_signal(info(polarity=polarity, unit="%", value_type=s.ValueType.PROPORTION),
                           change_row(before, after), "England")
    assert signal is not None
    assert signal.rule is Rule.RATING_CHANGE and signal.direction is direction and signal.magnitude == steps
    assert [e.period_label for e in signal.evidence] == ["2023", "2024"]


def test_a_rating_change_reads_plainly():
    signal = rating_signal(info(unit="%", value_type=s.ValueType.PROPORTION), change_row("Similar", "Worse"),
                           "England")
    assert signal is not None
    assert signal.finding == ("Demand in Area One: now worse than England (3.6% in 2024); the previous data said "
                              "similar to England (3.1% in 2023). 95% confidence.")


def test_ratings_off_the_indicators_scale_are_not_signals():
    assert rating_signal(info(polarity=s.Polarity.NEITHER), change_row("Better", "Worse"), "England") is None


# ---- a whole dataset ----------------------------------------------------------------------------------------
def small_dataset() -> Dataset:
    areas = pd.DataFrame({s.AREA_CODE: ["E", "C", "D1", "L1"], s.AREA_NAME: ["England", "County", "District", "L"],
                          s.LEVEL: ["england", "county", "district", "lsoa"]})
    indicators = pd.DataFrame({s.INDICATOR_ID: ["m", "y", "snap"], s.SHORT_TITLE: ["Monthly", "Yearly", "Snap"],
                               s.UNIT: ["count", "%", "%"], s.VALUE_TYPE: ["count", "proportion", "proportion"],
                               s.POLARITY: ["higher_is_worse", "higher_is_better", "neither"],
                               s.FREQUENCY: ["monthly", "annual", "snapshot"], s.STATUS: ["real"] * 3,
                               s.SOURCE: ["Test"] * 3})
    frames = []
    for code in ("C", "D1"):
        m = monthly(ZIGZAG + ([11.6, 11.4] * 4 if code == "D1" else [12.0, 10.0] * 4))
        frames.append(m.assign(**{s.AREA_CODE: code, s.INDICATOR_ID: "m"}))
        y = annual([50.0, 51.0, 52.0, 53.0, 54.5, 55.0] if code == "C" else [50.0, 49.0, 51.0, 50.0, 50.5, 49.5])
        frames.append(y.assign(**{s.AREA_CODE: code, s.INDICATOR_ID: "y"}))
    frames.append(annual([20.0]).assign(**{s.AREA_CODE: "L1", s.INDICATOR_ID: "snap"}))
    return Dataset(areas, indicators, pd.concat(frames, ignore_index=True))


def test_assess_dataset_tests_every_series_outside_lsoas():
    data = small_dataset()
    result = assess_dataset(data.observations, data.indicators, data.areas)
    assert [(a.series.indicator_id, a.series.area_code, a.method) for a in result] == [
        ("m", "C", METHOD_SPC), ("m", "D1", METHOD_SPC), ("y", "C", METHOD_TREND), ("y", "D1", METHOD_TREND)]
    assert [(x.series.area_code, x.rule) for x in all_signals(result)] == [("D1", Rule.RUN), ("C", Rule.ANNUAL_TREND)]


def test_assess_dataset_adds_rating_changes_with_the_comparator_name():
    data = small_dataset()
    row = change_row("Similar", "Worse") | {s.AREA_CODE: "D1", s.INDICATOR_ID: "y"}
    result = assess_dataset(data.observations, data.indicators, data.areas, rating_changes=pd.DataFrame([row]))
    rating = [x for x in all_signals(result) if x.rule is Rule.RATING_CHANGE]
    assert len(rating) == 1 and "worse than England" in rating[0].finding


def test_count_signals_counts_series_and_signals_per_level():
    data = small_dataset()
    counts = count_signals(assess_dataset(data.observations, data.indicators, data.areas))
    summary = counts.groupby(s.LEVEL)[["signals", "deteriorating", "improving"]].sum()
    assert summary.to_dict("index") == {"county": {"signals": 1, "deteriorating": 0, "improving": 1},
                                        "district": {"signals": 1, "deteriorating": 1, "improving": 0}}
    assert len(counts) == 4  # one row per series


def test_the_signal_table_has_one_row_per_signal():
    data = small_dataset()
    table = signal_table(all_signals(assess_dataset(data.observations, data.indicators, data.areas)))
    assert table[["area_code", "rule", "direction"]].values.tolist() == [["D1", "run", "deteriorating"],
                                                                         ["C", "annual_trend", "improving"]]


def test_values_that_round_alike_get_more_decimals():
    series = info(unit="£ million", value_type=s.ValueType.MEAN)
    assert series.fmt_pair(0.21, 0.24) == ("£0.21 million", "£0.24 million")
    assert series.fmt_pair(0.2, 0.2) == ("£0.2 million", "£0.2 million")


def test_every_signal_on_the_committed_data_names_its_series_and_evidence(dataset):
    result = assess_dataset(dataset.observations, dataset.indicators, dataset.areas)
    signals = all_signals(result)
    assert signals, "the Essex data fire some signals"
    names = dict(zip(dataset.areas[s.AREA_CODE], dataset.areas[s.AREA_NAME], strict=True))
    for signal in signals:
        assert signal.finding.startswith(f"{signal.series.title} in {names[signal.series.area_code]}")
        assert signal.evidence and all(e.period_label and np.isfinite(e.value) for e in signal.evidence)
        assert signal.evidence[-1].period_start == signal.when
        assert signal.caveat
    spc = [a for a in result if a.xmr is not None]
    for a in spc:  # current means: the pattern ends within the latest three periods
        latest = a.xmr.frame[s.PERIOD_START].max()
        assert all((latest - x.when).days < 92 for x in a.signals)
