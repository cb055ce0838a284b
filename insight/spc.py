"""Statistical process control: the XmR chart and the NHS England "Making Data Count" special-cause rules.

Method (as NHS England's Making Data Count (MDC) Excel tools compute it; the NHS-R community's
NHSRplotthedots package reproduces those tools in code and is the reference these rules were checked against):

* **Centre line**: the mean of the baseline points.
* **Process limits**: mean +/- 2.66 x the mean moving range, where a moving range is the absolute
  difference between two consecutive periods. 2.66 = 3 / 1.128 turns the mean moving range into three
  standard deviations ("sigma"). Moving ranges are not screened for outliers (the MDC Excel default).
* **Baseline**: by default every point of the series (the MDC default when a chart is not re-based);
  ``baseline_points=n`` fixes the mean and limits on the first ``n`` points and tests the later ones
  against them ("locked" limits).
* **Minimum length**: MDC advises at least 15 points for useful limits and 20 or more for firm ones.
  Below ``SPC_MIN_POINTS`` (15) values, or 14 moving ranges, no chart is drawn and the reason says why;
  from 15 to 19 points the limits are marked provisional.

Special-cause rules (a point is tested only against points in the same unbroken stretch of periods: a
missing period breaks a moving range, a run, a trend and a two-of-three window):

1. **Beyond the limits**: a point strictly above the upper or below the lower process limit.
2. **Run** (MDC "shift"): ``RUN_LENGTH`` = 7 or more consecutive points on the same side of the mean.
   A point exactly on the mean breaks a run (as in the MDC tools).
3. **Trend**: ``TREND_LENGTH`` = 7 or more consecutive points each higher (or each lower) than the one
   before, i.e. 6 rises (or falls) in a row. Two equal consecutive values break a trend.
4. **Two of three near a limit**: of three consecutive points, two or more lie beyond two sigma on the same
   side (in the outer third between the mean and the process limit, or beyond it); the third may be
   anywhere. Those points are the signal. This is the rule as MDC and the Western Electric handbook word it;
   NHSRplotthedots also requires the third point on the same side of the mean and does not count points
   beyond the limit, which misses e.g. two adjacent near points between two low ones.

Values equal within a relative tolerance of 1e-9 count as equal (so a computed mean of exactly 10
is "on the mean" for a value of 10).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from insight.schema import PERIOD_LABEL, PERIOD_START, VALUE

LIMIT_FACTOR = 2.66  # 3 / d2 (d2 = 1.128 for moving ranges of two points)
NEAR_FACTOR = LIMIT_FACTOR * 2 / 3  # two sigma: the start of the outer third
SPC_MIN_POINTS = 15  # MDC: at least 15 points ...
SPC_FIRM_POINTS = 20  # ... and 20 or more for firm limits
RUN_LENGTH = 7
TREND_LENGTH = 7  # points, i.e. 6 consecutive rises or falls
TWO_OF_THREE_WINDOW = 3
_RTOL = 1e-9

# columns of XmR.frame besides period_start, period_label and value
POSITION = "position"  # index on the regular grid of periods (gaps skip a number)
SEGMENT = "segment"  # unbroken stretch of consecutive periods
MOVING_RANGE = "moving_range"
IN_BASELINE = "in_baseline"


class Cadence(StrEnum):
    """How often a series has a value; SPC is for monthly and quarterly series."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


CADENCE_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.ANNUAL: 12}
PERIOD_WORDS = {Cadence.MONTHLY: ("month", "months"), Cadence.QUARTERLY: ("quarter", "quarters"),
                Cadence.ANNUAL: ("year", "years")}
SPC_CADENCES = (Cadence.MONTHLY, Cadence.QUARTERLY)


class SpcRule(StrEnum):
    """The four special-cause rules, most unusual first."""

    BEYOND_LIMITS = "beyond_limits"
    TWO_OF_THREE = "two_of_three"
    RUN = "run"
    TREND = "trend"


class Side(StrEnum):
    """Where a pattern lies: above the mean / rising (HIGH) or below the mean / falling (LOW)."""

    HIGH = "high"
    LOW = "low"


@dataclass(frozen=True)
class Episode:
    """One firing of one rule: the rows of ``XmR.frame`` that make up the pattern, in time order."""

    rule: SpcRule
    side: Side
    rows: tuple[int, ...]

    @property
    def last_row(self) -> int:
        return self.rows[-1]


