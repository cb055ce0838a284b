"""Charts for the printed committee packs, as SVG (vl-convert, offline) with the sentence each one states.

Pure: no st.* calls. A chart is a *picture* that its page draws at an exact size (``draw(width, height)``
returns a ``PackFigure``): axes, legend and labels included, at one SVG pixel per CSS pixel, with every label
at least 11 px (8.25 pt). Titles and findings are set in the HTML around the picture, as real text, so charts
here carry no title of their own. Long sentences have a compact printed form here (the projection's range,
the leak-free accuracy); the full wording stays on the dashboard and in the pack's notes.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from xml.sax.saxutils import escape

import pandas as pd
import vl_convert as vlc

from insight import narrative
from insight import priority as pri
from insight import profile as pr
from insight import schema as s
from insight.forecast import Backtest, Projection
from insight.forecast.models import NAIVE_LAST
from insight.formatting import format_value
from insight.loaders import Indicator
from insight.stats import RATING_STYLES, Rating
from views.pack_layout import CONTENT_WIDTH, MIN_FONT_PX, svg_size, text_width, wrap_words
from views.palette import ACCENT, INK
from views.profile_charts import build_spine_chart, locator_layout
from views.trend_charts import AREA, COMPARATOR, ROLE, SELECTED, build_trend_chart
from views.words import AreaWords

if TYPE_CHECKING:
    import altair as alt
else:
    from views.lazy_altair import alt

PRINT_FONT = "DejaVu Sans"
MUTED = "#4A5563"
NEGATIVE = "#5F6B7A"  # bars of measures that lower a score: grey, never a colour of need
METHOD_SHORT = {"prophet": "Prophet", "theta": "the Theta method", "naive_drift": "naive drift",
                "naive_last": "no change from the latest value", "combination": "a combination of four methods"}
_FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


@dataclass(frozen=True)
class PackFigure:
    """One drawn picture of a pack: SVG text, alt text and a caption (both plain text; the HTML escapes them)."""

    svg: str
    alt: str
    caption: str = ""

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in px, as the SVG declares them (the page prints it at exactly this size)."""
        return svg_size(self.svg)

    def img(self, css_class: str = "") -> str:
        """An <img> holding the SVG as a data URI at its own size (never scaled), with the alt text."""
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        cls = f' class="{css_class}"' if css_class else ""
        width, height = self.size
        return (f'<img{cls} src="data:image/svg+xml;base64,{data}" style="width:{width:g}px;height:{height:g}px" '
                f'alt="{escape(self.alt, {chr(34): "&quot;"})}">')


class Picture(Protocol):
    """A chart a page can draw at any size it decides."""

    @property
    def alt(self) -> str: ...

    def draw(self, width: int, height: int) -> PackFigure: ...


def print_text(spec: Any) -> Any:
    """Raise every font size a spec sets below the print minimum (11 px) to it, in place, and return it."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in _FONT_KEYS and isinstance(value, int | float) and value < MIN_FONT_PX:
                spec[key] = MIN_FONT_PX
            else:
                print_text(value)
    elif isinstance(spec, list):
        for item in spec:
            print_text(item)
    return spec


def to_svg(spec: Mapping[str, Any]) -> str:
    """A Vega-Lite spec as SVG, drawn in the print font with no default text below 11 px."""
    config = dict(spec.get("config", {}))
    config["font"] = PRINT_FONT
    for part in ("axis", "legend", "header"):
        config[part] = {"labelFontSize": MIN_FONT_PX, "titleFontSize": MIN_FONT_PX, **config.get(part, {})}
    config["text"] = {"fontSize": MIN_FONT_PX, **config.get("text", {})}
    # an end label never pushed onto its neighbour; labels closer than 6 px are thinned (every other year)
    config["axisX"] = {"labelFlush": False, "labelOverlap": True, "labelSeparation": 6, **config.get("axisX", {})}
    return vlc.vegalite_to_svg(print_text({**spec, "config": config}))


def without_title(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with its title removed (the HTML sets the title as text)."""
    return {k: v for k, v in spec.items() if k != "title"}


_OVERHEADS: dict[str, tuple[float, float]] = {}  # kind of chart -> the last axes-and-legend size seen (a guess)
WIDTH_SLACK = 8  # px a drawn chart may fall short of its column's width (never its height: 2 px at most)


