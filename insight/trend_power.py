"""What the S5 straight-line trend test can and cannot detect on a given series.

The S5 marker (``insight.stats.trend_marker``) fits an ordinary least-squares line to the latest annual
points and calls a trend significant when the slope's two-sided p-value is below 5%. How small a trend that
test can find depends on how many points there are and how much the values scatter around the line, so
every "no significant change" is reported with the test's *minimum detectable slope*: the true slope the
test would detect with 80% probability (power), given the scatter seen in this series.

Computed exactly for the t-test on the slope: with ``df = n - 2`` degrees of freedom and the slope's
standard error ``se``, a true slope ``b`` gives a t statistic with a non-central t distribution of
non-centrality ``b / se``; the minimum detectable slope is ``delta * se`` where ``delta`` solves
``P(|T| > t_crit) = power``. (For many points ``delta`` tends to 1.96 + 0.84 = 2.80; for five points it
is about 4.26, because three degrees of freedom leave the scatter itself uncertain.) The scatter is the one
observed, so this is the power "with this much year-to-year variation", not a guarantee.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

POWER = 0.80
CONFIDENCE = 0.95


def _scipy() -> tuple[Any, Any, Any]:
    """scipy.stats, scipy.optimize and scipy.integrate, imported on first use (they cost time at app start)."""
    from scipy import integrate, optimize, stats

    return stats, optimize, integrate


@dataclass(frozen=True)
class SlopeSensitivity:
    """The fitted straight line through annual points and what its test can detect (units a year)."""

    n_points: int
    slope: float
    slope_se: float
    ci_low: float  # the slope's confidence interval (level ``confidence``)
    ci_high: float
    min_detectable: float  # the true slope detected with probability ``power`` at level ``confidence``
    confidence: float = CONFIDENCE
    power: float = POWER


@lru_cache(maxsize=64)
def noncentrality_for_power(df: int, *, confidence: float = CONFIDENCE, power: float = POWER) -> float:
    """The non-centrality a two-sided t-test with ``df`` degrees of freedom needs to reject with
    probability ``power`` at level ``1 - confidence``."""
    if df < 1:
        raise ValueError("the slope test needs at least 3 points (1 degree of freedom)")
    if not 0 < confidence < 1 or not 0 < power < 1:
        raise ValueError("confidence and power must be between 0 and 1")
    stats, optimize, integrate = _scipy()
    critical = float(stats.t.ppf(1 - (1 - confidence) / 2, df))

    def rejects(delta: float) -> float:
        exact = float(stats.nct.sf(critical, df, delta) + stats.nct.cdf(-critical, df, delta))
        if math.isfinite(exact):
            return exact

        # scipy's non-central t can fail far in its tails: P(|Z + delta| > critical * S) with
        # S = sqrt(chi2_df / df), averaged over S by its quantiles (smooth and bounded), instead.
        def given(u: float) -> float:
            scale = critical * math.sqrt(float(stats.chi2.ppf(u, df)) / df)
            return float(stats.norm.sf(scale - delta) + stats.norm.cdf(-scale - delta))

        return float(integrate.quad(given, 0.0, 1.0, limit=200, epsabs=1e-10)[0])

    return float(optimize.brentq(lambda delta: rejects(delta) - power, 0.0, 30.0, xtol=1e-8))  # 30: power > 0.99 for df >= 1


def slope_sensitivity(years: ArrayLike, values: ArrayLike, *, confidence: float = CONFIDENCE,
                      power: float = POWER) -> SlopeSensitivity:
    """Fit value = a + b * year by least squares and say what the slope test can detect."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("years and values must be one-dimensional and the same length")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("years and values must be finite numbers")
    n = len(x)
    if n < 3 or np.ptp(x) == 0:
        raise ValueError("the slope test needs at least 3 points in different years")
    stats = _scipy()[0]
    fit = stats.linregress(x, y)
    slope, se = float(fit.slope), float(fit.stderr)
    df = n - 2
    half_width = float(stats.t.ppf(1 - (1 - confidence) / 2, df)) * se
    detectable = noncentrality_for_power(df, confidence=confidence, power=power) * se
    if not math.isfinite(se):
        raise ValueError("the slope's standard error could not be computed")
    return SlopeSensitivity(n, slope, se, slope - half_width, slope + half_width, detectable, confidence, power)
