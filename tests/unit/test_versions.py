"""Dataset diffs: new releases, moved latest values and changed ratings between two versions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight import schema as s
from insight.config import load_config
from insight.loaders import Dataset
from insight.versions import (
    NEW_PERIOD,
    NEW_SERIES,
    REVISED,
    WITHDRAWN,
    default_comparators,
    diff_datasets,
    latest_ratings,
)

AREAS = pd.DataFrame({s.AREA_CODE: ["E", "C", "D1", "V1"], s.AREA_NAME: ["England", "County", "One", "Div"],
                      s.LEVEL: ["england", "county", "district", "division"]})
INDICATORS = pd.DataFrame({s.INDICATOR_ID: ["x", "n"], s.POLARITY: ["higher_is_worse", "neither"],
                           s.DISCLOSURE_RULE: ["none", "small_counts"]})
COMPARATORS = {s.Level.COUNTY: "E", s.Level.DISTRICT: "E", s.Level.DIVISION: "C"}


def rows(area: str, indicator: str, year: int, value: float, lower: float = np.nan, upper: float = np.nan,
         numerator: float = np.nan) -> dict[str, object]:
    return {s.AREA_CODE: area, s.INDICATOR_ID: indicator, s.PERIOD_START: pd.Timestamp(f"{year}-01-01"),
            s.PERIOD_LABEL: str(year), s.VALUE: value, s.LOWER_95: lower, s.UPPER_95: upper,
            s.NUMERATOR: numerator, s.FLAG: ""}


def version(*observations: dict[str, object]) -> Dataset:
    return Dataset(AREAS, INDICATORS, pd.DataFrame(list(observations)))


BASE = [rows("E", "x", 2023, 3.0), rows("D1", "x", 2023, 3.1, 2.8, 3.4), rows("C", "x", 2023, 3.2, 2.9, 3.5)]


def test_identical_versions_have_no_changes():
    assert diff_datasets(version(*BASE), version(*BASE), COMPARATORS).empty


def test_a_new_year_is_a_new_release_and_a_moved_value():
    current = version(*BASE, rows("E", "x", 2024, 3.0), rows("D1", "x", 2024, 3.6, 3.3, 3.9))
    diff = diff_datasets(version(*BASE), current, COMPARATORS)
    assert diff.new_releases[[s.AREA_CODE, s.PERIOD_LABEL]].values.tolist() == [["D1", "2024"], ["E", "2024"]]
    moved = diff.moved_values.set_index(s.AREA_CODE)
    assert moved.loc["D1", "kind"] == NEW_PERIOD and moved.loc["D1", "change"] == pytest.approx(0.5)
    assert moved.loc["D1", "previous_period_label"] == "2023"


def test_a_revised_value_for_the_same_period_is_reported_and_an_unchanged_one_is_not():
    current = version(rows("E", "x", 2023, 3.0), rows("D1", "x", 2023, 3.15, 2.85, 3.45), BASE[2])
    moved = diff_datasets(version(*BASE), current, COMPARATORS).moved_values
    assert moved[[s.AREA_CODE, "kind"]].values.tolist() == [["D1", REVISED]]


def test_new_and_withdrawn_series_are_named():
    previous = version(*BASE, rows("C", "x", 2024, 3.3, 3.0, 3.6))
    current = version(*BASE, rows("V1", "x", 2023, 3.0))
    kinds = dict(diff_datasets(previous, current, COMPARATORS).moved_values[[s.AREA_CODE, "kind"]].values)
    assert kinds == {"V1": NEW_SERIES, "C": WITHDRAWN}


def test_a_rating_that_moves_from_similar_to_worse_is_a_rating_change():
    current = version(*BASE, rows("E", "x", 2024, 3.0), rows("D1", "x", 2024, 3.6, 3.3, 3.9))
    changes = diff_datasets(version(*BASE), current, COMPARATORS).rating_changes
    assert changes[[s.AREA_CODE, "comparator_code", "previous_rating", "rating"]].values.tolist() == [
        ["D1", "E", "Similar", "Worse"]]


def test_divisions_are_rated_against_the_county():
    data = version(*BASE, rows("V1", "x", 2023, 4.0, 3.7, 4.3))
    ratings = latest_ratings(data, COMPARATORS).set_index(s.AREA_CODE)
    assert ratings.loc["V1", "comparator_code"] == "C" and ratings.loc["V1", "rating"] == "Worse"
    assert "E" not in ratings.index  # England is a comparator here, not rated


def test_not_compared_is_never_a_change():
    current = version(rows("E", "x", 2024, 3.0), rows("D1", "x", 2024, 3.6), BASE[2])  # no interval now
    assert diff_datasets(version(*BASE), current, COMPARATORS).rating_changes.empty


def test_suppressed_counts_are_not_rated():
    data = version(rows("E", "n", 2023, 10.0), rows("D1", "n", 2023, 30.0, 25.0, 35.0, numerator=5))
    ratings = latest_ratings(data, COMPARATORS)
    assert ratings.set_index(s.AREA_CODE).loc["D1", "rating"] == "Not compared"


def test_for_area_keeps_one_areas_changes():
    current = version(*BASE, rows("E", "x", 2024, 3.0), rows("D1", "x", 2024, 3.6, 3.3, 3.9))
    diff = diff_datasets(version(*BASE), current, COMPARATORS).for_area("D1")
    assert set(diff.moved_values[s.AREA_CODE]) == {"D1"} and len(diff.rating_changes) == 1


def test_default_comparators_come_from_the_council_configuration():
    config = load_config()
    comparators = default_comparators(config)
    assert comparators[s.Level.DIVISION] == config.county_code
    assert comparators[s.Level.DISTRICT] == config.england_code


def test_the_committed_data_has_no_changes_against_itself(dataset):
    diff = diff_datasets(dataset, dataset, default_comparators(load_config()))
    assert diff.empty
