"""The shared sidebar: district -> division filter and theme -> indicator picker, mirrored in the URL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data, state
from insight import query
from insight import schema as s


def render_sidebar() -> state.Filters:
    """Draw the shared filters and return the validated selection (also written to the URL)."""
    areas, indicators = data.areas(), data.indicators()
    current = state.filters(areas, indicators)
    state.seed_sidebar(current)
    names = areas.set_index(s.AREA_CODE)[s.AREA_NAME].to_dict()
    with st.sidebar:
        st.header("Filters")
        districts = query.areas_at(areas, s.Level.DISTRICT)
        st.multiselect("District", options=list(districts[s.AREA_CODE]), key=state.KEY_DISTRICTS,
                       format_func=names.get, placeholder="All 12 districts",
                       help="Limit the division list (and maps and tables) to these districts.")
        divisions = query.divisions_in(areas, state.chosen_districts())
        options = list(divisions[s.AREA_CODE])
        state.keep_divisions_within(options)
        st.multiselect("Division", options=options, key=state.KEY_DIVISIONS, format_func=names.get,
                       placeholder=f"All {len(options)} divisions",
                       help="County electoral divisions (approximate boundaries).")
        st.divider()
        real = indicators[indicators[s.STATUS] != s.Status.ILLUSTRATIVE]
        themes = sorted(real[s.THEME].unique())
        st.selectbox("Theme", options=themes, key=state.KEY_THEME, format_func=str.capitalize,
                     on_change=state.on_theme_change, args=(indicators,))
        in_theme = real[real[s.THEME] == state.chosen_theme()].sort_values(s.SHORT_TITLE)
        titles = in_theme.set_index(s.INDICATOR_ID)[s.SHORT_TITLE].to_dict()
        state.keep_indicator_within(list(titles))
        st.selectbox("Indicator", options=list(titles), key=state.KEY_INDICATOR, format_func=titles.get)
        st.caption("The address bar keeps this selection: copy the link to share this exact view.")
    selection = state.filters(areas, indicators)
    selection = state.Filters(selection.districts, selection.divisions, selection.theme, selection.indicator_id,
                              current.messages)
    state.write_filters_to_url(selection)
    return selection


def render_messages(selection: state.Filters) -> None:
    """Show what was wrong with the link, once, above the page."""
    for message in selection.messages:
        st.warning(message)


def area_names(areas: pd.DataFrame) -> dict[str, str]:
    """Area code -> name."""
    return areas.set_index(s.AREA_CODE)[s.AREA_NAME].to_dict()
