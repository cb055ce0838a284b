"""Priority map page, as an officer uses it (AppTest, page run on its own)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from insight import query
from insight import schema as s
from tests.app import helpers

PAGE = "pages/priority_map.py"
CLACTON_WEST = "E58000426"
BILLERICAY = "E58000406"  # 11 of its LSOAs have a suppressed count of overcrowded households


def run_page(**params: str) -> AppTest:
    at = helpers.run_page(PAGE, **params)
    assert not at.exception
    return at


def ranked_codes(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Code"])


@pytest.fixture(scope="module")
def division_values(dataset):
    codes = list(query.areas_at(dataset.areas, s.Level.DIVISION)[s.AREA_CODE])
    return query.wide_latest(dataset.observations, ["imd25_income", "imd25_crime", "census21_disabled"], codes)


def test_changing_a_weight_changes_the_ranked_order_as_expected(division_values):
    at = run_page(weights="imd25_income:5,imd25_crime:5")
    both = ranked_codes(at)
    at.slider(key="pm_weight_imd25_crime").set_value(0).run()
    by_income = list(division_values["imd25_income"].sort_values(ascending=False).index)
    assert ranked_codes(at) == by_income
    assert ranked_codes(at) != both
    at.slider(key="pm_weight_imd25_income").set_value(0).run()
    at.slider(key="pm_weight_imd25_crime").set_value(10).run()
    assert ranked_codes(at) == list(division_values["imd25_crime"].sort_values(ascending=False).index)
    assert at.query_params["weights"] == "imd25_income:0,imd25_crime:10"


def test_weights_are_shown_as_shares_of_the_index():
    at = run_page(weights="imd25_income:6,imd25_crime:2")
    shares = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith("%**")]
    assert shares == ["**75%**", "**25%**"]


def test_selecting_a_division_shows_its_drilldown_and_the_way_to_its_profile():
    at = run_page()
    assert not [h for h in at.subheader if h.value.startswith("Looking closer")]
    at.selectbox(key="pm_focus_picker").select(CLACTON_WEST).run()
    assert "Looking closer: Clacton West" in [h.value for h in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Priority rank"] == "1 of 70"  # most deprived division of Essex on the default index
    assert metrics["Class"] == "Highest priority"
    assert metrics["Stays in top 10"] == "100% of runs"
    lsoas = at.dataframe[1].value
    assert len(lsoas) == 12 and lsoas["Code"].str.startswith("E01").all()
    assert any("Open the profile of Clacton West" in m.value for m in at.markdown)


def test_the_chosen_division_is_looked_at_closely_and_summed_up_under_the_map():
    at = run_page(division=CLACTON_WEST)
    assert "Looking closer: Clacton West" in [h.value for h in at.subheader]
    assert at.selectbox(key="pm_focus_picker").value == CLACTON_WEST
    assert any(m.value.startswith("**Clacton West** (Tendring): highest priority, rank 1 of 70") for m in at.markdown)


def _lsoa_deck(at: AppTest) -> dict:
    decks = [json.loads(e.proto.json) for e in at.get("deck_gl_json_chart")]
    lsoa = next(d for d in decks if any(layer["id"] == "lsoas" for layer in d["layers"]))
    return next(layer for layer in lsoa["layers"] if layer["id"] == "lsoas")


def test_suppressed_lsoas_are_grey_unranked_and_say_suppressed_when_coloured_by_that_measure(dataset):
    at = run_page(division=BILLERICAY, measure="Overcrowded households")
    table = at.dataframe[1].value
    hidden = table[table["Class (all LSOAs)"] == "Suppressed"]
    assert len(hidden) == 11
    assert (hidden["Rank"] == "not ranked").all()
    assert (hidden["Value"] == "Overcrowded households: suppressed").all()
    obs = dataset.observations
    shown = obs[(obs[s.INDICATOR_ID] == "census21_overcrowded") & obs[s.AREA_CODE].str.startswith("E01")
                & obs[s.VALUE].notna()]
    ranked = table[table["Class (all LSOAs)"] != "Suppressed"]
    assert ranked["Rank"].str.endswith(f" of {len(shown)}").all() and len(shown) == 756  # 903 - 147 suppressed
    features = {f["properties"]["area_code"]: f["properties"] for f in _lsoa_deck(at)["data"]["features"]}
    for code in hidden["Code"]:
        assert features[code]["fill"][:3] == [163, 163, 163]  # neutral grey, not a colour of need
        assert features[code]["class_text"] == "Suppressed: not coloured or ranked"
    legends = [json.loads(c.proto.spec)["description"] for c in at.get("vega_lite_chart")]
    assert any(d.startswith("Legend: Grey: suppressed — 11 LSOAs here (a count of 1–7") for d in legends)


def test_an_lsoa_with_a_suppressed_input_is_scored_on_its_other_measures_and_says_so():
    at = run_page(division=BILLERICAY)
    table = at.dataframe[1].value
    gaps = table[table["Data gaps"] != ""]
    assert len(gaps) == 11
    assert gaps["Data gaps"].str.startswith("Suppressed: Overcrowded households — scored on the other measures, "
                                            "weights rescaled (").all()
    assert not table["Data gaps"].str.contains("Imputed").any()
    assert table["Rank"].str.endswith(" of 903").all()  # each still ranked, on the measures it has


def test_a_shared_link_reopens_the_same_view():
    at = run_page(weights="census21_disabled:7,imd25_income:3", norm="rank", top="5", division=CLACTON_WEST,
                  measure="Disabled residents")
    assert at.multiselect(key="pm_indicators").value == ["census21_disabled", "imd25_income"]
    assert at.slider(key="pm_weight_census21_disabled").value == 7
    assert at.radio(key="norm").value == "rank"
    assert at.number_input(key="top").value == 5
    assert at.selectbox(key="measure").value == "census21_disabled"
    assert "In top 5" in at.dataframe[0].value.columns
    assert (at.dataframe[0].value["In top 5"] == "Yes").sum() == 5


def test_bad_link_values_are_explained_and_replaced_by_defaults():
    at = run_page(weights="pop_aged_65_plus:5,not_an_indicator:3", norm="magic", top="999", focus="E58999999")
    warnings = " ".join(w.value for w in at.warning)
    assert "2 measure(s) that cannot enter the index, so they are left out: `pop_aged_65_plus`, " \
           "`not_an_indicator`" in warnings
    assert "The link's normalisation `magic` is not one of the 3 available here" in warnings
    assert "The link's number of divisions to highlight (top) `999` is not a whole number from 1 to 70" in warnings
    assert "'focus' setting is from an older version" in warnings
    assert len(at.multiselect(key="pm_indicators").value) == 10  # the default index
    assert at.radio(key="norm").value == "zscore"


@pytest.mark.parametrize("top", ["²", "5.5", "-3", "1e3", "٣"])
def test_a_top_n_that_is_not_plain_digits_is_refused_not_a_crash(top):
    at = run_page(top=top)
    assert at.number_input(key="top").value == 10
    assert any("is not a whole number from 1 to 70" in w.value for w in at.warning)


def test_all_zero_weights_give_a_specific_error_not_a_traceback():
    at = run_page(weights="imd25_income:0,imd25_crime:0")
    assert [e.value for e in at.error] == [
        "The index cannot be computed with these settings: All weights are zero: give at least one indicator "
        "a weight above 0."]


def test_map_colours_divisions_by_class_and_outlines_the_top_n():
    at = run_page(top="7")
    element = at.get("deck_gl_json_chart")[0]
    deck = json.loads(element.proto.json)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    divisions = layers["divisions"]["data"]["features"]
    assert len(divisions) == 70
    fills = {tuple(f["properties"]["fill"][:3]) for f in divisions}
    assert fills == {(26, 16, 66), (123, 35, 130), (211, 67, 110), (253, 150, 104), (252, 249, 187)}
    assert len(layers["top-n"]["data"]["features"]) == 7
    assert {f["properties"]["rank_text"] for f in layers["top-n"]["data"]["features"]} == {
        f"{r} of 70" for r in range(1, 8)}
    assert deck["mapStyle"].startswith("data:application/json;base64,")
    assert "{drivers_text}" in json.loads(element.proto.tooltip)["text"]
    assert len(layers["district-names"]["data"]) == 12


def test_the_model_card_and_standing_note_are_on_the_page():
    at = run_page()
    assert "supports judgement; it does not replace it" in at.info[0].value
    assert any("APPROXIMATE" in w.value for w in at.warning)
    card = at.expander[-1]
    assert card.label.startswith("Model card")
    text = " ".join(m.value for m in card.markdown)
    for field in ("**Purpose.**", "**Data.**", "**Method.**", "**Limitations.**", "**Accuracy.**",
                  "**Human oversight.**", "**Who reviewed it, and when.**", "**How to challenge it.**"):
        assert field in text
    assert "Not yet reviewed by Essex County Council's data ethics committee" in text  # the shared card
    assert "There is no observed 'true priority' to test against" in text


# ---- map builders (pure) -------------------------------------------------------------------------
def test_basemap_is_an_inline_style_with_one_background_layer():
    import base64

    from views.maps import basemap_style_url

    url = basemap_style_url("#e8ecef")
    style = json.loads(base64.b64decode(url.split(",", 1)[1]))
    assert style["sources"] == {}
    assert style["layers"] == [{"id": "background", "type": "background",
                                "paint": {"background-color": "#e8ecef"}}]


def test_line_widths_avoid_pixel_units_that_blank_the_map():
    import pandas as pd

    from views import maps

    square = {"type": "Feature", "properties": {"area_code": "A", "area_name": "Alpha"},
              "geometry": {"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 51]]]}}
    raw = {"type": "FeatureCollection", "features": [square]}
    collection = maps.with_properties(raw,
                                      pd.DataFrame({"fill": [[1, 2, 3, 255]], "top": [True], "selected": [False]},
                                                   index=["A"]))
    labels = maps.label_points(raw)
    deck = maps.build_priority_map(collection, collection, labels, maps.view_state(51.5, 0.5, 8), tooltip_text="")
    text = deck.to_json()
    assert "Units" not in text  # lineWidthUnits/sizeUnits="pixels" turned the whole map black (see maps._line_px)
    assert collection["features"][0]["properties"] == {"area_code": "A", "fill": [1, 2, 3, 255], "top": True,
                                                       "selected": False}
    assert labels.loc["A", "area_name"] == "Alpha"


def _boundaries_unchanged() -> None:  # an AppTest script: the shared boundary layers against a fresh read
    import json

    import streamlit as st

    from components import data

    stamp = data.data_stamp()
    for level in ("division", "district", "lsoa"):
        fresh = data._store().boundaries(stamp.version, level)
        st.markdown(f"{level}: {json.dumps(data.boundaries(level), sort_keys=True) == json.dumps(fresh, sort_keys=True)}")


def test_the_shared_boundary_layers_are_not_changed_by_the_pages_that_draw_them():
    """data._boundaries is one read-only copy shared by every session (st.cache_resource): drawing the maps, a
    drill-down, a profile's locator and a pack must leave it as read."""
    run_page(division=CLACTON_WEST)
    run_page(division=BILLERICAY, measure="Overcrowded households")
    helpers.run_page("pages/division_profile.py", division=CLACTON_WEST)
    at = AppTest.from_function(_boundaries_unchanged, default_timeout=helpers.TIMEOUT).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["division: True", "district: True", "lsoa: True"]
