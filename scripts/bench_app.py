"""Benchmark the app frame beside a bare Streamlit app (prints figures; not a test).

- dataset load time (in process, median of 5) and in a fresh process including imports;
- cold start: launching the server (as `make run` starts it) to the first rendered page in headless Chromium,
  beside a bare one-page app started with `streamlit run` (scripts/bare/bare_app.py), interleaved;
- sidebar filter change (Theme) on every page, to the page completely drawn, timed in the page (benchlib), beside
  the bare app's sidebar selectbox redrawing a title, text, six metrics and one chart; interleaved;
- server memory (RSS) after the run.

Run: .venv/bin/python scripts/bench_app.py [--changes 10] [--pages overview,trends] (--pages "" for cold start only)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import (
    BARE_APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    SideBySide,
    free_port,
    open_timed_page,
    other_than_shown,
    p95,
    pick_option,
    print_load,
    start_served,
    start_streamlit,
    timed_rerun,
    wait_healthy,
    wait_idle,
)

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
PAGES = {"overview": "", "trends": "trends", "priority_map": "priority_map", "division_profile":
         "division_profile", "scenarios": "scenarios", "committee": "committee", "data_methods": "data_methods",
         "ethics": "ethics", "glossary": "glossary"}
THEMES = ("Economy", "Place")


def load_times() -> tuple[float, float]:
    from insight.loaders import load_dataset

    load_dataset(ROOT / "data")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        load_dataset(ROOT / "data")
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from insight.loaders import load_dataset; load_dataset()"],
                   cwd=ROOT, check=True)
    return statistics.median(times), time.perf_counter() - started


def cold_start(browser, bare: bool) -> float:
    """Seconds from launching the server to the first page rendered in the browser."""
    port = free_port()
    started = time.perf_counter()
    process = start_streamlit(BARE_APP, port) if bare else start_served(port)
    try:
        wait_healthy(port, process)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        page.wait_for_selector(f"h1:has-text('{'Bare app' if bare else 'Essex at a glance'}')", timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        elapsed = time.perf_counter() - started
        page.close()
        return elapsed
    finally:
        process.terminate()
        process.wait(timeout=10)


THEME_BOX = '[data-testid="stSidebar"] input[aria-label="Theme"]'


def theme_change(page):
    """A step of SideBySide: switch the sidebar's Theme to the one not shown now, timed in the page. (Chosen from
    what the box shows, not by step number: a step repeated after a missed click, or a change that did not hold,
    would otherwise pick the theme already chosen, which starts no rerun.)"""
    def step(i: int) -> tuple[float, int]:
        option = pick_option(page, THEME_BOX, other_than_shown(page, THEME_BOX, THEMES))
        return timed_rerun(page, option.click)
    return step


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    print_load("start of bench_app")
    load, load_fresh = load_times()
    print(f"dataset load (in process, median of 5): {load * 1000:.0f} ms   (target < 1 s)")
    print(f"dataset load in a fresh process incl. imports: {load_fresh:.2f} s")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cold = SideBySide("cold start to first rendered page (make run vs a bare one-page app)", target=1.3)
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            cold.app.append(cold_start(browser, bare=False))
            cold.bare.append(cold_start(browser, bare=True))
        ratio_p50 = statistics.median(cold.app) / statistics.median(cold.bare)
        met = "met" if cold.ratio <= cold.target else "NOT met"
        print(f"RATIO {cold.label}: app p50 {statistics.median(cold.app):.2f} s, p95 {p95(cold.app):.2f} s; bare p50 "
              f"{statistics.median(cold.bare):.2f} s, p95 {p95(cold.bare):.2f} s (n={len(cold.app)} each); ratio of "
              f"p95s {cold.ratio:.2f}x (target <= 1.3x: {met}); ratio of medians {ratio_p50:.2f}x", flush=True)
        app_port, bare_port = free_port(), free_port()
        app_process, bare_process = start_streamlit(ROOT / "app.py", app_port), start_streamlit(BARE_APP, bare_port)
        try:
            wait_healthy(app_port, app_process)
            wait_healthy(bare_port, bare_process)
            bare_page = open_timed_page(browser, f"http://127.0.0.1:{bare_port}/?kind=filter")
            app_page = open_timed_page(browser, f"http://127.0.0.1:{app_port}/")
            for name in [p for p in args.pages.split(",") if p]:
                app_page.goto(f"http://127.0.0.1:{app_port}/{PAGES[name]}", wait_until="domcontentloaded")
                wait_idle(app_page, 180_000)
                app_page.wait_for_timeout(1000)
                SideBySide(f"sidebar filter change (Theme), {name} page").run(
                    args.changes, theme_change(app_page), theme_change(bare_page)).print()
            rss = {name: int(Path(f"/proc/{p.pid}/status").read_text().split("VmRSS:")[1].split()[0])
                   for name, p in (("app", app_process), ("bare", bare_process))}
            print(f"server memory (RSS) after the changes: app {rss['app'] / 1024:.0f} MB, "
                  f"bare app {rss['bare'] / 1024:.0f} MB")
        finally:
            for process in (app_process, bare_process):
                process.terminate()
                process.wait(timeout=10)
        browser.close()
    print_load("end of bench_app")


if __name__ == "__main__":
    main()
