"""Chart builders for the Division profile. Pure: build_* return Altair charts (or SVG text), no st.* calls."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import pandas as pd

from insight import profile as pr
from insight import schema as s
from insight.stats import RATING_STYLES, Rating
from views.palette import ACCENT, INK
from views.words import AreaWords

if TYPE_CHECKING:
    import altair as alt
else:
    from views.lazy_altair import alt

RANGE_GREY = "#E3E6EA"
IQR_GREY = "#AEB5BE"
MUTED = "#5F6B7A"
LINE_ORDER_COLOURS = [ACCENT, "#B04A00", "#5F6B7A"]  # district/division, county, England: blue, orange, grey
LINE_DASHES = [[1, 0], [6, 3], [2, 2]]
LINE_ORDER = "line_order"  # 0 division (or district), 1 district (or county), 2 county (or England)


SPINE_COLUMNS = {"label": 292, "spine": 246, "gap": 12, "value": 94, "county": 90, "rank": 146, "rating": 124}


def _spine_rows(profile: pd.DataFrame, widths: dict[str, int], division_name: str,
                comparator_name: str, words: AreaWords) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Column headers (row 0), then one row per theme header and per indicator, with every x position in
    pixels; JSON-ready records (missing values are None)."""
    left = widths["label"]
    right = left + widths["spine"]
    cols = {"spine_left": left, "spine_right": right, "value": right + widths["gap"]}
    cols["county"] = cols["value"] + widths["value"]
    cols["rank"] = cols["county"] + widths["county"]
    cols["rating"] = cols["rank"] + widths["rank"]
    cols["end"] = cols["rating"] + widths["rating"]
    records = []
    theme = None
    indicators = profile.sort_values([s.THEME, s.SHORT_TITLE], kind="mergesort").to_dict("records")
    for row in indicators:  # plain dicts: this runs on each division's first visit
        if row[s.THEME] != theme:
            theme = row[s.THEME]
            records.append({"kind": "theme", s.SHORT_TITLE: str(theme).capitalize()})
        style = RATING_STYLES[Rating(row[pr.RATING])]
        rec = {"kind": "indicator", **{k: row[k] for k in (
            s.INDICATOR_ID, s.SHORT_TITLE, s.PERIOD_LABEL, pr.VALUE_TEXT, pr.COMPARATOR_TEXT, pr.RANK_TEXT,
            pr.RATING)}}
        for key, pos in (("x_value", pr.POS_VALUE), ("x_county", pr.POS_COMPARATOR), ("x_p25", pr.POS_P25),
                         ("x_median", pr.POS_MEDIAN), ("x_p75", pr.POS_P75)):
            value = row[pos]
            rec[key] = None if pd.isna(value) else left + float(value) * widths["spine"]
        rec.update(fill=style.fill, ink=style.text, rating_label=f"{style.symbol} {style.word}",
                   ends="lowest to highest" if row[s.POLARITY] == s.Polarity.NEITHER else "worst to best")
        records.append(rec)
    header = [
        {"x": cols["spine_left"], "label": "Worst / lowest", "align": "left"},
        {"x": cols["spine_right"], "label": "Best / highest", "align": "right"},
        {"x": cols["value"], "label": division_name if len(division_name) <= 10 else words.word.capitalize(),  # longer: runs into the next header
         "align": "left"},
        {"x": cols["county"], "label": comparator_name, "align": "left"},
        {"x": cols["rank"], "label": f"Rank (of {words.count})", "align": "left"},
        {"x": cols["rating"], "label": f"v {comparator_name}", "align": "left"},
    ]
    rows = [{**h, "row": 0, "kind": "header"} for h in header]
    rows += [{**r, "row": i} for i, r in enumerate(records, start=1)]
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in rows], cols


