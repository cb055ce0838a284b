"""insight.forecast: refusals, bounds, interval order, determinism, methods, precompute.

Projections use the pool stored in data/ (the method chosen over every annual series for an unknown
indicator, pooled ranges). Leak-free evaluation and calibration are tested in test_forecast_evaluate.py.
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
    project_series,
)
from insight.forecast.cuts import series_cuts
from insight.forecast.models import (
    COMBINATION,
    COMBINED,
    METHOD_NAMES,
    METHODS,
    NAIVE_DRIFT,
    NAIVE_LAST,
    PROPHET,
    THETA,
    predict,
    predict_naive_drift,
    predict_naive_last,
    predict_theta,
)
from insight.forecast.precompute import HORIZON_STEP, PROJECTION_FILE_COLUMNS, precompute, series_tasks
from insight.forecast.project import default_context, project_prepared
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


def test_theta_on_a_straight_line_extends_half_its_slope_from_the_last_value():
    positions, z = np.arange(10), 5.0 + 2.0 * np.arange(10)
    # SES picks weight 1 (each value is the best guess of the next), so the level is the last value and
    # the formula gives l + b/2 * (h - 1 + 1 - 0) = 23 + h
    np.testing.assert_allclose(predict_theta(positions, z, np.array([10, 11, 12])), [24.0, 25.0, 26.0])


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


def test_accuracy_shown_is_the_leak_free_pooled_figure_and_never_in_sample(projections):
    backtest = projections["trend_percent"].backtest
    assert isinstance(backtest, Backtest)
    assert backtest.summary.startswith("Tested leak-free standing at each of the years 2019–2022 in turn")
    assert "This series itself was not in the test" in backtest.summary  # a synthetic series
    assert re.search(r"Pooled across all \d+ annual series tested, 80% ranges held \d+%", backtest.summary)
    assert "back-test starting points" not in backtest.summary and "In that test" not in backtest.summary


def test_the_method_is_the_pool_choice_and_the_caveats_name_it(projections):
    pool = default_context().pool
    for projection in projections.values():
        assert projection.method == pool.method_for(ANNUAL, None) == projection.backtest.chosen_method
        assert any(c.startswith("The projection uses") for c in projection.caveats)
        assert any("pooled across" in c for c in projection.caveats)


def test_a_family_that_no_method_beats_repeats_the_last_value_and_says_so():
    pool = default_context().pool
    naive_families = pool.choices[(pool.choices["method"] == NAIVE_LAST) & (pool.choices["n_series"] >= 5)
                                  & (pool.choices["frequency"] == "annual")]["family"]
    assert len(naive_families), "the committed pool has indicators where nothing beat naive"
    projection = project_series(annual(TREND_PERCENT), frequency=ANNUAL, horizon=3,
                                value_type=ValueType.PROPORTION, indicator_id=str(naive_families.iloc[0]))
    assert projection.method == NAIVE_LAST
    np.testing.assert_allclose(projection.frame["point"], TREND_PERCENT[-1])
    assert any("No method beat repeating the last value" in c for c in projection.caveats)
    assert "No method beat the naive method" in projection.backtest.summary


def test_annual_series_get_no_yearly_seasonality(monkeypatch):
    import insight.forecast.models as models

    seen: list[dict] = []
    real = models._import_prophet()

    class Recording(real):
        def __init__(self, **kwargs):
            seen.append(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(models, "_import_prophet", lambda: Recording)
    prepared = prepare_series(annual(TREND_PERCENT), frequency=ANNUAL, value_type=ValueType.PROPORTION)
    project_prepared(prepared, horizon=2, method=PROPHET)
    assert seen and all(k["yearly_seasonality"] is False for k in seen)


def test_the_trend_only_prophet_projects_exactly_as_plain_prophet(monkeypatch):
    """Its feature tables are made once per length and copied: every projected value is
    identical to plain Prophet's, for series of several lengths, fitted in turn (so the copies are reused)."""
    import insight.forecast.models as models

    def fits() -> list[np.ndarray]:
        made = []
        for length, slope in ((8, 0.4), (12, -0.7), (8, 1.3), (20, 0.1), (12, 0.0)):
            values = 40 + slope * np.arange(length) + np.sin(np.arange(length))
            prepared = prepare_series(annual(values), frequency=ANNUAL, value_type=ValueType.SCORE)
            future = prepared.positions[-1] + np.arange(1, 6)
            made.append(models.predict_prophet(prepared.positions, prepared.z, future, prepared=prepared, seed=3))
        return made

    fast = fits()
    assert models._PLAIN_FEATURES  # the copies were used
    monkeypatch.setattr(models, "_trend_only_prophet", models._import_prophet)
    plain = fits()
    for a, b in zip(fast, plain, strict=True):
        np.testing.assert_array_equal(a, b)


