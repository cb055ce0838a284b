"""Trends & projections: how a measure has moved, where past trends would take it, and how sure we can be."""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st

from components import data, state
from components.frame import ensure_app_frame
from components.trends import (
    COMPARATOR_KINDS,
    file_slug,
    png_of,
    render_accuracy,
    render_chart,
    render_downloads,
    render_notes,
    render_summary,
    render_table,
    svg_of,
)
from insight import schema as s
from insight.config import load_config
from insight.errors import InsightError

ensure_app_frame()
council = load_config()
st.title("Trends & projections")
try:
    current = state.filters(data.filter_options())
    entry = data.indicator(current.indicator_id)
except InsightError as error:
    st.error(f"The data could not be loaded: {error}")
    st.stop()

frequency = entry.frequency.value
max_horizon = data.TREND_MAX_HORIZON.get(entry.frequency, 0)
view = state.trends_view(frequency, max_horizon, data.TREND_DEFAULT_HORIZON.get(entry.frequency, 0))
state.seed_trends_widgets(view, frequency)
for message in view.messages:
    st.warning(message)
st.markdown(f"**{entry.title}**. Unit: {entry.unit}. Choose the indicator and areas in the sidebar; with none "
            f"chosen, {council.short_name} is shown.")

names = {"county": council.short_name, "region": council.region_name, "england": council.england_name}
controls = st.columns([3, 2, 1])
with controls[0]:
    st.markdown("Compare with")
    for column, kind in zip(st.columns(3), COMPARATOR_KINDS, strict=True):
        with column:
            st.checkbox(names[kind], key=state.tr_comparator_key(kind))
with controls[1]:
    if max_horizon:
        unit = "years" if frequency == "annual" else "months"
        st.slider(f"Projection horizon ({unit})", 1, max_horizon, key=state.tr_horizon_key(frequency))
with controls[2]:
    st.toggle("View as table", key=state.KEY_TR_TABLE)
view = state.trends_view(frequency, max_horizon, data.TREND_DEFAULT_HORIZON.get(entry.frequency, 0))
state.write_trends_view_to_url(view)

try:
    choice = data.trend_choice(entry.indicator_id, current.districts, current.divisions, view.comparators)
    if not choice.areas:
        st.error(f"None of the chosen areas has a {entry.short_title.lower()} series. Choose a district, or "
                 "clear the filters to see Essex.")
        st.stop()
    live = data.needs_live_projection(entry.indicator_id, choice.areas, view.horizon)
    with st.spinner("Projecting (this series was not precomputed)…") if live else nullcontext():
        trend = data.trend_view(entry.indicator_id, choice, view.horizon)
except InsightError as error:
    st.error(f"The trend of {entry.short_title} could not be shown: {error}")
    st.stop()

render_notes(trend.notes)
chart_column, side_column = st.columns([3, 1], gap="medium")
with chart_column:
    render_chart(trend)
with side_column:
    render_accuracy(trend)
render_summary(trend)
if view.show_table:
    render_table(trend)
render_downloads(trend, file_slug(entry.short_title, *choice.areas), png_of(trend.export_spec),
                 svg_of(trend.export_spec))
st.caption("A projection supports councillors' and officers' judgement; it never replaces it. "
           + s.OGL_STATEMENT)
