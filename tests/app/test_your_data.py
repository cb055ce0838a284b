"""Your data on every page, for the session that uploaded it: a small monthly file of the council's small areas
is loaded and described on Data & methods, then found in the sidebar, on Trends, the priority map, the profile
and Scenarios, labelled with its file name (as plain text) and upload time. Runs on any council."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from insight import schema as s
from insight.config import load_config
from insight.text import plain, shorten
from insight.your_data import YOUR_LABEL
from tests.app.helpers import ROOT, TIMEOUT, chart_rows, chart_spec
from tests.app.yours import FILE_NAME, SHORT_TITLE, load_on_data_methods, monthly_upload, page_with_upload

COUNCIL = load_config()
LABEL = f"**{YOUR_LABEL}** · {plain(FILE_NAME)} · uploaded "
ID = "yours_food_bank"


@pytest.fixture(scope="module")
def areas(dataset):
    return dataset.areas


@pytest.fixture(scope="module")
def content(areas):
    return monthly_upload(areas, COUNCIL.county_code)


@pytest.fixture(scope="module")
def rates(areas):
    return monthly_upload(areas, COUNCIL.county_code, decimals=True)


@pytest.fixture(scope="module")
def division(areas):
    """A small area whose counts are not small (the file's first one has counts of 1-7): (code, name)."""
    rows = areas[areas[s.LEVEL] == s.Level.DIVISION].sort_values(s.AREA_CODE)
    return str(rows[s.AREA_CODE].iloc[1]), str(rows[s.AREA_NAME].iloc[1])


def labels(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.value.startswith(LABEL)]


def test_data_methods_shows_no_value_until_the_indicators_are_described_and_the_rule_chosen(content):
    at = AppTest.from_file(str(ROOT / "pages" / "data_methods.py"), default_timeout=TIMEOUT).run()
    at.file_uploader[0].upload(FILE_NAME, content, "text/csv")
    at = at.run()
    assert not at.exception and not at.get("vega_lite_chart")  # nothing from the file is drawn yet
    [rule] = [c for c in at.checkbox if c.key.endswith(".disclosure")]
    assert rule.value is True and "suppress counts of 1–7" in rule.label  # offered first, for counts
    assert "your_data" not in at.session_state
    at = load_on_data_methods(content)
    assert not at.exception
    assert at.success[-1].value.startswith(f"On every page now, for this session: {plain(SHORT_TITLE)}")
    assert len(labels(at)) == 1
    notes = " ".join(c.value for c in at.caption)
    assert "Not given, so defaulted: unit (Number of food bank referrals), source (Your own data)." in notes
    assert "Disclosure rule applied: counts of 1–7 suppressed" in notes
    assert SHORT_TITLE in str(chart_spec(at, 0)["title"])


def test_the_sidebar_offers_the_sessions_indicators_in_their_own_theme(content):
    at = page_with_upload("app.py", content, theme="Your data", indicator=SHORT_TITLE)
    assert not at.exception
    assert "Your data" in at.selectbox(key="theme").options
    assert at.selectbox(key="indicator").value == ID and at.selectbox(key="indicator").options == [SHORT_TITLE]
    [caption] = [c.value for c in at.sidebar.caption if YOUR_LABEL in c.value]
    assert caption.startswith(f"📄 **{YOUR_LABEL}** · {plain(FILE_NAME, 40)} · uploaded ")


def test_trends_draws_the_upload_labelled_with_a_projection_and_its_back_test(content):
    at = page_with_upload("pages/trends.py", content, indicator=SHORT_TITLE)
    assert not at.exception and len(labels(at)) == 1
    spec = chart_spec(at)
    assert SHORT_TITLE in " ".join(spec["title"]["text"])
    assert f"Source: {YOUR_LABEL} ({shorten(FILE_NAME, 40)}, uploaded " in " ".join(spec["title"]["subtitle"])
    texts = " ".join(m.value for m in at.markdown)
    assert "**How accurate has this method been?**" in texts and "Pooled across all" in texts
    assert any("your series itself was not part of that back-test" in m.value for m in at.markdown)
    summary = " ".join(i.value for i in at.info)
    assert f"in {COUNCIL.short_name} in Dec 2025 is likely between" in summary  # 12 months on from Dec 2024
    assert "counts of 1–7 suppressed" in summary


def test_trends_refuses_a_short_upload_with_the_reason(areas):
    at = page_with_upload("pages/trends.py", monthly_upload(areas, COUNCIL.county_code, months=12),
                          indicator=SHORT_TITLE)
    assert not at.exception
    assert [w.value for w in at.warning if "no projection" in w.value] == [
        f"{COUNCIL.short_name}: no projection. Needs at least 24 monthly points to project; this series has 12."]


def test_the_priority_map_takes_the_upload_as_a_measure_with_its_polarity_and_weight(content, division):
    at = page_with_upload("pages/priority_map.py", content, weights=f"{ID}:7,imd25_income:3", division=division[1])
    assert not at.exception and len(labels(at)) == 1
    assert at.multiselect(key="pm_indicators").value == [ID, "imd25_income"]
    assert at.slider(key=f"pm_weight_{ID}").label == SHORT_TITLE and at.slider(key=f"pm_weight_{ID}").value == 7
    assert any(c.value.startswith("Sources: ") and YOUR_LABEL in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert table["Rank"].notna().sum() > 0


def test_a_measure_without_a_direction_stays_out_of_the_index(content):
    at = page_with_upload("pages/priority_map.py", content, polarity="neither", weights=f"{ID}:5,imd25_income:5")
    assert not at.exception
    assert ID not in at.multiselect(key="pm_indicators").options


def test_the_profile_has_a_spine_row_for_the_upload_not_compared_as_a_count(content, division):
    at = page_with_upload("pages/division_profile.py", content, division=division[1])
    assert not at.exception and len(labels(at)) == 1
    [row] = [r for r in chart_rows(at, 0) if r.get("indicator_id") == ID]
    assert row["short_title"] == SHORT_TITLE and row["rating"] == "Not compared"
    assert row["comparator_text"] == "—"


def test_the_profile_rates_an_uploaded_rate_with_its_own_intervals(rates, areas):
    at = page_with_upload("pages/division_profile.py", rates,  # not counts: the rule is not offered
                          division=str(areas.loc[areas[s.LEVEL] == s.Level.DIVISION].sort_values(s.AREA_CODE)
                                       [s.AREA_NAME].iloc[0]))
    assert not at.exception
    [row] = [r for r in chart_rows(at, 0) if r.get("indicator_id") == ID]
    assert row["rating"] == "Better"  # the first small area's rate sits well below the council's (higher is worse)


def test_scenarios_project_the_upload_as_a_series(content):
    at = page_with_upload("pages/scenarios.py", content, scn_indicator=ID)
    assert not at.exception and not at.error and len(labels(at)) == 1
    assert at.selectbox(key="scn_indicator").value == ID
    assert any(m.value.startswith(f"In {COUNCIL.short_name}, the baseline projection for Dec 2026") for m in at.markdown)


def test_a_link_to_an_uploaded_indicator_opened_elsewhere_says_the_upload_must_be_loaded_again():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"theme": "Your data", "indicator": SHORT_TITLE, "upload": "1"})
    at = at.run()
    assert not at.exception
    assert any(w.value.startswith("**Your uploaded file is no longer loaded.**") for w in at.warning)
    assert at.selectbox(key="indicator").value != ID
