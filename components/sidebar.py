"""The shared sidebar: district -> division filter and theme -> indicator picker, bound to the URL."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import data, state
from components.literacy import render_help_links


def render_sidebar(page: Any) -> tuple[str, ...]:
    """Draw the shared filters (widgets bound to the link); return what to say about the link. ``page`` is the
    page st.navigation is about to run (an older link is reopened at it in the current form)."""
    options = data.filter_options()
    messages = state.begin_run(options, page)
    council = data.council()
    names = {**options.district_names, **options.division_names}
    titles = state.indicator_labels(options)
    with st.sidebar:
        st.header("Filters")
        st.multiselect("District", options=list(options.district_names), key=state.DISTRICT, bind=state.BIND,
                       format_func=names.get, placeholder=f"All {len(options.district_names)} districts",
                       help=f"Limit the {council.area_word_plural} (and maps and tables) to these districts.")
        divisions = list(options.divisions_in(state.chosen_districts()))
        state.keep_divisions_within(divisions)
        st.multiselect(council.area_word.capitalize(), options=divisions, key=state.DIVISION, bind=state.BIND,
                       format_func=names.get, placeholder=f"All {len(divisions)} {council.area_word_plural}",
                       help=council.area_help)
        st.divider()
        themes = list(options.titles_by_theme)
        st.selectbox("Theme", options=themes, index=themes.index(state.DEFAULT_THEME), key=state.THEME,
                     bind=state.BIND, format_func=state.theme_label)
        theme = state.chosen_theme()
        theme_titles = list(options.titles_by_theme[theme])
        state.keep_indicator_within(theme_titles, options)
        st.selectbox("Indicator", options=theme_titles, key=state.INDICATOR, bind=state.BIND, format_func=titles.get,
                     index=theme_titles.index(state.first_indicator(options, theme)))
        st.caption("The address bar keeps this selection: copy the link to share this exact view.")
        st.divider()
        render_help_links()
    return messages


def render_messages(messages: tuple[str, ...]) -> None:
    """Show what was wrong with the link, once, above the page."""
    for message in messages:
        st.warning(message, icon="🔗")
