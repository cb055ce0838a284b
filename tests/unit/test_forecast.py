"""insight.forecast: refusals, bounds, interval order, determinism, back-test and calibration.

Prophet fits cost ~40 ms each and a projection makes five, so Prophet-backed projections are built once
per module (fixtures) and the statistical checks that need hundreds of series use the naive methods only.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from insight.errors import ForecastError
from insight.forecast import (
    MIN_HISTORY,
    PROJECTION_COLUMNS,
    Backtest,
    Projection,
    backtest_series,
    project_series,
)
from insight.forecast.backtest import origin_indices
from insight.forecast.calibration import calibrate
from insight.forecast.models import predict_naive_drift, predict_naive_last
from insight.forecast.precompute import HORIZON_STEP, PROJECTION_FILE_COLUMNS, precompute, series_tasks
from insight.forecast.project import project_prepared
from insight.forecast.series import Transform, prepare_series
from insight.schema import Frequency, ValueType

ANNUAL, MONTHLY = Frequency.ANNUAL, Frequency.MONTHLY


def annual(values, start: int = 2005, month: int = 11, day: int = 16) -> pd.DataFrame:
    """An annual history starting in ``start`` (ONS-style mid-November period starts)."""
    dates = [pd.Timestamp(year=start + i, month=month, day=day) for i in range(len(values))]
    return pd.DataFrame({"period_start": dates, "value": np.asarray(values, dtype=float)})


def monthly(values, start: str = "2020-01-01") -> pd.DataFrame:
    return pd.DataFrame({"period_start": pd.date_range(start, periods=len(values), freq="MS"),
                         "value": np.asarray(values, dtype=float)})


RNG = np.random.default_rng(20250101)
TREND_PERCENT = 40 + 1.5 * np.arange(14) + RNG.normal(0, 0.6, 14)
NEAR_100_PERCENT = np.minimum(99.4, 88 + 0.9 * np.arange(14) + RNG.normal(0, 0.3, 14))
NEAR_0_PERCENT = np.maximum(0.2, 6 - 0.45 * np.arange(14) + RNG.normal(0, 0.15, 14))
FALLING_COUNT = np.maximum(1.0, 400 - 30 * np.arange(12) + RNG.normal(0, 8, 12))
FALLING_SCORE = 3 - 0.6 * np.arange(12) + RNG.normal(0, 0.2, 12)


@pytest.fixture(scope="module")
def projections() -> dict[str, Projection]:
    """One Prophet-backed projection per synthetic case, fitted once for the whole module."""
    cases = {
        "trend_percent": (TREND_PERCENT, ValueType.PROPORTION),
        "near_100_percent": (NEAR_100_PERCENT, ValueType.PROPORTION),
        "near_0_percent": (NEAR_0_PERCENT, ValueType.PROPORTION),
        "falling_count": (FALLING_COUNT, ValueType.COUNT),
        "falling_score": (FALLING_SCORE, ValueType.SCORE),
    }
    return {name: project_series(annual(values), frequency=ANNUAL, horizon=5, value_type=vt)
            for name, (values, vt) in cases.items()}


# ---- refusals ---------------------------------------------------------------------------------

def test_refuses_a_short_annual_series_with_an_exact_message():
    with pytest.raises(ForecastError) as info:
        project_series(annual([1, 2, 3, 4, 5]), frequency=ANNUAL, horizon=3, value_type=ValueType.RATE)
    assert str(info.value) == "Needs at least 8 annual points to project; this series has 5."


def test_refuses_a_short_monthly_series_with_an_exact_message():
    with pytest.raises(ForecastError) as info:
        project_series(monthly(np.arange(20) + 1.0), frequency=MONTHLY, horizon=6, value_type=ValueType.COUNT)
    assert str(info.value) == "Needs at least 24 monthly points to project; this series has 20."


def test_missing_values_do_not_count_towards_the_minimum_history():
    values = [1, 2, np.nan, 4, 5, np.nan, 7, 8, 9]
    with pytest.raises(ForecastError, match="this series has 7"):
        project_series(annual(values), frequency=ANNUAL, horizon=3, value_type=ValueType.RATE)


@pytest.mark.parametrize(("frequency", "words"), [
    (Frequency.ROLLING_3_YEAR, "this is a 3-year rolling series"),
    (Frequency.ROLLING_5_YEAR, "this is a 5-year rolling series"),
    (Frequency.SNAPSHOT, "this is a snapshot series"),
    (Frequency.EDITIONS, "irregular editions"),
])
def test_refuses_rolling_snapshot_and_edition_series(frequency, words):
    with pytest.raises(ForecastError, match=words):
        project_series(annual(np.arange(12) + 1.0), frequency=frequency, horizon=3, value_type=ValueType.RATE)


def test_refuses_two_values_for_the_same_year():
    history = annual(np.arange(10) + 1.0)
    history.loc[9, "period_start"] = pd.Timestamp("2013-03-01")  # 2013 already holds a value
    with pytest.raises(ForecastError, match="more than one value for the year 2013"):
        project_series(history, frequency=ANNUAL, horizon=3, value_type=ValueType.RATE)


@pytest.mark.parametrize(("value", "value_type", "words"), [
    (-1.0, ValueType.COUNT, "below the lower bound 0 for a count, so no projection is made"),
    (101.0, ValueType.PROPORTION, "above the upper bound 100 for a proportion"),
])
def test_refuses_values_outside_their_natural_bounds(value, value_type, words):
    values = np.full(10, 50.0)
    values[3] = value
    with pytest.raises(ForecastError, match=words):
        project_series(annual(values), frequency=ANNUAL, horizon=3, value_type=value_type)


@pytest.mark.parametrize("horizon", [0, 11])
def test_refuses_a_horizon_outside_one_to_ten_years(horizon):
    with pytest.raises(ForecastError, match="between 1 and 10 years"):
        project_series(annual(TREND_PERCENT), frequency=ANNUAL, horizon=horizon, value_type=ValueType.PROPORTION)


# ---- preparation ------------------------------------------------------------------------------

def test_missing_years_are_gaps_on_the_grid_not_zeros():
    history = annual(np.arange(10) + 10.0).drop(index=[3, 5])  # no 2008, no 2010
    prepared = prepare_series(history, frequency=ANNUAL, value_type=ValueType.RATE)
    assert prepared.positions.tolist() == [0, 1, 2, 4, 6, 7, 8, 9]
    assert prepared.values.min() == 10.0
    assert any("2 missing year(s) (2008, 2010) are gaps, not zeros" in note for note in prepared.notes)


def test_nan_values_are_dropped_with_a_note():
    prepared = prepare_series(annual([5, 6, np.nan, 8, 9, 10, 11, 12, 13]), frequency=ANNUAL,
                              value_type=ValueType.RATE)
    assert prepared.n == 8
    assert prepared.notes[0] == "1 period(s) with no published value were left out (treated as gaps, not zeros)."


@pytest.mark.parametrize(("value_type", "kind"), [
    (ValueType.PROPORTION, "logit"), (ValueType.RATE, "log"), (ValueType.COUNT, "log"),
    (ValueType.MEAN, "log"), (ValueType.SCORE, "identity"),
])
def test_each_value_type_is_modelled_on_its_bounding_scale(value_type, kind):
    prepared = prepare_series(annual(np.linspace(20, 30, 10)), frequency=ANNUAL, value_type=value_type)
    assert prepared.transform.kind == kind


def test_a_value_on_the_bound_falls_back_to_clipping_and_says_so():
    values = np.array([3, 2, 1, 0, 1, 2, 1, 0, 1, 2], dtype=float)
    prepared = prepare_series(annual(values), frequency=ANNUAL, value_type=ValueType.COUNT)
    assert prepared.transform.kind == "identity"
    assert "projections are cut off at 0" in prepared.notes[-1]


@pytest.mark.parametrize("transform", [Transform("logit", 0.0, 100.0), Transform("log", 0.0, None),
                                       Transform("neg_log", None, 10.0), Transform("identity", None, None)])
def test_transforms_round_trip(transform):
    x = np.array([0.5, 3.0, 7.25, 9.9])
    np.testing.assert_allclose(transform.inverse(transform.forward(x)), x, rtol=1e-12)


# ---- methods ----------------------------------------------------------------------------------

def test_naive_methods_give_the_textbook_values():
    positions, z, future = np.array([0, 1, 2, 4]), np.array([1.0, 3.0, 4.0, 9.0]), np.array([5, 7])
    np.testing.assert_array_equal(predict_naive_last(positions, z, future), [9.0, 9.0])
    np.testing.assert_allclose(predict_naive_drift(positions, z, future), [11.0, 15.0])  # slope (9-1)/4 = 2


def test_back_test_origins_are_the_latest_four_before_the_last_point():
    prepared = prepare_series(annual(np.arange(12) + 1.0), frequency=ANNUAL, value_type=ValueType.RATE)
    assert origin_indices(prepared, 4) == [7, 8, 9, 10]


def test_calibration_widens_with_worse_back_test_errors_and_higher_levels():
    good, bad = calibrate(np.full(9, 0.5)), calibrate(np.full(9, 2.0))
    assert good.multipliers[0.80] < bad.multipliers[0.80]
    assert good.multipliers[0.80] < good.multipliers[0.95]


# ---- projections (Prophet-backed, fitted once) ------------------------------------------------

def test_projection_frame_has_the_public_columns_and_periods(projections):
    frame = projections["trend_percent"].frame
    assert list(frame.columns) == PROJECTION_COLUMNS
    assert frame["period_start"].tolist() == [pd.Timestamp(year=y, month=11, day=16) for y in range(2019, 2024)]


@pytest.mark.parametrize("case", ["trend_percent", "near_100_percent", "near_0_percent", "falling_count",
                                  "falling_score"])
def test_intervals_are_ordered_and_do_not_narrow_with_the_horizon(projections, case):
    f = projections[case].frame
    assert (f["lower_95"] <= f["lower_80"]).all()
    assert (f["lower_80"] <= f["point"]).all()
    assert (f["point"] <= f["upper_80"]).all()
    assert (f["upper_80"] <= f["upper_95"]).all()
    kind = {"falling_count": "log", "falling_score": "identity"}.get(case, "logit")
    bounds = (0.0, 100.0) if kind == "logit" else (0.0, None) if kind == "log" else (None, None)
    scale = Transform(kind, *bounds)  # ranges widen with the horizon on the modelling scale
    width = scale.forward(f["upper_80"].to_numpy()) - scale.forward(f["lower_80"].to_numpy())
    assert (np.diff(width) >= -1e-9).all()


@pytest.mark.parametrize("case", ["near_100_percent", "near_0_percent", "trend_percent"])
def test_percentages_are_never_projected_outside_0_to_100(projections, case):
    f = projections[case].frame[["point", "lower_80", "upper_80", "lower_95", "upper_95"]]
    assert (f >= 0).all().all() and (f <= 100).all().all()


def test_counts_are_never_projected_below_zero(projections):
    f = projections["falling_count"].frame[["point", "lower_80", "upper_80", "lower_95", "upper_95"]]
    assert (f > 0).all().all()


def test_scores_may_be_projected_below_zero(projections):
    assert projections["falling_score"].frame["point"].iloc[-1] < 0


def test_projection_is_deterministic_for_a_seed(projections):
    again = project_series(annual(TREND_PERCENT), frequency=ANNUAL, horizon=5, value_type=ValueType.PROPORTION)
    pd.testing.assert_frame_equal(again.frame, projections["trend_percent"].frame)
    assert again.backtest == projections["trend_percent"].backtest
    assert again.caveats == projections["trend_percent"].caveats


def test_caveats_lead_with_the_word_projection_and_what_it_ignores(projections):
    first = projections["trend_percent"].caveats[0]
    assert first.startswith("This is a projection")
    assert "policy changes" in first and "shocks" in first


def test_back_test_summary_states_errors_as_a_share_of_the_naive_method(projections):
    backtest = projections["trend_percent"].backtest
    assert isinstance(backtest, Backtest)
    assert backtest.n_origins == 4
    assert re.search(r"errors were about \d+% of", backtest.summary)


def test_a_method_that_loses_to_naive_is_named_in_the_caveats(projections):
    for projection in projections.values():
        if projection.method != "prophet":
            assert any("did not beat a naive baseline" in c for c in projection.caveats)
        assert projection.method == projection.backtest.chosen_method


def test_annual_series_get_no_yearly_seasonality(monkeypatch):
    import insight.forecast.models as models

    seen: list[dict] = []
    real = models._import_prophet()

    class Recording(real):
        def __init__(self, **kwargs):
            seen.append(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(models, "_import_prophet", lambda: Recording)
    project_series(annual(TREND_PERCENT), frequency=ANNUAL, horizon=2, value_type=ValueType.PROPORTION)
    assert seen and all(k["yearly_seasonality"] is False for k in seen)


def test_monthly_series_keep_their_yearly_pattern():
    months = np.arange(36)
    values = 100 + 30 * np.sin(2 * np.pi * months / 12) + 0.5 * months
    projection = project_series(monthly(values), frequency=MONTHLY, horizon=12, value_type=ValueType.COUNT)
    expected = 100 + 30 * np.sin(2 * np.pi * (months[-1] + 1 + np.arange(12)) / 12) + 0.5 * (36 + np.arange(12))
    assert projection.method == "prophet"
    assert np.corrcoef(projection.frame["point"], expected)[0, 1] > 0.95


# ---- back-test on series where the answer is known --------------------------------------------

def test_an_exact_straight_line_is_projected_exactly_by_drift():
    line = annual(10 + 2.0 * np.arange(12))
    backtest = backtest_series(line, frequency=ANNUAL, value_type=ValueType.SCORE)
    assert backtest.mase_drift == pytest.approx(0.0, abs=1e-9)
    assert backtest.mase_naive_last == pytest.approx(16 / 9)  # scaled errors 1; 1,2; 1,2,3; 1,2,3
    assert backtest.chosen_method in ("prophet", "naive_drift")


def test_trend_plus_noise_is_projected_better_by_a_trend_method_than_by_naive_last():
    rng = np.random.default_rng(3)
    series = annual(50 + 3.0 * np.arange(15) + rng.normal(0, 1.0, 15))
    backtest = backtest_series(series, frequency=ANNUAL, value_type=ValueType.SCORE)
    assert backtest.mase_drift < backtest.mase_naive_last
    assert backtest.mase_prophet < backtest.mase_naive_last
    assert backtest.chosen_method in ("prophet", "naive_drift")
    assert "errors were about" in backtest.summary


def test_back_test_coverage_of_random_walks_is_near_nominal_and_future_coverage_close():
    rng = np.random.default_rng(11)
    hits80, hits95, backtest80, backtest95 = [], [], [], []
    for _ in range(200):
        walk = 10 + np.cumsum(rng.normal(0, 1, 23))
        prepared = prepare_series(annual(walk[:20]), frequency=ANNUAL, value_type=ValueType.SCORE)
        projection = project_prepared(prepared, horizon=3, use_prophet=False)
        f, truth = projection.frame, walk[20:]
        hits80.append((f["lower_80"].to_numpy() <= truth) & (truth <= f["upper_80"].to_numpy()))
        hits95.append((f["lower_95"].to_numpy() <= truth) & (truth <= f["upper_95"].to_numpy()))
        backtest80.append(projection.backtest.coverage_80)
        backtest95.append(projection.backtest.coverage_95)
    assert 0.75 <= np.mean(backtest80) <= 0.85
    assert 0.90 <= np.mean(backtest95) <= 0.99
    # Future values: a little under nominal (choosing the better naive method on the same few errors
    # flatters it; see insight.forecast.calibration). Measured 0.75 / 0.90 with this seed.
    assert 0.66 <= np.mean(hits80) <= 0.85
    assert 0.85 <= np.mean(hits95) <= 0.98


# ---- precompute -------------------------------------------------------------------------------

def test_precompute_projects_only_long_enough_annual_and_monthly_non_illustrative_series():
    def obs(indicator, area, values):
        frame = annual(values)
        return frame.assign(indicator_id=indicator, area_code=area)

    observations = pd.concat([
        obs("long", "A1", TREND_PERCENT),
        obs("long", "A2", TREND_PERCENT[:5]),  # too short: skipped
        obs("rolling", "A1", TREND_PERCENT),  # 3-year rolling: skipped
        obs("demo", "A1", TREND_PERCENT),  # illustrative: skipped by default
    ], ignore_index=True)
    indicators = pd.DataFrame({
        "indicator_id": ["long", "rolling", "demo"],
        "frequency": ["annual", "3-year rolling", "annual"],
        "value_type": ["proportion", "rate", "count"],
        "status": ["real", "real", "illustrative"],
    })
    tasks = series_tasks(observations, indicators)
    assert [(t.indicator_id, t.area_code) for t in tasks] == [("long", "A1")]
    assert len(series_tasks(observations, indicators, include_illustrative=True)) == 2

    projections, backtests = precompute(tasks, jobs=1, progress=False)
    assert list(projections.columns) == PROJECTION_FILE_COLUMNS
    assert projections[HORIZON_STEP].tolist() == [1, 2, 3, 4, 5]
    assert backtests.loc[0, "chosen_method"] == projections.loc[0, "method"]
    assert backtests.loc[0, "error"] == ""
    assert MIN_HISTORY[ANNUAL] == 8 and MIN_HISTORY[MONTHLY] == 24


def test_a_stored_projection_is_reused_only_for_the_same_data_and_a_horizon_it_covers():
    from insight.forecast.precompute import projection_from_precomputed

    tasks = series_tasks(annual(TREND_PERCENT).assign(indicator_id="x", area_code="A1"),
                         pd.DataFrame({"indicator_id": ["x"], "frequency": ["annual"],
                                       "value_type": ["proportion"], "status": ["real"]}))
    projections, backtests = precompute(tasks, jobs=1, progress=False)
    history = tasks[0].history
    stored = projection_from_precomputed(projections, backtests, "x", "A1", 2, history)
    assert len(stored.frame) == 2 and stored.method == projections.loc[0, "method"]
    assert not any(c.startswith("Beyond") for c in stored.caveats)  # horizon 2: nothing extrapolated
    assert projection_from_precomputed(projections, backtests, "x", "A1", 6, history) is None
    assert projection_from_precomputed(projections, backtests, "x", "A1", 2, history.iloc[:-1]) is None
    assert projection_from_precomputed(projections, backtests, "x", "B9", 2, history) is None
