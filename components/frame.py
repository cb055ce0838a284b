"""The app frame: every page kept inside app.py (even when a link opens a page directly), and the few style rules
that make every page read on a projector at 1280x720 as well as on a large screen and a phone."""

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


# Static CSS only (never data). Streamlit's wide layout keeps 5rem either side of the page and 6rem above it, which
# at 1280x720 leaves three quarters of the width to the content; metrics, badges and the priority measures' chips
# are cut with an ellipsis when narrow. Here: less margin on smaller screens, and those wrap instead of being cut.
FRAME_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
@media (max-width: 1600px) {
  [data-testid="stMainBlockContainer"] { padding-left: 2rem; padding-right: 2rem; }
}
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p, [data-testid="stMetricValue"] .stMarkdownEllipsis,
[data-testid="stMetricLabel"] .stMarkdownEllipsis, .stMarkdownBadge {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: break-word; max-width: 100%; }
[data-testid="stMultiSelectTagsContainer"] { flex-wrap: wrap; }
[data-testid="stMultiSelectTagsContainer"] span { max-width: none !important; overflow: visible !important;
  text-overflow: clip !important; white-space: normal !important; }
[data-testid="stVegaLiteChart"] svg { max-width: 100%; height: auto; }
/* On a phone a chart keeps the width its titles, legends and labels were written for and scrolls sideways
   inside its own frame; the page itself never does. */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; }
  div:has(> [data-testid="stVegaLiteChart"]) { overflow-x: auto; }
  [data-testid="stVegaLiteChart"] { min-width: 640px; }
  [data-testid="stDownloadButton"] button, [data-testid="stButton"] button { max-width: 100%; height: auto; }
  [data-testid="stDownloadButton"] button p, [data-testid="stButton"] button p { white-space: normal; }
}
/* A map's hover note opens to the left of the pointer and may spill out of the map: beside the pointer, the
   map's right edge cut it off over the divisions there (Tendring). Maps sit in a page's right-hand column, so
   there is room on the left, over Harlow too. */
[data-testid="stDeckGlJsonChart"] div { overflow: visible !important; }
[data-testid="stDeckGlJsonChart"] .deck-tooltip { translate: calc(-100% - 24px) 0; max-width: 300px !important; }
</style>
"""


def render_frame_style() -> None:
    """The frame's style rules (call once per run, from app.py)."""
    st.html(FRAME_CSS)
