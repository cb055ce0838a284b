"""Essex Insight Dashboard: the router and frame (page config, navigation, shared sidebar)."""

from __future__ import annotations

import streamlit as st

from components.sidebar import render_messages, render_sidebar

st.set_page_config(page_title="Essex Insight Dashboard", page_icon="📊", layout="wide",
                   initial_sidebar_state="expanded")

SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    "Insight": [("pages/overview.py", "Overview", "🏠"), ("pages/trends.py", "Trends & projections", "📈")],
    "Places": [("pages/priority_map.py", "Priority map", "🗺️"),
               ("pages/division_profile.py", "Division profile", "📍")],
    "Plan": [("pages/scenarios.py", "Scenarios", "🧪")],
    "About": [("pages/data_methods.py", "Data & methods", "📚"), ("pages/ethics.py", "Ethics & transparency", "⚖️")],
}

navigation = st.navigation({
    section: [st.Page(path, title=title, icon=icon, default=(path == "pages/overview.py")) for path, title, icon in pages]
    for section, pages in SECTIONS.items()
})
selection = render_sidebar()
render_messages(selection)
navigation.run()
