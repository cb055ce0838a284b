"""Data & methods: the indicator catalogue, where the data comes from, how figures are made, your own data."""

from __future__ import annotations

import streamlit as st

from components.frame import ensure_app_frame
from components.methods import render_catalogue, render_upload
from insight import schema as s
from insight.errors import InsightError

ensure_app_frame()
st.title("Data & methods")
st.markdown("Every figure in this dashboard comes from open data published by ONS and MHCLG. This page lists "
            "each indicator, what it means, where it comes from and its licence, and lets you download it.")
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
st.markdown("""
- **Divisions.** LSOA 2021 figures are placed in a county division by each LSOA's population-weighted
  centroid, then summed (counts) or averaged weighted by Census 2021 residents (scores). Division populations
  add up to Essex's Census 2021 total of 1,503,544. The boundaries are approximate (see above); the official
  ONS County Electoral Division file can replace them (README: *Using official division boundaries*).
- **Intervals and comparisons.** Census 2021 and mid-2020 percentages carry Wilson score 95% intervals. The
  shares of residents living in the most deprived 10% or 20% of areas carry intervals with the LSOA, not the
  resident, as the unit (a whole LSOA is in or out): Wilson's interval on the effective number of LSOAs, so most
  divisions are *Similar* to Essex on them. ONS Explore Local Statistics series show ONS's own published 95% limits
  where ONS gives them, and none otherwise; no figure here is a rate computed from a count of events, so none uses
  Byar's method. An area is *Better* or *Worse* than a comparator only when its whole 95% interval lies
  on one side of the comparator's value, taking account of whether higher is good; *Similar* when it overlaps;
  *Not compared* when no interval exists. Indicators where higher is neither good nor bad say *Higher/Lower*.
- **Trends.** A trend is called increasing or decreasing only with at least five comparable annual points and a
  significant linear slope (95%).
- **Disclosure control.** Census counts of 1–7 are suppressed and other counts and denominators rounded to the
  nearest 5; percentages and intervals are computed from the rounded counts, so no figure gives a true count back.
  Further cells are suppressed where a total or the other categories (e.g. households − owners − private renters)
  would narrow a hidden one, checked by trying those attacks at every build. A true zero shows as 0. A suppressed
  value is never imputed into the priority index, a map colour or a rank: it is shown as *suppressed*.
- **Projections** extend past trends only; they ignore policy changes and shocks, are back-tested against naive
  methods, and are shown with 80% and 95% ranges.
- **Illustrative data.** The monthly service-demand series are synthetic, made from real division
  characteristics for demonstrations; they are labelled *Illustrative — not real* wherever shown.
""")

st.header("Accessibility")
st.markdown("We aim to meet WCAG 2.2 AA: text contrast of at least 4.5:1, ratings given in words as well as "
            "colour, every chart with a sentence stating its finding and a table alternative, and keyboard-only "
            "use. Tell the Insight team about anything that gets in your way.")

st.header("Licence and attribution")
st.markdown(s.OGL_ATTRIBUTION + " LSOA 2011 polygons: martinjc/UK-GeoJSON, CC-BY 4.0.")
