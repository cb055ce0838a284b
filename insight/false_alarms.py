"""How often the signal rules fire when nothing has changed: the measurements behind scripts/false_alarms.py.

Three measurements, each defined so that it cannot flatter the rules:

1. **Permutation null of the annual trend test** (the S5 test behind ``Rule.ANNUAL_TREND``). For each real
   annual series, take the five values of its latest test window and put them in every one of their
   5! = 120 orders. Any order is as likely as any other when nothing is changing, so the share of orders the
   test flags is its false-alarm rate *for that series' own values*, exactly (no random draws). The flag is
   the same as ``insight.stats.trend_marker``'s: a least-squares slope with two-sided p < 0.05 on five
   consecutive years, computed here for all orders at once through the equivalent correlation cut-off.
2. **Back-test of the annual trend test at past origins.** For every series and every past year T with five
   consecutive annual values ending at T and the next three years published, run the test on the five years
   to T. A flag "rising" is *not borne out* when the mean of the next three years is not above the value in
   year T (for "falling": not below). This asks whether the direction the flag announced continued; it
   counts a flag as an alarm that did not come true, whatever the cause.
3. **Shuffled monthly series for the SPC rules.** Each monthly series is shuffled ``n_shuffles`` times with a
   fixed seed (destroying trend and season, so nothing changes by construction), and the share of shuffles
   with at least one *current* SPC signal (ending in the latest three periods) is the false-alarm rate of a
   chart looked at today.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight import schema as s
from insight.signals import RECENT_PERIODS
from insight.spc import POSITION, Cadence, assess_spc
from insight.stats import TREND_RECENT_POINTS

WINDOW = TREND_RECENT_POINTS  # 5
FOLLOW_UP = 3  # years after an origin that decide whether a flag was borne out
ALPHA = 0.05


def _critical_r(n: int = WINDOW, alpha: float = ALPHA) -> float:
    """|r| above which a least-squares slope through n points has two-sided p < alpha (t with n-2 df)."""
    from scipy import stats

    t = float(stats.t.ppf(1 - alpha / 2, n - 2))
    return t / math.sqrt(n - 2 + t * t)


def flags(windows: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """+1 (rising) / -1 (falling) / 0 for each row of ``windows`` (k x n values at years 0..n-1)."""
    windows = np.atleast_2d(np.asarray(windows, dtype=float))
    x = np.arange(windows.shape[1], dtype=float)
    x = x - x.mean()
    y = windows - windows.mean(axis=1, keepdims=True)
    sy = np.sqrt((y * y).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (y @ x) / (sy * math.sqrt(float(x @ x)))
    flagged = np.abs(r) > _critical_r(windows.shape[1], alpha)
    return np.where(flagged & np.isfinite(r), np.sign(r), 0).astype(int)


_ORDERS = np.array(list(itertools.permutations(range(WINDOW))))


def permutation_flag_share(window: Iterable[float]) -> float:
    """Share of the 120 orders of five values that the trend test flags (its exact null false-alarm rate)."""
    values = np.asarray(list(window), dtype=float)
    if values.shape != (WINDOW,):
        raise ValueError(f"a window has exactly {WINDOW} values")
    return float(np.mean(flags(values[_ORDERS]) != 0))


def consecutive_runs(frame: pd.DataFrame) -> Iterator[np.ndarray]:
    """Values of each stretch of consecutive years (period_start, value), in time order."""
    rows = frame[frame[s.VALUE].notna()].sort_values(s.PERIOD_START, kind="mergesort")
    years = pd.to_datetime(rows[s.PERIOD_START]).dt.year.to_numpy()
    values = rows[s.VALUE].to_numpy(dtype=float)
    if len(years) == 0:
        return
    breaks = np.flatnonzero(np.diff(years) != 1) + 1
    yield from np.split(values, breaks)


def latest_window(frame: pd.DataFrame) -> np.ndarray | None:
    """The latest five consecutive annual values (the S5 test window), or None when there are fewer."""
    runs = list(consecutive_runs(frame))
    if not runs or len(runs[-1]) < WINDOW:
        return None
    return runs[-1][-WINDOW:]


@dataclass(frozen=True)
class OriginResult:
    """Back-test counts over one or more series: origins tested, flags raised, flags not borne out."""

    origins: int
    flagged: int
    not_borne_out: int

    def __add__(self, other: OriginResult) -> OriginResult:
        return OriginResult(self.origins + other.origins, self.flagged + other.flagged,
                            self.not_borne_out + other.not_borne_out)


def backtest_origins(frame: pd.DataFrame, follow_up: int = FOLLOW_UP) -> OriginResult:
    """Test every past origin of one annual series that has ``follow_up`` later consecutive years."""
    total = OriginResult(0, 0, 0)
    for run in consecutive_runs(frame):
        ends = range(WINDOW - 1, len(run) - follow_up)
        if not len(ends):
            continue
        windows = np.array([run[e - WINDOW + 1:e + 1] for e in ends])
        found = flags(windows)
        later = np.array([run[e + 1:e + 1 + follow_up].mean() for e in ends])
        last = windows[:, -1]
        continued = np.where(found > 0, later > last, later < last)
        total += OriginResult(len(ends), int((found != 0).sum()), int(((found != 0) & ~continued).sum()))
    return total


def spc_shuffle_share(frame: pd.DataFrame, cadence: Cadence, *, n_shuffles: int = 200,
                      seed: int = 2025) -> tuple[float, dict[str, float]]:
    """Share of shuffles of a series with a current SPC signal, overall and per rule (nothing changes in a shuffle)."""
    rows = frame[frame[s.VALUE].notna()].sort_values(s.PERIOD_START, kind="mergesort").reset_index(drop=True)
    rng = np.random.default_rng(seed)
    values = rows[s.VALUE].to_numpy(dtype=float)
    hits = 0
    per_rule: dict[str, int] = {}
    for _ in range(n_shuffles):
        shuffled = rows.assign(**{s.VALUE: rng.permutation(values)})
        xmr = assess_spc(shuffled, cadence).xmr
        if xmr is None:
            continue
        positions = xmr.frame[POSITION].to_numpy()
        current = {e.rule.value for e in xmr.episodes if positions[-1] - positions[e.last_row] < RECENT_PERIODS}
        hits += bool(current)
        for rule in current:
            per_rule[rule] = per_rule.get(rule, 0) + 1
    return hits / n_shuffles, {k: v / n_shuffles for k, v in sorted(per_rule.items())}
