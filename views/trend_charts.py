"""Altair builders for the Trends & projections page. Pure: build_* return charts, no st.* calls.

The chart layers, bottom to top: the 95% projection fan, the 80% fan, each observation's published 95%
interval (a vertical bar), the observed lines (comparators dashed), the dashed central projection, and
a rule with the word "Projection" where the projection starts. Title, subtitle and source line travel
inside the chart so that PNG/SVG exports carry them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from insight import schema as s
from views.charts import theme_config
from views.palette import FONT_SIZE, INK

if TYPE_CHECKING:
    import altair as alt
else:
    from views.lazy_altair import alt

AREA = "area"
ROLE = "role"  # "area" (chosen) | "comparator"
SELECTED, COMPARATOR = "area", "comparator"
AREA_COLOURS = ["#1D5A9E", "#D55E00", "#117733", "#AA4499", "#8C510A", "#332288"]  # all >= 3:1 on white
COMPARATOR_STYLE = {  # colour, dash: never colour alone (A2): each comparator also has its own dash
    "county": ("#000000", [8, 4]),
    "region": ("#8C510A", [2, 3]),
    "england": ("#767676", [10, 3, 2, 3]),
}
FAN_95_OPACITY, FAN_80_OPACITY = 0.16, 0.38
EXPORT_WIDTH = 900
TITLE_WRAP = 60  # characters a title line may hold before it wraps (fits a 1280 px screen with the sidebar open)
SUBTITLE_WRAP = 90


def y_axis_title(unit: str) -> str:
    """The value axis title with its unit (P3)."""
    return "Per cent (%)" if unit.strip() == "%" else unit


def _colour_scale(observed: pd.DataFrame, comparator_kinds: dict[str, str]) -> alt.Scale:
    chosen = list(dict.fromkeys(observed.loc[observed[ROLE] == SELECTED, AREA]))
    comparators = list(dict.fromkeys(observed.loc[observed[ROLE] == COMPARATOR, AREA]))
    domain = chosen + comparators
    colours = [AREA_COLOURS[i % len(AREA_COLOURS)] for i in range(len(chosen))] + \
              [COMPARATOR_STYLE[comparator_kinds.get(name, "england")][0] for name in comparators]
    return alt.Scale(domain=domain, range=colours)


def _dash_scale(observed: pd.DataFrame, comparator_kinds: dict[str, str]) -> alt.Scale:
    names = list(dict.fromkeys(observed[AREA]))
    dashes = [COMPARATOR_STYLE[comparator_kinds[n]][1] if n in comparator_kinds else [1, 0] for n in names]
    return alt.Scale(domain=names, range=dashes)


def fan_frame(observed: pd.DataFrame, projections: pd.DataFrame) -> pd.DataFrame:
    """Projection rows with each area's last observation prepended, so the fan starts on the line."""
    if projections.empty:
        return projections
    starts = []
    for name in projections[AREA].unique():
        rows = observed[(observed[AREA] == name) & observed[s.VALUE].notna()]
        if rows.empty:
            continue
        last = rows.sort_values(s.PERIOD_START).iloc[-1]
        value = float(last[s.VALUE])
        starts.append({AREA: name, s.PERIOD_START: last[s.PERIOD_START], s.PERIOD_LABEL: last[s.PERIOD_LABEL],
                       "point": value, "lower_80": value, "upper_80": value, "lower_95": value,
                       "upper_95": value})
    return pd.concat([pd.DataFrame(starts), projections], ignore_index=True).sort_values([AREA, s.PERIOD_START])


