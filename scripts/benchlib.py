"""Shared helpers of the benchmark scripts (they print figures; tests never time anything).

Also re-exports the real-browser helpers of the harness package (server on a free port, Debian
Chromium's launch options, the "script finished" selector), so every benchmark starts things the same way.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from harness.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, open_option, wait_idle  # noqa: F401  (re-exported)
from harness.deck import hover_until_picked, tap
from harness.servers import (  # noqa: F401  (re-exported)
    free_port,
    running_app,
    running_served_app,
    start_served,
    start_streamlit,
    wait_healthy,
)

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
NO_RERUN_MS = 8000  # no script run this long after the input: the input missed (the step is done again)
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


# ---- side by side with a bare Streamlit app (issue 13) ---------------------------------------------------
# Every interaction benchmark measures the app and a bare Streamlit app (scripts/bare/bare_app.py, one
# `?kind=` per kind of interaction) doing the same kind of rerun, both served at once and measured in turn
# (app, bare, app, bare, ...), so both see the same machine load; it prints p50/p95 of each and the ratio of
# the p95s. Timed in the page: from the input event's own timestamp (pointerdown, keydown or click, whichever
# comes first) to the first frame painted after the last change in the app's main area and sidebar, once the
# script run that the event started has finished (the app's script state went to "running" and back).
BARE_APP = ROOT / "scripts" / "bare" / "bare_app.py"
INTERACTION_TIMER_JS = """
window.__rerun = {armed: false, event: null, ran: false, done: null, last: null, paints: [], bytes: 0, msgs: 0};
// A quick rerun can go from "running" back to "notRunning" within one React commit, so the script-state
// attribute never changes: a message from the server after the input also counts as the rerun having run.
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => {
      const t = window.__rerun;
      if (t.armed && t.event !== null) t.msgs += 1;
    });
  }
};
for (const type of ['pointerdown', 'keydown', 'click']) {
  document.addEventListener(type, event => {
    const t = window.__rerun;
    if (t.armed && t.event === null) t.event = event.timeStamp;
  }, true);
}
new MutationObserver(records => {
  const t = window.__rerun;
  if (!t.armed || t.event === null) return;
  const now = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app ? app.getAttribute('data-test-script-state') : null;
  for (const r of records) {
    if (r.type === 'attributes' && r.attributeName === 'data-test-script-state'
        && (r.oldValue === 'running' || r.target.getAttribute('data-test-script-state') === 'running')) t.ran = true;
  }
  if (state === 'running') t.ran = true;
  if ((t.ran || t.msgs > 0) && t.done === null && state === 'notRunning') t.done = now;
  const inApp = records.some(r => {
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    return el && el.closest('[data-testid="stMain"], [data-testid="stSidebar"]');
  });
  if (inApp) t.last = now;
  requestAnimationFrame(() => setTimeout(() => t.paints.push(performance.now()), 0));
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true,
                      attributeOldValue: true});
"""


def open_timed_page(browser, url: str, width: int = 1600, height: int = 1000):
    """A new page with the interaction timer installed and a count of the websocket bytes it receives."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(INTERACTION_TIMER_JS)
    page.received = [0]  # bytes of websocket frames received (server -> browser)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: page.received.__setitem__(
        0, page.received[0] + len(payload))))
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, 180_000)
    return page


LAST_SCRIPT_DONE = [0.0]  # seconds from the input to the end of the script run, of the latest timed_rerun


def timed_rerun(page, action, timeout_ms: float = 30_000) -> tuple[float, int]:
    """Run `action()` (the click or key press that starts a rerun) and return the seconds from its event to
    the rerun completely drawn, and the websocket bytes the browser received for it."""
    page.bring_to_front()  # the page measured is the one in front (the other side's page is behind it)
    page.evaluate("() => Object.assign(window.__rerun, {armed: true, event: null, ran: false, done: null, "
                  "last: null, paints: [], msgs: 0, since: performance.now()})")
    before = page.received[0]
    action()
    page.wait_for_function(f"() => {{ const t = window.__rerun; return (t.done !== null "
                           f"&& performance.now() - Math.max(t.done, t.last || 0) > {QUIET_MS}) "
                           f"|| (!t.ran && !t.msgs && performance.now() - t.since > {NO_RERUN_MS}); }}",
                           polling=100, timeout=timeout_ms)
    page.wait_for_function("() => { const t = window.__rerun; const s = Math.max(t.done || 0, t.last || 0); "
                           "return t.done === null || t.paints.some(p => p >= s); }", polling=50, timeout=5_000)
    timer = page.evaluate("() => { window.__rerun.armed = false; return window.__rerun; }")
    if timer["done"] is None:
        raise RuntimeError(f"no rerun started within {NO_RERUN_MS} ms of the input (event seen: "
                           f"{timer['event'] is not None})")
    settled = max(timer["done"], timer["last"] or 0)
    page.script_done = (timer["done"] - timer["event"]) / 1000  # the script run's end, as the browser saw it
    LAST_SCRIPT_DONE[0] = page.script_done
    return (min(p for p in timer["paints"] if p >= settled) - timer["event"]) / 1000, page.received[0] - before


