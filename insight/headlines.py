"""Headline tiles: an area's latest value, its change since the previous period, and how it compares."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from insight import query
from insight import schema as s
from insight.formatting import direction_word, format_change, format_value
from insight.loaders import Indicator
from insight.stats import Comparison, Rating, compare_to_benchmark


@dataclass(frozen=True)
class Headline:
    """Everything one tile shows, already in words."""

    indicator_id: str
    title: str
    value_text: str  # "3.4%"
    period_label: str  # "2025"
    change_text: str  # "down 0.3 percentage points since 2024 (better)"
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
        previous = latest.iloc[1]
        change = value - float(previous[s.VALUE])
        word = direction_word(change, indicator.polarity)
        change_text = (f"{format_change(change, indicator.unit, indicator.value_type)} since "
                       f"{previous[s.PERIOD_LABEL]}" + (f" ({word})" if word else ""))
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


def _num(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _empty(indicator: Indicator) -> Headline:
    return Headline(indicator.indicator_id, indicator.short_title, "no data", "", "", Comparison(
        Rating.NOT_COMPARED, "95%"), "Not compared: no data", "", pd.DataFrame(columns=[s.PERIOD_START,
        s.PERIOD_LABEL, s.VALUE]), indicator.source_line, indicator.status, math.nan)
