"""Drawing the Priority map: render_* functions (Streamlit), fed by components.data and views.priority."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from components import data, state
from components.charts import draw_vega
from components.model_card import render_card_fields, render_card_link
from insight import priority as pri
from insight import query
from insight import schema as s
from insight.config import CouncilConfig
from insight.model_cards import PRIORITY
from views import maps
from views.priority import (
    DIVISION_MAP_HEIGHT,
    LSOA_CLASS_COLUMN,
    LSOA_MAP_HEIGHT,
    METHOD_SHORT,
    SCORE_MEANING,
    SCORE_MEASURE_LABEL,
    SUPPRESSED_CLASS,
    LsoaDrilldown,
    build_gap_legend,
    format_score,
    standing_note,
)

KEY_FOCUS_PICKER = "pm_focus_picker"


# ---- renderers ----------------------------------------------------------------------------------
def render_standing_note(council: CouncilConfig) -> None:
    """The note that stays on the page (E2, E4)."""
    st.info(standing_note(data.area_words()), icon="⚖️")
    if council.divisions_approximate:
        st.warning(s.APPROXIMATE_BOUNDARIES_NOTICE, icon="📐")


def render_controls(candidates: list[str], titles: Mapping[str, str], definitions: Mapping[str, str],
                    n_areas: int, area_word_plural: str) -> None:
    """Indicator choice, normalisation, top N and one weight slider per indicator (shares shown as %)."""
    st.subheader("Build the index")
    st.multiselect("Indicators in the index", options=candidates, key=state.KEY_PM_INDICATORS,
                   format_func=lambda i: titles.get(i, i),
                   help=f"Only measures published for {area_word_plural} with a clear direction of need can be used.")
    st.radio("Normalisation", options=list(state.PM_METHODS), key=state.KEY_PM_METHOD, horizontal=True,
             format_func=lambda m: METHOD_SHORT.get(m, m), bind=state.BIND,
             help="How each measure is put on a common scale before weighting. " +
                  " ".join(f"{METHOD_SHORT[k]}: {v}." for k, v in pri.METHOD_LABELS.items()))
    st.number_input(f"Highlight the top N {area_word_plural}", min_value=1, max_value=n_areas, step=1,
                    key=state.KEY_PM_TOP_N)  # not bound: the link's number is read by one strict parser
    chosen = list(state.widget_value(state.KEY_PM_INDICATORS, []))
    if not chosen:
        return
    st.markdown("**Weights** (relative importance, 0–10; the share of the index is on the right)")
    shares = []
    for indicator_id in chosen:
        state.seed_weight(indicator_id)
        left, right = st.columns([5, 1], vertical_alignment="bottom")
        with left:
            st.slider(titles.get(indicator_id, indicator_id), min_value=0, max_value=state.PM_MAX_WEIGHT, step=1,
                      key=state.pm_weight_key(indicator_id), help=definitions.get(indicator_id))
        shares.append((right.empty(), state.widget_value(state.pm_weight_key(indicator_id), 0)))
    total = sum(w for _, w in shares)
    for slot, weight in shares:
        slot.markdown(f"**{weight / total:.0%}**" if total else "**–**")


def render_priority_map(deck: object, focus: str | None, finding: str, options: query.FilterOptions,
                        council: CouncilConfig) -> None:
    """The division map (a click chooses the division everywhere) under its finding; 540 px tall, so the
    chosen division's summary drawn right under it is on screen with the map at 1280x720."""
    st.markdown(f"**{finding}**")
    key = state.map_widget_key("pm_map", focus, maps.DIVISION_LAYER_ID)
    st.pydeck_chart(deck, on_select=functools.partial(state.division_from_map, key, maps.DIVISION_LAYER_ID,
                                                      options),
                    selection_mode="single-object", key=key, height=DIVISION_MAP_HEIGHT, width="stretch",
                    alt=f"Map of {council.short_name}'s {len(options.division_names)} {council.area_word_plural} "
                        "coloured by priority class, top N outlined in cyan")


def render_map_key(legend: dict[str, Any], source: str, council: CouncilConfig) -> None:
    """How to read the division map: what a click does, the outlines, the colour legend and the source line."""
    word = council.area_word
    st.caption(f"Click a {word} to look closer. Cyan outline: top N. Black-and-white outline: the {word} "
               "selected. Dark lines and names: districts. No basemap tiles are used.")
    draw_vega(legend, width="content")
    st.caption(source)


