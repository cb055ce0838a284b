"""Real browser: every page renders, the Overview shows its figures, filters reach the URL, uploads explain."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.browser import open_option
from tests.browser.conftest import assert_no_exception, save_screenshot, wait_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PAGES = {"": "Essex at a glance", "trends": None, "priority_map": None, "division_profile": None,
         "scenarios": None, "data_methods": "Data & methods", "ethics": "Ethics & transparency"}


@pytest.mark.parametrize("path", [p for p in PAGES if p == "" or (ROOT / "pages" / f"{p}.py").exists()])
def test_every_page_renders_without_an_exception(app_page, path):
    page = app_page(path)
    assert_no_exception(page)
    heading = page.locator("h1").first.inner_text()
    if PAGES[path]:
        assert PAGES[path] in heading
    else:
        assert heading.strip()
    save_screenshot(page, f"page_{path or 'overview'}")


def test_overview_shows_headline_figures_and_comparisons(app_page):
    page = app_page("")
    page.get_by_text("Worse than England (95% confidence)").first.wait_for(timeout=30_000)  # the tiles are drawn
    for figure in ("76.8%", "£26,710 per head", "28.8%"):  # each tile in turn (read at once, one was not yet there)
        page.get_by_text(figure).first.wait_for(timeout=30_000)
    wait_idle(page)
    body = page.inner_text("body")
    for figure in ("76.8%", "£26,710 per head", "28.8%"):
        assert figure in body
    assert "Worse than England (95% confidence)" in body
    page.wait_for_selector('[data-testid="stVegaLiteChart"]')
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1  # sparklines drawn


def test_choosing_a_district_updates_the_url_and_the_division_list(app_page):
    page = app_page("")
    district = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    open_option(page, district.locator("input"), "Harlow", fill="Harlow").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    assert "district=Harlow" in page.url
    divisions = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1)
    open_option(page, divisions.locator("input"), "Harlow West")  # the list is drawn
    options = [o for o in page.locator('[role="option"]').all_inner_texts() if o != "Select all"]
    assert options == ["Harlow North", "Harlow South East", "Harlow West"]


def test_shared_link_reopens_the_same_view(app_page):
    page = app_page("", district="E07000076", indicator="adult_obesity")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Tendring" in sidebar.inner_text()
    boxes = sidebar.locator('[data-testid="stSelectbox"] input')
    boxes.nth(1).wait_for(timeout=30_000)  # both drawn (a count taken mid-rerun found none)
    assert [boxes.nth(i).input_value() for i in range(boxes.count())] == ["Health and wellbeing", "Adult obesity"]


def test_bad_link_gets_a_message_not_a_traceback(app_page):
    page = app_page("", division="E58000999", indicator="[drop](https://evil.example)")
    body = page.inner_text("body")
    assert "The link names 1 division value(s) that are not available here, so they are left out: E58000999." \
        in body
    assert "The link's indicator [drop](https://evil.example) is not one of the" in body
    assert page.locator('[data-testid="stAlert"] a').count() == 0  # the crafted value is text, not a link
    assert_no_exception(page)


def test_bad_upload_is_explained_and_the_good_one_is_kept(app_page, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("area_code,indicator_id,period,value\nE07000066,my_measure,2023,4.5\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("area_code,indicator_id,period,value\nE99999999,my_measure,2023,abc\n")
    page = app_page("data_methods")
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    upload.set_input_files(str(good))
    wait_idle(page)
    assert "Loaded 1 observations from good.csv" in page.inner_text("body")
    upload.set_input_files(str(bad))
    wait_idle(page)
    body = page.inner_text("body")
    assert "bad.csv was not loaded" in body
    assert "2 problem(s) found" in body
    assert "Your previously loaded file good.csv is still loaded." in body
    save_screenshot(page, "data_methods_bad_upload")
    better = tmp_path / "better.csv"
    better.write_text("area_code,indicator_id,period,value\nE07000066,my_measure,2022,4.1\n"
                      "E07000066,my_measure,2023,4.5\nE07000073,my_measure,2023,5.0\n")
    upload.set_input_files(str(better))
    wait_idle(page)
    body = page.inner_text("body")
    assert "Loaded 3 observations from better.csv" in body  # a second good file replaces the first
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0  # nothing drawn before it is described
    page.get_by_role("button", name="Show my data on every page").click()
    wait_idle(page)
    chart = page.locator('[aria-label="Line chart of the uploaded indicator My measure (your data) by area"]')
    chart.wait_for()
    save_screenshot(page, "data_methods_upload_chart")


CRAFTED = {
    "trends": {"years": "-99", "compare": "<img src=x>", "table": "maybe", "indicator": "../../etc",
               "horizon": "²"},
    "priority_map": {"weights": "imd25_income:1e309,evil:5", "norm": "DROP", "top": "²", "focus": "E58'--",
                     "measure": "![](http://127.0.0.1:9/p.png)"},
    "division_profile": {"division": "E58000402", "vs": "E99999999,,,'"},
    "scenarios": {"scenarios": "%7B%22__class__%22%3A1%7D", "horizon": "NaN", "area": "E00000000"},
    "data_methods": {"theme": "x" * 3000},
}


@pytest.mark.parametrize("path", [p for p in CRAFTED if (ROOT / "pages" / f"{p}.py").exists()])
def test_crafted_links_get_messages_never_a_traceback(app_page, path):
    page = app_page(path, **CRAFTED[path])
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().strip()
