"""Altair chart builders shared by pages. Pure: build_* return alt.Chart, no st.* calls."""

from __future__ import annotations

import altair as alt
import pandas as pd

from insight import schema as s

FONT_SIZE = 16
INK = "#1A1A1A"
ACCENT = "#1D5A9E"


def build_sparkline(frame: pd.DataFrame, *, title: str, unit: str) -> alt.Chart:
    """A small line of an area's series, with the latest point marked (no axes clutter)."""
    data = frame[[s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]].copy()
    base = alt.Chart(data).encode(
        x=alt.X(f"{s.PERIOD_START}:T", axis=None),
        y=alt.Y(f"{s.VALUE}:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Period"),
                 alt.Tooltip(f"{s.VALUE}:Q", title=unit, format=",.1f")],
    )
    line = base.mark_line(color=ACCENT, strokeWidth=2.5)
    last = base.transform_window(rank="rank()", sort=[alt.SortField(s.PERIOD_START, order="descending")]) \
        .transform_filter("datum.rank == 1").mark_circle(color=ACCENT, size=60)
    first_label, last_label = (data[s.PERIOD_LABEL].iloc[0], data[s.PERIOD_LABEL].iloc[-1]) if len(data) else ("", "")
    return (line + last).properties(
        height=60, width="container",
        description=f"Sparkline of {title}, {first_label} to {last_label}",
    ).configure_view(strokeWidth=0)


def theme_config(chart: alt.Chart) -> alt.Chart:
    """Projector-readable fonts for a full-size chart."""
    return chart.configure_axis(labelFontSize=FONT_SIZE - 2, titleFontSize=FONT_SIZE, labelColor=INK,
                                titleColor=INK).configure_legend(labelFontSize=FONT_SIZE - 2,
                                                                 titleFontSize=FONT_SIZE) \
        .configure_title(fontSize=FONT_SIZE + 4, subtitleFontSize=FONT_SIZE - 2, anchor="start", color=INK)
