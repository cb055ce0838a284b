"""Render helpers for the Data & methods page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data, state
from insight import schema as s
from insight.catalogue import search_catalogue
from insight.errors import DataValidationError
from insight.uploads import summarise_upload, upload_series
from views.upload_chart import build_upload_chart

CATALOGUE_COLUMNS = {s.SHORT_TITLE: "Indicator", s.THEME: "Theme", s.UNIT: "Unit", "polarity_text": "Polarity",
                     "status_text": "Status", "levels_text": "Levels", "periods": "Periods covered",
                     s.SOURCE: "Source", s.LICENCE: "Licence"}


def render_catalogue() -> None:
    """Searchable catalogue, one indicator's full definition, and its CSV download."""
    table = data.catalogue()
    left, right = st.columns([2, 1])
    text = left.text_input("Search indicators", placeholder="e.g. obesity, deprivation, pay", max_chars=100)
    themes = right.multiselect("Themes", sorted(table[s.THEME].unique()), format_func=str.capitalize)
    found = search_catalogue(table, text, themes)
    st.caption(f"{len(found)} of {len(table)} indicators")
    if found.empty:
        st.info("No indicator matches that search. Try fewer or different words.")
        return
    st.dataframe(found[list(CATALOGUE_COLUMNS)].rename(columns=CATALOGUE_COLUMNS), hide_index=True,
                 width="stretch", height=360)
    titles = found.set_index(s.INDICATOR_ID)[s.SHORT_TITLE].to_dict()
    chosen = st.selectbox("Indicator details and download", list(titles), format_func=titles.get)
    row = found[found[s.INDICATOR_ID] == chosen].iloc[0]
    with st.container(border=True):
        st.markdown(f"**{row[s.TITLE]}**")
        if row[s.STATUS] == s.Status.ILLUSTRATIVE:
            st.error("Illustrative data — not real. Generated for demonstrations only.", icon="⚠️")
        elif row[s.STATUS] == s.Status.MODELLED:
            st.warning("Modelled estimate, not a direct count.", icon="ℹ️")
        st.markdown(row[s.DEFINITION])
        facts = {"Unit": row[s.UNIT], "Polarity": row["polarity_text"], "Status": row["status_text"],
                 "Frequency": row[s.FREQUENCY], "Levels": row["levels_text"], "Periods covered": row["periods"],
                 "Disclosure rule": ("Counts 1–7 suppressed, others rounded to the nearest 5"
                                     if row[s.DISCLOSURE_RULE] == s.DISCLOSURE_SMALL_COUNTS else "None needed"),
                 "Source": row[s.SOURCE], "Licence": row[s.LICENCE], "Indicator id": chosen}
        st.table(pd.DataFrame({"": list(facts), "Value": [str(v) for v in facts.values()]}).set_index(""))
        st.download_button(f"Download CSV: {row[s.SHORT_TITLE]}", data.indicator_csv(chosen),
                           file_name=f"{chosen}.csv", mime="text/csv", icon="⬇️")


def render_upload() -> None:
    """Load your own observations (CSV); a bad file is explained and nothing already loaded is lost."""
    st.markdown("Upload a CSV with columns **area_code, indicator_id, period, value** (optional: numerator, "
                "denominator, lower_95, upper_95, flag). Periods may be `2023`, `2023/24`, `2023-04`, "
                "`2023-04-01` or `2023-04-01/P1Y`. Area codes must be among the loaded areas (ONS codes).")
    upload = st.file_uploader("Your data (CSV, up to 20 MB)", type=["csv"], key="upload_observations")
    if upload is not None:
        try:
            frame = data.read_upload(upload.file_id, upload.name, upload.getvalue())
        except DataValidationError as error:
            st.error(f"**{upload.name} was not loaded** — {len(error.problems)} problem(s) found. "
                     "Fix them and upload again:\n\n" + "\n".join(f"- {p}" for p in error.problems[:10]))
            st.dataframe(pd.DataFrame([{"Line": p.row, "Column": p.column, "Value": "" if p.value is None
                                        else str(p.value), "Problem": p.message} for p in error.problems]),
                         hide_index=True, width="stretch")
            if state.user_file_name():
                st.info(f"Your previously loaded file **{state.user_file_name()}** is still loaded.")
        else:
            state.set_user_observations(frame, upload.name)
            st.success(f"Loaded {len(frame):,} observations from **{upload.name}**.")
    loaded = state.user_observations()
    if loaded is None:
        return
    names = data.area_names()
    st.markdown(f"**Loaded this session: {state.user_file_name()}** — kept only in your browser session and "
                "labelled *user-supplied* wherever shown.")
    summary = summarise_upload(loaded, names)
    st.dataframe(summary.rename(columns={s.INDICATOR_ID: "Indicator", "areas": "Areas", "periods": "Periods",
                                         "first_period": "First", "last_period": "Last",
                                         "area_names": "Area names"}), hide_index=True, width="stretch")
    chosen = st.selectbox("Chart an uploaded indicator", list(summary[s.INDICATOR_ID]), key="upload_chart_indicator")
    rows = upload_series(loaded, chosen, names)
    if rows.empty:
        st.info(f"'{chosen}' has no values to chart.")
        return
    st.altair_chart(build_upload_chart(rows, indicator_id=chosen, file_name=str(state.user_file_name())),
                    width="stretch")
