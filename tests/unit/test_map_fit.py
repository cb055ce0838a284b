"""The maps are fitted so the whole council is in view at a projector's 1280×720: the priority map's column is
about 487 px wide there (sidebar open), its LSOA drill-down about 440 px, a committee slide's map about 630 px."""

from __future__ import annotations

import inspect
import math

import pytest

from insight import schema as s
from insight.loaders import load_boundaries
from views import committee, devices, maps, priority

PRIORITY_COLUMN_AT_1280 = 487  # px: measured in Chromium, the map column of the priority map at 1280×720
SLIDE_MAP_AT_1280 = 630  # px: the map column of a committee slide at 1280×720
PHONE_COLUMN_AT_360 = 324  # px: a 360 px phone less the page's padding (354 px measured at 390×844)
PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.0 Mobile/15E148 Safari/604.1")


def _pixels(view, lon: float, lat: float) -> tuple[float, float]:
    """Where (lon, lat) falls, in px from the map's centre, for a deck.gl Web Mercator view."""
    scale = 512 * 2 ** view.zoom / (2 * math.pi)

    def y(latitude: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))

    return (scale * math.radians(lon - view.longitude), scale * (y(view.latitude) - y(lat)))


@pytest.mark.parametrize(("width", "height", "shown_width", "shown_height"), [
    (priority.DIVISION_MAP_WIDTH, priority.DIVISION_MAP_HEIGHT, PRIORITY_COLUMN_AT_1280, priority.DIVISION_MAP_HEIGHT),
    (committee.MAP_WIDTH, committee.MAP_HEIGHT, SLIDE_MAP_AT_1280, committee.MAP_HEIGHT),
    (devices.map_fit_width(priority.DIVISION_MAP_WIDTH, phone=True), priority.DIVISION_MAP_HEIGHT,
     PHONE_COLUMN_AT_360, priority.DIVISION_MAP_HEIGHT),
])
def test_every_district_is_inside_the_map_at_1280_and_on_a_phone(width, height, shown_width, shown_height):
    labels = maps.label_points(load_boundaries(s.Level.DISTRICT))
    box = (labels["min_lon"].min(), labels["min_lat"].min(), labels["max_lon"].max(), labels["max_lat"].max())
    view = maps.view_for_bounds(*box, width=width, height=height)
    for lon, lat in ((box[0], box[1]), (box[2], box[3]), (box[0], box[3]), (box[2], box[1])):
        x, y = _pixels(view, lon, lat)
        assert abs(x) <= shown_width / 2 and abs(y) <= shown_height / 2, (lon, lat, x, y)


def test_the_priority_map_is_fitted_to_that_size_by_default():
    fit = inspect.signature(priority.build_division_deck).parameters
    assert (fit["width"].default, fit["height"].default) == (priority.DIVISION_MAP_WIDTH, priority.DIVISION_MAP_HEIGHT)



def test_a_phone_is_told_from_a_desktop_or_tablet_by_its_user_agent():
    assert devices.phone_browser(PHONE_UA)
    assert devices.phone_browser("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                                  "Chrome/126.0 Mobile Safari/537.36")
    assert not devices.phone_browser("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                      "HeadlessChrome/126.0 Safari/537.36")
    assert not devices.phone_browser("Mozilla/5.0 (Linux; Android 14; SM-X910) AppleWebKit/537.36 (KHTML, like "
                                      "Gecko) Chrome/126.0 Safari/537.36")  # an Android tablet
    assert not devices.phone_browser(None) and not devices.phone_browser("")
    assert devices.map_fit_width(priority.DIVISION_MAP_WIDTH, phone=False) == priority.DIVISION_MAP_WIDTH
    assert devices.map_fit_width(priority.LSOA_MAP_WIDTH, phone=True) == devices.PHONE_MAP_WIDTH


@pytest.mark.parametrize("phone", [False, True])
def test_no_two_district_names_overlap_on_the_fitted_map(phone):
    labels = maps.label_points(load_boundaries(s.Level.DISTRICT))
    view = maps.view_for_bounds(labels["min_lon"].min(), labels["min_lat"].min(), labels["max_lon"].max(),
                                labels["max_lat"].max(),
                                width=devices.map_fit_width(priority.DIVISION_MAP_WIDTH, phone),
                                height=priority.DIVISION_MAP_HEIGHT)
    offsets = maps.label_offsets(labels, view)
    height = maps.LABEL_SIZE * 1.25
    boxes = []
    for (name, lon, lat), (dx, dy) in zip(labels[["area_name", "lon", "lat"]].itertuples(index=False), offsets,
                                          strict=True):
        x, y = _pixels(view, lon, lat)
        half = len(name) * maps.LABEL_SIZE * 0.6 / 2
        boxes.append((name, x + dx - half, y + dy - height / 2, x + dx + half, y + dy + height / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]), (a[0], b[0])
    # most names stay where they are on the projector's map; a phone's is smaller, so more are moved (8 of 12)
    assert sum(1 for _, dy in offsets if dy) <= (8 if phone else 4)


def test_district_names_use_a_quoted_sans_serif_family():
    """pydeck passes a string prop as a JavaScript expression: an unquoted family drew no labels at all."""
    family = maps.LABEL_FONT
    assert family.startswith("'") and family.endswith("'") and "sans-serif" in family


def test_pydeck_asks_once_whether_its_jupyter_widget_exists():
    """It asked five times per Deck, by a failing import each time (about 2 ms a Deck); the answer is unchanged."""
    import pydeck as pdk
    import pydeck.bindings.deck as pydeck_deck

    pdk.Deck(layers=[])
    pdk.Deck(layers=[])
    assert pydeck_deck.has_jupyter_extra() is False  # no ipywidgets here: the app never shows a Jupyter widget
    assert pydeck_deck.has_jupyter_extra.cache_info().misses == 1  # type: ignore[attr-defined]
