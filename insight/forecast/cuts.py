"""Forecasts made standing at every point of a series' past: the raw material of back-tests and pooling.

A *cut* of a series is its history up to and including one observed period. At every cut with at
least ``MIN_TRAIN`` values, except the whole series (no later value could ever score a forecast made at
the last one; the projection shown is made separately, ``project``), each method is fitted to that cut
ALONE (the modelling scale, the scale of its errors and the fit see nothing after the cut) and projects
``POOL_HORIZON`` periods ahead. Each row of the resulting table is one (cut, method, periods ahead)
forecast with, where it was later observed, the outcome. Which of these rows a procedure may use is
decided by the caller: standing at an origin, only rows whose outcome period is at or before the origin
are known (``known_at``).

Scores are on the modelling scale (so ranges built from them respect the bounds) in units of the cut's
mean absolute one-step change: ``score = (outcome - forecast) / scale``. Errors for accuracy (MASE) are
on the value scale, in units of the value-scale one-step change.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, cast

import numpy as np
import pandas as pd

from insight import schema as s
from insight.forecast.models import COMBINATION, COMBINED, METHODS, PROPHET, combine, predict
from insight.forecast.series import PreparedSeries, Transform, prepare_series, step_scale
from insight.schema import Frequency, ValueType

MIN_TRAIN = {Frequency.ANNUAL: 6, Frequency.MONTHLY: 12}  # shortest history a back-test forecast is made from
POOL_HORIZON = {Frequency.ANNUAL: 5, Frequency.MONTHLY: 12}  # periods ahead every back-test forecast is scored
FAMILY = "family"
CUT = "cut"  # period key of the last value used (see period_key)
TARGET = "target"
HORIZON = "horizon"
N_TRAIN = "n_train"
CUT_COLUMNS = [FAMILY, s.INDICATOR_ID, s.AREA_CODE, CUT, N_TRAIN, "method", HORIZON, TARGET, "z_pred", "y_pred",
               "scale_z", "scale_y", "kind", "lower_bound", "upper_bound", "y_true", "z_true"]


def period_key(dates: pd.Series | pd.DatetimeIndex, frequency: Frequency) -> np.ndarray:
    """An integer per period: the year (annual) or year * 12 + month - 1 (monthly)."""
    index = pd.DatetimeIndex(dates)
    if Frequency(frequency) == Frequency.ANNUAL:
        return index.year.to_numpy(dtype=int)
    return (index.year * 12 + index.month - 1).to_numpy(dtype=int)


def key_label(key: int, frequency: Frequency) -> str:
    """'2019' for a year, 'Jun 2025' for a month."""
    if Frequency(frequency) == Frequency.ANNUAL:
        return str(int(key))
    return pd.Timestamp(year=int(key) // 12, month=int(key) % 12 + 1, day=1).strftime("%b %Y")


def prepare_cut(history: pd.DataFrame, frequency: Frequency, value_type: s.ValueType) -> PreparedSeries:
    """A cut history on its own grid and modelling scale (fewer values allowed than for a projection)."""
    return prepare_series(history, frequency=frequency, value_type=value_type,
                          min_points=MIN_TRAIN[Frequency(frequency)])


def forecast_from(prepared: PreparedSeries, methods: Sequence[str], horizon: int, seed: int,
                  first_key: int) -> list[dict[str, object]]:
    """One row per method and period ahead of the forecasts made standing at the end of ``prepared``."""
    steps = np.arange(1, int(horizon) + 1)
    future = prepared.positions[-1] + steps
    scale_z = step_scale(prepared.positions, prepared.z)
    scale_y = step_scale(prepared.positions, prepared.values)
    t = prepared.transform
    cut = first_key + int(prepared.positions[-1])
    rows: list[dict[str, object]] = []
    made: dict[str, np.ndarray] = {}  # each method's forecast, so the combination refits nothing

    def made_by(method: str) -> np.ndarray:
        if method not in made:
            made[method] = predict(method, prepared.positions, prepared.z, future, prepared=prepared, seed=seed)
        return made[method]

    for method in methods:
        try:
            z_pred = combine([made_by(m) for m in COMBINED]) if method == COMBINATION else made_by(method)
        except RuntimeError:  # a failed Stan optimisation: this method (or a combination of it) has no forecast
            if method not in (PROPHET, COMBINATION):
                raise
            continue
        y_pred = t.inverse(z_pred)
        rows.extend({CUT: cut, N_TRAIN: prepared.n, "method": method, HORIZON: int(h), TARGET: cut + int(h),
                     "z_pred": float(zp), "y_pred": float(yp), "scale_z": scale_z, "scale_y": scale_y,
                     "kind": t.kind, "lower_bound": np.nan if t.lower is None else float(t.lower),
                     "upper_bound": np.nan if t.upper is None else float(t.upper)}
                    for h, zp, yp in zip(steps, z_pred, y_pred, strict=True))
    return rows


def series_cuts(history: pd.DataFrame, *, frequency: Frequency, value_type: s.ValueType, seed: int,
                methods: Sequence[str] = METHODS, horizon: int | None = None,
                min_train: int | None = None) -> pd.DataFrame:
    """Forecasts from every cut of one series but the last (CUT_COLUMNS without the identity columns)."""
    frequency = Frequency(frequency)
    horizon = POOL_HORIZON[frequency] if horizon is None else int(horizon)
    min_train = MIN_TRAIN[frequency] if min_train is None else int(min_train)
    frame = history[history[s.VALUE].notna()].sort_values(s.PERIOD_START).reset_index(drop=True)
    keys = period_key(frame[s.PERIOD_START], frequency)
    truth = dict(zip(keys.tolist(), frame[s.VALUE].to_numpy(dtype=float).tolist(), strict=True))
    rows: list[dict[str, object]] = []
    for end in range(min_train, len(frame)):  # not at the last value: nothing after it can score that forecast
        prepared = prepare_cut(frame.iloc[:end], frequency, value_type)
        rows.extend(forecast_from(prepared, methods, horizon, seed, int(keys[0])))
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["y_true"] = out[TARGET].map(truth).astype(float)
    out["z_true"] = forward(out, out["y_true"].to_numpy())
    return out


def _transform_of(kind: str, lower: float, upper: float) -> Transform:
    return Transform(kind, None if np.isnan(lower) else float(lower), None if np.isnan(upper) else float(upper))


def _apply(frame: pd.DataFrame, values: np.ndarray, inverse: bool) -> np.ndarray:
    out = np.full(len(frame), np.nan)
    values = np.asarray(values, dtype=float)
    keys = frame[["kind", "lower_bound", "upper_bound"]].fillna(np.inf)
    groups = cast("dict[tuple[str, float, float], np.ndarray]",
                  keys.groupby(["kind", "lower_bound", "upper_bound"], sort=False).indices)
    for (kind, lower, upper), index in groups.items():
        t = _transform_of(kind, np.nan if np.isinf(lower) else lower, np.nan if np.isinf(upper) else upper)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[index] = t.inverse(values[index]) if inverse else t.forward(values[index])
    return out


def forward(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """Values onto each row's modelling scale (an outcome on a bound maps to +-inf: outside any range)."""
    return _apply(frame, values, inverse=False)


