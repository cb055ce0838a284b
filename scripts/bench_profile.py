"""Benchmark the Division profile (prints figures; not a test).

- switching division in the page's picker: the page script's rerun time (AppTest, no browser), and end to end
  in a real server + headless Chromium, timed in the page from the click event to the first frame painted
  after the last change anywhere in the app once the script has finished (benchlib.timed_rerun), beside a bare
  Streamlit app whose picker redraws a title, text, a bar chart of 21 rows and a table, interleaved; with the
  IMD chart shown, then with a theme's four trend cards; every switch counted, first visits included. The app is
  served as `make run` serves it (scripts/serve.py), once its warm-up, which fills every division's profile in
  the server's caches, has finished;
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
    BARE_APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    SideBySide,
    canvases_in_main,
    open_timed_page,
    pick_option,
    print_load,
    running_app,
    running_served_app,
    shown_choice,
    summary_ms,
    timed_rerun,
    wait_idle,
)

ROOT = Path(__file__).resolve().parents[1]

DIVISIONS = ["Abbey", "Basildon Pitsea", "Brentwood Hutton", "Brightlingsea", "Bocking", "Thaxted",
             "Waltham Abbey", "Witham Southern"]
ROUNDS = 2  # round 1 = first visits, round 2 = revisits
CARDS_THEME = "Economy"
SPINE = '[aria-label^="Spine chart of 21 indicators for {name} "]'
PICKER = '[data-testid="stMain"] input[role=combobox]'  # the first picker in the page: the division (app and bare)


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
    picker = page.locator(PICKER).first
    picker.click()
    picker.fill(name)
    option = page.locator('[role=option]').filter(has_text=f"· {name}").first
    option.wait_for()
    page.wait_for_timeout(100)  # let the list settle, as a person's eye would
    return option


@dataclass
class BrowserFigures:
    """Division switches beside a bare app's, and the PDF download."""

    imd: SideBySide  # the IMD chart shown (the page's default view)
    cards: SideBySide  # a theme's four trend cards shown instead
    download: float
    canvases: int


def browser_figures(rounds: int = ROUNDS) -> BrowserFigures:
    """Switch division in the page's picker in a real server + headless Chromium, timed in the page from the
    click event to the new profile completely drawn (benchlib.timed_rerun), beside a bare app whose picker
    redraws a title, text, a bar chart of 21 rows and a table; interleaved. Every switch is counted, the
    first visits too (the app as `make run` serves it, after its warm-up: the profiles are in the server's
    caches, the browser's are cold). Then the same with a theme's trend cards; then the PDF download."""
    from playwright.sync_api import sync_playwright

    with running_served_app() as base, running_app(BARE_APP) as bare_base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bare = open_timed_page(browser, f"{bare_base}/?kind=division")
        page = open_timed_page(browser, f"{base}/")  # registers st.navigation first
        page.goto(f"{base}/division_profile?division=E58000402", wait_until="domcontentloaded")
        page.wait_for_selector(SPINE.format(name="Abbey"), timeout=120_000)
        wait_idle(page, 120_000)
        page.wait_for_timeout(1000)
        order = DIVISIONS[1:] + DIVISIONS[:1]

        def app_step(i: int) -> tuple[float, int]:
            wait_idle(page)
            name = order[i % len(order)]
            if shown_choice(page, PICKER).endswith(f"· {name}"):  # already shown (a step done again): the next one
                name = order[(i + 1) % len(order)]
            seconds, size = timed_rerun(page, _pick(page, name).click)
            assert page.locator(SPINE.format(name=name)).count() == 1
            return seconds, size

        def bare_step(i: int) -> tuple[float, int]:
            wait_idle(bare)
            shown = int(shown_choice(bare, PICKER).split()[-1])  # "Area 07"
            name = f"Area {(shown + 1) % 70:02d}"  # typed: the list is virtualised, an option off screen is not drawn
            return timed_rerun(bare, pick_option(bare, PICKER, name, fill=name).click)

        n = rounds * len(order)
        imd = SideBySide("Division profile: switch division, IMD view (every switch, first visits included)").run(
            n, app_step, bare_step, warmup=0)
        canvases = canvases_in_main(page)
        page.locator('[data-testid="stMain"] button', has_text=CARDS_THEME).first.click()
        wait_idle(page, 60_000)
        cards = SideBySide(f"Division profile: switch division, {CARDS_THEME} trend-card view "
                           "(first visits included)").run(n, app_step, bare_step, warmup=0)
        button = page.get_by_role("button", name="Download one-page summary (PDF, A4)")
        started = time.perf_counter()
        with page.expect_download(timeout=60_000) as info:
            button.click()
        info.value.path()
        download = time.perf_counter() - started
        browser.close()
        return BrowserFigures(imd, cards, download, canvases)


def main() -> None:
    print_load("start of bench_profile")
    pdf_times, csv_times = export_in_process()
    print(f"one-page PDF built in process, no cache (5 divisions): median {statistics.median(pdf_times):.2f} s, "
          f"max {max(pdf_times):.2f} s; every PDF has 1 page")
    print(f"profile CSV built in process: median {statistics.median(csv_times) * 1000:.1f} ms")
    script_first, script_again = script_reruns()
    print(f"page script rerun on switching division (AppTest, no browser), first visit: {summary_ms(script_first)}")
    print(f"page script rerun on switching division (AppTest, no browser), revisit: {summary_ms(script_again)}")
    figures = browser_figures()
    figures.imd.print()
    figures.cards.print()
    if figures.canvases:
        print(f"  NOTE: {figures.canvases} canvas element(s) in the page; their redraws are not seen by this timer")
    print(f"PDF download, click to file in the browser (first request for that division): {figures.download:.2f} s")
    print_load("end of bench_profile")

if __name__ == "__main__":
    main()