def spine_values(profile: pd.DataFrame, *, division_name: str, comparator_name: str, words: AreaWords,
                 widths: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """The spine chart's data rows (JSON-ready: missing values are None)."""
    return _spine_rows(profile, {**SPINE_COLUMNS, **(widths or {})}, division_name, comparator_name, words)[0]


def spine_ratings(profile: pd.DataFrame) -> str:
    """How many of a division's indicators have each rating: '0 better, 4 similar, 1 worse, 5 higher, 2 lower;
    9 not compared'."""
    counts = profile[pr.RATING].value_counts()
    summary = ", ".join(f"{counts.get(r.value, 0)} {r.value.lower()}" for r in
                        (Rating.BETTER, Rating.SIMILAR, Rating.WORSE, Rating.HIGHER, Rating.LOWER))
    return f"{summary}; {counts.get(Rating.NOT_COMPARED.value, 0)} not compared"


def _spine_description(profile: pd.DataFrame, division_name: str, comparator_name: str, words: AreaWords) -> str:
    return (f"Spine chart of {len(profile)} indicators for {division_name} against {words.all_of_them} and "
            f"{comparator_name}: {spine_ratings(profile)}.")


def spine_spec_for(template: dict[str, Any], profile: pd.DataFrame, *, division_name: str,
                   comparator_name: str, words: AreaWords, widths: dict[str, int] | None = None) -> dict[str, Any] | None:
    """Another division's spine chart from a cached spec of the same layout: only the data and the
    description change (about 100 times faster than building the chart). None if the layout differs."""
    values = spine_values(profile, division_name=division_name, comparator_name=comparator_name, words=words,
                          widths=widths)
    if template.get("usermeta", {}).get("rows") != max(v["row"] for v in values) + 1:
        return None
    spec = {key: value for key, value in template.items() if key != "datasets"}
    spec["data"] = {"values": values}
    spec["description"] = _spine_description(profile, division_name, comparator_name, words)
    return spec


def build_spine_chart(profile: pd.DataFrame, *, division_name: str, comparator_name: str, words: AreaWords,
                      row_height: int = 34, font_size: int = 16,
                      widths: dict[str, int] | None = None) -> alt.LayerChart:
    """Fingertips-style spine chart, indicators grouped by theme, in one aligned layer.

    Each row: the range of the 70 divisions (light grey; worst - or lowest, for measures that are
    neither good nor bad - on the left), the middle half (25th to 75th percentile, darker grey), the
    median (white line), the county (black bar) and the division (circle filled by its rating against
    the county); then the division's value, the county's value, its rank and the rating in words.
    """
    widths = {**SPINE_COLUMNS, **(widths or {})}
    values, cols = _spine_rows(profile, widths, division_name, comparator_name, words)
    n_rows = max(v["row"] for v in values) + 1
    x_scale = alt.Scale(domain=[0, cols["end"]], range=[0, cols["end"]], nice=False, zero=False)
    y = alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(0, n_rows)), paddingInner=0, paddingOuter=0))

    def xq(field: str) -> alt.X:
        return alt.X(f"{field}:Q", scale=x_scale, axis=None)

    base = alt.Chart().encode(y=y)
    marks = base.transform_filter("datum.kind == 'indicator'")
    text: dict[str, Any] = {"fontSize": font_size, "color": INK, "baseline": "middle"}
    tooltip = [alt.Tooltip(f"{s.SHORT_TITLE}:N", title="Indicator"),
               alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Period"),
               alt.Tooltip(f"{pr.VALUE_TEXT}:N", title="Division"),
               alt.Tooltip(f"{pr.COMPARATOR_TEXT}:N", title=comparator_name),
               alt.Tooltip(f"{pr.RANK_TEXT}:N", title="Rank"),
               alt.Tooltip(f"{pr.RATING}:N", title=f"v {comparator_name} (95% confidence)"),
               alt.Tooltip("ends:N", title="Scale, left to right")]
    header_layers = [
        base.transform_filter(f"datum.kind == 'header' && datum.align == '{a}'").mark_text(
            align=a, fontWeight="bold", fontSize=font_size - 1, color=INK, baseline="middle").encode(
            x=xq("x"), text="label:N")
        for a in ("left", "right")]
    layers = [
        *header_layers,
        base.transform_filter("datum.kind == 'theme'").mark_text(
            align="left", fontWeight="bold", **{**text, "fontSize": font_size + 1}).encode(
            x=alt.value(0), text=f"{s.SHORT_TITLE}:N"),
        marks.mark_text(align="right", limit=cols["spine_left"] - 14, **text).encode(x=alt.value(cols["spine_left"] - 10),
                                                      text=f"{s.SHORT_TITLE}:N"),
        marks.mark_rect(color=RANGE_GREY, height=row_height * 0.5).encode(
            x=alt.value(cols["spine_left"]), x2=alt.value(cols["spine_right"])),
        marks.mark_rect(color=IQR_GREY, height=row_height * 0.5).encode(x=xq("x_p25"), x2="x_p75:Q"),
        marks.mark_tick(color="white", thickness=2, size=row_height * 0.5).encode(x=xq("x_median")),
        marks.mark_tick(color=INK, thickness=3, size=row_height * 0.8).encode(x=xq("x_county"), tooltip=tooltip),
        marks.mark_circle(size=row_height * 7, opacity=1, stroke=INK, strokeWidth=1.5).encode(
            x=xq("x_value"), color=alt.Color("fill:N", scale=None), tooltip=tooltip),
        marks.mark_text(align="left", **text).encode(x=alt.value(cols["value"]), text=f"{pr.VALUE_TEXT}:N"),
        marks.mark_text(align="left", **text).encode(x=alt.value(cols["county"]), text=f"{pr.COMPARATOR_TEXT}:N"),
        marks.mark_text(align="left", **text).encode(x=alt.value(cols["rank"]), text=f"{pr.RANK_TEXT}:N"),
        marks.mark_rect(height=row_height * 0.78, stroke="#8A939E", strokeWidth=0.75).encode(
            x=alt.value(cols["rating"]), x2=alt.value(cols["end"] - 4), color=alt.Color("fill:N", scale=None),
            tooltip=tooltip),
        marks.mark_text(align="center", fontWeight="bold", baseline="middle", fontSize=font_size - 1).encode(
            x=alt.value((cols["rating"] + cols["end"] - 4) / 2), text="rating_label:N",
            color=alt.Color("ink:N", scale=None)),
    ]
    return alt.layer(*layers, data=alt.Data(values=values)).properties(
        width=cols["end"], height=row_height * n_rows, usermeta={"rows": n_rows},
        description=_spine_description(profile, division_name, comparator_name, words),
    ).configure_view(strokeWidth=0)


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


