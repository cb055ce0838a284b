"""Overview page and app frame, as a councillor reads them (AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.helpers import run_page

TIMEOUT = 90
ROOT = Path(__file__).resolve().parents[2]
OVERVIEW = str(ROOT / "pages" / "overview.py")


def run_app(**params: str) -> AppTest:
    return run_page("app.py", TIMEOUT, **params)


def test_overview_shows_six_essex_headline_values():
    at = AppTest.from_file(OVERVIEW, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Essex at a glance"
    values = {m.label: m.value for m in at.metric}
    assert [m.value for m in at.metric] == ["76.8%", "3.0%", "£26,710 per head", "28.8%", "26.4 per 100,000",
                                            "72.7%"]
    assert "Essex, 2023" in values


def test_overview_states_comparisons_with_england_in_words():
    at = AppTest.from_file(OVERVIEW, default_timeout=TIMEOUT).run()
    badges = " ".join(m.value for m in at.markdown if "-badge[" in m.value)
    assert "Worse than England (95% confidence)" in badges  # adult obesity 28.8% vs 26.6%
    assert "Better than England (95% confidence)" in badges  # preventable CVD mortality 26.4 vs 30.2
    assert "Similar to England (95% confidence)" in badges  # employment rate
    summary = at.info[0].value
    assert "1 better than England, 1 similar, 1 worse" in summary


def test_overview_tiles_carry_change_and_source_lines():
    at = AppTest.from_file(OVERVIEW, default_timeout=TIMEOUT).run()
    markdown = [m.value for m in at.markdown]
    changes = [m.split("\n\n")[0] for m in markdown if "-badge[" in m]  # a tile's change, then its rating
    # A polarity word only with a stated test: the two years' 95% intervals (adult obesity), none otherwise.
    assert "Up 0.2 percentage points since 2023/24: not a significant change (95% confidence)" in changes
    assert "Up 0.13 per 100,000 since 2021–23 (not tested: the two periods overlap)" in changes
    assert "Up £2,071 per head since 2022 (not tested: no confidence interval published)" in changes
    assert not any("(worse)" in m or "(better)" in m for m in markdown)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Source: ONS Explore Local Statistics") and "Open Government Licence v3.0" in c
               for c in captions)
    assert "England: 76.0%  \nEssex trend, 2004 to 2023" in captions  # employment rate: beside, then the trend


def test_app_frame_shows_sidebar_filters_from_the_url():
    at = run_app(district="Basildon", indicator="Adult obesity")  # the labels bound widgets write
    assert not at.exception
    assert at.multiselect(key="district").value == ["E07000066"]
    assert at.selectbox(key="theme").value == "health and wellbeing"
    assert at.selectbox(key="indicator").value == "adult_obesity"
    division_options = at.multiselect(key="division").options
    assert len(division_options) == 5  # Basildon's five divisions only (some elect two members)


def test_an_older_link_with_codes_and_ids_opens_the_same_view_and_the_url_gets_labels():
    at = run_app(district="E07000066,e07000070", indicator="adult_obesity")
    assert not at.exception
    assert at.multiselect(key="district").value == ["E07000066", "E07000070"]
    assert at.selectbox(key="indicator").value == "adult_obesity"
    assert at.selectbox(key="theme").value == "health and wellbeing"
    assert not at.warning


def test_bad_query_parameters_get_a_clear_message_and_a_default():
    at = run_app(district="E07000066,NOT-A-CODE", indicator="<script>", theme="nonsense")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert "The link names 1 district value(s) that are not available here, so they are left out: " \
           "`NOT-A-CODE`." in warnings
    assert any(w.startswith("The link's indicator `<script>` is not one of the") for w in warnings)
    assert any(w.startswith("The link's theme `nonsense` is not one of the") for w in warnings)
    assert at.selectbox(key="indicator").value == "claimant_count"
    assert at.multiselect(key="district").value == ["E07000066"]


def test_an_unknown_division_in_the_link_is_named_in_a_message():
    at = run_app(division="E58999999")
    assert "The link names 1 division value(s) that are not available here, so they are left out: " \
           "`E58999999`." in [w.value for w in at.warning]


def test_a_crafted_link_value_is_shown_as_plain_text_not_as_a_link_or_image():
    at = run_app(theme="[Re-login here](https://evil.example/x)", indicator="![](http://127.0.0.1:9/p.png)")
    warnings = " ".join(w.value for w in at.warning)
    assert "`[Re-login here](https://evil.example/x)`" in warnings  # a code span: shown as typed, never a link
    assert "`![](http://127.0.0.1:9/p.png)`" in warnings


def test_overview_shows_the_chosen_district_beside_essex_and_england():
    at = run_page("pages/overview.py", TIMEOUT, district="E07000076")  # Tendring
    assert at.title[0].value == "Tendring at a glance"
    assert all(m.label.startswith("Tendring, ") for m in at.metric)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Essex: ") and " · England: " in c for c in captions)


def test_overview_for_a_chosen_division_shows_its_district_and_says_why():
    at = run_page("pages/overview.py", TIMEOUT, division="E58000426")  # Clacton West, in Tendring
    assert at.title[0].value == "Tendring at a glance"
    assert "published for districts, not divisions, so Tendring, the district holding Clacton West" in \
        at.info[0].value