@dataclass(frozen=True)
class XmR:
    """An XmR chart: the points (``frame``), centre line, limits, and every rule firing (``episodes``)."""

    frame: pd.DataFrame  # period_start, period_label, value, position, segment, moving_range, in_baseline
    cadence: Cadence
    mean: float
    mean_moving_range: float
    upper_limit: float
    lower_limit: float
    upper_near: float  # mean + two sigma
    lower_near: float
    baseline_points: int
    baseline_text: str  # e.g. "all 30 points (Jul 2023 to Dec 2025)"
    episodes: tuple[Episode, ...]

    @property
    def provisional(self) -> bool:
        """True when the limits rest on fewer than 20 points (MDC: treat them as provisional)."""
        return self.baseline_points < SPC_FIRM_POINTS

    @property
    def sigma(self) -> float:
        return self.mean_moving_range * LIMIT_FACTOR / 3

    def rows_flagged(self, rule: SpcRule) -> np.ndarray:
        """Boolean mask over ``frame`` rows: part of an episode of ``rule``."""
        mask = np.zeros(len(self.frame), dtype=bool)
        for episode in self.episodes:
            if episode.rule is rule:
                mask[list(episode.rows)] = True
        return mask


@dataclass(frozen=True)
class SpcOutcome:
    """An XmR chart when the series qualifies, otherwise the reason it does not (in plain words)."""

    xmr: XmR | None
    reason: str  # "" when xmr is set


class SpcError(ValueError):
    """The input cannot be put on a chart at all (repeated periods, unknown cadence)."""


