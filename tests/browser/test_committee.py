"""Committee mode in the real browser: an agenda opened from its link is stepped through with the keys a
presentation clicker sends (→ / ← / Page Down / Page Up) and the on-screen buttons; every slide shows its own
finding, source and data stamp, large and with no sidebar, and Esc leaves for the dashboard."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

import pandas as pd
import pytest

from harness.layout import layout_problems
from insight.agenda import PAGE_LABELS, Agenda, Page, View, ViewParams, agenda_to_link
from insight.data_version import data_version
from tests.browser.conftest import ROOT, assert_no_exception, save_screenshot, wait_idle

DATA = ROOT / "data"
BASILDON = "E07000066"


def _first_basildon_division() -> tuple[str, str]:
    areas = pd.read_parquet(DATA / "areas.parquet")
    row = areas[(areas["level"] == "division") & (areas["parent_code"] == BASILDON)].sort_values("area_name").iloc[0]
    return str(row["area_code"]), str(row["area_name"])


DIVISION, DIVISION_NAME = _first_basildon_division()
SLIDES: tuple[tuple[Page, str, ViewParams, str], ...] = (
    (Page.OVERVIEW, "Essex at a glance", ViewParams(), "Opening: the county headline figures."),
    (Page.TRENDS, "Claimant count in Basildon", ViewParams(districts=(BASILDON,), indicator="claimant_count"),
     "Ask whether the fall has reached Pitsea."),
    (Page.PRIORITY_MAP, "Where need looks greatest", ViewParams(), ""),
    (Page.DIVISION_PROFILE, f"{DIVISION_NAME} in brief", ViewParams(divisions=(DIVISION,)), "Local member present."),
)


@pytest.fixture(scope="module")
def agenda_link() -> str:
    views = tuple(View(page, title, params, note) for page, title, params, note in SLIDES)
    agenda = Agenda("Place scrutiny committee", date(2026, 12, 14), data_version(DATA), views)
    return agenda_to_link(agenda)


@pytest.fixture
def presenting(browser, server_url, agenda_link):
    """A 1280×720 window (the projector) on slide 1 of the agenda in committee mode."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{server_url}/?mode=present&agenda={quote(agenda_link)}", wait_until="domcontentloaded")
    wait_idle(page)
    yield page
    context.close()


def _slide(page) -> int:
    match = re.search(r"Slide (\d+) of (\d+)", page.inner_text("body"))
    assert match, "no 'Slide n of N' in the step bar"
    assert int(match.group(2)) == len(SLIDES)
    return int(match.group(1))


