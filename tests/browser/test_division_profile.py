"""The Division profile in a real browser: spine chart drawn, screenshot saved, one-page PDF export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import assert_no_exception, save_screenshot, wait_idle
from views.profile_export import pdf_page_count, pdf_page_size

pytestmark = pytest.mark.browser

SPINE = '[aria-label^="Spine chart of 21 indicators for {name}"]'


def _open_profile(app_page, division: str):
    """Open the root first: on a freshly started server a deep link runs the page outside st.navigation
    (Streamlit's folder-based fallback for `pages/`), which is an app-frame issue, not this page's."""
    app_page("")
    return app_page("division_profile", division=division)


def test_profile_renders_the_spine_chart_and_is_screenshotted(app_page):
    page = _open_profile(app_page, "E58000402")
    assert_no_exception(page)
    assert page.get_by_role("heading", name="Abbey", exact=True).first.is_visible()
    spine = page.locator(SPINE.format(name="Abbey")).first
    spine.wait_for(state="visible", timeout=30_000)
    box = spine.bounding_box()
    assert box and box["width"] > 800 and box["height"] > 600
    assert page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').count() >= 2
    assert page.get_by_role("img", name="Locator map of Essex's divisions with Abbey highlighted").count() == 1
    assert "25,507" in page.inner_text("body")
    save_screenshot(page, "division_profile")


def test_committee_pdf_download_is_one_a4_page(app_page):
    page = _open_profile(app_page, "E58000403")
    button = page.get_by_role("button", name="Download one-page summary (PDF, A4)")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    pdf = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == "basildon-laindon-park-and-fryerns-division-profile.pdf"
    assert pdf_page_count(pdf) == 1
    assert pdf_page_size(pdf) == (595.0, 842.0)


def test_choosing_another_division_redraws_the_profile(app_page):
    page = _open_profile(app_page, "E58000402")
    picker = page.locator('[data-testid="stMain"] input[role=combobox]').first
    picker.click()
    picker.fill("Pitsea")
    page.locator('[role=option]', has_text="Basildon Pitsea").first.click()
    wait_idle(page)
    page.locator(SPINE.format(name="Basildon Pitsea")).first.wait_for(state="visible", timeout=30_000)
    assert "division=Basildon+Pitsea" in page.url
    assert_no_exception(page)


def test_comparison_and_table_view_are_captioned_html_tables(app_page):
    page = _open_profile(app_page, "E58000402")
    compare = page.get_by_role("table", name=re.compile(r"^Latest value of each indicator: Abbey, "))
    compare.wait_for(state="visible", timeout=30_000)
    assert compare.locator('th[scope="row"]').count() == 21
    assert page.get_by_role("table", name=re.compile("21 indicators for Abbey")).count() == 0  # not drawn yet
    page.get_by_text("View as table", exact=True).click()
    wait_idle(page)
    table_view = page.get_by_role("table", name=re.compile("21 indicators for Abbey"))
    table_view.wait_for(state="visible", timeout=30_000)
    assert table_view.locator('th[scope="row"]').count() == 21
    assert table_view.get_by_role("cell", name="▼ Worse").count() == 1  # rated in words and a symbol (A2)
    assert_no_exception(page)
