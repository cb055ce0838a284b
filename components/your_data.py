"""Your data on the pages: the form that describes and protects an upload's indicators (Data & methods), the
label shown wherever one appears, and the template downloads. Every value from a file goes through plain()."""

from __future__ import annotations

import streamlit as st

from components import data, state
from insight import schema as s
from insight.text import plain, shorten
from insight.upload_template import rules_markdown, template_csv, template_xlsx
from insight.uploads import LoadedUpload, chart_rows, upload_series
from insight.your_data import (
    POLARITY_TEXT,
    SAFE_RULE,
    YOUR_LABEL,
    IndicatorMeta,
    YourData,
    default_meta,
    metadata_rows,
    read_meta,
)
from views.upload_chart import build_upload_chart

POLARITIES = list(POLARITY_TEXT)


def render_your_label(yours: YourData | None, indicator_ids: object = None) -> None:
    """The label 'Your data — not published', with the file name and upload time, when a page shows one of the
    session's uploaded indicators (``indicator_ids``: the ids shown; None: the label whenever any is loaded)."""
    if yours is None or (indicator_ids is not None and not yours.touches(indicator_ids)):
        return
    st.warning(f"**{YOUR_LABEL}** · {plain(yours.file_name)} · uploaded {yours.when}. Held only in this browser "
               "session and not checked by the Insight team.", icon="📄")


def render_sidebar_label(yours: YourData | None, indicator_id: str) -> None:
    """Under the sidebar's indicator picker: whose data the chosen indicator is."""
    if yours is not None and yours.has(indicator_id):
        st.caption(f"📄 **{YOUR_LABEL}** · {plain(yours.file_name, 40)} · uploaded {yours.when}")


def render_template() -> None:
    """The template (CSV and .xlsx) with one worked row per area level, and the reader's rules in words."""
    council = data.council()
    areas = data.areas()
    with st.expander("Template and rules for your file", expanded=False):
        st.markdown(rules_markdown(council))
        left, right = st.columns(2)
        # built when clicked, not on every rerun of the page (the .xlsx took a quarter of its script time)
        left.download_button("Download the template (CSV)", lambda: template_csv(areas, council),
                             file_name="your-data-template.csv", mime="text/csv", icon="⬇️", on_click="ignore")
        right.download_button("Download the template (Excel, with metadata and rules sheets)",
                              lambda: template_xlsx(areas, council), file_name="your-data-template.xlsx",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon="⬇️",
                              on_click="ignore")