def build_trend_chart(observed: pd.DataFrame, projections: pd.DataFrame, *, title: str, subtitle: str,
                      source: str, unit: str, description: str, comparator_kinds: dict[str, str],
                      value_format: str = ",.1f", width: int | str = "container",
                      height: int = 440, monthly: bool = False) -> alt.LayerChart:
    """Observed lines (+95% interval bars where published), comparator lines and the projection fan.

    ``observed``: area, role, period_start, period_label, value, lower_95, upper_95.
    ``projections``: area, period_start, period_label, point, lower_80, upper_80, lower_95, upper_95.
    ``comparator_kinds``: comparator area name -> "county" | "region" | "england" (line style).
    ``monthly``: label the time axis by month (Jan and Jul of each year) instead of by year.
    """
    legend = alt.Legend(title=None, orient="bottom", labelLimit=320, symbolStrokeWidth=3, symbolSize=400,
                        symbolType="stroke", symbolOpacity=1, labelFontSize=FONT_SIZE - 2, labelColor=INK,
                        columnPadding=24)
    colour = alt.Color(f"{AREA}:N", scale=_colour_scale(observed, comparator_kinds), legend=legend)
    ticks = ({"format": "%b %Y", "tickCount": {"interval": "month", "step": 6}} if monthly  # Jan and Jul
             else {"format": "%Y"})  # (a year format on monthly ticks repeats each year: "2024 2024 2024")
    x = alt.X(f"{s.PERIOD_START}:T", title=None, axis=alt.Axis(**ticks, labelFontSize=FONT_SIZE - 2))
    y_title = y_axis_title(unit)
    obs = observed[[AREA, ROLE, s.PERIOD_START, s.PERIOD_LABEL, s.VALUE, s.LOWER_95, s.UPPER_95]].copy()
    base = alt.Chart(obs).encode(x=x, color=colour)
    value_tip = [alt.Tooltip(f"{AREA}:N", title="Area"), alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Period"),
                 alt.Tooltip(f"{s.VALUE}:Q", title=y_title, format=value_format),
                 alt.Tooltip(f"{s.LOWER_95}:Q", title="95% interval from", format=value_format),
                 alt.Tooltip(f"{s.UPPER_95}:Q", title="95% interval to", format=value_format)]
    lines = base.mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=50, filled=True)).encode(
        y=alt.Y(f"{s.VALUE}:Q", title=y_title, scale=alt.Scale(zero=False)),
        strokeDash=alt.StrokeDash(f"{AREA}:N", scale=_dash_scale(observed, comparator_kinds), legend=legend),
        tooltip=value_tip,
    )
    bars = base.transform_filter(f"isValid(datum.{s.LOWER_95}) && isValid(datum.{s.UPPER_95})").mark_rule(
        strokeWidth=2, opacity=0.55).encode(y=f"{s.LOWER_95}:Q", y2=f"{s.UPPER_95}:Q", tooltip=value_tip)
    layers: list[alt.Chart] = [bars, lines]

    if not projections.empty:
        fan = fan_frame(observed, projections)
        fan_base = alt.Chart(fan).encode(x=x, color=colour)
        fan_tip = [alt.Tooltip(f"{AREA}:N", title="Area"),
                   alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Projection for"),
                   alt.Tooltip("point:Q", title="Central projection", format=value_format),
                   alt.Tooltip("lower_80:Q", title="80% range from", format=value_format),
                   alt.Tooltip("upper_80:Q", title="80% range to", format=value_format),
                   alt.Tooltip("lower_95:Q", title="95% range from", format=value_format),
                   alt.Tooltip("upper_95:Q", title="95% range to", format=value_format)]
        band95 = fan_base.mark_area(opacity=FAN_95_OPACITY).encode(y="lower_95:Q", y2="upper_95:Q",
                                                                   tooltip=fan_tip)
        band80 = fan_base.mark_area(opacity=FAN_80_OPACITY).encode(y="lower_80:Q", y2="upper_80:Q",
                                                                   tooltip=fan_tip)
        centre = fan_base.mark_line(strokeWidth=2.5, strokeDash=[6, 4]).encode(y="point:Q", tooltip=fan_tip)
        start_at = fan[s.PERIOD_START].min()
        rule = alt.Chart(pd.DataFrame({s.PERIOD_START: [start_at]})).mark_rule(
            color=INK, strokeDash=[2, 2], opacity=0.7).encode(x=x)
        last = fan.sort_values(s.PERIOD_START).groupby(AREA, sort=False).tail(1)
        ends = last[last[AREA] == fan[AREA].iloc[0]]
        top = float(max(fan["upper_95"].max(), obs[s.VALUE].max(skipna=True),
                        obs[s.UPPER_95].max(skipna=True) if obs[s.UPPER_95].notna().any() else float("-inf")))
        labels = pd.DataFrame({  # one text layer: "Projection →" at the top, "80%/95% range" at the fan's end
            s.PERIOD_START: [start_at, *list(ends[s.PERIOD_START]) * 2],
            "y": [top, *list(ends["upper_80"]), *list(ends["upper_95"])],
            "label": ["Projection →", *["80% range"] * len(ends), *["95% range"] * len(ends)],
            "weight": ["bold", *["normal"] * (2 * len(ends))]})
        words = alt.Chart(labels).mark_text(align="left", baseline="middle", dx=6, fontSize=FONT_SIZE - 2,
                                            color=INK, fontWeight=alt.ExprRef("datum.weight")).encode(
            x=x, y="y:Q", text="label:N")
        layers = [band95, band80, *layers, centre, rule, words]

    chart = alt.layer(*layers).resolve_scale(color="shared").properties(
        width=width, height=height, description=description,
        title=alt.TitleParams(text=_wrap(title, TITLE_WRAP), subtitle=[*_wrap(subtitle), *_wrap(source)],
                              anchor="start"),
    )
    return theme_config(chart).configure_title(fontSize=FONT_SIZE + 6, subtitleFontSize=FONT_SIZE - 2,
                                               subtitleColor="#333333", anchor="start", color=INK,
                                               subtitlePadding=6, offset=14, limit=0)


