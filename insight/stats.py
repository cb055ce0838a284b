"""Official-statistics methods: intervals, benchmarking, spine positions, disclosure, trends, similarity.

Every method follows docs/CONVENTIONS.md (S1-S5, D1-D3) and the Public Health England /
OHID Fingertips methods as implemented in the PHEindicatormethods R package:

* proportions: Wilson score interval (S1), 95% and 99.8%; shares of residents of whole areas in or out (the
  most deprived decile): Wilson on Kish's effective number of areas (S1b);
* crude rates and counts: Byar's method when the count is 10 or more, exact Poisson (chi-square)
  limits below 10 (S2);
* benchmarking: an interval wholly above or below the comparator value differs from it (S4);
* trends: a linear-trend test on at least 5 comparable annual points (S5);
* disclosure control: suppress counts of 1-7, round others to the nearest 5, keep true zeros (D1-D3);
  secondary suppression and publishing from rounded counts are in `insight.disclosure` (D5).

Scalars in give floats out; numpy arrays or pandas Series in give numpy arrays out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from insight.errors import UnknownAreaError
from insight.schema import (
    AREA_CODE,
    DISCLOSURE_NONE,
    DISCLOSURE_SMALL_COUNTS,
    FLAG,
    LOWER_95,
    NUMERATOR,
    UPPER_95,
    VALUE,
    Flag,
    Polarity,
)

ArrayLike = float | int | np.ndarray | pd.Series | Sequence[float]

CONFIDENCE_95 = 0.95
CONFIDENCE_99_8 = 0.998
BYAR_MIN_COUNT = 10  # S2: Byar's method from 10 events up, exact Poisson below
SMALL_COUNT_MAX = 7  # D2: counts 1-7 are suppressed
ROUND_BASE = 5  # D2: other counts are rounded to the nearest 5
TREND_MIN_POINTS = 5  # S5
TREND_RECENT_POINTS = 5  # markers test the latest five annual points, as Fingertips' recent trends do


# ---- confidence levels -------------------------------------------------------------------------
def _scipy_stats() -> Any:
    """scipy.stats, imported on first use (it costs ~0.5 s at app start otherwise)."""
    from scipy import stats

    return stats


def _slope_and_p(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and its two-sided p-value (t test, n - 2 degrees of freedom), as
    scipy.stats.linregress computes them, with scipy.special only (scipy.stats costs ~1 s to import and the
    landing page's trend markers need nothing else from it)."""
    from scipy.special import stdtr

    n = len(x)
    xm, ym = x - x.mean(), y - y.mean()
    ssxm, ssym, ssxym = float(xm @ xm), float(ym @ ym), float(xm @ ym)
    slope = ssxym / ssxm
    if ssym == 0:  # a flat series: scipy gives no p-value (nan)
        return slope, math.nan
    r = max(min(ssxym / math.sqrt(ssxm * ssym), 1.0), -1.0)
    df = n - 2
    if abs(r) == 1.0:
        return slope, 0.0
    t = r * math.sqrt(df / ((1.0 - r) * (1.0 + r)))
    return slope, float(2 * stdtr(df, -abs(t)))


def _confidence(confidence: float) -> float:
    """Accept 0.9-1 or 90-100 (as PHEindicatormethods does) and return a proportion."""
    if not (0.9 <= confidence <= 1 or 90 <= confidence <= 100):
        raise ValueError("confidence level must be between 90 and 100 or between 0.9 and 1")
    return confidence / 100 if confidence > 1 else confidence


def z_value(confidence: float = CONFIDENCE_95) -> float:
    """Two-sided standard normal quantile for a confidence level (1.959964 for 95%)."""
    level = _confidence(confidence)
    return float(NormalDist().inv_cdf(1 - (1 - level) / 2))


def confidence_label(confidence: float = CONFIDENCE_95) -> str:
    """Human label of a confidence level: 0.95 -> '95%', 0.998 -> '99.8%'."""
    return f"{_confidence(confidence) * 100:g}%"


def _as_float_array(values: ArrayLike) -> np.ndarray:
    return np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(values)), errors="coerce"), dtype=float)


def _unwrap(scalar_input: bool, *arrays: np.ndarray) -> tuple[Any, ...]:
    if scalar_input:
        return tuple(float(a[0]) for a in arrays)
    return arrays


