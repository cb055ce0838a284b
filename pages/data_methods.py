"""Data & methods: the indicator catalogue, where the data comes from, how figures are made, your own data."""

from __future__ import annotations

import streamlit as st

from components.data import council as current_council
from components.frame import ensure_app_frame
from components.methods import render_catalogue, render_upload
from insight import schema as s
from insight.errors import InsightError
from insight.methods_text import methods_markdown

ensure_app_frame()
council = current_council()
st.title("Data & methods")
st.markdown("Every figure in this dashboard comes from open data published by ONS and MHCLG. This page lists "
            "each indicator, what it means, where it comes from and its licence, and lets you download it.")
if council.divisions_approximate:
    st.warning(s.APPROXIMATE_BOUNDARIES_NOTICE, icon="📐")

st.header("Indicator catalogue")
try:
    render_catalogue()
except InsightError as error:
    st.error(f"The catalogue could not be loaded: {error}")
    st.stop()

st.header("Load your own data")
render_upload()

st.header("How the figures are made")
st.markdown(methods_markdown(council))

st.header("Accessibility")
st.markdown("We aim to meet WCAG 2.2 AA: text contrast of at least 4.5:1, ratings given in words as well as "
            "colour, every chart with a sentence stating its finding and a table alternative, and keyboard-only "
            "use. Tell the Insight team about anything that gets in your way.")

st.header("Licence and attribution")
st.markdown(s.OGL_ATTRIBUTION + " LSOA 2011 polygons: martinjc/UK-GeoJSON, CC-BY 4.0.")
