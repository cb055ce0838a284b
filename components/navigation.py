"""Links between pages that keep the session (never markdown links, which reset it)."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException


def page_link(page: str, label: str, icon: str | None = None, query_params: dict[str, str] | None = None) -> None:
    """st.page_link to another page of the app, carrying query parameters.

    When a page runs on its own (tests run pages in isolation) the other pages are not registered;
    the link is then shown as plain text rather than failing.
    """
    try:
        st.page_link(page, label=label, icon=icon, query_params=query_params)
    except StreamlitAPIException:
        st.markdown(f"{icon or ''} {label}")
