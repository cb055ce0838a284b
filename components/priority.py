"""Priority map building blocks: pure build_* helpers and render_* functions that draw."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from components import data, maps, state
from components.model_card import render_card_fields, render_card_link
from components.palette import FONT_SIZE, INK
from insight import priority as pri
from insight import query
from insight import schema as s
from insight.formatting import format_value
from insight.model_cards import PRIORITY

DIVISION_COUNT_WORD = "divisions"
FILL_ALPHA = 235
METHOD_SHORT = {"zscore": "z-score", "rank": "rank", "minmax": "min–max"}
SCORE_MEANING = {
    "zscore": "a weighted average of z-scores: 0 is the Essex average; +1 is one standard deviation more need",
    "rank": "a weighted average of percentile ranks: 0 = least need on every measure, 1 = most need on every one",
    "minmax": "a weighted average of min–max scaled values: 0 = the lowest area on every measure, 1 = the highest",
}
STANDING_NOTE = (
    "**This index supports judgement; it does not replace it.** It ranks divisions on the measures and weights "
    "you choose, so a different, equally reasonable choice can change the order — check the rank stability "
    "column before relying on a position. It leaves out everything not in these measures: local knowledge, "
    "existing services and funding, recent change since the 2021 Census and 2025 indices, and need that "
    "small-area averages hide. Division boundaries are approximate."
)


# ---- pure builders --------------------------------------------------------------------------------
def indicator_titles(indicators: pd.DataFrame) -> dict[str, str]:
    """Indicator id -> short title."""
    return dict(zip(indicators[s.INDICATOR_ID], indicators[s.SHORT_TITLE], strict=True))


def area_districts(areas: pd.DataFrame) -> dict[str, str]:
    """Division code -> its district name(s), main district first, '; '-joined."""
    names = dict(zip(areas[s.AREA_CODE], areas[s.AREA_NAME], strict=True))
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION]
    return {code: "; ".join(names.get(p, p) for p in str(parents).split(";") if p)
            for code, parents in zip(divisions[s.AREA_CODE], divisions[s.PARENT_CODES], strict=True)}


def format_score(score: float, method: str) -> str:
    """'+0.85' for z-scores (signed), '0.62' for rank and min–max scores."""
    return f"{score:+.2f}" if method == "zscore" else f"{score:.2f}"


def _titles_text(ids: str, titles: Mapping[str, str]) -> str:
    return ", ".join(titles.get(i, i) for i in ids.split(";") if i)


def weights_key(weights: data.PriorityWeights, method: str) -> str:
    """A short stable digest of the index settings, for widget keys that must reset when they change."""
    return hashlib.sha1(repr((weights, method)).encode()).hexdigest()[:10]


def build_division_properties(result: pri.PriorityResult, names: Mapping[str, str], districts: Mapping[str, str],
                              titles: Mapping[str, str], top_n: int, focus: str | None) -> pd.DataFrame:
    """Per division, the map's feature properties: fill colour, top-N and selected flags, tooltip text."""
    table = result.table
    colours = dict(zip(pri.CLASS_NAMES, pri.CLASS_COLOURS, strict=True))
    n = len(table)
    return pd.DataFrame({
        s.AREA_NAME: [names.get(c, c) for c in table.index],
        "districts": [districts.get(c, "") for c in table.index],
        "score_text": [format_score(v, result.method) for v in table[pri.SCORE]],
        "rank_text": [f"{r} of {n}" for r in table[pri.RANK]],
        pri.PRIORITY_CLASS: table[pri.PRIORITY_CLASS],
        "drivers_text": [_titles_text(d, titles) or "none above the Essex average" for d in table[pri.DRIVERS]],
        "missing_text": [gaps_text(row, titles) for _, row in table.iterrows()],
        "fill": [[*pri.hex_to_rgb(colours.get(k, pri.NOT_RANKED_COLOUR)), FILL_ALPHA] for k in table[pri.PRIORITY_CLASS]],
        "top": (table[pri.RANK].fillna(n + 1) <= top_n).to_numpy(),
        "selected": [c == focus for c in table.index],
    }, index=table.index)


DIVISION_TOOLTIP = ("{area_name}\nDistrict: {districts}\n{priority_class}: rank {rank_text}\nScore {score_text}\n"
                    "Driven by: {drivers_text}\n{missing_text}")
