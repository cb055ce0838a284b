"""Pooled, conformal calibration of projection ranges, and the method used for each family of series.

Ranges. A series has too few back-test errors of its own to calibrate on (four or five, sharing their
outcome years; about 68% held in an 80% range, leak-free), so scaled errors are pooled across series:
the pool holds the absolute scores ``|outcome - forecast| / scale`` (modelling scale, in units of the
series' mean absolute one-step change) of every back-test forecast whose outcome is known
(``cuts.known_at``), made from at least CALIBRATION_MIN_TRAIN values, with an outcome in the latest
POOL_WINDOW periods, by frequency, method and periods ahead. The half width of a range at level
``1 - a`` is the conformal quantile of the pool -- the ``ceil((n + 1)(1 - a))``-th smallest of its ``n``
scores -- times the series' own scale. The pool spans every series of the frequency: pools of one
indicator each covered less (72.6% in an 80% range on the development origins 2013-2016, against 79.3%
for the shared pool), as a family's few outcome years share their shocks.

Method. A *family* is one indicator in every area. Its method is the one with the smallest median
(over the family's series) mean scaled error on the same back-test forecasts, 1 to CHOICE_HORIZON
periods ahead; naive last value unless another method is strictly better. Choosing for each series on
its own four or five errors flatters the winner. A family with fewer than MIN_SERIES series, or not
known at all (an uploaded series, a new indicator), uses the choice made over every series of the
frequency (family ``ALL``): the documented fallback.

Beyond the longest horizon in the pool, quantiles grow as a power of the horizon fitted to the pool's
own quantiles (a random walk's is 0.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from insight import schema as s
from insight.forecast.cuts import FAMILY, HORIZON, N_TRAIN, TARGET
from insight.forecast.models import METHODS, NAIVE_LAST
from insight.schema import Frequency

LEVELS = (0.80, 0.95)
ALL = "*"  # the fallback family: every series of the frequency
MIN_SERIES = 5  # series a family needs before its own method choice is used
CHOICE_HORIZON = 3
# back-test forecasts calibrated on: as long as a projection's minimum history (annual); monthly series are
# too short for that (24-30 months), so from 12 months
CALIBRATION_MIN_TRAIN = {Frequency.ANNUAL: 8, Frequency.MONTHLY: 12}
# only outcomes of the latest POOL_WINDOW periods calibrate (errors change over time; the monthly series
# are short enough to use all)
POOL_WINDOW: dict[Frequency, int | None] = {Frequency.ANNUAL: 8, Frequency.MONTHLY: None}
MAX_GROWTH = 1.0
POOL_FILE = "forecast_pool.parquet"
QUANTILE_COLUMNS = [s.FREQUENCY, FAMILY, "method", HORIZON, "n_cells", "n_series", "q_80", "q_95"]
# The back-test errors a choice is made on are not stored: they are in-sample for the method chosen (the
# smallest of several on the same errors), so they are not an accuracy figure (see ``evaluate``).
CHOICE_COLUMNS = [s.FREQUENCY, FAMILY, "method", "n_cells", "n_series"]


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The ``ceil((n + 1) * level)``-th smallest score (inf when there are too few scores)."""
    scores = np.sort(np.asarray(scores, dtype=float)[~np.isnan(np.asarray(scores, dtype=float))])
    k = math.ceil((scores.size + 1) * level)
    return float(scores[k - 1]) if 1 <= k <= scores.size else math.inf


def _quantiles(known: pd.DataFrame, frequency: Frequency) -> pd.DataFrame:
    """Conformal quantiles of |score| by method and horizon over every series of the frequency, from
    back-test forecasts made with at least MIN_HISTORY values (like the projections they calibrate)."""
    long_enough = known[known[N_TRAIN] >= CALIBRATION_MIN_TRAIN[Frequency(frequency)]]
    window = POOL_WINDOW[Frequency(frequency)]
    if window is not None and not long_enough.empty:
        long_enough = long_enough[long_enough[TARGET] > long_enough[TARGET].max() - window]
    scores = long_enough.assign(score=((long_enough["z_true"] - long_enough["z_pred"])
                                       / long_enough["scale_z"]).abs())
    rows = []
    for (method, h), group in scores.groupby(["method", HORIZON], sort=True):
        rows.append({s.FREQUENCY: str(frequency), FAMILY: ALL, "method": method, HORIZON: int(cast(int, h)),
                     "n_cells": len(group),
                     "n_series": group[[s.INDICATOR_ID, s.AREA_CODE]].drop_duplicates().shape[0],
                     **{f"q_{round(100 * lv)}": conformal_quantile(group["score"].to_numpy(), lv) for lv in LEVELS}})
    return pd.DataFrame(rows, columns=QUANTILE_COLUMNS)


