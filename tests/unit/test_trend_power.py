"""insight.trend_power: what the S5 straight-line test can detect (minimum detectable slope at 80% power)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from insight.trend_power import noncentrality_for_power, slope_sensitivity


@pytest.mark.parametrize("df", [3, 8])
def test_a_slope_of_the_detectable_size_is_found_four_times_in_five(df):
    """Simulate the t statistic of a slope test whose true slope is the minimum detectable one."""
    delta = noncentrality_for_power(df)
    rng = np.random.default_rng(2025)
    t = (rng.standard_normal(400_000) + delta) / np.sqrt(rng.chisquare(df, 400_000) / df)
    rejected = np.mean(np.abs(t) > stats.t.ppf(0.975, df))
    assert rejected == pytest.approx(0.80, abs=0.003)


def test_many_points_give_the_normal_approximation():
    assert noncentrality_for_power(100_000) == pytest.approx(1.959964 + 0.841621, abs=1e-3)


def test_fewer_points_need_a_larger_trend():
    deltas = [noncentrality_for_power(df) for df in (1, 2, 3, 5, 10, 30)]
    assert deltas == sorted(deltas, reverse=True)
    assert deltas[2] == pytest.approx(4.2559, abs=1e-4)


def test_slope_interval_and_detectable_size_follow_the_textbook_formulas():
    years, values = np.arange(2019, 2024), np.array([50.0, 53.0, 48.0, 52.0, 49.0])
    fit = slope_sensitivity(years, values)
    slope, intercept = np.polyfit(years, values, 1)
    residual_sd = np.sqrt(((values - (slope * years + intercept)) ** 2).sum() / 3)
    se = residual_sd / np.sqrt(((years - years.mean()) ** 2).sum())
    assert fit.slope == pytest.approx(slope)
    assert fit.slope_se == pytest.approx(se)
    assert (fit.ci_low, fit.ci_high) == pytest.approx((slope - 3.182446 * se, slope + 3.182446 * se))
    assert fit.min_detectable == pytest.approx(noncentrality_for_power(3) * se)


def test_a_perfect_line_can_detect_any_trend():
    fit = slope_sensitivity([2019, 2020, 2021, 2022, 2023], [1.0, 2.0, 3.0, 4.0, 5.0])
    assert fit.slope == pytest.approx(1.0) and fit.min_detectable == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("years", "values"), [([2020, 2021], [1.0, 2.0]), ([2020, 2020, 2020], [1.0, 2.0, 3.0]),
                                               ([2020, 2021, 2022], [1.0, float("nan"), 3.0])])
def test_too_few_or_unusable_points_are_refused(years, values):
    with pytest.raises(ValueError):
        slope_sensitivity(years, values)
