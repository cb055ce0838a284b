"""The SPC (control) chart as a pure Altair builder: points, average, process limits, signals marked.

Layers, bottom to top: the process limits (dashed) and the average (solid) with their labels, the line through
the points, and the points themselves. Each point's marker says what it is by shape *and* colour (A2):
common cause (grey circle), special cause of concern (orange diamond), special cause of improvement (blue
square), special cause with no good or bad direction (purple triangle). The chart's description (its
aria-label) states the finding; the title is the finding in ten words or fewer and the subtitle gives the
measure, area, period, baseline, any illustrative label and the source line (P1, P2, A4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from insight import schema as s
from insight.signals import Direction, SeriesInfo, Signal, direction_for
from insight.spc import PERIOD_WORDS, SpcRule, XmR

if TYPE_CHECKING:
    import altair as alt
else:
    from views.lazy_altair import alt

COMMON = "Common cause"
CONCERN = "Special cause: concern"
IMPROVEMENT = "Special cause: improvement"
NEITHER = "Special cause: neither better nor worse"
CATEGORIES = (COMMON, CONCERN, IMPROVEMENT, NEITHER)
# Colours >= 3:1 against white (A1); shapes differ too, so colour is never the only cue (A2).
COLOURS = {COMMON: "#767676", CONCERN: "#B04A00", IMPROVEMENT: "#1D5A9E", NEITHER: "#5B3A8E"}
SHAPES = {COMMON: "circle", CONCERN: "diamond", IMPROVEMENT: "square", NEITHER: "triangle-up"}
_BY_DIRECTION = {Direction.DETERIORATING: CONCERN, Direction.IMPROVING: IMPROVEMENT, Direction.NEITHER: NEITHER}
INK = "#1A1A1A"
LIMIT_COLOUR = "#595959"
FONT_SIZE = 16
RULE_WORDS = {SpcRule.BEYOND_LIMITS: "outside the limits", SpcRule.TWO_OF_THREE: "two of three near a limit",
              SpcRule.RUN: "run on one side of the average", SpcRule.TREND: "run of rises or falls"}
MARKER, RULES = "marker", "rules"


def spc_points(xmr: XmR, info: SeriesInfo) -> pd.DataFrame:
    """One row per point: period, value, marker category and the rules it is part of (strongest first)."""
    frame = xmr.frame[[s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]].copy().reset_index(drop=True)
    order = list(SpcRule)
    found: dict[int, list[tuple[int, str, str]]] = {}
    for episode in xmr.episodes:
        category = _BY_DIRECTION[direction_for(episode.side, info.polarity)]
        for row in episode.rows:
            found.setdefault(row, []).append((order.index(episode.rule), RULE_WORDS[episode.rule], category))
    markers, rules = [], []
    for row in range(len(frame)):
        hits = sorted(set(found.get(row, [])))
        markers.append(hits[0][2] if hits else COMMON)
        rules.append("; ".join(dict.fromkeys(h[1] for h in hits)) or "none")
    frame[MARKER] = markers
    frame[RULES] = rules
    return frame


def spc_title(xmr: XmR, info: SeriesInfo, signals: tuple[Signal, ...]) -> str:
    """The finding in ten words or fewer (P1)."""
    _, many = PERIOD_WORDS[xmr.cadence]
    if signals:
        return f"{info.title}: special cause in recent {many}"
    if xmr.episodes:
        return f"{info.title}: no special cause in recent {many}"
    return f"{info.title}: only normal ups and downs"


def spc_description(xmr: XmR, info: SeriesInfo, signals: tuple[Signal, ...]) -> str:
    """The chart's main finding as sentences (its aria-label, A4)."""
    labels = xmr.frame[s.PERIOD_LABEL].astype(str)
    head = (f"Control chart of {info.name}, {labels.iloc[0]} to {labels.iloc[-1]}: average {info.fmt(xmr.mean)}, "
            f"process limits {info.fmt(xmr.lower_limit)} to {info.fmt(xmr.upper_limit)}, from {xmr.baseline_text}.")
    if signals:
        lead = signals[0].finding.split(": ", 1)[-1]
        more = f" {len(signals) - 1} more recent signal{'s' if len(signals) > 2 else ''}." if len(signals) > 1 else ""
        return f"{head} Recent special cause ({signals[0].direction.value}): {lead}{more}"
    if xmr.episodes:
        return f"{head} {len(xmr.episodes)} earlier special-cause pattern(s); none in the latest periods."
    return f"{head} Every point is common-cause variation: no rule fired."


