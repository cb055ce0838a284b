"""Debian's headless Chromium (never `playwright install`) and waiting for a Streamlit rerun to finish."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    """Wait until the app has rendered and its script is not running (twice, a moment apart: a rerun the
    first run asks for starts just after it ends)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)


def open_option(page: Any, box: Any, option_text: str, fill: str | None = None, attempts: int = 3) -> Any:
    """Open a selectbox or multiselect (``box``, a locator of its combobox), optionally type to filter it, and
    return the option holding ``option_text`` once it is shown (not clicked). A list that did not open, or
    closed again because the page was still drawing, is closed and opened again (up to ``attempts`` times)."""
    option = page.locator('[role="option"]').filter(has_text=option_text).first
    for attempt in range(attempts):
        box.click()
        if fill is not None:
            box.fill(fill)
        try:
            option.wait_for(timeout=10_000)
            return option
        except Exception:  # noqa: BLE001 - Playwright's timeout: close the list and try again
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
            wait_idle(page)
    return option


def choose_option(page: Any, box: Any, option_text: str, fill: str | None = None) -> None:
    """Open ``box``, filter it with ``fill`` and choose the option holding ``option_text``. The option is
    chosen with Enter when the list has it focused (a filtered list focuses its first match): clicking an
    option of the virtualised list can find it "outside of the viewport" while the popover is still placed."""
    option = open_option(page, box, option_text, fill=fill)
    if option.get_attribute("data-focused") == "true":
        page.keyboard.press("Enter")
    else:
        option.click()
