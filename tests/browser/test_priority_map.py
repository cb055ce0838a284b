"""Real browser: the priority map draws coloured divisions, a click opens the drill-down, a control updates it."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest

from harness.deck import click_until, hover_until_picked, watch_console
from insight.priority import CLASS_COLOURS, hex_to_rgb
from tests.browser.conftest import assert_no_exception, launch_chromium, save_screenshot, wait_idle
from views.maps import BACKGROUND
from views.priority import FILL_ALPHA

pytestmark = pytest.mark.browser
MAP = '[data-testid="stDeckGlJsonChart"]'


@pytest.fixture(scope="module")
def browser(playwright_driver):
    """A Chromium of its own for the map tests: its software-WebGL (GPU) process starts fresh, not after the
    eighty-odd pages earlier browser tests drew."""
    instance = launch_chromium(playwright_driver)
    yield instance
    instance.close()


def open_priority_map(app_page, **params: str):
    """Open the app at the Overview and follow the navigation link, so the app frame (wide layout, sidebar)
    runs as users see it; then wait until the map has drawn every priority class."""
    page = app_page("", **params)
    watch_console(page)
    page.get_by_role("link", name="Priority map").first.click()
    wait_idle(page)
    page.wait_for_selector(f"{MAP} canvas", timeout=60_000)
    page.locator(MAP).first.scroll_into_view_if_needed()
    counts = wait_until_drawn(page, page.locator(MAP).first)
    assert every_class_shows(counts), f"the map did not draw every class in 60 s: {counts}"
    return page


def every_class_shows(counts: list[int]) -> bool:
    return all(count > 300 for count in counts)  # all five classes visible, not a blank canvas


def wait_until_drawn(page, deck, drawn=every_class_shows, timeout: float = 60.0) -> list[int]:
    """Poll the deck's pixels until `drawn(counts)` (software WebGL draws well after the canvas appears, and
    later still on a cold machine); the last counts are returned either way."""
    deadline = time.monotonic() + timeout
    while True:
        counts = class_pixel_counts(deck.screenshot())
        if drawn(counts) or time.monotonic() > deadline:
            return counts
        page.wait_for_timeout(250)


def class_pixel_counts(png: bytes) -> list[int]:
    """Pixels close to each class colour as drawn: the fill (alpha FILL_ALPHA) blended over the basemap."""
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int).reshape(-1, 3)
    alpha = FILL_ALPHA / 255
    counts = []
    for colour in CLASS_COLOURS:
        drawn = alpha * np.array(hex_to_rgb(colour)) + (1 - alpha) * np.array(hex_to_rgb(BACKGROUND))
        counts.append(int((np.abs(pixels - drawn).sum(axis=1) <= 24).sum()))
    return counts


def test_priority_map_canvas_draws_every_priority_class(app_page):
    page = open_priority_map(app_page)
    assert_no_exception(page)
    counts = class_pixel_counts(page.locator(MAP).first.screenshot())
    assert every_class_shows(counts), counts
    assert page.locator('[data-testid="stSidebar"]').count() == 1  # the app frame ran
    save_screenshot(page, "priority_map")


def test_clicking_a_division_opens_its_drilldown_and_puts_it_in_the_url(app_page):
    page = open_priority_map(app_page)
    box = page.locator(MAP).first.bounding_box()
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5  # central Essex
    click_until(page, x, y, lambda: page.get_by_text("Looking closer:").count() > 0)  # after a pick under it
    wait_idle(page)
    assert "division=" in page.url
    lsoa_map = page.locator(MAP).nth(1)
    lsoa_map.scroll_into_view_if_needed()
    assert sum(wait_until_drawn(page, lsoa_map, lambda c: sum(c) > 1000)) > 1000  # the division's LSOAs
    assert_no_exception(page)
    save_screenshot(page, "priority_map_drilldown")


def test_at_1280x720_a_click_shows_its_result_beside_the_whole_map(app_page):
    """On a projector: the whole council is on the map (the canvas is inside the window), the hover note over
    a division at the map's edge is whole, and the clicked division's summary appears right under the map."""
    page = open_priority_map(app_page)
    page.set_viewport_size({"width": 1280, "height": 720})
    deck = page.locator(MAP).first
    deck.evaluate("el => el.scrollIntoView({block: 'start'})")
    wait_until_drawn(page, deck)
    box = deck.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280 and box["height"] <= 720
    east = box["x"] + box["width"] * 0.86, box["y"] + box["height"] * 0.44  # Tendring, at the map's right edge
    hover_until_picked(page, *east)
    note = page.locator(".deck-tooltip").first.bounding_box()
    assert note is not None and note["x"] >= 0 and note["x"] + note["width"] <= 1280, note  # whole, not cut
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
    summary = page.get_by_text("More below the ranked table.")
    click_until(page, x, y, lambda: summary.count() > 0)
    wait_idle(page)
    deck = page.locator(MAP).first
    deck.evaluate("el => el.scrollIntoView({block: 'start'})")  # the person is looking at the map
    page.wait_for_timeout(300)
    below = summary.bounding_box()
    assert below is not None and below["y"] + below["height"] <= 720, below  # on screen with the map
    save_screenshot(page, "priority_map_click_1280")


def test_changing_the_normalisation_updates_the_legend_and_the_url(app_page):
    page = open_priority_map(app_page)
    legend = page.locator('[aria-label^="Legend of the priority map"]').first
    before = legend.get_attribute("aria-label")
    assert "score +" in before  # z-scores are signed
    page.get_by_text("min–max", exact=True).click()
    wait_idle(page)
    page.wait_for_timeout(500)
    after = page.locator('[aria-label^="Legend of the priority map"]').first.get_attribute("aria-label")
    assert after != before and "score +" not in after
    assert "norm=min%E2%80%93max" in page.url or "norm=min–max" in page.url


def grey_pixel_count(png: bytes) -> int:
    """Pixels close to the grey of suppressed / unranked areas as drawn over the basemap."""
    from PIL import Image

    from insight.priority import NOT_RANKED_COLOUR

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int).reshape(-1, 3)
    alpha = FILL_ALPHA / 255
    drawn = alpha * np.array(hex_to_rgb(NOT_RANKED_COLOUR)) + (1 - alpha) * np.array(hex_to_rgb(BACKGROUND))
    return int((np.abs(pixels - drawn).sum(axis=1) <= 24).sum())


def test_suppressed_lsoas_are_drawn_grey_with_a_legend_that_says_suppressed(app_page):
    app_page("")  # the frame first, as a user arrives
    page = app_page("priority_map", division="E58000406", measure="Overcrowded households")  # Billericay
    page.wait_for_selector("text=Looking closer: Billericay and Burstead", timeout=60_000)
    legend = page.locator('[aria-label^="Legend: Grey: suppressed"]').first
    legend.wait_for(timeout=60_000)
    assert "11 LSOAs here" in legend.get_attribute("aria-label")
    lsoa_map = page.locator(MAP).nth(1)
    lsoa_map.scroll_into_view_if_needed()
    lsoa_map.locator("canvas").first.wait_for(timeout=60_000)
    grey = 0
    for _ in range(40):  # WebGL draws after the element appears: poll the pixels, not a fixed sleep
        grey = grey_pixel_count(lsoa_map.screenshot())
        if grey > 1000:
            break
    assert grey > 1000  # the 11 suppressed LSOAs are drawn in the neutral grey
    assert sum(class_pixel_counts(lsoa_map.screenshot())) > 1000  # and the others in their classes
    assert_no_exception(page)
    save_screenshot(page, "priority_map_lsoa_suppressed")


def click_map_and_read(page, fx: float, fy: float) -> str:
    """Click the division map at a fraction (fx, fy) of its box; the division the link then names."""
    from urllib.parse import parse_qs, urlparse

    before = page.evaluate("location.href")
    deck = page.locator(MAP).first
    deck.evaluate("el => el.scrollIntoView({block: 'start'})")
    wait_until_drawn(page, deck)
    box = deck.bounding_box()
    x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
    click_until(page, x, y, lambda: page.evaluate("location.href") != before)
    wait_idle(page)
    return parse_qs(urlparse(page.url).query)["division"][0]


def test_a_division_chosen_elsewhere_can_be_clicked_again_on_the_map(app_page):
    """The map keeps its widget while its own selection is the chosen division (so a click updates it in place
    instead of drawing a new map), and takes a new one when the picker chose: a click on the division the map
    last picked then still chooses it."""
    from harness.browser import choose_option

    page = open_priority_map(app_page)
    first = click_map_and_read(page, 0.5, 0.5)
    second = click_map_and_read(page, 0.42, 0.42)
    assert first != second
    picker = page.locator('input[aria-label^="Look closer at a"]').first
    choose_option(page, picker, "Harlow North", fill="Harlow North")
    page.wait_for_selector("text=Looking closer: Harlow North", timeout=60_000)
    wait_idle(page)
    assert click_map_and_read(page, 0.42, 0.42) == second  # the division the map last picked, chosen again
    page.wait_for_selector("text=Looking closer:", timeout=60_000)
    assert page.get_by_text("Looking closer: Harlow North").count() == 0
    assert_no_exception(page)


def test_a_row_chosen_in_the_table_can_be_chosen_again_after_a_map_click(app_page):
    """The ranked table keeps its widget while it has no selection of its own (a map click then updates it in
    place), and takes a new one when the map chose another division after a row was selected: the table drops
    its highlight, and a click on the same row chooses that division again (with the old widget it would only
    clear the row's tick)."""
    from urllib.parse import parse_qs, urlparse

    page = open_priority_map(app_page)
    grid = page.locator('[data-testid="stDataFrame"]').first

    def choose_first_row() -> str:
        before = page.url
        grid.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 17, box["y"] + 59)  # the first row's tick box, under the 40-pixel header
        page.wait_for_function("before => location.href !== before", arg=before, timeout=60_000)
        wait_idle(page)
        return parse_qs(urlparse(page.url).query)["division"][0]

    top = choose_first_row()
    other = click_map_and_read(page, 0.42, 0.42)
    if other == top:
        other = click_map_and_read(page, 0.58, 0.55)
    assert other != top
    assert choose_first_row() == top  # the same row again: chosen, not merely unticked
    assert_no_exception(page)
