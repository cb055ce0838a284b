"""Scenarios page in a real browser: baseline and scenario lines drawn, the illustrative badge, a live lever."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote_plus

import pytest

from tests.browser.conftest import IDLE, assert_no_exception, save_screenshot, wait_idle

pytestmark = pytest.mark.browser

SHARED = {"scn_data": "open", "scn_indicator": "claimant_count", "scn_area": "E10000012", "scn_horizon": "5",
          "scenarios": "n:Early help,t:-3,ts:2026-01~n:New hub,s:-0.3,sl:-0.6,sh:-0.1,ss:2027-01"}
CHART = '[data-testid="stVegaLiteChart"]'
TREND_SLIDER = 'input[type="range"][aria-label="Change a year, relative to the projection"]'


def open_scenarios(app_page, **params: str):
    """Open the app's front page first (a fresh server then runs in st.navigation mode), then the page."""
    app_page("")
    page = app_page("scenarios", **params)
    page.wait_for_selector(f"{CHART} svg", timeout=60_000)
    return page


FINDING = """() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
  .map(e => e.innerText).find(t => t.includes('the baseline projection for')) || ''"""
TITLE = f"() => document.querySelector('{CHART} svg .role-title-text')?.textContent || ''"


def nudge_trend_lever(page, key: str) -> tuple[str, str]:
    """Move the first trend lever one step with the keyboard and wait for the finding under the chart to
    change, the chart's title to follow and the script to be idle; returns the finding before and after."""
    before = page.evaluate(FINDING)
    title = page.evaluate(TITLE)
    page.locator(TREND_SLIDER).first.focus()
    page.keyboard.press(key)
    page.wait_for_function(
        f"([old, title, idle]) => ({FINDING})() !== old && ({TITLE})() !== title && document.querySelector(idle)",
        arg=[before, title, IDLE], timeout=30_000)
    return before, page.evaluate(FINDING)


def full_height_screenshot(page, name: str) -> None:
    page.set_viewport_size({"width": 1600, "height": 2600})
    page.wait_for_timeout(500)
    wait_idle(page)
    save_screenshot(page, name)


def test_page_draws_the_baseline_and_each_shared_scenario_with_its_band(app_page):
    page = open_scenarios(app_page, **SHARED)
    assert_no_exception(page)
    svg = page.locator(f"{CHART} svg").first.inner_html()
    for colour in ("#5a5a5a", "#0072b2", "#c2410c"):  # baseline grey, scenario 1 blue, scenario 2 vermillion
        assert f'stroke="{colour}"' in svg.lower(), colour
    legend = page.locator(f"{CHART} svg").first.text_content()
    for label in ("Baseline projection", "Early help", "New hub", "Observed"):
        assert label in legend
    finding = page.evaluate(FINDING)
    assert finding.startswith("In Essex, the baseline projection for 2030 is")
    assert "Early help:" in finding and "New hub:" in finding
    assert page.evaluate(TITLE) == "Early help moves most: 11% below baseline by 2030"  # read from the chart's data
    assert page.locator(CHART).first.get_attribute("aria-label").startswith("Line chart of Claimant count for Essex")
    body = page.inner_text("body")
    assert "Projected values by year" in body and "Reset to baseline" in body
    full_height_screenshot(page, "scenarios_shared_link")


def test_moving_a_lever_redraws_the_chart_in_place_with_its_new_headline(app_page):
    page = open_scenarios(app_page, **SHARED)
    page.evaluate(f"() => {{ document.querySelector('{CHART} svg').dataset.kept = 'yes'; }}")
    title = page.evaluate(TITLE)
    before, after = nudge_trend_lever(page, "ArrowLeft")
    assert after != before and "Early help:" in after
    assert page.evaluate(TITLE) not in ("", title)
    # the same SVG element: the new rows were swapped into the chart the browser had, not a new chart built
    assert page.evaluate(f"() => document.querySelector('{CHART} svg').dataset.kept") == "yes"
    assert "n:Early help,t:-3.5,ts:2026-01~" in unquote_plus(page.url)
    assert_no_exception(page)


def test_illustrative_demand_carries_an_unmissable_badge(app_page):
    page = open_scenarios(app_page, scn_data="illustrative", scn_indicator="demo_asc_contacts",
                          scn_area="E58000426", scn_horizon="24",
                          scenarios="n:Early help,t:-3,ts:2026-04~n:Family hub,s:-20,sl:-35,sh:-5,ss:2026-09")
    assert_no_exception(page)
    alert = page.locator('[data-testid="stAlert"]', has_text="Illustrative data — not real")
    assert alert.count() >= 1 and alert.first.is_visible()
    assert "ILLUSTRATIVE DATA — NOT REAL" in page.locator(f"{CHART} svg").first.inner_html()
    full_height_screenshot(page, "scenarios_illustrative")


def test_a_crafted_link_is_refused_with_a_message(app_page):
    page = open_scenarios(app_page, **{**SHARED, "scenarios": "n:<img src=x onerror=alert(1)>"})
    assert_no_exception(page)
    assert "The scenarios in this link were ignored" in page.inner_text("body")
    assert page.locator("img[src=x]").count() == 0
    assert "scenarios=" not in page.url
    assert "The scenarios in this link were ignored" in page.locator('[data-testid="stAlert"]').first.inner_text()


def test_csv_download_holds_the_scenarios_as_they_are_now(app_page):
    page = open_scenarios(app_page, **SHARED)
    nudge_trend_lever(page, "ArrowRight")
    with page.expect_download() as download:
        page.get_by_text("Download table (CSV, with assumptions)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "# Assumption - Early help: trend -2.5% a year relative to the projection from 2026." in text
    assert "# Assumption - New hub: step change of -0.3 % from 2027 (95% range -0.6 to -0.1)." in text
    assert "# Licence: Open Government Licence v3.0" in text
