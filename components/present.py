"""Committee mode: one finding per screen, large type and high contrast, stepped with a clicker or the keyboard.

Presentation clickers send Page Down / Page Up (and sometimes the arrow keys); each has a button shortcut, so the
officer driving can use the clicker, the keyboard or the on-screen buttons. The sidebar, navigation and
Streamlit's own toolbar are hidden; the stylesheet below holds no data, only sizes and colours.
"""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.charts import draw_vega
from insight.text import literal_html
from views.committee import MAP_HEIGHT, Slide

# Static CSS only (never data): bigger type, stronger contrast, no sidebar or toolbar, the step buttons pinned
# to the foot of the screen so a slide never pushes them out of view.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stHeader"], [data-testid="stDecoration"], header { display: none !important; }
[data-testid="stMain"] .block-container { padding-top: 0.8rem; padding-bottom: 4.6rem; max-width: 100%; }
[data-testid="stMain"] { font-size: 1.35rem; color: #000000; }
[data-testid="stMain"] h1 { font-size: 2.2rem; line-height: 1.15; color: #000000; padding-top: 0; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.35rem; line-height: 1.45; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.05rem; color: #1A1A1A; }
[data-testid="stMetricValue"] { font-size: 2.4rem; }
.st-key-present_step_bar { position: fixed; bottom: 0; left: 0; right: 0; z-index: 999; background: #FFFFFF;
  border-top: 2px solid #1A1A1A; padding: 0.6rem 1.5rem; }
.st-key-present_page_down, .st-key-present_page_up { display: none; }
.st-key-present_step_bar button { min-height: 3rem; font-size: 1.2rem; }
@media (max-width: 640px) {  /* a phone: the step bar in two rows, not five stacked controls over the slide */
  .st-key-present_step_bar { padding: 0.4rem 0.6rem; }
  [data-testid="stMain"] .block-container { padding-bottom: 9rem; }  /* the last line clears the bar */
  .st-key-present_step_bar [data-testid="stHorizontalBlock"] { flex-wrap: wrap; gap: 0.3rem 0.5rem; }
  .st-key-present_step_bar [data-testid="stColumn"] { min-width: 28% !important; width: auto !important;
    flex: 1 1 28% !important; }
  .st-key-present_step_bar button { min-height: 2.6rem; font-size: 1rem; }
  .st-key-present_step_bar p { font-size: 1rem !important; }
}
[data-testid="stMain"] h1.slide-title { font-weight: 700; margin: 0 0 0.4rem 0; font-family: "Source Sans",
  sans-serif; }
[data-testid="stMain"] .speaker-note { font-size: 1.35rem; line-height: 1.45; background: #E8F1FB;
  color: #0B3A6A; border-radius: 0.5rem; padding: 0.8rem 1rem; }
</style>
"""


def render_presentation(slides: list[Slide], stamp: str, changed_note: str | None) -> None:
    """Draw the current slide of ``slides`` and the step bar."""
    st.html(PRESENT_CSS)
    count = len(slides)
    number, problem = state.slide_number(count)
    if problem:
        st.warning(problem, icon="🔗")
    refused = state.agenda_message()  # an agenda link that could not be read (the default deck is shown)
    if refused:
        st.warning(refused, icon="🗓️")
    if not slides:
        st.info("There is nothing to present yet: build an agenda on the Committee page.")
        render_step_bar(1, 1)
        return
    slide = slides[number - 1]
    render_slide(slide, stamp)
    if changed_note:
        st.caption(changed_note)
    render_step_bar(number, count)


def render_slide(slide: Slide, stamp: str) -> None:
    """One finding: title, the sentence that says it, its chart (or map beside the words), caveat, source."""
    st.html(f'<h1 class="slide-title">{literal_html(slide.title, 200)}</h1>')  # typed or linked: never Markdown
    if slide.deck is not None:
        words, picture = st.columns([5, 6], gap="large")
        with picture:
            st.pydeck_chart(slide.deck, height=MAP_HEIGHT, width="stretch", key="present_map")
            if slide.key:
                st.caption(slide.key)
        with words:
            _render_words(slide, stamp, chart=False)
        return
    _render_words(slide, stamp, chart=True)


def _render_words(slide: Slide, stamp: str, *, chart: bool) -> None:
    st.markdown(f"**{slide.lead}**")
    if slide.detail:
        st.markdown("  \n".join(slide.detail))
    if chart and slide.chart is not None:
        draw_vega(slide.chart, width="stretch")
    if slide.caveat:
        st.markdown(f"⚠️ {slide.caveat}")
    for change in slide.changed:
        st.markdown(f"🔄 {change}")
    st.caption(f"{slide.source} · {stamp} · from {slide.page_label}")
    if slide.note and state.widget_value(state.KEY_SHOW_NOTES, False):
        st.html(f'<div class="speaker-note"><strong>Speaker note.</strong> '
                f'{literal_html(slide.note, 2000, lines=True)}</div>')


def render_step_bar(number: int, count: int) -> None:
    """Previous / next (with the keyboard and clicker shortcuts), where we are, notes, and the way out."""
    with st.container(key="present_step_bar"):
        back, where, ahead, notes, leave = st.columns([2, 3, 2, 2, 2], vertical_alignment="center")
        back.button("◀ Previous", key="present_previous", on_click=state.step_slide, args=(-1, count),
                    shortcut="Left", disabled=number <= 1, width="stretch")
        where.markdown(f"**Slide {number} of {count}**")
        ahead.button("Next ▶", key="present_next", on_click=state.step_slide, args=(1, count), shortcut="Right",
                     disabled=number >= count, type="primary", width="stretch")
        notes.toggle("Speaker notes", key=state.KEY_SHOW_NOTES)
        leave.button("✕ Exit", key="present_leave", on_click=state.stop_presenting,
                     shortcut="Esc", width="stretch")
        # Clickers send Page Down / Page Up: the same steps, on buttons that are never shown.
        st.button("Next", key="present_page_down", on_click=state.step_slide, args=(1, count), shortcut="PageDown")
        st.button("Previous", key="present_page_up", on_click=state.step_slide, args=(-1, count),
                  shortcut="PageUp")


def presentation_slides() -> tuple[list[Slide], str, str | None]:
    """The slides to present (the session's agenda, else the default deck for the chosen place), the data
    stamp, and a note when the agenda was made with other data."""
    options = data.filter_options()
    chosen = state.filters(options)
    agenda = state.agenda()
    version = data.data_version()
    if agenda is not None:
        views = agenda.views
        note = None if agenda.version.same_data(version) else (
            f"This agenda was made with {agenda.version.stamp.lower()}; the figures shown come from today's data. "
            "The Committee page lists what changed.")
    else:
        views = data.default_committee_views(chosen.place, chosen.division)
        note = None
    return [data.committee_slide(view) for view in views], version.stamp, note