LSOA_TOOLTIP = "{area_name}\n{class_text}\n{value_text}\n{missing_text}"
SUPPRESSED_CLASS = "Suppressed"  # an LSOA not ranked because a measure it needs is suppressed
GAP_LEGEND_TEXT = ("Grey: {word} — {count} LSOAs here\n(a count of 1–7, or one hidden to protect it):\n"
                   "never imputed, coloured or ranked as need.")


def gaps_text(row: pd.Series, titles: Mapping[str, str]) -> str:
    """How an area's gaps were treated, in words: never imputed (D5)."""
    missing, hidden = str(row[pri.MISSING]), str(row[pri.SUPPRESSED])
    if not missing:
        return ""
    other = ";".join(i for i in missing.split(";") if i and i not in hidden.split(";"))
    parts = [f"Suppressed: {_titles_text(hidden, titles)}" if hidden else "",
             f"No data: {_titles_text(other, titles)}" if other else ""]
    gaps = "; ".join(p for p in parts if p)
    if not row[pri.RANKED]:
        share = float(row[pri.WEIGHT_USED])
        return f"{gaps} — not scored or ranked" + (f" (only {share:.0%} of the weight has data)" if share else "")
    return f"{gaps} — scored on the other measures, weights rescaled ({row[pri.WEIGHT_USED]:.0%} of the weight)"


def lsoa_class(row: pd.Series) -> str:
    """The class an LSOA is shown in: its priority class, or 'Suppressed' / 'Not ranked'."""
    if row[pri.RANKED]:
        return str(row[pri.PRIORITY_CLASS])
    return SUPPRESSED_CLASS if row[pri.SUPPRESSED] else pri.NOT_RANKED


def build_lsoa_properties(result: pri.PriorityResult, codes: list[str], names: Mapping[str, str],
                          titles: Mapping[str, str], value_text: Mapping[str, str]) -> pd.DataFrame:
    """Per LSOA of one division, the map's feature properties (classes are Essex-wide LSOA quintiles; an LSOA
    that is not ranked, e.g. because its measure is suppressed, is grey and says so)."""
    table = result.table.reindex(codes)
    colours = dict(zip(pri.CLASS_NAMES, pri.CLASS_COLOURS, strict=True))
    n = int(result.table[pri.RANKED].sum())
    classes = [lsoa_class(row) for _, row in table.iterrows()]
    return pd.DataFrame({
        s.AREA_NAME: [names.get(c, c) for c in codes],
        pri.PRIORITY_CLASS: classes,
        "rank_text": [f"{r} of {n}" if ranked else "not ranked" for r, ranked in
                      zip(table[pri.RANK], table[pri.RANKED], strict=True)],
        "class_text": [f"{k} of Essex LSOAs: rank {r} of {n}" if ranked else f"{k}: not coloured or ranked"
                       for k, r, ranked in zip(classes, table[pri.RANK], table[pri.RANKED], strict=True)],
        "value_text": [value_text.get(c, "") for c in codes],
        "missing_text": [gaps_text(row, titles) for _, row in table.iterrows()],
        "fill": [[*pri.hex_to_rgb(colours.get(k, pri.NOT_RANKED_COLOUR)), FILL_ALPHA] for k in classes],
    }, index=pd.Index(codes, name=s.AREA_CODE))


def build_ranked_table(result: pri.PriorityResult, stability: pd.DataFrame, names: Mapping[str, str],
                       districts: Mapping[str, str], titles: Mapping[str, str], top_n: int,
                       codes: list[str] | None = None) -> pd.DataFrame:
    """The on-screen ranked table (rank order), optionally limited to some divisions."""
    table = result.to_frame()
    if codes:
        table = table[table.index.isin(codes)]
    contrib_cols = [f"{pri.CONTRIBUTION_PREFIX}{i}" for i in result.contributions.columns]
    stab = stability.reindex(table.index)
    return pd.DataFrame({
        "Rank": table[pri.RANK].to_numpy(),
        "Division": [names.get(c, c) for c in table.index],
        "District": [districts.get(c, "") for c in table.index],
        "Class": table[pri.PRIORITY_CLASS].to_numpy(),
        "Score": table[pri.SCORE].round(3).to_numpy(),
        f"In top {top_n}": np.where(table[pri.RANK] <= top_n, "Yes", "").tolist(),
        "Stability": stab[pri.IN_TOP_N_SHARE].to_numpy(),
        "Rank range": [f"{int(m)} ({int(lo)}–{int(hi)})" for m, lo, hi in
                       zip(stab[pri.MEDIAN_RANK], stab[pri.RANK_P05], stab[pri.RANK_P95], strict=True)],
        "Contributions": table[contrib_cols].round(4).to_numpy().tolist(),
        "Driven by": [_titles_text(d, titles) for d in table[pri.DRIVERS]],
        "Data gaps": [_titles_text(m, titles) for m in table[pri.MISSING]],
        "Code": table.index.to_numpy(),
    })


