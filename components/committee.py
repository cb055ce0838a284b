"""Drawing the Committee page: the agenda builder, what changed since the last meeting, and the packs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from components import data, state
from insight.agenda import (
    PAGE_LABELS,
    Agenda,
    AgendaError,
    Page,
    View,
    ViewParams,
    agenda_from_json,
    agenda_to_json,
    check_agenda,
)
from insight.config import CouncilConfig
from insight.errors import InsightError
from insight.query import FilterOptions
from insight.text import literal_html, plain

KEY_NEW_PAGE = "committee_new_page"
KEY_NEW_TITLE = "committee_new_title"
KEY_NEW_NOTE = "committee_new_note"
KEY_AGENDA_FILE = "committee_agenda_file"
KEY_CHANGES_AREA = "committee_changes_area"


def _current(council: CouncilConfig) -> Agenda | None:
    return state.agenda()


def _replace_views(agenda: Agenda, views: tuple[View, ...]) -> None:
    try:
        state.set_agenda(replace(agenda, views=views))
    except AgendaError as error:
        state.say_about_agenda(f"The agenda was not changed: {error}")


def _move(index: int, delta: int) -> None:
    agenda = state.agenda()
    if agenda is None:
        return
    views = list(agenda.views)
    target = index + delta
    if 0 <= target < len(views):
        views[index], views[target] = views[target], views[index]
        _replace_views(agenda, tuple(views))


def _remove(index: int) -> None:
    agenda = state.agenda()
    if agenda is not None:
        views = tuple(v for i, v in enumerate(agenda.views) if i != index)
        if views:
            _replace_views(agenda, views)
        else:
            state.set_agenda(None)


def _add(params: ViewParams) -> None:
    """Callback of 'Add to the agenda': the chosen page with the place and indicator chosen in the sidebar."""
    page = Page(state.widget_value(KEY_NEW_PAGE, Page.OVERVIEW.value))
    if page is not Page.TRENDS:  # target lines are drawn on a trend only
        params = replace(params, targets=())
    title = str(state.widget_value(KEY_NEW_TITLE, "") or "").strip() or data.suggested_title(page, params)
    note = str(state.widget_value(KEY_NEW_NOTE, "") or "")
    current = state.agenda()
    try:
        view = View(page, title, params, note)
        if current is None:
            new = Agenda(str(state.widget_value(state.KEY_AGENDA_TITLE, "") or "Committee meeting"),
                         state.widget_value(state.KEY_AGENDA_DATE, date.today()),
                         data.data_version(), (view,))
        else:
            new = replace(current, views=(*current.views, view))
        check_agenda(new, data.agenda_options())
        state.set_agenda(new)
    except InsightError as error:  # AgendaError, or a view this data cannot show
        state.say_about_agenda(f"That view was not added: {error}")


def _load_file() -> None:
    """Callback of the agenda file uploader: read, check and open an agenda file."""
    upload = state.widget_value(KEY_AGENDA_FILE)
    if upload is None:
        return
    try:
        loaded = agenda_from_json(upload.getvalue())
        check_agenda(loaded, data.agenda_options())
        state.set_agenda(loaded)
    except InsightError as error:
        state.say_about_agenda(f"The file {plain(getattr(upload, 'name', ''))} was not opened: {error}")


def render_agenda(options: FilterOptions, council: CouncilConfig, view_params: ViewParams, place_name: str) -> None:
    """The agenda being built: its views in order (move, remove), a form to add one, and how to share it."""
    agenda = state.agenda()  # first: reading a link that cannot be opened leaves the message shown here
    message = state.agenda_message()
    if message:
        st.error(message, icon="🗓️")
    st.subheader("The agenda")
    if agenda is None:
        st.info("No agenda yet. Choose a place and an indicator in the sidebar, then add the views to show, in "
                "order. Committee mode then steps through them one finding at a time.")
    else:
        # Titles and notes are typed or come in a link: shown as text (st.html never reads Markdown)
        st.html(f"<p><strong>{literal_html(agenda.title, 120)}</strong> — meeting of {agenda.meeting:%-d %B %Y}. "
                f"{agenda.version.stamp}.</p>")
        for index, view in enumerate(agenda.views):
            with st.container(border=True):
                left, up, down, cut = st.columns([8, 1, 1, 1], vertical_alignment="center")
                left.html(f"<p><strong>{index + 1}. {literal_html(view.title, 120)}</strong> · "
                          f"{literal_html(PAGE_LABELS[view.page])}"
                          + (f'<br><span class="agenda-note">{literal_html(view.note, 300, lines=True)}</span>'
                             if view.note else "") + "</p>")
                up.button("↑", key=f"agenda_up_{index}", on_click=_move, args=(index, -1), disabled=index == 0,
                          help="Move up")
                down.button("↓", key=f"agenda_down_{index}", on_click=_move, args=(index, 1),
                            disabled=index == len(agenda.views) - 1, help="Move down")
                cut.button("✕", key=f"agenda_remove_{index}", on_click=_remove, args=(index,), help="Remove")
    with st.container(border=True):
        st.markdown("**Add a view to the agenda**")
        if agenda is None:
            st.text_input("Agenda title", key=state.KEY_AGENDA_TITLE, max_chars=120,
                          placeholder="e.g. Place scrutiny committee, January")
            st.date_input("Meeting date", key=state.KEY_AGENDA_DATE, format="DD/MM/YYYY")
        pages = list(PAGE_LABELS)
        st.selectbox("Page", pages, key=KEY_NEW_PAGE, format_func=lambda p: PAGE_LABELS[Page(p)])
        st.text_input("Title shown on the slide (the finding, in ten words or fewer)", key=KEY_NEW_TITLE,
                      max_chars=120, placeholder="Left empty: the chart's own finding")
        st.text_area("Speaker note", key=KEY_NEW_NOTE, max_chars=1500, height=90)
        lines = len(view_params.targets)
        kept = f" A Trends view also keeps the {lines} target line{'s' if lines > 1 else ''} set for that indicator." \
            if lines else ""
        st.caption(f"The view uses what the sidebar has chosen now: {place_name}, and the indicator picked there.{kept}")
        st.button("Add to the agenda", key="committee_add", type="primary", on_click=_add,
                  args=(view_params,))
    if agenda is not None:
        render_sharing(agenda)
    st.file_uploader("Open an agenda file (.json)", type=["json"], key=KEY_AGENDA_FILE, on_change=_load_file,
                     help="An agenda saved from this page. It is checked before it is opened.")


def render_sharing(agenda: Agenda) -> None:
    """Present, save as a file (with the figures frozen), share as a link, print the agenda pack."""
    present, save, pack = st.columns(3)
    present.button("▶ Present this agenda", key="committee_present", type="primary", width="stretch",
                   on_click=state.start_presenting)
    save.download_button("Save the agenda (file)", data=lambda: agenda_to_json(data.snapshot_for_saving(agenda)),
                         file_name="committee-agenda.json", mime="application/json", width="stretch",
                         on_click="ignore")
    pack.download_button("Agenda pack (PDF)", data=lambda: data.agenda_pack(agenda, date.today().isoformat()),
                         file_name="committee-agenda-pack.pdf", mime="application/pdf", width="stretch",
                         on_click="ignore")
    st.caption("The address bar now holds this agenda: copy it to share the agenda as a link. A saved file also "
               "keeps the figures each view showed, so opening it on newer data says exactly what changed.")
    if not agenda.version.same_data(data.data_version()):
        changes = data.agenda_changes(agenda)
        st.warning(f"This agenda was made with {agenda.version.stamp.lower()}; today's data differ. "
                   f"{changes.summary}", icon="🔄")


def render_changes(options: FilterOptions, council: CouncilConfig, default: str | None) -> None:
    """'Changed since last meeting' for one division or district: releases, values, ratings, priority ranks."""
    st.subheader("Changed since the last meeting")
    previous = data.previous_version()
    if previous is None:
        st.info("No previous build is kept (data/previous), so there is nothing to compare with. Run "
                "`make previous` before rebuilding the data for a new meeting.")
        return
    names = {**options.district_names, **options.division_names}
    codes = list(options.district_names) + list(options.division_names)
    index = codes.index(default) if default in codes else 0
    code = st.selectbox(f"District or {council.area_word}", codes, index=index, key=KEY_CHANGES_AREA,
                        format_func=lambda c: names.get(c, c))
    lines = data.changes_since_previous(code) or []
    st.caption(f"Today: {data.data_version().stamp}. Previous build: {previous.stamp}.")
    if not lines:
        st.success(f"Nothing changed for {names[code]} between the two builds.")
        return
    st.markdown("\n".join(f"- {line}" for line in lines[:25])
                + (f"\n- … and {len(lines) - 25} more" if len(lines) > 25 else ""))


def render_division_pack(division: str | None, name: str, council: CouncilConfig) -> None:
    """The multi-page committee pack of the chosen division (PDF, built when clicked)."""
    st.subheader("Committee pack")
    if division is None:
        st.info(f"Choose a {council.area_word} in the sidebar for its committee pack: summary, locator map, spine "
                "chart, priority rank and its drivers, trends with projections, sources and notes.")
        return
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    st.download_button(f"{name}: committee pack (PDF)", file_name=f"{slug}-committee-pack.pdf",
                       data=lambda: data.division_pack(division, date.today().isoformat()),
                       mime="application/pdf", on_click="ignore", icon="📄")
    st.caption("Tagged for screen readers (headings, alternative text for every chart), with page numbers, "
               "sources, licences and the data version on every page.")
