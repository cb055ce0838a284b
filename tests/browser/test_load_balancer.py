"""Real browser through HAProxy and two replicas: affinity keeps uploads working; a rolling restart of the
replica a user is on keeps their view and tells them what happened."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.browser.conftest import IDLE, assert_no_exception, save_screenshot, wait_idle

VIEW = "trends?district=Basildon"  # the form the app writes in the address (labels; the default indicator implied)
MOVED = "The server this page was on has restarted"


@pytest.fixture(scope="module")
def cluster():
    if not shutil.which("haproxy"):
        if os.environ.get("CI"):
            pytest.fail("haproxy is missing: `make services` installs it")
        pytest.skip("haproxy not installed")
    from deploy.replicas import Cluster

    with Cluster(replicas=2) as running:
        yield running


def _replica_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "INSIGHT_REPLICA")


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, 90_000)
    return context, page


def test_uploads_work_on_every_replica_because_each_browser_keeps_to_its_own(browser, cluster, tmp_path):
    csv = tmp_path / "mine.csv"
    csv.write_text("area_code,indicator_id,period,value\nE07000066,my_measure,2023,4.5\n")
    seen = set()
    contexts = []
    try:
        for _ in range(4):
            context, page = _open(browser, f"{cluster.url}/data_methods")
            contexts.append(context)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
            wait_idle(page)
            assert "Loaded 1 observations from mine.csv" in page.inner_text("body")
            seen.add(_replica_of(context))
    finally:
        for context in contexts:
            context.close()
    assert seen == {"app1", "app2"}  # both replicas served uploads (leastconn spreads open tabs)


def _wait_for_replica_change(context, page, home: str) -> str:
    """Streamlit's front end reconnects its websocket on its own (HAProxy sends it to another replica and
    re-sets the cookie); wait for that, as a condition, not a fixed time."""
    for _ in range(600):
        now = _replica_of(context)
        if now != home:
            return now
        page.wait_for_timeout(100)
    raise AssertionError("the page did not reconnect to another replica within 60 s")


def _wait_for_new_socket(page, sockets: list) -> None:
    """Wait until the front end has opened its websocket to the other replica (the cookie changes first: a
    click sent in between was lost once in a CI run), then let its session start."""
    for _ in range(600):
        if sockets and not sockets[-1].is_closed():
            page.wait_for_timeout(1000)
            wait_idle(page)
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page opened no websocket to another replica within 60 s")


def test_a_rolling_restart_keeps_the_view_and_tells_the_moved_user(browser, cluster):
    """What a user sees (checked in screenshots): the failover takes about a second and Streamlit shows no
    banner at all; the page stays as it was. Their next action reruns on the other replica, which draws the
    view in the address with that action applied (the front end sends its widget values with the rerun) and
    our notice saying what happened."""
    context, page = _open(browser, f"{cluster.url}/{VIEW}")
    home = _replica_of(context)
    try:
        title = page.locator("h1").first.inner_text()
        assert "Claimant count in Basildon" in page.inner_text("body") and MOVED not in page.inner_text("body")

        sockets: list = []
        page.on("websocket", lambda ws: sockets.append(ws))
        cluster.take_out(home)  # maintenance in HAProxy, then the replica stops: its websocket drops
        _wait_for_replica_change(context, page, home)
        _wait_for_new_socket(page, sockets)  # a click before the front end has its new websocket is lost
        save_screenshot(page, "load_balancer_reconnected_before_next_action")

        england = page.get_by_role("button", name="England", exact=True)  # a "Compare with" pill, on by default
        england.dispatch_event("click")  # (Streamlit's sticky header can cover it after the screenshot)
        page.get_by_text(MOVED).wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert "district=Basildon" in page.url
        assert page.locator("h1").first.inner_text() == title
        assert "Claimant count in Basildon" in page.inner_text("body")
        assert england.get_attribute("aria-pressed") == "false"  # the new replica drew the view in the address
        # and the click too: the front end sends its widget values with the rerun it asks the new session for
        assert_no_exception(page)
        save_screenshot(page, "load_balancer_moved_notice")

        england.dispatch_event("click")  # the next click applies as usual; the notice is said once, not on
        wait_idle(page)  # every rerun
        assert england.get_attribute("aria-pressed") == "true"
        assert MOVED not in page.inner_text("body")
    finally:
        context.close()
        cluster.bring_back(home)
    assert set(cluster.states().values()) == {"UP"}