def _median_mase(group: pd.DataFrame) -> dict[str, float]:
    """Per method, the median over series of each series' mean scaled error, on forecasts all methods made."""
    wide = group.pivot_table(index=[s.INDICATOR_ID, s.AREA_CODE, "cut", HORIZON], columns="method",
                             values="err", aggfunc="first").dropna()
    per_series = wide.groupby(level=[0, 1]).mean()
    return {m: float(per_series[m].median()) if m in per_series and len(per_series) else math.nan for m in METHODS}


def choice_errors(known: pd.DataFrame) -> pd.DataFrame:
    """The back-test forecasts a method is chosen on (1 to CHOICE_HORIZON periods ahead), with ``err``, the
    absolute error scaled like MASE."""
    near = known[known[HORIZON] <= CHOICE_HORIZON]
    return near.assign(err=(near["y_true"] - near["y_pred"]).abs() / near["scale_y"])


def best_method(group: pd.DataFrame) -> str:
    """The method with the smallest median MASE on ``group`` (``choice_errors`` rows): naive last value unless
    another is strictly better."""
    mases = _median_mase(group)
    best = NAIVE_LAST
    for m in METHODS:
        if np.isfinite(mases[m]) and mases[m] < mases[best]:
            best = m
    return best


def _choices(known: pd.DataFrame, frequency: Frequency) -> pd.DataFrame:
    near = choice_errors(known)
    rows = []
    for family, group in [*near.groupby(FAMILY, sort=True), (ALL, near)]:
        n_series = group[[s.INDICATOR_ID, s.AREA_CODE]].drop_duplicates().shape[0]
        rows.append({s.FREQUENCY: str(frequency), FAMILY: family, "method": best_method(group),
                     "n_cells": len(group), "n_series": n_series})
    return pd.DataFrame(rows, columns=CHOICE_COLUMNS)


@dataclass(frozen=True)
class CalibrationPool:
    """Pooled quantiles (QUANTILE_COLUMNS) and method choices (CHOICE_COLUMNS), with the fallback rules."""

    quantiles: pd.DataFrame
    choices: pd.DataFrame

    def family_known(self, frequency: Frequency, family: str | None) -> bool:
        c = self.choices
        mine = c[(c[s.FREQUENCY] == str(frequency)) & (c[FAMILY] == family)]
        return family is not None and not mine.empty and int(mine["n_series"].iloc[0]) >= MIN_SERIES

    def choice(self, frequency: Frequency, family: str | None) -> pd.Series:
        """The CHOICE_COLUMNS row used for a family (its own, or ALL's)."""
        c = self.choices
        fam = family if self.family_known(frequency, family) else ALL
        mine = c[(c[s.FREQUENCY] == str(frequency)) & (c[FAMILY] == fam)]
        if mine.empty:
            raise LookupError(f"No calibration pool for {frequency} series.")
        return mine.iloc[0]

    def method_for(self, frequency: Frequency, family: str | None) -> str:
        return str(self.choice(frequency, family)["method"])

    def _rows(self, frequency: Frequency, family: str, method: str) -> pd.DataFrame:
        q = self.quantiles
        return q[(q[s.FREQUENCY] == str(frequency)) & (q[FAMILY] == family) & (q["method"] == method)] \
            .set_index(HORIZON).sort_index()

    def multipliers(self, frequency: Frequency, method: str, horizons: np.ndarray) -> dict[float, np.ndarray]:
        """Half-widths in units of the series' scale, per level and period ahead."""
        q = self.quantiles
        rows = q[(q[s.FREQUENCY] == str(frequency)) & (q["method"] == method)].set_index(HORIZON).sort_index()
        if rows.empty:
            raise LookupError(f"No calibration pool for {method} on {frequency} series.")
        return {level: _extend({int(cast(int, h)): float(v) for h, v in rows[f"q_{round(100 * level)}"].items()},
                               np.asarray(horizons, dtype=int)) for level in LEVELS}


