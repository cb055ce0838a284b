"""pydeck map builders: build_*(...) -> pdk.Deck. Pure: no st.* calls.

Maps need no token and no tiles: the basemap is a minimal MapLibre style (one background layer)
passed as a ``data:`` URL, so the map draws offline. District outlines and names give orientation.
"""

from __future__ import annotations

import base64
import functools
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import pydeck as pdk
import pydeck.bindings.deck as pydeck_deck
import shapely
from pydeck.bindings.json_tools import default_serialize

from insight.schema import AREA_CODE, AREA_NAME

# pydeck asks five times per Deck whether its Jupyter widget can be made, by importing it: with no ipywidgets the
# import fails and is tried again every time (about 2 ms a Deck, a map page builds two per rerun). The answer
# cannot change while the app runs, so it is asked once.
pydeck_deck.has_jupyter_extra = functools.cache(pydeck_deck.has_jupyter_extra)

BACKGROUND = "#e8ecef"  # light blue-grey: land and sea alike (no tiles), distinct from the palest class
DIVISION_LINE = [255, 255, 255, 230]
DISTRICT_LINE = [40, 40, 40, 255]
TOP_N_LINE = [0, 190, 210, 255]  # cyan: clear against every class colour, dark and light
SELECTED_LINE = [20, 20, 20, 255]  # dark ink over a white halo: visible on every class colour
SELECTED_HALO = [255, 255, 255, 255]
LABEL_COLOUR = [20, 20, 20, 255]
LABEL_OUTLINE = [255, 255, 255, 255]

DIVISION_LAYER_ID = "divisions"
LSOA_LAYER_ID = "lsoas"

# Essex, for the default view.


class CompactDeck(pdk.Deck):
    """A Deck serialised without indentation: pydeck indents by two spaces, which turns an 88 KB polygon
    layer into ~500 KB sent to the browser on every rerun."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def basemap_style_url(background: str = BACKGROUND) -> str:
    """A tile-free MapLibre style with a single background layer, as a data: URL."""
    style = {
        "version": 8,
        "name": "plain",
        "sources": {},
        "layers": [{"id": "background", "type": "background", "paint": {"background-color": background}}],
    }
    encoded = base64.b64encode(json.dumps(style, separators=(",", ":")).encode()).decode()
    return f"data:application/json;base64,{encoded}"


def with_properties(geojson: Mapping[str, Any], properties: pd.DataFrame,
                    key: str = AREA_CODE) -> dict[str, Any]:
    """A new FeatureCollection holding only features whose ``key`` property is in ``properties``'
    index, each with that row's values merged into its properties (in the frame's row order)."""
    by_code = {str(f["properties"][key]): f for f in geojson["features"]}
    features = []
    for code, row in zip(properties.index.astype(str), properties.to_dict("records"), strict=True):
        feature = by_code.get(code)
        if feature is None:
            continue
        merged = {key: code, **{k: _plain(v) for k, v in row.items()}}
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": merged})
    return {"type": "FeatureCollection", "features": features}


def _plain(value: Any) -> Any:
    """JSON-friendly scalars (numpy -> python, NaN -> None)."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def label_points(geojson: Mapping[str, Any]) -> pd.DataFrame:
    """Per feature: a point inside the polygon for its label (lon, lat) and its bounding box."""
    rows = []
    for feature in geojson["features"]:
        geometry = shapely.geometry.shape(feature["geometry"])
        point = geometry.representative_point()
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        rows.append({AREA_CODE: feature["properties"][AREA_CODE], AREA_NAME: feature["properties"].get(AREA_NAME, ""),
                     "lon": round(point.x, 5), "lat": round(point.y, 5), "min_lon": min_lon, "min_lat": min_lat,
                     "max_lon": max_lon, "max_lat": max_lat})
    return pd.DataFrame(rows).set_index(AREA_CODE)


