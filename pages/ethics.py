"""Ethics & transparency: how the models are reviewed and overseen, how to challenge a figure, and their model cards."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.frame import ensure_app_frame
from components.model_card import render_card
from insight.config import load_config
from insight.errors import InsightError
from insight.model_cards import CARD_IDS, ethics_sections

ensure_app_frame()
council = load_config()
st.title("Ethics & transparency")
st.markdown(f"How {council.name} makes sure the analytics on this dashboard are fit to inform decisions, what "
            "residents can see, and how to challenge a figure. The model cards below describe every model in the "
            "app in the fields of the UK Algorithmic Transparency Recording Standard.")

for section in ethics_sections(council):
    st.subheader(section.heading)
    for paragraph in section.paragraphs:
        st.markdown(paragraph)

st.subheader("Model cards", anchor="model-cards")
chosen, message = state.requested_card(CARD_IDS)
if message:
    st.warning(message)
try:
    cards = data.model_cards()
except InsightError as error:
    st.error(f"The model cards could not be shown: {error}")
    st.stop()
for card in cards:
    render_card(card, expanded=chosen is None or card.card_id == chosen)
st.caption("Insight supports councillors' and officers' judgement; it never replaces it.")