LOCATOR_UNITS = 2  # path units per pixel: coordinates are whole half-pixels


def _compact_ring(pixels: list[tuple[float, float]]) -> str:
    """One ring as a short SVG path: whole half-pixel points, each after the first as a relative step, steps
    that round to nothing dropped (about half the bytes of absolute one-decimal coordinates)."""
    points = [(round(x * LOCATOR_UNITS), round(y * LOCATOR_UNITS)) for x, y in pixels]
    if not points:
        return ""
    steps, (px, py) = [], points[0]
    for x, y in points[1:]:
        if (x, y) != (px, py):
            steps.append(f"{x - px},{y - py}")
            px, py = x, y
    return f"M{points[0][0]},{points[0][1]}" + ("l" + " ".join(steps) if steps else "") + "z"


@dataclass(frozen=True)
class LocatorLayout:
    """Every division's outline projected once (Mercator) into a small SVG frame: code -> (name, path)."""

    width: int
    height: int
    paths: dict[str, tuple[str, str]]


def locator_layout(geojson: dict[str, Any], *, width: int = 320) -> LocatorLayout:
    """Project every division's outline once; each division's locator map then only assembles paths."""
    features = geojson.get("features", [])
    points = [_mercator(x, y) for f in features for ring in _rings(f["geometry"]) for x, y, *_ in ring]
    if not points:
        return LocatorLayout(width, 10, {})
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = (width - 8) / (x1 - x0)

    def pixel(lon: float, lat: float) -> tuple[float, float]:
        x, y = _mercator(lon, lat)
        return (x - x0) * scale + 4, (y1 - y) * scale + 4

    def path(geometry: dict[str, Any]) -> str:
        return "".join(_compact_ring([pixel(lon, lat) for lon, lat, *_ in ring]) for ring in _rings(geometry))

    paths = {str(f["properties"].get("area_code")): (str(f["properties"].get("area_name", "")), path(f["geometry"]))
             for f in features}
    return LocatorLayout(width, round((y1 - y0) * scale + 8), paths)


def build_locator_svg(layout: LocatorLayout, division_code: str, words: AreaWords) -> str:
    """The locator map as a small static SVG: every division pale grey, the chosen one accented and drawn
    last. Pure string assembly from the projected layout, well under a millisecond; no Vega needed."""
    width, height = layout.width, layout.height
    if not layout.paths:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"></svg>'
    name = layout.paths.get(division_code, (division_code, ""))[0] or division_code
    label = escape(str(name), {'"': "&quot;"})
    body = "".join(f'<path d="{d}"/>' for code, (_, d) in layout.paths.items() if code != division_code)
    body = f'<g fill="#CBD2DA" stroke="white" stroke-width="{0.6 * LOCATOR_UNITS:g}">{body}</g>'
    if division_code in layout.paths:
        body += (f'<path d="{layout.paths[division_code][1]}" fill="{ACCENT}" stroke="{INK}" '
                 f'stroke-width="{LOCATOR_UNITS}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width * LOCATOR_UNITS} {height * LOCATOR_UNITS}" role="img" '
            f'aria-label="Locator map: {label} highlighted among '
            f'{escape(words.council)}\'s {escape(words.plural)}{escape(words.boundary_note)}">{body}</svg>')