def build_spc_chart(xmr: XmR, info: SeriesInfo, signals: tuple[Signal, ...] = (), *, source_line: str,
                    width: int | str = "container", height: int = 380) -> alt.LayerChart:
    """The control chart of one series; ``signals`` are its current signals (insight.signals.spc_signals)."""
    points = spc_points(xmr, info)
    labels = xmr.frame[s.PERIOD_LABEL].astype(str)
    x = alt.X(f"{s.PERIOD_START}:T", title=None, axis=alt.Axis(format="%b %Y", labelFontSize=FONT_SIZE - 2))
    y_title = "Per cent (%)" if info.unit.strip() == "%" else info.unit
    y = alt.Y(f"{s.VALUE}:Q", title=y_title, scale=alt.Scale(zero=False))
    domain = [c for c in CATEGORIES if c in set(points[MARKER])]
    legend = alt.Legend(title=None, orient="bottom", labelFontSize=FONT_SIZE - 2, symbolSize=160, labelLimit=320)
    tooltip = [alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Period"),
               alt.Tooltip(f"{s.VALUE}:Q", title=y_title, format=",.1f"),
               alt.Tooltip(f"{MARKER}:N", title="Point"), alt.Tooltip(f"{RULES}:N", title="Rules")]
    line = alt.Chart(points).mark_line(color=LIMIT_COLOUR, strokeWidth=1.5).encode(x=x, y=y)
    dots = alt.Chart(points).mark_point(filled=True, size=90, opacity=1).encode(
        x=x, y=y,
        color=alt.Color(f"{MARKER}:N", scale=alt.Scale(domain=domain, range=[COLOURS[c] for c in domain]),
                        legend=legend),
        shape=alt.Shape(f"{MARKER}:N", scale=alt.Scale(domain=domain, range=[SHAPES[c] for c in domain]),
                        legend=legend),
        tooltip=tooltip,
    )
    levels = pd.DataFrame({"y": [xmr.upper_limit, xmr.mean, xmr.lower_limit],
                           "label": ["Upper process limit", "Average", "Lower process limit"],
                           "dash": ["limit", "average", "limit"],
                           s.PERIOD_START: [points[s.PERIOD_START].max()] * 3})
    rules = alt.Chart(levels).mark_rule(strokeWidth=2).encode(
        y="y:Q",
        strokeDash=alt.StrokeDash("dash:N", scale=alt.Scale(domain=["average", "limit"], range=[[1, 0], [6, 4]]),
                                  legend=None),
        color=alt.value(INK),
        tooltip=[alt.Tooltip("label:N", title="Line"), alt.Tooltip("y:Q", title=y_title, format=",.1f")])
    words = alt.Chart(levels).mark_text(align="right", baseline="bottom", dy=-3, fontSize=FONT_SIZE - 3,
                                        color=INK).encode(x=x, y="y:Q", text="label:N")
    subtitle = [f"{y_title}, {info.area_name}, {labels.iloc[0]} to {labels.iloc[-1]}. Average and limits from "
                f"{xmr.baseline_text}{' (provisional)' if xmr.provisional else ''}."]
    if info.illustrative:
        subtitle.append("Illustrative — not real data.")
    subtitle.append(source_line)
    chart = alt.layer(rules, words, line, dots).properties(
        width=width, height=height, description=spc_description(xmr, info, signals),
        title=alt.TitleParams(text=spc_title(xmr, info, signals), subtitle=subtitle, anchor="start"))
    return chart.configure_axis(labelFontSize=FONT_SIZE - 2, titleFontSize=FONT_SIZE, labelColor=INK,
                                titleColor=INK).configure_title(
        fontSize=FONT_SIZE + 4, subtitleFontSize=FONT_SIZE - 2, anchor="start", color=INK, subtitleColor="#333333")
