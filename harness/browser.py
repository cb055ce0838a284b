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
