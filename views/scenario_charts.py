"""Chart builder for the Scenarios page. Pure: build_* return a Vega-Lite spec, no st.* calls.

One chart shows the observed series, the baseline projection (with its 80% and 95% bands) and up to three
scenarios (each with its 80% band). Projections are dashed, observed data solid; every series also has its
own marker shape at each year's table row, so colour is never the only cue (A2). Fonts are projector-sized.
Periods are named by the series' labeller (insight.periods), as in the table, CSV and levers: an annual
series has a tick at each period's start, labelled like '2029/30', and every tooltip names the period so.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from insight.periods import PeriodLabeller
from insight.scenarios import LOWER_80, LOWER_95, POINT, UPPER_80, UPPER_95
from insight.schema import PERIOD_LABEL, PERIOD_START, VALUE
from views.palette import INK

if TYPE_CHECKING:
    import altair as alt
else:
    from views.lazy_altair import alt

OBSERVED = "Observed"
PERIOD = "period"  # the period's name in every row (the tooltip's 'Period')
BASELINE = "Baseline projection"
OBSERVED_KIND, PROJECTED_KIND = "Solid: observed", "Dashed: projected"
BASELINE_GREY = "#5A5A5A"
# Okabe-Ito, darkened where needed for >= 3:1 against white.
SCENARIO_COLOURS = ("#0072B2", "#C2410C", "#007A5E")
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross")
ILLUSTRATIVE_RED = "#B00020"
ILLUSTRATIVE_BANNER = "ILLUSTRATIVE DATA — NOT REAL"
HEIGHT = 560
MAX_TICKS = 12
TITLE_WRAP = 90  # characters a line of the source and caveat under the chart
SUBTITLE_WRAP = 68  # characters a line of the subtitle (18 px) holds in the 640 px a chart keeps on a phone
DATA_NAME = "scenario_chart"
HEADLINE, HEADLINE_LAYER = "headline", "headline"  # the first row of the data holds the title; no layer draws it
HEADLINE_EXPR = f"length(data('{DATA_NAME}')) ? data('{DATA_NAME}')[0].{HEADLINE} : ''"
FONT = 18


def _iso(periods: pd.Series | pd.DatetimeIndex) -> list[str]:
    """Local ISO date-times, as Altair writes dates (Vega-Lite reads them in the viewer's time zone)."""
    return list(pd.DatetimeIndex(pd.to_datetime(periods)).strftime("%Y-%m-%dT%H:%M:%S"))


def _number(value: float) -> float | None:
    return None if value != value else float(value)  # NaN -> null


def _projected_rows(name: str, frame: pd.DataFrame, periods: list[str], labels: list[str],
                    anchor: dict[str, object] | None) -> list[dict[str, object]]:
    rows = [{**anchor, "series": name}] if anchor else []
    for period, label, value, low, high in zip(periods, labels, frame[POINT].to_numpy(float),
                                               frame[LOWER_80].to_numpy(float), frame[UPPER_80].to_numpy(float),
                                               strict=True):
        rows.append({PERIOD_START: period, PERIOD: label, "value": _number(value), LOWER_80: _number(low),
                     UPPER_80: _number(high), "series": name, "kind": PROJECTED_KIND})
    return rows


def _chart_data(history: pd.DataFrame, baseline: pd.DataFrame,
                scenarios: Sequence[tuple[str, pd.DataFrame]], labeller: PeriodLabeller) -> list[dict[str, object]]:
    """Every row the chart draws, each tagged with its ``layer``, as JSON-ready dicts (plain Python, inline in
    the spec: no per-rerun Arrow conversion, so a lever change stays quick). Scenario frames are the output of
    apply_scenario on ``baseline``, so they share its periods."""
    observed_labels = [str(label) for label in history[PERIOD_LABEL]] if PERIOD_LABEL in history \
        else labeller.labels(history[PERIOD_START])
    observed: list[dict[str, object]] = [
        {PERIOD_START: period, PERIOD: label, "value": _number(value), "series": OBSERVED, "kind": OBSERVED_KIND}
        for period, label, value in zip(_iso(history[PERIOD_START]), observed_labels,
                                        history[VALUE].to_numpy(float), strict=True)]
    filled = [row for row in observed if row["value"] is not None]
    anchor = {**filled[-1], "kind": PROJECTED_KIND} if filled else None  # projections start at the last value
    periods = _iso(baseline[PERIOD_START])
    labels = labeller.labels(baseline[PERIOD_START])
    series = [(BASELINE, baseline), *scenarios]
    lines = observed + [row for name, frame in series
                        for row in _projected_rows(name, frame, periods, labels, anchor)]
    years = [period[:4] for period in periods]
    last_in_year = {i for i in range(len(years)) if i == len(years) - 1 or years[i + 1] != years[i]}
    marks = [row for name, frame in series
             for i, row in enumerate(_projected_rows(name, frame, periods, labels, None)) if i in last_in_year]

    def bands(frames: Sequence[tuple[str, pd.DataFrame]], lower: str, upper: str) -> list[dict[str, object]]:
        return [{PERIOD_START: period, PERIOD: label, "lower": _number(lo), "upper": _number(hi), "series": name}
                for name, frame in frames
                for period, label, lo, hi in zip(periods, labels, frame[lower].to_numpy(float),
                                                 frame[upper].to_numpy(float), strict=True)]

    layers: dict[str, list[dict[str, object]]] = {"lines": lines, "marks": marks,
              "base95": bands([(BASELINE, baseline)], LOWER_95, UPPER_95),
              "base80": bands([(BASELINE, baseline)], LOWER_80, UPPER_80),
              "scen80": bands(list(scenarios), LOWER_80, UPPER_80),
              "divider": [{PERIOD_START: periods[0]}]}
    return [{**row, "layer": layer} for layer, rows in layers.items() for row in rows]


def annual_ticks(history: pd.DataFrame, baseline: pd.DataFrame) -> tuple[tuple[int, int, int], ...]:
    """(year, month, day) of the period starts an annual series' axis is ticked at: every period (observed
    and projected), thinned to at most MAX_TICKS, always including the first projected period."""
    observed = list(pd.to_datetime(history[PERIOD_START])) if not history.empty else []
    projected = list(pd.to_datetime(baseline[PERIOD_START]))
    every = -(-(len(observed) + len(projected)) // MAX_TICKS)
    starts = observed[::-1][every - 1::every][::-1] + projected[::every]
    return tuple((ts.year, ts.month, ts.day) for ts in starts)


def _tick_label_expr(labeller: PeriodLabeller) -> str:
    """A Vega expression naming the period that starts at a tick like labeller does ('2029' or '2029/30')."""
    year = f"(year(datum.value) + {labeller.year_offset})"
    if labeller.split_year:
        return f"{year} + '/' + substring('' + ({year} + 1), 2, 4)"
    return f"'' + {year}"


def _layer(name: str) -> alt.Chart:
    return alt.Chart().transform_filter(f"datum.layer === '{name}'")


@lru_cache(maxsize=32)
def _template(names: tuple[str, ...], unit: str, source_line: str, caveat: str, illustrative: bool,
              value_format: str, labeller: PeriodLabeller, ticks: tuple[tuple[int, int, int], ...]) -> str:
    """The chart's Vega-Lite spec, its data left out, as JSON. Building and validating it with Altair costs
    ~50-100 ms, so it is built once per layout and only the data changes when a lever moves. Each layer draws
    the rows of the one data set whose ``layer`` field names it."""
    domain = [OBSERVED, BASELINE, *names]
    colours = [INK, BASELINE_GREY, *SCENARIO_COLOURS[: len(names)]]
    # Rows of three once there are two scenarios or more, and solid/dashed under the chart: in one row the
    # legends ran past a 1280-pixel screen's column with two scenarios.
    legend = alt.Legend(orient="top", direction="horizontal", labelFontSize=FONT, symbolSize=260,
                        symbolOpacity=1, labelLimit=400, title=None, columns=3 if len(names) > 1 else 0)
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=colours), legend=legend)
    shape = alt.Shape("series:N", title=None, scale=alt.Scale(domain=domain, range=list(SHAPES[: len(domain)])),
                      legend=legend)
    # The source, licence and projection caveat ride in the x-axis title, so they stay inside the chart's
    # bounds (Streamlit fits the chart to its container) and travel with every export (P2, U1).
    ticks_at: dict[str, Any] = {"format": "%Y", "tickCount": "year"}  # monthly: calendar years
    if not labeller.monthly:  # annual: a tick at each (shown) period's start, named like the table
        ticks_at = {"values": [alt.DateTime(year=y, month=m, date=d) for y, m, d in ticks],
                    "labelExpr": _tick_label_expr(labeller)}
    # Wrapped so that the title never makes the chart wider than a 1280-pixel screen's column.
    x = alt.X(f"{PERIOD_START}:T", title=[*textwrap.wrap(source_line, TITLE_WRAP), *textwrap.wrap(caveat, TITLE_WRAP)],
              axis=alt.Axis(**ticks_at, labelFontSize=FONT, grid=False, titleFontSize=15,
                            titleFontWeight="normal", titleAnchor="start", titleAlign="left", titlePadding=14,
                            titleColor=INK, titleLimit=2000))
    y_title = unit[:1].upper() + unit[1:] if unit else "Value"
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False),
              axis=alt.Axis(labelFontSize=FONT, titleFontSize=FONT, format=",~f"))

    def band(source: str, opacity: float) -> alt.Chart:
        return _layer(source).mark_area(opacity=opacity, aria=False).encode(
            x=x, y=alt.Y("lower:Q", title=y_title), y2="upper:Q", color=colour)

    tooltip = [alt.Tooltip(f"{PERIOD}:N", title="Period"),
               alt.Tooltip("series:N", title="Series"),
               alt.Tooltip("value:Q", title=y_title, format=value_format),
               alt.Tooltip(f"{LOWER_80}:Q", title="80% range from", format=value_format),
               alt.Tooltip(f"{UPPER_80}:Q", title="80% range to", format=value_format)]
    line = _layer("lines").mark_line(strokeWidth=3.5, aria=False).encode(
        x=x, y=y, color=colour, detail="series:N",
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=[OBSERVED_KIND, PROJECTED_KIND],
                                                            range=[[1, 0], [9, 5]]),
                                  legend=alt.Legend(orient="bottom", title=None, labelFontSize=FONT,
                                                    symbolStrokeWidth=4, symbolSize=400)),
        tooltip=tooltip)
    marks = _layer("marks").mark_point(size=140, filled=True, opacity=1, aria=False).encode(
        x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    divider = _layer("divider")
    rule = divider.mark_rule(color=BASELINE_GREY, strokeDash=[2, 3], aria=False).encode(x=x)
    rule_label = divider.mark_text(align="left", dx=6, fontSize=FONT - 2, color=BASELINE_GREY,
                                   baseline="bottom", text="Projection →").encode(
        x=x, y=alt.value({"expr": "height - 6"}))
    layers: list[alt.Chart] = [band("base95", 0.08), band("base80", 0.16), band("scen80", 0.15), rule,
                               rule_label, line, marks]
    if illustrative:
        layers.append(_layer("divider").mark_text(
            text=ILLUSTRATIVE_BANNER, align="right", baseline="top", fontSize=FONT + 4, fontWeight="bold",
            color=ILLUSTRATIVE_RED).encode(x=alt.value({"expr": "width"}), y=alt.value(4)))
    chart = alt.layer(*layers, data=alt.Data(name=DATA_NAME)).resolve_scale(y="shared").properties(
        height=HEIGHT, width="container", description="",
        title=alt.TitleParams(text="", subtitle=[""], anchor="start", fontSize=FONT + 8, subtitleFontSize=FONT,
                              color=INK, subtitleColor=INK, offset=12),
    ).configure_view(strokeWidth=0).configure_axis(labelColor=INK, titleColor=INK) \
        .configure_legend(labelColor=INK)
    return json.dumps(chart.to_dict(), ensure_ascii=False)


def build_scenario_chart(history: pd.DataFrame, baseline: pd.DataFrame,
                         scenarios: Sequence[tuple[str, pd.DataFrame]], *, title: str, subtitle: str,
                         unit: str, source_line: str, caveat: str, description: str,
                         illustrative: bool = False, value_format: str = ",.1f",
                         labeller: PeriodLabeller | None = None) -> dict[str, Any]:
    """Observed history, the baseline projection and up to three scenarios on one chart, as a Vega-Lite
    spec (draw with st.vega_lite_chart; export with vl-convert). Made with Altair once per layout.
    ``labeller`` names the periods (default: calendar years, or months for a monthly series)."""
    labeller = labeller or PeriodLabeller()
    ticks = () if labeller.monthly else annual_ticks(history, baseline)
    spec: dict[str, Any] = json.loads(_template(tuple(name for name, _ in scenarios), unit, source_line, caveat,
                                                illustrative, value_format, labeller, ticks))
    # The title (the headline finding, which moves with every lever) is read from the data, so a lever step
    # changes only the data: the browser swaps the rows into the chart it has instead of building a new one.
    headline = f"[Illustrative, not real] {title}" if illustrative else title
    spec["title"]["text"] = {"expr": HEADLINE_EXPR}
    spec["title"]["subtitle"] = textwrap.wrap(subtitle, SUBTITLE_WRAP)
    spec["description"] = description
    spec["data"] = {"name": DATA_NAME}
    spec["datasets"] = {DATA_NAME: [{"layer": HEADLINE_LAYER, HEADLINE: headline},
                                    *_chart_data(history, baseline, scenarios, labeller)]}
    return spec


def compact_scenario_spec(spec: dict[str, Any], *, legend_columns: int, dash_legend: str,
                          label_limit: int | None = None) -> dict[str, Any]:
    """A copy of a scenario chart spec for a slide or a printed page, where the source and caveat are written as
    text: no x-axis title; the series legend in rows of ``legend_columns`` (0: one row), with labels cut at
    ``label_limit`` px; the solid/dashed legend at ``dash_legend`` ('top' or 'bottom')."""
    copy: dict[str, Any] = json.loads(json.dumps(spec))

    def walk(part: object) -> None:
        if isinstance(part, dict):
            encoding = part.get("encoding")
            if isinstance(encoding, dict):
                x = encoding.get("x")
                if isinstance(x, dict) and isinstance(x.get("title"), list):
                    x["title"] = None
                for channel, extra in (("color", {"columns": legend_columns}), ("shape", {"columns": legend_columns}),
                                       ("strokeDash", {"orient": dash_legend})):
                    legend = encoding.get(channel, {}).get("legend") if isinstance(encoding.get(channel), dict) \
                        else None
                    if isinstance(legend, dict):
                        legend.update(extra)
                        if label_limit is not None and channel != "strokeDash":
                            legend["labelLimit"] = label_limit
            for value in part.values():
                walk(value)
        elif isinstance(part, list):
            for item in part:
                walk(item)

    walk(copy)
    return copy

