"""Plain-English sentences generated from the numbers: trends, projections and comparisons.

Every sentence states figures with units, a period, and (for projections) a numeric range with its
interval level (CONVENTIONS U2). Trend words follow S5: "increasing / decreasing / no significant
change" only from at least 5 comparable annual points (insight.stats.trend_marker), "getting better /
worse" only where the indicator's polarity is clear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight import schema as s
from insight.forecast import Projection
from insight.formatting import format_change, format_value, lower_first
from insight.periods import period_labeller
from insight.stats import TREND_RECENT_POINTS, TrendMarker, trend_marker
from insight.trend_power import slope_sensitivity

MAX_TITLE_WORDS = 10
_MARKER_FREQUENCIES = {s.Frequency.ANNUAL}
_NO_MARKER_REASON = {
    s.Frequency.MONTHLY: "trend markers use annual points; this series is monthly",
    s.Frequency.QUARTERLY: "trend markers use annual points; this series is quarterly",
    s.Frequency.ROLLING_3_YEAR: "overlapping 3-year windows are not independent annual points",
    s.Frequency.ROLLING_5_YEAR: "overlapping 5-year windows are not independent annual points",
    s.Frequency.EDITIONS: "the editions are not annual points",
    s.Frequency.SNAPSHOT: "a snapshot has no trend",
}
_TITLE_VERB = {"increasing": "is increasing", "decreasing": "is decreasing",
               "no significant change": "shows no significant change"}


def text_unit(unit: str) -> str:
    """A unit as it reads after a number in a sentence: 'Number of guest nights' -> 'guest nights'."""
    if unit.lower().startswith("number of "):
        return unit[len("number of "):]
    return unit


@dataclass(frozen=True)
class TrendStory:
    """What the observed series of one area says: a sentence and the S5 marker (None if not tested)."""

    sentence: str
    marker: TrendMarker | None


def _label(row: pd.Series) -> str:
    label = row.get(s.PERIOD_LABEL)
    if isinstance(label, str) and label:
        return label
    return str(pd.Timestamp(row[s.PERIOD_START]).year)


def _period_label(period_start: pd.Timestamp, frequency: s.Frequency) -> str:
    stamp = pd.Timestamp(period_start)
    return stamp.strftime("%b %Y") if frequency == s.Frequency.MONTHLY else str(stamp.year)


def projected_labels(periods: list[pd.Timestamp], frequency: s.Frequency | str, last_label: str) -> list[str]:
    """Labels for projected periods in the style of the last observed label ('2029', '2029/30', 'Jan 2027'):
    insight.periods.period_labeller, the one labelling shared with the Scenarios page."""
    return period_labeller(frequency, last_label).labels(periods)


def subject(measure: str, name: str) -> str:
    """'claimant count in Essex': the measure (first letter lowered unless an acronym) and the place."""
    return f"{lower_first(measure)} in {name}"


def describe_trend(name: str, history: pd.DataFrame, *, unit: str, value_type: s.ValueType | str,
                   polarity: s.Polarity | str, frequency: s.Frequency | str, measure: str = "") -> TrendStory:
    """How one area's series moved, first to last value, with the S5 trend marker where allowed.

    ``history``: period_start, value and (optionally) period_label, for one area. ``measure`` (a short
    title) makes the sentence start 'Claimant count in Essex rose ...'.
    """
    frequency = s.Frequency(frequency)
    unit = text_unit(unit)
    if measure:
        text = subject(measure, name)
        name = text[0].upper() + text[1:]
    rows = history[history[s.VALUE].notna()].sort_values(s.PERIOD_START)
    if rows.empty:
        return TrendStory(f"{name} has no published values for this indicator.", None)
    last = rows.iloc[-1]
    if len(rows) == 1:
        return TrendStory(f"{name}: {format_value(float(last[s.VALUE]), unit, value_type)} in {_label(last)} "
                          "(a single period, so no trend).", None)
    first = rows.iloc[0]
    change = float(last[s.VALUE]) - float(first[s.VALUE])
    verb = "rose" if change > 0 else "fell" if change < 0 else "was unchanged"
    if s.ValueType(value_type) == s.ValueType.PERCENTILE:  # say the long unit once, not after every number
        movement = (f"{verb} from {float(first[s.VALUE]):,.1f} in {_label(first)} to {float(last[s.VALUE]):,.1f} "
                    f"in {_label(last)}")
        plain_unit = unit.replace(" (", ", ").rstrip(")")
        movement += (f" ({'up' if change > 0 else 'down'} {abs(change):,.1f} points; " if change else " (") + \
            f"{plain_unit})"
    else:
        movement = (f"{verb} from {format_value(float(first[s.VALUE]), unit, value_type)} in {_label(first)} to "
                    f"{format_value(float(last[s.VALUE]), unit, value_type)} in {_label(last)}")
        if change:
            movement += f" ({format_change(change, unit, value_type)})"
    if frequency not in _MARKER_FREQUENCIES:
        reason = _NO_MARKER_REASON.get(frequency, "")
        return TrendStory(f"{name} {movement}. No trend marker: {reason}.", None)
    marker = trend_marker(list(rows[s.PERIOD_START]), rows[s.VALUE].to_numpy(dtype=float), polarity,
                          recent=TREND_RECENT_POINTS)
    if marker.direction is None:
        return TrendStory(f"{name} {movement}. {marker.text}.", marker)
    return TrendStory(f"{name} {movement}. {trend_test_sentence(rows, marker, unit, value_type)}", marker)


def _amount(value: float, unit: str, value_type: s.ValueType | str) -> str:
    """A size of change, no direction, to two significant figures: '0.35 percentage points', '£120'."""
    size = abs(value)
    digits = max(0, 1 - math.floor(math.log10(size))) if size > 0 and math.isfinite(size) else 1
    if s.ValueType(value_type) == s.ValueType.PROPORTION or unit.strip().startswith("%"):
        return f"{size:,.{max(digits, 1)}f} percentage points"
    return format_value(size, unit, value_type, digits=digits)


def trend_test_sentence(rows: pd.DataFrame, marker: TrendMarker, unit: str, value_type: s.ValueType | str) -> str:
    """The S5 marker in words, naming the test and what it can detect (CONVENTIONS S5), e.g. 'Trend over the
    latest 5 years (2019 to 2023): no significant change. A straight-line trend was not distinguishable from
    no change at 95% confidence; with this much year-to-year variation, a trend smaller than about 0.18
    percentage points a year would probably not be detected (the test finds one of that size 4 times in 5).'

    ``rows``: the observed rows (period_start, value) the marker was computed from; the test's points are
    those of its years. The detectable size is the minimum detectable slope at 80% power
    (insight.trend_power), from the scatter of these points around their line."""
    if marker.first_year is None or marker.last_year is None:
        raise ValueError("trend_test_sentence needs a marker with a tested window (first_year and last_year)")
    years = pd.DatetimeIndex(rows[s.PERIOD_START]).year
    used = rows[(years >= marker.first_year) & (years <= marker.last_year)]
    fit = slope_sensitivity(pd.DatetimeIndex(used[s.PERIOD_START]).year, used[s.VALUE].to_numpy(dtype=float))
    lead = (f"Trend over the latest {marker.n_points} years ({_label(used.iloc[0])} to {_label(used.iloc[-1])}): "
            f"{marker.text.lower()}.")
    if marker.direction == "no significant change":
        if fit.min_detectable == 0:
            return (f"{lead} The values lie exactly on a flat line, so the straight-line test (95% confidence) "
                    "finds no change.")
        return (f"{lead} A straight-line trend was not distinguishable from no change at 95% confidence; with "
                f"this much year-to-year variation, a trend smaller than about "
                f"{_amount(fit.min_detectable, unit, value_type)} a year would probably not be detected (the "
                "test finds one of that size 4 times in 5).")
    word = "rising" if fit.slope > 0 else "falling"
    low, high = (_amount(size, unit, value_type)
                 for size in sorted((abs(fit.ci_low), abs(fit.ci_high))))  # a significant slope's CI excludes 0
    low_number, _, low_unit = low.partition(" ")
    if low_unit and high.endswith(" " + low_unit):
        low = low_number  # '0.31 to 0.47 percentage points'
    return (f"{lead} A straight-line trend {word} by about {_amount(fit.slope, unit, value_type)} a year "
            f"(95% confidence interval {low} to {high}) is distinguishable from no change at 95% confidence.")


def describe_projection(name: str, projection: Projection, *, unit: str, value_type: s.ValueType | str,
                        frequency: s.Frequency | str, measure: str = "") -> str:
    """The final projected period as a likely range: 'likely between X and Y (80% range)'."""
    frequency = s.Frequency(frequency)
    unit = text_unit(unit)
    if measure:
        name = subject(measure, name)
    final = projection.frame.iloc[-1]
    when = str(final[s.PERIOD_LABEL]) if s.PERIOD_LABEL in projection.frame else \
        _period_label(final[s.PERIOD_START], frequency)

    def fmt(column: str) -> str:
        return format_value(float(final[column]), unit, value_type)

    method = {"prophet": "Prophet", "naive_drift": "naive drift (extending the average past change)",
              "theta": "the Theta method (a smoothed level plus half the long-run trend)",
              "naive_last": "naive last value (no change from the latest figure)",
              "combination": "a combination of four methods (the middle of their projections)"}[projection.method]
    return (f"If past trends continue, {name} in {when} is likely between {fmt('lower_80')} and "
            f"{fmt('upper_80')} (80% range; 95% range {fmt('lower_95')} to {fmt('upper_95')}; central "
            f"projection {fmt('point')}, by {method}).")


def describe_comparators(latest: list[tuple[str, str, float]], *, unit: str,
                         value_type: s.ValueType | str) -> str:
    """'For comparison, the latest figures are 3.0% for Essex (2025), ...' from (name, period, value)."""
    unit = text_unit(unit)
    parts = [f"{format_value(value, unit, value_type)} for {name} ({period})" for name, period, value in latest
             if value is not None and not np.isnan(value)]
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    return f"For comparison, the latest figures are {joined}."


def chart_title(short_title: str, area_name: str, marker: TrendMarker | None, *, projected: bool) -> str:
    """A finding in ten words or fewer (P1), e.g. 'Claimant count in Essex is increasing'."""
    if marker is not None and marker.direction is not None:
        candidates = [f"{short_title} in {area_name} {_TITLE_VERB[marker.direction]}",
                      f"{short_title} {_TITLE_VERB[marker.direction]}"]
    elif projected:
        candidates = [f"{short_title} in {area_name}: trend and projection", f"{short_title}: trend and projection"]
    else:
        candidates = [f"{short_title} in {area_name} over time", f"{short_title} over time"]
    for text in candidates:
        if len(text.split()) <= MAX_TITLE_WORDS:
            return text
    return " ".join(short_title.split()[:MAX_TITLE_WORDS])


def chart_title_for_areas(short_title: str, area_names: list[str], markers: list[TrendMarker | None], *,
                          projected: bool) -> str:
    """A finding in ten words or fewer (P1) for one or several areas: the shared direction when every area's
    trend marker agrees, else the areas' names (or how many there are)."""
    if len(area_names) <= 1:
        return chart_title(short_title, area_names[0] if area_names else "", markers[0] if markers else None,
                           projected=projected)
    directions = {m.direction if m is not None else None for m in markers}
    places = " and ".join([", ".join(area_names[:-1]), area_names[-1]])
    if len(directions) == 1 and None not in directions:
        verb = _TITLE_VERB[str(next(iter(directions)))]
        candidates = [f"{short_title} {verb} in {places}", f"{short_title} {verb} in all {len(area_names)} areas"]
    else:
        tail = "trend and projection" if projected else "over time"
        candidates = [f"{short_title} in {places}: {tail}", f"{short_title} in {len(area_names)} areas: {tail}"]
    for text in candidates:
        if len(text.split()) <= MAX_TITLE_WORDS:
            return text
    return " ".join(candidates[-1].split()[:MAX_TITLE_WORDS])


def snapshot_title(short_title: str, period_label: str, values: list[tuple[str, float]]) -> str:
    """The finding of a one-period comparison (P1): which shown area has the highest value."""
    if not values:
        return f"{short_title}, {period_label}"
    highest = max(values, key=lambda item: item[1])[0]
    for text in (f"{short_title}, {period_label}: highest in {highest}", f"{short_title}: highest in {highest}"):
        if len(text.split()) <= MAX_TITLE_WORDS:
            return text
    return " ".join(short_title.split()[:MAX_TITLE_WORDS])


def chart_subtitle(measure: str, area_names: list[str], first_label: str, last_label: str,
                   horizon_label: str | None) -> str:
    """Measure, geography and period (P1), and the projection's horizon when one is shown."""
    places = ", ".join(area_names[:7]) + (f" and {len(area_names) - 7} more" if len(area_names) > 7 else "")
    period = first_label if first_label == last_label else f"{first_label} to {last_label}"
    text = f"{measure}; {places}; {period}"
    return text + (f", projected to {horizon_label}" if horizon_label else "")