def test_monthly_series_keep_their_yearly_pattern():
    months = np.arange(36)
    values = 100 + 30 * np.sin(2 * np.pi * months / 12) + 0.5 * months
    prepared = prepare_series(monthly(values), frequency=MONTHLY, value_type=ValueType.COUNT)
    projection = project_prepared(prepared, horizon=12, method=PROPHET)
    expected = 100 + 30 * np.sin(2 * np.pi * (months[-1] + 1 + np.arange(12)) / 12) + 0.5 * (36 + np.arange(12))
    assert projection.method == "prophet"
    assert np.corrcoef(projection.frame["point"], expected)[0, 1] > 0.95


# ---- back-test forecasts on series where the answer is known ------------------------------------

def test_an_exact_straight_line_is_forecast_exactly_by_drift_at_every_cut():
    cuts = series_cuts(annual(10 + 2.0 * np.arange(12)), frequency=ANNUAL, value_type=ValueType.SCORE, seed=1,
                       methods=(NAIVE_DRIFT, NAIVE_LAST))
    known = cuts[cuts["y_true"].notna()]
    drift, last = known[known["method"] == NAIVE_DRIFT], known[known["method"] == NAIVE_LAST]
    assert (drift["y_true"] - drift["y_pred"]).abs().max() == pytest.approx(0.0, abs=1e-9)
    # scaled errors of repeating the last value on a line rising 2 a year: h steps of 2 / a step of 2 = h
    np.testing.assert_allclose(((last["y_true"] - last["y_pred"]).abs() / last["scale_y"]).to_numpy(),
                               last["horizon"].to_numpy(dtype=float))
    # every cut from MIN_TRAIN values on, except at the last value (no outcome could ever score it)
    assert sorted(set(cuts["n_train"])) == list(range(6, 12))


def test_trend_plus_noise_is_forecast_better_by_trend_methods_than_by_naive_last():
    rng = np.random.default_rng(3)
    cuts = series_cuts(annual(50 + 3.0 * np.arange(15) + rng.normal(0, 1.0, 15)), frequency=ANNUAL,
                       value_type=ValueType.SCORE, seed=1, methods=(THETA, NAIVE_DRIFT, NAIVE_LAST))
    known = cuts[cuts["y_true"].notna()]
    err = ((known["y_true"] - known["y_pred"]).abs() / known["scale_y"]).groupby(known["method"]).mean()
    assert err[NAIVE_DRIFT] < err[NAIVE_LAST] and err[THETA] < err[NAIVE_LAST]



def test_the_combination_is_the_median_of_the_four_methods_in_projections_and_in_back_tests():
    rng = np.random.default_rng(5)
    history = annual(20 + 0.8 * np.arange(10) + rng.normal(0, 0.5, 10))
    prepared = prepare_series(history, frequency=ANNUAL, value_type=ValueType.SCORE)
    future = prepared.positions[-1] + np.arange(1, 4)
    each = [predict(m, prepared.positions, prepared.z, future, prepared=prepared, seed=1) for m in COMBINED]
    combined = predict(COMBINATION, prepared.positions, prepared.z, future, prepared=prepared, seed=1)
    np.testing.assert_allclose(combined, np.median(np.vstack(each), axis=0))
    ordered = np.sort(np.vstack(each), axis=0)
    np.testing.assert_allclose(combined, (ordered[1] + ordered[2]) / 2)  # of four: the mean of the middle two
    cuts = series_cuts(history, frequency=ANNUAL, value_type=ValueType.SCORE, seed=1, methods=METHODS)
    wide = cuts.pivot_table(index=["cut", "horizon"], columns="method", values="z_pred")
    np.testing.assert_allclose(wide[COMBINATION], wide[list(COMBINED)].median(axis=1))


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

    projections, backtests = precompute(tasks, context=default_context(), jobs=1, progress=False)
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
    projections, backtests = precompute(tasks, context=default_context(), jobs=1, progress=False)
    history = tasks[0].history
    stored = projection_from_precomputed(projections, backtests, "x", "A1", 2, history)
    assert len(stored.frame) == 2 and stored.method == projections.loc[0, "method"]
    assert stored.backtest is not None and stored.backtest.summary == backtests.loc[0, "summary"]
    assert not any(c.startswith("Beyond") for c in stored.caveats)  # horizon 2: nothing extrapolated
    assert projection_from_precomputed(projections, backtests, "x", "A1", 6, history) is None
    assert projection_from_precomputed(projections, backtests, "x", "A1", 2, history.iloc[:-1]) is None
    assert projection_from_precomputed(projections, backtests, "x", "B9", 2, history) is None


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_named_in_the_projection_sentence(projections, method):
    from insight import narrative

    frame = projections["trend_percent"].frame
    sentence = narrative.describe_projection("Essex", Projection(frame, method, None, ()), unit="%",
                                             value_type=ValueType.PROPORTION, frequency=ANNUAL)
    assert sentence.startswith("If past trends continue, Essex in 2023 is likely between")
    assert METHOD_NAMES[method].split(" (")[0].lower() in sentence.lower()
