"""Driving a deck.gl map in a real browser: wait until it picks under the pointer, then tap it.

deck.gl picks on pointer moves, so a click before its first pick can select nothing; and it takes only a press
shorter than 250 ms as a click (its tap recognizer's `time`). Playwright's mouse.click sends the press and the
release as two inputs, which a loaded machine can handle more than 250 ms apart (a long press that selects
nothing); pressing and releasing in one task makes the press ~0 ms long.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

TAP_JS = """([x, y]) => {
    const target = document.elementFromPoint(x, y);
    const init = {clientX: x, clientY: y, pointerId: 1, pointerType: "mouse", isPrimary: true, bubbles: true,
                  cancelable: true, composed: true, view: window};
    target.dispatchEvent(new PointerEvent("pointerdown", {...init, button: 0, buttons: 1}));
    target.dispatchEvent(new PointerEvent("pointerup", {...init, button: 0, buttons: 0}));
    return target.closest('[data-testid="stDeckGlJsonChart"]') !== null;
}"""


def hover_until_picked(page: Any, x: float, y: float, timeout: float = 60.0) -> str:
    """Move the pointer over (x, y) until deck.gl's tooltip names the object under it; return that text."""
    tooltip = page.locator(".deck-tooltip")
    deadline = time.monotonic() + timeout
    step = 0
    while time.monotonic() < deadline:
        page.mouse.move(x + (step % 2), y)  # a real move each time, so deck.gl picks again
        step += 1
        try:
            tooltip.first.wait_for(state="visible", timeout=500)
        except PlaywrightTimeout:
            continue
        text = str(tooltip.first.inner_text()).strip()
        if text:
            return text
    raise AssertionError("deck.gl never picked an object under the pointer")


def tap(page: Any, x: float, y: float) -> bool:
    """Press and release at (x, y) in one task; True when the point is on a deck.gl map."""
    return bool(page.evaluate(TAP_JS, [x, y]))
