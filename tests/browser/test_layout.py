"""Every page at a projector's 1280×720, a desktop's 1920×1080 and a phone's 390×844: nothing scrolls sideways,
nothing is cut by the window's edge (on a phone a chart may scroll sideways inside its own frame), no text is
shortened with an ellipsis (harness.layout), and the screenshots are kept for a person to look at (artifacts/screenshots/layout_<page>_<width>_screen.png: the first screen as shown;
layout_<page>_<width>.png: the whole page)."""

from __future__ import annotations

import pytest

from harness.layout import layout_problems
from tests.browser.conftest import assert_no_exception, save_screenshot, save_view, wait_idle

DIVISION = "Basildon Pitsea"
PAGES = {  # screenshot name -> path and query
    "overview": "",
    "trends": "trends",
    "trends_monthly": "trends?theme=Economy&indicator=Short-term+let+guest+nights",  # a monthly count
    "priority_map": "priority_map",
    "priority_division": f"priority_map?division={DIVISION.replace(' ', '+')}",
    "profile": f"division_profile?division={DIVISION.replace(' ', '+')}",
    "scenarios": "scenarios",
    "scenarios_two": "scenarios?scn_data=open&scn_indicator=claimant_count&scn_area=E10000012&scn_horizon=5"
                     "&scenarios=n:Early+help,t:-3,ts:2026-01~n:New+hub,s:-0.3,sl:-0.6,sh:-0.1,ss:2027-01",
    "committee": "committee",
    "data_methods": "data_methods",
    "ethics": "ethics",
    "glossary": "glossary",
    "present": "?mode=present",
}
SIZES = ((1280, 720), (1920, 1080), (390, 844))


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def window(request, browser):
    context = browser.new_context(viewport={"width": request.param[0], "height": request.param[1]},
                                  device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


def _settled_problems(page) -> list:
    """Layout problems that are still there a moment later (charts re-measure themselves once drawn)."""
    problems = layout_problems(page)
    for _ in range(3):
        if not problems:
            return problems
        page.wait_for_timeout(700)
        problems = [p for p in layout_problems(page) if p in problems]
    return problems


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_reads_whole_at_this_size(window, server_url, name):
    page = window
    page.goto(f"{server_url}/{PAGES[name]}", wait_until="domcontentloaded")
    wait_idle(page)
    page.wait_for_timeout(500)
    assert_no_exception(page)
    assert page.locator('[data-testid="stAlert"]', has_text="The link's").count() == 0  # the view asked for
    problems = _settled_problems(page)
    width = page.viewport_size["width"]
    save_view(page, f"layout_{name}_{width}_screen")  # the first screen, as shown
    save_screenshot(page, f"layout_{name}_{width}")  # the whole page
    assert not problems, "\n".join(str(p) for p in problems)