@dataclass(frozen=True, eq=False)
class VegaPicture:
    """A Vega-Lite chart drawn to an exact outer size: its plot area is what the axes, legend and labels leave.
    Their size is measured on the first drawing and kept (and guessed from the last chart of the same
    ``kind``), so most drawings need one call of vl-convert."""

    spec: dict[str, Any]
    alt: str
    caption: str = ""
    rows: int = 0  # bars of a bar chart (its height is best a whole number of px per bar)
    kind: str = ""
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def draw(self, width: int, height: int) -> PackFigure:
        """The chart with its outer box ``width`` x ``height`` px: never larger, at most 2 px shorter and
        WIDTH_SLACK px narrower."""
        if (width, height) in self._memo:
            return self._memo[(width, height)]
        over_w, over_h = self._memo.get("overhead", _OVERHEADS.get(self.kind, (60.0, 40.0)))
        svg = ""
        for _ in range(4):
            plot_w, plot_h = max(math.floor(width - over_w), 40), max(math.floor(height - over_h), 30)
            svg = to_svg({**self.spec, "width": plot_w, "height": plot_h})
            got_w, got_h = svg_size(svg)
            over_w, over_h = got_w - plot_w, got_h - plot_h
            if width - WIDTH_SLACK <= got_w <= width and height - 2 <= got_h <= height:
                break
        self._memo["overhead"] = (over_w, over_h)
        if self.kind:
            _OVERHEADS[self.kind] = (over_w, over_h)
        figure = PackFigure(svg, self.alt, self.caption)
        self._memo[(width, height)] = figure
        return figure


# ---- trends ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendPanel:
    """One indicator's trend for a pack: finding (title), sentences and the chart."""

    indicator_id: str
    title: str
    story: str
    projection: str  # the likely range at the horizon, compact ("" without a projection)
    accuracy: str  # leak-free accuracy, compact (U6), "" without a projection
    caveats: tuple[str, ...]
    figure: VegaPicture
    method: str = ""  # the projection's method ("" without one)


def _pct(x: float) -> str:
    return f"{round(100 * x):.0f}%"


