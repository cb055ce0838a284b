"""Your data in a real browser: a small monthly file of the council's small areas is uploaded on Data & methods,
described with the form, then found — in the same session — on Trends (with a projection or a refusal that says
why), as a measure on the priority map and on the profile, and on Scenarios. Screenshots at 1280x720."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from harness.browser import open_option
from insight import schema as s
from insight.config import load_config
from insight.loaders import DEFAULT_DATA_DIR, load_areas
from tests.app.yours import SHORT_TITLE, monthly_upload
from tests.browser.conftest import assert_no_exception, save_view, wait_idle

pytestmark = pytest.mark.browser
FILE = "food-bank-referrals.csv"
LABEL = "Your data — not published"



def go(page, title: str) -> None:
    """Follow the sidebar's navigation link (the session, and so the upload, is kept)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.get_by_role("heading", level=1).first.wait_for(state="visible", timeout=30_000)
    wait_idle(page)


def pick(page, label: str, text: str, *, option: str | None = None) -> None:
    """Type into a selectbox or multiselect (a virtualised combobox) and click the option."""
    box = page.get_by_label(label, exact=True).first if page.get_by_label(label, exact=True).count() else \
        page.locator(f'[aria-label*="{label}"] input[role="combobox"]').first
    open_option(page, box, option or text, fill=text).click()
    wait_idle(page)


@pytest.fixture
def page_1280(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
    page = context.new_page()
    yield page, server_url
    context.close()


def test_an_uploaded_monthly_file_is_found_on_trends_the_priority_map_the_profile_and_scenarios(page_1280, tmp_path):
    page, url = page_1280
    council = load_config()
    areas = load_areas(Path(os.environ.get("INSIGHT_DATA_DIR", DEFAULT_DATA_DIR)))
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION].sort_values(s.AREA_CODE)
    division_name = str(divisions[s.AREA_NAME].iloc[1])
    upload = tmp_path / FILE
    upload.write_bytes(monthly_upload(areas, council.county_code))

    page.goto(f"{url}/data_methods", wait_until="domcontentloaded")
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    wait_idle(page)
    assert f"from {FILE}" in page.inner_text("body")
    page.get_by_label("Title", exact=True).first.fill("Food bank referrals")
    polarity = page.locator('[data-testid="stSelectbox"]', has_text="Polarity").locator('input[role="combobox"]')
    polarity.scroll_into_view_if_needed()
    polarity.click()
    polarity.fill("Higher is worse")
    page.locator('[role="option"]', has_text="Higher is worse").first.click()  # a direction: it can enter the index
    submit = page.get_by_role("button", name="Show my data on every page")
    save_view(page, "your_data_form", submit)
    submit.click()
    wait_idle(page)
    body = page.inner_text("body")
    assert f"On every page now, for this session: {SHORT_TITLE}" in body and "Disclosure rule applied" in body
    save_view(page, "your_data_loaded", page.get_by_text("On every page now").first)

    pick(page, "Theme", "Your data")  # the sidebar's own theme; its one indicator is chosen
    assert page.get_by_text(f"{LABEL} · {FILE}").first.is_visible()  # the sidebar says whose data it is
    go(page, "Trends & projections")
    chart = page.locator(f'[aria-label^="Line chart of {SHORT_TITLE}"]').first
    chart.wait_for(state="visible", timeout=60_000)
    body = page.inner_text("body")
    assert f"{LABEL} · {FILE} · uploaded" in body
    # 36 months: long enough, so it is projected with the pooled ranges and their leak-free back-test
    assert "likely between" in body and "80% range" in body and "How accurate has this method been?" in body
    assert_no_exception(page)
    save_view(page, "your_data_trends", chart)

    go(page, "Priority map")
    pick(page, "Indicators in the index", "Food bank", option=SHORT_TITLE)
    page.locator('[data-testid="stSlider"]', has_text=SHORT_TITLE).first.wait_for(state="visible", timeout=30_000)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(state="visible", timeout=60_000)
    body = page.inner_text("body")
    assert f"{LABEL} · {FILE}" in body and re.search(r"Sources: .*Your data — not published", body)
    assert_no_exception(page)
    save_view(page, "your_data_priority_map", page.locator('[data-testid="stSlider"]', has_text=SHORT_TITLE).first)

    go(page, f"{council.area_word.capitalize()} profile")
    pick(page, council.area_word.capitalize(), division_name)
    page.locator('[aria-label^="Spine chart of"]').first.wait_for(state="visible", timeout=60_000)
    page.get_by_text("View as table").first.click()
    wait_idle(page)
    row = page.locator("tr", has_text=SHORT_TITLE).first
    row.wait_for(state="visible", timeout=30_000)
    assert "Not compared" in row.inner_text()  # a small area's count is ranked, never rated against the total
    assert f"{LABEL} · {FILE}" in page.inner_text("body")
    assert_no_exception(page)
    save_view(page, "your_data_profile", page.locator('[aria-label^="Spine chart of"]').first)

    go(page, "Scenarios")
    pick(page, "Indicator (series long enough to project)", "Your data", option="Your data — not published")
    body = page.inner_text("body")
    assert f"{LABEL} · {FILE}" in body and "baseline projection" in body
    assert_no_exception(page)
    save_view(page, "your_data_scenarios", page.locator('[data-testid="stVegaLiteChart"]').first)

