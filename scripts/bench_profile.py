"""Benchmark the Division profile (prints figures; not a test).

- switching division in the page's picker: the page script's rerun time (AppTest, no browser), and end to end
  in a real server + headless Chromium, timed in the page from the click event to the first frame painted
  after the last change anywhere in the app (header, summary, spine chart, trend chart, tables, widgets,
  sidebar) once the script has finished: the first switches after the page opened (server caches cold and
  the browser's JavaScript not yet warmed up), first visits to other divisions later (server caches cold),
  and revisits; median and p95 (target p95 <= 300 ms); and, for comparison with earlier figures, the same switches timed in
  Python around Playwright's click;
- export: the one-page PDF built in process without cache (median of 5), the CSV, and the browser's
  click-to-file time for the PDF download.

Run: .venv/bin/python scripts/bench_profile.py
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchlib import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    SWITCH_TIMER_JS,
    arm_switch_timer,
    canvases_in_main,
    running_app,
    summary_ms,
    switch_drawn_seconds,
)

ROOT = Path(__file__).resolve().parents[1]

DIVISIONS = ["Abbey", "Basildon Pitsea", "Brentwood Hutton", "Brightlingsea", "Bocking", "Thaxted",
             "Waltham Abbey", "Witham Southern"]
ROUNDS = 4  # round 1 = first visits, rounds 2-4 = revisits
CARDS_THEME = "Economy"
# Visited once, after the rounds above: the browser is warm, the server has never built these divisions.
LATER_FIRST_VISITS = ["Chelmer", "Clacton East", "Harlow West", "Loughton Central", "Rayleigh North",
                      "Saffron Walden", "Abbey"]
SPINE = '[aria-label^="Spine chart of 21 indicators for {name} "]'


def export_in_process() -> tuple[list[float], list[float]]:
    from insight import profile as pr
    from insight.config import load_config
    from insight.loaders import load_dataset
    from views.profile_export import ProfileHeader, build_profile_pdf, pdf_page_count
    from views.words import AreaWords

    dataset = load_dataset(ROOT / "data")
    table = pr.division_table(dataset.observations, dataset.indicators, dataset.areas, "E10000012", "E92000001")
    pdf_times, csv_times = [], []
    for code in ["E58000402", "E58000403", "E58000410", "E58000420", "E58000460"]:
        profile = pr.build_division_profile(table, code, "Essex")
        header = ProfileHeader(profile.name, code, "-", 1.0, "Essex", date.today(),
                               AreaWords.of(load_config(), 70))
        started = time.perf_counter()
        pdf = build_profile_pdf(profile.frame, profile.summary, header)
        pdf_times.append(time.perf_counter() - started)
        assert pdf_page_count(pdf) == 1
        started = time.perf_counter()
        pr.profile_csv(profile.frame)
        csv_times.append(time.perf_counter() - started)
    return pdf_times, csv_times


def script_reruns() -> tuple[list[float], list[float]]:
    """The page script alone (AppTest, no browser): rerun time after choosing another division in the picker."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "division_profile.py"), default_timeout=120)
    at.query_params["division"] = "E58000402"
    at.run()
    codes = ["E58000404", "E58000410", "E58000414", "E58000407", "E58000464", "E58000467", "E58000470",
             "E58000402"]
    first: list[float] = []
    again: list[float] = []
    for round_ in range(ROUNDS):
        for code in codes:
            at.selectbox(key="profile_division_picker").set_value(code)
            started = time.perf_counter()
            at.run()
            (first if round_ == 0 and code != "E58000402" else again).append(time.perf_counter() - started)
            assert not at.exception
    return first, again


def _pick(page, name: str):
    """Open the page's division picker, type the name and return its option (not clicked yet)."""
    picker = page.locator('[data-testid="stMain"] input[role=combobox]').first
    picker.click()
    picker.fill(name)
    option = page.locator('[role=option]').filter(has_text=f"· {name}").first
    option.wait_for()
    page.wait_for_timeout(100)  # let the list settle, as a person's eye would
    return option


@dataclass
class BrowserFigures:
    """Division switches timed in the page (seconds), the old wall-clock figures and the PDF download."""

    opening: list[float]  # the first switches after the page opened: server caches and the browser cold
    again: list[float]  # revisits: the division was shown before
    later_first: list[float]  # divisions never built by the server, once the browser has warmed up
    theme_cards: list[float]  # revisits with a theme's trend cards shown instead of the IMD chart
    wall_clock: list[float]
    download: float
    canvases: int