def _checked_counts(counts: ArrayLike, denominators: ArrayLike, noun: str) -> tuple[bool, np.ndarray, np.ndarray]:
    """(scalar input?, counts, denominators) as broadcast float arrays; ValueError for impossible values."""
    scalar = np.ndim(counts) == 0 and np.ndim(denominators) == 0
    x, n = np.broadcast_arrays(_as_float_array(counts), _as_float_array(denominators))
    if np.any(x < 0):
        raise ValueError(f"{noun} must be greater than or equal to zero")
    if np.any(n <= 0):
        raise ValueError("denominators must be greater than zero")
    return scalar, x, n


# ---- S1: Wilson score interval -----------------------------------------------------------------
def wilson_interval(
    numerator: ArrayLike, denominator: ArrayLike, confidence: float = CONFIDENCE_95
) -> tuple[Any, Any]:
    """Wilson score interval of numerator/denominator as proportions 0-1 (NaN where an input is missing).

    Raises ValueError for a negative numerator, a denominator of 0 or less, or numerator > denominator.
    """
    scalar, x, n = _checked_counts(numerator, denominator, "numerators")
    if np.any(x > n):
        raise ValueError("numerators must be less than or equal to denominator for a Wilson score")
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = 2 * x + z**2
        half = z * np.sqrt(z**2 + 4 * x * (1 - p))
        scale = 2 * (n + z**2)
        lower = np.clip((centre - half) / scale, 0.0, 1.0)
        upper = np.clip((centre + half) / scale, 0.0, 1.0)
    lower = np.where(x == 0, 0.0, lower)  # exact at the extremes, free of rounding
    upper = np.where(x == n, 1.0, upper)
    return _unwrap(scalar, lower, upper)


# ---- S1b: shares of people living in whole areas that are in or out ---------------------------------
def whole_area_interval(
    numerator: ArrayLike, denominator: ArrayLike, sum_of_squared_sizes: ArrayLike,
    confidence: float = CONFIDENCE_95,
) -> tuple[Any, Any]:
    """Wilson interval of a share of residents whose areas are wholly in or out (e.g. living in the most
    deprived decile), with the area, not the resident, as the unit (CONVENTIONS S1b).

    Every resident of an area shares its status, so the intra-area correlation is 1 and the design effect is
    the resident-weighted mean area size, sum(m^2) / sum(m). The sample size is then Kish's effective number
    of areas, n_eff = (sum m)^2 / sum(m^2) (the number of areas when all are the same size), and the interval
    is Wilson's for the observed share on n_eff. `numerator` = residents of areas in, `denominator` = all
    residents (sum m), `sum_of_squared_sizes` = sum of m^2 over the areas.
    """
    scalar, x, n = _checked_counts(numerator, denominator, "numerators")
    squares = _as_float_array(sum_of_squared_sizes)
    if np.any(squares <= 0):
        raise ValueError("the sum of squared area sizes must be greater than zero")
    effective = n**2 / squares
    lower, upper = wilson_interval(x / n * effective, effective, confidence)
    return _unwrap(scalar, np.atleast_1d(lower), np.atleast_1d(upper))


# ---- S2: Byar's method / exact Poisson ---------------------------------------------------------
def byar_interval(
    count: ArrayLike,
    denominator: ArrayLike = 1,
    multiplier: float = 1,
    confidence: float = CONFIDENCE_95,
) -> tuple[Any, Any]:
    """Interval of count/denominator*multiplier: Byar's method for counts >= 10, exact Poisson below.

    Exact limits are chi-square quantiles: lower = chi2(a/2, 2x)/2 (0 when x = 0),
    upper = chi2(1-a/2, 2x+2)/2. With the defaults the interval is that of the count itself.
    """
    scalar, x, n = _checked_counts(count, denominator, "counts")
    level = _confidence(confidence)
    alpha = 1 - level
    z = z_value(level)
    lower = np.full(x.shape, np.nan)
    upper = np.full(x.shape, np.nan)
    byar = x >= BYAR_MIN_COUNT
    exact = (x < BYAR_MIN_COUNT) & ~np.isnan(x)
    xb = x[byar]
    lower[byar] = xb * (1 - 1 / (9 * xb) - z / (3 * np.sqrt(xb))) ** 3
    upper[byar] = (xb + 1) * (1 - 1 / (9 * (xb + 1)) + z / (3 * np.sqrt(xb + 1))) ** 3
    xe = x[exact]
    with np.errstate(invalid="ignore"):
        lower[exact] = np.where(xe > 0, _scipy_stats().chi2.ppf(alpha / 2, 2 * xe) / 2, 0.0)
    upper[exact] = _scipy_stats().chi2.ppf(1 - alpha / 2, 2 * xe + 2) / 2
    factor = multiplier / n
    return _unwrap(scalar, lower * factor, upper * factor)


