"""Drawing the targets form of the Trends page: set a line per indicator, list and remove, save and load a file."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import state
from insight.loaders import Indicator
from insight.targets import ALL_AREAS, MAX_LABEL, MAX_SET_BY, targets_to_json
from views.targets import DIRECTION_LABELS, FILE_NAME, NONE_SET, target_line


def render_targets(entry: Indicator, areas_shown: Mapping[str, str], names: Mapping[str, str],
                   indicators: pd.DataFrame, areas: pd.DataFrame) -> None:
    """An expander to set a target for this indicator (value, direction, label, who set it, which area), with
    the session's targets listed, removable, downloadable and loadable as a small JSON file."""
    chosen = state.targets()
    mine = [t for t in chosen if t.indicator_id == entry.indicator_id]
    message = state.targets_message()
    state.seed_targets_panel(open_now=message is not None)
    with st.expander(f"🎯 Targets and thresholds ({len(mine)} for this measure)", key=state.KEY_TARGETS_OPEN,
                     on_change="rerun") as panel:
        if not panel.open:  # drawn only when opened: nothing of the form to redraw on each change of indicator
            return
        if message is not None:
            kind, text = message
            (st.success if kind == "success" else st.error)(text)
        st.caption("A target is a line someone chooses, such as a ceiling from the council plan. It is drawn on "
                   "the chart, and a projection whose 80% range reaches past it is listed under Needs attention. "
                   "Targets last for this session: download them to keep them.")
        if not chosen:
            st.markdown(NONE_SET)
        for index, target in enumerate(mine):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(target_line(target, entry, names))
            right.button("Remove", key=f"tg_remove_{index}", on_click=state.remove_target, args=(target,))
        with st.form("tg_form", clear_on_submit=True, border=True):
            st.markdown(f"**Set a target for {entry.short_title.lower()}**")
            first, second = st.columns(2)
            first.number_input(f"Value ({entry.unit})", value=None, key=state.KEY_TG_VALUE,
                               placeholder="Type a number", format="%.2f")
            second.selectbox("For", options=[ALL_AREAS, *areas_shown], key=state.KEY_TG_AREA,
                             format_func=lambda c: "Every area" if c == ALL_AREAS else areas_shown.get(c, c))
            st.radio("The line is", options=list(DIRECTION_LABELS), format_func=DIRECTION_LABELS.get,
                     key=state.KEY_TG_DIRECTION, horizontal=True)
            first, second = st.columns(2)
            first.text_input("Label", key=state.KEY_TG_LABEL, max_chars=MAX_LABEL,
                             placeholder="e.g. Council plan ceiling")
            second.text_input("Set by", key=state.KEY_TG_SET_BY, max_chars=MAX_SET_BY,
                              placeholder="e.g. Policy team")
            st.form_submit_button("Add target", on_click=state.add_target_from_form,
                                  args=(entry.indicator_id, indicators, areas))
        left, right = st.columns(2)
        with left:
            st.download_button(f"⬇ Download the {len(chosen)} target{'' if len(chosen) == 1 else 's'} (JSON)",
                               targets_to_json(chosen),
                               file_name=FILE_NAME, mime="application/json", on_click="ignore",
                               disabled=not chosen, width="stretch")
        with right:
            st.file_uploader("Load targets from a file (JSON)", type=["json"], key=state.KEY_TG_FILE,
                             on_change=state.load_targets_file, args=(indicators, areas))
