"""Benchmark the app frame (prints figures; not a test).

- dataset load time (in-process, median of 5) and in a fresh process including imports;
- server cold start (as `make run` starts it) to first rendered page in headless Chromium, beside a bare
  one-page app started with `streamlit run`;
- filter change to updated page (median and p95 over 20 changes), beside the bare app's widget change;
- server memory (RSS) after the run.

Run: .venv/bin/python scripts/bench_app.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import CHROMIUM, CHROMIUM_ARGS, IDLE, free_port, p95, start_streamlit, wait_healthy

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = '''
import streamlit as st
st.title("Bare app")
choice = st.selectbox("Theme", ["Economy", "Place"])
st.write(f"Chosen: {choice}")
'''
RUNS = 5
CHANGES = 20


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


def start_served_app(port: int) -> subprocess.Popen[bytes]:
    """The app as `make run` starts it (scripts/serve.py warms the heavy imports)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cold_start(browser, script: Path | None, ready_text: str) -> float:
    """Seconds from launching the server to the first page rendered in the browser (script None: the app)."""
    port = free_port()
    started = time.perf_counter()
    process = start_served_app(port) if script is None else start_streamlit(script, port)
    try:
        wait_healthy(port, process)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        page.wait_for_selector(f"h1:has-text('{ready_text}')", timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        elapsed = time.perf_counter() - started
        page.close()
        return elapsed
    finally:
        process.terminate()
        process.wait(timeout=10)


def change_latencies(browser, script: Path, selectbox_label: str, options: tuple[str, str],
                     done) -> tuple[list[float], int]:
    port = free_port()
    process = start_streamlit(script, port)
    try:
        wait_healthy(port, process)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=120_000)
        box = page.locator(f'input[aria-label="{selectbox_label}"]')
        latencies = []
        for i in range(CHANGES):
            option = options[(i + 1) % 2]
            box.click()
            page.locator('[role="option"]').filter(has_text=option).first.wait_for()
            target = page.locator('[role="option"]').filter(has_text=option).first
            started = time.perf_counter()
            target.click()
            page.wait_for_function(done, arg=option, timeout=30_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            latencies.append(time.perf_counter() - started)
        rss = int(Path(f"/proc/{process.pid}/status").read_text().split("VmRSS:")[1].split()[0])
        page.close()
        return latencies, rss
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    from playwright.sync_api import sync_playwright

    load, load_fresh = load_times()
    print(f"dataset load (in process, median of 5): {load * 1000:.0f} ms   (target < 1 s)")
    print(f"dataset load in a fresh process incl. imports: {load_fresh:.2f} s")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        app_cold, bare_cold = [], []
        for _ in range(RUNS):  # interleaved, so both see the same machine load
            app_cold.append(cold_start(browser, None, "Essex at a glance"))
            bare_cold.append(cold_start(browser, bare, "Bare app"))
        ratio = statistics.median(app_cold) / statistics.median(bare_cold)
        print(f"cold start to first rendered page (median of {RUNS}): app {statistics.median(app_cold):.2f} s, "
              f"bare app {statistics.median(bare_cold):.2f} s, ratio {ratio:.2f}x   (target <= 1.5x)")
        url_has = "(option) => window.location.search.includes('theme=' + option.toLowerCase())"
        app_changes, app_rss = change_latencies(browser, ROOT / "app.py", "Theme", ("Economy", "Place"), url_has)
        text_has = "(option) => document.body.innerText.includes('Chosen: ' + option)"
        bare_changes, bare_rss = change_latencies(browser, bare, "Theme", ("Economy", "Place"), text_has)
        print(f"filter change to updated page over {CHANGES} changes: app median "
              f"{statistics.median(app_changes) * 1000:.0f} ms, p95 {p95(app_changes) * 1000:.0f} ms; bare app median "
              f"{statistics.median(bare_changes) * 1000:.0f} ms, p95 {p95(bare_changes) * 1000:.0f} ms   "
              "(target p95 <= 300 ms)")
        print(f"server memory (RSS) after the changes: app {app_rss / 1024:.0f} MB, bare app {bare_rss / 1024:.0f} MB")
        browser.close()


if __name__ == "__main__":
    main()