def view_for_bounds(min_lon: float, min_lat: float, max_lon: float, max_lat: float, *, width: int = 700,
                    height: int = 520) -> pdk.ViewState:
    """A view fitting a bounding box in a map of about width x height px (deck.gl's Web Mercator: the
    world is 512 px wide at zoom 0)."""
    centre_lat = (min_lat + max_lat) / 2
    lon_span = max(max_lon - min_lon, 1e-4)
    lat_span = max(max_lat - min_lat, 1e-4) / math.cos(math.radians(centre_lat))  # Mercator stretch
    zoom = min(math.log2(width * 360 / (512 * lon_span)), math.log2(height * 360 / (512 * lat_span)))
    return view_state(centre_lat, (min_lon + max_lon) / 2, zoom - 0.1)


def view_state(latitude: float, longitude: float, zoom: float) -> pdk.ViewState:
    """A flat map view (no pitch or bearing) at the given centre and zoom."""
    return pdk.ViewState(latitude=round(latitude, 5), longitude=round(longitude, 5), zoom=round(zoom, 2),
                         pitch=0, bearing=0, min_zoom=6, max_zoom=15)


LABEL_SIZE = 13  # px
# The page's own sans-serif. pydeck reads a string prop as a JavaScript expression, so the family is quoted inside
# the string: unquoted, `sans-serif` is the expression sans − serif and deck.gl draws no labels at all.
LABEL_FONT = "'Source Sans Pro, DejaVu Sans, sans-serif'"
_CHAR_WIDTH = 0.6 * LABEL_SIZE  # a bold monospace character's width: wider than this sans-serif's, so safe
_LABEL_SHIFTS = (0, 1, -1, 2, -2, 3, -3)  # tried in turn, in label heights, until a label overlaps none placed


def _pixels(lon: float, lat: float, view: pdk.ViewState) -> tuple[float, float]:
    """Web Mercator pixels of (lon, lat) at the view's zoom (deck.gl: the world is 512 px wide at zoom 0)."""
    scale = 512 * 2 ** float(view.zoom) / (2 * math.pi)
    return scale * math.radians(lon), -scale * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def label_offsets(labels: pd.DataFrame, view: pdk.ViewState) -> list[list[float]]:
    """Per label, a pixel offset [dx, dy] so that no two district names overlap at the view's zoom: each is
    moved up or down by whole label heights, the least it takes, in the order given."""
    height = LABEL_SIZE * 1.25
    placed: list[tuple[float, float, float, float]] = []
    offsets: list[list[float]] = []
    for name, lon, lat in zip(labels[AREA_NAME], labels["lon"], labels["lat"], strict=True):
        x, y = _pixels(float(lon), float(lat), view)
        half = (len(str(name)) * _CHAR_WIDTH + 8) / 2
        for shift in _LABEL_SHIFTS:
            box = (x - half, y + shift * height - height / 2, x + half, y + shift * height + height / 2)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                break
        placed.append(box)
        offsets.append([0.0, round(shift * height, 1)])
    return offsets


def _district_layers(districts: Mapping[str, Any], labels: pd.DataFrame, view: pdk.ViewState) -> list[pdk.Layer]:
    outline = pdk.Layer(
        "GeoJsonLayer", id="district-outlines", data=districts, stroked=True, filled=False,
        get_line_color=DISTRICT_LINE, **_line_px(2), pickable=False,
    )
    records = labels[[AREA_NAME, "lon", "lat"]].to_dict("records")
    for record, offset in zip(records, label_offsets(labels, view), strict=True):
        record["offset"] = offset
    names = pdk.Layer(
        "TextLayer", id="district-names", data=records, get_pixel_offset="offset",
        get_position=["lon", "lat"], get_text=AREA_NAME, get_size=LABEL_SIZE,
        get_color=LABEL_COLOUR, font_family=LABEL_FONT, font_weight=700, font_settings={"sdf": True}, outline_width=3,
        outline_color=LABEL_OUTLINE, get_text_anchor="'middle'", get_alignment_baseline="'center'",
        pickable=False,
    )
    return [outline, names]