# ---- S4: benchmarking ---------------------------------------------------------------------------
class Rating(StrEnum):
    """Result of comparing an area's interval with a comparator value (CONVENTIONS S4)."""

    BETTER = "Better"
    SIMILAR = "Similar"
    WORSE = "Worse"
    HIGHER = "Higher"
    LOWER = "Lower"
    NOT_COMPARED = "Not compared"


@dataclass(frozen=True)
class Comparison:
    """A rating and the confidence level it was made at."""

    rating: Rating
    confidence_label: str

    def describe(self, comparator: str) -> str:
        """Plain-English sentence, e.g. 'Better than Essex (95% confidence)'."""
        if self.rating is Rating.NOT_COMPARED:
            return f"Not compared with {comparator}: no confidence interval or no {comparator} value"
        if self.rating is Rating.SIMILAR:
            return f"Similar to {comparator} ({self.confidence_label} confidence)"
        return f"{self.rating} than {comparator} ({self.confidence_label} confidence)"


def _polarity(polarity: object) -> Polarity:
    try:
        return Polarity(str(polarity))
    except ValueError:
        allowed = ", ".join(p.value for p in Polarity)
        raise ValueError(f"polarity must be one of {allowed} (found {polarity!r})") from None


_DIRECTION_TO_RATING = {
    Polarity.HIGHER_IS_BETTER: (Rating.BETTER, Rating.WORSE),
    Polarity.HIGHER_IS_WORSE: (Rating.WORSE, Rating.BETTER),
    Polarity.NEITHER: (Rating.HIGHER, Rating.LOWER),
}


def _ratings(lower: np.ndarray, upper: np.ndarray, benchmark: np.ndarray,
             polarities: Sequence[Polarity]) -> np.ndarray:
    """Core vectorised rule: interval wholly above/below the benchmark differs from it."""
    out = np.full(lower.shape, Rating.NOT_COMPARED.value, dtype=object)
    comparable = ~(np.isnan(lower) | np.isnan(upper) | np.isnan(benchmark))
    above = comparable & (lower > benchmark)
    below = comparable & (upper < benchmark)
    out[comparable] = Rating.SIMILAR.value
    high_words = np.array([_DIRECTION_TO_RATING[p][0].value for p in polarities], dtype=object)
    low_words = np.array([_DIRECTION_TO_RATING[p][1].value for p in polarities], dtype=object)
    out[above] = high_words[above]
    out[below] = low_words[below]
    return out


def compare_to_benchmark(
    value: float | None,
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    polarity: Polarity | str,
    confidence_label: str = "95%",
) -> Comparison:
    """Rate one value against a comparator (S4), polarity-aware.

    "Better"/"Worse" when the interval lies wholly on one side of the benchmark (Higher/Lower when
    polarity is "neither"), "Similar" when it overlaps, "Not compared" without an interval or benchmark.
    """
    pol = _polarity(polarity)
    as_arr = [np.array([np.nan if v is None else float(v)]) for v in (value, lower, upper, benchmark)]
    if np.isnan(as_arr[0][0]):
        return Comparison(Rating.NOT_COMPARED, confidence_label)
    rating = _ratings(as_arr[1], as_arr[2], as_arr[3], [pol])[0]
    return Comparison(Rating(rating), confidence_label)