def filtered_codes(options: query.FilterOptions, district_codes: tuple[str, ...],
                   division_codes: tuple[str, ...]) -> list[str]:
    """Divisions the sidebar limits the table to: the chosen divisions, else those in the chosen districts,
    else none (an empty list means no limit)."""
    if division_codes:
        return list(division_codes)
    if district_codes:
        return list(options.divisions_in(district_codes))
    return []


def finding_sentence(result: pri.PriorityResult, names: Mapping[str, str], districts: Mapping[str, str],
                     top_n: int) -> str:
    """One sentence stating the map's main finding (A4)."""
    table = result.table.sort_values([pri.RANK, pri.SCORE], ascending=[True, False])
    first = table.index[0]
    top = table[table[pri.RANK] <= top_n].index
    counts = pd.Series([districts.get(c, "").split("; ")[0] for c in top]).value_counts()
    leading = ", ".join(f"{d} ({k})" for d, k in counts.head(3).items())
    return (f"{names.get(first, first)} ({districts.get(first, '')}) ranks first. The top {top_n} "
            f"{DIVISION_COUNT_WORD} are mostly in {leading}.")


def build_legend(breaks: pd.DataFrame, method: str) -> dict[str, Any]:
    """Legend (a Vega-Lite spec): one coloured square per class with its name, size and score range.

    Plain Vega-Lite dicts rather than Altair objects: Altair's schema validation costs 40-100 ms a chart,
    too much for a page that redraws on every slider move.
    """
    rows = [{"order": k, pri.PRIORITY_CLASS: row[pri.PRIORITY_CLASS],
             "label": f"{row[pri.PRIORITY_CLASS]} — {row['areas']} {DIVISION_COUNT_WORD}, score "
                      f"{format_score(row['score_min'], method)} to {format_score(row['score_max'], method)}"}
            for k, row in enumerate(breaks.to_dict("records"))]
    y = {"field": "order", "type": "ordinal", "axis": None}
    colour = {"field": pri.PRIORITY_CLASS, "type": "nominal", "legend": None,
              "scale": {"domain": list(pri.CLASS_NAMES), "range": list(pri.CLASS_COLOURS)}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Legend of the priority map: " + "; ".join(r["label"] for r in rows),
        "data": {"values": rows}, "width": 560, "height": 28 * len(rows),
        "layer": [
            {"mark": {"type": "square", "size": 380, "stroke": "#555555", "strokeWidth": 0.5},
             "encoding": {"y": y, "x": {"value": 10}, "color": colour}},
            {"mark": {"type": "text", "align": "left", "fontSize": FONT_SIZE - 1, "color": INK},
             "encoding": {"y": y, "x": {"value": 28}, "text": {"field": "label", "type": "nominal"}}},
        ],
        "config": {"view": {"stroke": None}},
    }


def build_gap_legend(count: int, word: str) -> dict[str, Any]:
    """Legend row (a Vega-Lite spec) for the grey of areas that are suppressed or not ranked."""
    label = GAP_LEGEND_TEXT.format(word=word, count=count)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Legend: " + label.replace("\n", " "), "data": {"values": [{"label": label}]},
        "width": 330, "height": 56,
        "layer": [
            {"mark": {"type": "square", "size": 380, "stroke": "#555555", "strokeWidth": 0.5,
                      "color": pri.NOT_RANKED_COLOUR}, "encoding": {"x": {"value": 10}, "y": {"value": 12}}},
            {"mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": FONT_SIZE - 2,
                      "color": INK, "lineBreak": "\n"},
             "encoding": {"x": {"value": 28}, "y": {"value": 12}, "text": {"field": "label", "type": "nominal"}}},
        ],
        "config": {"view": {"stroke": None}},
    }


