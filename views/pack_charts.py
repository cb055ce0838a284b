"""Charts for the printed committee packs, as SVG (vl-convert, offline) with the sentence each one states.

Pure: no st.* calls. Every builder returns a ``PackFigure``: the SVG, its alt text (what a screen reader says
instead of the picture) and a caption; titles and findings are set in the HTML around the picture, as real
text, so charts here carry no title of their own.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import altair as alt
import pandas as pd
import vl_convert as vlc

from insight import narrative
from insight import priority as pri
from insight import schema as s
from insight.forecast import Projection
from insight.formatting import format_value
from insight.loaders import Indicator
from views.palette import ACCENT, INK
from views.trend_charts import AREA, COMPARATOR, ROLE, SELECTED, build_trend_chart
from views.words import AreaWords

PRINT_FONT = "DejaVu Sans"
MUTED = "#4A5563"
NEGATIVE = "#5F6B7A"  # bars of measures that lower a score: grey, never a colour of need


@dataclass(frozen=True)
class PackFigure:
    """One picture of a pack: SVG text, alt text and a caption (both plain text; the HTML escapes them)."""

    svg: str
    alt: str
    caption: str = ""

    def img(self, css_class: str = "") -> str:
        """An <img> element holding the SVG as a data URI, with the alt text (escaped)."""
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        cls = f' class="{css_class}"' if css_class else ""
        return f'<img{cls} src="data:image/svg+xml;base64,{data}" alt="{escape(self.alt, {chr(34): "&quot;"})}">'


def to_svg(spec: Mapping[str, Any]) -> str:
    """A Vega-Lite spec as SVG, drawn in the print font."""
    config = dict(spec.get("config", {}))
    config["font"] = PRINT_FONT
    return vlc.vegalite_to_svg({**spec, "config": config})


def without_title(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with its title removed (the HTML sets the title as text)."""
    return {k: v for k, v in spec.items() if k != "title"}


# ---- trends ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendPanel:
    """One indicator's trend for a pack: finding (title), sentences and the chart."""

    indicator_id: str
    title: str
    story: str
    projection: str  # the likely range at the horizon ("" without a projection)
    accuracy: str  # back-test accuracy (U6), "" without a projection
    caveats: tuple[str, ...]
    figure: PackFigure


def _accuracy(projection: Projection) -> str:
    backtest = projection.backtest
    if backtest is None:
        return "No leak-free test of this projection is available."
    return backtest.summary  # leak-free figures only, worded in insight.forecast.accuracy


def trend_panel(entry: Indicator, series: pd.DataFrame, area_code: str, comparators: Sequence[str],
                names: Mapping[str, str], comparator_kinds: Mapping[str, str], projection: Projection | None, *,
                width: int = 420, height: int = 165, history_years: int | None = None) -> TrendPanel:
    """An area's series with its comparators and projection fan (views.trend_charts.build_trend_chart).

    ``series``: the observations of ``area_code`` and ``comparators`` for the indicator; ``comparator_kinds``:
    comparator code -> "county" | "region" | "england" (line style)."""
    order = [area_code, *[c for c in comparators if c != area_code]]
    obs = series[series[s.AREA_CODE].isin(order)].copy()
    if history_years is not None and not obs.empty:
        start = obs[s.PERIOD_START].max() - pd.DateOffset(years=history_years)
        obs = obs[obs[s.PERIOD_START] >= start]
    obs[AREA] = obs[s.AREA_CODE].map(names)
    obs[ROLE] = [SELECTED if c == area_code else COMPARATOR for c in obs[s.AREA_CODE]]
    obs["_order"] = obs[s.AREA_CODE].map({c: i for i, c in enumerate(order)})
    obs = obs.sort_values(["_order", s.PERIOD_START]).drop(columns="_order").reset_index(drop=True)
    name = names.get(area_code, area_code)
    own = obs[(obs[s.AREA_CODE] == area_code) & obs[s.VALUE].notna()]
    story = narrative.describe_trend(name, own, unit=entry.unit, value_type=entry.value_type,
                                     polarity=entry.polarity, frequency=entry.frequency, measure=entry.short_title)
    frames = pd.DataFrame()
    projection_text = accuracy = ""
    caveats: tuple[str, ...] = ()
    if projection is not None and not own.empty:
        frames = projection.frame.copy()
        frames[s.PERIOD_LABEL] = narrative.projected_labels(list(frames[s.PERIOD_START]), entry.frequency,
                                                            str(own[s.PERIOD_LABEL].iloc[-1]))
        frames[AREA] = name
        labelled = Projection(frames, projection.method, projection.backtest, projection.caveats)
        projection_text = narrative.describe_projection(name, labelled, unit=entry.unit, value_type=entry.value_type,
                                                        frequency=entry.frequency, measure=entry.short_title)
        accuracy = _accuracy(projection)
        caveats = projection.caveats[:3]
    title = narrative.chart_title(entry.short_title, name, story.marker, projected=not frames.empty)
    kinds = {names.get(code, code): kind for code, kind in comparator_kinds.items() if code in comparators}
    first = str(own[s.PERIOD_LABEL].iloc[0]) if not own.empty else ""
    last = str(own[s.PERIOD_LABEL].iloc[-1]) if not own.empty else ""
    against = ", ".join(names.get(c, c) for c in order[1:])
    alt_text = (f"Line chart of {entry.short_title} ({entry.unit}) for {name}"
                + (f" against {against}" if against else "") + f", {first} to {last}"
                + (f", with a projection and its 80% and 95% ranges to {frames[s.PERIOD_LABEL].iloc[-1]}"
                   if not frames.empty else "") + f". {story.sentence}")
    chart = build_trend_chart(obs, frames, title="", subtitle="", source="", unit=entry.unit,
                              description=alt_text, comparator_kinds=kinds,
                              value_format=",.0f" if entry.value_type == s.ValueType.COUNT else ",.1f",
                              width=width, height=height)
    spec = without_title(chart.to_dict(validate=False))
    spec["config"] = {**spec.get("config", {}),
                      "axis": {**spec.get("config", {}).get("axis", {}), "labelFontSize": 11, "titleFontSize": 11},
                      "legend": {**spec.get("config", {}).get("legend", {}), "labelFontSize": 11}}
    _shrink_text(spec, 11)
    return TrendPanel(entry.indicator_id, title, story.sentence, projection_text, accuracy, caveats,
                      PackFigure(to_svg(spec), alt_text, f"{entry.title} ({entry.unit}). {entry.source_line}"))


