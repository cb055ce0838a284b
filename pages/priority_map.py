"""Priority map: where in Essex may need prioritised activity — a transparent, adjustable index."""

from __future__ import annotations

import functools

import streamlit as st

from components import data, state
from components import priority as pm
from components.frame import ensure_app_frame
from insight import priority as pri
from insight import schema as s
from insight.errors import InsightError

ensure_app_frame()
st.title("Priority map: where in Essex may need prioritised activity")
st.markdown("A transparent index of need for the 70 county divisions. Choose the measures and their weights; "
            "the map, ranking and stability figures update. Click a division or a table row to look closer.")
pm.render_standing_note()

try:
    indicators = data.indicators()
    frame, _ = data.priority_inputs(s.Level.DIVISION)
    candidates = list(frame.columns)
    titles, definitions, districts = data.priority_lookups()
    names = data.area_names()
    shared = state.filters(data.filter_options())
except InsightError as error:
    st.error(f"The priority data could not be loaded: {error}")
    st.stop()

first_view = state.priority_view(candidates, data.PRIORITY_DEFAULT_INDICATORS, set(districts))
for message in first_view.messages:
    st.warning(message)
state.seed_priority_widgets(first_view)

controls, map_column = st.columns([2, 3], gap="large")
with controls:
    pm.render_controls(candidates, titles, definitions)
view = state.priority_view(candidates, data.PRIORITY_DEFAULT_INDICATORS, set(districts))
weights = tuple((i, float(w)) for i, w in view.weights)

try:
    result = data.priority_result(s.Level.DIVISION, weights, view.method)
    stability = data.priority_stability(weights, view.method, view.top_n)
except InsightError as error:
    st.error(f"The index cannot be computed with these settings: {error}")
    state.write_priority_view_to_url(view)
    st.stop()

with map_column:
    try:
        deck = pm.division_deck(result, names, districts, titles, view.top_n, view.focus)
    except InsightError as error:  # a missing or corrupt boundary file: the ranking below still works
        st.error(f"The map cannot be drawn: {error}")
    else:
        pm.render_priority_map(deck, view.focus, pm.finding_sentence(result, names, districts, view.top_n),
                               pm.build_legend(pri.class_breaks(result), view.method),
                               pm.sources_line(list(result.weights), indicators))

shown = pm.filtered_codes(data.filter_options(), shared.districts, shared.divisions)
display = pm.build_ranked_table(result, stability, names, districts, titles, view.top_n, list(shown))
pm.render_ranked_table(display, view.top_n, view.method,
                       (float(result.contributions.min().min()), float(result.contributions.max().max())),
                       f"pm_table_{pm.weights_key(weights, view.method)}_{view.focus}",
                       functools.partial(pm.export_csv, result, stability, names, districts, titles, view.top_n),
                       bool(shown))

st.divider()
division_codes = sorted(districts, key=lambda c: names.get(c, c))
st.selectbox("Look closer at a division", options=division_codes, key=state.KEY_PM_FOCUS, index=None,
             format_func=lambda c: f"{names.get(c, c)} ({districts.get(c, '')})",
             placeholder="Choose a division, click one on the map, or select a table row")
if view.focus is not None:
    focus = view.focus
    pm.render_drilldown_header(names[focus], districts[focus], result.table.loc[focus], stability.loc[focus],
                               view.top_n, view.method, len(result.table))
    pm.render_profile_link(focus, names[focus])
    chart_column, lsoa_column = st.columns(2, gap="large")
    with chart_column:
        st.vega_lite_chart(spec=pm.build_contribution_chart(result, focus, names[focus], titles), width="stretch")
    with lsoa_column:
        try:
            deck, options, lsoa_table, note = pm.lsoa_drilldown(focus, weights, view.method, view.measure,
                                                                titles)
        except InsightError as error:
            st.error(f"The LSOAs of this division could not be shown: {error}")
        else:
            pm.render_lsoa_section(deck, options, titles, lsoa_table, note)

pm.render_model_card(result.excluded, titles)
state.write_priority_view_to_url(state.priority_view(candidates, data.PRIORITY_DEFAULT_INDICATORS,
                                                     set(districts)))
