"""Scenarios: what-if projections, compared side by side with the baseline and shared by link."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components import scenarios as view
from components.frame import ensure_app_frame
from components.your_data import render_your_label
from insight.errors import InsightError
from views.scenarios import LiveExport

ensure_app_frame()
st.title("Scenarios: what if?")
st.markdown("Start from a **projection** of a series, then move the levers: a change in the trend, a one-off "
            "step (an intervention's expected effect, with its range), extra population growth, or a target "
            "to test. Up to three scenarios sit beside the baseline, each with its uncertainty.")

try:
    choice = view.render_series_picker(state.filters(data.filter_options()))
except InsightError as error:
    st.error(f"The series list could not be loaded: {error}")
    st.stop()
view.render_link_messages(choice)
if choice.illustrative:
    view.render_illustrative_badge()
yours = state.your_data()  # the session's uploaded indicators (None when there are none)
render_your_label(yours, [choice.indicator.indicator_id])

try:
    with st.spinner("Projecting the baseline…"):
        history, projection = data.scenario_baseline(choice.illustrative, choice.indicator.indicator_id,
                                                     choice.area_code, choice.horizon, yours)
except InsightError as error:
    st.error(f"This series cannot be projected: {error} Choose another indicator or area.")
    st.stop()

live = LiveExport(choice)
view.render_workbench(choice, history, projection, live)
view.render_exports(live)
view.render_method_notes(projection, choice)
st.caption("Scenarios support councillors' and officers' judgement; they never replace it. A scenario shows "
           "what follows from its stated assumptions, not what will happen.")