def _shrink_text(spec: Any, size: int) -> None:
    """Set every fontSize/labelFontSize a spec holds to ``size`` (print charts are drawn smaller)."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("fontSize", "labelFontSize", "titleFontSize") and isinstance(value, int | float):
                spec[key] = size
            else:
                _shrink_text(value, size)
    elif isinstance(spec, list):
        for item in spec:
            _shrink_text(item, size)


# ---- priority ------------------------------------------------------------------------------------------

def priority_map(boundaries: Mapping[str, Any], classes: Mapping[str, str], focus: str | None, names: Mapping[str, str],
                 *, width: int = 520, height: int = 380) -> PackFigure:
    """The divisions coloured by priority class (grey: not ranked), the focus division outlined in ink."""
    features = []
    for feature in boundaries.get("features", []):
        code = str(feature["properties"].get("area_code"))
        features.append({"type": "Feature", "geometry": feature["geometry"],
                         "properties": {"area_code": code, "klass": classes.get(code, pri.NOT_RANKED),
                                        "focus": code == focus}})
    domain = [*pri.CLASS_NAMES, pri.NOT_RANKED]
    colours = [*pri.CLASS_COLOURS, pri.NOT_RANKED_COLOUR]
    data = alt.Data(values=features)
    base = alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=0.6).encode(
        color=alt.Color("properties.klass:N", scale=alt.Scale(domain=domain, range=colours), legend=None))
    layers = [base]
    if focus is not None:
        layers.append(alt.Chart(data).transform_filter("datum.properties.focus").mark_geoshape(
            fill=None, stroke=INK, strokeWidth=3))
    chart = alt.layer(*layers).project("mercator").properties(width=width, height=height).configure_view(
        strokeWidth=0)
    counts = pd.Series(list(classes.values())).value_counts()
    summary = "; ".join(f"{name}: {int(counts.get(name, 0))}" for name in domain if counts.get(name, 0))
    focus_text = f" {names.get(focus, focus)} is outlined in black, in the class {classes.get(focus, pri.NOT_RANKED)}." \
        if focus else ""
    alt_text = f"Map of the {len(features)} divisions coloured by priority class ({summary}).{focus_text}"
    return PackFigure(to_svg(chart.to_dict(validate=False)), alt_text)


def contribution_figure(contributions: pd.Series, weights: Mapping[str, float], titles: Mapping[str, str],
                        name: str, *, width: int = 300) -> PackFigure:
    """Each measure's signed contribution to one division's score (zero-based bars): positive adds need,
    negative lowers it; a measure the division has no value for is left out (never imputed)."""
    values = contributions.dropna()
    rows = [{"measure": titles.get(i, i), "contribution": round(float(v), 4), "weight": f"{weights.get(i, 0):.0%}",
             "direction": "adds to need" if v > 0 else "lowers need"} for i, v in values.items()]
    rows.sort(key=lambda r: -r["contribution"])
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": rows}, "width": width, "height": {"step": 21},
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"x": {"field": "contribution", "type": "quantitative", "scale": {"zero": True},
                                "title": "Contribution to the priority score"},
                          "y": {"field": "measure", "type": "nominal", "sort": None, "title": None,
                                "axis": {"labelLimit": 220}},
                          "color": {"field": "direction", "type": "nominal", "legend": None,
                                    "scale": {"domain": ["adds to need", "lowers need"],
                                              "range": [pri.CLASS_COLOURS[1], NEGATIVE]}}}},
            {"mark": {"type": "rule", "color": INK}, "encoding": {"x": {"datum": 0}}},
        ],
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelColor": INK,
                                                      "titleColor": INK}},
    }
    positive = [r for r in rows if r["contribution"] > 0]
    negative = [r for r in rows if r["contribution"] < 0]
    parts = []
    if positive:
        parts.append("adds to need: " + ", ".join(f"{r['measure']} ({r['contribution']:+.2f})" for r in positive))
    if negative:
        parts.append("lowers need: " + ", ".join(f"{r['measure']} ({r['contribution']:+.2f})" for r in negative))
    alt_text = f"Bar chart of each measure's contribution to {name}'s priority score; " + "; ".join(parts) + "."
    return PackFigure(to_svg(spec), alt_text)


def contribution_finding(contributions: pd.Series, titles: Mapping[str, str], name: str) -> str:
    """What moves the score most, said correctly when no measure adds to need."""
    values = contributions.dropna()
    if values.empty:
        return f"{name} has no values for the chosen measures."
    top = values.idxmax()
    if values.max() > 0:
        return f"{titles.get(top, top)} adds most to {name}'s priority score."
    least = values.idxmax()
    return (f"Every measure puts {name} below the average need; {titles.get(least, least)} lowers its score "
            "least.")


# ---- spine, locator, IMD trend ------------------------------------------------------------------

def spine_figure(spec: Mapping[str, Any], alt_text: str) -> PackFigure:
    """The profile's spine chart (views.profile_charts.build_spine_chart) as a pack figure."""
    return PackFigure(to_svg(dict(spec)), alt_text)


