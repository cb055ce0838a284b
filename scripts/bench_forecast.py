"""Benchmark the projection engine (prints figures; not a test).

- precompute time for every projectable real series (2 worker processes: back-test forecasts from every
  cut of every series, the leak-free evaluation, the pool, the projections), written to a temporary folder;
- one live projection (median of several, Prophet already imported);
- the leak-free evaluation's figures (data/evaluation.json, or the fresh run's): per horizon, median MASE
  of the method used against naive on the same outcomes and the coverage of the 80% and 95% ranges;
- the Trends page in headless Chromium: changing the indicator in the sidebar, until the new chart is drawn,
  timed in the page, beside a bare Streamlit app redrawing one line chart (benchlib.SideBySide); interleaved.

Run: .venv/bin/python scripts/bench_forecast.py [--skip-precompute] [--skip-page]
(--skip-precompute summarises the committed data/evaluation.json instead of recomputing.)
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from benchlib import p95, print_load, wait_idle

from insight import schema as s
from insight.forecast import project_series
from insight.forecast.evaluate import format_report
from insight.forecast.models import _import_prophet
from insight.forecast.precompute import default_jobs, precompute_all, series_tasks
from insight.loaders import DEFAULT_DATA_DIR, load_indicators, load_observations

ROOT = Path(__file__).resolve().parents[1]

LIVE_RUNS = 7
PAGE_CHANGES = 20
PAGE_INDICATORS = ("Claimant count", "Employment rate")  # both in the default (economy) theme
LIVE_SERIES = ("claimant_count", "E10000012")  # Essex claimant count, 25 annual points


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (workers, cmdstan): independent of machine load."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_precompute(observations: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, dict[str, object] | None]:
    tasks = series_tasks(observations, indicators)
    _import_prophet()
    started, cpu = time.perf_counter(), cpu_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("indicators.csv", "observations.parquet", "areas.parquet"):
            (Path(tmp) / name).write_bytes((DEFAULT_DATA_DIR / name).read_bytes())
        out = precompute_all(tasks, Path(tmp), jobs=default_jobs(), progress=False)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    print(f"precompute (back-tests, evaluation, pool, projections): {len(tasks)} series in {elapsed:.1f} s on "
          f"{default_jobs()} processes (target <= 60 s); CPU {cpu:.1f} s, i.e. about {cpu / default_jobs():.0f} s "
          f"on {default_jobs()} idle cores")
    return out["blocks"]


def bench_live(observations: pd.DataFrame, indicators: pd.DataFrame) -> None:
    indicator_id, area = LIVE_SERIES
    history = observations[(observations[s.INDICATOR_ID] == indicator_id) & (observations[s.AREA_CODE] == area)]
    row = indicators.set_index(s.INDICATOR_ID).loc[indicator_id]
    _import_prophet()
    times, cpus = [], []
    for _ in range(LIVE_RUNS):
        started, cpu = time.perf_counter(), cpu_seconds()
        projection = project_series(history[[s.PERIOD_START, s.VALUE]], frequency=s.Frequency(str(row[s.FREQUENCY])), horizon=5,
                                    value_type=s.ValueType(str(row[s.VALUE_TYPE])), indicator_id=indicator_id, area_code=area)
        times.append(time.perf_counter() - started)
        cpus.append(cpu_seconds() - cpu)
    print(f"live projection ({indicator_id}, {area}, {len(history)} points, method {projection.method}): "
          f"median {1000 * statistics.median(times):.0f} ms, min {1000 * min(times):.0f} ms over {LIVE_RUNS} "
          f"runs (target <= 300 ms); CPU median {1000 * statistics.median(cpus):.0f} ms")


def summarise_evaluation(blocks: dict[str, dict[str, object] | None]) -> None:
    print("leak-free evaluation (make evaluate):")
    print(format_report(blocks))


def bench_page(changes: int = PAGE_CHANGES) -> None:
    """Trends: change the indicator in the sidebar, to the new chart completely drawn (timed in the page), beside
    a bare app's sidebar selectbox redrawing one line chart; interleaved. Then the table toggle (a rerun that
    does not redraw the chart) for scale."""
    from benchlib import (
        BARE_APP,
        CHROMIUM,
        CHROMIUM_ARGS,
        SideBySide,
        open_timed_page,
        other_than_shown,
        pick_option,
        running_app,
        timed_rerun,
    )
    from playwright.sync_api import sync_playwright

    drawn = ("(title) => Array.from(document.querySelectorAll('[aria-label]')).some("
             "e => e.getAttribute('aria-label').startsWith('Line chart of ' + title))")
    bare_options = ("Claimant count", "Employment rate")
    with running_app(ROOT / "app.py") as base, running_app(BARE_APP) as bare_base, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bare = open_timed_page(browser, f"{bare_base}/?kind=indicator")
        page = open_timed_page(browser, f"{base}/")
        page.goto(f"{base}/trends", wait_until="domcontentloaded")
        page.wait_for_function(drawn, arg=PAGE_INDICATORS[0], timeout=120_000)
        wait_idle(page, 120_000)
        first = []

        box = '[data-testid="stSidebar"] input[aria-label="Indicator"]'

        def app_step(i: int) -> tuple[float, int]:
            option = other_than_shown(page, box, PAGE_INDICATORS)
            target = pick_option(page, box, option, fill=option)
            seconds, size = timed_rerun(page, target.click)
            page.wait_for_function(drawn, arg=option, timeout=10_000)  # the new indicator's chart is there
            if i == 0:
                first.append(seconds)
            return seconds, size

        def bare_step(i: int) -> tuple[float, int]:
            option = other_than_shown(bare, box, bare_options)
            return timed_rerun(bare, pick_option(bare, box, option, fill=option).click)

        changes_run = SideBySide("Trends: indicator change to the new chart drawn").run(changes, app_step, bare_step,
                                                                                         warmup=1)
        print(f"trends page, first indicator change (uncached): {1000 * first[0]:.0f} ms")
        changes_run.print()
        toggle = page.get_by_text("View as table")
        toggles = SideBySide("  for scale, Trends table toggle (no chart redrawn)")
        for _ in range(10):
            toggles.app.append(timed_rerun(page, toggle.click)[0])
        print(f"{toggles.label}: p50 {1000 * statistics.median(toggles.app):.0f} ms, "
              f"p95 {1000 * p95(toggles.app):.0f} ms")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-precompute", action="store_true")
    parser.add_argument("--skip-page", action="store_true", help="no browser measurement of the Trends page")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args()
    print_load("start of bench_forecast")
    indicators = load_indicators(args.data_dir)
    observations = load_observations(args.data_dir)
    if args.skip_precompute:
        raw = json.loads((args.data_dir / "evaluation.json").read_text(encoding="utf-8"))
        blocks = {"annual": raw["annual"], "monthly": raw["monthly"]}
    else:
        blocks = bench_precompute(observations, indicators)
    bench_live(observations, indicators)
    summarise_evaluation(blocks)
    if not args.skip_page:
        bench_page()
    print_load("end of bench_forecast")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
