"""Insight Dashboard: the router and frame (page config, navigation, shared sidebar, committee mode)."""

from __future__ import annotations

import streamlit as st

from components.data import council, pending_returns, sign_in_configured, viewer
from components.frame import render_frame_style
from components.literacy import render_first_visit_guide
from components.present import presentation_slides, render_presentation
from components.sidebar import render_messages, render_sidebar
from components.state import (
    once_per_session,
    present_mode,
    remember_what_the_link_dropped,
    return_to_view_after_sign_in,
)

COUNCIL = council()
PRESENTING = present_mode()
st.set_page_config(page_title=f"{COUNCIL.short_name} Insight Dashboard", page_icon="📊", layout="wide",
                   initial_sidebar_state="collapsed" if PRESENTING else "auto")

SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    "Insight": [("pages/overview.py", "Overview", "🏠"), ("pages/trends.py", "Trends & projections", "📈")],
    "Places": [("pages/priority_map.py", "Priority map", "🗺️"),
               ("pages/division_profile.py", f"{COUNCIL.area_word.capitalize()} profile", "📍")],
    "Plan": [("pages/scenarios.py", "Scenarios", "🧪"), ("pages/committee.py", "Committee", "🗓️")],
    "About": [("pages/data_methods.py", "Data & methods", "📚"), ("pages/ethics.py", "Ethics & transparency", "⚖️"),
              ("pages/glossary.py", "Glossary", "📖")],
}

NAVIGATION_PAGES_KEY = "_navigation_pages"


def navigation_pages() -> dict[str, list[st.Page]]:
    """The pages by section: making an st.Page resolves and checks its file, which for the nine pages was about
    a twelfth of a Trends rerun's script time, so they are made once per session."""
    return once_per_session(NAVIGATION_PAGES_KEY, SECTIONS, lambda: {
        section: [st.Page(path, title=title, icon=icon, default=(path == "pages/overview.py"))
                  for path, title, icon in pages] for section, pages in SECTIONS.items()})


navigation = st.navigation(navigation_pages(), position="hidden" if PRESENTING else "sidebar")
if sign_in_configured():  # back from signing in: open the view it started from, before any widget is drawn
    remember_what_the_link_dropped(navigation.url_path)
    return_to_view_after_sign_in([p for pages in navigation_pages().values() for p in pages], navigation.url_path,
                                 viewer().signed_in, pending_returns())
render_frame_style()
render_messages(render_sidebar(navigation))
if PRESENTING:  # committee mode: one finding per screen in place of the page (the sidebar is hidden)
    render_presentation(*presentation_slides())
else:
    render_first_visit_guide(COUNCIL.area_word, expanded=navigation.url_path == "")  # open on the Overview
    navigation.run()
