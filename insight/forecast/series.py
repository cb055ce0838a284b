"""Turn an observed history into a regular, transformed series ready to model.

* Periods are placed on a regular grid of the series' frequency (years or months). A period with no
  value is a gap, never a zero; gaps are kept as missing and reported in a note.
* Values are modelled on a transformed scale so that projections respect their natural bounds:
  ``logit`` between a lower and an upper bound (percentages: 0-100), ``log`` above a lower bound
  (counts, rates, means: 0), identity otherwise (scores, which may be negative). When an observed value
  sits exactly on a bound (a true 0 %, say) the transform is undefined there, so the series is modelled
  on its own scale and projections are cut off at the bound instead; a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight import schema as s
from insight.errors import ForecastError
from insight.schema import PERIOD_START, VALUE, Frequency, ValueType

MIN_HISTORY: dict[Frequency, int] = {Frequency.ANNUAL: 8, Frequency.MONTHLY: 24}

_WHY_NOT = {
    Frequency.ROLLING_3_YEAR: "this is a 3-year rolling series (each value overlaps the next), so it is shown "
                              "as a trend only.",
    Frequency.ROLLING_5_YEAR: "this is a 5-year rolling series (each value overlaps the next), so it is shown "
                              "as a trend only.",
    Frequency.QUARTERLY: "this is a quarterly series, and the calibration pool holds only annual and monthly "
                         "errors, so its ranges could not be calibrated.",
    Frequency.SNAPSHOT: "this is a snapshot series (a single period), so there is no trend to project.",
    Frequency.EDITIONS: "this series comes in irregular editions (too few points, unevenly spaced), so it is "
                        "shown as a trend only.",
}
_FREQUENCY_WORDS = {Frequency.ANNUAL: ("annual point", "year"), Frequency.MONTHLY: ("monthly point", "month")}


def default_bounds(value_type: ValueType) -> tuple[float | None, float | None]:
    """Natural bounds of a value type: percentages 0-100, counts/rates/means >= 0, scores unbounded."""
    vt = ValueType(value_type)
    if vt in (ValueType.PROPORTION, ValueType.PERCENTILE):
        return 0.0, 100.0
    if vt == ValueType.SCORE:
        return None, None
    return 0.0, None


@dataclass(frozen=True)
class Transform:
    """A monotone map between the value scale and the modelling scale."""

    kind: str  # "logit" | "log" | "neg_log" | "identity"
    lower: float | None
    upper: float | None

    def _lower(self) -> float:
        if self.lower is None:
            raise ValueError(f"a {self.kind} transform needs a lower bound")
        return self.lower

    def _upper(self) -> float:
        if self.upper is None:
            raise ValueError(f"a {self.kind} transform needs an upper bound")
        return self.upper

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self.kind == "logit":
            lower, upper = self._lower(), self._upper()
            p = (x - lower) / (upper - lower)
            return np.log(p / (1.0 - p))
        if self.kind == "log":
            return np.log(x - self._lower())
        if self.kind == "neg_log":
            return -np.log(self._upper() - x)
        return x.copy()

    def inverse(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=float)
        if self.kind == "logit":
            # clip the exponent so extreme values saturate at the bounds instead of overflowing
            lower, upper = self._lower(), self._upper()
            return lower + (upper - lower) / (1.0 + np.exp(-np.clip(z, -700, 700)))
        if self.kind == "log":
            return self._lower() + np.exp(np.clip(z, -700, 700))
        if self.kind == "neg_log":
            return self._upper() - np.exp(-np.clip(z, -700, 700))
        out = z.copy()
        if self.lower is not None or self.upper is not None:
            out = np.clip(out, self.lower, self.upper)
        return out

    def describe(self) -> str:
        """Plain-English description for caveats and docs."""
        if self.kind == "logit":
            return f"modelled on a logit scale so projections stay between {_num(self.lower)} and {_num(self.upper)}"
        if self.kind == "log":
            return f"modelled on a log scale so projections stay above {_num(self.lower)}"
        if self.kind == "neg_log":
            return f"modelled on a log scale so projections stay below {_num(self.upper)}"
        return "modelled on its own scale"


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


@dataclass(frozen=True)
class PreparedSeries:
    """A history on a regular grid: position k is ``k`` periods after the first observed period."""

    frequency: Frequency
    first_period: pd.Timestamp  # period_start of grid position 0 (as observed)
    positions: np.ndarray  # int grid positions of the observed values, increasing
    values: np.ndarray  # observed values, value scale
    z: np.ndarray  # observed values, modelling scale
    transform: Transform
    notes: tuple[str, ...]

    @property
    def n(self) -> int:
        return int(self.positions.size)

    @property
    def last_period(self) -> pd.Timestamp:
        return self.period_at(int(self.positions[-1]))

    def period_at(self, position: int) -> pd.Timestamp:
        """The period_start of a grid position (may be in the future)."""
        if self.frequency == Frequency.ANNUAL:
            return self.first_period + pd.DateOffset(years=int(position))
        return self.first_period + pd.DateOffset(months=int(position))

    def model_dates(self, positions: np.ndarray) -> pd.DatetimeIndex:
        """Evenly spaced dates for the modelling grid (1 Jan of each year / 1st of each month)."""
        steps = np.asarray(positions, dtype=np.int64)
        if self.frequency == Frequency.ANNUAL:
            first = np.datetime64(str(self.first_period.year), "Y")
        else:
            first = np.datetime64(f"{self.first_period.year:04d}-{self.first_period.month:02d}", "M")
        return pd.DatetimeIndex((first + steps).astype("datetime64[us]"))  # whole years/months from the 1st


def _grid_position(dates: pd.Series, frequency: Frequency) -> np.ndarray:
    years = dates.dt.year.to_numpy()
    if frequency == Frequency.ANNUAL:
        return years - years.min()
    months = years * 12 + dates.dt.month.to_numpy() - 1
    return months - months.min()


def _gap_labels(missing: np.ndarray, first: pd.Timestamp, frequency: Frequency) -> str:
    if frequency == Frequency.ANNUAL:
        labels = [str(first.year + int(k)) for k in missing]
    else:
        labels = [(first + pd.DateOffset(months=int(k))).strftime("%b %Y") for k in missing]
    if len(labels) > 6:
        labels = labels[:5] + [f"… and {len(labels) - 5} more"]
    return ", ".join(labels)


def choose_transform(values: np.ndarray, lower: float | None, upper: float | None) -> tuple[Transform, str | None]:
    """Pick the modelling scale; return a note when it falls back to cutting off at a bound."""
    on_lower = lower is not None and bool(np.any(values <= lower))
    on_upper = upper is not None and bool(np.any(values >= upper))
    if on_lower or on_upper:
        which = _num(lower) if on_lower else _num(upper)
        note = (f"Some observed values equal the bound {which}, so the series is modelled on its own scale "
                f"and projections are cut off at {which}.")
        return Transform("identity", lower, upper), note
    if lower is not None and upper is not None:
        return Transform("logit", lower, upper), None
    if lower is not None:
        return Transform("log", lower, None), None
    if upper is not None:
        return Transform("neg_log", None, upper), None
    return Transform("identity", None, None), None


def prepare_series(history: pd.DataFrame, *, frequency: Frequency, value_type: ValueType,
                   lower_bound: float | None = None, upper_bound: float | None = None,
                   min_points: int | None = None) -> PreparedSeries:
    """Validate a history (columns period_start, value) and put it on a regular, transformed grid.

    Raises ForecastError when the frequency cannot be projected, a period appears twice, a value is
    outside its bounds, or fewer than ``min_points`` (default MIN_HISTORY[frequency]) values are observed
    (back-tests use shorter histories than a projection shown on screen).
    """
    try:
        frequency = Frequency(frequency)
    except ValueError as exc:
        raise ForecastError(f"Unknown frequency '{frequency}'.") from exc
    if frequency not in MIN_HISTORY:
        raise ForecastError(f"Projections are made only for annual and monthly series; {_WHY_NOT[frequency]}")
    missing_cols = [c for c in (PERIOD_START, VALUE) if c not in history.columns]
    if missing_cols:
        raise ForecastError(f"The history needs columns {PERIOD_START!r} and {VALUE!r}; missing {missing_cols}.")

    frame = history[[PERIOD_START, VALUE]].copy()
    frame[PERIOD_START] = pd.to_datetime(frame[PERIOD_START])
    frame[VALUE] = pd.to_numeric(frame[VALUE], errors="coerce").astype(float)
    notes: list[str] = []
    n_nan = int(frame[VALUE].isna().sum())
    if n_nan:
        frame = frame[frame[VALUE].notna()]
        notes.append(f"{n_nan} period(s) with no published value were left out (treated as gaps, not zeros).")
    if not np.isfinite(frame[VALUE].to_numpy()).all():
        raise ForecastError("The history contains an infinite value; fix the data before projecting.")
    frame = frame.sort_values(PERIOD_START).reset_index(drop=True)

    needed = MIN_HISTORY[frequency] if min_points is None else int(min_points)
    point_word, period_word = _FREQUENCY_WORDS[frequency]
    if len(frame) < needed:
        raise ForecastError(f"Needs at least {needed} {point_word}s to project; this series has {len(frame)}.")

    positions = _grid_position(frame[PERIOD_START], frequency)
    dupes = pd.Series(positions).duplicated(keep=False).to_numpy()
    if dupes.any():
        first_dupe = frame[PERIOD_START][dupes].iloc[0]
        label = str(first_dupe.year) if frequency == Frequency.ANNUAL else first_dupe.strftime("%b %Y")
        raise ForecastError(f"The series has more than one value for the {period_word} {label}; "
                            f"expected one value per {period_word}.")

    lower, upper = default_bounds(value_type)
    if lower_bound is not None:
        lower = float(lower_bound)
    if upper_bound is not None:
        upper = float(upper_bound)
    if lower is not None and upper is not None and lower >= upper:
        raise ForecastError(f"The lower bound {lower:g} must be below the upper bound {upper:g}.")
    values = frame[VALUE].to_numpy(dtype=float)
    vt = ValueType(value_type).value
    if lower is not None and (values < lower).any():
        raise ForecastError(f"A value ({values[values < lower][0]:g}) is below the lower bound {lower:g} "
                            f"for a {vt}, so no projection is made. If this measure can be negative, its "
                            "catalogue value type should be 'score'.")
    if upper is not None and (values > upper).any():
        raise ForecastError(f"A value ({values[values > upper][0]:g}) is above the upper bound {upper:g} "
                            f"for a {vt}, so no projection is made; check the data or the value type.")

    first_period = frame[PERIOD_START].iloc[0]
    missing = np.setdiff1d(np.arange(positions[-1] + 1), positions)
    if missing.size:
        notes.append(f"The series is placed on a regular {period_word}ly grid; {missing.size} missing "
                     f"{period_word}(s) ({_gap_labels(missing, first_period, frequency)}) are gaps, not zeros.")
    transform, note = choose_transform(values, lower, upper)
    if note:
        notes.append(note)
    return PreparedSeries(frequency=frequency, first_period=first_period, positions=positions.astype(int),
                          values=values, z=transform.forward(values), transform=transform, notes=tuple(notes))


def projectable_series(observations: pd.DataFrame, indicators: pd.DataFrame,
                       min_history: dict[s.Frequency, int] | None = None) -> pd.DataFrame:
    """(indicator_id, area_code, points, status) of every annual or monthly series with enough observed
    values to project (at least ``min_history[frequency]``, by default MIN_HISTORY): the one rule for which
    series the app offers and the precompute projects."""
    min_history = MIN_HISTORY if min_history is None else min_history
    catalogue = indicators.set_index(s.INDICATOR_ID)
    observed = observations[observations[s.VALUE].notna()]
    counts = observed.groupby([s.INDICATOR_ID, s.AREA_CODE], sort=True).size().rename("points").reset_index()
    counts[s.FREQUENCY] = counts[s.INDICATOR_ID].map(catalogue[s.FREQUENCY])
    counts[s.STATUS] = counts[s.INDICATOR_ID].map(catalogue[s.STATUS]).fillna(s.Status.REAL.value)
    needed = counts[s.FREQUENCY].map({str(f): n for f, n in min_history.items()})
    keep = needed.notna() & (counts["points"] >= needed.fillna(0))
    return counts.loc[keep, [s.INDICATOR_ID, s.AREA_CODE, "points", s.STATUS]].reset_index(drop=True)


def step_scale(positions: np.ndarray, z: np.ndarray) -> float:
    """Mean absolute one-step change (gaps of k periods count as sqrt(k) steps); never zero."""
    if z.size < 2:
        return max(1e-6, 1e-6 * float(np.abs(z).mean()) if z.size else 1e-6)
    gaps = np.diff(positions).astype(float)
    scale = float(np.mean(np.abs(np.diff(z)) / np.sqrt(gaps)))
    floor = 1e-6 * max(1.0, float(np.mean(np.abs(z))))
    return max(scale, floor)
