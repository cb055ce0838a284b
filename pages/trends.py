"""Trends & projections: how a measure has moved, where past trends would take it, and how sure we can be."""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st

from components import data, state
from components.attention import render_signal_notes, render_spc_option, render_spc_panels
from components.frame import ensure_app_frame
from components.literacy import render_how_to_read
from components.targets import render_targets
from components.trends import (
    render_accuracy,
    render_chart,
    render_downloads,
    render_notes,
    render_summary,
    render_table,
)
from components.your_data import render_your_label
from insight import schema as s
from insight.errors import InsightError
from views.trends import COMPARATOR_KINDS, comparable_kinds, count_comparison_note, file_slug, png_of, svg_of

ensure_app_frame()
council = data.council()
st.title("Trends & projections")
try:
    yours = state.your_data()  # the session's uploaded indicators (None when there are none)
    options = data.filter_options(yours)
    current = state.filters(options)
    entry = data.indicator(current.indicator_id, yours)
except InsightError as error:
    st.error(f"The data could not be loaded: {error}")
    st.stop()

frequency = entry.frequency.value
max_horizon = data.TREND_MAX_HORIZON.get(entry.frequency, 0)
default_horizon = data.TREND_DEFAULT_HORIZON.get(entry.frequency, 0)
names = council.comparator_names
names_of = data.area_names()
# Each part whose number of elements varies with the indicator sits in a container of its own, so the parts
# after it keep their place on the page: the browser then updates them in place instead of building them again.
with st.container():
    for message in state.trends_link_messages(frequency, max_horizon, default_horizon, names):
        st.warning(message, icon="🔗")
    render_your_label(yours, [entry.indicator_id])
st.markdown(f"**{entry.title}**. Unit: {entry.unit}. Choose the indicator and areas in the sidebar; with none "
            f"chosen, {council.short_name} is shown.")

linked = state.trends_view(frequency, max_horizon, default_horizon, names)
state.seed_widgets({state.KEY_TR_COMPARE: list(linked.comparators), state.KEY_TR_TABLE: linked.show_table,
                    **({state.tr_horizon_key(frequency): linked.horizon} if max_horizon else {})})
controls = st.columns([5, 3, 2], vertical_alignment="bottom")
counts = not comparable_kinds(entry, COMPARATOR_KINDS)  # a count is not drawn beside far larger areas
with controls[0]:
    st.pills("Compare with", options=list(COMPARATOR_KINDS), selection_mode="multi", default=list(COMPARATOR_KINDS),
             format_func=lambda kind: names.get(kind, kind), key=state.KEY_TR_COMPARE, bind=state.BIND,
             disabled=counts, help="Not for a count: see the note below." if counts else None)
with controls[1]:
    if max_horizon:
        unit = "years" if frequency == "annual" else "months"
        st.slider(f"Projection horizon ({unit})", 1, max_horizon, key=state.tr_horizon_key(frequency))
with controls[2]:
    st.toggle("View as table", key=state.KEY_TR_TABLE, bind=state.BIND)
view = state.trends_view(frequency, max_horizon, default_horizon, names)
state.write_trends_horizon_to_url(frequency, view.horizon, default_horizon)

try:
    choice = data.trend_choice(entry.indicator_id, current.districts, current.divisions,
                               comparable_kinds(entry, view.comparators), yours)
    if not choice.areas:
        st.error(f"No area has a {entry.short_title.lower()} series in this dataset.")
        st.stop()
    live = data.needs_live_projection(entry.indicator_id, choice.areas, view.horizon, yours)
    with st.spinner("Projecting (this series was not precomputed)…") if live else nullcontext():
        trend, signals = data.marked_trend_view(entry.indicator_id, choice, view.horizon, state.targets(), yours)
except InsightError as error:
    st.error(f"The trend of {entry.short_title} could not be shown: {error}")
    st.stop()

with st.container():
    render_notes(trend.notes)
    if counts:
        st.caption(count_comparison_note(entry, [names_of.get(c, c) for c in choice.areas],
                                         [names[k] for k in COMPARATOR_KINDS if k in names]))
uploaded = yours is not None and yours.has(entry.indicator_id)  # signals and targets: published data only
with st.container():
    if not uploaded and render_spc_option(frequency):
        render_spc_panels(data.spc_panels(entry.indicator_id, choice.areas), view.show_table)
    else:
        render_chart(trend)
        render_how_to_read(trend.guide)  # made with the cached view, not on every rerun
        render_signal_notes(signals, state.targets())
with st.container():
    if not uploaded:
        render_targets(entry, {c: names_of[c] for c in choice.areas}, names_of, data.indicators(), data.areas())
summary_column, accuracy_column = st.columns([3, 2] if trend.has_projection else [1, 0.001], gap="large")
with summary_column:
    render_summary(trend)
if trend.has_projection:
    with accuracy_column:
        render_accuracy(trend)
with st.container():
    if view.show_table:
        render_table(trend)
render_downloads(trend, file_slug(entry.short_title, *choice.areas), png_of(trend.export_spec),
                 svg_of(trend.export_spec))
st.caption("A projection supports councillors' and officers' judgement; it never replaces it. "
           + s.OGL_STATEMENT)
