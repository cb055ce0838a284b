"""Render a model card (insight.model_cards.ModelCard), and the link to it from every chart resting on a model."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components import state
from insight.model_cards import CARD_LINK_LABELS, ModelCard, accuracy_rows
from views.html_table import html_table


def render_card_fields(card: ModelCard) -> None:
    """The card's fields, in the Algorithmic Transparency Recording Standard's order (no expander, so it can sit
    inside one). The fields before and after the accuracy tables are one element each: every element of a page is
    redrawn on each rerun, and the ethics page holds three cards."""
    accuracy = "\n".join(["**Accuracy.** " + " ".join(card.accuracy[:1]), *(f"- {line}" for line in card.accuracy[1:])])
    st.markdown("\n\n".join([f"**Purpose.** {card.purpose}", f"**Data.** {card.data}", f"**Method.** {card.method}",
                              "**Limitations.**\n" + "\n".join(f"- {item}" for item in card.limitations), accuracy]))
    for frequency, evaluation in (card.evaluation or {}).items():
        st.caption(f"Leak-free evaluation, {frequency} series: median MASE (errors relative to a series' typical "
                   "one-step change; lower is better) and the share of outcomes inside each range.")
        table = pd.DataFrame(accuracy_rows(evaluation))
        st.html(html_table(table, caption=f"Leak-free accuracy, {frequency} series", row_header="Ahead",
                           numeric=[c for c in table.columns if c != "Ahead"]))
    reviewed = ""
    if card.review.reviewed_by:
        reviewed = f" Reviewed by {card.review.reviewed_by} on {card.review.reviewed_on}."
    st.markdown("\n\n".join([f"**Human oversight.** {card.human_oversight}",
                              f"**Who reviewed it, and when.** {card.review.status}{reviewed} {card.review.record}",
                              f"**How to challenge it.** {card.challenge}"]))
    st.caption(f"Model card version {card.version}.")


def render_card(card: ModelCard, *, expanded: bool) -> None:
    """One card in its own expander, titled with the model's name."""
    with st.expander(f"Model card: {card.name}", expanded=expanded):
        render_card_fields(card)


def render_cards(cards: Sequence[ModelCard], chosen: str | None, problem: str | None = None) -> None:
    """The 'Model cards' section: every card, all open, or only ``chosen`` open when a link asked for it;
    ``problem`` (why the cards could not be built) in their place."""
    st.subheader("Model cards", anchor="model-cards")
    if problem:
        st.error(problem)
    for card in cards:
        render_card(card, expanded=chosen is None or card.card_id == chosen)


def render_card_link(card_id: str) -> None:
    """'Projection model card' etc., linking to that card (open) on the Ethics & transparency page."""
    state.card_link(card_id, CARD_LINK_LABELS[card_id])