def month_index(starts: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Months since year 0 of each period start (year * 12 + month - 1)."""
    stamps = pd.DatetimeIndex(pd.to_datetime(starts))
    return np.asarray(stamps.year * 12 + stamps.month - 1, dtype=int)


def infer_cadence(starts: pd.Series | pd.DatetimeIndex) -> Cadence | None:
    """Monthly, quarterly or annual from the most common gap between period starts; None if irregular."""
    months = np.unique(month_index(starts))
    if len(months) < 2:
        return None
    gaps = np.diff(months)
    common = int(pd.Series(gaps).mode().min())
    for cadence, step in CADENCE_MONTHS.items():
        if common == step and np.all(gaps % step == 0):
            return cadence
    return None


def _prepared(frame: pd.DataFrame, cadence: Cadence) -> pd.DataFrame:
    """Rows with a value, in time order, with their grid position and unbroken-stretch number."""
    rows = frame[[PERIOD_START, PERIOD_LABEL, VALUE]].copy()
    rows[VALUE] = pd.to_numeric(rows[VALUE], errors="coerce").astype(float)
    rows = rows[np.isfinite(rows[VALUE])]
    rows[PERIOD_START] = pd.to_datetime(rows[PERIOD_START])
    rows = rows.sort_values(PERIOD_START, kind="mergesort").reset_index(drop=True)
    if rows[PERIOD_START].duplicated().any():
        first = rows.loc[rows[PERIOD_START].duplicated(keep=False), PERIOD_LABEL].iloc[0]
        raise SpcError(f"The series has two values for the same period ({first}); give one value per period.")
    months = month_index(rows[PERIOD_START])
    step = CADENCE_MONTHS[cadence]
    offsets = months - (months[0] if len(months) else 0)
    if np.any(offsets % step):
        rows[POSITION] = -1
        return rows
    rows[POSITION] = offsets // step
    rows[SEGMENT] = np.concatenate([[0], np.cumsum(np.diff(rows[POSITION].to_numpy()) != 1)]) if len(rows) else []
    return rows


def _close(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    return np.isclose(a, b, rtol=_RTOL, atol=0.0)


def _stretches(keys: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(start, end exclusive, key) of maximal stretches of equal keys."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            yield start, i, int(keys[start])
            start = i


def _side(key: int) -> Side:
    return Side.HIGH if key > 0 else Side.LOW


def _runs(values: np.ndarray, mean: float, offset: int) -> list[Episode]:
    sign = np.sign(values - mean).astype(int)
    sign[_close(values, mean)] = 0
    return [Episode(SpcRule.RUN, _side(key), tuple(range(offset + a, offset + b)))
            for a, b, key in _stretches(sign) if key != 0 and b - a >= RUN_LENGTH]


def _trends(values: np.ndarray, offset: int) -> list[Episode]:
    if len(values) < TREND_LENGTH:
        return []
    steps = np.sign(np.diff(values)).astype(int)
    steps[_close(values[1:], values[:-1])] = 0
    return [Episode(SpcRule.TREND, _side(key), tuple(range(offset + a, offset + b + 1)))
            for a, b, key in _stretches(steps) if key != 0 and b - a >= TREND_LENGTH - 1]


def _beyond(values: np.ndarray, upper: float, lower: float, offset: int) -> list[Episode]:
    key = np.where((values > upper) & ~_close(values, upper), 1,
                   np.where((values < lower) & ~_close(values, lower), -1, 0))
    return [Episode(SpcRule.BEYOND_LIMITS, _side(k), tuple(range(offset + a, offset + b)))
            for a, b, k in _stretches(key) if k != 0]


def _two_of_three(values: np.ndarray, near: tuple[float, float], offset: int) -> list[Episode]:
    """Windows of three holding two or more points beyond two sigma on one side; overlapping windows merge."""
    lower_near, upper_near = near
    episodes: list[Episode] = []
    high = (values > upper_near) & ~_close(values, upper_near)
    low = (values < lower_near) & ~_close(values, lower_near)
    for side, mask in ((Side.HIGH, high), (Side.LOW, low)):
        hits = [i for i in range(len(values) - TWO_OF_THREE_WINDOW + 1)
                if int(mask[i:i + TWO_OF_THREE_WINDOW].sum()) >= 2]
        groups: list[list[int]] = []
        for i in hits:
            if groups and i <= groups[-1][-1] + TWO_OF_THREE_WINDOW - 1:
                groups[-1].append(i)
            else:
                groups.append([i])
        for group in groups:
            rows = sorted({j for i in group for j in range(i, i + TWO_OF_THREE_WINDOW) if mask[j]})
            episodes.append(Episode(SpcRule.TWO_OF_THREE, side, tuple(offset + j for j in rows)))
    return episodes


def _moving_ranges(rows: pd.DataFrame) -> np.ndarray:
    values = rows[VALUE].to_numpy(dtype=float)
    segment = rows[SEGMENT].to_numpy()
    ranges = np.full(len(values), np.nan)
    if len(values) > 1:
        same = segment[1:] == segment[:-1]
        ranges[1:] = np.where(same, np.abs(np.diff(values)), np.nan)
    return ranges


def assess_spc(frame: pd.DataFrame, cadence: Cadence | str, *, baseline_points: int | None = None) -> SpcOutcome:
    """The XmR chart of ``frame`` (period_start, period_label, value), or why the series cannot have one.

    Raises SpcError for repeated periods. ``baseline_points`` fixes the limits on the first n points
    (at least SPC_MIN_POINTS); by default the baseline is every point.
    """
    cadence = Cadence(cadence)
    if cadence not in SPC_CADENCES:
        return SpcOutcome(None, "SPC charts are for monthly and quarterly series; this series is "
                                f"{cadence.value} (annual series get the trend test instead).")
    if baseline_points is not None and baseline_points < SPC_MIN_POINTS:
        raise SpcError(f"baseline_points must be at least {SPC_MIN_POINTS}; got {baseline_points}.")
    rows = _prepared(frame, cadence)
    one, many = PERIOD_WORDS[cadence]
    if len(rows) and (rows[POSITION] < 0).any():
        return SpcOutcome(None, f"The periods are not evenly spaced {one} by {one}, so SPC limits would mislead.")
    if len(rows) < SPC_MIN_POINTS:
        return SpcOutcome(None, f"Too short for SPC: {len(rows)} {many} with a value; SPC needs at least "
                                f"{SPC_MIN_POINTS} (NHS Making Data Count advises 15, ideally 20).")
    n_base = len(rows) if baseline_points is None else min(int(baseline_points), len(rows))
    rows[IN_BASELINE] = np.arange(len(rows)) < n_base
    ranges = _moving_ranges(rows)
    rows[MOVING_RANGE] = ranges
    base_ranges = ranges[1:n_base]
    base_ranges = base_ranges[np.isfinite(base_ranges)]
    if len(base_ranges) < SPC_MIN_POINTS - 1:
        return SpcOutcome(None, f"Too many gaps for SPC: only {len(base_ranges)} pairs of consecutive {many} "
                                f"with values; SPC needs at least {SPC_MIN_POINTS - 1}.")
    values = rows[VALUE].to_numpy(dtype=float)
    mean = float(values[:n_base].mean())
    mean_mr = float(base_ranges.mean())
    if mean_mr == 0:
        return SpcOutcome(None, f"The value never changes from one {one} to the next, so there is no "
                                "variation for SPC limits to describe.")
    upper, lower = mean + LIMIT_FACTOR * mean_mr, mean - LIMIT_FACTOR * mean_mr
    upper_near, lower_near = mean + NEAR_FACTOR * mean_mr, mean - NEAR_FACTOR * mean_mr
    episodes: list[Episode] = []
    for _, part in rows.groupby(SEGMENT, sort=True):
        offset = int(part.index[0])
        seg = part[VALUE].to_numpy(dtype=float)
        episodes += _beyond(seg, upper, lower, offset)
        episodes += _two_of_three(seg, (lower_near, upper_near), offset)
        episodes += _runs(seg, mean, offset)
        episodes += _trends(seg, offset)
    order = list(SpcRule)
    episodes.sort(key=lambda e: (e.rows[0], order.index(e.rule)))
    labels = rows[PERIOD_LABEL].astype(str)
    scope = "all" if n_base == len(rows) else "the first"
    baseline_text = f"{scope} {n_base} {many} ({labels.iloc[0]} to {labels.iloc[n_base - 1]})"
    return SpcOutcome(XmR(rows, cadence, mean, mean_mr, upper, lower, upper_near, lower_near, n_base,
                          baseline_text, tuple(episodes)), "")
