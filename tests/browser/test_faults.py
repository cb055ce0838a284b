"""Real browser, faults: the server is killed and restarted mid-session (the view comes back from the URL and
the lost upload is stated), and a corrupt data file (each page names it, and the pages that do not need it
still work)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ROOT,
    assert_no_exception,
    free_port,
    save_screenshot,
    wait_healthy,
    wait_idle,
)

pytestmark = pytest.mark.browser
PAGES = ["", "trends", "priority_map", "division_profile", "scenarios", "data_methods"]
GOOD_CSV = b"area_code,indicator_id,period,value\nE07000066,my_rate,2023,1.5\nE07000067,my_rate,2023,2\n"


def start(port: int, data_dir: Path | None = None) -> subprocess.Popen[bytes]:
    """`streamlit run app.py` on loopback on the embedded files, optionally another data folder (INSIGHT_DATA_DIR).
    These faults are in the files, so the server never takes the database a postgres test session points the
    app at (make deploy-test: INSIGHT_BACKEND and INSIGHT_DATABASE_URL are set for the whole session)."""
    env = {key: value for key, value in os.environ.items() if key not in ("INSIGHT_BACKEND", "INSIGHT_DATABASE_URL")}
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    if data_dir is not None:
        env["INSIGHT_DATA_DIR"] = str(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_healthy(port, process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def served(data_dir: Path | None = None) -> Iterator[str]:
    port = free_port()
    process = start(port, data_dir)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
    yield context.new_page()
    context.close()


def test_after_a_server_restart_the_view_comes_back_from_the_url_and_the_lost_upload_is_stated(browser, page):
    port = free_port()
    process = start(port)
    try:
        page.goto(f"http://127.0.0.1:{port}/data_methods?district=E07000066", wait_until="domcontentloaded")
        wait_idle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": GOOD_CSV}])
        page.get_by_text("Loaded 2 observations from mine.csv.").wait_for(timeout=60_000)
        wait_idle(page)
        assert "upload=1" in page.url and "district=Basildon" in page.url  # the link is put in the labels the filters show

        stop(process)  # the server goes away mid-session...
        process = start(port)  # ...and comes back: the page reconnects by itself to a new session, but keeps
        # showing the old run until the next rerun, which the next thing the user does starts (a search here);
        # that rerun carries the page's URL and widget values to the new session.
        search = page.get_by_label("Search indicators")
        search.fill("pay")  # waits until the reconnected page takes input again
        search.press("Enter")
        notice = page.get_by_text("Your uploaded file is no longer loaded.")
        notice.wait_for(timeout=120_000)
        wait_idle(page)
        assert "district=Basildon" in page.url  # the view came back from the link
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_text("Basildon").first).to_be_visible()  # the district filter is restored
        expect(page.get_by_text("Loaded this session")).to_have_count(0)  # and the upload is honestly gone
        assert_no_exception(page)
        save_screenshot(page, "restart_upload_lost")
    finally:
        stop(process)


@pytest.fixture(scope="module")
def corrupt_projections_and_boundaries(tmp_path_factory) -> Iterator[str]:
    """A server on a copy of data/ whose projections.parquet and divisions.geojson are truncated."""
    copy = tmp_path_factory.mktemp("faulty") / "data"
    shutil.copytree(ROOT / "data", copy)
    for file in (copy / "projections.parquet", copy / "boundaries" / "divisions.geojson"):
        file.write_bytes(file.read_bytes()[:100])
    with served(copy) as url:
        yield url


def open_page(page, url: str, path: str):
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    wait_idle(page)
    assert_no_exception(page)
    return page.inner_text('[data-testid="stMain"]')


def test_corrupt_projections_leave_trends_with_observed_data_and_a_note(page, corrupt_projections_and_boundaries):
    text = open_page(page, corrupt_projections_and_boundaries, "trends")
    assert ("Projections are unavailable: The data file data/projections.parquet cannot be read: it is not a "
            "valid Parquet file (it may be truncated or corrupt). Rebuild the projections with make forecasts") in text
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)  # charts draw after the script ends
    save_screenshot(page, "fault_trends_projections")


def test_a_corrupt_boundary_file_is_named_where_a_map_is_drawn_and_the_rest_still_works(
        page, corrupt_projections_and_boundaries):
    named = "The data file boundaries/divisions.geojson cannot be read"
    text = open_page(page, corrupt_projections_and_boundaries, "priority_map")
    assert f"The map cannot be drawn: {named}" in text and "Ranked divisions" in text
    save_screenshot(page, "fault_priority_map_boundaries")
    text = open_page(page, corrupt_projections_and_boundaries, "division_profile?division=E58000405")
    assert named in text
    for path, expected in (("", "at a glance"), ("data_methods", "Indicator catalogue"),
                           ("scenarios", "Scenarios: what if?")):
        text = open_page(page, corrupt_projections_and_boundaries, path)
        assert expected in text and "cannot be read" not in text.replace("projections.parquet cannot be read", "")


def test_a_corrupt_observations_file_is_named_on_every_page(browser, page, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    (copy / "observations.parquet").write_bytes(b"PAR1 not really parquet")
    named = ("The data file data/observations.parquet cannot be read: it is not a valid Parquet file (it may be "
             "truncated or corrupt). Rebuild the dataset with make data")
    with served(copy) as url:
        for path in PAGES:
            assert named in open_page(page, url, path), path
            expect(page.locator('[data-testid="stSidebar"]').get_by_text("filters are unavailable")).to_be_visible()
        save_screenshot(page, "fault_observations_data_methods")
