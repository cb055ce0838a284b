"""The shared sidebar: district -> division filter and theme -> indicator picker, mirrored in the URL."""

from __future__ import annotations

import streamlit as st

from components import data, state
from insight.text import plain


def render_sidebar() -> state.Filters:
    """Draw the shared filters and return the validated selection (also written to the URL)."""
    options = data.filter_options()
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
        render_sign_in()
    selection = state.filters(options)
    selection = state.Filters(selection.districts, selection.divisions, selection.theme, selection.indicator_id,
                              current.messages)
    state.write_filters_to_url(selection)
    return selection


def render_messages(selection: state.Filters) -> None:
    """Show what was wrong with the link, once, above the page (and why it reconnected, if it was moved)."""
    moved = state.replica_move_notice()
    if moved:
        st.info(moved)
    for message in selection.messages:
        st.warning(message)


SIGN_IN_HELP = "Council staff sign in to see restricted indicators (for example pre-release figures)."


def render_sign_in() -> None:
    """Sign in / out (OpenID Connect, st.login), shown only where the deployment configures it ([auth])."""
    if not data.sign_in_configured():
        return
    viewer = data.viewer()
    st.divider()
    if viewer.signed_in:
        groups = f" (groups: {plain(', '.join(viewer.groups), 200)})" if viewer.groups else ""
        st.caption(f"Signed in as {plain(viewer.name)}{groups}")
        if st.button("Sign out", key="auth_sign_out"):
            st.logout()
        return
    if viewer.expired:
        st.warning("Your sign-in has expired, so restricted indicators are hidden. Sign in again to see them.")
    if st.button("Sign in", key="auth_sign_in", help=SIGN_IN_HELP):
        st.login()
