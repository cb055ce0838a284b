"""Priority map page view-model: the map's feature properties and decks, the ranked table, the legend, the
contribution chart, the LSOA drill-down and the words around them. Pure: no Streamlit; the cache layer
(components.data) gives these builders their data."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from insight import priority as pri
from insight import query
from insight import schema as s
from insight.formatting import format_value
from insight.loaders import Indicator
from views import maps
from views.palette import FONT_SIZE, INK
from views.words import AreaWords

SCORE_MEASURE = "score"  # the LSOA drill-down coloured by the index itself (components.state.PM_SCORE_MEASURE)

SCORE_MEASURE_LABEL = "Priority score (same weights)"
FILL_ALPHA = 235
METHOD_SHORT = {"zscore": "z-score", "rank": "rank", "minmax": "min–max"}
SCORE_MEANING = {
    "zscore": "a weighted average of z-scores: 0 is the average area; +1 is one standard deviation more need",
    "rank": "a weighted average of percentile ranks: 0 = least need on every measure, 1 = most need on every one",
    "minmax": "a weighted average of min–max scaled values: 0 = the lowest area on every measure, 1 = the highest",
}
def standing_note(words: AreaWords) -> str:
    """The note that stays on the page (E2, E4): what the index is for and what it leaves out."""
    return ("**This index supports judgement; it does not replace it.** It ranks "
            f"{words.plural} on the measures and weights you choose, so a different, equally reasonable choice "
            "can change the order — check the rank stability column before relying on a position. It leaves out "
            "everything not in these measures: local knowledge, existing services and funding, recent change "
            "since the 2021 Census and 2025 indices, and need that small-area averages hide."
            + (f" {words.word.capitalize()} boundaries are approximate." if words.approximate else ""))


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
        "drivers_text": [_titles_text(d, titles) or "none above the average" for d in table[pri.DRIVERS]],
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
                          titles: Mapping[str, str], value_text: Mapping[str, str],
                          council_name: str) -> pd.DataFrame:
    """Per LSOA of one division, the map's feature properties (classes are council-wide LSOA quintiles; an LSOA
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
        "class_text": [f"{k} of {council_name} LSOAs: rank {r} of {n}" if ranked else f"{k}: not coloured or ranked"
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
        f"In top {top_n}": np.where((table[pri.RANK] <= top_n).fillna(False), "Yes", "").tolist(),  # NA: not ranked
        "Stability": stab[pri.IN_TOP_N_SHARE].to_numpy(),
        "Rank range": [f"{int(m)} ({int(lo)}–{int(hi)})" if pd.notna(m) and pd.notna(lo) and pd.notna(hi)
                       else pri.NOT_RANKED.lower() for m, lo, hi in
                       zip(stab[pri.MEDIAN_RANK], stab[pri.RANK_P05], stab[pri.RANK_P95], strict=True)],
        "Contributions": table[contrib_cols].round(4).to_numpy().tolist(),
        "Driven by": [_titles_text(d, titles) for d in table[pri.DRIVERS]],
        "Data gaps": [_titles_text(m, titles) for m in table[pri.MISSING]],
        "Code": table.index.to_numpy(),
    })


def filtered_codes(options: query.FilterOptions, district_codes: tuple[str, ...]) -> list[str]:
    """Divisions the sidebar's district filter limits the table to (an empty list means no limit). The chosen
    division is looked at closely, not filtered to: the table keeps its neighbours for context."""
    if district_codes:
        return list(options.divisions_in(district_codes))
    return []


def finding_sentence(result: pri.PriorityResult, names: Mapping[str, str], districts: Mapping[str, str],
                     top_n: int, words: AreaWords) -> str:
    """One sentence stating the map's main finding (A4)."""
    table = result.table.sort_values([pri.RANK, pri.SCORE], ascending=[True, False])
    first = table.index[0]
    top = table[table[pri.RANK] <= top_n].index
    counts = pd.Series([districts.get(c, "").split("; ")[0] for c in top]).value_counts()
    leading = ", ".join(f"{d} ({k})" for d, k in counts.head(3).items())
    where = f" are mostly in {leading}" if len(counts) > 1 else f" are all in {counts.index[0]}" \
        if len(counts) == 1 and len(set(districts.values())) > 1 else ""
    return (f"{names.get(first, first)} ({districts.get(first, '')}) ranks first."
            + (f" The top {top_n} {words.plural}{where}." if where else ""))


