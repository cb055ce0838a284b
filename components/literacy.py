"""Drawing data-literacy help: 'How to read this' beside a chart, the first-visit guide, the sidebar's help links."""

from __future__ import annotations

import streamlit as st

from components import state
from insight.literacy import ChartGuide, GlossaryEntry, first_visit_steps
from insight.text import plain
from views.literacy import chart_guides_without_examples, expander_label


def render_how_to_read(guide: ChartGuide | None) -> None:
    """An expander beside a chart: two or three plain sentences and a worked example from the data shown."""
    if guide is None:
        return
    with st.expander(f"📖 {expander_label(guide)}"):  # one element: each is redrawn on every rerun
        st.markdown(" ".join(guide.how_to_read) + f"\n\n*{guide.example}*")


def render_first_visit_guide(area_word: str, expanded: bool = True) -> None:
    """The short guide above every page until it is hidden (it can be opened again): open on the landing page,
    one closed line elsewhere, so a shared link to a view shows the view first."""
    if not state.first_visit_open():
        return
    with st.expander("**New here? Five steps to get started**", expanded=expanded):
        st.markdown("\n".join(f"{i}. **{title}.** {text}"
                              for i, (title, text) in enumerate(first_visit_steps(area_word), start=1)))
        left, right = st.columns([1, 3], vertical_alignment="center")
        with left:
            st.button("Got it, hide this guide", key="first_visit_hide", on_click=state.hide_first_visit)
        with right:
            st.caption("You can open it again from the sidebar or the glossary page.")


def render_help_links() -> None:
    """Under the sidebar's filters: the glossary and, once hidden, the first-visit guide again."""
    state.page_link(state.GLOSSARY_PAGE, "Glossary: what the words mean", "📖")
    if not state.first_visit_open():
        st.button("Show the first-visit guide", key="first_visit_show", on_click=state.show_first_visit)


def render_glossary(entries: tuple[GlossaryEntry, ...], query: str) -> None:
    """The glossary's terms (those matching ``query``), each with its plain definition and other spellings."""
    if not entries:
        st.info(f"No word in the glossary matches {plain(query, 40)}. Try a shorter word.", icon="🔎")
        return
    # one element for the whole list (a paragraph a term): ~40 separate ones cost the browser on every rerun
    st.markdown("\n\n".join(f"**{entry.term}** — {entry.definition}"
                              + (f" *Also: {', '.join(entry.aliases)}.*" if entry.aliases else "") for entry in entries))


def render_chart_guides() -> None:
    """How to read each chart type, in the words shown beside the charts (their examples are on the pages)."""
    for title, sentences in chart_guides_without_examples():
        with st.expander(f"📖 {title}"):
            st.markdown(" ".join(sentences))


def render_first_visit_again() -> None:
    """On the glossary page: the first-visit guide's steps, and a button to show it above every page again."""
    if state.first_visit_open():
        st.caption("The first-visit guide is showing at the top of the page; hide it there when you are done.")
        return
    st.button("Show the first-visit guide again", key="first_visit_reopen", on_click=state.show_first_visit)
