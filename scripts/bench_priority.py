"""Benchmark the priority index and the Priority map page: prints figures, asserts nothing.

Usage: .venv/bin/python scripts/bench_priority.py [--core]

* stability simulation time for 1,000 draws × 70 areas × 12 indicators (median of repeats; target ≤ 200 ms)
* one score_priority call, for orientation
* bytes of the division and LSOA map layers sent to the browser (targets ≤ 250 KB and ≤ 1.5 MB)
* page rerun after a weight change, AppTest (median and p95 of 30 changes; target p95 ≤ 400 ms)
* in a real server + headless Chromium, timed in the page (benchlib.timed_rerun), beside a bare Streamlit app
  doing the same kind of work, interleaved: a weight slider moved one step (bare: six sliders, a deck.gl map of
  70 squares, a legend and a table), and a map click to the drill-down (bare: a deck.gl map whose click opens a
  header, a bar chart and a second map). The deck.gl canvases' own drawing is not seen by the timer (canvas
  redraws leave the DOM unchanged), in the app and the bare app alike.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from insight.priority import rank_stability, score_priority
from insight.schema import AREA_CODE, Polarity


def synthetic_divisions(n_areas: int = 70, n_indicators: int = 12, seed: int = 2025) -> tuple:
    """Random values shaped like the divisions' indicator frame (the timing does not depend on values)."""
    rng = np.random.default_rng(seed)
    ids = [f"ind_{j}" for j in range(n_indicators)]
    frame = pd.DataFrame(rng.gamma(2.0, 10.0, size=(n_areas, n_indicators)), columns=ids,
                         index=pd.Index([f"E58000{402 + i}" for i in range(n_areas)], name=AREA_CODE))
    polarity = {k: Polarity.HIGHER_IS_WORSE if j % 3 else Polarity.HIGHER_IS_BETTER for j, k in enumerate(ids)}
    weights = {k: float(w) for k, w in zip(ids, rng.uniform(0.5, 2.0, n_indicators), strict=True)}
    return frame, polarity, weights


def time_ms(func: Callable[[], object], repeats: int) -> list[float]:
    func()  # warm up
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        out.append((time.perf_counter() - start) * 1000)
    return out


def bench_core() -> None:
    frame, polarity, weights = synthetic_divisions()
    stab = time_ms(lambda: rank_stability(frame, polarity, weights, n_draws=1000), repeats=21)
    score = time_ms(lambda: score_priority(frame, polarity, weights), repeats=21)
    print(f"rank_stability, 1,000 draws x 70 areas x 12 indicators: median {statistics.median(stab):.1f} ms "
          f"(min {min(stab):.1f}, max {max(stab):.1f}; 21 repeats; target <= 200 ms)")
    print(f"score_priority, 70 areas x 12 indicators: median {statistics.median(score):.1f} ms")


def bench_layers() -> None:
    import json
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # bare-mode cache warnings
    from components import data
    from insight import schema as s
    from views import maps
    from views import priority as pm

    areas, indicators = data.areas(), data.indicators()
    names = dict(zip(areas[s.AREA_CODE], areas[s.AREA_NAME], strict=True))
    districts = pm.area_districts(areas)
    titles = pm.indicator_titles(indicators)
    weights = tuple((i, 5.0) for i in data.PRIORITY_DEFAULT_INDICATORS)
    result = data.priority_result(s.Level.DIVISION, weights, "zscore")
    deck: Any = data.priority_division_deck(result, names, districts, titles, 10, None)  # a pydeck.Deck
    total = len(deck.to_json().encode())
    print(f"division layer: {maps.layer_bytes(deck, maps.DIVISION_LAYER_ID) / 1024:.1f} KB "
          f"(whole division map incl. top-N, districts and names: {total / 1024:.1f} KB; target <= 250 KB)")
    sizes: dict[str, int] = {}
    for code in districts:
        lsoa_deck = data.priority_lsoa_drilldown(code, weights, "zscore", "score", titles).deck
        sizes[code] = maps.layer_bytes(lsoa_deck, maps.LSOA_LAYER_ID)
    largest = max(sizes, key=lambda c: sizes[c])
    every = len(json.dumps(data.boundaries(s.Level.LSOA), separators=(",", ":")).encode())
    print(f"LSOA layer of one division: median {statistics.median(sizes.values()) / 1024:.1f} KB, largest "
          f"{sizes[largest] / 1024:.1f} KB ({names[largest]}); all 903 LSOA polygons would be {every / 1024:.0f} KB "
          "(never sent: only the selected division's LSOAs are; target <= 1.5 MB)")


