"""Overview: Essex at a glance, the landing page a councillor sees first."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.frame import ensure_app_frame
from components.tiles import render_headline_tile, summary_sentence
from insight import schema as s
from insight.config import load_config
from insight.errors import InsightError

council = load_config()
ensure_app_frame()
st.title(f"{council.short_name} at a glance")
st.markdown("Latest published figures for Essex, how they have changed, and how they compare with England.")

try:
    tiles = data.headlines(data.HEADLINE_INDICATORS, council.county_code, council.england_code)
    sparklines = data.sparkline_specs(data.HEADLINE_INDICATORS, council.county_code, council.england_code)
except InsightError as error:
    st.error(f"The headline figures could not be loaded: {error}")
    st.stop()

st.info(f"**What this shows:** {summary_sentence(tiles)}", icon="ℹ️")

for row_start in range(0, len(tiles), 3):
    for column, tile in zip(st.columns(3, gap="medium"), tiles[row_start:row_start + 3], strict=False):
        with column:
            render_headline_tile(tile, sparklines[tile.indicator_id])

st.divider()
st.markdown("**Go further:** see how each measure is moving and where it may head, which divisions need "
            "prioritised activity, and a profile of every division.")
links = st.columns(3)
for column, (path, label, icon) in zip(links, [("pages/trends.py", "Trends & projections", "📈"),
                                             ("pages/priority_map.py", "Priority map", "🗺️"),
                                             ("pages/division_profile.py", "Division profile", "📍")], strict=True):
    with column:
        state.page_link(path, label, icon)
st.caption("Insight supports councillors' and officers' judgement; it never replaces it. "
           + s.OGL_STATEMENT)
