"""Real-browser fixtures: a `streamlit run` server on a free port and Debian's headless Chromium.

Use `app_page(path, **params)` to open a page and wait until its script has finished running;
`save_screenshot(page, name)` writes artifacts/screenshots/<name>.png for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from harness.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, wait_idle  # noqa: F401  (used by tests)
from harness.servers import free_port, running_app, start_streamlit, stop, wait_healthy  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test, so `-m "not browser"` never starts Chromium (a
    `pytestmark` in a conftest would do nothing: pytest reads it from test modules only)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server_url(app_backend) -> Iterator[str]:
    """Base URL of the app served by a real `streamlit run` for the whole session (on the backend the tests
    run on), or of a deployment already running: INSIGHT_TEST_SERVER_URL (make deploy-test: HAProxy)."""
    if os.environ.get("INSIGHT_TEST_SERVER_URL"):
        yield os.environ["INSIGHT_TEST_SERVER_URL"].rstrip("/")
        return
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """Playwright's driver for the session (one per process: browsers are launched from it)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def launch_chromium(driver: Any) -> Any:
    """Debian's headless Chromium driven by Playwright (never `playwright install`)."""
    return driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator[Any]:
    """One Chromium for the session's browser tests."""
    instance = launch_chromium(playwright_driver)
    yield instance
    instance.close()


@pytest.fixture
def app_page(browser, server_url) -> Iterator[Callable[..., object]]:
    """Open a page path ('' for Overview, 'trends', 'priority_map', ...) with query params and wait."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def open_page(path: str = "", timeout: float = 60_000, **params: str):
        query = f"?{urlencode(params)}" if params else ""
        page.goto(f"{server_url}/{path}{query}", wait_until="domcontentloaded")
        wait_idle(page, timeout)
        page.page_errors = errors  # type: ignore[attr-defined]
        return page

    yield open_page
    context.close()


def save_screenshot(page, name: str) -> Path:
    """Full-page screenshot to artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size or {"width": 1600, "height": 1000}
    # Streamlit scrolls inside its own container, so grow the window to the content to capture it all.
    height = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll("
                           "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"]'))"
                           ".map(e => e.scrollHeight), 0)")
    page.set_viewport_size({"width": viewport["width"], "height": int(min(max(height, viewport["height"]), 8000))})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


def save_view(page, name: str, anchor=None) -> Path:
    """What a person sees in the window (not the whole page) to artifacts/screenshots/<name>.png, with
    ``anchor`` (a locator) scrolled into view first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if anchor is not None:
        anchor.scroll_into_view_if_needed()
        page.wait_for_timeout(600)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def assert_no_exception(page) -> None:
    """No Streamlit exception element and no traceback text on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")
