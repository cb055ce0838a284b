"""Altair builders for the Scenarios page. Pure: build_* return charts, no st.* calls.

One chart shows the observed series, the baseline projection (with its 80% and 95% bands) and up to three
scenarios (each with its 80% band). Projections are dashed, observed data solid; every series also has its
own marker shape at each year's table row, so colour is never the only cue (A2). Fonts are projector-sized.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from insight.scenarios import LOWER_80, LOWER_95, POINT, UPPER_80, UPPER_95
from insight.schema import PERIOD_START, VALUE

OBSERVED = "Observed"
BASELINE = "Baseline projection"
OBSERVED_KIND, PROJECTED_KIND = "Solid: observed", "Dashed: projected"
INK = "#1A1A1A"
BASELINE_GREY = "#5A5A5A"
# Okabe-Ito, darkened where needed for >= 3:1 against white.
SCENARIO_COLOURS = ("#0072B2", "#C2410C", "#007A5E")
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross")
ILLUSTRATIVE_RED = "#B00020"
HEIGHT = 460
FONT = 18


def _line_rows(history: pd.DataFrame, baseline: pd.DataFrame,
               scenarios: Sequence[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    frames = [pd.DataFrame({PERIOD_START: history[PERIOD_START], "value": history[VALUE],
                            "series": OBSERVED, "kind": OBSERVED_KIND})]
    anchor = history.dropna(subset=[VALUE]).tail(1)
    joint = pd.DataFrame({PERIOD_START: anchor[PERIOD_START], "value": anchor[VALUE], "kind": PROJECTED_KIND})
    for name, frame in [(BASELINE, baseline), *scenarios]:
        part = pd.DataFrame({PERIOD_START: frame[PERIOD_START], "value": frame[POINT], "kind": PROJECTED_KIND})
        for column in (LOWER_80, UPPER_80):
            part[column] = frame[column].to_numpy()
        frames.append(pd.concat([joint, part], ignore_index=True).assign(series=name))
    return pd.concat(frames, ignore_index=True)


def _band_rows(frames: Sequence[tuple[str, pd.DataFrame]], lower: str, upper: str) -> pd.DataFrame:
    parts = [pd.DataFrame({PERIOD_START: f[PERIOD_START], "lower": f[lower], "upper": f[upper], "series": n})
             for n, f in frames]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=[PERIOD_START, "lower", "upper", "series"])


def _year_marks(lines: pd.DataFrame) -> pd.DataFrame:
    projected = lines[lines["kind"] == PROJECTED_KIND]
    last_in_year = projected.groupby(["series", projected[PERIOD_START].dt.year]).tail(1)
    return last_in_year[last_in_year[PERIOD_START] > lines.loc[lines["kind"] == OBSERVED_KIND, PERIOD_START].max()]


def build_scenario_chart(history: pd.DataFrame, baseline: pd.DataFrame,
                         scenarios: Sequence[tuple[str, pd.DataFrame]], *, title: str, subtitle: str,
                         unit: str, source_line: str, caveat: str, description: str,
                         illustrative: bool = False, value_format: str = ",.1f") -> alt.LayerChart:
    """Observed history, the baseline projection and up to three scenarios on one chart."""
    names = [name for name, _ in scenarios]
    domain = [OBSERVED, BASELINE, *names]
    colours = [INK, BASELINE_GREY, *SCENARIO_COLOURS[: len(names)]]
    legend = alt.Legend(orient="top", direction="horizontal", labelFontSize=FONT, symbolSize=260,
                        symbolOpacity=1, labelLimit=400, title=None)
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=colours), legend=legend)
    keyed_colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=colours), legend=legend)
    shape = alt.Shape("series:N", title=None, scale=alt.Scale(domain=domain, range=list(SHAPES[: len(domain)])),
                      legend=legend)
    x = alt.X(f"{PERIOD_START}:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", labelFontSize=FONT,
                                                              grid=False))
    y_title = unit[:1].upper() + unit[1:] if unit else "Value"
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False),
              axis=alt.Axis(labelFontSize=FONT, titleFontSize=FONT, format=",~f"))

    lines = _line_rows(history, baseline, scenarios)
    base95 = _band_rows([(BASELINE, baseline)], LOWER_95, UPPER_95)
    base80 = _band_rows([(BASELINE, baseline)], LOWER_80, UPPER_80)
    scen80 = _band_rows(list(scenarios), LOWER_80, UPPER_80)

    def band(data: pd.DataFrame, opacity: float) -> alt.Chart:
        return alt.Chart(data).mark_area(opacity=opacity).encode(
            x=x, y=alt.Y("lower:Q", title=y_title), y2="upper:Q", color=colour)

    tooltip = [alt.Tooltip(f"{PERIOD_START}:T", title="Period", format="%b %Y"),
               alt.Tooltip("series:N", title="Series"),
               alt.Tooltip("value:Q", title=y_title, format=value_format),
               alt.Tooltip(f"{LOWER_80}:Q", title="80% range from", format=value_format),
               alt.Tooltip(f"{UPPER_80}:Q", title="80% range to", format=value_format)]
    line = alt.Chart(lines).mark_line(strokeWidth=3.5).encode(
        x=x, y=y, color=colour, detail="series:N",
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=[OBSERVED_KIND, PROJECTED_KIND],
                                                            range=[[1, 0], [9, 5]]),
                                  legend=alt.Legend(orient="top", title=None, labelFontSize=FONT,
                                                    symbolStrokeWidth=4, symbolSize=400)),
        tooltip=tooltip)
    marks = alt.Chart(_year_marks(lines)).mark_point(size=140, filled=True, opacity=1).encode(
        x=x, y=y, color=keyed_colour, shape=shape, tooltip=tooltip)
    start = baseline[PERIOD_START].min()
    divider = alt.Chart(pd.DataFrame({PERIOD_START: [start], "label": ["Projection →"]}))
    rule = divider.mark_rule(color=BASELINE_GREY, strokeDash=[2, 3]).encode(x=x)
    rule_label = divider.mark_text(align="left", dx=6, fontSize=FONT - 2, color=BASELINE_GREY,
                                   baseline="bottom").encode(x=x, y=alt.value(HEIGHT - 6), text="label:N")
    footer = [alt.Chart(pd.DataFrame({"text": [note]})).mark_text(
        align="left", baseline="top", fontSize=15, color=INK, limit=1600).encode(
        x=alt.value(0), y=alt.value(HEIGHT + 40 + 22 * row), text="text:N")
        for row, note in enumerate([source_line, caveat])]
    layers: list[alt.Chart] = [band(base95, 0.08), band(base80, 0.16), band(scen80, 0.15), rule, rule_label,
                               line, marks, *footer]
    subtitle_lines = [subtitle]
    if illustrative:
        banner = alt.Chart(pd.DataFrame({"text": ["ILLUSTRATIVE DATA — NOT REAL"]})).mark_text(
            align="right", baseline="top", fontSize=FONT + 4, fontWeight="bold", color=ILLUSTRATIVE_RED).encode(
            x=alt.value({"expr": "width"}), y=alt.value(4), text="text:N")
        layers.append(banner)
        title = f"[Illustrative, not real] {title}"
    chart = alt.layer(*layers).resolve_scale(y="shared")
    return chart.properties(
        height=HEIGHT, width="container", description=description,
        title=alt.TitleParams(text=title, subtitle=subtitle_lines, anchor="start", fontSize=FONT + 8,
                              subtitleFontSize=FONT, color=INK, subtitleColor=INK, offset=12),
        padding={"left": 10, "right": 10, "top": 10, "bottom": 80},
    ).configure_view(strokeWidth=0).configure_axis(labelColor=INK, titleColor=INK)
