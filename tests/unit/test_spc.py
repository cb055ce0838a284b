"""XmR limits and the Making Data Count rules on constructed series whose answers are known by hand.

Most series are built on a zig-zag base (12, 10, 12, 10, ...): it crosses its mean at every point, never
rises or falls twice in a row and never comes near a limit, so it fires no rule. A pattern is then put in
the middle, and each test checks that its rule fires on exactly the pattern's points and nowhere else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.schema import PERIOD_LABEL, PERIOD_START, VALUE
from insight.spc import (
    LIMIT_FACTOR,
    SPC_MIN_POINTS,
    Cadence,
    Side,
    SpcError,
    SpcRule,
    XmR,
    assess_spc,
    infer_cadence,
)

ZIGZAG = [12.0, 10.0] * 8  # 16 points, mean 11, ends below the mean
TAIL = [10.0, 12.0, 10.0, 12.0, 10.0]


def series(values: list[float], *, start: str = "2020-01-01", step: str = "MS") -> pd.DataFrame:
    """A series with one period per value (NaN = a missing period), labelled 'p0', 'p1', ..."""
    starts = pd.date_range(start, periods=len(values), freq=step)
    return pd.DataFrame({PERIOD_START: starts, PERIOD_LABEL: [f"p{i}" for i in range(len(values))],
                         VALUE: values})


def chart(values: list[float], **kwargs: object) -> XmR:
    outcome = assess_spc(series(values), Cadence.MONTHLY, **kwargs)  # type: ignore[arg-type]
    assert outcome.xmr is not None, outcome.reason
    return outcome.xmr


def fired(xmr: XmR) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(e.rule.value, e.side.value, e.rows) for e in xmr.episodes]


def test_zigzag_base_fires_no_rule():
    assert fired(chart(ZIGZAG + TAIL)) == []


def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges():
    xmr = chart([1.0, 3.0] * 10)
    assert xmr.mean == pytest.approx(2.0)
    assert xmr.mean_moving_range == pytest.approx(2.0)
    assert xmr.upper_limit == pytest.approx(2.0 + 2.66 * 2.0)
    assert xmr.lower_limit == pytest.approx(2.0 - 2.66 * 2.0)
    assert xmr.upper_near == pytest.approx(2.0 + 2.66 * 2.0 * 2 / 3)
    assert xmr.sigma == pytest.approx(2.0 * LIMIT_FACTOR / 3)
    assert xmr.baseline_text == "all 20 months (p0 to p19)"
    assert not xmr.provisional


def test_limits_from_fewer_than_20_points_are_provisional():
    assert chart([1.0, 3.0] * 8).provisional


# ---- rule 1: beyond the limits -------------------------------------------------------------------------
def test_a_single_high_point_is_beyond_the_upper_limit_and_nothing_else_fires():
    values = [12.0, 10.0] * 10
    values[10] = 30.0  # mean 238/20; moving ranges: 17 of 2 and two of 20, so their mean is 74/19
    xmr = chart(values)
    assert xmr.mean == pytest.approx(11.9)
    assert xmr.upper_limit == pytest.approx(11.9 + 2.66 * 74 / 19)
    assert fired(xmr) == [("beyond_limits", "high", (10,))]


def test_consecutive_points_beyond_the_same_limit_are_one_episode():
    base = [1.0, 3.0] * 10  # limits fixed on these 20 points: 2 +/- 5.32
    xmr = chart(base + [8.0, 9.0, 1.0, 3.0], baseline_points=20)
    beyond = [e for e in xmr.episodes if e.rule is SpcRule.BEYOND_LIMITS]
    assert [(e.side, e.rows) for e in beyond] == [(Side.HIGH, (20, 21))]


@pytest.mark.parametrize(("value", "beyond"), [(2.0 + 2.66 * 2.0, False), (7.33, True),
                                                (2.0 - 2.66 * 2.0, False), (-3.33, True)])
def test_a_point_exactly_on_a_limit_is_not_beyond_it(value, beyond):
    xmr = chart([1.0, 3.0] * 10 + [value, 2.5], baseline_points=20)
    assert (20 in np.flatnonzero(xmr.rows_flagged(SpcRule.BEYOND_LIMITS))) is beyond


def test_locked_limits_test_later_points_against_the_baseline():
    xmr = chart([3.0, 1.0] * 10 + [4.0, 4.5, 4.0, 4.5, 4.0, 4.5, 4.0], baseline_points=20)
    assert xmr.mean == pytest.approx(2.0)
    assert xmr.baseline_text == "the first 20 months (p0 to p19)"
    assert ("run", "high", tuple(range(20, 27))) in fired(xmr)


# ---- rule 2: a run on one side of the mean -------------------------------------------------------------
@pytest.mark.parametrize(("length", "fires"), [(6, False), (7, True), (8, True)])
def test_a_run_fires_from_seven_points_on_one_side(length, fires):
    run = [11.6, 11.4] * 4
    values = ZIGZAG + run[:length] + TAIL  # the run sits between two points below the mean
    xmr = chart(values)
    expected = [("run", "high", tuple(range(16, 16 + length)))] if fires else []
    assert fired(xmr) == expected
    assert all(xmr.mean < v for v in run[:length])


def test_a_run_below_the_mean_fires_low():
    values = [10.0, 12.0] * 8 + [10.4, 10.6] * 4 + [12.0, 10.0, 12.0]
    assert fired(chart(values)) == [("run", "low", tuple(range(16, 24)))]


def test_a_point_exactly_on_the_mean_breaks_a_run():
    # 3 above, one exactly on the mean of 11, 3 above; the rest balances the sum so the mean is exactly 11
    values = [12.0, 10.0] * 6 + [11.5, 11.5, 11.5, 11.0, 11.5, 11.5, 11.5] + [10.0, 12.0, 10.0, 12.0, 9.0, 12.0, 9.0]
    xmr = chart(values)
    assert xmr.mean == 11.0
    assert [r for r in fired(xmr) if r[0] == "run"] == []


def test_a_missing_month_breaks_a_run():
    values = ZIGZAG + [11.6, 11.4, 11.6, 11.4, np.nan, 11.6, 11.4, 11.6] + TAIL
    xmr = chart(values)
    assert [r for r in fired(xmr) if r[0] == "run"] == []


# ---- rule 3: a trend ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("points", "fires"), [(6, False), (7, True)])
def test_a_trend_needs_seven_points_each_higher_than_the_last(points, fires):
    rising = [10.4, 10.6, 10.8, 11.0, 11.2, 11.4, 11.6][:points]
    values = ZIGZAG[:-1] + [12.0] + rising + TAIL  # 12 before (higher than 10.4) and 10 after: the rise is exact
    xmr = chart(values)
    trends = [r for r in fired(xmr) if r[0] == "trend"]
    assert trends == ([("trend", "high", tuple(range(16, 16 + points)))] if fires else [])
    assert [r for r in fired(xmr) if r[0] != "trend"] == []


def test_a_falling_trend_fires_low():
    falling = [11.6, 11.4, 11.2, 11.0, 10.8, 10.6, 10.4]
    values = ZIGZAG + falling + [12.0, 10.0, 12.0]  # 10 before (lower than 11.6) and 12 after
    assert fired(chart(values)) == [("trend", "low", tuple(range(16, 23)))]


def test_an_equal_pair_breaks_a_trend():
    values = ZIGZAG[:-1] + [12.0] + [10.4, 10.6, 10.8, 10.8, 11.0, 11.2, 11.4, 11.6] + TAIL
    assert [r for r in fired(chart(values)) if r[0] == "trend"] == []


def test_a_missing_month_breaks_a_trend():
    values = ZIGZAG[:-1] + [12.0] + [10.4, 10.6, 10.8, np.nan, 11.0, 11.2, 11.4, 11.6] + TAIL
    assert [r for r in fired(chart(values)) if r[0] == "trend"] == []


# ---- rule 4: two of three beyond two sigma -------------------------------------------------------------
@pytest.mark.parametrize(("pattern", "expected"), [
    ([17.0, 11.5, 17.0], [("two_of_three", "high", (16, 18))]),  # near, middle, near
    ([17.0, 17.0], [("two_of_three", "high", (16, 17))]),  # two in a row between two low points
    ([17.0, 9.0, 17.0], [("two_of_three", "high", (16, 18))]),  # the third point may be on the other side
    ([4.5, 11.0, 4.5], [("two_of_three", "low", (16, 18))]),
    ([17.0, 11.5, 11.5, 17.0], []),  # two near points, but not within three in a row
])
def test_two_of_three_points_beyond_two_sigma_on_one_side(pattern, expected):
    xmr = chart(ZIGZAG + pattern + TAIL)
    near = [xmr.frame[VALUE].iloc[r] for e in xmr.episodes for r in e.rows]
    assert all(v > xmr.upper_near or v < xmr.lower_near for v in near)
    assert all(xmr.lower_limit <= v <= xmr.upper_limit for v in near)  # near, not beyond: rule 1 is silent
    assert fired(xmr) == expected


def test_a_point_beyond_the_limit_also_counts_as_beyond_two_sigma():
    values = [1.0, 3.0] * 10 + [6.0, 8.0, 2.0]  # locked limits 2 +/- 5.32; two sigma at 5.55
    xmr = chart(values, baseline_points=20)
    assert ("two_of_three", "high", (20, 21)) in fired(xmr)
    assert ("beyond_limits", "high", (21,)) in fired(xmr)


# ---- minimum length, gaps, cadence -------------------------------------------------------------------------
def test_fourteen_values_are_too_short_for_spc_and_fifteen_are_enough():
    short = assess_spc(series([1.0, 3.0] * 7), Cadence.MONTHLY)
    assert short.xmr is None
    assert short.reason.startswith("Too short for SPC: 14 months with a value; SPC needs at least 15")
    assert assess_spc(series([1.0, 3.0] * 7 + [1.0]), Cadence.MONTHLY).xmr is not None
    assert SPC_MIN_POINTS == 15


def test_missing_values_do_not_count_towards_the_minimum():
    values = [1.0, 3.0] * 7 + [np.nan, np.nan]
    assert assess_spc(series(values), Cadence.MONTHLY).reason.startswith("Too short for SPC: 14 months")


def test_a_gap_breaks_the_moving_range_across_it():
    values = [0.0, 2.0] * 8 + [np.nan] + [100.0, 102.0] * 8  # the jump of 98 spans the gap
    xmr = chart(values)
    assert xmr.mean_moving_range == pytest.approx(2.0)


def test_too_many_gaps_leave_too_few_moving_ranges():
    values = [1.0, np.nan] * 16
    outcome = assess_spc(series(values), Cadence.MONTHLY)
    assert outcome.xmr is None
    assert outcome.reason.startswith("Too many gaps for SPC: only 0 pairs of consecutive months")


def test_a_constant_series_has_no_limits():
    outcome = assess_spc(series([5.0] * 20), Cadence.MONTHLY)
    assert outcome.xmr is None
    assert "never changes" in outcome.reason


def test_annual_series_are_not_put_on_an_spc_chart():
    outcome = assess_spc(series([1.0, 3.0] * 10, step="YS"), Cadence.ANNUAL)
    assert outcome.xmr is None
    assert "monthly and quarterly" in outcome.reason


def test_quarterly_series_use_quarters_in_words():
    outcome = assess_spc(series([1.0, 3.0] * 5, step="QS"), Cadence.QUARTERLY)
    assert outcome.reason.startswith("Too short for SPC: 10 quarters")
    assert assess_spc(series([1.0, 3.0] * 10, step="QS"), Cadence.QUARTERLY).xmr is not None


def test_periods_off_the_quarterly_grid_are_refused():
    frame = series([1.0, 3.0] * 10, step="QS")
    frame.loc[5, PERIOD_START] = frame.loc[5, PERIOD_START] + pd.DateOffset(months=1)
    assert "not evenly spaced" in assess_spc(frame, Cadence.QUARTERLY).reason


def test_two_values_for_one_period_are_an_error():
    frame = series([1.0, 3.0] * 10)
    frame.loc[3, PERIOD_START] = frame.loc[2, PERIOD_START]
    with pytest.raises(SpcError, match=r"two values for the same period \(p2\)"):
        assess_spc(frame, Cadence.MONTHLY)


def test_a_baseline_below_the_minimum_is_an_error():
    with pytest.raises(SpcError, match="at least 15"):
        assess_spc(series([1.0, 3.0] * 10), Cadence.MONTHLY, baseline_points=10)


def test_rows_come_out_in_time_order_whatever_order_they_came_in():
    frame = series(ZIGZAG + TAIL)
    xmr = assess_spc(frame.iloc[::-1], Cadence.MONTHLY).xmr
    assert xmr is not None
    assert list(xmr.frame[PERIOD_LABEL]) == list(frame[PERIOD_LABEL])


@pytest.mark.parametrize(("step", "expected"), [("MS", Cadence.MONTHLY), ("QS", Cadence.QUARTERLY),
                                                ("YS", Cadence.ANNUAL), ("2MS", None)])
def test_cadence_is_inferred_from_the_gaps_between_periods(step, expected):
    assert infer_cadence(series([1.0] * 6, step=step)[PERIOD_START]) == expected


def test_cadence_is_inferred_despite_a_missing_month():
    starts = series([1.0] * 12)[PERIOD_START].drop(index=[4, 5])
    assert infer_cadence(starts) == Cadence.MONTHLY
