"""The illustrative (not real) monthly demand dataset: shape, determinism and the patterns it must show."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.build.illustrative import (
    ASC_CONTACTS,
    CSC_REFERRALS,
    build_illustrative_demand,
    expected_demand,
    illustrative_indicator_rows,
)
from insight.errors import DataValidationError
from insight.schema import (
    AREA_CODE,
    INDICATOR_COLUMNS,
    INDICATOR_ID,
    OBSERVATION_COLUMNS,
    OBSERVATION_KEY,
    PERIOD_END,
    PERIOD_LABEL,
    PERIOD_START,
    VALUE,
)


def make_divisions(n: int = 70, seed: int = 1) -> pd.DataFrame:
    """70 made-up divisions with realistic ranges (codes as the Essex 2017 divisions)."""
    rng = np.random.default_rng(seed)
    health = rng.uniform(-1.0, 1.4, n)
    return pd.DataFrame({
        "area_code": [f"E58000{402 + i}" for i in range(n)],
        "population": rng.integers(15_000, 32_000, n).astype(float),
        "pct_aged_65_plus": rng.uniform(14.0, 32.0, n),
        "pct_aged_0_15": rng.uniform(14.0, 22.0, n),
        "imd25_score": 10 + 20 * (health + 1.0) + rng.normal(0, 2, n),
        "imd25_health": health,
        "imd25_income": 0.08 + 0.12 * (health + 1.0) / 2.4 + rng.normal(0, 0.01, n),
    })


@pytest.fixture(scope="module")
def demand() -> pd.DataFrame:
    return build_illustrative_demand(make_divisions())


def test_demand_has_one_row_per_division_indicator_and_month(demand):
    assert list(demand.columns) == OBSERVATION_COLUMNS
    assert len(demand) == 70 * 120 * 2
    assert not demand.duplicated(OBSERVATION_KEY).any()
    assert set(demand[INDICATOR_ID]) == {ASC_CONTACTS, CSC_REFERRALS}
    assert demand[PERIOD_START].min() == pd.Timestamp("2016-01-01")
    assert demand[PERIOD_START].max() == pd.Timestamp("2025-12-01")


def test_periods_are_calendar_months_with_readable_labels(demand):
    first = demand[(demand[PERIOD_START] == "2016-02-01")].iloc[0]
    assert first[PERIOD_END] == pd.Timestamp("2016-02-29")
    assert first[PERIOD_LABEL] == "Feb 2016"
    assert (demand[PERIOD_START].dt.day == 1).all()
    assert (demand[PERIOD_END] == demand[PERIOD_START] + pd.offsets.MonthEnd(0)).all()
    assert set(demand["flag"]) == {""}
    assert demand[["numerator", "denominator", "lower_95", "upper_95"]].isna().all().all()


def test_values_are_non_negative_whole_counts(demand):
    values = demand[VALUE].to_numpy()
    assert (values >= 0).all()
    np.testing.assert_array_equal(values, np.round(values))
    assert values.min() > 0  # divisions of 15,000+ people always have some demand a month


def test_same_inputs_and_seed_give_identical_data_in_any_row_order(demand):
    shuffled = make_divisions().sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(build_illustrative_demand(shuffled), demand)
    other = build_illustrative_demand(make_divisions(), seed=7)
    assert not np.array_equal(other[VALUE].to_numpy(), demand[VALUE].to_numpy())


def test_a_division_series_does_not_depend_on_the_other_divisions(demand):
    alone = build_illustrative_demand(make_divisions().iloc[[5]])
    code = make_divisions()["area_code"].iloc[5]
    subset = demand[demand[AREA_CODE] == code].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, subset)


def monthly_totals(demand: pd.DataFrame, indicator_id: str) -> pd.Series:
    rows = demand[demand[INDICATOR_ID] == indicator_id]
    return rows.groupby(PERIOD_START)[VALUE].sum()


def test_adult_contacts_peak_in_winter_and_dip_in_summer(demand):
    totals = monthly_totals(demand, ASC_CONTACTS)
    normal_years = totals[~totals.index.year.isin([2020, 2021])]
    by_month = normal_years.groupby(normal_years.index.month).mean()
    assert by_month[1] > 1.10 * by_month[7]


def test_childrens_referrals_dip_in_the_august_school_holiday(demand):
    totals = monthly_totals(demand, CSC_REFERRALS)
    normal_years = totals[~totals.index.year.isin([2020, 2021])]
    by_month = normal_years.groupby(normal_years.index.month).mean()
    assert by_month.idxmin() == 8
    assert by_month[8] < 0.8 * by_month[10]


@pytest.mark.parametrize(("indicator_id", "dip"), [(ASC_CONTACTS, 0.80), (CSC_REFERRALS, 0.70)])
def test_april_2020_shows_the_covid_dip_then_demand_rebounds(demand, indicator_id, dip):
    totals = monthly_totals(demand, indicator_id)
    assert totals["2020-04-01"] < dip * totals["2019-04-01"]
    assert totals["2020-10-01"] > totals["2019-10-01"]  # rebound above the year before


@pytest.mark.parametrize("indicator_id", [ASC_CONTACTS, CSC_REFERRALS])
def test_demand_grows_over_the_decade(demand, indicator_id):
    totals = monthly_totals(demand, indicator_id)
    yearly = totals.groupby(totals.index.year).sum()
    assert yearly[2025] > 1.1 * yearly[2016]


def test_larger_and_older_divisions_have_more_adult_contacts(demand):
    divisions = make_divisions().set_index("area_code")
    totals = demand[demand[INDICATOR_ID] == ASC_CONTACTS].groupby(AREA_CODE)[VALUE].sum()
    older_people = divisions["population"] * divisions["pct_aged_65_plus"] / 100
    assert totals.corr(older_people.reindex(totals.index), method="spearman") > 0.7


@pytest.mark.parametrize("indicator_id", [ASC_CONTACTS, CSC_REFERRALS])
def test_more_deprived_division_has_more_demand_than_an_identical_less_deprived_one(indicator_id):
    twins = pd.DataFrame({
        "area_code": ["E58000402", "E58000403"], "population": [20_000.0, 20_000.0],
        "pct_aged_65_plus": [22.0, 22.0], "pct_aged_0_15": [18.0, 18.0],
        "imd25_score": [10.0, 40.0], "imd25_health": [-0.5, 1.2], "imd25_income": [0.07, 0.25],
    })
    lam = expected_demand(twins, indicator_id).sum(axis=1)
    # The two local effects are at most a few per cent apart; deprivation adds far more than that.
    assert lam["E58000403"] > 1.3 * lam["E58000402"]
    counts = build_illustrative_demand(twins)
    totals = counts[counts[INDICATOR_ID] == indicator_id].groupby(AREA_CODE)[VALUE].sum()
    assert totals["E58000403"] > totals["E58000402"]


def test_missing_age_shares_fall_back_to_the_median_of_other_divisions():
    divisions = make_divisions(5)
    gappy = divisions.copy()
    gappy.loc[2, "pct_aged_0_15"] = np.nan
    filled = divisions.copy()
    filled.loc[2, "pct_aged_0_15"] = divisions["pct_aged_0_15"].drop(index=2).median()
    pd.testing.assert_frame_equal(build_illustrative_demand(gappy), build_illustrative_demand(filled))


def test_all_missing_age_shares_use_the_documented_19_percent():
    divisions = make_divisions(3).assign(pct_aged_0_15=np.nan)
    expected = expected_demand(divisions.assign(pct_aged_0_15=19.0), CSC_REFERRALS)
    pd.testing.assert_frame_equal(expected_demand(divisions, CSC_REFERRALS), expected)


@pytest.mark.parametrize(("change", "message"), [
    ({"population": np.nan}, "column 'population'"),
    ({"imd25_health": "n/a"}, "column 'imd25_health'"),
    ({"population": 0.0}, "population must be positive"),
    ({"pct_aged_65_plus": 4200.0}, "percentage between 0 and 100"),
])
def test_bad_division_inputs_are_refused_with_where_and_what(change, message):
    divisions = make_divisions(4)
    for column, value in change.items():
        divisions[column] = divisions[column].astype(object)
        divisions.loc[1, column] = value
    with pytest.raises(DataValidationError, match=message):
        build_illustrative_demand(divisions)


def test_catalogue_rows_mark_both_indicators_as_illustrative_monthly_counts():
    rows = illustrative_indicator_rows()
    assert list(rows.columns) == INDICATOR_COLUMNS
    assert list(rows[INDICATOR_ID]) == [ASC_CONTACTS, CSC_REFERRALS]
    assert set(rows["status"]) == {"illustrative"}
    assert set(rows["theme"]) == {"service demand"}
    assert set(rows["frequency"]) == {"monthly"}
    assert set(rows["value_type"]) == {"count"}
    assert set(rows["polarity"]) == {"neither"}
    assert set(rows["levels"]) == {"division"}
    assert set(rows["source"]) == {"Illustrative data generated by insight/build/illustrative.py — not real"}
    assert set(rows["licence"]) == {"OGL v3.0 inputs; synthetic output"}
    assert rows["title"].str.contains("not real").all()
    assert rows["definition"].str.startswith(("Adult", "Children")).all()
    assert rows["definition"].str.contains("NOT REAL").all()
