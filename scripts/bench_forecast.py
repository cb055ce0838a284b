"""Benchmark the projection engine (prints figures; not a test).

- precompute time for every projectable real series (2 worker processes: back-test forecasts from every
  cut of every series, the leak-free evaluation, the pool, the projections), written to a temporary folder;
- one live projection (median of several, Prophet already imported);
- the leak-free evaluation's figures (data/evaluation.json, or the fresh run's): per horizon, median MASE
  of the method used against naive on the same outcomes and the coverage of the 80% and 95% ranges;
- the Trends page in headless Chromium: rerun after changing the indicator in the sidebar, until the
  new chart is drawn (first change of each indicator uncached; then median and p95 over 20 changes).

Run: .venv/bin/python scripts/bench_forecast.py [--skip-precompute] [--skip-page]
(--skip-precompute summarises the committed data/evaluation.json instead of recomputing.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from benchlib import p95

from insight import schema as s
from insight.forecast import project_series
from insight.forecast.evaluate import format_report
from insight.forecast.models import _import_prophet
from insight.forecast.precompute import default_jobs, precompute_all, series_tasks
from insight.loaders import DEFAULT_DATA_DIR, get_indicator, load_indicators, load_observations

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
    entry = get_indicator(indicators, indicator_id)
    _import_prophet()
    times, cpus = [], []
    for _ in range(LIVE_RUNS):
        started, cpu = time.perf_counter(), cpu_seconds()
        projection = project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency, horizon=5,
                                    value_type=entry.value_type, indicator_id=indicator_id, area_code=area)
        times.append(time.perf_counter() - started)
        cpus.append(cpu_seconds() - cpu)
    print(f"live projection ({indicator_id}, {area}, {len(history)} points, method {projection.method}): "
          f"median {1000 * statistics.median(times):.0f} ms, min {1000 * min(times):.0f} ms over {LIVE_RUNS} "
          f"runs (target <= 300 ms); CPU median {1000 * statistics.median(cpus):.0f} ms")


def summarise_evaluation(blocks: dict[str, dict[str, object] | None]) -> None:
    print("leak-free evaluation (make evaluate):")
    print(format_report(blocks))


def bench_page() -> None:
    from benchlib import CHROMIUM, CHROMIUM_ARGS, IDLE, running_app
    from playwright.sync_api import sync_playwright

    drawn = ("(title) => Array.from(document.querySelectorAll('[aria-label]')).some("
             "e => e.getAttribute('aria-label').startsWith('Line chart of ' + title))")
    with running_app(ROOT / "app.py") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{base}/", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=120_000)
        page.goto(f"{base}/trends", wait_until="domcontentloaded")
        page.wait_for_function(drawn, arg=PAGE_INDICATORS[0], timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        box = page.locator('input[aria-label="Indicator"]')
        first: list[float] = []
        latencies: list[float] = []
        for i in range(PAGE_CHANGES + 1):
            option = PAGE_INDICATORS[(i + 1) % 2]
            box.click()
            box.fill(option)  # the option list is virtualised: type to bring the option into view
            target = page.locator('[role="option"]').filter(has_text=option).first
            target.wait_for()
            started = time.perf_counter()
            target.click()
            page.wait_for_function(drawn, arg=option, timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            (first if i == 0 else latencies).append(time.perf_counter() - started)
        toggles = []  # the same round trip without redrawing the chart: how much is the chart's drawing
        toggle = page.get_by_text("View as table")
        for i in range(PAGE_CHANGES):
            started = time.perf_counter()
            toggle.click()
            page.wait_for_function("(on) => (document.querySelectorAll('[data-testid=\"stDataFrame\"]')"
                                   ".length > 0) === on", arg=i % 2 == 0, timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            toggles.append(time.perf_counter() - started)
        browser.close()
    print(f"trends page, indicator change to new chart drawn: first (uncached) {1000 * first[0]:.0f} ms; then over "
          f"{len(latencies)} changes median {1000 * statistics.median(latencies):.0f} ms, p95 "
          f"{1000 * p95(latencies):.0f} ms (target p95 <= 300 ms)")
    print(f"  for scale, a rerun that does not redraw the chart (table toggle): median "
          f"{1000 * statistics.median(toggles):.0f} ms, p95 {1000 * p95(toggles):.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-precompute", action="store_true")
    parser.add_argument("--skip-page", action="store_true", help="no browser measurement of the Trends page")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores; other work on the machine slows wall times)")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