def _wrap(text: str, width: int = SUBTITLE_WRAP) -> list[str]:
    """Split a subtitle line into lines of at most ``width`` characters (Vega truncates long lines)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def build_snapshot_chart(observed: pd.DataFrame, *, title: str, subtitle: str, source: str, unit: str,
                         description: str, comparator_kinds: dict[str, str], value_format: str = ",.1f",
                         width: int | str = "container") -> alt.LayerChart:
    """A one-period indicator as horizontal bars (zero-based, P3), one per area, with each published 95%
    interval as a whisker and the value written at the bar's end; comparators in their own colours.

    ``observed``: area, role, period_label, value, lower_95, upper_95 (one row per area).
    """
    rows = observed[observed[s.VALUE].notna()][[AREA, ROLE, s.PERIOD_LABEL, s.VALUE, s.LOWER_95, s.UPPER_95]].copy()
    order = list(dict.fromkeys(rows[AREA]))
    y = alt.Y(f"{AREA}:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=FONT_SIZE - 1))
    tip = [alt.Tooltip(f"{AREA}:N", title="Area"), alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Period"),
           alt.Tooltip(f"{s.VALUE}:Q", title=y_axis_title(unit), format=value_format),
           alt.Tooltip(f"{s.LOWER_95}:Q", title="95% interval from", format=value_format),
           alt.Tooltip(f"{s.UPPER_95}:Q", title="95% interval to", format=value_format)]
    base = alt.Chart(rows).encode(y=y)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X(f"{s.VALUE}:Q", title=y_axis_title(unit), scale=alt.Scale(zero=True)),
        color=alt.Color(f"{AREA}:N", scale=_colour_scale(rows, comparator_kinds), legend=None), tooltip=tip)
    whiskers = base.transform_filter(f"isValid(datum.{s.LOWER_95}) && isValid(datum.{s.UPPER_95})").mark_rule(
        color=INK, strokeWidth=2).encode(x=f"{s.LOWER_95}:Q", x2=f"{s.UPPER_95}:Q", tooltip=tip)
    labels = base.transform_calculate(  # written past the whisker, so the two never overlap
        label_x=f"isValid(datum.{s.UPPER_95}) && datum.{s.UPPER_95} > datum.{s.VALUE} ? datum.{s.UPPER_95} "
                f": datum.{s.VALUE}").mark_text(align="left", dx=6, fontSize=FONT_SIZE - 1, color=INK).encode(
        x="label_x:Q", text=alt.Text(f"{s.VALUE}:Q", format=value_format))
    chart = alt.layer(bars, whiskers, labels).properties(
        width=width, height={"step": 44}, description=description,
        title=alt.TitleParams(text=_wrap(title, TITLE_WRAP), subtitle=[*_wrap(subtitle), *_wrap(source)],
                              anchor="start"))
    return theme_config(chart).configure_title(fontSize=FONT_SIZE + 6, subtitleFontSize=FONT_SIZE - 2,
                                               subtitleColor="#333333", anchor="start", color=INK,
                                               subtitlePadding=6, offset=14, limit=0)
