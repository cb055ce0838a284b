"""Benchmark: how long the Scenarios page takes to respond to a lever change (prints figures; asserts nothing).

Starts `streamlit run app.py` on a free port, opens the Scenarios page in Debian's headless Chromium with three
scenarios (one with an uncertain step, so its ranges are simulated), then moves the first scenario's trend
slider with the keyboard N times. Each sample is the wall time from the key press until the chart's
finding sentence has changed, the chart's SVG has been redrawn and the script is idle again: what a presenter
sees. Also prints the in-process cost of one lever change (apply + table + chart spec).

Usage: .venv/bin/python scripts/bench_scenarios.py [--changes 40] [--data illustrative|open]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from benchlib import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    p95,
    running_app,
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


BARE_APP = '''
import streamlit as st

@st.fragment
def lever():
    value = st.slider("Change a year, relative to the projection", -20.0, 20.0, -3.0, 0.5)
    st.markdown(f"In a bare app, the baseline projection for {value}")
    st.vega_lite_chart({"data": {"values": [{"x": 0, "y": 0}, {"x": 1, "y": value}]}, "mark": "line",
                        "encoding": {"x": {"field": "x", "type": "quantitative"},
                                     "y": {"field": "y", "type": "quantitative"}}}, width="stretch")

lever()
'''


def browser_lever_changes(view: dict[str, str], changes: int, script: Path | None = None
                          ) -> tuple[list[float], list[float]]:
    """Per lever change in a real browser: milliseconds from the key press to the updated page, and from the
    key press to the server's last websocket message of that rerun (server work + transport)."""
    from urllib.parse import urlencode

    from playwright.sync_api import sync_playwright

    timings: list[float] = []
    server: list[float] = []
    frames: list[float] = []
    with running_app(script or ROOT / "app.py") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1600, "height": 1400})
        page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter())))
        page.goto(f"{base}/", wait_until="domcontentloaded")
        wait_idle(page, 120_000)
        if script is None:
            page.goto(f"{base}/scenarios?{urlencode(view)}", wait_until="domcontentloaded")
            wait_idle(page, 180_000)
        page.wait_for_selector(CHART, timeout=60_000)
        thumb = page.locator(TREND_SLIDER).first
        thumb.focus()
        for i in range(changes + 3):  # the first three are warm-up and are not counted
            before = page.evaluate(SNAPSHOT, [CHART])
            key = "ArrowLeft" if (i // 4) % 2 == 0 else "ArrowRight"
            frames.clear()
            started = time.perf_counter()
            thumb.press(key)
            page.wait_for_function(CHANGED, arg=[CHART, IDLE, before], timeout=30_000, polling="raf")
            elapsed = (time.perf_counter() - started) * 1000
            if i >= 3:
                timings.append(elapsed)
                if frames:
                    server.append((frames[-1] - started) * 1000)
            page.wait_for_timeout(150)
        browser.close()
    return timings, server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--data", choices=sorted(VIEWS), default="illustrative")
    args = parser.parse_args()
    view = VIEWS[args.data]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    cost = in_process_cost(view)
    print(f"in-process lever change ({args.data}, 3 scenarios): median {statistics.median(cost):.1f} ms, "
          f"p95 {p95(cost):.1f} ms")
    timings, server = browser_lever_changes(view, args.changes)
    print(f"browser lever-change rerun ({args.data}, {len(timings)} changes): "
          f"median {statistics.median(timings):.0f} ms, p95 {p95(timings):.0f} ms, "
          f"max {max(timings):.0f} ms (target p95 <= 300 ms)")
    if server:
        print(f"  of which key press -> server's last message: median {statistics.median(server):.0f} ms, "
              f"p95 {p95(server):.0f} ms")
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare_fragment.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        bare_timings, _ = browser_lever_changes(view, args.changes, script=bare)
    print(f"for scale, a bare Streamlit fragment (one slider, one line chart) on the same machine: "
          f"median {statistics.median(bare_timings):.0f} ms, p95 {p95(bare_timings):.0f} ms")
    print(f"machine: load average {os.getloadavg()[0]:.1f} at end (other jobs share these cores)")


if __name__ == "__main__":
    main()
