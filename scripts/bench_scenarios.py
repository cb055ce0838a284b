"""Benchmark: how long the Scenarios page takes to respond to a lever change (prints figures; asserts nothing).

Starts `streamlit run app.py` on a free port, opens the Scenarios page in Debian's headless Chromium with three
scenarios (one with an uncertain step, so its ranges are simulated), then moves the first scenario's trend
slider with the keyboard N times, each timed in the page from the key press to the page completely redrawn
(benchlib.timed_rerun), beside a bare Streamlit fragment (one slider, a sentence, one line chart), interleaved.
Also prints the in-process cost of one lever change (apply + table + chart spec).

Usage: .venv/bin/python scripts/bench_scenarios.py [--changes 20] [--data illustrative|open]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from benchlib import (
    BARE_APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    SideBySide,
    open_timed_page,
    p95,
    print_load,
    running_app,
    slider_press,
    timed_rerun,
    wait_idle,
)

ROOT = Path(__file__).resolve().parents[1]

SCENARIOS = ("n:Early help,t:-3,ts:2026-04~n:Family hub,s:-8,sl:-14,sh:-3,ss:2026-09"
             "~n:Growth,p:1,ps:2026-01,t:1,ts:2026-01")
VIEWS = {
    "illustrative": {"scn_data": "illustrative", "scn_indicator": "demo_csc_referrals", "scn_area": "E58000426",
                     "scn_horizon": "36", "scenarios": SCENARIOS},
    "open": {"scn_data": "open", "scn_indicator": "gdhi_per_head", "scn_area": "E10000012", "scn_horizon": "5",
             "scenarios": SCENARIOS.replace("s:-8,sl:-14,sh:-3", "s:-800,sl:-1400,sh:-300")},
}
CHART = '[data-testid="stVegaLiteChart"][role="graphics-document"]'
# "Updated" = the page's finding sentence has changed, the chart's SVG has been redrawn, and the script is idle.
SNAPSHOT = """([chart]) => {
  const svg = document.querySelector(chart + ' svg');
  const text = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .map(e => e.innerText).find(t => t.includes('the baseline projection for')) || '';
  return [text, svg ? svg.innerHTML : ''];
}"""
CHANGED = """([chart, idle, old]) => {
  const svg = document.querySelector(chart + ' svg');
  const text = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .map(e => e.innerText).find(t => t.includes('the baseline projection for')) || '';
  return text !== old[0] && svg && svg.innerHTML !== old[1] && document.querySelector(idle);
}"""
TREND_SLIDER = 'input[type="range"][aria-label="Change a year, relative to the projection"]'


def in_process_cost(view: dict[str, str], repeats: int = 20) -> list[float]:
    """Milliseconds for one lever change without Streamlit: apply the scenarios, tabulate, build the chart."""
    from insight import query
    from insight.forecast import project_series
    from insight.loaders import get_indicator, load_dataset, load_observations
    from insight.periods import period_labeller
    from insight.scenarios import (
        PopulationEffect,
        Scenario,
        TrendChange,
        apply_scenario,
        scenarios_from_query,
        tabulate_scenarios,
    )
    from views.scenario_charts import build_scenario_chart

    dataset = load_dataset(ROOT / "data")
    observations = (load_observations(ROOT / "data", file="illustrative_demand.parquet")
                    if view["scn_data"] == "illustrative" else dataset.observations)
    history = query.series(observations, view["scn_indicator"], [view["scn_area"]])
    history = history[history["value"].notna()]
    entry = get_indicator(dataset.indicators, view["scn_indicator"])
    baseline = project_series(history[["period_start", "value"]], frequency=entry.frequency,
                              horizon=int(view["scn_horizon"]), value_type=entry.value_type).frame
    scenarios = list(scenarios_from_query(view["scenarios"]))
    labeller = period_labeller(entry.frequency, str(history["period_label"].iloc[-1]), history["period_start"].iloc[-1])
    timings = []
    for i in range(repeats):
        scenarios[0] = Scenario(scenarios[0].name, trend=TrendChange(-3 + 0.5 * (i % 4), date(2026, 4, 1)))
        started = time.perf_counter()
        results = [(sc.name, apply_scenario(baseline, sc, population_effect=PopulationEffect.COUNT,
                                            lower_bound=0.0)) for sc in scenarios]
        table = tabulate_scenarios(baseline, results, monthly=entry.frequency == "monthly", labeller=labeller)
        build_scenario_chart(history, baseline, results, title="t", subtitle="s", unit=entry.unit,
                             source_line=entry.source_line, caveat="c", description=str(len(table)),
                             labeller=labeller)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def browser_lever_changes(view: dict[str, str], changes: int) -> SideBySide:
    """Lever changes in a real browser, timed in the page from the key press to the page completely redrawn
    (benchlib.timed_rerun), beside a bare Streamlit fragment (one slider, a sentence, one line chart);
    interleaved."""
    from urllib.parse import urlencode

    from playwright.sync_api import sync_playwright

    with running_app(ROOT / "app.py") as base, running_app(BARE_APP) as bare_base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        bare = open_timed_page(browser, f"{bare_base}/?kind=lever", height=1400)
        page = open_timed_page(browser, f"{base}/", height=1400)
        page.goto(f"{base}/scenarios?{urlencode(view)}", wait_until="domcontentloaded")
        wait_idle(page, 180_000)
        page.wait_for_selector(CHART, timeout=60_000)

        def app_step(i: int) -> tuple[float, int]:
            before = page.evaluate(SNAPSHOT, [CHART])
            seconds, size = timed_rerun(page, slider_press(page, TREND_SLIDER, i))
            page.wait_for_function(CHANGED, arg=[CHART, IDLE, before], timeout=10_000)  # really redrawn
            return seconds, size

        result = SideBySide("Scenarios: lever (trend slider) one step to the chart redrawn").run(
            changes, app_step, lambda i: timed_rerun(bare, slider_press(bare, TREND_SLIDER, i)), warmup=3)
        browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--data", choices=sorted(VIEWS), default="illustrative")
    args = parser.parse_args()
    view = VIEWS[args.data]
    print_load("start of bench_scenarios")
    cost = in_process_cost(view)
    print(f"in-process lever change ({args.data}, 3 scenarios): median {statistics.median(cost):.1f} ms, "
          f"p95 {p95(cost):.1f} ms")
    browser_lever_changes(view, args.changes).print()
    print_load("end of bench_scenarios")

if __name__ == "__main__":
    main()
