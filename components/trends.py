"""Drawing the Trends & projections page: render_* functions, fed by views.trends through components.data."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.charts import draw_vega
from components.model_card import render_card_link
from insight.forecast.accuracy import HOW_TESTED
from insight.model_cards import PROJECTION
from views.trends import TrendView

# ---- render helpers (draw) ---------------------------------------------------------------------

def render_notes(notes: tuple[str, ...]) -> None:
    for note in notes:
        st.info(note, icon="ℹ️")


def render_chart(view: TrendView) -> None:
    """The chart, with the caveats that matter most right under it (U1, U3)."""
    draw_vega(view.spec, width="stretch")
    if view.has_projection:
        st.caption("**Projection** — " + " ".join(view.caveats))


def render_summary(view: TrendView) -> None:
    st.subheader("What the figures say")
    st.info("\n\n".join(view.summary), icon="📝")
    for refusal in view.refusals:
        st.warning(refusal, icon="⚠️")


def render_accuracy(view: TrendView) -> None:
    """Back-test accuracy beside the chart (U6)."""
    if not view.accuracy:
        st.markdown("**How accurate has this method been?**\n\nNo projection is shown, so there is no back-test.")
        return
    st.markdown("\n\n".join(["**How accurate has this method been?**",  # one element, redrawn on every rerun
                              *(f"**{name}.** {sentence}" for name, sentence in view.accuracy)]))
    render_card_link(PROJECTION)
    st.caption(HOW_TESTED)
    if view.more_caveats:
        with st.expander("More about this projection"):
            for caveat in view.more_caveats:
                st.markdown(f"- {caveat}")


def render_table(view: TrendView) -> None:
    """The chart as a table; a range not published (observed rows) is an empty cell, not 'None'."""
    numbers = ["Value", "Lower 95%", "Upper 95%", "Lower 80%", "Upper 80%"]
    shown = view.table.copy()  # as text: the grid draws any missing number as 'None'
    for column in numbers:
        shown[column] = [f"{v:,.2f}" if pd.notna(v) else "" for v in shown[column]]
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={c: st.column_config.TextColumn(c, alignment="right") for c in numbers})


def render_downloads(view: TrendView, stem: str, png: Callable[[], bytes], svg: Callable[[], bytes]) -> None:
    """CSV of the shown observations + projection, and the chart as PNG/SVG (title, subtitle, source)."""
    left, middle, right = st.columns(3)
    with left:
        st.download_button("Download data (CSV)", view.csv, file_name=f"{stem}.csv", mime="text/csv",
                           on_click="ignore", width="stretch")
    with middle:
        st.download_button("Download chart (PNG)", png, file_name=f"{stem}.png", mime="image/png",
                           on_click="ignore", width="stretch")
    with right:
        st.download_button("Download chart (SVG)", svg, file_name=f"{stem}.svg", mime="image/svg+xml",
                           on_click="ignore", width="stretch")
