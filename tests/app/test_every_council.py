"""Every page on any council (AppTest): it names the council under test, counts its own small areas and calls
them by its own word. Runs on Essex by default and on Colchester with ``--council colchester``; each council's
expectations come from its configuration and from published figures below (never from another council).

A check marked ``page_literal`` still fails on a council other than Essex because of a literal in pages/ or
components/ (where it is says the mark); tests/app/conftest.py makes it a strict xfail there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from insight.config import CouncilConfig, load_config
from tests.app import helpers


@dataclass(frozen=True)
class Facts:
    """Published facts about one council's geography (Census 2021; ONS codes)."""

    small_areas: int
    districts: int
    example: str  # a small area's code
    example_name: str
    example_residents: str  # Census 2021 usual residents, as the page prints them
    example_district: str


FACTS = {
    "essex": Facts(70, 12, "E58000402", "Abbey", "25,507", "Colchester"),
    "colchester": Facts(17, 1, "E05010843", "Wivenhoe", "8,984", "Colchester"),
}
COMPARATOR_KINDS = ("county", "region", "england")


@pytest.fixture(scope="module")
def council() -> CouncilConfig:
    return load_config()  # conftest points INSIGHT_COUNCIL/INSIGHT_DATA_DIR at the council under test


@pytest.fixture(scope="module")
def facts(council_name) -> Facts:
    if council_name not in FACTS:
        pytest.fail(f"add {council_name}'s published facts to FACTS in tests/app/test_every_council.py")
    return FACTS[council_name]