def inverse(frame: pd.DataFrame, z: np.ndarray) -> np.ndarray:
    """Modelling-scale values back onto each row's value scale."""
    return _apply(frame, z, inverse=True)


def known_at(cuts: pd.DataFrame, origin: int) -> pd.DataFrame:
    """The back-test forecasts whose outcome was observed at or before ``origin``: all that is known then."""
    return cuts[(cuts[TARGET] <= origin) & cuts["y_true"].notna()]


def _one(args: tuple[str, str, str, Frequency, s.ValueType, pd.DataFrame, int, tuple[str, ...]]) -> pd.DataFrame:
    family, indicator_id, area_code, frequency, value_type, history, seed, methods = args
    out = series_cuts(history, frequency=frequency, value_type=value_type, seed=seed, methods=methods)
    if out.empty:
        return out
    out.insert(0, s.AREA_CODE, area_code)
    out.insert(0, s.INDICATOR_ID, indicator_id)
    out.insert(0, FAMILY, family)
    return out


def _chunk(items: list[tuple[str, str, str, Frequency, s.ValueType, pd.DataFrame, int, tuple[str, ...]]]
           ) -> list[pd.DataFrame]:
    return [_one(item) for item in items]


class SeriesTaskLike(Protocol):
    """What panel_cuts reads of a task (``precompute.SeriesTask`` has it)."""

    @property
    def indicator_id(self) -> str: ...
    @property
    def area_code(self) -> str: ...
    @property
    def frequency(self) -> str: ...
    @property
    def value_type(self) -> ValueType: ...
    @property
    def history(self) -> pd.DataFrame: ...


def panel_cuts(tasks: Sequence[SeriesTaskLike], *, seed: int, jobs: int = 1,
               methods: Sequence[str] = METHODS) -> pd.DataFrame:
    """The cut table of many series (``precompute.SeriesTask``-like: indicator_id, area_code, frequency,
    value_type, history; the family is the indicator), in ``jobs`` processes; sorted, so deterministic."""
    items = [(t.indicator_id, t.indicator_id, t.area_code, Frequency(t.frequency), t.value_type, t.history, seed,
              tuple(methods)) for t in tasks]
    chunks = [items[i:i + 6] for i in range(0, len(items), 6)]
    if jobs <= 1 or len(chunks) <= 1:
        frames = [f for c in chunks for f in _chunk(c)]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            frames = [f for done in pool.map(_chunk, chunks) for f in done]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=CUT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[CUT_COLUMNS]
    return out.sort_values([FAMILY, s.INDICATOR_ID, s.AREA_CODE, CUT, "method", HORIZON]).reset_index(drop=True)