def build_legend(breaks: pd.DataFrame, method: str, words: AreaWords) -> dict[str, Any]:
    """Legend (a Vega-Lite spec): one coloured square per class with its name, size and score range.

    Plain Vega-Lite dicts rather than Altair objects: Altair's schema validation costs 40-100 ms a chart,
    too much for a page that redraws on every slider move.
    """
    rows = [{"order": k, pri.PRIORITY_CLASS: row[pri.PRIORITY_CLASS],
             "label": f"{row[pri.PRIORITY_CLASS]} — {row['areas']} {words.plural}, score "
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
            {"mark": {"type": "square", "size": 380, "stroke": "#555555", "strokeWidth": 0.5, "filled": True,
                      "opacity": 1},
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
            {"mark": {"type": "square", "size": 380, "stroke": "#555555", "strokeWidth": 0.5, "filled": True,
                      "opacity": 1, "color": pri.NOT_RANKED_COLOUR}, "encoding": {"x": {"value": 10}, "y": {"value": 12}}},
            {"mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": FONT_SIZE - 2,
                      "color": INK, "lineBreak": "\n"},
             "encoding": {"x": {"value": 28}, "y": {"value": 12}, "text": {"field": "label", "type": "nominal"}}},
        ],
        "config": {"view": {"stroke": None}},
    }


