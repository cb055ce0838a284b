"""Signals and targets drawn on the Trends chart, and the control-chart (SPC) panels of a monthly series (pure).

A signal is marked the same way on every chart: its evidence points ringed in the direction's colour and shape
(◆ orange: getting worse, ■ blue: getting better, ▲ purple: neither; views/spc_chart.py uses the same), and the
words "Signal: getting worse" beside its latest point, so colour is never the only cue (A2). A target is a
labelled dashed line. The chart's description (its aria-label) says what is marked (A4).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from insight import literacy
from insight import schema as s
from insight.literacy import ChartGuide
from insight.signals import Assessment, Direction, SeriesInfo, Signal
from insight.targets import ALL_AREAS, Target
from views.attention import DIRECTION_SYMBOLS, DIRECTION_WORDS, SPC_SIGNAL_RULES, safe_words
from views.spc_chart import (
    COLOURS,
    CONCERN,
    IMPROVEMENT,
    MARKER,
    NEITHER,
    RULES,
    SHAPES,
    build_spc_chart,
    spc_points,
)

MARK_CATEGORY = {Direction.DETERIORATING: CONCERN, Direction.IMPROVING: IMPROVEMENT, Direction.NEITHER: NEITHER}
TARGET_COLOUR = "#00695C"  # 6.6:1 on white (A1), and unlike any area colour
MARK_SIZE = 420
SIGNAL_WORDS = {Direction.DETERIORATING: "getting worse", Direction.IMPROVING: "getting better",
                Direction.NEITHER: "neither better nor worse"}


@dataclass(frozen=True)
class ShownTarget:
    """A target drawn on a chart: the line, the series' unit, and the area it is for (None: every area)."""

    target: Target
    info: SeriesInfo
    area_name: str | None = None

    @property
    def label(self) -> str:
        """'Target: Council plan ceiling (at most 3.5%)', with the area when it is one area's."""
        where = f" for {self.area_name}" if self.area_name else ""
        return f"Target{where}: {self.target.label} ({self.target.wording} {self.info.fmt(self.target.value)})"


def shown_targets(targets: Sequence[Target], infos: Sequence[SeriesInfo]) -> tuple[ShownTarget, ...]:
    """The targets to draw for the chart's series: an all-areas target once, an area's own target with its name."""
    out: list[ShownTarget] = []
    seen: set[tuple[str, str, str]] = set()
    for info in infos:
        for target in targets:
            if not target.applies_to(info.indicator_id, info.area_code):
                continue
            key = (target.indicator_id, target.area_code, target.direction.value)
            if key in seen:
                continue
            seen.add(key)
            out.append(ShownTarget(target, info, None if target.area_code == ALL_AREAS else info.area_name))
    return tuple(out)


def _iso(stamp: pd.Timestamp) -> str:
    return pd.Timestamp(stamp).strftime("%Y-%m-%dT%H:%M:%S")