def render_ranked_table(display: pd.DataFrame, top_n: int, method: str, contrib_range: tuple[float, float],
                        table_key: str, csv: Callable[[], bytes], filtered: bool,
                        options: query.FilterOptions) -> None:
    """The ranked table (select a row to look closer), with its column help and CSV download."""
    words = data.council().area_word_plural
    st.subheader(f"Ranked {words}")
    st.caption(f"Score: {SCORE_MEANING[method]}. Stability: the share of 1,000 runs with every weight "
               f"randomly changed by up to ±20% in which the {words[:-1]} stays in the top {top_n}. Rank range: "
               "median rank (5th–95th percentile) over those runs. Select a row to look closer."
               + (f" Limited to the sidebar's districts; ranks are out of all {len(options.division_names)}." if filtered else ""))
    codes = tuple(display["Code"])
    st.dataframe(
        display, hide_index=True, width="stretch", key=table_key, on_select=functools.partial(
            state.division_from_table, table_key, codes, options), selection_mode="single-row",
        column_config={
            "Score": st.column_config.NumberColumn(format="%.3f"),
            "Stability": st.column_config.ProgressColumn(f"In top {top_n} (stability)", min_value=0.0,
                                                         max_value=1.0, format="percent"),
            "Contributions": st.column_config.BarChartColumn(
                "Contributions", help="One bar per indicator, in the order of the weights list",
                y_min=min(contrib_range[0], 0.0), y_max=contrib_range[1]),
            "Code": st.column_config.TextColumn("Code", width="small"),
        })
    st.download_button("Download the ranked table (CSV, with the weights used)", data=csv,  # built on click
                       file_name="essex_division_priority.csv", mime="text/csv")


def render_focus_summary(name: str, districts: str, row: pd.Series, top_n: int, n: int) -> None:
    """Right under the map, where the click was: the chosen division's rank and the way to its profile."""
    with st.container(border=True):
        in_top = " — in the top " + str(top_n) if int(row[pri.RANK]) <= top_n else ""
        st.markdown(f"**{name}** ({districts}): {row[pri.PRIORITY_CLASS].lower()}, rank {int(row[pri.RANK])} "
                    f"of {n}{in_top}. More below the ranked table.")
        render_profile_link(name)


def render_focus_picker(codes: list[str], names: Mapping[str, str], districts: Mapping[str, str],
                        focus: str | None, options: query.FilterOptions) -> None:
    """'Look closer at a division': a picker showing the chosen division; choosing one chooses it everywhere."""
    state.show_in_picker(KEY_FOCUS_PICKER, focus)
    word = data.council().area_word
    st.selectbox(f"Look closer at a {word}", options=codes, key=KEY_FOCUS_PICKER,
                 format_func=lambda c: f"{names.get(c, c)} ({districts.get(c, '')})",
                 on_change=state.division_from_picker, args=(KEY_FOCUS_PICKER, options),
                 placeholder=f"Choose a {word}, click one on the map, or select a table row")


def render_drilldown_header(name: str, districts: str, row: pd.Series, stability: pd.Series, top_n: int,
                            method: str, n: int) -> None:
    """The focused division's headline figures."""
    st.subheader(f"Looking closer: {name}")
    st.caption(f"District: {districts}. Boundaries approximate.")
    cols = st.columns(4)
    cols[0].metric("Priority rank", f"{int(row[pri.RANK])} of {n}", help=row[pri.PRIORITY_CLASS])
    cols[1].metric("Class", str(row[pri.PRIORITY_CLASS]))
    cols[2].metric("Score", format_score(float(row[pri.SCORE]), method))
    cols[3].metric(f"Stays in top {top_n}", f"{stability[pri.IN_TOP_N_SHARE]:.0%} of runs",
                   help=f"Rank range over 1,000 runs: {int(stability[pri.RANK_P05])}–{int(stability[pri.RANK_P95])}")


def render_lsoa_section(drilldown: LsoaDrilldown, titles: Mapping[str, str], council: CouncilConfig) -> None:
    """The division's LSOAs coloured by the chosen measure, with a table alternative."""
    st.markdown(f"**Neighbourhoods (LSOAs) in this {council.area_word}**")
    state.keep_measure_valid(drilldown.measure_options)
    st.selectbox("Colour the LSOAs by", options=drilldown.measure_options, key=state.KEY_PM_MEASURE,
                 bind=state.BIND,
                 format_func=lambda m: SCORE_MEASURE_LABEL if m == state.PM_SCORE_MEASURE else titles.get(m, m))
    st.caption(f"{drilldown.note} Colours and class names as in the legend above.")
    if drilldown.deck is not None:
        st.pydeck_chart(drilldown.deck, key="pm_lsoa_map", height=LSOA_MAP_HEIGHT, width="stretch",
                        alt=f"Map of the selected {council.area_word}'s LSOAs coloured by {council.short_name}-wide "
                            "LSOA quintile; suppressed or unranked LSOAs in grey")
    table = drilldown.table
    gaps = table[LSOA_CLASS_COLUMN].isin([SUPPRESSED_CLASS, pri.NOT_RANKED]) if len(table) else None
    if gaps is not None and gaps.any():
        word = " or ".join(sorted(set(table.loc[gaps, LSOA_CLASS_COLUMN].str.lower()), reverse=True))
        draw_vega(build_gap_legend(int(gaps.sum()), word), width="content")
    with st.expander("View the LSOAs as a table"):
        st.dataframe(table, hide_index=True, width="stretch")


def render_profile_link(name: str) -> None:
    """Link to the chosen division's profile (the division is the shared choice, so the link carries it)."""
    state.page_link("pages/division_profile.py", f"Open the profile of {name}", "📍")


def render_model_card(excluded: tuple[str, ...], titles: Mapping[str, str]) -> None:
    """The priority index's model card (ATRS fields), shared with the Ethics & transparency page."""
    with st.expander("Model card: how this index works and its limits"):
        render_card_fields(data.model_card(PRIORITY, tuple(titles.get(i, i) for i in excluded)))
        render_card_link(PRIORITY)