def locator_figure(svg: str, division_name: str, words: AreaWords) -> PackFigure:
    """The static locator map (views.profile_charts.build_locator_svg) as a pack figure."""
    return PackFigure(svg, f"Locator map: {division_name} highlighted among {words.council}'s {words.plural}"
                           f"{words.boundary_note}.")


def imd_figure(rows: pd.DataFrame, order: Sequence[str], division_name: str, *, width: int = 520,
               height: int = 200) -> PackFigure:
    """The IMD rank percentile by edition for the division, its district and the county (100 = least deprived)."""
    data = rows[rows[s.VALUE].notna()].copy()
    data["order"] = data["area_label"].map({n: i for i, n in enumerate(order)})
    data[s.PERIOD_START] = data[s.PERIOD_START].dt.strftime("%Y-%m-%d")
    colours = [ACCENT, "#B04A00", "#5F6B7A"][:len(order)]
    dashes = [[1, 0], [6, 3], [2, 2]][:len(order)]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": data[["area_label", "order", s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]].to_dict("records")},
        "width": width, "height": height,
        "mark": {"type": "line", "point": True, "strokeWidth": 2.5},
        "encoding": {
            "x": {"field": s.PERIOD_START, "type": "temporal", "title": None, "axis": {"format": "%Y"}},
            "y": {"field": s.VALUE, "type": "quantitative", "title": "Rank percentile",
                  "scale": {"zero": False, "nice": True}},
            "color": {"field": "area_label", "type": "nominal", "sort": list(order), "title": None,
                      "scale": {"domain": list(order), "range": colours}, "legend": {"orient": "bottom"}},
            "strokeDash": {"field": "area_label", "type": "nominal", "sort": list(order), "legend": None,
                           "scale": {"domain": list(order), "range": dashes}},
        },
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11},
                   "legend": {"labelFontSize": 11}},
    }
    own = data[data["area_label"] == division_name].sort_values(s.PERIOD_START)
    values = ", ".join(f"{label}: {value:.1f}" for label, value in zip(own[s.PERIOD_LABEL], own[s.VALUE], strict=True))
    alt_text = (f"Line chart of the IMD rank percentile by edition for {', '.join(order)}. "
                f"{division_name}: {values}.")
    return PackFigure(to_svg(spec), alt_text)


def value_text(value: float, entry: Indicator) -> str:
    """A value in the indicator's unit ('no data' when missing)."""
    return "no data" if value is None or (isinstance(value, float) and math.isnan(value)) else \
        format_value(float(value), entry.unit, entry.value_type)
