"""Driving a deck.gl map in a real browser: wait until it picks under the pointer, then tap it.

deck.gl picks on pointer moves, so a click before its first pick can select nothing; and it takes only a press
shorter than 250 ms as a click (its tap recognizer's `time`). Playwright's mouse.click sends the press and the
release as two inputs, which a loaded machine can handle more than 250 ms apart (a long press that selects
nothing); pressing and releasing in one task makes the press ~0 ms long.

Software WebGL in headless Chromium can still miss a pick or a tap now and then (a CI run once saw three map
tests time out that pass on every run here, idle or loaded): `click_until` taps again, after a fresh pick, when
the tap's effect has not appeared, and says how many taps it took; a failure names what the page held then
(the maps' canvases, whether their WebGL context was lost, the element under the pointer, console errors).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from harness.browser import IDLE

TAP_JS = """([x, y]) => {
    const target = document.elementFromPoint(x, y);
    const init = {clientX: x, clientY: y, pointerId: 1, pointerType: "mouse", isPrimary: true, bubbles: true,
                  cancelable: true, composed: true, view: window};
    target.dispatchEvent(new PointerEvent("pointerdown", {...init, button: 0, buttons: 1}));
    target.dispatchEvent(new PointerEvent("pointerup", {...init, button: 0, buttons: 0}));
    return target.closest('[data-testid="stDeckGlJsonChart"]') !== null;
}"""

STATE_JS = """([x, y]) => {
    const at = document.elementFromPoint(x, y);
    const maps = Array.from(document.querySelectorAll('[data-testid="stDeckGlJsonChart"] canvas')).map(c => {
        const gl = c.getContext("webgl2") || c.getContext("webgl");
        return {width: c.width, height: c.height, contextLost: gl ? gl.isContextLost() : "no WebGL context"};
    });
    return {under: at ? `${at.tagName.toLowerCase()}.${at.className}` : null, maps,
            tooltips: document.querySelectorAll(".deck-tooltip").length,
            visibility: document.visibilityState, focused: document.hasFocus()};
}"""


def watch_console(page: Any) -> list[str]:
    """Keep the page's console errors and warnings (the last 30) for `page_state` to report."""
    seen: list[str] = []

    def keep(message: Any) -> None:
        if message.type in ("error", "warning"):
            seen.append(f"{message.type}: {message.text[:300]}")
            del seen[:-30]

    page.on("console", keep)
    page.console_seen = seen
    return seen


def page_state(page: Any, x: float, y: float) -> str:
    """What the page held at (x, y) when a pick or a tap failed, for the failure's message."""
    try:
        state = page.evaluate(STATE_JS, [x, y])
    except Exception as error:  # noqa: BLE001 - a report of the page, never a second failure
        state = f"the page could not be read: {error}"
    console = getattr(page, "console_seen", None)
    return f"at ({x:.0f}, {y:.0f}): {state}; console: {console if console is not None else 'not watched'}"


def hover_until_picked(page: Any, x: float, y: float, timeout: float = 60.0) -> str:
    """Move the pointer over (x, y) until deck.gl's tooltip names the object under it; return that text. Every
    10 s without a pick the pointer leaves the map and comes back (a fresh enter for deck.gl's event manager)."""
    page.bring_to_front()  # deck.gl picks only in the page in front
    tooltip = page.locator(".deck-tooltip:visible")
    deadline = time.monotonic() + timeout
    step, nudge_at = 0, time.monotonic() + 10
    while time.monotonic() < deadline:
        if time.monotonic() > nudge_at:
            page.mouse.move(2, 2)
            page.wait_for_timeout(200)
            nudge_at = time.monotonic() + 10
        page.mouse.move(x + (step % 2), y)  # a real move each time, so deck.gl picks again
        step += 1
        try:
            tooltip.first.wait_for(state="visible", timeout=500)
        except PlaywrightTimeout:
            continue
        text = str(tooltip.first.inner_text()).strip()
        if text:
            return text
    raise AssertionError(f"deck.gl never picked an object under the pointer in {timeout:.0f} s; "
                         f"{page_state(page, x, y)}")


def tap(page: Any, x: float, y: float) -> bool:
    """Press and release at (x, y) in one task; True when the point is on a deck.gl map."""
    return bool(page.evaluate(TAP_JS, [x, y]))


def click_until(page: Any, x: float, y: float, happened: Callable[[], bool], *, taps: int = 3,
                wait: float = 20.0) -> int:
    """Pick and tap the map at (x, y) until ``happened()`` (the tap's effect: a new link, a summary shown), up to
    ``taps`` taps at least ``wait`` s apart (far longer than a double tap's 300 ms), and only while no rerun is
    under way; the number of taps it took."""
    for attempt in range(1, taps + 1):
        hover_until_picked(page, x, y)
        if not tap(page, x, y):
            raise AssertionError(f"({x:.0f}, {y:.0f}) is not on a map; {page_state(page, x, y)}")
        deadline, give_up = time.monotonic() + wait, time.monotonic() + 3 * wait
        while time.monotonic() < give_up:
            if happened():
                if attempt > 1:
                    print(f"click_until: the map took {attempt} taps at ({x:.0f}, {y:.0f})")
                return attempt
            if time.monotonic() > deadline and page.locator(IDLE).count() == 1:
                break  # no rerun under way: the tap was missed (tapping during a rerun could undo it)
            page.wait_for_timeout(250)
    raise AssertionError(f"{taps} taps {wait:.0f} s apart changed nothing; {page_state(page, x, y)}")
