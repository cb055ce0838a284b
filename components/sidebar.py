"""The shared sidebar: district -> division filter and theme -> indicator picker, bound to the URL."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import data, state
from components.literacy import render_help_links
from components.your_data import render_sidebar_label
from insight.errors import InsightError
from insight.text import plain


def render_sidebar(page: Any) -> tuple[str, ...]:
    """Draw the shared filters (widgets bound to the link); return what to say about the link. ``page`` is the
    page st.navigation is about to run (an older link is reopened at it in the current form).

    When the dataset cannot be loaded the sidebar says so and returns no messages: the page then shows the
    loader's own message (which file, what is wrong, how to rebuild it) instead of a generic error."""
    yours = state.your_data()
    try:
        options = data.filter_options(yours)
    except InsightError:
        with st.sidebar:
            st.header("Filters")
            st.error("The filters are unavailable because the data could not be loaded; the page says why.")
        return ()
    messages = state.begin_run(options, page)
    council = data.council()
    names = {**options.district_names, **options.division_names}
    titles = state.indicator_labels(options)
    with st.sidebar:
        st.header("Filters")
        st.multiselect("District", options=list(options.district_names), key=state.DISTRICT, bind=state.BIND,
                       format_func=lambda code: names.get(code, code),
                       placeholder=f"All {len(options.district_names)} districts",
                       help=f"Limit the {council.area_word_plural} (and maps and tables) to these districts.")
        divisions = list(options.divisions_in(state.chosen_districts()))
        state.keep_divisions_within(divisions)
        st.multiselect(council.area_word.capitalize(), options=divisions, key=state.DIVISION, bind=state.BIND,
                       format_func=lambda code: names.get(code, code),
                       placeholder=f"All {len(divisions)} {council.area_word_plural}",
                       help=council.area_help)
        st.divider()
        themes = list(options.titles_by_theme)
        st.selectbox("Theme", options=themes, index=themes.index(state.DEFAULT_THEME), key=state.THEME,
                     bind=state.BIND, format_func=state.theme_label)
        theme = state.chosen_theme()
        theme_titles = list(options.titles_by_theme[theme])
        state.keep_indicator_within(theme_titles, options)
        st.selectbox("Indicator", options=theme_titles, key=state.INDICATOR, bind=state.BIND,
                     format_func=lambda i: titles.get(i, i),
                     index=theme_titles.index(state.first_indicator(options, theme)))
        render_sidebar_label(yours, str(state.widget_value(state.INDICATOR, "")))
        st.caption("The address bar keeps this selection: copy the link to share this exact view.")
        st.button("▶ Committee mode", key="present_start", on_click=state.start_presenting, width="stretch",
                  help="One finding per screen in large type, for a projector: the agenda loaded on the "
                       "Committee page, or the chosen place's headlines. Step with → / ← or Page Down / Page Up.")
        st.divider()
        render_help_links()
        render_sign_in(page.url_path)
    return messages


def render_messages(messages: tuple[str, ...]) -> None:
    """Show what was wrong with the link, once, above the page, whether an upload the link implies is gone, and
    why the page reconnected if it was moved to another server."""
    moved = state.replica_move_notice()
    if moved:
        st.info(moved)
    for message in messages:
        st.warning(message, icon="🔗")
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


SIGN_IN_HELP = "Council staff sign in to see restricted indicators (for example pre-release figures)."


def render_sign_in(page_url_path: str) -> None:
    """Sign in / out (OpenID Connect, st.login), shown only where the deployment configures it ([auth]); signing
    in from a page comes back to it, link and all (components.sign_in)."""
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
        state.sign_in_keeping_view(page_url_path, data.pending_returns())
