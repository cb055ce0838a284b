"""Real browser: one chosen place across pages — map -> profile -> trends -> overview -> back, and the division
stays chosen and shown on each (issue 12)."""

from __future__ import annotations

from harness.browser import choose_option
from tests.browser.conftest import assert_no_exception, save_screenshot, wait_idle

CLACTON_WEST = "Clacton West"


def _heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def _nav(page, label: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a, [data-testid="stSidebarNavLink"]').filter(
        has_text=label).first.click()
    wait_idle(page)


def test_a_division_chosen_on_the_map_stays_chosen_on_every_page_and_through_back(app_page):
    page = app_page("priority_map")
    page.set_viewport_size({"width": 1280, "height": 720})
    picker = page.get_by_label("Look closer at a division")
    choose_option(page, picker, f"{CLACTON_WEST} (Tendring)", fill=CLACTON_WEST)
    wait_idle(page)
    assert "division=Clacton+West" in page.url
    summary = page.locator('[data-testid="stMain"]').get_by_text("highest priority, rank 1 of 70").first
    summary.wait_for()
    save_screenshot(page, "journey_1_map")

    page.get_by_role("link", name=f"Open the profile of {CLACTON_WEST}").first.click()
    wait_idle(page)
    assert _heading(page) == CLACTON_WEST and "/division_profile" in page.url and "division=Clacton+West" in page.url
    save_screenshot(page, "journey_2_profile")

    _nav(page, "Trends & projections")
    assert "/trends" in page.url and "division=Clacton+West" in page.url
    body = page.inner_text("body")
    assert "Clacton West division has no" in body and "(Tendring) is shown instead" in body

    _nav(page, "Overview")
    assert _heading(page) == "Tendring at a glance" and "division=Clacton+West" in page.url
    assert "the district holding Clacton West" in page.inner_text("body")
    save_screenshot(page, "journey_3_overview")

    page.go_back()
    wait_idle(page)
    assert "/trends" in page.url
    page.go_back()
    wait_idle(page)
    assert _heading(page) == CLACTON_WEST
    page.go_back()
    wait_idle(page)
    assert "/priority_map" in page.url
    page.get_by_text(f"Looking closer: {CLACTON_WEST}").wait_for()
    assert_no_exception(page)


def test_an_older_link_with_a_code_opens_the_profile_and_the_address_bar_gets_the_current_form(app_page):
    page = app_page("division_profile", division="E58000426")
    page.wait_for_function("() => window.location.search.includes('division=Clacton+West')")
    assert _heading(page) == CLACTON_WEST