def _listing(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def compact_accuracy(backtest: Backtest | None, frequency: s.Frequency | str) -> str:
    """The leak-free accuracy of one projection in one or two sentences (the pack's notes say how the test
    works and what the shares mean): this series' errors as a share of the naive method's by horizon, and
    the pooled coverage of the ranges, each saying whether it is for this series or pooled."""
    if backtest is None or not backtest.origins:
        return "No leak-free test of this projection is available."
    unit = "year" if s.Frequency(frequency) == s.Frequency.ANNUAL else "month"
    origins = backtest.origins
    span = origins[0] if len(origins) == 1 else f"{origins[0]}–{origins[-1]}"
    lead = f"Leak-free test ({unit}s {span})"
    if not backtest.series_tested:
        own = f"{lead}: this series itself was not in the test."
    elif backtest.methods_used == NAIVE_LAST:
        own = f"{lead}: for this series the naive method was used at every point."
    else:
        parts = [(h, r, n) for h, r, n in zip(backtest.horizons, backtest.error_ratio, backtest.n_tests,
                                              strict=True) if math.isfinite(r)]
        if parts:
            shares = _listing([_pct(r) for _, r, _ in parts])
            ahead = _listing([str(h) for h, _, _ in parts])
            tests = _listing([str(n) for _, _, n in parts])
            plural = "s" if len(parts) > 1 or parts[0][0] != 1 else ""
            tested = "test" if len(parts) == 1 and parts[0][2] == 1 else "tests"
            own = (f"{lead}: this series' errors were {shares} of the naive method's {ahead} {unit}{plural} "
                   f"ahead ({tests} {tested}).")
        else:
            own = f"{lead}: no error of this series could be compared with the naive method's."
    if not backtest.pooled_n_cells:
        return own
    return (own + f" Pooled across {backtest.pooled_label}: 80% ranges held {_pct(backtest.pooled_coverage_80)} "
            f"and 95% ranges {_pct(backtest.pooled_coverage_95)} of {backtest.pooled_n_cells:,} outcomes.")


def compact_projection(projection: Projection, entry: Indicator) -> str:
    """The final projected period as a likely range, without repeating the measure and place (the panel's
    heading names them): 'If past trends continue, in 2028 it is likely between 62.1% and 70.3% (80% range;
    95% range 58.0% to 74.2%); central projection 66.2%, by naive drift.'"""
    final = projection.frame.iloc[-1]
    unit = narrative.text_unit(entry.unit)

    def fmt(column: str) -> str:
        return format_value(float(final[column]), unit, entry.value_type)

    when = str(final[s.PERIOD_LABEL]) if s.PERIOD_LABEL in projection.frame else \
        str(pd.Timestamp(final[s.PERIOD_START]).year)
    method = METHOD_SHORT.get(projection.method, projection.method)
    return (f"If past trends continue, in {when} it is likely between {fmt('lower_80')} and {fmt('upper_80')} "
            f"(80% range; 95% range {fmt('lower_95')} to {fmt('upper_95')}); central projection {fmt('point')}, "
            f"by {method}.")


def trend_panel(entry: Indicator, series: pd.DataFrame, area_code: str, comparators: Sequence[str],
                names: Mapping[str, str], comparator_kinds: Mapping[str, str], projection: Projection | None, *,
                history_years: int | None = None, also_chosen: Sequence[str] = ()) -> TrendPanel:
    """An area's series with its comparators and projection fan (views.trend_charts.build_trend_chart).

    ``series``: the observations of ``area_code``, ``also_chosen`` and ``comparators`` for the indicator;
    ``also_chosen``: further areas drawn as chosen ones (solid, each in its own colour, as on the Trends page;
    the title, story and projection stay ``area_code``'s); ``comparator_kinds``: comparator code -> "county" |
    "region" | "england" (line style)."""
    chosen = list(dict.fromkeys([area_code, *also_chosen]))
    order = [*chosen, *[c for c in comparators if c not in chosen]]
    obs = series[series[s.AREA_CODE].isin(order)].copy()
    if history_years is not None and not obs.empty:
        start = obs[s.PERIOD_START].max() - pd.DateOffset(years=history_years)
        obs = obs[obs[s.PERIOD_START] >= start]
    obs[AREA] = obs[s.AREA_CODE].map(names)
    obs[ROLE] = [SELECTED if c in chosen else COMPARATOR for c in obs[s.AREA_CODE]]
    obs["_order"] = obs[s.AREA_CODE].map({c: i for i, c in enumerate(order)})
    obs = obs.sort_values(["_order", s.PERIOD_START]).drop(columns="_order").reset_index(drop=True)
    name = names.get(area_code, area_code)
    own = obs[(obs[s.AREA_CODE] == area_code) & obs[s.VALUE].notna()]
    story = narrative.describe_trend(name, own, unit=entry.unit, value_type=entry.value_type,
                                     polarity=entry.polarity, frequency=entry.frequency, measure=entry.short_title)
    frames = pd.DataFrame()
    projection_text = accuracy = method = ""
    caveats: tuple[str, ...] = ()
    if projection is not None and not own.empty:
        frames = projection.frame.copy()
        frames[s.PERIOD_LABEL] = narrative.projected_labels(list(frames[s.PERIOD_START]), entry.frequency,
                                                            str(own[s.PERIOD_LABEL].iloc[-1]))
        frames[AREA] = name
        labelled = Projection(frames, projection.method, projection.backtest, projection.caveats)
        projection_text = compact_projection(labelled, entry)
        accuracy = compact_accuracy(projection.backtest, entry.frequency)
        caveats = projection.caveats
        method = projection.method
    title = narrative.chart_title(entry.short_title, name, story.marker, projected=not frames.empty)
    kinds = {names.get(code, code): kind for code, kind in comparator_kinds.items()
             if code in comparators and code not in chosen}
    first = str(own[s.PERIOD_LABEL].iloc[0]) if not own.empty else ""
    last = str(own[s.PERIOD_LABEL].iloc[-1]) if not own.empty else ""
    against = ", ".join(names.get(c, c) for c in order[len(chosen):])
    alt_text = (f"Line chart of {entry.short_title} ({entry.unit}) for {', '.join(names.get(c, c) for c in chosen)}"
                + (f" against {against}" if against else "") + f", {first} to {last}"
                + (f", with a projection and its 80% and 95% ranges to {frames[s.PERIOD_LABEL].iloc[-1]}"
                   if not frames.empty else "") + f". {story.sentence}")
    chart = build_trend_chart(obs, frames, title="", subtitle="", source="", unit=entry.unit,
                              description=alt_text, comparator_kinds=kinds,
                              value_format=",.0f" if entry.value_type == s.ValueType.COUNT else ",.1f",
                              width=400, height=200)
    spec = without_title(chart.to_dict(validate=False))
    spec["config"] = {**spec.get("config", {}),
                      "axis": {**spec.get("config", {}).get("axis", {}), "labelFontSize": 11, "titleFontSize": 11},
                      "legend": {**spec.get("config", {}).get("legend", {}), "labelFontSize": 11,
                                 "symbolSize": 220, "columnPadding": 14,
                                 "columns": 4}}  # in rows of four: seven areas in one row ran off the page
    one_text_size(spec)
    _projection_label_left(spec)
    return TrendPanel(entry.indicator_id, title, story.sentence, projection_text, accuracy, caveats,
                      VegaPicture(spec, alt_text, f"{entry.title} ({entry.unit}). {entry.source_line}", kind="trend"),
                      method)


def _projection_label_left(spec: dict[str, Any]) -> None:
    """Set the 'Projection →' label left of the rule where the projection starts, above the data: in a
    narrow print chart it would otherwise run into the '95% range' label at the fan's end."""
    first = "datum.weight == 'bold'"
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text" and mark.get("fontWeight") == {"expr": "datum.weight"}:
            mark.update(align={"expr": f"{first} ? 'right' : 'left'"}, dx={"expr": f"{first} ? -4 : 4"},
                        baseline={"expr": f"{first} ? 'bottom' : 'middle'"})


def one_text_size(spec: Any, size: int = MIN_FONT_PX) -> Any:
    """Set every font size a spec holds to ``size``, in place (a projector-sized chart, printed), and return
    it."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in _FONT_KEYS and isinstance(value, int | float):
                spec[key] = size
            else:
                one_text_size(value, size)
    elif isinstance(spec, list):
        for item in spec:
            one_text_size(item, size)
    return spec


# ---- priority ------------------------------------------------------------------------------------------

def map_aspect(boundaries: Mapping[str, Any]) -> float:
    """Height over width of the boundaries' Mercator outline (a map drawn at this ratio has no blank bands)."""
    layout = locator_layout(dict(boundaries), width=1000)
    return layout.height / layout.width


def priority_map(boundaries: Mapping[str, Any], classes: Mapping[str, str], focus: str | None,
                 names: Mapping[str, str], words: AreaWords) -> VegaPicture:
    """The small areas coloured by priority class (grey: not ranked), the focus area outlined in ink."""
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
    chart = alt.layer(*layers).project("mercator").properties(width=400, height=300).configure_view(
        strokeWidth=0)
    counts = pd.Series(list(classes.values())).value_counts()
    summary = "; ".join(f"{name}: {int(counts.get(name, 0))}" for name in domain if counts.get(name, 0))
    focus_text = f" {names.get(focus, focus)} is outlined in black, in the class {classes.get(focus, pri.NOT_RANKED)}." \
        if focus else ""
    alt_text = f"Map of the {len(features)} {words.plural} coloured by priority class ({summary}).{focus_text}"
    spec = chart.to_dict(validate=False)
    spec["padding"] = 0
    return VegaPicture(spec, alt_text, kind="map")


def contribution_figure(contributions: pd.Series, weights: Mapping[str, float], titles: Mapping[str, str],
                        name: str) -> VegaPicture:
    """Each measure's signed contribution to one area's score (zero-based bars): positive adds need,
    negative lowers it; a measure the area has no value for is left out (never imputed)."""
    values = contributions.dropna()
    rows: list[dict[str, Any]] = [
        {"measure": titles.get(str(i), str(i)), "contribution": round(float(v), 4),
         "weight": f"{weights.get(str(i), 0):.0%}", "direction": "adds to need" if v > 0 else "lowers need"}
        for i, v in values.items()]
    rows.sort(key=lambda r: -r["contribution"])
    label_width = max((text_width(r["measure"], MIN_FONT_PX) for r in rows), default=60)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": rows}, "width": 300, "height": 200,
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"x": {"field": "contribution", "type": "quantitative", "scale": {"zero": True},
                                "title": "Contribution to the priority score"},
                          "y": {"field": "measure", "type": "nominal", "sort": None, "title": None,
                                "axis": {"labelLimit": math.ceil(label_width) + 4}},
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
    return VegaPicture(spec, alt_text, rows=len(rows), kind="contributions")


# ---- spine, locator, IMD trend ------------------------------------------------------------------

SPINE_FONT = 11
SPINE_LABEL_WRAP = 160  # px: a longer label is set on two lines
SPINE_MIN_SPINE = 130  # px: the narrowest spine (the bar itself) the columns may leave
SPINE_LINE = 12  # px between the lines of a two-line label
SPINE_MIN_ROW, SPINE_MAX_ROW = 20, 40  # px per row (26 at least when a label takes two lines)


@dataclass(frozen=True, eq=False)
class SpinePicture:
    """The profile's spine chart (views.profile_charts.build_spine_chart) for print: every column as wide as
    its widest entry at 11 px, long labels on two lines, ranks without the repeated 'of 70' (the column
    header says it), drawn ``rows`` rows of any height from ``min_row`` to SPINE_MAX_ROW px."""

    frame: pd.DataFrame
    name: str
    comparator: str
    words: AreaWords
    alt: str
    widths: dict[str, int]
    value_header: str
    rows: int
    min_row: int
    width: int = CONTENT_WIDTH
    caption: str = ""
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def _spec(self, row_height: int) -> dict[str, Any]:
        chart = build_spine_chart(self.frame, division_name=self.name, comparator_name=self.comparator,
                                  words=self.words, row_height=row_height, font_size=SPINE_FONT,
                                  widths=self.widths)
        spec = chart.to_dict(validate=False)
        spec["padding"] = {"left": 0, "right": 2, "top": 2, "bottom": 2}
        for layer in spec.get("layer", []):
            mark = layer.get("mark", {})
            if mark.get("type") == "text":
                mark["lineBreak"] = "\n"
                mark["lineHeight"] = SPINE_LINE
                mark.pop("limit", None)
                mark["fontSize"] = max(float(mark.get("fontSize", SPINE_FONT)), MIN_FONT_PX)
                shown = layer.get("encoding", {}).get("text", {}).get("field")
                if shown:  # a two-line label is centred on its row, as a one-line label is
                    mark["dy"] = {"expr": f"indexof(datum['{shown}'], '\\n') >= 0 ? {-SPINE_LINE / 2} : 0"}
        for row in spec["data"]["values"]:
            if row.get("kind") == "indicator":
                row[s.SHORT_TITLE] = "\n".join(wrap_words(str(row[s.SHORT_TITLE]), SPINE_LABEL_WRAP, SPINE_FONT))
                row[pr.RANK_TEXT] = _short_rank(str(row[pr.RANK_TEXT]), self.words.count)
                if row.get(pr.RATING) == Rating.NOT_COMPARED.value:  # no symbol: the words are the widest
                    row["rating_label"] = RATING_STYLES[Rating.NOT_COMPARED].word
            elif row.get("kind") == "header" and row.get("x") == self.widths["label"] + self.widths["spine"] + \
                    self.widths["gap"]:
                row["label"] = self.value_header
            elif row.get("kind") == "header" and row.get("x") in (self.widths["label"],
                                                                   self.widths["label"] + self.widths["spine"]):
                row["label"] = "\n".join(wrap_words(str(row["label"]), self.widths["spine"] / 2 - 4, SPINE_FONT,
                                                     bold=True))
        return spec

    def height_for(self, row_height: int) -> int:
        """The picture's height with rows of ``row_height`` px."""
        if "extra" not in self._memo:
            svg = to_svg(self._spec(self.min_row))
            self._memo["extra"] = svg_size(svg)[1] - self.rows * self.min_row
        return int(math.ceil(self.rows * row_height + self._memo["extra"]))

    @property
    def low(self) -> int:
        return self.height_for(self.min_row)

    @property
    def high(self) -> int:
        return self.height_for(SPINE_MAX_ROW)

    def draw(self, width: int, height: int) -> PackFigure:  # noqa: ARG002 - the width is the columns'
        row = max(self.min_row, min(SPINE_MAX_ROW, self.min_row + (height - self.low) // self.rows))
        if row not in self._memo:
            self._memo[row] = PackFigure(to_svg(self._spec(row)), self.alt, self.caption)
        return self._memo[row]


def _short_rank(text: str, count: int) -> str:
    """'46th highest of 70' -> '46th highest' (the column header reads 'Rank (of 70)')."""
    return re.sub(rf"\s+of\s+{count}$", "", text)


def spine_picture(frame: pd.DataFrame, *, name: str, comparator: str, words: AreaWords,
                  width: int = CONTENT_WIDTH) -> SpinePicture:
    """The print spine chart of one area's profile, its columns sized from the words they hold."""
    size = SPINE_FONT

    def widest(values: Sequence[str], bold: bool = False) -> float:
        return max((text_width(str(v), size, bold=bold) for v in values), default=0.0)

    titles = list(frame[s.SHORT_TITLE].astype(str))
    label = min(widest(titles), SPINE_LABEL_WRAP)
    wrapped = any(text_width(t, size) > SPINE_LABEL_WRAP for t in titles)
    values = list(frame[pr.VALUE_TEXT].astype(str))
    value_col = widest(values) + 10
    header = name if text_width(name, size, bold=True) + 8 <= max(value_col, 90) else words.word.capitalize()
    value_col = max(value_col, text_width(header, size, bold=True) + 8)
    county_col = max(widest(list(frame[pr.COMPARATOR_TEXT].astype(str))),
                     text_width(comparator, size, bold=True)) + 10
    ranks = [_short_rank(str(r), words.count) for r in frame[pr.RANK_TEXT]]
    rank_col = max(widest(ranks), text_width(f"Rank (of {words.count})", size, bold=True)) + 10
    ratings = [style.word if rating is Rating.NOT_COMPARED else f"{style.symbol} {style.word}"
               for rating, style in RATING_STYLES.items()]
    rating_col = max(widest(ratings, bold=True) + 14, text_width(f"v {comparator}", size, bold=True) + 6)
    widths = {"label": math.ceil(label + 16), "gap": 10, "value": math.ceil(value_col),
              "county": math.ceil(county_col), "rank": math.ceil(rank_col), "rating": math.ceil(rating_col)}
    widths["spine"] = max(SPINE_MIN_SPINE, width - 4 - sum(widths.values()))
    rows = len(frame) + frame[s.THEME].nunique() + 1
    chart = build_spine_chart(frame, division_name=name, comparator_name=comparator, words=words)
    alt_text = str(chart.to_dict(validate=False).get("description", ""))
    return SpinePicture(frame, name, comparator, words, alt_text, widths, header, rows,
                        26 if wrapped else SPINE_MIN_ROW, width)


def spine_figure(spec: Mapping[str, Any], alt_text: str) -> PackFigure:
    """A spine chart spec (views.profile_charts.build_spine_chart) drawn as it is."""
    return PackFigure(to_svg(dict(spec)), alt_text)


def locator_figure(svg: str, division_name: str, words: AreaWords) -> PackFigure:
    """The static locator map (views.profile_charts.build_locator_svg) as a pack figure."""
    return PackFigure(svg, f"Locator map: {division_name} highlighted among {words.council}'s {words.plural}"
                           f"{words.boundary_note}.")


def imd_figure(rows: pd.DataFrame, order: Sequence[str], division_name: str) -> VegaPicture:
    """The IMD rank percentile by edition for the area, its district and the council (100 = least deprived)."""
    data = rows[rows[s.VALUE].notna()].copy()
    data["order"] = data["area_label"].map({n: i for i, n in enumerate(order)})
    data[s.PERIOD_START] = data[s.PERIOD_START].dt.strftime("%Y-%m-%d")
    colours = [ACCENT, "#B04A00", "#5F6B7A"][:len(order)]
    dashes = [[1, 0], [6, 3], [2, 2]][:len(order)]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": data[["area_label", "order", s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]].to_dict("records")},
        "width": 520, "height": 200,
        "mark": {"type": "line", "point": True, "strokeWidth": 2.5},
        "encoding": {
            "x": {"field": s.PERIOD_START, "type": "temporal", "title": None, "axis": {"format": "%Y"}},
            "y": {"field": s.VALUE, "type": "quantitative", "title": "Rank percentile",
                  "scale": {"zero": False, "nice": True}},
            "color": {"field": "area_label", "type": "nominal", "sort": list(order), "title": None,
                      "scale": {"domain": list(order), "range": colours}, "legend": {"orient": "right"}},
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
    return VegaPicture(spec, alt_text, kind="imd")


def value_text(value: float, entry: Indicator) -> str:
    """A value in the indicator's unit ('no data' when missing)."""
    return "no data" if value is None or (isinstance(value, float) and math.isnan(value)) else \
        format_value(float(value), entry.unit, entry.value_type)
