"""Project one series: the public entry point ``project_series``.

The method is the one chosen for the series' family (its indicator) and the 80%/95% ranges come from
errors pooled across series (``insight.forecast.pool``), both read from the stored pool
(data/forecast_pool.parquet, made by ``python -m insight.forecast --all`` from every series up to the
latest data). The accuracy shown with a projection is the leak-free harness's (``accuracy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from insight.errors import ForecastError
from insight.forecast.accuracy import (
    Backtest,
    EvaluationSummary,
    backtest_for,
    load_evaluation,
    method_caveat,
)
from insight.forecast.cuts import POOL_HORIZON
from insight.forecast.models import NAIVE_LAST, predict
from insight.forecast.pool import LEVELS, POOL_FILE, CalibrationPool, read_pool
from insight.forecast.series import PreparedSeries, prepare_series, step_scale
from insight.schema import PERIOD_START, Frequency, ValueType

PROJECTION_COLUMNS = [PERIOD_START, "point", "lower_80", "upper_80", "lower_95", "upper_95"]
MAX_HORIZON = {Frequency.ANNUAL: 10, Frequency.MONTHLY: 36}
EXTRAPOLATION_PREFIX = "Beyond"
PROJECTION_CAVEAT = ("This is a projection: it only extends past trends. It ignores policy changes, new "
                     "developments and shocks such as a recession or a pandemic.")


@dataclass(frozen=True)
class ForecastContext:
    """What every projection needs besides its own history: the pool and the harness's figures."""

    pool: CalibrationPool
    evaluation: EvaluationSummary | None


def load_context(data_dir: Path) -> ForecastContext:
    """The stored pool and evaluation in ``data_dir`` (ForecastError when there is no pool)."""
    path = Path(data_dir) / POOL_FILE
    if not path.exists():
        raise ForecastError(f"No calibration pool in {path.parent} ({POOL_FILE}); make it with "
                            "`python -m insight.forecast --all`.")
    return ForecastContext(read_pool(path), load_evaluation(Path(data_dir)))


@lru_cache(maxsize=4)
def _cached_context(data_dir: str, stamp: float) -> ForecastContext:
    return load_context(Path(data_dir))


def default_context(data_dir: Path | None = None) -> ForecastContext:
    """The context stored with a dataset (data/ by default), read once per file version. A dataset folder
    without a pool (another council's, before its precompute) uses the one in data/: its choices for
    unknown indicators and its pooled ranges are the documented fallback."""
    from insight.loaders import DEFAULT_DATA_DIR

    folder = Path(data_dir or DEFAULT_DATA_DIR)
    if not (folder / POOL_FILE).exists():
        folder = DEFAULT_DATA_DIR
    path = folder / POOL_FILE
    return _cached_context(str(folder), path.stat().st_mtime if path.exists() else 0.0)


@dataclass(frozen=True)
class Projection:
    """Projected values with calibrated 80% and 95% ranges, the method used, and what to say about it."""

    frame: pd.DataFrame  # PROJECTION_COLUMNS, one row per period ahead
    method: str  # "prophet" | "theta" | "naive_drift" | "naive_last" | "combination"
    backtest: Backtest | None  # leak-free accuracy (insight.forecast.accuracy)
    caveats: tuple[str, ...]
    tested_horizon: int = 5  # ranges further ahead than this are extrapolated

    def truncated(self, horizon: int) -> Projection:
        """The first ``horizon`` periods (each period's figures do not depend on the horizon asked for)."""
        keep = tuple(c for c in self.caveats
                     if not (c.startswith(EXTRAPOLATION_PREFIX) and horizon <= self.tested_horizon))
        return Projection(self.frame.head(int(horizon)).reset_index(drop=True), self.method, self.backtest, keep,
                          self.tested_horizon)


def _check_horizon(horizon: int, frequency: Frequency) -> None:
    limit = MAX_HORIZON.get(Frequency(frequency))
    if limit is not None and not 1 <= int(horizon) <= limit:
        unit = "years" if frequency == Frequency.ANNUAL else "months"
        raise ForecastError(f"The horizon must be between 1 and {limit} {unit}; got {horizon}.")