def build_contribution_chart(result: pri.PriorityResult, code: str, name: str,
                             titles: Mapping[str, str]) -> dict[str, Any]:
    """Horizontal bars (a Vega-Lite spec): each indicator's contribution to one division's score, zero-based."""
    contrib = result.contributions.loc[code].dropna()  # an indicator the area has no value for adds nothing
    rows = [{"Indicator": titles.get(i, i), "Contribution": round(float(v), 4), "Weight": f"{result.weights[i]:.0%}"}
            for i, v in contrib.items()]
    top = max(rows, key=lambda r: r["Contribution"])["Indicator"]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": f"Contributions to {name}'s priority score; largest: {top}",
        "title": {"text": f"{top} adds most to {name}'s score", "subtitle":
                  f"Contribution = weight x normalised value ({METHOD_SHORT[result.method]})", "anchor": "start",
                  "fontSize": FONT_SIZE + 2, "subtitleFontSize": FONT_SIZE - 2, "color": INK},
        "data": {"values": rows}, "height": {"step": 30},  # a fixed bar pitch keeps every label
        "mark": {"type": "bar", "color": "#7b2382"},
        "encoding": {
            "x": {"field": "Contribution", "type": "quantitative", "title": "Contribution to the priority score",
                  "scale": {"zero": True}},
            "y": {"field": "Indicator", "type": "nominal", "sort": "-x", "title": None,
                  "axis": {"labelLimit": 260}},
            "tooltip": [{"field": "Indicator"}, {"field": "Contribution", "format": ".3f"}, {"field": "Weight"}],
        },
        "config": {"axis": {"labelFontSize": FONT_SIZE - 2, "titleFontSize": FONT_SIZE - 1, "labelColor": INK,
                            "titleColor": INK}},
    }


def sources_line(indicator_ids: list[str], indicators: pd.DataFrame) -> str:
    """'Sources: A; B.' and the OGL attribution, for the chosen indicators (P2)."""
    rows = indicators[indicators[s.INDICATOR_ID].isin(indicator_ids)]
    sources = sorted({part.strip() for text in rows[s.SOURCE] for part in str(text).split(";") if part.strip()})
    return f"Sources: {'; '.join(sources)}. {s.OGL_ATTRIBUTION}"


# ---- renderers ----------------------------------------------------------------------------------
def render_standing_note() -> None:
    """The note that stays on the page (E2, E4)."""
    st.info(STANDING_NOTE, icon="⚖️")
    st.warning(s.APPROXIMATE_BOUNDARIES_NOTICE, icon="📐")


def render_controls(candidates: list[str], titles: Mapping[str, str], definitions: Mapping[str, str]) -> None:
    """Indicator choice, normalisation, top N and one weight slider per indicator (shares shown as %)."""
    st.subheader("Build the index")
    st.multiselect("Indicators in the index", options=candidates, key=state.KEY_PM_INDICATORS,
                   format_func=lambda i: titles.get(i, i),
                   help="Only measures published for divisions with a clear direction of need can be used.")
    st.radio("Normalisation", options=list(state.PM_METHODS), key=state.KEY_PM_METHOD, horizontal=True,
             format_func=METHOD_SHORT.get,
             help="How each measure is put on a common scale before weighting. " +
                  " ".join(f"{METHOD_SHORT[k]}: {v}." for k, v in pri.METHOD_LABELS.items()))
    st.number_input("Highlight the top N divisions", min_value=1, max_value=70, step=1, key=state.KEY_PM_TOP_N)
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