def _press(page, key: str, expected: int) -> None:
    """Press a key as a clicker would (on the page, not in a field) and wait for the slide it leads to."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # away from any field
    page.keyboard.press(key)
    page.wait_for_function(f"() => document.body.innerText.includes('Slide {expected} of {len(SLIDES)}')",
                           timeout=60_000)
    wait_idle(page)


def _check_slide(page, number: int) -> None:
    """The slide on screen is the agenda's view ``number``: its title, its own page's source line with the data
    stamp, a finding in words, no sidebar, nothing cut or overflowing at 1280×720."""
    page_kind, title, _params, _note = SLIDES[number - 1]
    assert _slide(page) == number
    assert page.locator("h1").first.inner_text().strip() == title
    body = page.inner_text("body")
    stamp = data_version(DATA).stamp
    assert stamp in body and f"from {PAGE_LABELS[page_kind]}" in body
    lead = page.locator('[data-testid="stMarkdownContainer"] strong').first.inner_text().strip()
    assert len(lead) > 20 and not lead.startswith("This view cannot be shown"), lead
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stToolbar"]').count() == 0 or \
        not page.locator('[data-testid="stToolbar"]').is_visible()
    assert_no_exception(page)
    problems = layout_problems(page)
    assert not problems, problems
    if page_kind is Page.TRENDS:
        assert "Basildon" in lead
        assert page.locator('[data-testid="stVegaLiteChart"]').count() == 1
    if page_kind is Page.PRIORITY_MAP:
        assert page.locator('[data-testid="stDeckGlJsonChart"]').count() == 1
    if page_kind is Page.DIVISION_PROFILE:
        assert DIVISION_NAME in body


def test_an_agenda_steps_forward_and_back_with_the_clicker_keys(presenting):
    page = presenting
    _check_slide(page, 1)
    save_screenshot(page, "committee_slide_1")
    for key, number in (("ArrowRight", 2), ("PageDown", 3), ("ArrowRight", 4)):
        _press(page, key, number)
        assert f"slide={number}" in page.url
        _check_slide(page, number)
        save_screenshot(page, f"committee_slide_{number}")
    assert page.get_by_role("button", name="Next ▶").is_disabled()  # the last slide: nowhere further to go
    for key, number in (("PageUp", 3), ("ArrowLeft", 2), ("PageUp", 1)):
        _press(page, key, number)
        _check_slide(page, number)
    assert page.get_by_role("button", name="◀ Previous").is_disabled()


def test_the_on_screen_buttons_step_and_speaker_notes_show_only_when_asked(presenting):
    page = presenting
    page.get_by_role("button", name="Next ▶").click()
    page.wait_for_function("() => document.body.innerText.includes('Slide 2 of')", timeout=60_000)
    wait_idle(page)
    _check_slide(page, 2)
    note = SLIDES[1][3]
    assert note not in page.inner_text("body")  # notes are for the officer, off unless switched on
    page.get_by_text("Speaker notes").click()
    page.get_by_text(note).wait_for(timeout=60_000)
    save_screenshot(page, "committee_speaker_note")
    page.get_by_role("button", name="◀ Previous").click()
    page.wait_for_function("() => document.body.innerText.includes('Slide 1 of')", timeout=60_000)
    wait_idle(page)
    _check_slide(page, 1)


def test_escape_leaves_committee_mode_for_the_dashboard(presenting):
    page = presenting
    _press(page, "ArrowRight", 2)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !location.search.includes('mode=present')", timeout=60_000)
    wait_idle(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    assert "Slide 2 of" not in page.inner_text("body")
    assert_no_exception(page)


def test_a_link_to_a_slide_past_the_end_opens_the_first_and_says_so(browser, server_url, agenda_link):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{server_url}/?mode=present&slide=99&agenda={quote(agenda_link)}", wait_until="domcontentloaded")
        wait_idle(page)
        assert _slide(page) == 1
        assert "slide" in page.locator('[data-testid="stAlert"]').first.inner_text().lower()
        assert_no_exception(page)
    finally:
        context.close()


CRAFTED = "[Re-login](https://evil.example) ![x](http://evil.example/p.png) www.evil.example <b>big</b> **x**"


@pytest.mark.parametrize("path", ["?mode=present", "committee"])
def test_a_crafted_agenda_link_shows_its_titles_and_notes_as_typed(browser, server_url, path):
    """An agenda's titles and notes are free text from a link: shown as text, never as Markdown or HTML (no
    link, image or styling from them), on the slide, its speaker note and the Committee page's list."""
    agenda = Agenda(CRAFTED, date(2026, 12, 14), data_version(DATA), (View(Page.OVERVIEW, CRAFTED, ViewParams(),
                                                                                CRAFTED),))
    context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
    page = context.new_page()
    joiner = "&" if "?" in path else "?"
    page.goto(f"{server_url}/{path}{joiner}agenda={quote(agenda_to_link(agenda))}", wait_until="domcontentloaded")
    wait_idle(page)
    if path.startswith("?mode=present"):
        assert page.locator("h1").first.inner_text().strip() == CRAFTED
        page.get_by_text("Speaker notes").click()
        page.get_by_text("Speaker note.").wait_for(timeout=60_000)
    main = page.locator('[data-testid="stMain"]')
    assert main.inner_text().count(CRAFTED) >= 2  # the title and the note, each exactly as typed
    assert main.locator('a[href*="evil"]').count() == 0 and page.locator('img[src*="evil"]').count() == 0
    assert main.locator("b", has_text="big").count() == 0
    assert_no_exception(page)
    context.close()
