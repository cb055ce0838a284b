"""Headline tiles for the Overview page."""

from __future__ import annotations

from typing import Any, Literal

import streamlit as st

from components.charts import draw_vega
from insight.headlines import Headline
from insight.schema import PERIOD_LABEL
from insight.stats import Rating, rating_style
from insight.text import badge

BADGE_COLOURS: dict[Rating, Literal["blue", "orange", "gray", "violet"]] = {Rating.BETTER: "blue", Rating.WORSE: "orange", Rating.SIMILAR: "gray",
                 Rating.HIGHER: "violet", Rating.LOWER: "violet", Rating.NOT_COMPARED: "gray"}


def render_headline_tile(tile: Headline, sparkline: dict[str, Any] | None, place_name: str,
                         council_tile: Headline | None, council_name: str) -> None:
    """One bordered tile: title, value and period, change, comparison (word + symbol + colour), the council's and
    the comparator's values beside it, sparkline, source."""
    style = rating_style(tile.comparison.rating)
    beside = [tile.comparator_value_text]
    if council_tile is not None:
        beside.insert(0, f"{council_name}: {council_tile.value_text}"
                         + (f" ({council_tile.period_label})" if council_tile.period_label != tile.period_label
                            else ""))
    chart = sparkline if len(tile.sparkline) > 1 else None  # a single point is no trend
    notes = [" · ".join(t for t in beside if t)]
    if chart is not None:
        first, last = tile.sparkline[PERIOD_LABEL].iloc[0], tile.sparkline[PERIOD_LABEL].iloc[-1]
        notes.append(f"{place_name} trend, {first} to {last}")
    # the change and rating in one element, the notes in another: each element is redrawn on every rerun
    with st.container(border=True):
        st.markdown(f"#### {tile.title}")
        st.metric(label=f"{place_name}, {tile.period_label}", value=tile.value_text, label_visibility="visible")
        st.markdown((tile.change_text.capitalize() if tile.change_text else "") + "\n\n"
                    + badge(f"{style.symbol} {tile.comparison_text}", BADGE_COLOURS[tile.comparison.rating]))
        st.caption("  \n".join(notes))
        if chart is not None:
            draw_vega(chart, width="stretch")
        st.caption(tile.source_line)