def render_priority_map(deck: object, focus: str | None, finding: str, legend: dict[str, Any], source: str) -> None:
    """The division map (click selects a division), its finding, legend and source line."""
    st.markdown(f"**{finding}**")
    key = f"pm_map_{focus or 'none'}"  # a new key after each selection resets the map's own highlight
    st.pydeck_chart(deck, on_select=functools.partial(state.focus_from_map, key, maps.DIVISION_LAYER_ID),
                    selection_mode="single-object", key=key, height=620, width="stretch",
                    alt="Map of Essex's 70 county divisions coloured by priority class, top N outlined in cyan")
    st.caption("Click a division to look closer. Cyan outline: top N. Black-and-white outline: the division "
               "selected. Dark lines and names: districts. No basemap tiles are used.")
    st.vega_lite_chart(spec=legend, width="content")
    st.caption(source)


def export_csv(result: pri.PriorityResult, stability: pd.DataFrame, names: Mapping[str, str],
               districts: Mapping[str, str], titles: Mapping[str, str], top_n: int) -> bytes:
    """The download: the ranked table with contributions and the weights used (UTF-8 CSV)."""
    frame = pri.export_frame(result, stability, names, districts, titles, top_n)
    frame["licence"] = s.OGL
    return frame.to_csv(index=False).encode("utf-8")


