"""Restricted indicators in the running app (AppTest): signed out, wrong group, right group, expired sign-in.

The app is pointed at a test-only copy of data/ with one restricted demonstration indicator (on whichever
backend the tests run: the files, or that copy loaded into PostgreSQL)."""

from __future__ import annotations

import os
import time

import pytest
from streamlit.testing.v1 import AppTest

from deploy.restricted_demo import GROUP, RESTRICTED_ID, RESTRICTED_SHORT, make_restricted_dataset
from insight.errors import UnknownIndicatorError
from tests.app import helpers
from tests.app.helpers import ROOT, TIMEOUT
from tests.conftest import _clear_streamlit_caches

THEME = "health and wellbeing"
MEMBER = {"is_logged_in": True, "name": "Priya Analyst", "groups": [GROUP]}
OTHER_GROUP = {"is_logged_in": True, "name": "Frank Finance", "groups": ["finance"]}
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "test-only",
        "client_id": "insight-dashboard", "client_secret": "test-only",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}


@pytest.fixture(scope="module", autouse=True)
def restricted_backend(app_backend, tmp_path_factory, request):
    """Serve the restricted copy for this module's tests, on the backend the tests run on."""
    folder = make_restricted_dataset(tmp_path_factory.mktemp("restricted") / "data")
    names = ("INSIGHT_DATA_DIR", "INSIGHT_DATABASE_URL")
    saved = {k: os.environ.get(k) for k in names}
    if app_backend == "postgres":
        from insight.store.load_postgres import load_into_postgres, read_built_dataset

        url = request.getfixturevalue("postgres_server").create_database("insight_restricted")
        load_into_postgres(url, read_built_dataset(folder))
        os.environ["INSIGHT_DATABASE_URL"] = url
    else:
        os.environ["INSIGHT_DATA_DIR"] = str(folder)
    from components import data

    saved_dir, data.DATA_DIR = data.DATA_DIR, folder  # the app reads the folder it was started with
    _clear_streamlit_caches()
    yield
    data.DATA_DIR = saved_dir
    for key, value in saved.items():
        os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    _clear_streamlit_caches()


def run(script: str, user: dict | None = None, *, auth: bool = False, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
    if user is not None:
        at.user = {**user, "exp": user.get("exp", time.time() + 3600)}
    if auth:
        at.secrets["auth"] = AUTH
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def catalogue_titles(at: AppTest) -> list[str]:
    return list(helpers.html_table_frame(at, 0)["Indicator"])


def test_members_of_the_group_see_the_restricted_indicator_in_the_catalogue():
    at = run("pages/data_methods.py", MEMBER)
    assert not at.exception
    assert RESTRICTED_SHORT in catalogue_titles(at)
    assert RESTRICTED_SHORT in at.selectbox[0].options


@pytest.mark.parametrize("user", [None, OTHER_GROUP, {**MEMBER, "exp": time.time() - 5}],
                         ids=["signed-out", "wrong-group", "expired"])
def test_everyone_else_never_sees_it_even_after_a_member_filled_the_caches(user):
    run("pages/data_methods.py", MEMBER)  # a member's session first: the shared caches now hold its results
    at = run("pages/data_methods.py", user)
    assert not at.exception
    titles = catalogue_titles(at)
    assert RESTRICTED_SHORT not in titles and len(titles) == 100
    assert RESTRICTED_SHORT not in at.selectbox[0].options
    assert "RESTRICTED" not in str([e.value for e in at.markdown])


def test_a_link_to_it_reads_exactly_like_a_link_to_an_indicator_that_does_not_exist():
    hidden = run("app.py", None, indicator=RESTRICTED_ID, theme=THEME)
    missing_id = RESTRICTED_ID[:-1] + "x"
    missing = run("app.py", None, indicator=missing_id, theme=THEME)
    said = [w.value.replace(RESTRICTED_ID, "<id>") for w in hidden.warning]
    assert said == [w.value.replace(missing_id, "<id>") for w in missing.warning]
    assert any(w.startswith("The link's indicator `<id>` is not one of the") for w in said)
    assert hidden.selectbox(key="indicator").value != RESTRICTED_ID


def test_a_member_following_the_link_gets_the_indicator():
    at = run("app.py", MEMBER, indicator=RESTRICTED_ID, theme=THEME)
    assert not [w.value for w in at.warning if "The link's indicator" in w.value]
    assert at.selectbox(key="indicator").value == RESTRICTED_ID


def test_signed_out_downloads_refuse_it_with_the_same_words_as_for_an_unknown_indicator():
    from components import data

    with pytest.raises(UnknownIndicatorError) as hidden:
        data.indicator_csv(RESTRICTED_ID)  # outside a session: nobody is signed in
    with pytest.raises(UnknownIndicatorError) as missing:
        data.indicator_csv("no_such_indicator")
    assert str(hidden.value).replace(RESTRICTED_ID, "?") == str(missing.value).replace("no_such_indicator", "?")


def test_the_sidebar_offers_sign_in_says_who_is_signed_in_and_when_it_expired():
    signed_out = run("app.py", None, auth=True)
    assert [b.label for b in signed_out.button if b.key == "auth_sign_in"] == ["Sign in"]
    member = run("app.py", MEMBER, auth=True)
    assert f"Signed in as Priya Analyst (groups: {GROUP})" in [c.value.replace("`", "") for c in member.caption]
    assert [b.label for b in member.button if b.key == "auth_sign_out"] == ["Sign out"]
    expired = run("app.py", {**MEMBER, "exp": time.time() - 5}, auth=True)
    assert any("Your sign-in has expired" in w.value for w in expired.warning)
    assert [b.label for b in expired.button if b.key == "auth_sign_in"] == ["Sign in"]


def test_without_sign_in_configured_there_is_no_sign_in_button():
    at = run("app.py", None)
    assert not [b for b in at.button if b.key in ("auth_sign_in", "auth_sign_out")]
