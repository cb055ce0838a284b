"""A shared deep link opened on a freshly started server still gets the app frame (sidebar, sections)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import running_app, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server_url():
    """A server that has not yet run app.py for anyone (the deep link is its very first request)."""
    with running_app() as url:
        yield url


def test_deep_link_on_a_fresh_server_runs_inside_the_app_frame(browser, fresh_server_url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{fresh_server_url}/data_methods?district=E07000073", wait_until="domcontentloaded")
    wait_idle(page)
    page.wait_for_selector("h1:has-text('Data & methods')")
    # the first run on a fresh server draws the heading before the sidebar's filters: wait for the link's one
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').get_by_text("Harlow").first.wait_for(
        timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Filters" in sidebar and "Harlow" in sidebar  # the shared sidebar of app.py ran, with the link's filter
    assert "Insight" in sidebar and "About" in sidebar  # navigation sections, not the folder-mode list
    assert "data methods" not in sidebar.lower().replace("data & methods", "")
    assert "/data_methods" in page.url
    page.close()
