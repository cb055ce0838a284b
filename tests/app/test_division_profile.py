"""AppTest of the Division profile page, run on its own with a shared link's query parameters."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import run_page

PAGE = "pages/division_profile.py"
ABBEY = "E58000402"  # Colchester; 25,507 residents (Census 2021)


def _open(**params: str) -> AppTest:
    return run_page(PAGE, **params)


@pytest.fixture(scope="module")
def abbey() -> AppTest:
    return _open(division=ABBEY)


def test_link_to_a_division_shows_its_name_population_and_district(abbey):
    assert not abbey.exception
    assert abbey.title[0].value == "Abbey"
    metrics = {m.label: m.value for m in abbey.metric}
    assert metrics["Residents (Census 2021)"] == "25,507"
    assert metrics["District"] == "Colchester"


def test_profile_shows_the_generated_summary_against_essex(abbey):
    text = " ".join(m.value for m in abbey.markdown)
    # 0 of Abbey's 12 LSOAs are in the most deprived 10%: with the LSOA as the unit that is Similar to Essex (S1b)
    assert "No measure is clearly better in Abbey than in Essex." in text
    assert "Its biggest challenges are a higher crime score (0.64 v Essex -0.01)" in text


def test_profile_states_the_approximate_boundaries_and_the_confidence_level(abbey):
    captions = " ".join(c.value for c in abbey.caption)
    assert "APPROXIMATE" in captions
    assert "95% confidence interval" in captions


def _html_tables(at: AppTest) -> list[str]:
    """The HTML of every static table on the page (st.html)."""
    return [element.proto.body for element in at.get("html") if "<table" in element.proto.body]


def _column_headers(body: str) -> list[str]:
    return re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', body)


def _chart(at: AppTest, description_start: str) -> tuple[dict, pd.DataFrame]:
    """The spec of the chart whose description starts so, and its data (Streamlit moves it to Arrow)."""
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if str(spec.get("description", "")).startswith(description_start):
            data = pa.ipc.open_stream(element.proto.data.data).read_all().to_pandas() \
                if element.proto.data.data else pd.DataFrame(spec.get("data", {}).get("values", []))
            return spec, data
    raise AssertionError(f"no chart described '{description_start}…'")


def test_spine_chart_has_every_division_indicator_and_rates_them_in_words(abbey):
    spec, data = _chart(abbey, "Spine chart of 21 indicators for Abbey")
    rows = data[data["kind"] == "indicator"].set_index("indicator_id")
    assert len(rows) == 21
    assert rows.loc["imd25_pct_most_deprived_10", ["value_text", "rating_label", "rank_text"]].tolist() == [
        "0.0%", "● Similar", "best of 70"]
    assert "0 better, 4 similar, 1 worse" in spec["description"]
    captions = " ".join(c.value for c in abbey.caption)  # the counts are in words beside the chart too
    assert "Rated against Essex: 0 better, 4 similar, 1 worse, 5 higher, 2 lower; 9 not compared." in captions


def test_picker_shows_the_division_and_compare_defaults_to_the_most_similar(abbey):
    assert abbey.selectbox(key="profile_division_picker").value == ABBEY
    compare = abbey.multiselect(key="profile_compare")
    assert len(compare.value) == 3 and ABBEY not in compare.value
    names = [area for area in _column_headers(_html_tables(abbey)[-1]) if area != "Indicator"]
    assert len(names) == 1 + 3 + 1 and names[0] == "Abbey" and names[-1] == "Essex"  # Abbey, 3 others, Essex


def test_unknown_division_code_leaves_the_picker_empty_with_every_division():
    at = _open(division="E58999999")  # the message about the link is the frame's (tests/app/test_overview.py)
    assert not at.exception
    picker = at.selectbox(key="profile_division_picker")
    assert picker.value is None and len(picker.options) == 70
    assert at.title[0].value == "Division profile"
    assert "Choose a division to see how it compares with the other 69 divisions and with Essex" in at.info[0].value


def test_choosing_a_division_in_the_picker_opens_its_profile():
    at = _open()
    assert "Choose a division" in at.info[0].value
    at.selectbox(key="profile_division_picker").set_value("E58000403").run()
    assert at.title[0].value == "Basildon Laindon Park and Fryerns"
    assert at.selectbox(key="profile_division_picker").value == "E58000403"


def test_vs_link_parameter_chooses_the_comparison_divisions():
    at = _open(division=ABBEY, vs="E58000403,E58000404")
    assert at.multiselect(key="profile_compare").value == ["E58000403", "E58000404"]
    assert _column_headers(_html_tables(at)[-1]) == ["Indicator", "Abbey", "Basildon Laindon Park and Fryerns",
                                                     "Basildon Pitsea", "Essex"]


def test_unknown_divisions_to_compare_with_are_named_in_a_message():
    at = _open(division=ABBEY, vs="E58000403,[x](https://evil.example)")
    assert at.multiselect(key="profile_compare").value == ["E58000403"]
    warning = next(w.value for w in at.warning if "compare with" in w.value)
    assert "`[x](https://evil.example)`" in warning  # a code span: literal text, not a link


def test_spine_table_view_is_drawn_only_when_opened_and_lists_every_indicator():
    at = _open(division=ABBEY)
    assert not [body for body in _html_tables(at) if "21 indicators for Abbey" in body]
    at.session_state["profile_spine_table"] = True
    at.run()
    table = next(body for body in _html_tables(at) if "21 indicators for Abbey" in body)
    assert table.count('<th scope="row"') == 21
    assert '<th scope="row">In most deprived 10% nationally</th><td>IMD 2025</td><td class="num lead">0.0%</td>' \
        in table
    assert "● Similar" in table and "▼ Worse" in table


def test_imd_chart_has_the_same_spec_for_every_division_so_the_browser_only_swaps_its_rows():
    at = _open(division=ABBEY)
    spec, rows = _chart(at, "IMD rank percentile by edition")
    assert set(rows["area_label"]) == {"Abbey", "Colchester", "Essex"} and len(rows) == 18
    at.selectbox(key="profile_division_picker").set_value("E58000404").run()  # Basildon Pitsea
    spec_after, rows_after = _chart(at, "IMD rank percentile by edition")
    assert spec_after == spec
    assert set(rows_after["area_label"]) == {"Basildon Pitsea", "Basildon", "Essex"}


def test_theme_trend_cards_keep_their_specs_across_districts_and_show_the_district_series():
    at = _open(division=ABBEY)  # Colchester
    at.session_state["profile_trend_theme"] = "economy"
    at.run()
    spec, rows = _chart(at, "Claimant count for the division's district")
    assert set(rows["area_label"]) == {"Colchester", "Essex", "England"}
    assert any("Trend in Colchester" in m.value for m in at.markdown)
    at.selectbox(key="profile_division_picker").set_value("E58000404").run()  # Basildon Pitsea
    spec_after, rows_after = _chart(at, "Claimant count for the division's district")
    assert spec_after == spec
    assert set(rows_after["area_label"]) == {"Basildon", "Essex", "England"}


def test_picker_lists_the_chosen_districts_divisions_and_keeps_the_current_one():
    at = _open(district="E07000066", division=ABBEY)  # Basildon chosen in the sidebar; Abbey is in Colchester
    picker = at.selectbox(key="profile_division_picker")
    labels = picker.options  # AppTest lists the shown labels
    assert picker.value == ABBEY and len(labels) == 5 + 1 and labels == sorted(labels)
    assert "Colchester · Abbey" in labels and sum(label.startswith("Basildon · ") for label in labels) == 5
