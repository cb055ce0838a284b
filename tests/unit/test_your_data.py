"""An upload's indicators as session-only catalogue rows and observations: shapes, metadata, labels, the
disclosure rule, and the merges the pages use (insight.your_data, views.your_data)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from insight import schema as s
from insight.config import load_config
from insight.loaders import load_areas
from insight.query import filter_options
from insight.stats import Rating
from insight.uploads import UploadShelf
from insight.your_data import (
    SHORT_SUFFIX,
    YOUR_LABEL,
    YOUR_THEME,
    SessionMemo,
    additive_edges,
    build_your_data,
    default_meta,
    describe_upload,
    is_safe_text,
    merge_filter_options,
    read_meta,
    with_yours,
)
from views.your_data import (
    merge_division_table,
    merge_priority_inputs,
    usable_at,
    your_trend_choice,
    your_trend_view,
)

NOW = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
COUNCIL = load_config()
AREAS = load_areas()
DIVISIONS = sorted(AREAS.loc[AREAS[s.LEVEL] == s.Level.DIVISION, s.AREA_CODE])
DISTRICTS = sorted(AREAS.loc[AREAS[s.LEVEL] == s.Level.DISTRICT, s.AREA_CODE])
CODE = COUNCIL.county_code


def load(text: str) -> pd.DataFrame:
    outcome = UploadShelf().check("f", "f.csv", text.encode(), set(AREAS[s.AREA_CODE]), now=NOW)
    assert hasattr(outcome, "frame"), outcome
    return outcome.frame


def csv(rows: list[str], header: str = "area_code,indicator_id,period,value") -> str:
    return header + "\n" + "\n".join(rows) + "\n"


def monthly(codes: list[str], months: int, value=lambda i, m: 10 + i + m, upload_id: str = "x") -> str:
    return csv([f"{c},{upload_id},{2021 + m // 12}-{m % 12 + 1:02d},{value(i, m)}" for i, c in enumerate(codes)
                for m in range(months)])


def build(text: str, *, disclosure: bool = False, meta=None):
    frame = load(text)
    return build_your_data(frame, "my [file](http://e.x).csv", NOW, AREAS, meta or {}, disclosure=disclosure,
                           council_code=CODE)


# ---- shapes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("rows", "frequency", "value_type", "unit"), [
    ([f"{CODE},x,2021-0{m},{m}" for m in range(1, 4)], s.Frequency.MONTHLY, s.ValueType.COUNT, "Number"),
    ([f"{CODE},x,{y},{y - 2000}.5" for y in (2020, 2021)], s.Frequency.ANNUAL, s.ValueType.MEAN, "Value"),
    ([f"{CODE},x,2021 Q{q},-{q}" for q in (1, 2, 3)], s.Frequency.QUARTERLY, s.ValueType.SCORE, "Value"),
    ([f"{CODE},x,2021/22,5"], s.Frequency.SNAPSHOT, s.ValueType.COUNT, "Number"),
])
def test_periods_and_values_decide_frequency_value_type_and_unit(rows, frequency, value_type, unit):
    [shape] = describe_upload(load(csv(rows)), AREAS).values()
    assert (shape.frequency, shape.value_type, shape.unit, shape.problem) == (frequency, value_type, unit, None)


@pytest.mark.parametrize(("multiplier", "value_type", "unit"), [
    (100, s.ValueType.PROPORTION, "%"), (1000, s.ValueType.RATE, "per 1,000"),
    (100_000, s.ValueType.RATE, "per 100,000")])
def test_numerators_and_denominators_give_the_scale_of_the_value(multiplier, value_type, unit):
    rows = [f"{c},x,2023,{multiplier * n / 400:.4f},{n},400" for c, n in zip(DISTRICTS[:3], (20, 30, 41), strict=True)]
    [shape] = describe_upload(load(csv(rows, "area_code,indicator_id,period,value,numerator,denominator")),
                              AREAS).values()
    assert (shape.value_type, shape.unit, shape.multiplier, shape.counts) == (value_type, unit, multiplier, True)


def test_values_that_are_not_numerator_over_denominator_drop_them_and_say_so():
    rows = [f"{DISTRICTS[0]},x,2023,50,20,400", f"{DISTRICTS[1]},x,2023,9,30,400"]
    [shape] = describe_upload(load(csv(rows, "area_code,indicator_id,period,value,numerator,denominator")),
                              AREAS).values()
    assert shape.multiplier is None and "not numerator ÷ denominator" in shape.notes[0]


@pytest.mark.parametrize(("rows", "problem"), [
    ([f"{CODE},x,2021,1", f"{CODE},x,2021-04,2"], "its periods mix annual and monthly periods"),
    ([f"{CODE},x,2021-04-01,1", f"{CODE},x,2021-04-02,2"], "its periods are single days"),
])
def test_periods_the_pages_cannot_place_make_the_indicator_unusable_with_the_reason(rows, problem):
    [shape] = describe_upload(load(csv(rows)), AREAS).values()
    assert shape.problem.startswith(problem)
    yours = build(csv(rows))
    assert yours.indicators.empty and yours.unusable["x"].startswith(problem)


def test_levels_are_those_of_the_areas_in_the_file():
    rows = [f"{c},x,2023,1" for c in (CODE, DISTRICTS[0], DIVISIONS[0], "E01021237", COUNCIL.england_code)]
    [shape] = describe_upload(load(csv(rows)), AREAS).values()
    assert shape.levels == (s.Level.ENGLAND, s.Level.COUNTY, s.Level.DISTRICT, s.Level.DIVISION, s.Level.LSOA)


# ---- metadata --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "safe"), [
    ("Food bank referrals (per 1,000 homes)", True), ("%", True), ("£ per head", True), ("+44", False), ("Référence 2024/25 – 3%", True),
    ("[Re-login](https://evil.example)", False), ("www.evil.example", False), ("See WWW.evil.example", False),
    ("**bold**", False), ("=cmd|' /C calc'!A0", False), ("<img src=x>", False), ("$x^2$", False),
    (":red[alert]", False), ("-starts with a dash", False), ("a_b", False), ("", False)])
def test_safe_text_admits_plain_words_and_nothing_markdown_html_or_a_formula_could_use(text, safe):
    assert is_safe_text(text) is safe


def test_metadata_given_is_used_unsafe_text_is_refused_and_defaults_are_said():
    [shape] = describe_upload(load(monthly([CODE], 3)), AREAS).values()
    meta, problems = read_meta({"title": "[Click](https://evil.example)", "unit": "Referrals",
                                "polarity": "Higher is worse", "source": ""}, shape)
    assert (meta.title, meta.unit, meta.polarity, meta.source) == ("X", "Referrals", s.Polarity.HIGHER_IS_WORSE,
                                                                   "Your own data")
    assert meta.defaulted == ("title", "source")
    assert problems == ("the title was not used: it must be at most 120 characters of letters, digits, spaces and "
                        "`, . ( ) % / & ' + ; - £ €` only, starting with a letter, a digit, `%` or `£` (no links: "
                        "never `www.`)",)
    assert meta.defaults_sentence() == "Not given, so defaulted: title (X), source (Your own data)."
    _, problems = read_meta({"polarity": "up is good"}, shape)
    assert problems == ("the polarity was not used: say 'higher is better', 'higher is worse' or 'neither'",)


# ---- catalogue rows and observations ---------------------------------------------------------------------
def test_catalogue_rows_are_labelled_namespaced_and_hold_no_file_name():
    yours = build(monthly(DIVISIONS[:3], 3, upload_id="claimant_count"))  # the id of a published indicator
    [row] = yours.indicators.to_dict("records")
    assert row[s.INDICATOR_ID] == "yours_claimant_count" and row[s.THEME] == YOUR_THEME
    assert row[s.STATUS] == s.Status.UPLOADED and row[s.SHORT_TITLE] == "Claimant count" + SHORT_SUFFIX
    assert row[s.SOURCE].startswith(YOUR_LABEL) and row[s.LEVELS] == "division"
    assert not any("file" in str(v) or "http" in str(v) for v in row.values())
    assert set(yours.observations[s.INDICATOR_ID]) == {"yours_claimant_count"}
    assert yours.when == "14:05 on 2 Mar 2026" and yours.label("`f.csv`") == \
        f"{YOUR_LABEL} · `f.csv` · uploaded 14:05 on 2 Mar 2026"


def test_flags_outside_the_dashboards_vocabulary_are_dropped():
    text = csv([f"{CODE},x,2023,1,Provisional", f"{CODE},x,2024,2,=HYPERLINK(\"x\")"],
               "area_code,indicator_id,period,value,flag")
    assert build(text).observations[s.FLAG].tolist() == ["provisional", ""]


def test_the_disclosure_rule_suppresses_counts_of_1_to_7_and_rounds_the_rest_to_5():
    values = {DIVISIONS[0]: 3, DIVISIONS[1]: 0, DIVISIONS[2]: 12, DIVISIONS[3]: 58}
    text = csv([f"{c},x,2023,{v},{v - 1},{v + 1}" for c, v in values.items()],
               "area_code,indicator_id,period,value,lower_95,upper_95")
    shown = build(text, disclosure=True).observations.set_index(s.AREA_CODE)
    assert shown.loc[DIVISIONS[0], s.FLAG] == s.Flag.SUPPRESSED and np.isnan(shown.loc[DIVISIONS[0], s.VALUE])
    assert shown.loc[[DIVISIONS[1], DIVISIONS[2], DIVISIONS[3]], s.VALUE].tolist() == [0, 10, 60]
    assert shown[s.LOWER_95].isna().all()  # intervals of true counts would give them back
    notes = build(text, disclosure=True).notes["yours_x"]
    assert any(n.startswith("Disclosure rule applied: counts of 1–7 suppressed (1 value(s) hidden") for n in notes)
    unprotected = build(text, disclosure=False).observations.set_index(s.AREA_CODE)
    assert unprotected[s.VALUE].tolist() == [3, 0, 12, 58]


def test_the_rule_publishes_rates_from_the_rounded_counts():
    text = csv([f"{DISTRICTS[0]},x,2023,{1000 * 23 / 402:.5f},23,402", f"{DISTRICTS[1]},x,2023,{1000 * 6 / 90:.5f},6,90"],
               "area_code,indicator_id,period,value,numerator,denominator")
    shown = build(text, disclosure=True).observations.set_index(s.AREA_CODE)
    assert shown.loc[DISTRICTS[0], [s.NUMERATOR, s.DENOMINATOR]].tolist() == [25, 400]
    assert shown.loc[DISTRICTS[0], s.VALUE] == pytest.approx(1000 * 25 / 400)
    assert shown.loc[DISTRICTS[0], s.LOWER_95] < 62.5 < shown.loc[DISTRICTS[0], s.UPPER_95]
    assert shown.loc[DISTRICTS[1], s.FLAG] == s.Flag.SUPPRESSED


def test_only_sums_the_file_holds_are_identities_for_secondary_suppression():
    parts = [5, 9, 14]
    additive = [f"{c},x,2023,{v}" for c, v in zip(DISTRICTS, parts, strict=False)] + [f"{CODE},x,2023,{sum(parts)}"]
    frame = load(csv(additive))
    assert set(additive_edges(frame, AREAS, CODE, numerator=False)["hierarchy"]) == {"district->county"}
    frame = load(csv(additive[:-1] + [f"{CODE},x,2023,{sum(parts) + 1}"]))
    assert additive_edges(frame, AREAS, CODE, numerator=False).empty


# ---- merges ------------------------------------------------------------------------------------------------
def test_the_sidebar_options_gain_a_last_theme_of_the_sessions_indicators():
    options = filter_options(AREAS, pd.read_csv("data/indicators.csv", dtype=str, keep_default_na=False))
    yours = build(monthly(DIVISIONS[:2], 3))
    merged = merge_filter_options(options, yours)
    assert list(merged.titles_by_theme)[-1] == YOUR_THEME
    assert merged.titles_by_theme[YOUR_THEME] == {"yours_x": "X" + SHORT_SUFFIX}
    assert merged.indicator_themes["yours_x"] == YOUR_THEME and merge_filter_options(options, None) is options
    assert options.titles_by_theme.get(YOUR_THEME) is None  # the published lookups are not changed


def test_with_yours_appends_rows_without_touching_the_published_tables():
    yours = build(monthly([CODE], 3))
    indicators = pd.DataFrame(columns=[*s.INDICATOR_COLUMNS, s.ACCESS])
    merged, observations = with_yours(indicators, yours.observations.iloc[0:0], yours)
    assert merged[s.INDICATOR_ID].tolist() == ["yours_x"] and len(observations) == 3 and indicators.empty


def test_a_measure_enters_the_priority_index_only_with_small_area_values_and_a_direction():
    text = monthly(DIVISIONS, 2)
    [shape] = describe_upload(load(text), AREAS).values()
    neither = build(text)
    assert usable_at(neither, "division") == []
    worse = build(text, meta={"x": read_meta({"polarity": "higher is worse"}, shape)[0]})
    frame = pd.DataFrame(index=DIVISIONS, data={"imd25_income": 1.0})
    merged, polarity = merge_priority_inputs(frame, {"imd25_income": s.Polarity.HIGHER_IS_WORSE}, worse, "division")
    assert list(merged.columns) == ["imd25_income", "yours_x"] and polarity["yours_x"] == s.Polarity.HIGHER_IS_WORSE
    assert merged.loc[DIVISIONS[3], "yours_x"] == 10 + 3 + 1  # the latest month's value
    assert usable_at(worse, "lsoa") == []


@pytest.mark.parametrize(("low", "high", "rating"), [(20, 24, Rating.WORSE), (5, 9, Rating.BETTER),
                                                     (8, 20, Rating.SIMILAR), ("", "", Rating.NOT_COMPARED)])
def test_the_profile_rates_a_division_with_its_own_interval_against_the_councils_value(low, high, rating):
    value = (low + high) / 2 if low else 15
    rows = [f"{DIVISIONS[0]},x,2023,{value},{low},{high}",
            f"{DIVISIONS[1]},x,2023,12,10,14", f"{CODE},x,2023,12,,"]
    text = csv(rows, "area_code,indicator_id,period,value,lower_95,upper_95")
    [shape] = describe_upload(load(text), AREAS).values()
    yours = build(text, meta={"x": read_meta({"polarity": "higher is worse", "unit": "%"}, shape)[0]})
    table = merge_division_table(pd.DataFrame(), yours, AREAS, COUNCIL)
    row = table.set_index(s.AREA_CODE).loc[DIVISIONS[0]]
    assert row["rating"] == rating and row["comparator_value"] == 12 and row[s.STATUS] == s.Status.UPLOADED


def test_a_small_areas_count_is_ranked_but_never_rated_against_the_councils_total():
    text = csv([f"{DIVISIONS[0]},x,2023,30,28,32", f"{DIVISIONS[1]},x,2023,12,10,14", f"{CODE},x,2023,42,,"],
               "area_code,indicator_id,period,value,lower_95,upper_95")
    table = merge_division_table(pd.DataFrame(), build(text), AREAS, COUNCIL).set_index(s.AREA_CODE)
    assert set(table["rating"]) == {Rating.NOT_COMPARED} and table["comparator_value"].isna().all()
    assert table.loc[DIVISIONS[0], "rank_text"] == "highest of 2" and table.loc[DIVISIONS[0], "value_text"] == "30"


def test_a_profile_row_without_a_council_value_is_not_compared():
    text = csv([f"{DIVISIONS[0]},x,2023,30.5,28,32", f"{DIVISIONS[1]},x,2023,12.5,10,14"],
               "area_code,indicator_id,period,value,lower_95,upper_95")
    table = merge_division_table(pd.DataFrame(), build(text), AREAS, COUNCIL)
    assert set(table["rating"]) == {Rating.NOT_COMPARED} and table["comparator_value"].isna().all()


# ---- Trends -------------------------------------------------------------------------------------------------
def trend(text: str, horizon: int):
    from insight.forecast.project import default_context
    from insight.loaders import indicator_from_row

    yours = build(text)
    entry = indicator_from_row(yours.indicators.iloc[0])
    choice = your_trend_choice(yours, entry.indicator_id, entry.short_title, AREAS, COUNCIL, districts=(),
                               divisions=(), comparators=("county", "region", "england"))
    return your_trend_view(yours, entry, choice, horizon, AREAS, COUNCIL, default_context())


def test_a_long_monthly_upload_is_projected_with_pooled_ranges_and_labelled_in_its_chart():
    view = trend(monthly([CODE, COUNCIL.england_code], 36, value=lambda i, m: 100 * (i + 1) + m), 12)
    assert view.has_projection and not view.refusals
    assert f"Source: {YOUR_LABEL} (my [file](http://e.x).csv, uploaded 14:05 on 2 Mar 2026)" in \
        " ".join(view.spec["title"]["subtitle"])
    assert "England" in view.description  # the upload's own comparator is drawn
    assert any("your series itself was not part of that back-test" in c for c in view.more_caveats)
    assert view.notes[0].startswith("Not given, so defaulted: title (X)")


def test_a_short_upload_gets_the_refusal_with_its_reason():
    view = trend(monthly([CODE], 12), 12)
    assert not view.has_projection
    assert view.refusals == (f"{COUNCIL.short_name}: no projection. Needs at least 24 monthly points to project; "
                             "this series has 12.",)


def test_a_quarterly_upload_is_a_trend_and_says_why_it_is_not_projected():
    view = trend(csv([f"{CODE},x,{2015 + q // 4} Q{q % 4 + 1},{q}" for q in range(40)]), 0)
    assert not view.has_projection
    assert any(n.startswith("No projection: Projections are made only for annual and monthly series; this is a "
                            "quarterly series") for n in view.notes)


def test_the_session_memo_keeps_a_bounded_number_of_results():
    memo = SessionMemo(max_entries=2)
    made = []
    for key in ("a", "b", "a", "c", "b"):
        memo.get(key, lambda key=key: made.append(key) or key)
    assert made == ["a", "b", "c", "b"] and len(memo) == 2


def test_default_meta_keeps_the_pages_out_of_judgements_it_cannot_make():
    [shape] = describe_upload(load(monthly([CODE], 3)), AREAS).values()
    meta = default_meta(shape)
    assert meta.polarity == s.Polarity.NEITHER and meta.defaulted == ("title", "unit", "polarity", "source")
    named, _ = read_meta({"title": "Food bank referrals"}, shape)
    assert named.unit == "Number of food bank referrals"  # so a sentence reads '3,000 food bank referrals'
    long, _ = read_meta({"title": "Referrals to the food banks of the whole council area"}, shape)
    assert long.unit == "Number"
