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
    # A polarity word only with a stated test: the two years' 95% intervals (adult obesity), none otherwise.
    assert "Up 0.2 percentage points since 2023/24: not a significant change (95% confidence)" in markdown
    assert "Up 0.13 per 100,000 since 2021–23 (not tested: the two periods overlap)" in markdown
    assert "Up £2,071 per head since 2022 (not tested: no confidence interval published)" in markdown
    assert not any("(worse)" in m or "(better)" in m for m in markdown)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Source: ONS Explore Local Statistics") and "Open Government Licence v3.0" in c
               for c in captions)


def test_app_frame_shows_sidebar_filters_from_the_url():
    at = run_app(district="E07000066", indicator="adult_obesity")
    assert not at.exception
    assert at.multiselect(key="filter_districts").value == ["E07000066"]
    assert at.selectbox(key="filter_theme").value == "health and wellbeing"
    assert at.selectbox(key="filter_indicator").value == "adult_obesity"
    division_options = at.multiselect(key="filter_divisions").options
    assert len(division_options) == 5  # Basildon's five divisions only (some elect two members)


def test_bad_query_parameters_get_a_clear_message_and_a_default():
    at = run_app(district="E07000066,NOT-A-CODE", indicator="<script>", theme="nonsense")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert "Ignored unknown district code(s) in the link: NOT-A-CODE." in warnings
    assert "Unknown indicator '<script>' in the link; showing the default." in warnings
    assert at.selectbox(key="filter_indicator").value == "claimant_count"
    assert at.query_params["indicator"] == ["claimant_count"] or at.query_params["indicator"] == "claimant_count"