def compare_frame(
    frame: pd.DataFrame,
    benchmark: str | pd.Series | float,
    polarity: str | pd.Series | Polarity,
    *,
    value_col: str = VALUE,
    lower_col: str = LOWER_95,
    upper_col: str = UPPER_95,
) -> pd.Series:
    """Vectorised `compare_to_benchmark`: one rating string per row (index kept).

    `benchmark` and `polarity` are column names of `frame`, Series aligned with it, or one value.
    """
    def column(spec: object) -> pd.Series:
        if isinstance(spec, str) and spec in frame.columns:
            return frame[spec]
        if isinstance(spec, pd.Series):
            return spec.reindex(frame.index)
        return pd.Series([spec] * len(frame), index=frame.index)

    pols = [_polarity(p) for p in column(polarity)]
    bench = pd.to_numeric(column(benchmark), errors="coerce").to_numpy(dtype=float)
    lower = pd.to_numeric(frame[lower_col], errors="coerce").to_numpy(dtype=float)
    upper = pd.to_numeric(frame[upper_col], errors="coerce").to_numpy(dtype=float)
    value = pd.to_numeric(frame[value_col], errors="coerce").to_numpy(dtype=float)
    lower = np.where(np.isnan(value), np.nan, lower)
    return pd.Series(_ratings(lower, upper, bench, pols), index=frame.index, name="rating", dtype=object)


@dataclass(frozen=True)
class RatingStyle:
    """How a rating is drawn: fill colour, the text colour that passes WCAG AA on it, a word, a symbol."""

    fill: str
    text: str
    word: str
    symbol: str


DARK_TEXT = "#1A1A1A"
WHITE_TEXT = "#FFFFFF"

# Colour-blind-safe: better/worse use blue vs orange (distinct under deuteranopia, protanopia and
# tritanopia), similar a pale yellow, the polarity-free Higher/Lower two purples that never look like
# better/worse. Dark fills carry WHITE text, pale fills DARK text; each pair has contrast >= 4.5:1
# (checked in tests). Every rating also carries its word and a symbol, so colour is never the only cue (A2).
RATING_STYLES: dict[Rating, RatingStyle] = {
    Rating.BETTER: RatingStyle("#1D5A9E", WHITE_TEXT, "Better", "▲"),
    Rating.SIMILAR: RatingStyle("#F3DE8A", DARK_TEXT, "Similar", "●"),
    Rating.WORSE: RatingStyle("#B04A00", WHITE_TEXT, "Worse", "▼"),
    Rating.HIGHER: RatingStyle("#5B3A8E", WHITE_TEXT, "Higher", "↑"),
    Rating.LOWER: RatingStyle("#D4C6EA", DARK_TEXT, "Lower", "↓"),
    Rating.NOT_COMPARED: RatingStyle("#FFFFFF", DARK_TEXT, "Not compared", "–"),
}


def rating_style(rating: Rating | str) -> RatingStyle:
    """Fill colour, accessible text colour, word and symbol of a rating."""
    return RATING_STYLES[Rating(str(rating))]


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG 2.x contrast ratio of two '#RRGGBB' colours (1 to 21)."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    la, lb = sorted((luminance(colour_a), luminance(colour_b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# ---- spine-chart positions ---------------------------------------------------------------------
@dataclass(frozen=True)
class SpinePositions:
    """Distribution summary oriented by polarity: `worst` ... `best` (for 'neither': lowest ... highest).

    `p25` is the value a quarter of the way from the worst end, `p75` three quarters (numpy's linear
    percentile method, missing values ignored).
    """

    worst: float
    p25: float
    median: float
    p75: float
    best: float
    n: int


def percentile_positions(values: ArrayLike, polarity: Polarity | str) -> SpinePositions:
    """Worst, 25th percentile, median, 75th percentile and best of `values`, oriented by polarity."""
    pol = _polarity(polarity)
    arr = _as_float_array(values)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        nan = float("nan")
        return SpinePositions(nan, nan, nan, nan, nan, 0)
    q0, q25, q50, q75, q100 = (float(v) for v in np.percentile(arr, [0, 25, 50, 75, 100]))
    if pol is Polarity.HIGHER_IS_WORSE:
        return SpinePositions(q100, q75, q50, q25, q0, int(arr.size))
    return SpinePositions(q0, q25, q50, q75, q100, int(arr.size))


