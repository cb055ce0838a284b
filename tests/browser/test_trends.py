"""Trends & projections in a real browser: the chart is drawn, a filter change redraws it, screenshots saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import assert_no_exception, save_screenshot, wait_idle

pytestmark = pytest.mark.browser

CHART = '[aria-label^="Line chart of {title}"]'
DRAWN = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'


def _open_trends(app_page, **params: str):
    """A shared deep link straight to the page (ensure_app_frame keeps it inside app.py's frame)."""
    page = app_page("trends", **params)
    page.get_by_role("heading", name="Trends & projections").first.wait_for(state="visible", timeout=30_000)
    wait_idle(page)
    return page


def test_trends_page_draws_the_projection_chart_and_is_screenshotted(app_page):
    page = _open_trends(app_page, indicator="claimant_count")
    assert_no_exception(page)
    assert page.get_by_role("heading", name="Trends & projections").first.is_visible()
    chart = page.locator(CHART.format(title="Claimant count")).first
    chart.wait_for(state="visible", timeout=30_000)
    box = chart.bounding_box()
    assert box and box["width"] > 700 and box["height"] > 350
    assert page.locator(DRAWN).count() >= 1
    body = page.inner_text("body")
    assert "likely between" in body and "80% range" in body
    assert "How accurate has this method been?" in body
    save_screenshot(page, "trends")


def test_choosing_districts_redraws_the_chart_for_them(app_page):
    page = _open_trends(app_page, indicator="adult_obesity", district="E07000066,E07000070")
    chart = page.locator(CHART.format(title="Adult obesity") + '[aria-label*="Basildon, Chelmsford"]').first
    chart.wait_for(state="visible", timeout=30_000)
    drawn = chart.locator("svg").first.text_content()
    assert "Basildon" in drawn and "Chelmsford" in drawn  # both districts are in the drawn chart's legend
    assert_no_exception(page)
    save_screenshot(page, "trends_districts")


def test_changing_the_horizon_updates_the_projection(app_page):
    page = _open_trends(app_page, indicator="claimant_count", years="2")
    page.locator(CHART.format(title="Claimant count") + '[aria-label*="projection to 2027"]').first.wait_for(
        state="visible", timeout=30_000)
    table_toggle = page.get_by_text("View as table")
    table_toggle.click()
    wait_idle(page)
    assert "table=true" in page.url
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    assert_no_exception(page)


def test_chart_downloads_as_png_with_its_title(app_page):
    page = _open_trends(app_page, indicator="claimant_count")
    page.locator(CHART.format(title="Claimant count")).first.wait_for(state="visible", timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download chart (PNG)").click()
    png = Path(info.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert info.value.suggested_filename == "claimant-count-e10000012.png"
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download chart (SVG)").click()
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Claimant count in Essex" in svg and "Open Government Licence" in svg and "Projection" in svg


def test_division_imd_trend_is_shown_without_a_projection(app_page):
    page = _open_trends(app_page, indicator="imd_rank_percentile", division="E58000402")
    page.locator(CHART.format(title="IMD rank percentile")).first.wait_for(state="visible", timeout=30_000)
    body = page.inner_text("body")
    assert "irregular editions" in body and "APPROXIMATE" in body
    assert "likely between" not in body
    assert_no_exception(page)
    save_screenshot(page, "trends_division_imd")
