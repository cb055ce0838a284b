"""Page tests on any council (``pytest tests/app --council colchester``).

Most page tests read Essex's own figures (Abbey's 25,507 residents, Essex's 3.0% claimant count, 70 divisions):
they are listed below, with why, and skipped on another council. The council-agnostic checks of every page run
on both councils in test_every_council.py, with each council's expectations from its configuration and dataset.

``@pytest.mark.page_literal("where: what")`` marks a check that a page still fails on another council because of
a council literal in pages/ or components/ (e.g. "Essex", "70", "division"): on any council but Essex it is a
strict xfail, so the check turns red (XPASS) once the page is fixed and the mark must go.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
DEFAULT_COUNCIL = "essex"

# Page tests whose assertions are Essex's own figures, codes or names (file, or file::test): skipped elsewhere.
ESSEX_FIGURES: dict[str, str] = {
    "test_division_profile.py": "opens Abbey (E58000402) and Basildon's divisions; Essex's figures and 70 divisions",
    "test_committee.py": "builds its agenda for Basildon and asks for Basildon Pitsea's pack",
    "test_overview.py::test_overview_shows_six_essex_headline_values": "Essex's six headline values",
    "test_overview.py::test_overview_states_comparisons_with_england_in_words": "Essex's ratings against England",
    "test_overview.py::test_overview_tiles_carry_change_and_source_lines": "Essex's change since 2023/24",
    "test_overview.py::test_app_frame_shows_sidebar_filters_from_the_url": "Basildon (E07000066), 5 divisions",
    "test_overview.py::test_bad_query_parameters_get_a_clear_message_and_a_default": "keeps Basildon (E07000066)",
    "test_priority_map.py::test_selecting_a_division_shows_its_drilldown_and_the_way_to_its_profile":
        "Clacton West (E58000426), rank 1 of 70, 12 LSOAs",
    "test_priority_map.py::test_the_chosen_division_is_looked_at_closely_and_summed_up_under_the_map":
        "Clacton West (E58000426) in Tendring, rank 1 of 70",
    "test_priority_map.py::test_bad_link_values_are_explained_and_replaced_by_defaults": "top N '1 to 70'",
    "test_priority_map.py::test_a_top_n_that_is_not_plain_digits_is_refused_not_a_crash": "top N '1 to 70'",
    "test_overview.py::test_an_older_link_with_codes_and_ids_opens_the_same_view_and_the_url_gets_labels":
        "Basildon and Chelmsford (E07000066, E07000070)",
    "test_overview.py::test_overview_shows_the_chosen_district_beside_essex_and_england": "Tendring (E07000076)",
    "test_overview.py::test_overview_for_a_chosen_division_shows_its_district_and_says_why":
        "Clacton West (E58000426) in Tendring",
    "test_trends.py::test_a_snapshot_indicator_is_a_bar_comparison_not_a_line_over_time":
        "Clacton West (E58000426) against Essex",
    "test_trends.py::test_several_areas_are_all_named_in_the_title": "Basildon and Harlow (E07000066, E07000073)",
    "test_priority_map.py::test_suppressed_lsoas_are_grey_unranked_and_say_suppressed_when_coloured_by_that_measure":
        "Billericay (E58000406): 11 suppressed LSOAs of 903",
    "test_priority_map.py::test_an_lsoa_with_a_suppressed_input_is_scored_on_its_other_measures_and_says_so":
        "Billericay (E58000406): 11 LSOAs with a gap, ranked of 903",
    "test_priority_map.py::test_a_shared_link_reopens_the_same_view": "focus on Clacton West (E58000426)",
    "test_priority_map.py::test_map_colours_divisions_by_class_and_outlines_the_top_n":
        "70 divisions and 12 district labels (test_every_council.py checks any council's counts)",
    "test_priority_map.py::test_the_model_card_and_standing_note_are_on_the_page":
        "the APPROXIMATE note of Essex's derived divisions",
    "test_trends.py::test_claimant_count_for_essex_shows_a_projected_range_with_both_interval_levels":
        "Essex's claimant count 1.4% (2001) to 3.0% (2025)",
    "test_trends.py::test_the_chart_carries_title_subtitle_source_and_the_word_projection":
        "Essex's chart title, legend and subtitle",
    "test_trends.py::test_a_too_short_series_shows_the_refusal_not_an_exception": "Essex's business births",
    "test_trends.py::test_a_division_without_its_own_series_shows_its_district_and_says_so": "Abbey (E58000402)",
    "test_trends.py::test_imd_rank_at_division_level_is_a_trend_only_on_approximate_boundaries":
        "Abbey (E58000402) on approximate boundaries",
    "test_trends.py::test_horizon_and_comparators_come_from_the_link": "claimant count in Essex",
    "test_trends.py::test_a_bad_horizon_in_the_link_is_reported_and_the_default_used": "claimant count in Essex",
    "test_trends.py::test_monthly_series_project_in_months": "short-term lets in Essex",
    "test_trends.py::test_resolve_areas_caps_the_number_of_lines_and_drops_comparators_already_shown":
        "needs six districts (a district council has one)",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a council other than Essex: skip the Essex-figure tests; page_literal marks become strict xfails."""
    council = config.getoption("--council")
    if council == DEFAULT_COUNCIL:
        return
    for item in items:
        if HERE not in item.path.parents:
            continue
        reason = ESSEX_FIGURES.get(item.path.name) or ESSEX_FIGURES.get(f"{item.path.name}::{item.originalname}")
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"Essex's own figures ({reason}); not {council}"))
        for mark in item.iter_markers("page_literal"):
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"page literal on {council}: {mark.args[0]}"))


@pytest.fixture
def embedded_files_only(pytestconfig: pytest.Config) -> None:
    """For tests that break or remove a file in data/: on the postgres backend (make deploy-test) the app reads
    the database, so the file is not read at all; there the loader's own checks are tested in tests/store."""
    if pytestconfig.getoption("--backend") == "postgres":
        pytest.skip("breaks a file of the embedded backend; this session runs on PostgreSQL")