def render_your_data(loaded: LoadedUpload) -> None:
    """Describe the upload's indicators (title, unit, polarity, source: from the metadata sheet or defaults,
    said so) and choose the disclosure rule before anything is shown; then show them on every page."""
    shapes = state.upload_derived("shapes", lambda: data.your_shapes(loaded))
    usable = {i: shape for i, shape in shapes.items() if shape.problem is None}
    for upload_id, shape in shapes.items():
        if shape.problem:
            st.warning(f"{plain(upload_id)} cannot be shown on the pages: {shape.problem}.")
    if not usable:
        return
    sheet = metadata_rows(loaded.metadata)
    given = {i: read_meta(sheet.get(i, {}), shape) for i, shape in usable.items()}
    for upload_id, (_, problems) in given.items():
        for problem in problems:
            st.warning(f"Metadata sheet, {plain(upload_id)}: {problem}; the default is used.")
    yours = state.your_data()
    counts = any(shape.counts for shape in usable.values())
    with st.form(state.your_form_key("_", "form"), border=True):
        st.markdown("**Describe your indicators, then show them on every page.** "
                    + ("Values come from your metadata sheet where it gives them; " if sheet else "")
                    + "blank fields take the defaults shown, and the pages say which were defaulted. "
                    f"Text may use {SAFE_RULE}.")
        for upload_id, shape in usable.items():
            meta = given[upload_id][0]
            st.markdown(f"{plain(upload_id)} — {shape.n_areas} areas, {shape.n_periods} {shape.frequency} "
                        f"period(s), {plain(shape.first_period)} to {plain(shape.last_period)}; levels: "
                        f"{', '.join(str(v) for v in shape.levels)}.")
            cells = st.columns([3, 2, 2, 3])
            cells[0].text_input("Title", value=meta.title, max_chars=120, key=state.your_form_key(upload_id, "title"))
            cells[1].text_input("Unit", value=meta.unit, max_chars=40, key=state.your_form_key(upload_id, "unit"))
            cells[2].selectbox("Polarity", POLARITIES, index=POLARITIES.index(meta.polarity),
                               format_func=lambda p: POLARITY_TEXT.get(p, p), key=state.your_form_key(upload_id, "polarity"),
                               help="Neither: rated Higher/Lower, never Better/Worse, and kept out of the priority "
                                    "index.")
            cells[3].text_input("Source", value=meta.source, max_chars=160,
                                key=state.your_form_key(upload_id, "source"))
        disclose = st.checkbox(
            "Apply the disclosure rule: suppress counts of 1–7 and round the others to the nearest 5 (values and "
            "intervals are then worked out from the rounded counts)", value=counts, disabled=not counts,
            key=state.your_form_key("_", "disclosure"),
            help="The rule the published small-area counts follow. Offered where your values are counts or have "
                 "numerators." if counts else "None of your indicators is a count, so the rule does not apply.")
        shown = st.form_submit_button("Show my data on every page", type="primary")
    if shown:
        metas: dict[str, IndicatorMeta] = {}
        said: list[str] = []
        for upload_id, shape in usable.items():
            typed = {name: str(state.widget_value(state.your_form_key(upload_id, name), "") or "")
                     for name in ("title", "unit", "source")}
            typed["polarity"] = str(state.widget_value(state.your_form_key(upload_id, "polarity"), "neither"))
            metas[upload_id], problems = _form_meta(typed, given[upload_id][0], shape)
            said.extend(f"{plain(upload_id)}: {problem}; the default is used." for problem in problems)
        state.keep_your_data(data.build_yours(loaded, metas, bool(disclose and counts), shapes), tuple(said))
        st.rerun()  # the sidebar, drawn before this form, now offers the indicators
    for message in state.your_data_messages():
        st.warning(message)
    if yours is not None:
        render_your_summary(yours)


def _form_meta(typed: dict[str, str], sheet_meta: IndicatorMeta, shape: object) -> tuple[IndicatorMeta, tuple]:
    """The form's values as metadata: a value left as its default counts as not given (said so)."""
    base = default_meta(shape)  # type: ignore[arg-type]
    given = {name: ("" if typed[name].strip() == getattr(base, name) and name in sheet_meta.defaulted else typed[name])
             for name in ("title", "unit", "source")}
    polarity = typed["polarity"]
    given["polarity"] = "" if polarity == base.polarity.value and "polarity" in sheet_meta.defaulted else polarity
    return read_meta(given, shape)  # type: ignore[arg-type]


def render_your_summary(yours: YourData) -> None:
    """What the pages now show of the upload, what was defaulted or protected, and a chart of one indicator."""
    titles = dict(zip(yours.indicators[s.INDICATOR_ID], yours.indicators[s.SHORT_TITLE], strict=True))
    st.success(f"On every page now, for this session: {', '.join(plain(t, 80) for t in titles.values())} — in the "
               "sidebar's theme **Your data**, on Trends, the priority map (measures with small-area values and a "
               "polarity), the profile and Scenarios.")
    render_your_label(yours)
    for indicator_id, notes in yours.notes.items():
        if notes:
            st.caption(f"{plain(titles.get(indicator_id, indicator_id), 80)}: " + " ".join(notes))
    if not titles:
        return
    chosen = st.selectbox("Chart one of your indicators", list(titles), format_func=lambda i: titles.get(i, i),
                          key="upload_chart_indicator")
    rows = upload_series(yours.observations, chosen, data.area_names())
    if rows.empty:
        st.info("This indicator has no values to chart (all suppressed?).")
        return
    shown, note = chart_rows(rows)
    st.altair_chart(build_upload_chart(shown, indicator_id=shorten(titles[chosen], 60),
                                       file_name=shorten(yours.file_name, 80)), width="stretch")
    if note:
        st.caption(note)