def _text(at: AppTest) -> str:
    """Everything a reader sees as words: titles, headers, text, notes, table HTML, chart descriptions."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                                  "error", "success") for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [m.value for m in at.metric]
    parts += [re.sub(r"<[^>]+>", " ", e.proto.body) for e in at.get("html")]
    parts += [str(json.loads(e.proto.spec).get("description", "")) for e in at.get("vega_lite_chart")]
    return "\n".join(str(p) for p in parts)


def _wrong_words(text: str, council: CouncilConfig, facts: Facts) -> list[str]:
    """Phrases that belong to another council: its small-area word, its count of areas, 'Essex' as the council."""
    found = []
    if council.area_word != "division":
        found += re.findall(r"[^\n]{0,40}\b[Dd]ivisions?\b[^\n]{0,30}", text)
    # "the 70 divisions", "all 17 wards", "other 69 divisions": the whole set, so the council's own count
    for match in re.finditer(r"\b(?:the|all|of|other|[Ee]ssex's|[Oo]ur) (\d+) (?:[A-Z]\w+ )?(?:county )?"
                             r"(?:electoral )?(divisions|wards)\b", text):
        if int(match.group(1)) not in (facts.small_areas, facts.small_areas - 1) or \
                match.group(2) != council.area_word_plural:
            found.append(match.group(0))
    if council.short_name != "Essex":
        found += re.findall(r"[^\n]{0,30}\b(?:Essex (?:average|LSOAs|divisions|County Council)|Essex-wide)"
                            r"[^\n]{0,20}", text)
    return found


def _run(script: str, **params: str) -> AppTest:
    at = helpers.run_page(script, **params)
    assert not at.exception, [e.message for e in at.exception]
    return at


# ---- Overview --------------------------------------------------------------------------------------------
def test_overview_is_titled_with_the_council(council):
    at = _run("pages/overview.py")
    assert at.title[0].value == f"{council.short_name} at a glance"
    assert len(at.metric) == 6


def test_overview_tiles_are_the_councils_own_figures(council):
    at = _run("pages/overview.py")
    assert all(m.label.startswith(f"{council.short_name}, ") for m in at.metric), [m.label for m in at.metric]


# ---- the frame's sidebar ----------------------------------------------------------------------------------
def test_the_sidebar_filters_the_councils_own_small_areas_by_its_word(council, facts):
    at = _run("app.py")
    labels = {m.label: m for m in at.multiselect}
    assert council.area_word.capitalize() in labels, list(labels)
    assert len(labels[council.area_word.capitalize()].options) == facts.small_areas
    assert len(labels["District"].options) == facts.districts


# ---- Trends ------------------------------------------------------------------------------------------------
def test_trends_default_is_the_councils_series_against_its_comparators(council):
    at = _run("pages/trends.py", indicator="claimant_count")
    summary = " ".join(i.value for i in at.info)
    assert summary.startswith(f"Claimant count in {council.short_name} "), summary
    spec = helpers.chart_spec(at)
    domain = next(layer["encoding"]["strokeDash"]["scale"]["domain"] for layer in spec["layer"]
                  if "strokeDash" in layer.get("encoding", {}))
    names = [council.comparator_names[k] for k in COMPARATOR_KINDS]
    assert domain == list(dict.fromkeys([council.short_name, *names]))  # Colchester adds Essex; Essex is itself


def test_trends_comparator_controls_are_labelled_with_the_comparators(council):
    at = _run("pages/trends.py", indicator="claimant_count")
    labels = [c.label for c in at.checkbox] + [o.content for b in at.get("button_group") for o in b.proto.options]
    assert labels == [council.comparator_names[k] for k in COMPARATOR_KINDS]


def test_trends_for_a_small_area_without_its_own_series_shows_its_district_in_its_word(council, facts):
    at = _run("pages/trends.py", indicator="claimant_count", division=facts.example)
    notes = [i.value for i in at.info]
    assert (f"{facts.example_name} {council.area_word} has no claimant count series of its own, so its "
            f"district's series ({facts.example_district}) is shown instead.") in notes
    assert any(n.startswith(f"Claimant count in {facts.example_district} ") for n in notes)


def test_trends_says_approximate_only_for_approximate_boundaries(council, facts):
    at = _run("pages/trends.py", indicator="imd_rank_percentile", division=facts.example)
    notes = " ".join(i.value for i in at.info)
    assert f"IMD rank percentile (trend) in {facts.example_name} " in notes
    assert ("APPROXIMATE" in notes) == council.divisions_approximate


# ---- Priority map ------------------------------------------------------------------------------------------
def _deck_layers(at: AppTest) -> dict[str, dict]:
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer for layer in deck["layers"]}


def test_priority_map_ranks_and_draws_every_small_area_of_the_council(facts):
    at = _run("pages/priority_map.py", top="7")
    layers = _deck_layers(at)
    assert len(layers["divisions"]["data"]["features"]) == facts.small_areas
    assert {f["properties"]["rank_text"] for f in layers["top-n"]["data"]["features"]} == {
        f"{r} of {facts.small_areas}" for r in range(1, 8)}
    assert len(layers["district-names"]["data"]) == facts.districts
    assert len(at.dataframe[0].value) == facts.small_areas


def test_priority_map_is_titled_with_the_council(council):
    at = _run("pages/priority_map.py")
    assert at.title[0].value == f"Priority map: where in {council.short_name} may need prioritised activity"


def test_priority_map_says_approximate_only_for_approximate_boundaries(council):
    at = _run("pages/priority_map.py")
    assert any("APPROXIMATE" in w.value for w in at.warning) == council.divisions_approximate


def test_priority_map_speaks_of_the_councils_own_areas(council, facts):
    at = _run("pages/priority_map.py")
    assert _wrong_words(_text(at), council, facts) == []


# ---- Division / ward profile -------------------------------------------------------------------------------
def test_profile_of_a_small_area_shows_its_name_residents_and_district(facts):
    at = _run("pages/division_profile.py", division=facts.example)
    assert at.title[0].value == facts.example_name
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Residents (Census 2021)"] == facts.example_residents
    assert metrics["District"] == facts.example_district


def test_profile_picker_lists_every_small_area_of_the_council(facts):
    at = _run("pages/division_profile.py")
    assert len(at.selectbox(key="profile_division_picker").options) == facts.small_areas


def test_profile_compares_with_the_council(council, facts):
    at = _run("pages/division_profile.py", division=facts.example)
    tables = [e.proto.body for e in at.get("html") if "<table" in e.proto.body]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', tables[-1])
    assert headers[1] == facts.example_name and headers[-1] == council.short_name


def test_profile_says_approximate_only_for_approximate_boundaries(council, facts):
    at = _run("pages/division_profile.py", division=facts.example)
    assert ("APPROXIMATE" in " ".join(c.value for c in at.caption)) == council.divisions_approximate


def test_profile_speaks_of_the_councils_own_areas(council, facts):
    at = _run("pages/division_profile.py", division=facts.example)
    assert _wrong_words(_text(at), council, facts) == []


# ---- Scenarios ---------------------------------------------------------------------------------------------
def test_scenarios_project_the_councils_own_series(council):
    at = _run("pages/scenarios.py", scn_data="open", scn_indicator="claimant_count", scn_area=council.council_code,
              scn_horizon="5")
    assert set(helpers.html_table_frame(at)["Scenario"]) == {"Baseline"}
    spec = helpers.chart_spec(at)
    assert helpers.chart_title(at).startswith("Projected ")
    assert council.short_name in json.dumps(spec, ensure_ascii=False)


def test_scenarios_illustrative_demand_runs_for_a_small_area_in_its_word(council, facts):
    at = _run("pages/scenarios.py", scn_data="illustrative", scn_area=facts.example)
    assert "Illustrative data — not real" in at.error[0].value
    assert _wrong_words(_text(at), council, facts) == []


# ---- Ethics & transparency --------------------------------------------------------------------------------
def test_ethics_names_the_councils_own_committee(council):
    at = _run("pages/ethics.py")
    assert f"{council.name}'s data ethics committee" in " ".join(m.value for m in at.markdown)


def test_ethics_model_cards_speak_of_the_councils_own_areas(council, facts):
    at = _run("pages/ethics.py")
    text = _text(at) + " ".join(e.label for e in at.expander)
    assert _wrong_words(text, council, facts) == []


# ---- Data & methods ----------------------------------------------------------------------------------------
def test_data_and_methods_describes_the_councils_own_geography(council, facts):
    at = _run("pages/data_methods.py")
    assert any("APPROXIMATE" in w.value for w in at.warning) == council.divisions_approximate
    assert _wrong_words(_text(at), council, facts) == []
