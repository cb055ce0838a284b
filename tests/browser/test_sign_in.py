"""Sign-in end to end in the real browser, against a real OpenID Connect provider (npm oidc-provider, started
here): a member of the group sees the restricted indicator; the wrong group, an expired sign-in and a signed-out
user do not (catalogue, sidebar link, download list)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from deploy.restricted_demo import RESTRICTED_ID, RESTRICTED_SHORT, make_restricted_dataset
from tests.browser.conftest import (
    ROOT,
    assert_no_exception,
    free_port,
    save_screenshot,
    start_streamlit,
    stop,
    wait_healthy,
    wait_idle,
)

THEME = "health and wellbeing"
SHORT_TTL = 15  # seconds the `brief` user's identity token lasts
PUBLIC_COUNT = 100  # indicators in the committed catalogue, all public


@dataclass(frozen=True)
class SignInApp:
    url: str  # the app (or HAProxy in front of replicas)
    issuer: str  # the OpenID Connect provider


@pytest.fixture(scope="module")
def signin_app(app_backend, request, tmp_path_factory) -> Iterator[SignInApp]:
    """The app on the restricted test copy of data/ with sign-in configured, and the provider. Under
    make deploy-test both are already running (INSIGHT_TEST_SERVER_URL, INSIGHT_TEST_OIDC_ISSUER)."""
    if os.environ.get("INSIGHT_TEST_OIDC_ISSUER"):
        yield SignInApp(os.environ["INSIGHT_TEST_SERVER_URL"].rstrip("/"), os.environ["INSIGHT_TEST_OIDC_ISSUER"])
        return
    from deploy.oidc_server import auth_secrets_toml, node_available, start_oidc_provider

    if not node_available():
        if os.environ.get("CI"):
            pytest.fail("the test OIDC provider is not installed: `make services` runs npm ci in deploy/oidc")
        pytest.skip("node or deploy/oidc/node_modules missing (npm ci --prefix deploy/oidc)")
    work = tmp_path_factory.mktemp("signin")
    folder = make_restricted_dataset(work / "data")
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "INSIGHT_DATA_DIR": str(folder)}
    if app_backend == "postgres":
        from insight.store.load_postgres import load_into_postgres, read_built_dataset

        url = request.getfixturevalue("postgres_server").create_database("insight_signin")
        load_into_postgres(url, read_built_dataset(folder))
        env["INSIGHT_DATABASE_URL"] = url
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = start_oidc_provider([f"{base}/oauth2callback"], work / "oidc.log", short_ttl=SHORT_TTL)
    secrets_file = work / "secrets.toml"
    secrets_file.write_text(auth_secrets_toml(provider, f"{base}/oauth2callback", secrets.token_hex(32)))
    env["STREAMLIT_SECRETS_FILES"] = str(secrets_file)
    server = start_streamlit(ROOT / "app.py", port, env)
    try:
        wait_healthy(port, server)
        yield SignInApp(base, provider.issuer)
    finally:
        stop(server)
        provider.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    yield context.new_page()
    context.close()


def open_app(page, app: SignInApp, path: str = "", **params: str):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    page.goto(f"{app.url}/{path}{'?' + query if query else ''}", wait_until="domcontentloaded")
    wait_idle(page, 90_000)


def sign_in(page, app: SignInApp, user: str, path: str = "", **params: str) -> None:
    """Open the app (at `path` with the link's `params`), click the sidebar's Sign in, log in at the provider
    as `user`, consent, and come back signed in."""
    open_app(page, app, path, **params)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.issuer}/interaction/**", timeout=60_000)
    page.fill('input[name="login"]', user)
    page.fill('input[name="password"]', "any-password")
    page.locator('button[type="submit"]').click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent screen
    page.wait_for_url(f"{app.url}/**", timeout=60_000)
    wait_idle(page, 90_000)
    page.get_by_text("Signed in as").wait_for(timeout=30_000)


def catalogue_count(page, app: SignInApp) -> int:
    """How many indicators the Data & methods catalogue lists ("N of N indicators", drawn by the server)."""
    open_app(page, app, "data_methods")
    caption = page.get_by_text(re.compile(r"^\d+ of \d+ indicators$"))
    caption.wait_for()
    return int(caption.inner_text().split(" of ")[1].split()[0])


def picker_offers_restricted(page) -> bool:
    """Type into the download picker; True once the restricted indicator is offered."""
    picker = page.locator('[data-testid="stSelectbox"]', has_text="Indicator details and download")
    box = picker.locator('input[role="combobox"]')
    box.click()
    box.fill("Restricted demo")
    option = page.locator('[role="option"]', has_text=RESTRICTED_SHORT)
    option.wait_for(timeout=10_000)  # raises when it is never offered
    offered = option.count() > 0
    page.keyboard.press("Escape")
    return offered


def link_message(page, app: SignInApp) -> str:
    open_app(page, app, "trends", indicator=RESTRICTED_ID, theme=THEME.replace(" ", "+"))
    return page.inner_text("body")


def assert_unknown_indicator_message(body: str) -> None:
    """The link's restricted indicator reads as unknown, and the message names the theme's indicator shown."""
    said = re.search(rf"The link's indicator {RESTRICTED_ID} is not one of the \d+ available here, so '([^']+)' "
                     "is shown.", body)
    assert said, body[:2000]
    assert "Restricted demo waiting list" not in body
    assert said.group(1) in body.split(said.group(0))[1]  # the named indicator is the one drawn below the message


def test_a_member_of_the_group_signs_in_and_sees_the_restricted_indicator(page, signin_app):
    sign_in(page, signin_app, "analyst")
    assert "Signed in as Priya Analyst (groups: public-health)" in page.inner_text("body")
    assert catalogue_count(page, signin_app) == PUBLIC_COUNT + 1
    assert picker_offers_restricted(page)
    body = link_message(page, signin_app)
    assert "Unknown indicator" not in body and "Restricted demo waiting list" in body
    assert_no_exception(page)
    save_screenshot(page, "sign_in_member_sees_restricted")


def test_signing_in_comes_back_to_the_page_and_link_it_started_from(page, signin_app):
    """st.login alone comes back to the first page with no link: a shared view opened signed out would be lost."""
    open_app(page, signin_app, "trends", district="E07000066", indicator="adult_obesity")
    page.get_by_text("Adult obesity in Basildon").first.wait_for(timeout=30_000)
    shared = page.url  # the link as the app keeps it (codes read back as names)
    sign_in(page, signin_app, "finance", "trends", district="E07000066", indicator="adult_obesity")
    assert page.url == shared, (page.url, shared)
    page.get_by_text("Adult obesity in Basildon").first.wait_for(timeout=30_000)
    assert "Signed in as Frank Finance" in page.inner_text("body")
    assert_no_exception(page)
    save_screenshot(page, "sign_in_back_to_the_view")
    # the view is taken back once: the first page opened plainly afterwards stays the first page
    open_app(page, signin_app)
    assert page.url.split("?")[0].rstrip("/") == signin_app.url, page.url


def test_a_restricted_link_opened_signed_out_opens_after_signing_in_as_a_member(page, signin_app):
    """Signed out, the link's restricted indicator reads as unknown and is dropped from the link; signing in as a
    member of its group comes back to it, not to the fallback shown before."""
    open_app(page, signin_app, "trends", indicator=RESTRICTED_ID, theme=THEME.replace(" ", "+"))
    assert_unknown_indicator_message(page.inner_text("body"))
    sign_in(page, signin_app, "analyst", "trends", indicator=RESTRICTED_ID, theme=THEME.replace(" ", "+"))
    assert "indicator=Restricted+demo+waiting+list" in page.url, page.url  # the link reads codes back as names
    page.get_by_text("Restricted demo waiting list").first.wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "is not one of the" not in body and "Signed in as Priya Analyst" in body
    assert_no_exception(page)


def test_a_signed_in_user_of_another_group_does_not(page, signin_app):
    sign_in(page, signin_app, "finance")
    assert "Signed in as Frank Finance (groups: finance)" in page.inner_text("body")
    assert catalogue_count(page, signin_app) == PUBLIC_COUNT
    assert_unknown_indicator_message(link_message(page, signin_app))


def test_signed_out_users_do_not_and_a_link_reads_as_an_unknown_indicator(page, signin_app):
    open_app(page, signin_app)
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert catalogue_count(page, signin_app) == PUBLIC_COUNT
    assert_unknown_indicator_message(link_message(page, signin_app))


def test_signing_out_hides_it_again(page, signin_app):
    sign_in(page, signin_app, "analyst")
    assert catalogue_count(page, signin_app) == PUBLIC_COUNT + 1
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{signin_app.issuer}/**", timeout=60_000)  # the provider's end-session confirmation
    page.locator('button[type="submit"]', has_text="Yes").click()
    page.wait_for_url(f"{signin_app.url}/**", timeout=60_000)
    wait_idle(page, 90_000)
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert catalogue_count(page, signin_app) == PUBLIC_COUNT


def test_an_expired_sign_in_hides_it_and_says_so(page, signin_app):
    sign_in(page, signin_app, "brief")  # this user's identity token lasts SHORT_TTL seconds
    assert catalogue_count(page, signin_app) == PUBLIC_COUNT + 1
    for _ in range(SHORT_TTL * 4):  # wait for the token to expire: reload until the app says so (bounded)
        open_app(page, signin_app, "data_methods")
        if "Your sign-in has expired" in page.inner_text("body"):
            break
        page.wait_for_timeout(500)
    else:
        raise AssertionError("the sign-in never expired")
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert catalogue_count(page, signin_app) == PUBLIC_COUNT
    save_screenshot(page, "sign_in_expired")
