"""Behaviour of the Division profile: insight.profile, its chart builders and the one-page export."""

from __future__ import annotations

import io
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from insight import profile as pr
from insight import schema as s
from insight.config import load_config
from insight.errors import UnknownAreaError
from insight.stats import Rating
from views import profile_charts as pc
from views import profile_export as pe
from views.words import AreaWords

COUNTY, ENGLAND = "E10000012", "E92000001"
WORDS = AreaWords.of(load_config(), 70)
ABBEY = "E58000402"


@pytest.fixture(scope="module")
def table(dataset) -> pd.DataFrame:
    return pr.division_table(dataset.observations, dataset.indicators, dataset.areas, COUNTY, ENGLAND)


@pytest.fixture(scope="module")
def abbey(table) -> pd.DataFrame:
    return pr.profile_frame(table, ABBEY)


# ---- the division table ---------------------------------------------------------------------------
def test_table_has_every_division_level_indicator_for_all_70_divisions(table, dataset):
    expected = set(pr.division_indicators(dataset.indicators)[s.INDICATOR_ID])
    assert set(table[s.INDICATOR_ID]) == expected and len(expected) == 21
    assert table.groupby(s.INDICATOR_ID)[s.AREA_CODE].nunique().eq(70).all()


def test_imd_rank_trend_is_profiled_at_its_latest_edition_only(table):
    assert set(table.loc[table[s.INDICATOR_ID] == "imd_rank_percentile", s.PERIOD_LABEL]) == {"IMD 2025"}


def test_ranks_run_from_1_to_70_with_1_the_best(table):
    income = table[table[s.INDICATOR_ID] == "imd25_income"].set_index(s.AREA_CODE)
    assert income[pr.RANK].min() == 1 and income[pr.RANK].max() == 70
    best = income[pr.RANK].idxmin()
    assert income.loc[best, s.VALUE] == income[s.VALUE].min()  # higher is worse: lowest value ranks 1st
    assert income.loc[best, pr.RANK_TEXT] == "best of 70"


def test_spine_positions_put_the_best_division_at_1_and_the_worst_at_0(table):
    for _, rows in table.groupby(s.INDICATOR_ID):
        valid = rows[rows[pr.POS_VALUE].notna()]
        assert valid[pr.POS_VALUE].between(0, 1).all()
        assert valid.loc[valid[pr.RANK] == 1, pr.POS_VALUE].eq(1).all() or rows[s.POLARITY].iloc[0] == "neither"


def test_abbey_is_rated_against_essex_at_95_percent_with_polarity(abbey):
    rated = abbey.set_index(s.INDICATOR_ID)
    assert rated.loc["imd25_pct_most_deprived_10", pr.RATING] == Rating.SIMILAR  # 0 of its 12 LSOAs v Essex 3.5%
    assert rated.loc["census21_overcrowded", pr.RATING] == Rating.WORSE  # higher is worse, 4.2% v 3.2%
    assert rated.loc["census21_private_rented", pr.RATING] == Rating.HIGHER  # polarity neither
    assert rated.loc["imd25_score", pr.RATING] == Rating.NOT_COMPARED  # no interval for IMD scores
    assert (rated[pr.RATING_ENGLAND] == Rating.NOT_COMPARED).all()  # England has no small-area values


def test_unknown_division_raises_a_typed_error(table):
    with pytest.raises(UnknownAreaError):
        pr.profile_frame(table, "E58999999")


