"""Ethics & transparency: how the models are reviewed and overseen, how to challenge a figure, and their model cards."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.frame import ensure_app_frame
from components.model_card import render_cards
from insight.config import load_config
from insight.errors import InsightError
from insight.model_cards import CARD_IDS, ethics_sections

ensure_app_frame()
council = load_config()
st.title("Ethics & transparency")
st.markdown(f"How {council.name} makes sure the analytics on this dashboard are fit to inform decisions, what "
            "residents can see, and how to challenge a figure. The model cards below describe every model in the "
            "app in the fields of the UK Algorithmic Transparency Recording Standard.")

chosen, message = state.requested_card(CARD_IDS)
if message:
    st.warning(message)
try:
    cards, problem = data.model_cards(), None
except InsightError as error:
    cards, problem = (), f"The model cards could not be shown: {error}"

if chosen:  # a chart's link to its card: the card first, then how the council reviews and oversees it
    render_cards(cards, chosen, problem)
for section in ethics_sections(council):
    st.subheader(section.heading)
    st.markdown("\n\n".join(section.paragraphs))
if not chosen:
    render_cards(cards, chosen, problem)
st.caption("Insight supports councillors' and officers' judgement; it never replaces it.")