def _line_chart(*, y_title: str, y_scale: alt.Scale | None = None) -> alt.Chart:
    """Lines with points, coloured and dashed by area, without data. The rows' LINE_ORDER column (division
    or district first, then county, then England) fixes each area's colour and dash, so no area is named in
    the spec and one spec serves every division."""
    sort = alt.EncodingSortField(field=LINE_ORDER, op="min")
    colours, dashes = alt.Scale(range=LINE_ORDER_COLOURS), alt.Scale(range=LINE_DASHES)
    chart = alt.Chart()
    return chart.mark_line(point=alt.OverlayMarkDef(size=50), strokeWidth=2.5).encode(
        x=alt.X(f"{s.PERIOD_START}:T", title=None, axis=alt.Axis(format="%Y", labelFontSize=14, tickCount=5)),
        y=alt.Y(f"{s.VALUE}:Q", title=y_title, scale=y_scale or alt.Scale(zero=False),
                axis=alt.Axis(labelFontSize=14, titleFontSize=14)),
        color=alt.Color(f"{pr.AREA_LABEL}:N", sort=sort, title=None, scale=colours,
                        legend=alt.Legend(orient="top", labelFontSize=15, symbolStrokeWidth=3)),
        strokeDash=alt.StrokeDash(f"{pr.AREA_LABEL}:N", sort=sort, legend=None, scale=dashes),
        tooltip=[alt.Tooltip(f"{pr.AREA_LABEL}:N", title="Area"), alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Period"),
                 alt.Tooltip(f"{s.VALUE}:Q", title="Value", format=",.1f")],
    )


def trend_card_subtitle(frame: pd.DataFrame, indicator_id: str, unit: str) -> str:
    """'%, 2001 to 2025': the measure and period of one trend card (P1 subtitle)."""
    rows = frame[(frame[s.INDICATOR_ID] == indicator_id) & frame[s.VALUE].notna()].sort_values(s.PERIOD_START)
    if rows.empty:
        return unit
    return f"{unit}, {rows[s.PERIOD_LABEL].iloc[0]} to {rows[s.PERIOD_LABEL].iloc[-1]}"


def trend_card_rows(frame: pd.DataFrame, indicator_id: str, order: list[str]) -> pd.DataFrame:
    """One small multiple's data: an indicator's district, county and England series, in period order."""
    rows = frame[(frame[s.INDICATOR_ID] == indicator_id) & frame[s.VALUE].notna()].sort_values(s.PERIOD_START)
    return line_rows(rows, order)


def build_trend_card_spec(title: str, unit: str, comparator_name: str, england_name: str) -> dict[str, Any]:
    """One small multiple's Vega-Lite spec (title drawn by the page), without data and naming no district:
    the same for every district, so a switch of division swaps the rows (trend_card_rows) in the browser."""
    chart = _line_chart(y_title=unit).properties(
        height=220, width="container",
        description=f"{title} for the division's district, {comparator_name} and {england_name}",
    ).configure_view(strokeWidth=0)
    return _without_data(chart.to_dict(validate=False))


def _without_data(spec: dict[str, Any]) -> dict[str, Any]:
    """Altair writes a placeholder dataset for a chart built without data: the rows are sent apart."""
    return {key: value for key, value in spec.items() if key not in ("data", "datasets")}


def line_rows(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """A line chart's data: area, its place in `order` (which fixes its colour and dash), period and value.
    Only these columns travel to the browser."""
    place = {name: i for i, name in enumerate(order)}
    rows = frame[frame[pr.AREA_LABEL].isin(place)]
    return rows.assign(**{LINE_ORDER: rows[pr.AREA_LABEL].map(place)})[
        [pr.AREA_LABEL, LINE_ORDER, s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]].reset_index(drop=True)


def build_imd_trend_spec(comparator_name: str, area_word: str) -> dict[str, Any]:
    """IMD rank percentile (100 = least deprived) by edition, 2004-2025, for division, district and county.

    The spec holds no data and names no area, so it is the same for every division: on a switch of
    division the browser swaps the rows (line_rows) into the chart it has instead of rebuilding it.
    """
    chart = _line_chart(y_title="Rank percentile (100 = least deprived)",
                        y_scale=alt.Scale(zero=False, nice=True, padding=10))
    return _without_data(chart.properties(
        height=280, width="container",
        description=f"IMD rank percentile by edition, 2004 to 2025, of the {area_word}, its district and "
                    f"{comparator_name}",
    ).configure_view(strokeWidth=0).to_dict(validate=False))
