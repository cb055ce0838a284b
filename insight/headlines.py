"""Headline tiles: an area's latest value, its change since the previous period, and how it compares.

The change carries "better"/"worse" only when a test supports it (CONVENTIONS S4/S5): the two periods'
published 95% intervals give each figure's standard error (interval width / (2 x 1.96)), and the change is
significant when it exceeds 1.96 times the standard error of the difference (the two periods treated as
independent samples). Without intervals, or when the two periods overlap (rolling 3-year figures share two
of their three years), the change is described without a polarity word and says it was not tested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from insight import query
from insight import schema as s
from insight.formatting import direction_word, format_change, format_value
from insight.loaders import Indicator
from insight.stats import Comparison, Rating, compare_to_benchmark, z_value


@dataclass(frozen=True)
class Headline:
    """Everything one tile shows, already in words."""

    indicator_id: str
    title: str
    value_text: str  # "3.4%"
    period_label: str  # "2025"
    change_text: str  # "down 0.3 percentage points since 2024: better, a significant change (95% confidence)"
    comparison: Comparison
    comparison_text: str  # "Better than England (95% confidence)"
    comparator_value_text: str  # "England: 4.1%"
    sparkline: pd.DataFrame  # period_start, value (the area's series)
    source_line: str
    status: s.Status
    value: float


def headline(observations: pd.DataFrame, indicator: Indicator, area_code: str, comparator_code: str,
             comparator_name: str = "England") -> Headline:
    """Build one headline tile's content from the observations."""
    history = query.series(observations, indicator.indicator_id, [area_code])  # once: latest two and sparkline
    observed = history[history[s.VALUE].notna()]
    latest = observed.sort_values(s.PERIOD_START, ascending=False).head(2).reset_index(drop=True)
    if latest.empty:
        return _empty(indicator)
    now = latest.iloc[0]
    value = float(now[s.VALUE])
    change_text = "first published figure"
    if len(latest) > 1:
        change_text = describe_change(now, latest.iloc[1], indicator)
    bench_rows = observations[(observations[s.INDICATOR_ID] == indicator.indicator_id)
                              & (observations[s.AREA_CODE] == comparator_code)
                              & (observations[s.PERIOD_START] == now[s.PERIOD_START])]
    bench = float(bench_rows[s.VALUE].iloc[0]) if not bench_rows.empty else math.nan
    comparison = compare_to_benchmark(value, _num(now[s.LOWER_95]), _num(now[s.UPPER_95]),
                                      None if math.isnan(bench) else bench, indicator.polarity)
    if comparison.rating is Rating.NOT_COMPARED:
        reason = "no interval published" if math.isnan(_num(now[s.LOWER_95])) else f"no {comparator_name} figure"
        comparison_text = f"Not compared: {reason}"
    else:
        comparison_text = comparison.describe(comparator_name)
    return Headline(
        indicator_id=indicator.indicator_id, title=indicator.short_title,
        value_text=format_value(value, indicator.unit, indicator.value_type),
        period_label=str(now[s.PERIOD_LABEL]), change_text=change_text, comparison=comparison,
        comparison_text=comparison_text,
        comparator_value_text=(f"{comparator_name}: {format_value(bench, indicator.unit, indicator.value_type)}"
                               if not math.isnan(bench) else f"{comparator_name}: no figure"),
        sparkline=observed[[s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]].reset_index(drop=True),
        source_line=indicator.source_line, status=indicator.status, value=value,
    )


def change_is_significant(now: pd.Series, previous: pd.Series) -> bool | None:
    """Whether the change between two periods is significant at 95% confidence, from their published 95%
    intervals; None when it cannot be tested (an interval is missing or the two periods overlap)."""
    bounds = [_num(row.get(column)) for row in (now, previous) for column in (s.LOWER_95, s.UPPER_95)]
    if any(math.isnan(b) for b in bounds) or _overlap(previous, now):
        return None
    z = z_value()
    se_now, se_previous = (bounds[1] - bounds[0]) / (2 * z), (bounds[3] - bounds[2]) / (2 * z)
    spread = math.hypot(se_now, se_previous)
    change = float(now[s.VALUE]) - float(previous[s.VALUE])
    return abs(change) > z * spread if spread > 0 else change != 0


def _overlap(previous: pd.Series, now: pd.Series) -> bool:
    end = previous.get(s.PERIOD_END)
    return end is not None and not pd.isna(end) and pd.Timestamp(end) >= pd.Timestamp(now[s.PERIOD_START])


def describe_change(now: pd.Series, previous: pd.Series, indicator: Indicator) -> str:
    """'up 0.2 percentage points since 2023/24: worse, a significant change (95% confidence)'; the
    polarity word only where the test (change_is_significant) supports it, and otherwise why not."""
    change = float(now[s.VALUE]) - float(previous[s.VALUE])
    text = f"{format_change(change, indicator.unit, indicator.value_type)} since {previous[s.PERIOD_LABEL]}"
    if change == 0:
        return text
    significant = change_is_significant(now, previous)
    if significant is None:
        reason = "the two periods overlap" if _overlap(previous, now) else "no confidence interval published"
        return f"{text} (not tested: {reason})"
    if not significant:
        return f"{text}: not a significant change (95% confidence)"
    word = direction_word(change, indicator.polarity)
    return f"{text}: {word + ', ' if word else ''}a significant change (95% confidence)"


def _num(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _empty(indicator: Indicator) -> Headline:
    return Headline(indicator.indicator_id, indicator.short_title, "no data", "", "", Comparison(
        Rating.NOT_COMPARED, "95%"), "Not compared: no data", "", pd.DataFrame(columns=[s.PERIOD_START,
        s.PERIOD_LABEL, s.VALUE]), indicator.source_line, indicator.status, math.nan)
