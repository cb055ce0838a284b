"""Headline tiles for the Overview page."""

from __future__ import annotations

from typing import Any

import streamlit as st

from insight.headlines import Headline
from insight.schema import PERIOD_LABEL
from insight.stats import Rating, rating_style

BADGE_COLOURS = {Rating.BETTER: "blue", Rating.WORSE: "orange", Rating.SIMILAR: "gray",
                 Rating.HIGHER: "violet", Rating.LOWER: "violet", Rating.NOT_COMPARED: "gray"}


def render_headline_tile(tile: Headline, sparkline: dict[str, Any] | None) -> None:
    """One bordered tile: title, value and period, change, comparison (word + symbol + colour), sparkline, source."""
    with st.container(border=True):
        st.markdown(f"#### {tile.title}")
        st.metric(label=f"Essex, {tile.period_label}", value=tile.value_text, label_visibility="visible")
        st.markdown(tile.change_text.capitalize() if tile.change_text else "")
        style = rating_style(tile.comparison.rating)
        st.badge(f"{style.symbol} {tile.comparison_text}", color=BADGE_COLOURS[tile.comparison.rating])
        st.caption(tile.comparator_value_text)
        if sparkline is not None and len(tile.sparkline) > 1:
            first, last = tile.sparkline[PERIOD_LABEL].iloc[0], tile.sparkline[PERIOD_LABEL].iloc[-1]
            st.caption(f"Essex trend, {first} to {last}")
            st.vega_lite_chart(sparkline, width="stretch")
        st.caption(tile.source_line)


def summary_sentence(tiles: list[Headline]) -> str:
    """'What this shows' in one line, from the ratings."""
    counts = {rating: sum(t.comparison.rating is rating for t in tiles) for rating in Rating}
    parts = [f"{counts[Rating.BETTER]} better than England", f"{counts[Rating.SIMILAR]} similar",
             f"{counts[Rating.WORSE]} worse"]
    not_compared = counts[Rating.NOT_COMPARED]
    text = f"Of these {len(tiles)} headline measures for Essex, " + ", ".join(parts)
    if not_compared:
        text += f", and {not_compared} not compared because ONS publishes no confidence interval for them"
    return text + ". Ratings use 95% confidence intervals."