def browser_figures(rounds: int = ROUNDS) -> BrowserFigures:
    """Switch division in the page's picker in a real server + headless Chromium, timed in the page from
    the click event to the new profile completely drawn (benchlib.switch_drawn_seconds); then one more
    round timed the old way, in Python around Playwright's click (to the new spine chart and the script
    idle), for comparison with figures measured before; then the PDF download."""
    from playwright.sync_api import sync_playwright

    with running_app(ROOT / "app.py") as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.add_init_script(SWITCH_TIMER_JS)
            page.goto(f"{base}/", wait_until="domcontentloaded")  # registers st.navigation first
            page.wait_for_selector(IDLE, timeout=120_000)
            page.goto(f"{base}/division_profile?division=E58000402", wait_until="domcontentloaded")
            page.wait_for_selector(SPINE.format(name="Abbey"), timeout=120_000)
            page.wait_for_selector(IDLE, timeout=120_000)
            page.wait_for_timeout(1000)
            opening: list[float] = []
            again = []
            later_first: list[float] = []
            order = DIVISIONS[1:] + DIVISIONS[:1]
            for round_, names in enumerate([order] * rounds + [LATER_FIRST_VISITS]):
                for name in names:
                    option = _pick(page, name)
                    arm_switch_timer(page, name)
                    option.click()
                    drawn = switch_drawn_seconds(page)
                    assert page.locator(SPINE.format(name=name)).count() == 1
                    if name == "Abbey" or 0 < round_ < rounds:
                        again.append(drawn)
                    else:
                        (opening if round_ == 0 else later_first).append(drawn)
            canvases = canvases_in_main(page)
            page.locator('[data-testid="stMain"] button', has_text=CARDS_THEME).first.click()
            page.wait_for_selector(IDLE, timeout=60_000)
            theme_cards = []
            for round_ in range(2):  # round 1 builds each district's cards on the server
                for name in order:
                    option = _pick(page, name)
                    arm_switch_timer(page, name)
                    option.click()
                    drawn = switch_drawn_seconds(page)
                    if round_:
                        theme_cards.append(drawn)
            page.locator('[data-testid="stMain"] button', has_text="Deprivation").first.click()
            page.wait_for_selector(IDLE, timeout=60_000)
            wall_clock = []
            for name in order:
                option = _pick(page, name)
                started = time.perf_counter()
                option.click()
                page.wait_for_selector(SPINE.format(name=name), timeout=60_000)
                page.wait_for_selector(IDLE, timeout=60_000)
                wall_clock.append(time.perf_counter() - started)
            button = page.get_by_role("button", name="Download one-page summary (PDF, A4)")
            started = time.perf_counter()
            with page.expect_download(timeout=60_000) as info:
                button.click()
            info.value.path()
            download = time.perf_counter() - started
            browser.close()
        return BrowserFigures(opening, again, later_first, theme_cards, wall_clock, download, canvases)


def main() -> None:
    pdf_times, csv_times = export_in_process()
    print(f"one-page PDF built in process, no cache (5 divisions): median {statistics.median(pdf_times):.2f} s, "
          f"max {max(pdf_times):.2f} s; every PDF has 1 page")
    print(f"profile CSV built in process: median {statistics.median(csv_times) * 1000:.1f} ms")
    script_first, script_again = script_reruns()
    print(f"page script rerun on switching division (AppTest, no browser), first visit: {summary_ms(script_first)}")
    print(f"page script rerun on switching division (AppTest, no browser), revisit: {summary_ms(script_again)}")
    figures = browser_figures()
    print("switch division in the browser, click to the new profile completely drawn (timed in the page):")
    print(f"  first switches after the page opened (server caches cold, browser not warmed up): "
          f"{summary_ms(figures.opening)}")
    print(f"  first visit to a division once the browser has warmed up (server caches cold): "
          f"{summary_ms(figures.later_first)}")
    print(f"  revisit (cached): {summary_ms(figures.again)}")
    warm = figures.later_first + figures.again
    print(f"  every switch after the first round: {summary_ms(warm)}   (target p95 <= 300 ms)")
    print(f"  every switch, including the first round: {summary_ms(figures.opening + warm)}")
    print(f"  revisit with the {CARDS_THEME} trend cards shown (4 charts) instead of the IMD chart: "
          f"{summary_ms(figures.theme_cards)}")
    if figures.canvases:
        print(f"  NOTE: {figures.canvases} canvas element(s) in the page; their redraws are not seen by this timer")
    print(f"same switches timed the old way (Python around Playwright's click, to spine + idle; includes "
          f"Playwright's actionability checks and polling): {summary_ms(figures.wall_clock)}")
    print(f"PDF download, click to file in the browser (first request for that division): {figures.download:.2f} s")


if __name__ == "__main__":
    main()