def place_on_spine(value: float | None, positions: SpinePositions) -> float:
    """Position of `value` on a 0 (worst) to 1 (best) scale, linear between worst and best, clipped.

    NaN when the value is missing or every area has the same value.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    span = positions.best - positions.worst
    if not np.isfinite(span) or span == 0:
        return float("nan")
    return float(min(1.0, max(0.0, (float(value) - positions.worst) / span)))


# ---- D1-D3: disclosure control -----------------------------------------------------------------
def round_to_base(values: ArrayLike, base: int = ROUND_BASE) -> np.ndarray:
    """Round to the nearest multiple of `base`, halves away from zero (NaN stays NaN)."""
    arr = _as_float_array(values)
    return np.sign(arr) * np.floor(np.abs(arr) / base + 0.5) * base


def _count_column(frame: pd.DataFrame, count_col: str | None) -> str:
    if count_col is not None:
        return count_col
    if NUMERATOR in frame.columns and frame[NUMERATOR].notna().any():
        return NUMERATOR
    return VALUE


def apply_disclosure(frame: pd.DataFrame, rule: str, count_col: str | None = None) -> pd.DataFrame:
    """Return a copy of `frame` with an indicator's disclosure rule applied (D1-D3).

    rule "none": unchanged copy. rule "small_counts": where the count (the numerator, or the value when
    there is no numerator) is 1-7, the value, numerator and interval become NaN and the flag
    Flag.SUPPRESSED; other counts are rounded to the nearest 5; a true zero stays 0. Values and
    intervals are not recomputed here: if they came from the true counts, value x denominator gives
    the true count back (D5), so data must be published from the rounded counts first
    (`insight.disclosure.apply_disclosure_rules` does that in the build, with secondary suppression);
    applied to such data this function changes nothing.
    """
    if rule not in (DISCLOSURE_NONE, DISCLOSURE_SMALL_COUNTS):
        raise ValueError(f"disclosure rule must be '{DISCLOSURE_NONE}' or '{DISCLOSURE_SMALL_COUNTS}' "
                         f"(found {rule!r})")
    out = frame.copy()
    if rule == DISCLOSURE_NONE or out.empty:
        return out
    col = _count_column(out, count_col)
    counts = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float)
    small = (counts > 0) & (counts < SMALL_COUNT_MAX + 0.5)
    if FLAG not in out.columns:
        out[FLAG] = Flag.NONE.value
    out[col] = np.where(small, np.nan, round_to_base(counts))
    return _suppress(out, small, (VALUE, NUMERATOR, LOWER_95, UPPER_95))


def _suppress(out: pd.DataFrame, rows: Any, hidden: Sequence[str]) -> pd.DataFrame:
    """Blank the `hidden` figures of `rows` (a mask or index labels) and flag those rows suppressed (in place)."""
    for column in hidden:
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
            out.loc[rows, column] = np.nan
    out[FLAG] = out[FLAG].astype(object)
    out.loc[rows, FLAG] = Flag.SUPPRESSED.value
    return out


# ---- S5: trend markers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendMarker:
    """Outcome of the S5 trend test. `direction` is None when no marker may be shown; `reason` says why."""

    direction: str | None  # "increasing" | "decreasing" | "no significant change"
    judgement: str | None  # "getting better" | "getting worse" | None
    reason: str
    n_points: int
    slope: float = float("nan")
    p_value: float = float("nan")
    first_year: int | None = None
    last_year: int | None = None

    @property
    def text(self) -> str:
        if self.direction is None:
            return f"No trend marker: {self.reason}"
        text = self.direction.capitalize()
        return f"{text} and {self.judgement}" if self.judgement else text


def _years(periods: Sequence[Any]) -> np.ndarray:
    years = []
    for p in periods:
        if isinstance(p, int | np.integer):
            years.append(int(p))
        else:
            years.append(pd.Timestamp(p).year)
    return np.array(years, dtype=int)


def trend_marker(periods: Sequence[Any], values: ArrayLike, polarity: Polarity | str, *,
                 has_break: bool = False, confidence: float = CONFIDENCE_95,
                 recent: int | None = None) -> TrendMarker:
    """S5 trend marker from annual points (years as ints, or dates of each period's start).

    Uses the most recent run of consecutive years with a value (only its last `recent` points when
    given, as Fingertips' recent trends use the latest 5); needs at least 5 points and no declared
    break in the series. Tests the slope of an ordinary least-squares line (scipy linregress,
    two-sided p < 1 - confidence). "getting better/worse" only when polarity is clear.
    """
    pol = _polarity(polarity)
    if has_break:
        return TrendMarker(None, None, "the series has a break (a change of definition or method)", 0)
    years = _years(periods)
    vals = _as_float_array(values)
    if len(years) != len(vals):
        raise ValueError("periods and values must be the same length")
    keep = ~np.isnan(vals)
    years, vals = years[keep], vals[keep]
    order = np.argsort(years)
    years, vals = years[order], vals[order]
    if len(np.unique(years)) != len(years):
        raise ValueError("periods must be annual: found two values for the same year")
    run_start = len(years) - 1
    while run_start > 0 and years[run_start] - years[run_start - 1] == 1:
        run_start -= 1
    years, vals = years[run_start:], vals[run_start:]
    if recent is not None:
        years, vals = years[-recent:], vals[-recent:]
    n = len(years)
    if n < TREND_MIN_POINTS:
        return TrendMarker(None, None, f"fewer than {TREND_MIN_POINTS} comparable annual points ({n})", n)
    slope, p = _slope_and_p(years.astype(float), np.asarray(vals, dtype=float))
    if math.isnan(p) or p >= 1 - _confidence(confidence) or slope == 0:
        return TrendMarker("no significant change", None, "", n, slope, p, int(years[0]), int(years[-1]))
    direction = "increasing" if slope > 0 else "decreasing"
    judgement = None
    if pol is not Polarity.NEITHER:
        good = (slope > 0) == (pol is Polarity.HIGHER_IS_BETTER)
        judgement = "getting better" if good else "getting worse"
    return TrendMarker(direction, judgement, "", n, slope, p, int(years[0]), int(years[-1]))


# ---- nearest neighbours --------------------------------------------------------------------------
MIN_SHARED_SHARE = 0.5  # an area must have at least half the target's indicators to be compared


def nearest_neighbours(frame_wide: pd.DataFrame, target_code: str, k: int = 3) -> pd.DataFrame:
    """The `k` areas most similar to `target_code` (rows: area codes; columns: indicators).

    Method: keep indicators the target has and that vary between areas; standardise each to z-scores
    (mean 0, population standard deviation 1) across all areas; distance = Euclidean distance over
    the indicators both areas have, rescaled by sqrt(indicators used / indicators shared) so areas
    with gaps are not favoured; areas sharing fewer than half the indicators are skipped. Ties are
    broken by area code. Returns columns area_code, distance, indicators_used, nearest first.
    """
    if target_code not in frame_wide.index:
        raise UnknownAreaError(target_code)
    numeric = frame_wide if all(pd.api.types.is_numeric_dtype(d) for d in frame_wide.dtypes) \
        else frame_wide.apply(pd.to_numeric, errors="coerce")
    values = numeric.to_numpy(dtype=float, na_value=np.nan)  # numpy: this runs on each division's first visit
    codes = frame_wide.index.astype(str).to_numpy()
    target = int(np.flatnonzero(codes == str(target_code))[0])
    values = values[:, ~np.isnan(values[target])]
    with np.errstate(all="ignore"):  # all-missing columns give NaN means and deviations, then dropped
        sd = np.nanstd(values, axis=0) if values.size else np.zeros(0)
        values, sd = values[:, sd > 0], sd[sd > 0]
        n_ind = values.shape[1]
        if n_ind == 0:
            return pd.DataFrame(columns=[AREA_CODE, "distance", "indicators_used"])
        z = (values - np.nanmean(values, axis=0)) / sd
        others = np.arange(len(codes)) != target
        diff = z[others] - z[target]
        shared = (~np.isnan(diff)).sum(axis=1)
        distance = np.sqrt(np.nansum(diff**2, axis=1) * n_ind / np.where(shared > 0, shared, np.nan))
    result = pd.DataFrame({AREA_CODE: codes[others], "distance": distance, "indicators_used": shared})
    result = result[result["indicators_used"] >= MIN_SHARED_SHARE * n_ind]
    result = result.sort_values(["distance", AREA_CODE], kind="mergesort").head(k)
    return result.reset_index(drop=True)
