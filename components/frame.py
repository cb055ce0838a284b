"""Keeps every page inside the app frame (app.py), even when a link opens a page directly."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_frame() -> None:
    """Call first on every page: re-run through app.py if Streamlit started this page on its own.

    Streamlit remembers a `pages/` folder next to the entry point as the old folder-based multipage mode
    until st.navigation has run once in the process. A shared deep link (e.g. /priority_map?...) opened on
    a freshly started server would then run the page without app.py: no shared sidebar, no navigation
    sections, no page config. Switching the old mode off and re-running lets app.py route to the same page.
    (In AppTest runs of a single page the flag is already off, so this does nothing.)
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
