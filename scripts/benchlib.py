"""Shared helpers of the benchmark scripts (they print figures; tests never time anything).

Also re-exports the real-browser helpers of the harness package (server on a free port, Debian
Chromium's launch options, the "script finished" selector), so every benchmark starts things the same way.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from harness.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, wait_idle  # noqa: F401  (re-exported)
from harness.servers import free_port, running_app, start_streamlit, wait_healthy  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary_ms(values: list[float]) -> str:
    """'median N ms, p95 N ms (n=K)' for durations in seconds."""
    return f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95(values) * 1000:.0f} ms (n={len(values)})"


# ---- in-page timing of a rerun, as the person at the screen sees it --------------------------------------
# Timing in Python around Playwright's click() adds Playwright's own work: before the click is dispatched it
# scrolls, waits for the target to be stable over animation frames and hit-tests it (~30 ms here), and after
# it polls for selectors (~10 ms, and its polling competes with the page for the CPU). The browser knows
# better: the click event's own timestamp, and a MutationObserver over the app's main area and sidebar.
SWITCH_TIMER_JS = """
window.__switch = {armed: false, click: null, title: null, ready: null, last: null, paints: []};
document.addEventListener('click', event => {
  const t = window.__switch;
  if (t.armed && t.click === null) t.click = event.timeStamp;
}, true);
new MutationObserver(records => {
  const t = window.__switch;
  if (!t.armed || t.click === null) return;
  const now = performance.now();
  const inApp = records.some(r => {
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    return el && el.closest('[data-testid="stMain"], [data-testid="stSidebar"]');
  });
  if (inApp) t.last = now;
  const heading = document.querySelector('[data-testid="stMain"] h1');
  const app = document.querySelector('[data-testid="stApp"]');
  if (t.ready === null && heading && heading.textContent.trim() === t.title
      && app.getAttribute('data-test-script-state') === 'notRunning') t.ready = now;
  requestAnimationFrame(() => setTimeout(() => t.paints.push(performance.now()), 0));
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
QUIET_MS = 600  # no change in the app for this long after the rerun = drawn


def arm_switch_timer(page, title: str) -> None:
    """Call just before the click that starts a rerun whose page heading (h1) will read `title`.
    The page must have been opened with page.add_init_script(SWITCH_TIMER_JS)."""
    page.evaluate("title => Object.assign(window.__switch, {armed: true, click: null, title, ready: null, "
                  "last: null, paints: []})", title)


def switch_drawn_seconds(page, timeout_ms: float = 60_000) -> float:
    """Seconds from the click event to the first frame painted after the last change in the app's main
    area and sidebar, once the script has finished and the heading shows the new title: the moment the
    new view is completely drawn (widgets, tables, and SVG charts all write to the DOM)."""
    page.wait_for_function(f"() => {{ const t = window.__switch; return t.ready !== null && t.last !== null "
                           f"&& performance.now() - t.last > {QUIET_MS}; }}", polling=200, timeout=timeout_ms)
    page.wait_for_timeout(50)
    timer = page.evaluate("() => { window.__switch.armed = false; return window.__switch; }")
    settled = max(timer["ready"], timer["last"])
    return (min(p for p in timer["paints"] if p >= settled) - timer["click"]) / 1000


def canvases_in_main(page) -> int:
    """Canvas redraws leave the DOM unchanged, so switch_drawn_seconds cannot see them: check for none."""
    return page.evaluate("document.querySelectorAll('[data-testid=\"stMain\"] canvas').length")