def test_ordinal_suffixes():
    assert [pr.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st"]


# ---- disclosure ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_count_table(dataset) -> pd.DataFrame:
    """The real data with Abbey's overcrowded-households numerator replaced by a small count (5)."""
    obs = dataset.observations.copy()
    mask = (obs[s.AREA_CODE] == ABBEY) & (obs[s.INDICATOR_ID] == "census21_overcrowded")
    obs.loc[mask, [s.NUMERATOR, s.VALUE, s.LOWER_95, s.UPPER_95]] = [5.0, 0.05, 0.02, 0.1]
    return pr.division_table(obs, dataset.indicators, dataset.areas, COUNTY, ENGLAND)


def test_suppressed_values_never_appear_in_the_profile_or_its_csv(small_count_table):
    profile = pr.profile_frame(small_count_table, ABBEY)
    row = profile.set_index(s.INDICATOR_ID).loc["census21_overcrowded"]
    assert row[s.FLAG] == s.Flag.SUPPRESSED
    assert row[[s.VALUE, s.NUMERATOR, s.LOWER_95, s.UPPER_95]].isna().all()
    assert (row[pr.VALUE_TEXT], row[pr.RANK_TEXT], row[pr.RATING]) == ("suppressed", "not ranked", "Not compared")
    assert np.isnan(row[pr.POS_VALUE])
    csv = pd.read_csv(io.BytesIO(pr.profile_csv(profile)))
    cell = csv.set_index("indicator_id").loc["census21_overcrowded"]
    assert cell["flag"] == "suppressed"
    assert cell[["value", "numerator", "lower_95", "upper_95"]].isna().all()
    assert "0.05" not in pr.profile_csv(profile).decode()


def test_suppressed_value_is_left_out_of_the_summary_and_spine_data(small_count_table):
    profile = pr.profile_frame(small_count_table, ABBEY)
    summary = pr.summarise(profile, "Essex")
    assert "overcrowded" not in summary.text
    values = pc.spine_values(profile, division_name="Abbey", comparator_name="Essex", words=WORDS)
    row = next(v for v in values if v.get("indicator_id") == "census21_overcrowded")
    assert row["value_text"] == "suppressed" and row["x_value"] is None


def test_suppressed_value_shows_as_suppressed_in_the_comparison_and_the_table_view(small_count_table):
    from views.profile import spine_table_html

    comparison = pr.comparison_table(small_count_table, [ABBEY, "E58000403"], "Essex").set_index("Indicator")
    assert comparison.loc["Overcrowded households", "Abbey"] == "suppressed"
    profile = pr.build_division_profile(small_count_table, ABBEY, "Essex")
    table = spine_table_html(profile, "Essex", WORDS)
    assert ('<th scope="row">Overcrowded households</th><td>Census 2021</td><td class="num lead">suppressed</td>'
            in table)
    assert "5.0%" not in table.split("Overcrowded households", 1)[1].split("</tr>", 1)[0]


def test_counts_in_the_profile_are_rounded_to_5_where_the_rule_applies(abbey):
    ruled = abbey[abbey[s.DISCLOSURE_RULE] == s.DISCLOSURE_SMALL_COUNTS]
    assert len(ruled) == 8  # the census21_* indicators
    assert (ruled[s.NUMERATOR].dropna() % 5 == 0).all()


# ---- summary -----------------------------------------------------------------------------------------
def test_most_deprived_decile_shares_are_compared_with_the_lsoa_as_the_unit(table):
    """S1b: whole LSOAs are in or out, so most divisions are Similar to Essex (63 and 64 of 70), not all
    Better or Worse as with residents counted as independent."""
    for indicator_id, similar in (("imd25_pct_most_deprived_10", 63), ("imd25_pct_most_deprived_20", 64)):
        ratings = table.loc[table[s.INDICATOR_ID] == indicator_id, pr.RATING].value_counts().to_dict()
        assert ratings == {Rating.SIMILAR: similar, Rating.WORSE: 70 - similar}


def test_abbey_summary_names_no_strength_and_three_challenges(abbey):
    summary = pr.summarise(abbey, "Essex")
    assert [item.indicator_id for item in summary.strengths] == []
    assert [item.indicator_id for item in summary.challenges] == ["imd25_crime", "imd25_environment",
                                                                  "imd25_health"]
    assert summary.text.startswith("No measure is clearly better in Abbey than in Essex. Its biggest challenges "
                                   "are a higher crime score (0.64 v Essex -0.01), ")


def _synthetic(rows: list[tuple[str, str, str, float, float, str, float]]) -> pd.DataFrame:
    """(id, theme, polarity, value, county, rating, score) -> a minimal profile frame."""
    frame = pd.DataFrame(rows, columns=[s.INDICATOR_ID, s.THEME, s.POLARITY, s.VALUE, pr.COMPARATOR_VALUE,
                                        pr.RATING, pr.SCORE])
    return frame.assign(**{pr.DIVISION_NAME: "Testville", s.SHORT_TITLE: frame[s.INDICATOR_ID].str.title(),
                           s.VALUE_TYPE: "mean", s.UNIT: "", pr.VALUE_TEXT: frame[s.VALUE].astype(str),
                           pr.COMPARATOR_TEXT: frame[pr.COMPARATOR_VALUE].astype(str)})


def test_summary_uses_significance_polarity_and_at_most_two_per_theme():
    frame = _synthetic([
        ("a", "economy", "higher_is_better", 9, 5, "Better", 2.0),
        ("b", "economy", "higher_is_better", 8, 5, "Better", 1.5),
        ("c", "economy", "higher_is_better", 7, 5, "Better", 1.2),  # third from one theme: skipped
        ("d", "place", "higher_is_worse", 3, 5, "Better", 0.8),
        ("e", "place", "higher_is_better", 9, 5, "Similar", 3.0),  # not significant: never a strength
        ("f", "place", "neither", 9, 5, "Higher", 3.0),  # no polarity: never a strength
        ("g", "health", "higher_is_worse", 8, 5, "Not compared", -0.4),  # no interval and < 0.5 SD
        ("h", "health", "higher_is_worse", 9, 5, "Not compared", -0.9),
        ("i", "health", "higher_is_better", 2, 5, "Worse", -0.6),
    ])
    summary = pr.summarise(frame, "Essex")
    assert [i.indicator_id for i in summary.strengths] == ["a", "b", "d"]
    assert [i.indicator_id for i in summary.challenges] == ["h", "i"]
    assert summary.text == ("Compared with Essex, Testville's biggest strengths are higher A (9 v Essex 5), higher B "
                            "(8 v Essex 5) and lower D (3 v Essex 5). Its biggest challenges are higher H (9 v Essex "
                            "5) and lower I (2 v Essex 5).")


def test_summary_says_so_when_nothing_differs_clearly():
    frame = _synthetic([("a", "economy", "higher_is_better", 5, 5, "Similar", 0.0)])
    assert pr.summarise(frame, "Essex").text == ("No measure is clearly better in Testville than in Essex. "
                                                 "No measure is clearly worse than in Essex.")


# ---- comparison and trends ----------------------------------------------------------------------------------
def test_similar_divisions_are_three_others_nearest_first(table):
    similar = pr.similar_divisions(table, ABBEY)
    assert len(similar) == 3 and ABBEY not in set(similar[s.AREA_CODE])
    assert similar["distance"].is_monotonic_increasing and (similar["indicators_used"] == 21).all()


def test_comparison_table_puts_the_division_first_and_the_county_last(table):
    out = pr.comparison_table(table, [ABBEY, "E58000403"], "Essex")
    assert list(out.columns) == ["Theme", "Indicator", "Abbey", "Basildon Laindon Park and Fryerns", "Essex"]
    row = out.set_index("Indicator").loc["In most deprived 10% nationally"]
    assert row.tolist()[1:] == ["0.0%", "12.6%", "3.5%"]


def test_district_trend_cards_carry_s5_markers_for_annual_series_only(dataset):
    frame, cards = pr.district_trends(dataset.observations, dataset.indicators, dataset.areas, "health and wellbeing",
                                      "E07000071", COUNTY, ENGLAND)
    by_id = {card.indicator_id: card for card in cards}
    assert by_id["cvd_preventable_mortality"].marker is None  # 3-year rolling windows overlap
    assert by_id["adult_obesity"].marker is not None and by_id["adult_obesity"].marker.n_points >= 5
    assert set(frame[pr.AREA_LABEL]) == {"Colchester", "Essex", "England"}


def test_imd_trend_covers_six_editions_for_division_district_and_county(dataset):
    frame = pr.imd_trend(dataset.observations, dataset.areas, ABBEY, "E07000071", COUNTY)
    assert frame.groupby(pr.AREA_LABEL)[s.PERIOD_LABEL].nunique().to_dict() == {"Abbey": 6, "Colchester": 6,
                                                                                "Essex": 6}


def test_profile_csv_has_sources_and_one_row_per_indicator(abbey):
    csv = pd.read_csv(io.BytesIO(pr.profile_csv(abbey)))
    assert len(csv) == 21 and list(csv.columns) == list(pr.CSV_COLUMNS.values())
    assert csv["source_and_licence"].str.contains("Open Government Licence v3.0").all()


# ---- chart builders --------------------------------------------------------------------------------------
def test_spine_chart_spec_is_valid_and_describes_its_finding(abbey):
    spec = pc.build_spine_chart(abbey, division_name="Abbey", comparator_name="Essex", words=WORDS).to_dict()
    assert spec["description"] == ("Spine chart of 21 indicators for Abbey against the 70 divisions and Essex: 0 better, "
                                   "4 similar, 1 worse, 5 higher, 2 lower; 9 not compared.")
    assert spec["usermeta"]["rows"] == 1 + 7 + 21  # header row, 7 themes, 21 indicators


def test_spine_spec_for_another_division_matches_a_full_build(table, abbey):
    template = pc.build_spine_chart(pr.profile_frame(table, "E58000410"), division_name="Brentwood Hutton",
                                    comparator_name="Essex", words=WORDS).to_dict(validate=False)
    fast = pc.spine_spec_for(template, abbey, division_name="Abbey", comparator_name="Essex", words=WORDS)
    full = pc.build_spine_chart(abbey, division_name="Abbey", comparator_name="Essex", words=WORDS).to_dict(validate=False)
    full_values = full["datasets"][full["data"]["name"]] if "datasets" in full else full["data"]["values"]
    assert fast["data"]["values"] == full_values
    assert fast["description"] == full["description"] and fast["layer"] == full["layer"]


def test_locator_svg_draws_every_division_and_highlights_the_chosen_one_last():
    from insight.loaders import load_boundaries

    svg = pc.build_locator_svg(pc.locator_layout(load_boundaries("division")), ABBEY, WORDS)
    assert svg.startswith("<svg") and svg.count("<path") == 70
    assert svg.rindex(f'fill="{pc.ACCENT}"') > svg.rindex('fill="#CBD2DA"')  # chosen drawn on top
    assert 'aria-label="Locator map: Abbey highlighted' in svg


def _decode_ring(path: str) -> list[tuple[float, float]]:
    """The points of one compact ring ('Mx,yl dx,dy dx,dy z'), in pixels."""
    start, _, steps = path.removeprefix("M").removesuffix("z").partition("l")
    x, y = (int(v) for v in start.split(","))
    points = [(x, y)]
    for step in steps.split():
        dx, dy = (int(v) for v in step.split(","))
        x, y = x + dx, y + dy
        points.append((x, y))
    return [(px / pc.LOCATOR_UNITS, py / pc.LOCATOR_UNITS) for px, py in points]


def test_a_compact_locator_ring_keeps_every_point_to_a_quarter_pixel_and_drops_only_repeats():
    ring = [(10.0, 20.0), (10.1, 20.1), (12.37, 19.62), (15.0, 25.26), (10.0, 20.0)]
    path = pc._compact_ring(ring)
    assert path == "M20,40l5,-1 5,12 -10,-11z"  # (10.1, 20.1) rounds onto (10, 20): dropped
    decoded = _decode_ring(path)
    kept = [ring[0], *ring[2:]]
    assert all(abs(a - b) <= 0.25 for p, q in zip(decoded, kept, strict=True) for a, b in zip(p, q, strict=True))


def test_the_locator_svg_is_compact_and_every_division_has_its_outline():
    """The locator map is sent with every division switch: whole half-pixel relative steps keep it under 20 KB
    (43 KB with absolute one-decimal coordinates); each of the 70 divisions still has rings of points."""
    import re

    from insight.loaders import load_boundaries

    boundaries = load_boundaries("division")
    layout = pc.locator_layout(boundaries)
    svg = pc.build_locator_svg(layout, ABBEY, WORDS)
    assert len(svg.encode()) < 20_000
    paths = re.findall(r'd="([^"]+)"', svg)
    assert len(paths) == 70
    for path in paths:
        rings = [f"M{ring}" for ring in path.split("M") if ring]
        assert rings and all(len(_decode_ring(ring)) >= 3 for ring in rings)


def test_trend_card_spec_names_no_district_and_its_rows_carry_the_areas_in_order(dataset):
    frame, cards = pr.district_trends(dataset.observations, dataset.indicators, dataset.areas, "economy",
                                      "E07000071", COUNTY, ENGLAND)
    spec = pc.build_trend_card_spec("Claimant count", "%", "Essex", "England")
    assert "data" not in spec and "Colchester" not in json.dumps(spec)
    assert spec["description"] == "Claimant count for the division's district, Essex and England"
    assert spec["encoding"]["y"]["title"] == "%"
    rows = pc.trend_card_rows(frame, "claimant_count", ["Colchester", "Essex", "England"])
    assert rows.groupby(pr.AREA_LABEL)[pc.LINE_ORDER].first().to_dict() == {"Colchester": 0, "Essex": 1,
                                                                             "England": 2}
    assert rows[s.VALUE].notna().all() and rows.groupby(pr.AREA_LABEL)[s.PERIOD_START].is_monotonic_increasing.all()
    assert pc.trend_card_subtitle(frame, "claimant_count", "%") == "%, 2001 to 2025"


def test_imd_chart_spec_is_the_same_for_every_division_and_its_rows_carry_the_areas(dataset):
    import altair as alt

    spec = pc.build_imd_trend_spec("Essex", "division")
    assert "data" not in spec and "datasets" not in spec
    assert "Abbey" not in json.dumps(spec) and "Colchester" not in json.dumps(spec)
    assert spec["encoding"]["y"]["title"] == "Rank percentile (100 = least deprived)"
    assert spec["encoding"]["color"]["sort"] == {"field": pc.LINE_ORDER, "op": "min"}
    alt.Chart.from_dict({**spec, "data": {"values": []}})  # a valid Vega-Lite spec once data is added
    frame = pr.imd_trend(dataset.observations, dataset.areas, ABBEY, "E07000071", COUNTY)
    rows = pc.line_rows(frame, ["Abbey", "Colchester", "Essex"])
    assert list(rows.columns) == [pr.AREA_LABEL, pc.LINE_ORDER, s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]
    assert rows.groupby(pr.AREA_LABEL)[pc.LINE_ORDER].first().to_dict() == {"Abbey": 0, "Colchester": 1, "Essex": 2}
    assert len(rows) == 18  # 3 areas x 6 editions


def test_imd_trend_finding_states_the_direction_since_2004(dataset):
    frame = pr.imd_trend(dataset.observations, dataset.areas, ABBEY, "E07000071", COUNTY)
    assert pr.imd_trend_finding(frame, ABBEY, "Abbey") == "Abbey is relatively more deprived than in 2004"
    flat = frame.assign(**{s.VALUE: 50.0})
    assert pr.imd_trend_finding(flat, ABBEY, "Abbey") == "Abbey's deprivation rank has changed little since 2004"


def test_sources_sentence_lists_each_source_once(abbey):
    text = pr.sources_sentence(abbey)
    assert text.count("Census 2021 from the Office for National Statistics") == 1
    assert text.endswith("Licence: Open Government Licence v3.0.")


# ---- the one-page export ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf(abbey) -> bytes:
    header = pe.ProfileHeader("Abbey", ABBEY, "Colchester", 25507, "Essex", date(2026, 11, 25), WORDS)
    return pe.build_profile_pdf(abbey, pr.summarise(abbey, "Essex"), header)


def test_committee_summary_is_exactly_one_a4_page(pdf):
    assert pdf.startswith(b"%PDF")
    assert pe.pdf_page_count(pdf) == 1
    assert pe.pdf_page_size(pdf) == (595.0, 842.0)


def test_committee_summary_page_carries_summary_sources_date_and_notice(abbey):
    header = pe.ProfileHeader("Abbey", ABBEY, "Colchester", 25507, "Essex", date(2026, 11, 25), WORDS)
    svg = pe.build_profile_svg(abbey, pr.summarise(abbey, "Essex"), header)
    assert "Population (Census 2021)" in svg and "25,507" in svg
    assert "APPROXIMATE" in svg and "Produced 25 November 2026" in svg
    assert "Census 2021 from the Office for National Statistics" in svg
    assert "Open Government Licence v3.0" in svg


def test_page_count_reads_a_multi_page_pdf():
    fake = b"%PDF-1.7 << /Type /Pages /Count 2 >> << /Type /Page >> << /Type /Page\n>>"
    assert pe.pdf_page_count(fake) == 2


@pytest.mark.parametrize(("rank", "polarity", "expected"), [
    (1, "higher_is_better", "best of 70"), (2, "higher_is_better", "2nd best of 70"),
    (35, "higher_is_better", "35th best of 70"), (36, "higher_is_better", "35th worst of 70"),
    (69, "higher_is_better", "2nd worst of 70"), (70, "higher_is_better", "worst of 70"),
    (1, "neither", "highest of 70"), (70, "neither", "lowest of 70"), (64, "neither", "7th lowest of 70"),
])
def test_a_rank_reads_from_the_nearer_end_never_70th_best_of_70(rank, polarity, expected):
    assert pr._rank_text(float(rank), 70, polarity) == expected