def _extend(table: dict[int, float], horizons: np.ndarray) -> np.ndarray:
    """Quantiles at ``horizons``; beyond the pool's longest horizon H, q_H * (h / H) ** g with g fitted
    (least squares of log q on log h over the pool's finite quantiles, clipped to [0, MAX_GROWTH])."""
    hs = np.array(sorted(h for h, v in table.items() if np.isfinite(v) and v > 0))
    if hs.size == 0:  # too few scores for this level at any horizon: no finite range can be claimed
        return np.full(horizons.shape, math.inf)
    top = int(hs.max())
    growth = 0.5
    if hs.size >= 2:
        growth = float(np.clip(np.polyfit(np.log(hs), np.log([table[h] for h in hs]), 1)[0], 0.0, MAX_GROWTH))
    # horizons inside the pool: monotone in h (a longer horizon is never calibrated narrower)
    inside = np.maximum.accumulate([table.get(int(h), math.inf) for h in range(1, top + 1)])
    return np.array([inside[h - 1] if h <= top else inside[-1] * (h / top) ** growth for h in horizons])


def build_pool(known: pd.DataFrame, frequency: Frequency) -> CalibrationPool:
    """The pool from back-test forecasts whose outcomes are known (``cuts.known_at``), one frequency."""
    return CalibrationPool(_quantiles(known, frequency), _choices(known, frequency))


def combine(pools: list[CalibrationPool]) -> CalibrationPool:
    """Pools of several frequencies in one."""
    return CalibrationPool(pd.concat([p.quantiles for p in pools], ignore_index=True),
                           pd.concat([p.choices for p in pools], ignore_index=True))


def write_pool(pool: CalibrationPool, data_dir: Path) -> Path:
    """Store the pool (quantiles and choices in one small table, ``table`` saying which) in data/."""
    frame = pd.concat([pool.quantiles.assign(table="quantile"), pool.choices.assign(table="choice")],
                      ignore_index=True)
    path = Path(data_dir) / POOL_FILE
    frame.to_parquet(path, index=False)
    return path


def read_pool(path: Path) -> CalibrationPool:
    """The pool stored by ``write_pool``."""
    frame = pd.read_parquet(path)
    quantiles = frame[frame["table"] == "quantile"][QUANTILE_COLUMNS].reset_index(drop=True)
    choices = frame[frame["table"] == "choice"][CHOICE_COLUMNS].reset_index(drop=True)
    quantiles[HORIZON] = quantiles[HORIZON].astype(int)
    return CalibrationPool(quantiles, choices)


def with_ranges(rows: pd.DataFrame, pool: CalibrationPool, frequency: Frequency, *,
                method: str | None = None) -> pd.DataFrame:
    """Forecast rows (cuts.CUT_COLUMNS) of the method each family uses (or ``method`` for all), with
    lower_/upper_80 and _95 on the value scale from the pool's multipliers."""
    from insight.forecast.cuts import inverse

    parts = []
    for family, group in rows.groupby(FAMILY, sort=True):
        used = method or pool.method_for(frequency, str(family))
        mine = group[group["method"] == used].copy()
        if mine.empty:
            continue
        horizons = mine[HORIZON].to_numpy(dtype=int)
        mult = pool.multipliers(frequency, used, horizons)
        for level in LEVELS:
            half = mult[level] * mine["scale_z"].to_numpy()
            tag = round(100 * level)
            mine[f"lower_{tag}"] = inverse(mine, mine["z_pred"].to_numpy() - half)
            mine[f"upper_{tag}"] = inverse(mine, mine["z_pred"].to_numpy() + half)
        parts.append(mine)
    return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]
