"""Early warning in a real browser: a 'Needs attention' item on the Overview opens the chart that shows it, with
the signal marked; the first-visit guide hides and comes back; screenshots at 1280x720 and 1920x1080.

Expectations come from the council's own data through insight/ (which signal leads each list), not literals.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from insight.attention import needs_attention
from insight.config import load_config
from insight.loaders import load_dataset
from insight.signals import Rule, all_signals, assess_dataset
from tests.browser.conftest import IDLE, assert_no_exception, save_view, wait_idle
from views.signal_marks import SIGNAL_WORDS

pytestmark = pytest.mark.browser
SIZES = ((1280, 720), (1920, 1080))
HIDE = "Got it, hide this guide"


@pytest.fixture(scope="module")
def signals():
    data = load_dataset()
    return all_signals(assess_dataset(data.observations, data.indicators, data.areas))


@pytest.fixture
def sized(browser, server_url):
    """Open a page at a given viewport size; the contexts are closed after the test."""
    contexts = []

    def open_page(path: str, width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server_url}/{path}", wait_until="domcontentloaded")
        wait_idle(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _hide_guide(page) -> None:
    guide = page.locator('[data-testid="stExpander"]').filter(has_text="New here? Five steps").first
    guide.wait_for(timeout=30_000)
    if guide.locator("details").get_attribute("open") is None:  # a closed line on every page but the Overview
        guide.get_by_text("New here? Five steps to get started").click()
    button = page.get_by_role("button", name=HIDE)
    for _ in range(3):  # a click that lands while the page's first reruns settle can be dropped: click again
        wait_idle(page)
        if button.count() == 0:
            break
        button.click()
        try:
            button.wait_for(state="detached", timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    assert button.count() == 0, "the guide did not hide"
    wait_idle(page)


def _follow_item(page, section: int = 1, rank: int = 1):
    button = page.locator(f".st-key-attn-overview-{section}-{rank}").get_by_role("button", name="See it on the chart")
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_url("**/trends?**", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    wait_idle(page)


def test_a_signal_on_the_overview_opens_its_chart_with_the_signal_marked(app_page, signals):
    council = load_config()
    top = needs_attention(signals, council.county_code).items[0].signal
    page = app_page("")
    _hide_guide(page)
    assert top.finding in page.inner_text("body")
    _follow_item(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["indicator"] == [top.series.title]  # the indicator is chosen in the sidebar's bound widget
    assert "district" not in query and "division" not in query  # the council's own series
    if top.rule in (Rule.BEYOND_LIMITS, Rule.TWO_OF_THREE, Rule.RUN, Rule.TREND):
        chart = page.locator(f'[aria-label^="Control chart of {top.series.name}"]').first
        chart.wait_for(state="visible", timeout=30_000)
        assert "Recent special cause" in chart.get_attribute("aria-label")
        assert query.get("spc") == ["true"]
    else:
        chart = page.locator('[aria-label*="Signal marked: "]').first
        chart.wait_for(state="visible", timeout=30_000)
    assert top.finding in page.inner_text("body")  # the marked chart says what fired, with its rule and caveat
    assert_no_exception(page)


def test_a_districts_trend_signal_opens_the_line_chart_with_its_points_ringed(app_page, signals):
    code, rank, signal = next((code, rank, item.signal) for code in load_config().districts
                              for rank, item in enumerate(needs_attention(signals, code).items, start=1)
                              if item.signal.rule is Rule.ANNUAL_TREND)
    page = app_page("", district=code)
    _hide_guide(page)
    _follow_item(page, rank=rank)
    query = parse_qs(urlparse(page.url).query)
    assert query["district"] == [signal.series.area_name] and query["indicator"] == [signal.series.title]
    chart = page.locator('[aria-label*="Signal marked: "]').first
    chart.wait_for(state="visible", timeout=30_000)
    label = chart.get_attribute("aria-label")
    assert f"Signal marked: a clear trend over five years ({SIGNAL_WORDS[signal.direction]}) in " \
           f"{signal.series.area_name}" in label
    assert f"Signal: {SIGNAL_WORDS[signal.direction]}" in chart.text_content()  # the words drawn by the points
    assert signal.finding in page.inner_text("body")
    assert_no_exception(page)


def test_the_first_visit_guide_hides_and_comes_back_from_the_sidebar(app_page):
    page = app_page("")
    assert page.get_by_text("New here? Five steps to get started").is_visible()
    _hide_guide(page)
    assert page.get_by_text("New here? Five steps to get started").count() == 0
    page.get_by_role("button", name="Show the first-visit guide").click()
    page.get_by_text("New here? Five steps to get started").wait_for(state="visible", timeout=30_000)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Glossary: what the words mean").click()
    page.wait_for_url("**/glossary**", timeout=30_000)
    wait_idle(page)
    assert page.get_by_role("heading", name="Glossary").first.is_visible()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_screenshots_of_needs_attention_an_spc_chart_and_the_glossary(sized, width, height):
    page = sized("", width, height)
    _hide_guide(page)
    save_view(page, f"overview_needs_attention_{width}x{height}", page.get_by_role("heading", name="Needs attention"))
    page = sized("trends?indicator=short_let_guest_nights&spc=true", width, height)
    chart = page.locator('[aria-label^="Control chart of "]').first
    chart.wait_for(state="visible", timeout=30_000)
    save_view(page, f"trends_spc_{width}x{height}", page.locator('[data-testid="stVegaLiteChart"]').first)
    page = sized("glossary", width, height)
    _hide_guide(page)
    save_view(page, f"glossary_{width}x{height}")
    assert_no_exception(page)
