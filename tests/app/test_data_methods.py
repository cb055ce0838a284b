"""Data & methods page, upload section: each file is checked once, shown as plain text, a bad file never
replaces a good one, and the session holds no file bytes once a file is read."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from insight.config import load_config
from insight.text import plain
from tests.app.helpers import ROOT, TIMEOUT

COUNCIL = load_config()  # codes the council under test holds (its own area and its region)
A, B = COUNCIL.county_code, COUNCIL.region_code
GOOD = f"area_code,indicator_id,period,value\n{A},my_rate,2023,1.5\n{B.lower()},my_rate,2023,2\n".encode()
SEMICOLON = f"area_code;indicator_id;period;value\n{A};other;2024;3\n".encode()
RAGGED = f"area_code,indicator_id,period,value\n{A},x,2023,1,**bold**\n{A},x,2024,[a](http://e.x)\n".encode()
EVIL_NAME = "[Re-login](https://evil.example) <img src=x>.csv"


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "data_methods.py"), default_timeout=TIMEOUT).run()


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader[0].upload(name, content, "text/csv")
    return at.run()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def shelf(at: AppTest):
    return at.session_state["upload_shelf"]


def test_a_good_file_is_loaded_summarised_and_the_uploader_emptied():
    at = upload(page(), "mine.csv", GOOD)
    assert not at.exception
    assert texts(at.success) == [f"Loaded 2 observations from {plain('mine.csv')}."]
    assert shelf(at).loaded.frame["area_code"].tolist() == [A, B]
    assert at.file_uploader[0].key == "upload_observations_1"  # redrawn empty: the file was read once
    summary = at.dataframe[-1].value
    assert summary["Indicator"].tolist() == ["my_rate"] and summary["Areas"].tolist() == [2]


def test_a_semicolon_file_is_read_and_the_page_says_how():
    at = upload(page(), "semi.csv", SEMICOLON)
    assert texts(at.success) == [f"Loaded 1 observations from {plain('semi.csv')} (read as UTF-8 text, "
                                 "semicolon-separated)."]


def test_a_bad_file_is_explained_in_plain_text_and_the_good_one_stays():
    at = upload(page(), "mine.csv", GOOD)
    at = upload(at, EVIL_NAME, RAGGED)
    assert not at.exception
    [error] = texts(at.error)
    assert error.startswith(f"**{plain(EVIL_NAME)} was not loaded** — 2 problem(s) found.")
    assert f"- {plain('line 2: this row has 5 field(s); the header has 4', 400)}" in error
    assert "(found '[a](http://e.x)')" in error
    outside_spans = re.sub(r"(`+)(?:.|\n)*?\1", "", error).replace("**", "")
    assert not re.search(r"[\[\]<>]", outside_spans)  # every value from the file sits in a code span: no live link or tag
    assert texts(at.info)[-1] == f"Your previously loaded file **{plain('mine.csv')}** is still loaded."
    assert shelf(at).loaded.file_name == "mine.csv" and shelf(at).checks == 2


def test_a_refused_file_is_not_checked_again_on_later_reruns():
    at = upload(page(), "bad.csv", RAGGED)
    for _ in range(3):
        at = at.run()
    assert shelf(at).checks == 1
    assert texts(at.error)[0].startswith(f"**{plain('bad.csv')} was not loaded**")


def test_a_loaded_upload_is_marked_in_the_link():
    at = upload(page(), "mine.csv", GOOD)
    assert at.query_params["upload"] in ("1", ["1"])


def test_a_link_made_with_an_upload_says_the_upload_must_be_loaded_again():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["upload"] = "1"
    at = at.run()
    assert not at.exception
    [notice] = [w for w in texts(at.warning) if "uploaded file" in w]
    assert notice.startswith("**Your uploaded file is no longer loaded.**")
    assert "upload" not in at.query_params
    at.button(key="upload_lost_ok").click()
    at = at.run()
    assert not [w for w in texts(at.warning) if "uploaded file" in w]
