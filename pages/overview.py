"""Overview: the council area (or the chosen district) at a glance, the landing page a councillor sees first."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.attention import render_needs_attention
from components.frame import ensure_app_frame
from components.tiles import render_headline_tile
from insight import schema as s
from insight.errors import InsightError
from views.overview import overview_place, summary_sentence

ensure_app_frame()
council = data.council()
try:
    options = data.filter_options()
    chosen = state.filters(options)
    place = overview_place(chosen.place, options, council)
    tiles = data.headlines(data.HEADLINE_INDICATORS, place.code, council.england_code)
    sparklines = data.sparkline_specs(data.HEADLINE_INDICATORS, place.code, council.england_code)
    council_tiles = None if place.is_council(council) else \
        data.headlines(data.HEADLINE_INDICATORS, council.county_code, council.england_code)
except InsightError as error:
    st.error(f"The headline figures could not be loaded: {error}")
    st.stop()

st.title(f"{place.name} at a glance")
st.markdown(f"Latest published figures for {place.name}, how they have changed, and how they compare with "
            f"{council.england_name}" + ("." if place.is_council(council) else f" and {council.short_name}."))
if place.note:
    st.info(place.note, icon="📍")
st.info(f"**What this shows:** {summary_sentence(tiles, place.name, council.england_name)}", icon="ℹ️")
render_needs_attention(data.attention_panel(tuple(c for c in (chosen.division, place.code) if c), chosen.division,
                                            state.targets()), key="overview")

for row_start in range(0, len(tiles), 3):
    for column, index in zip(st.columns(3, gap="medium"), range(row_start, min(row_start + 3, len(tiles))),
                             strict=False):
        with column:
            render_headline_tile(tiles[index], sparklines[tiles[index].indicator_id], place.name,
                                 council_tiles[index] if council_tiles else None, council.short_name)

st.divider()
st.markdown("**Go further:** see how each measure is moving and where it may head, which "
            f"{council.area_word_plural} need prioritised activity, and a profile of every {council.area_word}.")
links = st.columns(3)
for column, (path, label, icon) in zip(links, [("pages/trends.py", "Trends & projections", "📈"),
                                             ("pages/priority_map.py", "Priority map", "🗺️"),
                                             ("pages/division_profile.py",
                                              f"{council.area_word.capitalize()} profile", "📍")], strict=True):
    with column:
        state.page_link(path, label, icon)
st.caption("Insight supports councillors' and officers' judgement; it never replaces it. "
           + s.OGL_STATEMENT)
