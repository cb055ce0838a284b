"""Ethics & transparency in a real browser: reached from a chart's model-card link, the linked card open;
and a financial-year scenario named alike in the drawn chart and the table. Screenshots at 1280x720 and
1920x1080 for a person to look at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import IDLE, assert_no_exception, save_screenshot, wait_idle

pytestmark = pytest.mark.browser
SIZES = [(1280, 720), (1920, 1080)]
FINANCIAL_YEAR = ("scenarios?scn_data=open&scn_indicator=adult_obesity&scn_area=E10000012&scn_horizon=5"
                  "&scenarios=n%3AHub%2Cs%3A-1%2Csl%3A-1.5%2Csh%3A-0.2%2Css%3A2026-11")


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def sized_page(request, browser, server_url):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    page.goto(server_url, wait_until="domcontentloaded")  # the front page first: st.navigation mode
    wait_idle(page)
    yield page, server_url, f"{width}x{height}"
    context.close()


def test_a_scenario_chart_links_to_its_model_card_on_the_ethics_page(sized_page):
    page, url, size = sized_page
    page.goto(f"{url}/{FINANCIAL_YEAR}", wait_until="domcontentloaded")
    wait_idle(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
    assert_no_exception(page)
    ticks = page.locator('[data-testid="stVegaLiteChart"] svg .role-axis-label text').evaluate_all(
        "labels => labels.map(label => label.textContent)")
    assert "2025/26" in ticks and "2029/30" in ticks and not any(t == "2026" for t in ticks)
    body = page.inner_text("body")
    assert "the baseline projection for 2029/30 is" in body
    save_screenshot(page, f"scenarios_financial_year_{size}")

    page.get_by_role("link", name="Scenarios model card").first.click()
    page.wait_for_url(lambda address: "/ethics?" in address and "card=scenarios" in address, timeout=30_000,
                      wait_until="commit")
    page.wait_for_selector(IDLE, timeout=60_000)
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().strip().startswith("Ethics & transparency")
    cards = page.locator('[data-testid="stExpander"]').filter(has_not_text="New here? Five steps")  # the
    expanders = cards.locator("details")  # first-visit guide's closed line is not one of the cards
    expanders.nth(2).wait_for(timeout=30_000)  # all three drawn before they are counted
    opened = [expanders.nth(i).get_attribute("open") is not None for i in range(expanders.count())]
    assert opened == [False, False, True]
    card = cards.nth(2).inner_text()
    for field in ("Purpose.", "Data.", "Method.", "Limitations.", "Accuracy.", "Human oversight.",
                  "Who reviewed it, and when.", "How to challenge it."):
        assert field in card
    assert "Not yet reviewed by Essex County Council's data ethics committee" in card
    page.screenshot(path=str(save_screenshot(page, f"ethics_scenarios_card_{size}").with_name(
        f"ethics_scenarios_card_{size}_viewport.png")))


def test_the_ethics_page_shows_every_card(sized_page):
    page, url, size = sized_page
    page.goto(f"{url}/ethics", wait_until="domcontentloaded")
    wait_idle(page)
    assert_no_exception(page)
    text = page.inner_text("body")
    for heading in ("How analytics are reviewed before use", "What residents are told and can see",
                    "Insight supports judgement; it never replaces it", "How to challenge a figure",
                    "Model card: Projections of published series", "Model card: Priority index of small areas",
                    "Model card: What-if scenarios on a projection"):
        assert heading in text
    assert "Ethics & transparency" in page.locator('[data-testid="stSidebar"]').inner_text()
    save_screenshot(page, f"ethics_{size}")