class SideBySide:
    """Interleaved samples of one interaction in the app and in the bare app: call `app(i)` and `bare(i)`
    (each returns timed_rerun's pair) alternately; the first `warmup` pairs are not counted."""

    def __init__(self, label: str, target: float = 1.5):
        self.label, self.target = label, target
        self.app: list[float] = []
        self.bare: list[float] = []
        self.app_bytes: list[int] = []
        self.bare_bytes: list[int] = []
        self.app_script: list[float] = []  # input to the end of the script run (the rest is the browser drawing)
        self.bare_script: list[float] = []
        self.retries = 0

    def run(self, n: int, app, bare, warmup: int = 2) -> SideBySide:
        for i in range(n + warmup):
            for side, step, times, sizes, scripts in (("app", app, self.app, self.app_bytes, self.app_script),
                                                      ("bare", bare, self.bare, self.bare_bytes, self.bare_script)):
                for attempt in range(3):
                    try:
                        seconds, size = step(i)
                        break
                    except Exception as error:  # no rerun seen (the click missed the list): that step again
                        self.retries += 1
                        if attempt == 2:
                            raise
                        print(f"  ({self.label}: {side} step {i} again after {type(error).__name__}: "
                              f"{str(error).splitlines()[0][:120]})", flush=True)
                if i >= warmup:
                    times.append(seconds)
                    sizes.append(size)
                    scripts.append(LAST_SCRIPT_DONE[0])
        return self

    @property
    def ratio(self) -> float:
        return p95(self.app) / p95(self.bare)

    def line(self) -> str:
        met = "met" if self.ratio <= self.target else "NOT met"
        return (f"{self.label}: app p50 {statistics.median(self.app) * 1000:.0f} ms, p95 {p95(self.app) * 1000:.0f}"
                f" ms; bare p50 {statistics.median(self.bare) * 1000:.0f} ms, p95 {p95(self.bare) * 1000:.0f} ms "
                f"(n={len(self.app)} each); ratio of p95s {self.ratio:.2f}x (target <= {self.target}x: {met}); "
                f"per rerun app {statistics.median(self.app_bytes) / 1024:.1f} KB, "
                f"bare {statistics.median(self.bare_bytes) / 1024:.1f} KB received; input to script end p50 app "
                f"{statistics.median(self.app_script or [0]) * 1000:.0f} ms, bare "
                f"{statistics.median(self.bare_script or [0]) * 1000:.0f} ms")

    def print(self) -> None:
        print("RATIO " + self.line(), flush=True)


def print_load(when: str) -> None:
    """The machine's load averages (1, 5, 15 min): ratios hold under load, absolute times drift with it."""
    import os

    one, five, fifteen = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {one:.2f} {five:.2f} {fifteen:.2f} at {when}", flush=True)


def shown_choice(page, box_selector: str) -> str:
    """The value a selectbox shows now (its combobox input's value). A step picks its option from this, not from
    its step number: a step done again after a click that started its rerun late would otherwise pick the
    option already chosen, which starts no rerun at all."""
    return str(page.locator(box_selector).first.input_value())


def other_than_shown(page, box_selector: str, options: tuple[str, str]) -> str:
    """Of two options, the one the selectbox does not show now (once the page is idle)."""
    wait_idle(page)
    return options[1] if options[0] in shown_choice(page, box_selector) else options[0]


def pick_option(page, box_selector: str, option_text: str, fill: str | None = None):
    """Open a selectbox, optionally type to filter it, and return the option (not clicked yet)."""
    page.bring_to_front()  # before the list opens: bringing the page forward later can close it again
    option = open_option(page, page.locator(box_selector).first, option_text, fill)
    page.wait_for_timeout(100)
    return option


# ---- deck.gl maps: a click is a tap (press and release in one task), after the map picks under the pointer ---
def map_tap(page, map_index: int, fx: float, fy: float):
    """An action for timed_rerun: tap the `map_index`-th deck.gl map at a fraction (fx, fy) of its box, once
    deck.gl picks there."""
    page.bring_to_front()  # before the hover: deck.gl picks only in the page in front
    deck = page.locator('[data-testid="stDeckGlJsonChart"]').nth(map_index)
    deck.scroll_into_view_if_needed()
    box = deck.bounding_box()
    x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
    picked = hover_until_picked(page, x, y)
    return picked, lambda: tap(page, x, y)


def slider_press(page, selector: str, i: int):
    """An action for timed_rerun: one arrow-key step of a slider (two steps one way, two back)."""
    page.bring_to_front()  # before the focus: bringing the page forward later moves the focus
    thumb = page.locator(selector).first
    thumb.focus()
    return lambda: thumb.press("ArrowRight" if (i // 2) % 2 == 0 else "ArrowLeft")
