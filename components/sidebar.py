"""The shared sidebar: district -> division filter and theme -> indicator picker, mirrored in the URL."""

from __future__ import annotations

import streamlit as st

from components import data, state
from insight.errors import InsightError


def render_sidebar() -> state.Filters:
    """Draw the shared filters and return the validated selection (also written to the URL).

    When the dataset cannot be loaded the sidebar says so and returns the defaults: the page then shows the
    loader's own message (which file, what is wrong, how to rebuild it) instead of a generic error."""
    try:
        options = data.filter_options()
    except InsightError:
        with st.sidebar:
            st.header("Filters")
            st.error("The filters are unavailable because the data could not be loaded; the page says why.")
        return state.Filters()
    current = state.filters(options)
    state.seed_sidebar(current)
    names = {**options.district_names, **options.division_names}
    with st.sidebar:
        st.header("Filters")
        st.multiselect("District", options=list(options.district_names), key=state.KEY_DISTRICTS,
                       format_func=names.get, placeholder=f"All {len(options.district_names)} districts",
                       help="Limit the division list (and maps and tables) to these districts.")
        divisions = list(options.divisions_in(state.chosen_districts()))
        state.keep_divisions_within(divisions)
        st.multiselect("Division", options=divisions, key=state.KEY_DIVISIONS, format_func=names.get,
                       placeholder=f"All {len(divisions)} divisions",
                       help="County electoral divisions (approximate boundaries).")
        st.divider()
        st.selectbox("Theme", options=list(options.titles_by_theme), key=state.KEY_THEME,
                     format_func=str.capitalize, on_change=state.on_theme_change, args=(options,))
        titles = options.titles_by_theme[state.chosen_theme()]
        state.keep_indicator_within(list(titles))
        st.selectbox("Indicator", options=list(titles), key=state.KEY_INDICATOR, format_func=titles.get)
        st.caption("The address bar keeps this selection: copy the link to share this exact view.")
    selection = state.filters(options)
    selection = state.Filters(selection.districts, selection.divisions, selection.theme, selection.indicator_id,
                              current.messages)
    state.write_filters_to_url(selection)
    return selection


def render_messages(selection: state.Filters) -> None:
    """Show what was wrong with the link, once, above the page, and whether an upload the link implies is gone."""
    for message in selection.messages:
        st.warning(message)
    if state.sync_upload_marker():
        render_lost_upload_notice()


def render_lost_upload_notice() -> None:
    """Tell the user that the file they uploaded is no longer held (a restart, or a link from another session)."""
    with st.container(border=True):
        st.warning("**Your uploaded file is no longer loaded.** Uploads are held only for the browser session "
                   "that loaded them: after the server restarts, or when a link made with an upload is opened "
                   "elsewhere, the file must be loaded again (Data & methods → Load your own data). "
                   "Everything else in this view came back from the link.", icon="📄")
        st.button("OK", key="upload_lost_ok", on_click=state.dismiss_lost_upload)