def render_ranked_table(display: pd.DataFrame, top_n: int, method: str, contrib_range: tuple[float, float],
                        table_key: str, csv: Callable[[], bytes], filtered: bool) -> None:
    """The ranked table (select a row to look closer), with its column help and CSV download."""
    st.subheader("Ranked divisions")
    st.caption(f"Score: {SCORE_MEANING[method]}. Stability: the share of 1,000 runs with every weight "
               f"randomly changed by up to ±20% in which the division stays in the top {top_n}. Rank range: "
               "median rank (5th–95th percentile) over those runs. Select a row to look closer."
               + (" Limited to the sidebar's districts/divisions; ranks are out of all 70." if filtered else ""))
    codes = tuple(display["Code"])
    st.dataframe(
        display, hide_index=True, width="stretch", key=table_key, on_select=functools.partial(
            state.focus_from_table, table_key, codes), selection_mode="single-row",
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


def render_lsoa_section(deck: object | None, measure_options: list[str], titles: Mapping[str, str],
                        lsoa_table: pd.DataFrame, note: str) -> None:
    """The division's LSOAs coloured by the chosen measure, with a table alternative."""
    st.markdown("**Neighbourhoods (LSOAs) in this division**")
    state.keep_measure_valid(measure_options)
    st.selectbox("Colour the LSOAs by", options=measure_options, key=state.KEY_PM_MEASURE,
                 format_func=lambda m: "Priority score (same weights)" if m == state.PM_SCORE_MEASURE
                 else titles.get(m, m))
    st.caption(f"{note} Colours and class names as in the legend above.")
    if deck is not None:
        st.pydeck_chart(deck, key="pm_lsoa_map", height=460, width="stretch",
                        alt="Map of the selected division's LSOAs coloured by Essex-wide LSOA quintile; "
                            "suppressed or unranked LSOAs in grey")
    gaps = lsoa_table["Class (Essex LSOAs)"].isin([SUPPRESSED_CLASS, pri.NOT_RANKED]) if len(lsoa_table) else []
    if len(lsoa_table) and gaps.any():
        word = " or ".join(sorted(set(lsoa_table.loc[gaps, "Class (Essex LSOAs)"].str.lower()), reverse=True))
        st.vega_lite_chart(spec=build_gap_legend(int(gaps.sum()), word), width="content")
    with st.expander("View the LSOAs as a table"):
        st.dataframe(lsoa_table, hide_index=True, width="stretch")


def render_profile_link(code: str, name: str) -> None:
    """Link to the division's profile page, carrying the division in the URL."""
    state.page_link("pages/division_profile.py", f"Open the profile of {name}", "📍", params={"division": code})


def render_model_card(excluded: tuple[str, ...], titles: Mapping[str, str]) -> None:
    """The priority index's model card (ATRS fields), shared with the Ethics & transparency page."""
    with st.expander("Model card: how this index works and its limits"):
        render_card_fields(data.model_card(PRIORITY, tuple(titles.get(i, i) for i in excluded)))
        render_card_link(PRIORITY)


# ---- assembling the maps (data + pure builders) --------------------------------------------------------
def division_deck(result: pri.PriorityResult, names: Mapping[str, str], districts: Mapping[str, str],
                  titles: Mapping[str, str], top_n: int, focus: str | None) -> object:
    """The division map for the current index."""
    props = build_division_properties(result, names, districts, titles, top_n, focus)
    collection = maps.with_properties(data.boundaries(s.Level.DIVISION), props.sort_index())
    labels = data.label_points(s.Level.DISTRICT)
    view = maps.view_for_bounds(labels["min_lon"].min(), labels["min_lat"].min(), labels["max_lon"].max(),
                                labels["max_lat"].max(), width=610, height=620)
    return maps.build_priority_map(collection, data.boundaries(s.Level.DISTRICT), labels, view,
                                   tooltip_text=DIVISION_TOOLTIP)


def lsoa_drilldown(focus: str, weights: data.PriorityWeights, method: str, measure: str,
                   titles: Mapping[str, str]) -> tuple[object | None, list[str], pd.DataFrame, str]:
    """(deck, measure options, table, note) for one division's LSOAs."""
    frame, polarity = data.priority_inputs(s.Level.LSOA)
    usable = [(i, w) for i, w in weights if i in frame.columns]
    options = [state.PM_SCORE_MEASURE, *[i for i, _ in usable]]
    left_out = [titles.get(i, i) for i, _ in weights if i not in frame.columns]
    if not usable or sum(w for _, w in usable) == 0:
        return None, [state.PM_SCORE_MEASURE], pd.DataFrame(), (
            "None of the chosen measures (with a weight above 0) is published for LSOAs.")
    lsoas = data.features_where(s.Level.LSOA, "division_code", focus)
    codes = sorted(f["properties"][s.AREA_CODE] for f in lsoas["features"])
    names = {f["properties"][s.AREA_CODE]: f["properties"][s.AREA_NAME] for f in lsoas["features"]}
    if measure == state.PM_SCORE_MEASURE or measure not in dict(usable):
        result = data.priority_result(s.Level.LSOA, tuple(usable), method)
        value_text = {c: f"Score {format_score(result.table.at[c, pri.SCORE], method)}"
                      if result.table.at[c, pri.RANKED] else "No score" for c in codes}
        note = ("Colours: the same index computed for all 903 Essex LSOAs, in Essex-wide quintiles. A suppressed "
                "measure is never imputed: the LSOA is scored on its other measures with their weights rescaled "
                "(said in its tooltip), or left grey and unranked when they carry less than half the weight."
                + (f" Not published for LSOAs, so left out here: {', '.join(left_out)}." if left_out else ""))
    else:
        result = data.priority_result(s.Level.LSOA, ((measure, 1.0),), method)
        meta = data.indicator(measure)
        hidden = data.priority_suppressed(s.Level.LSOA)[measure]
        value_text = {c: f"{meta.short_title}: suppressed" if hidden.get(c, False) else
                      f"{meta.short_title}: {format_value(frame.at[c, measure], meta.unit, meta.value_type)}"
                      for c in codes}
        note = (f"Colours: {meta.short_title}, in Essex-wide LSOA quintiles (darker = more need); grey = suppressed "
                f"(not coloured or ranked). {meta.source_line}")
    props = build_lsoa_properties(result, codes, names, titles, value_text)
    collection = maps.with_properties(lsoas, props)
    boxes = pd.concat([maps.label_points(lsoas), data.label_points(s.Level.DIVISION).loc[[focus]]])
    view = maps.view_for_bounds(boxes["min_lon"].min(), boxes["min_lat"].min(), boxes["max_lon"].max(),
                                boxes["max_lat"].max(), width=600, height=460)
    outline = data.features_where(s.Level.DIVISION, s.AREA_CODE, focus)
    deck = maps.build_lsoa_map(collection, outline, data.boundaries(s.Level.DISTRICT),
                               data.label_points(s.Level.DISTRICT), view, tooltip_text=LSOA_TOOLTIP)
    table = pd.DataFrame({"LSOA": props[s.AREA_NAME], "Code": props.index, "Class (Essex LSOAs)":
                          props[pri.PRIORITY_CLASS], "Rank": props["rank_text"], "Value": props["value_text"],
                          "Data gaps": props["missing_text"]})
    ranks = result.table[pri.RANK].reindex(codes).to_numpy(dtype=float, na_value=np.inf)  # unranked last
    table = table.iloc[np.argsort(ranks, kind="stable")]
    return deck, options, table, note