def bench_page(changes: int = 30) -> None:
    from streamlit.testing.v1 import AppTest

    page = str(Path(__file__).resolve().parents[1] / "pages" / "priority_map.py")
    rng = np.random.default_rng(7)
    for label, params in (("map + table", {}), ("map + table + drill-down", {"focus": "E58000426"})):
        at = AppTest.from_file(page, default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.run()  # warm
        sliders = [w.key for w in at.slider if w.key is not None]
        times = []
        for _ in range(changes):
            slider = at.slider(key=sliders[int(rng.integers(len(sliders)))])
            current = int(cast(int, slider.value))  # the weight sliders hold one integer each
            slider.set_value(int((current + rng.integers(1, 10)) % 11))
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
            if at.exception:
                raise SystemExit(at.exception[0].value)
        p95 = float(np.percentile(times, 95))
        print(f"page rerun after a weight change ({label}), AppTest, {changes} changes: median "
              f"{statistics.median(times):.0f} ms, p95 {p95:.0f} ms (target p95 <= 400 ms)")


def bench_browser(changes: int = 16, clicks: int = 8) -> None:
    from benchlib import (
        BARE_APP,
        CHROMIUM,
        CHROMIUM_ARGS,
        SideBySide,
        map_tap,
        open_timed_page,
        running_app,
        slider_press,
        timed_rerun,
        wait_idle,
    )
    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parents[1]
    slider = '[data-testid="stMain"] input[type="range"]'
    with running_app(root / "app.py") as base, running_app(BARE_APP) as bare_base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bare = open_timed_page(browser, f"{bare_base}/?kind=weight", height=1400)
        page = open_timed_page(browser, f"{base}/", height=1400)
        page.goto(f"{base}/priority_map", wait_until="domcontentloaded")
        wait_idle(page, 120_000)
        page.wait_for_selector(slider, state="attached", timeout=60_000)
        page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=60_000)
        SideBySide("Priority map: weight slider one step to the page redrawn").run(
            changes, lambda i: timed_rerun(page, slider_press(page, slider, i)),
            lambda i: timed_rerun(bare, slider_press(bare, slider, i))).print()
        bare.goto(f"{bare_base}/?kind=mapclick", wait_until="domcontentloaded")
        wait_idle(bare, 60_000)
        points = ((0.5, 0.5), (0.42, 0.42), (0.58, 0.55))

        def app_step(i: int) -> tuple[float, int]:
            _, tap = map_tap(page, 0, *points[i % len(points)])
            seconds, size = timed_rerun(page, tap)
            page.wait_for_selector("text=Looking closer:", timeout=10_000)
            return seconds, size

        def bare_step(i: int) -> tuple[float, int]:
            _, tap = map_tap(bare, 0, 0.46 + 0.03 * (i % 3), 0.5)
            return timed_rerun(bare, tap)

        label = "Priority map: map click to the drill-down drawn"
        try:
            SideBySide(label).run(clicks, app_step, bare_step).print()
        except RuntimeError as error:  # a step that started no rerun three times: say so, let the rest run
            print(f"RATIO {label}: NOT MEASURED in this run ({str(error).splitlines()[0][:160]})", flush=True)
        browser.close()


if __name__ == "__main__":
    from benchlib import print_load

    print_load("start of bench_priority")
    bench_core()
    if "--core" not in sys.argv:
        bench_layers()
        bench_page()
        bench_browser()
    print_load("end of bench_priority")