def build_priority_map(divisions: Mapping[str, Any], districts: Mapping[str, Any], district_labels: pd.DataFrame,
                       view: pdk.ViewState, *, tooltip_text: str) -> pdk.Deck:
    """Divisions filled by their ``fill`` property; top-N (``top`` true) and the ``selected`` division
    outlined; district outlines and names on top. ``divisions`` is a FeatureCollection whose
    properties hold ``fill`` ([r, g, b, a]), ``top`` and ``selected`` booleans and the tooltip fields."""
    fill = pdk.Layer(
        "GeoJsonLayer", id=DIVISION_LAYER_ID, data=divisions, stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color=DIVISION_LINE, **_line_px(1), pickable=True, auto_highlight=True,
        highlight_color=[0, 190, 210, 90],
    )
    top = _outline_subset(divisions, "top", "top-n", TOP_N_LINE, 4)
    halo = _outline_subset(divisions, "selected", "selected-halo", SELECTED_HALO, 7)
    selected = _outline_subset(divisions, "selected", "selected-division", SELECTED_LINE, 3)
    layers = [fill, top, *_district_layers(districts, district_labels, view), halo, selected]
    return _deck(layers, view, tooltip_text)


def build_lsoa_map(lsoas: Mapping[str, Any], division_outline: Mapping[str, Any], districts: Mapping[str, Any],
                   district_labels: pd.DataFrame, view: pdk.ViewState, *, tooltip_text: str) -> pdk.Deck:
    """LSOAs filled by their ``fill`` property inside one division's outline."""
    fill = pdk.Layer(
        "GeoJsonLayer", id=LSOA_LAYER_ID, data=lsoas, stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color=DIVISION_LINE, **_line_px(1), pickable=True, auto_highlight=True,
        highlight_color=[0, 190, 210, 90],
    )
    halo = pdk.Layer("GeoJsonLayer", id="division-halo", data=division_outline, stroked=True, filled=False,
                     get_line_color=SELECTED_HALO, **_line_px(7), pickable=False)
    outline = pdk.Layer("GeoJsonLayer", id="division-outline", data=division_outline, stroked=True, filled=False,
                        get_line_color=SELECTED_LINE, **_line_px(3), pickable=False)
    return _deck([fill, *_district_layers(districts, district_labels, view), halo, outline], view, tooltip_text)


def _outline_subset(collection: Mapping[str, Any], flag: str, layer_id: str, colour: Sequence[int],
                    width: int) -> pdk.Layer:
    subset = {"type": "FeatureCollection",
              "features": [f for f in collection["features"] if f["properties"].get(flag)]}
    return pdk.Layer(
        "GeoJsonLayer", id=layer_id, data=subset, stroked=True, filled=False, get_line_color=list(colour),
        **_line_px(width), pickable=False,
    )


def _line_px(width: int) -> dict[str, Any]:
    """A line width fixed in screen pixels. Uses min/max pixels rather than lineWidthUnits="pixels", which
    turned the whole map black in Streamlit 1.67's deck.gl under software WebGL (checked headless)."""
    return {"get_line_width": 0, "line_width_min_pixels": width, "line_width_max_pixels": width}


def _deck(layers: list[pdk.Layer], view: pdk.ViewState, tooltip_text: str) -> pdk.Deck:
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_style=basemap_style_url(),
        map_provider="carto",  # the style is inline, so nothing is fetched from CARTO
        tooltip={"text": tooltip_text, "style": {"fontSize": "15px", "maxWidth": "320px"}},
    )


def layer_bytes(deck: pdk.Deck, layer_id: str) -> int:
    """Size in bytes of one layer's data as sent to the browser (compact JSON inside the deck)."""
    spec = json.loads(deck.to_json())
    for layer in spec["layers"]:
        if layer.get("id") == layer_id:
            return len(json.dumps(layer.get("data"), separators=(",", ":")).encode())
    raise KeyError(layer_id)