def project_series(history: pd.DataFrame, *, frequency: Frequency, horizon: int, value_type: ValueType,
                   seed: int = 2025, lower_bound: float | None = None, upper_bound: float | None = None,
                   indicator_id: str | None = None, area_code: str | None = None,
                   context: ForecastContext | None = None) -> Projection:
    """Project ``history`` (columns period_start, value) ``horizon`` periods ahead.

    * Refuses (ForecastError) below MIN_HISTORY observed values, for rolling-window and snapshot series,
      for repeated periods and for values outside the bounds.
    * Bounds default from ``value_type``: percentages stay within 0-100 (logit scale), counts, rates and
      means stay above 0 (log scale), scores are unbounded; ``lower_bound``/``upper_bound`` override them.
      When an observed value equals a bound the series is modelled on its own scale and clipped instead.
    * Missing periods are gaps on a regular grid, not zeros; missing values are dropped; both are noted.
    * The method is the one chosen for the indicator (``indicator_id``; unknown or None: the choice over
      every series of the frequency); the ranges are the pooled conformal ones, and widen with the horizon.
    * ``context``: the stored pool and evaluation (default: those in data/). Deterministic for a ``seed``.
    """
    frequency = Frequency(frequency)
    _check_horizon(horizon, frequency)
    prepared = prepare_series(history, frequency=frequency, value_type=value_type,
                              lower_bound=lower_bound, upper_bound=upper_bound)
    return project_prepared(prepared, horizon=horizon, seed=seed, indicator_id=indicator_id, area_code=area_code,
                            context=context)


def project_prepared(prepared: PreparedSeries, *, horizon: int, seed: int = 2025, indicator_id: str | None = None,
                     area_code: str | None = None, context: ForecastContext | None = None,
                     method: str | None = None) -> Projection:
    """Project an already prepared series (see ``project_series``); ``method`` overrides the family's."""
    context = context or default_context()
    frequency = prepared.frequency
    pool = context.pool
    family_known = pool.family_known(frequency, indicator_id)
    chosen = pool.method_for(frequency, indicator_id)
    method = method or chosen
    steps = np.arange(1, int(horizon) + 1)
    future = prepared.positions[-1] + steps
    try:
        pz = predict(method, prepared.positions, prepared.z, future, prepared=prepared, seed=seed)
    except RuntimeError as exc:
        raise ForecastError("Prophet failed to fit this series; try again or use the naive baseline.") from exc
    scale = step_scale(prepared.positions, prepared.z)
    multipliers = pool.multipliers(frequency, method, steps)
    inverse = prepared.transform.inverse
    frame = pd.DataFrame({PERIOD_START: [prepared.period_at(int(p)) for p in future], "point": inverse(pz)})
    for level in LEVELS:
        half = multipliers[level] * scale
        tag = round(level * 100)
        frame[f"lower_{tag}"] = inverse(pz - half)
        frame[f"upper_{tag}"] = inverse(pz + half)
    frame = frame[PROJECTION_COLUMNS]
    frame[PERIOD_START] = pd.to_datetime(frame[PERIOD_START])
    naive_chosen = chosen == NAIVE_LAST
    backtest = backtest_for(context.evaluation, frequency=frequency, method=method, family=indicator_id,
                            indicator_id=indicator_id, area_code=area_code,
                            family_method_is_naive=naive_chosen and method == NAIVE_LAST)
    tested = POOL_HORIZON[frequency]
    caveats = _caveats(method, naive_chosen, family_known, pool, horizon, frequency, tested,
                       prepared.transform.describe(), prepared.notes)
    return Projection(frame=frame, method=method, backtest=backtest, caveats=caveats, tested_horizon=tested)


def _caveats(method: str, naive_chosen: bool, family_known: bool, pool: CalibrationPool, horizon: int,
             frequency: Frequency, tested: int, scale_text: str, notes: tuple[str, ...]) -> tuple[str, ...]:
    """The caveats that matter most first (U3): what a projection ignores, the method, the ranges."""
    unit = "years" if frequency == Frequency.ANNUAL else "months"
    word = "annual" if frequency == Frequency.ANNUAL else "monthly"
    q = pool.quantiles
    mine = q[(q["frequency"] == str(frequency)) & (q["method"] == method) & (q["horizon"] == 1)]
    n_cells = int(mine["n_cells"].iloc[0]) if not mine.empty else 0
    n_series = int(mine["n_series"].iloc[0]) if not mine.empty else 0
    out = [PROJECTION_CAVEAT, method_caveat(method, naive_chosen and method == NAIVE_LAST, family_known),
           f"The 80% and 95% ranges are set from the errors of past projections by this method pooled across "
           f"{n_series} {word} series ({n_cells:,} errors 1 {unit[:-1]} ahead; one series' own few errors are too "
           "few), scaled to this series' typical change from one period to the next."]
    if horizon > tested:
        out.append(f"{EXTRAPOLATION_PREFIX} {tested} {unit} ahead the ranges are extrapolated from how the pooled "
                   "errors grow with the horizon.")
    out.append(f"Values are {scale_text}.")
    out.extend(notes)
    return tuple(out)
