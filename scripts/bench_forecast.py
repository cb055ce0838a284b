"""Benchmark the projection engine (prints figures; not a test).

- precompute time for every projectable real series (2 worker processes), written to a temporary folder;
- one live projection (median of several, Prophet already imported);
- back-test summary over all real series: share where Prophet beats naive drift / naive last value,
  median scaled error (MASE), and the empirical coverage of the 80% and 95% ranges;
- the Trends page in headless Chromium: rerun after changing the indicator in the sidebar, until the
  new chart is drawn (first change of each indicator uncached; then median and p95 over 20 changes).

Run: .venv/bin/python scripts/bench_forecast.py [--skip-precompute] [--skip-page]
(--skip-precompute summarises the committed data/backtests.parquet instead of recomputing.)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchlib import p95  # noqa: E402

from insight import schema as s  # noqa: E402
from insight.forecast import project_series  # noqa: E402
from insight.forecast.models import _import_prophet  # noqa: E402
from insight.forecast.precompute import (  # noqa: E402
    BACKTESTS_FILE,
    default_jobs,
    precompute,
    series_tasks,
    write_outputs,
)
from insight.loaders import DEFAULT_DATA_DIR, load_indicators, load_observations  # noqa: E402

LIVE_RUNS = 7
PAGE_CHANGES = 20
PAGE_INDICATORS = ("Claimant count", "Employment rate")  # both in the default (economy) theme
LIVE_SERIES = ("claimant_count", "E10000012")  # Essex claimant count, 25 annual points


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (workers, cmdstan): independent of machine load."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_precompute(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    tasks = series_tasks(observations, indicators)
    _import_prophet()
    started, cpu = time.perf_counter(), cpu_seconds()
    projections, backtests = precompute(tasks, jobs=default_jobs(), progress=False)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        write_outputs(projections, backtests, Path(tmp))
    print(f"precompute: {len(tasks)} series in {elapsed:.1f} s on {default_jobs()} processes "
          f"({1000 * elapsed / max(len(tasks), 1):.0f} ms per series; target <= 60 s); CPU {cpu:.1f} s, "
          f"i.e. about {cpu / default_jobs():.0f} s on {default_jobs()} idle cores")
    return backtests


def bench_live(observations: pd.DataFrame, indicators: pd.DataFrame) -> None:
    indicator_id, area = LIVE_SERIES
    history = observations[(observations[s.INDICATOR_ID] == indicator_id) & (observations[s.AREA_CODE] == area)]
    row = indicators.set_index(s.INDICATOR_ID).loc[indicator_id]
    _import_prophet()
    times, cpus = [], []
    for _ in range(LIVE_RUNS):
        started, cpu = time.perf_counter(), cpu_seconds()
        projection = project_series(history[[s.PERIOD_START, s.VALUE]], frequency=row[s.FREQUENCY], horizon=5,
                                    value_type=row[s.VALUE_TYPE])
        times.append(time.perf_counter() - started)
        cpus.append(cpu_seconds() - cpu)
    print(f"live projection ({indicator_id}, {area}, {len(history)} points, method {projection.method}): "
          f"median {1000 * statistics.median(times):.0f} ms, min {1000 * min(times):.0f} ms over {LIVE_RUNS} "
          f"runs (target <= 300 ms); CPU median {1000 * statistics.median(cpus):.0f} ms")


def summarise_backtests(backtests: pd.DataFrame) -> None:
    ok = backtests[backtests["error"] == ""]
    refused = len(backtests) - len(ok)
    beats_drift = float(np.mean(ok["mase_prophet"] < ok["mase_drift"]))
    beats_last = float(np.mean(ok["mase_prophet"] < ok["mase_naive_last"]))
    chosen_mase = ok.apply(lambda r: {"prophet": r["mase_prophet"], "naive_drift": r["mase_drift"],
                                      "naive_last": r["mase_naive_last"]}[r["chosen_method"]], axis=1)
    print(f"back-test over {len(ok)} real series ({refused} refused), 4 origins, 1-3 periods ahead:")
    print(f"  Prophet beats naive drift on {100 * beats_drift:.0f}% of series, naive last value on "
          f"{100 * beats_last:.0f}%")
    print(f"  median MASE: Prophet {ok['mase_prophet'].median():.2f}, naive drift {ok['mase_drift'].median():.2f}, "
          f"naive last {ok['mase_naive_last'].median():.2f}, method used {chosen_mase.median():.2f}")
    print(f"  methods used: {ok['chosen_method'].value_counts().to_dict()}")
    print(f"  empirical coverage (each origin left out in turn): 80% range {100 * ok['coverage_80'].mean():.1f}%, "
          f"95% range {100 * ok['coverage_95'].mean():.1f}% (target 75-85% for the 80% range)")


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
        first, latencies = [], []
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
        backtests = pd.read_parquet(args.data_dir / BACKTESTS_FILE)
    else:
        backtests = bench_precompute(observations, indicators)
    bench_live(observations, indicators)
    summarise_backtests(backtests)
    if not args.skip_page:
        bench_page()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
