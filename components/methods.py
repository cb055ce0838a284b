"""Render helpers for the Data & methods page."""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st

from components import data, state
from components.your_data import render_template, render_your_data
from insight import schema as s
from insight.catalogue import search_catalogue
from insight.errors import Problem
from insight.text import plain
from insight.upload_csv import FIRST_YEAR, LAST_YEAR, MAX_UPLOAD_MB, MAX_UPLOAD_ROWS
from insight.uploads import LoadedUpload, RefusedUpload, UploadOutcome
from views.html_table import html_table

CATALOGUE_COLUMNS = {s.SHORT_TITLE: "Indicator", s.THEME: "Theme", s.UNIT: "Unit", "polarity_text": "Polarity",
                     "status_text": "Status", "levels_text": "Levels", "periods": "Periods covered",
                     s.SOURCE: "Source", s.LICENCE: "Licence"}
CATALOGUE_HEIGHT = 360  # px: the catalogue scrolls inside its own frame


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
    shown = found[list(CATALOGUE_COLUMNS)].rename(columns=CATALOGUE_COLUMNS)
    shown["Theme"] = shown["Theme"].str.capitalize()
    # a static table (views.html_table): every value read whole, the indicator names kept in view when it
    # scrolls; it costs the browser far less on every rerun than the interactive grid
    st.html(html_table(shown, caption="Each indicator's theme, unit, polarity, status, levels, periods, source and "
                                      "licence (the table scrolls down and sideways)",
                       row_header="Indicator", max_height=CATALOGUE_HEIGHT))
    titles = cast("dict[str, str]", found.set_index(s.INDICATOR_ID)[s.SHORT_TITLE].to_dict())
    chosen = st.selectbox("Indicator details and download", list(titles), format_func=lambda i: titles.get(i, i))
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
    """Load your own observations (CSV or Excel .xlsx); a bad file is explained and nothing already loaded is
    lost. A loaded file's indicators are described and protected (components.your_data) before any page shows
    them.

    Each file is validated once (insight.uploads.UploadShelf, held in this session only); every value from the
    file or its name is shown as plain text."""
    st.markdown("Upload a CSV or Excel (.xlsx) file with columns **area_code, indicator_id, period, value** "
                "(optional: numerator, denominator, lower_95, upper_95, flag), one or many indicators, for the "
                f"council, its districts, its {data.council().area_word_plural} or LSOAs. Periods may be years "
                "(`2023`, `2023/24`), quarters (`2023 Q1`) or months (`2023-04`), from "
                f"{FIRST_YEAR} to {LAST_YEAR}. Area codes must be among the loaded areas (ONS codes).")
    render_template()
    upload = st.file_uploader(f"Your data (CSV or .xlsx, up to {MAX_UPLOAD_MB} MB and {MAX_UPLOAD_ROWS:,} rows)",
                              type=["csv", "xlsx"], key=state.upload_widget_key())
    if upload is not None:
        with st.spinner("Checking your file…"):
            state.check_upload(upload, data.area_names())
        st.rerun()  # redraws the uploader empty: the file has been read and its bytes released
    shelf = state.upload_shelf()
    state.sync_upload_marker()  # the link says an upload is loaded (app.py's frame also does this on every page)
    render_upload_outcome(shelf.last_outcome, shelf.loaded)
    loaded = shelf.loaded
    if loaded is None:
        return
    st.markdown(f"**Loaded this session: {plain(loaded.file_name)}** — held only for this browser session (gone "
                "when it ends or the server restarts, never saved) and labelled *Your data — not published* "
                "wherever shown.")
    summary = loaded.summary
    st.dataframe(summary.rename(columns={s.INDICATOR_ID: "Indicator", "areas": "Areas", "periods": "Periods",
                                         "first_period": "First", "last_period": "Last",
                                         "area_names": "Area names"}), hide_index=True, width="stretch")
    render_your_data(loaded)


def render_upload_outcome(outcome: UploadOutcome | None, loaded: LoadedUpload | None) -> None:
    """What happened to the last file checked: loaded (and how it was read), or refused with every problem."""
    if isinstance(outcome, LoadedUpload):
        how = "" if (outcome.encoding, outcome.delimiter) == ("UTF-8", "comma") else (
            f" (read as {outcome.encoding} text, {outcome.delimiter}-separated)")
        if outcome.sheet is not None:
            how = f" (Excel workbook, sheet {plain(outcome.sheet, 31)})"
        st.success(f"Loaded {outcome.rows:,} observations from {plain(outcome.file_name)}{how}.")
    elif isinstance(outcome, RefusedUpload):
        problems = outcome.problems
        st.error(f"**{plain(outcome.file_name)} was not loaded** — {len(problems)} problem(s) found. Fix them and "
                 "upload again:\n\n" + "\n".join(f"- {plain(_where(p), 400)}" for p in problems[:10]))
        st.dataframe(pd.DataFrame([{"Line": p.row, "Column": p.column, "Value": "" if p.value is None
                                    else str(p.value), "Problem": p.message} for p in problems]),
                     hide_index=True, width="stretch")
        if loaded is not None:
            st.info(f"Your previously loaded file **{plain(loaded.file_name)}** is still loaded.")


def _where(problem: Problem) -> str:
    """A problem without its file name (the message names the file once): 'line 4, column 'period': ...'."""
    where = [f"line {problem.row}"] if problem.row is not None else []
    if problem.column is not None:
        where.append(f"column '{problem.column}'")
    found = "" if problem.value is None else f" (found {str(problem.value)!r})"
    return (", ".join(where) + ": " if where else "") + problem.message + found
