"""Priority map: where may need prioritised activity — a transparent, adjustable index of the council's areas."""

from __future__ import annotations

import functools
from typing import cast

import pandas as pd
import streamlit as st

from components import data, state
from components import priority as pm
from components.charts import draw_vega
from components.frame import ensure_app_frame
from components.literacy import render_how_to_read
from components.model_card import render_card_link
from components.your_data import render_your_label
from insight import priority as pri
from insight import schema as s
from insight.errors import InsightError
from insight.model_cards import PRIORITY
from views import priority as views
from views.devices import map_fit_width
from views.literacy import contribution_guide, map_guide

ensure_app_frame()
council = data.council()
st.title(f"Priority map: where in {council.short_name} may need prioritised activity")
try:
    yours = state.your_data()  # the session's uploaded indicators (None when there are none)
    indicators = data.indicators(yours)
    frame, _ = data.priority_inputs(s.Level.DIVISION, yours)
    candidates = list(frame.columns)
    titles, definitions, districts = data.priority_lookups(yours)
    names = data.area_names()
    options = data.filter_options(yours)
    shared = state.filters(options)
except InsightError as error:
    st.error(f"The priority data could not be loaded: {error}")
    st.stop()
n_areas = len(districts)
st.markdown(f"A transparent index of need for the {n_areas} {council.area_title}s. Choose the measures and their "
            f"weights; the map, ranking and stability figures update. Click a {council.area_word} or a table row "
            "to look closer: it becomes the chosen one on every page.")
pm.render_standing_note(council)

candidate_titles = {i: titles.get(i, i) for i in candidates}
measures = {state.PM_SCORE_MEASURE: views.SCORE_MEASURE_LABEL, **candidate_titles}
for message in state.priority_link_messages(candidate_titles, views.METHOD_SHORT, n_areas, measures):
    st.warning(message, icon="🔗")
state.seed_priority_weights(candidate_titles, data.PRIORITY_DEFAULT_INDICATORS)
linked = state.priority_view(candidate_titles, data.PRIORITY_DEFAULT_INDICATORS, n_areas, views.METHOD_SHORT,
                             measures)
state.seed_widgets({state.KEY_PM_METHOD: linked.method, state.KEY_PM_TOP_N: linked.top_n,
                    state.KEY_PM_MEASURE: linked.measure})

controls, map_column = st.columns([2, 3], gap="large")
with controls:
    pm.render_controls(candidates, titles, definitions, n_areas, council.area_word_plural)
view = state.priority_view(candidate_titles, data.PRIORITY_DEFAULT_INDICATORS, n_areas, views.METHOD_SHORT, measures)
state.write_priority_weights_to_url(view, data.PRIORITY_DEFAULT_INDICATORS)
weights = tuple((i, float(w)) for i, w in view.weights)

try:
    result = data.priority_result(s.Level.DIVISION, weights, view.method, yours)
    stability = data.priority_stability(weights, view.method, view.top_n, yours)
except InsightError as error:
    st.error(f"The index cannot be computed with these settings: {error}")
    st.stop()

focus = shared.division if shared.division in result.table.index else None
render_your_label(yours, [i for i, _ in weights])
phone = state.on_a_phone()  # the maps are fitted to a phone's width
with map_column:
    try:
        deck = data.priority_division_deck(result, names, districts, titles, view.top_n, focus,
                                           width=map_fit_width(views.DIVISION_MAP_WIDTH, phone))
    except InsightError as error:  # a missing or corrupt boundary file: the ranking below still works
        st.error(f"The map cannot be drawn: {error}")
    else:
        pm.render_priority_map(
            deck, focus, views.finding_sentence(result, names, districts, view.top_n, data.area_words()),
            options, council)
    if focus is not None:  # right under the map, where the click was
        pm.render_focus_summary(names[focus], districts[focus], result.table.loc[focus], view.top_n, n_areas)
    pm.render_map_key(views.build_legend(pri.class_breaks(result), view.method, data.area_words()),
                      views.sources_line(list(result.weights), indicators), council)
    render_how_to_read(map_guide(result, names))
    render_card_link(PRIORITY)

shown = views.filtered_codes(options, shared.districts)
display = views.build_ranked_table(result, stability, names, districts, titles, view.top_n, list(shown))
pm.render_ranked_table(display, view.top_n, view.method,
                       (float(result.contributions.min().min()), float(result.contributions.max().max())),
                       state.table_widget_key("pm_table", tuple(display["Code"]), focus),
                       functools.partial(views.export_csv, result, stability, names, districts, titles, view.top_n),
                       bool(shown), options)

st.divider()
pm.render_focus_picker(sorted(districts, key=lambda c: names.get(c, c)), names, districts, focus, options)
if focus is not None:
    pm.render_drilldown_header(names[focus], districts[focus], result.area_row(focus),
                               cast(pd.Series, stability.loc[focus]),  # one row: the index is area codes
                               view.top_n, view.method, len(result.table))
    chart_column, lsoa_column = st.columns(2, gap="large")
    with chart_column:
        draw_vega(views.build_contribution_chart(result, focus, names[focus], titles), width="stretch")
        render_how_to_read(contribution_guide(result, focus, names[focus], titles))
    with lsoa_column:
        try:
            drilldown = data.priority_lsoa_drilldown(
                focus, weights, view.method, view.measure, titles, yours,
                width=map_fit_width(views.LSOA_MAP_WIDTH, phone))
        except InsightError as error:
            st.error(f"The LSOAs of this {council.area_word} could not be shown: {error}")
        else:
            pm.render_lsoa_section(drilldown, titles, council)

pm.render_model_card(result.excluded, titles)