def _value_encodings(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The x and y encodings of the chart's observed line (None for a chart without one, e.g. a bar chart)."""
    for layer in spec.get("layer", []):
        mark = layer.get("mark", {})
        encoding = layer.get("encoding", {})
        if (mark.get("type") if isinstance(mark, dict) else mark) == "line" and \
                encoding.get("y", {}).get("field") == s.VALUE and "x" in encoding:
            return encoding["x"], encoding["y"]
    return None


def signal_rows(signals: Sequence[Signal]) -> list[dict[str, Any]]:
    """One row per evidence point of each signal (the first signal at a point decides its mark)."""
    rows: list[dict[str, Any]] = []
    taken: set[tuple[str, str]] = set()
    for signal in signals:
        last = len(signal.evidence) - 1
        for i, point in enumerate(signal.evidence):
            key = (signal.series.area_code, _iso(point.period_start))
            if key in taken:
                continue
            taken.add(key)
            rows.append({s.PERIOD_START: _iso(point.period_start), s.VALUE: float(point.value),
                         s.PERIOD_LABEL: point.period_label, "area": signal.series.area_name,
                         "direction": signal.direction.value, "rule": signal.rule_name,
                         "note": point.note or "part of the pattern",
                         "label": f"{DIRECTION_SYMBOLS[signal.direction]} Signal: {SIGNAL_WORDS[signal.direction]}"
                         if i == last else ""})
    return rows


def mark_chart(spec: dict[str, Any], signals: Sequence[Signal], targets: Sequence[ShownTarget] = ()) -> dict[str, Any]:
    """A copy of a trend chart's spec with ``signals`` marked on their evidence points and ``targets`` as lines."""
    encodings = _value_encodings(spec)
    if encodings is None or not (signals or targets):
        return spec
    x, y = encodings
    out = copy.deepcopy(spec)
    layers = out.setdefault("layer", [])
    rows = signal_rows(signals)
    for direction in Direction:
        mine = [r for r in rows if r["direction"] == direction.value]
        if not mine:
            continue
        category = MARK_CATEGORY[direction]
        tooltip = [{"field": "area", "title": "Area"}, {"field": s.PERIOD_LABEL, "title": "Period"},
                   {"field": s.VALUE, "title": y.get("title") or "Value", "format": ",.1f"},
                   {"field": "rule", "title": "Signal"}, {"field": "note", "title": "This point"}]
        layers.append({"data": {"values": mine}, "mark": {"type": "point", "filled": False, "size": MARK_SIZE,
                                                          "strokeWidth": 3, "opacity": 1,
                                                          "shape": SHAPES[category], "color": COLOURS[category]},
                       "encoding": {"x": x, "y": y, "tooltip": tooltip}})
        labelled = [r for r in mine if r["label"]]
        layers.append({"data": {"values": labelled}, "mark": {"type": "text", "dy": -24, "fontSize": 14,
                                                              "fontWeight": "bold", "color": COLOURS[category]},
                       "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}}})
    if targets:
        lines = [{"target": t.target.value, "label": t.label} for t in targets]
        y_target = {**y, "field": "target"}
        layers.append({"data": {"values": lines}, "mark": {"type": "rule", "strokeDash": [8, 3], "strokeWidth": 2,
                                                           "color": TARGET_COLOUR},
                       "encoding": {"y": y_target, "tooltip": [{"field": "label", "title": "Line"}]}})
        layers.append({"data": {"values": lines}, "mark": {"type": "text", "align": "left", "baseline": "bottom",
                                                           "dx": 4, "dy": -3, "fontSize": 14,
                                                           "color": TARGET_COLOUR},
                       "encoding": {"x": {"value": 4}, "y": y_target, "text": {"field": "label", "type": "nominal"}}})
    out["description"] = f"{spec.get('description', '')} {marks_sentence(signals, targets)}".strip()
    return out


def marks_sentence(signals: Sequence[Signal], targets: Sequence[ShownTarget] = ()) -> str:
    """What the marks on a chart are, in one or two sentences (the chart's description ends with it)."""
    parts = []
    if signals:
        words = "; ".join(f"{x.rule_name.lower()} ({SIGNAL_WORDS[x.direction]}) in {x.series.area_name}"
                          for x in signals)
        parts.append(f"Signal{'s' if len(signals) > 1 else ''} marked: {words}.")
    if targets:
        parts.append(" ".join(f"{t.label}." for t in targets))
    return " ".join(parts)


def signal_note(signal: Signal, targets: Sequence[Target] = ()) -> str:
    """The sentence shown by a marked chart: what fired, the rule and its caveat (Markdown; words typed for a
    target are quoted literally)."""
    finding, caveat = safe_words(signal, targets)
    return (f"{DIRECTION_SYMBOLS[signal.direction]} **Signal: {DIRECTION_WORDS[signal.direction].lower()}** — "
            f"{finding} *Rule:* {signal.rule_text} *Caveat:* {caveat}")


@dataclass(frozen=True)
class SpcPanel:
    """One area's control chart on the Trends page, or why it has none."""

    area_code: str
    area_name: str
    spec: dict[str, Any] | None
    note: str  # why there is no chart ('' when there is one)
    guide: ChartGuide | None
    table: pd.DataFrame | None
    signals: tuple[Signal, ...]


def spc_table(panel_points: pd.DataFrame) -> pd.DataFrame:
    """The control chart's points as a table (its 'view as table' alternative)."""
    return pd.DataFrame({"Period": panel_points[s.PERIOD_LABEL], "Value": panel_points[s.VALUE],
                         "Point": panel_points[MARKER], "Rules": panel_points[RULES]})


def spc_panel(assessment: Assessment, *, source_line: str) -> SpcPanel:
    """The control chart of one assessed series with its current SPC signals marked, its guide and table; or,
    for a series that does not qualify (too short, gaps, no variation), the reason in words."""
    info = assessment.series
    xmr = assessment.xmr
    if xmr is None:
        reason = assessment.reason or "No control chart: the series cannot be tested by SPC."
        return SpcPanel(info.area_code, info.area_name, None, f"{info.area_name}: {reason}", None, None, ())
    current = tuple(x for x in assessment.signals if x.rule in SPC_SIGNAL_RULES)
    chart = build_spc_chart(xmr, info, current, source_line=source_line)
    return SpcPanel(info.area_code, info.area_name, chart.to_dict(validate=False), "",
                    literacy.spc_chart_guide(info, xmr, assessment), spc_table(spc_points(xmr, info)), current)