def build_contribution_chart(result: pri.PriorityResult, code: str, name: str,
                             titles: Mapping[str, str]) -> dict[str, Any]:
    """Horizontal bars (a Vega-Lite spec): each indicator's contribution to one division's score, zero-based."""
    contrib = result.contributions_of(code).dropna()  # an indicator the area has no value for adds nothing
    rows: list[dict[str, Any]] = [{"Indicator": titles.get(str(i), str(i)), "Contribution": round(float(v), 4),
             "Weight": f"{result.weights[str(i)]:.0%}"} for i, v in contrib.items()]
    top = max(rows, key=lambda r: r["Contribution"])["Indicator"]
    finding = contribution_finding(result.contributions_of(code), titles, name)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": f"Contributions to {name}'s priority score; largest: {top}. {finding}",
        "title": {"text": textwrap.wrap(finding, 46, break_on_hyphens=False), "limit": 0, "subtitle":
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


def sources_line(indicator_ids: list[str], indicators: pd.DataFrame, *, short: bool = False) -> str:
    """'Sources: A; B.' and the OGL attribution, for the chosen indicators (P2); ``short``: the licence's name
    instead of the whole attribution (a committee slide, whose footer has room for one line)."""
    rows = indicators[indicators[s.INDICATOR_ID].isin(indicator_ids)]
    sources = sorted({part.strip() for text in rows[s.SOURCE] for part in str(text).split(";") if part.strip()})
    return f"Sources: {'; '.join(sources)}. " + (f"Licence: {s.OGL}." if short else s.OGL_ATTRIBUTION)


def export_csv(result: pri.PriorityResult, stability: pd.DataFrame, names: Mapping[str, str],
               districts: Mapping[str, str], titles: Mapping[str, str], top_n: int) -> bytes:
    """The download: the ranked table with contributions and the weights used (UTF-8 CSV)."""
    frame = pri.export_frame(result, stability, names, districts, titles, top_n)
    frame["licence"] = s.OGL
    return frame.to_csv(index=False).encode("utf-8")


# ---- the maps ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MapLayers:
    """The boundary layers the maps draw: divisions, districts and the district label points (with boxes)."""

    divisions: dict[str, Any]
    districts: dict[str, Any]
    district_labels: pd.DataFrame


# The division map is fitted to 470 x 540 px: the map column at 1280x720 with the sidebar open is about 487 px
# wide, and at 540 px tall the chosen division's summary under the map shows with it on a 720 px screen.
DIVISION_MAP_WIDTH, DIVISION_MAP_HEIGHT = 470, 540
LSOA_MAP_WIDTH, LSOA_MAP_HEIGHT = 430, 460  # the drill-down's column at 1280x720


def build_division_deck(result: pri.PriorityResult, names: Mapping[str, str], districts: Mapping[str, str],
                        titles: Mapping[str, str], top_n: int, focus: str | None, layers: MapLayers,
                        width: int = DIVISION_MAP_WIDTH, height: int = DIVISION_MAP_HEIGHT) -> object:
    """The division map for the current index, zoomed so the whole council fits ``width`` x ``height`` px."""
    props = build_division_properties(result, names, districts, titles, top_n, focus)
    collection = maps.with_properties(layers.divisions, props.sort_index())
    labels = layers.district_labels
    view = maps.view_for_bounds(labels["min_lon"].min(), labels["min_lat"].min(), labels["max_lon"].max(),
                                labels["max_lat"].max(), width=width, height=height)
    return maps.build_priority_map(collection, layers.districts, labels, view, tooltip_text=DIVISION_TOOLTIP)


@dataclass(frozen=True)
class LsoaDrilldown:
    """One division's LSOAs: the map (None when no chosen measure is published for LSOAs), the measures that
    can colour it, the table alternative and the note under the map."""

    deck: object | None
    measure_options: list[str]
    table: pd.DataFrame
    note: str


LSOA_CLASS_COLUMN = "Class (all LSOAs)"


def usable_lsoa_weights(weights: tuple[tuple[str, float], ...], lsoa_measures: list[str]) -> tuple[tuple[str, float], ...]:
    """The chosen measures (and weights) that are published for LSOAs."""
    return tuple((i, w) for i, w in weights if i in lsoa_measures)


def build_lsoa_drilldown(focus: str, weights: tuple[tuple[str, float], ...], method: str, measure: str,
                         titles: Mapping[str, str], *, frame: pd.DataFrame, lsoas: dict[str, Any],
                         result: pri.PriorityResult | None, meta: Indicator | None, hidden: pd.Series | None,
                         division_box: pd.DataFrame, outline: dict[str, Any], layers: MapLayers,
                         council_name: str, width: int = LSOA_MAP_WIDTH) -> LsoaDrilldown:
    """The drill-down of one division (its map fitted to ``width`` px): ``frame`` is every LSOA's latest value
    of each measure, ``lsoas`` the division's LSOA features, ``result`` the index (or the one measure, when
    ``meta`` names it, with ``hidden`` its suppressed cells) over all LSOAs."""
    usable = usable_lsoa_weights(weights, list(frame.columns))
    options = [SCORE_MEASURE, *[i for i, _ in usable]]
    left_out = [titles.get(i, i) for i, _ in weights if i not in frame.columns]
    if result is None or not usable or sum(w for _, w in usable) == 0:
        return LsoaDrilldown(None, [SCORE_MEASURE], pd.DataFrame(),
                             "None of the chosen measures (with a weight above 0) is published for LSOAs.")
    codes = sorted(f["properties"][s.AREA_CODE] for f in lsoas["features"])
    names = {f["properties"][s.AREA_CODE]: f["properties"][s.AREA_NAME] for f in lsoas["features"]}
    if meta is None:
        value_text = {c: f"Score {format_score(cast(float, result.table.at[c, pri.SCORE]), method)}"
                      if result.table.at[c, pri.RANKED] else "No score" for c in codes}
        note = (f"Colours: the same index computed for all {len(frame):,} {council_name} LSOAs, in "
                f"{council_name}-wide quintiles. A suppressed measure is never imputed: the LSOA is scored on its "
                "other measures with their weights rescaled (said in its tooltip), or left grey and unranked when "
                "they carry less than half the weight."
                + (f" Not published for LSOAs, so left out here: {', '.join(left_out)}." if left_out else ""))
    else:
        gaps = hidden if hidden is not None else pd.Series(dtype=bool)
        value_text = {c: f"{meta.short_title}: suppressed" if gaps.get(c, False) else
                      f"{meta.short_title}: "
                      f"{format_value(cast(float, frame.at[c, measure]), meta.unit, meta.value_type)}"
                      for c in codes}
        note = (f"Colours: {meta.short_title}, in {council_name}-wide LSOA quintiles (darker = more need); grey = "
                f"suppressed (not coloured or ranked). {meta.source_line}")
    props = build_lsoa_properties(result, codes, names, titles, value_text, council_name)
    collection = maps.with_properties(lsoas, props)
    boxes = pd.concat([maps.label_points(lsoas), division_box])
    view = maps.view_for_bounds(boxes["min_lon"].min(), boxes["min_lat"].min(), boxes["max_lon"].max(),
                                boxes["max_lat"].max(), width=width, height=LSOA_MAP_HEIGHT)
    deck = maps.build_lsoa_map(collection, outline, layers.districts, layers.district_labels, view,
                               tooltip_text=LSOA_TOOLTIP)
    table = pd.DataFrame({"LSOA": props[s.AREA_NAME], "Code": props.index, LSOA_CLASS_COLUMN:
                          props[pri.PRIORITY_CLASS], "Rank": props["rank_text"], "Value": props["value_text"],
                          "Data gaps": props["missing_text"]})
    ranks = result.table[pri.RANK].reindex(codes).to_numpy(dtype=float, na_value=np.inf)  # unranked last
    table = table.iloc[np.argsort(ranks, kind="stable")]
    return LsoaDrilldown(deck, options, table, note)


def contribution_finding(contributions: pd.Series, titles: Mapping[str, str], name: str) -> str:
    """What moves the score most, said correctly when no measure adds to need."""
    values = contributions.dropna()
    if values.empty:
        return f"{name} has no values for the chosen measures."
    top = str(values.idxmax())
    if values.max() > 0:
        return f"{titles.get(top, top)} adds most to {name}'s priority score."
    return (f"Every measure puts {name} below the average need; {titles.get(top, top)} lowers its score "
            "least.")
