"""Project one series: the public entry points ``project_series`` and ``backtest_series``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight.errors import ForecastError
from insight.forecast.backtest import Backtest, run_backtest
from insight.forecast.calibration import LEVELS, growth_exponent, step_scale
from insight.forecast.models import METHOD_NAMES, PROPHET, predict
from insight.forecast.series import PreparedSeries, prepare_series
from insight.schema import PERIOD_START, Frequency, ValueType

PROJECTION_COLUMNS = [PERIOD_START, "point", "lower_80", "upper_80", "lower_95", "upper_95"]
BACKTEST_HORIZON = 3  # periods ahead scored in the back-test behind every projection
BACKTEST_ORIGINS = 4
MAX_HORIZON = {Frequency.ANNUAL: 10, Frequency.MONTHLY: 36}
EXTRAPOLATION_PREFIX = "Beyond"
PROJECTION_CAVEAT = ("This is a projection: it only extends past trends. It ignores policy changes, new "
                     "developments and shocks such as a recession or a pandemic.")


@dataclass(frozen=True)
class Projection:
    """Projected values with calibrated 80% and 95% ranges, the method used, and what to say about it."""

    frame: pd.DataFrame  # PROJECTION_COLUMNS, one row per period ahead
    method: str  # "prophet" | "naive_drift" | "naive_last"
    backtest: Backtest | None
    caveats: tuple[str, ...]

    def truncated(self, horizon: int) -> Projection:
        """The first ``horizon`` periods (each period's figures do not depend on the horizon asked for)."""
        keep = tuple(c for c in self.caveats
                     if not (c.startswith(EXTRAPOLATION_PREFIX) and horizon <= BACKTEST_HORIZON))
        return Projection(self.frame.head(int(horizon)).reset_index(drop=True), self.method, self.backtest, keep)


def _check_horizon(horizon: int, frequency: Frequency) -> None:
    limit = MAX_HORIZON.get(Frequency(frequency))
    if limit is not None and not 1 <= int(horizon) <= limit:
        unit = "years" if frequency == Frequency.ANNUAL else "months"
        raise ForecastError(f"The horizon must be between 1 and {limit} {unit}; got {horizon}.")


def project_series(history: pd.DataFrame, *, frequency: Frequency, horizon: int, value_type: ValueType,
                   seed: int = 2025, lower_bound: float | None = None,
                   upper_bound: float | None = None) -> Projection:
    """Project ``history`` (columns period_start, value) ``horizon`` periods ahead.

    * Refuses (ForecastError) below MIN_HISTORY observed values, for rolling-window and snapshot series,
      for repeated periods and for values outside the bounds.
    * Bounds default from ``value_type``: percentages stay within 0-100 (logit scale), counts, rates and
      means stay above 0 (log scale), scores are unbounded; ``lower_bound``/``upper_bound`` override them.
      When an observed value equals a bound the series is modelled on its own scale and clipped instead.
    * Missing periods are gaps on a regular grid, not zeros; missing values are dropped; both are noted.
    * A rolling-origin back-test (4 origins, 1-3 periods ahead) compares Prophet (no yearly seasonality on
      annual data) with naive last-value and drift; Prophet is used only if it beats both, otherwise the
      better baseline is used and the caveats say so.
    * The 80% and 95% ranges are calibrated on the back-test errors of the method used (see
      ``insight.forecast.calibration``) and widen with the horizon. Deterministic for a given ``seed``.
    """
    frequency = Frequency(frequency)
    _check_horizon(horizon, frequency)
    prepared = prepare_series(history, frequency=frequency, value_type=value_type,
                              lower_bound=lower_bound, upper_bound=upper_bound)
    return project_prepared(prepared, horizon=horizon, seed=seed)


def project_prepared(prepared: PreparedSeries, *, horizon: int, seed: int = 2025,
                     use_prophet: bool = True) -> Projection:
    """Back-test, choose the method, and project an already prepared series (see ``project_series``)."""
    detail = run_backtest(prepared, horizon=BACKTEST_HORIZON, n_origins=BACKTEST_ORIGINS, seed=seed,
                          use_prophet=use_prophet)
    backtest = detail.backtest
    method = backtest.chosen_method
    steps = np.arange(1, int(horizon) + 1)
    future = prepared.positions[-1] + steps
    try:
        pz = predict(method, prepared.positions, prepared.z, future, prepared=prepared, seed=seed)
    except RuntimeError as exc:
        raise ForecastError("Prophet failed to fit this series; try again or use the naive baseline.") from exc
    scale = step_scale(prepared.positions, prepared.z)
    growth = growth_exponent(prepared.positions, prepared.z)
    cal = detail.calibrations[method]
    inverse = prepared.transform.inverse
    frame = pd.DataFrame({PERIOD_START: [prepared.period_at(int(p)) for p in future],
                          "point": inverse(pz)})
    for level in LEVELS:
        half = cal.half_width(level, scale, steps, growth)
        tag = round(level * 100)
        frame[f"lower_{tag}"] = inverse(pz - half)
        frame[f"upper_{tag}"] = inverse(pz + half)
    frame = frame[PROJECTION_COLUMNS]
    frame[PERIOD_START] = pd.to_datetime(frame[PERIOD_START])
    return Projection(frame=frame, method=method, backtest=backtest,
                      caveats=_caveats(method, backtest, horizon, prepared.frequency,
                                       prepared.transform.describe(), prepared.notes + detail.notes))


def _caveats(method: str, backtest: Backtest, horizon: int, frequency: Frequency, scale_text: str,
             notes: tuple[str, ...]) -> tuple[str, ...]:
    """The caveats that matter most first (U3): what a projection ignores, the method, the ranges."""
    unit = "years" if frequency == Frequency.ANNUAL else "months"
    out = [PROJECTION_CAVEAT]
    if method != PROPHET and np.isfinite(backtest.mase_prophet):
        out.append(f"Prophet did not beat a naive baseline when tested on this series' past, so the projection "
                   f"uses {METHOD_NAMES[method]}.")
    elif method != PROPHET:
        out.append(f"The projection uses {METHOD_NAMES[method]}; Prophet was not compared.")
    ranges = (f"The 80% and 95% ranges are calibrated on this series' own back-test errors; in that test the "
              f"80% range held {round(100 * backtest.coverage_80)}% of the outcomes.")
    out.append(ranges)
    if horizon > BACKTEST_HORIZON:
        out.append(f"{EXTRAPOLATION_PREFIX} {BACKTEST_HORIZON} {unit} ahead the ranges are extrapolated from how "
                   "this series' own changes grow over several periods.")
    out.append(f"Values are {scale_text}.")
    out.extend(notes)
    return tuple(out)


def backtest_series(history: pd.DataFrame, *, frequency: Frequency, value_type: ValueType, horizon: int = 3,
                    n_origins: int = 4, seed: int = 2025) -> Backtest:
    """Rolling-origin back-test of Prophet against naive last-value and drift (see ``backtest``)."""
    if int(horizon) < 1 or int(n_origins) < 1:
        raise ForecastError(f"The back-test needs a horizon and a number of origins of at least 1; got "
                            f"horizon={horizon}, n_origins={n_origins}.")
    prepared = prepare_series(history, frequency=frequency, value_type=value_type)
    return run_backtest(prepared, horizon=int(horizon), n_origins=int(n_origins), seed=seed).backtest
