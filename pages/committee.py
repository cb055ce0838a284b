"""Committee: build an agenda of saved views, see what changed since the last meeting, print the packs."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.committee import render_agenda, render_changes, render_division_pack
from components.frame import ensure_app_frame
from insight.agenda import MAX_VIEW_TARGETS, ViewParams
from insight.errors import InsightError

ensure_app_frame()
council = data.council()
st.title("Committee")
st.markdown("Prepare a meeting: an **agenda** of views to step through in committee mode (one finding per screen, "
            "large type, for a projector), **what changed** since the last meeting, and the **committee packs**.")
try:
    options = data.filter_options()
    chosen = state.filters(options)
    names = data.area_names()
except InsightError as error:
    st.error(f"The data could not be loaded: {error}")
    st.stop()

place_name = names.get(chosen.place or "", council.short_name)
targets = tuple(t for t in state.targets() if t.indicator_id == chosen.indicator_id)[:MAX_VIEW_TARGETS]
params = ViewParams(districts=chosen.districts, divisions=chosen.divisions, theme=chosen.theme,
                    indicator=chosen.indicator_id, targets=targets)  # targets: kept by a Trends view only
render_agenda(options, council, params, place_name)
st.divider()
render_changes(options, council, chosen.place)
st.divider()
render_division_pack(chosen.division, names.get(chosen.division or "", ""), council)
st.caption("Committee mode and the packs support councillors' and officers' judgement; they never replace it.")
