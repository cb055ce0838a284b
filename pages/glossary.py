"""Glossary: the words the dashboard uses, in plain English, how to read each chart, and the first-visit guide."""

from __future__ import annotations

import streamlit as st

from components import data
from components.frame import ensure_app_frame
from components.literacy import render_chart_guides, render_first_visit_again, render_glossary
from insight.literacy import council_glossary
from views.literacy import glossary_entries

ensure_app_frame()
council = data.council()
st.title("Glossary")
st.markdown("What the words on this dashboard mean, in plain English, and how to read each kind of chart. "
            "Every chart also has a \"How to read this\" note beside it, with an example from the figures shown.")
render_first_visit_again()

st.subheader("Words")
query = st.text_input("Find a word", key="glossary_find", placeholder="e.g. confidence interval, SPC, polarity")
entries = council_glossary(council.area_word, council.divisions_approximate)
render_glossary(glossary_entries(entries, query), query)

st.subheader("How to read each chart")
render_chart_guides()
st.caption("Insight supports councillors' and officers' judgement; it never replaces it.")
