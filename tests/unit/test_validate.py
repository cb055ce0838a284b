"""Validation: every problem is listed, with file, line, column and value; a failed load changes nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from insight import schema as s
from insight.errors import DataValidationError, Problem
from insight.validate import read_observations_csv, validate_observations

KNOWN = {"E07000066", "E07000067", "E10000012"}


def problems_of(data: bytes, name: str = "mine.csv") -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        read_observations_csv(data, name, KNOWN)
    return [str(p) for p in caught.value.problems]


def test_valid_upload_is_typed():
    frame = read_observations_csv(
        b"area_code,indicator_id,period,value,numerator,denominator\n"
        b"E07000066,my_rate,2023,12.5,25,200\nE07000067,my_rate,2023/24,\"1,234\",,\n", "mine.csv", KNOWN)
    assert list(frame.columns) == s.OBSERVATION_COLUMNS
    assert frame[s.PERIOD_START].tolist() == [pd.Timestamp("2023-01-01"), pd.Timestamp("2023-04-01")]
    assert frame[s.VALUE].tolist() == [12.5, 1234.0]
    assert frame[s.PERIOD_LABEL].tolist() == ["2023", "2023/24"]


def test_empty_file_is_refused_with_exact_message():
    assert problems_of(b"") == ["mine.csv: the file is empty"]


def test_header_only_file_is_refused():
    assert problems_of(b"area_code,indicator_id,period,value\n") == ["mine.csv: the file has a header but no data rows"]


def test_missing_columns_are_all_listed_with_the_header_as_read():
    assert problems_of(b"area,value\nE07000066,1\n") == [
        "mine.csv, line 1, column 'area_code': missing required column 'area_code'",
        "mine.csv, line 1, column 'indicator_id': missing required column 'indicator_id'",
        "mine.csv, line 1, column 'period': missing required column 'period'",
        "mine.csv, line 1: the header read as 2 column(s): 'area', 'value'",
    ]


def test_every_row_problem_is_listed_with_line_column_and_value():
    found = problems_of(
        b"area_code,indicator_id,period,value,numerator,denominator\n"
        b"E07000066,rate,2023,abc,,\n"          # line 2: non-numeric value
        b"E99999999,rate,2023,1,,\n"            # line 3: unknown area
        b"E07000067,rate,next year,1,,\n"       # line 4: bad period
        b"E07000067,rate,2022,1,-5,10\n"        # line 5: negative count
        b"E07000066,rate,2023,2,,\n")           # line 6: duplicate of line 2's key
    assert found == [
        "mine.csv, line 2, column 'value': not a number (use digits, a '.' for decimals, e.g. 1234.5) "
        "(found 'abc')",
        "mine.csv, line 3, column 'area_code': unknown area code: not one of the loaded areas (found 'E99999999')",
        "mine.csv, line 4, column 'period': not a period: use a year (2023), a financial year (2023/24), a quarter "
        "(2023 Q1), a month (2023-04), a date (2023-04-01) or an ISO 8601 interval (2023-04-01/P1Y) (found 'next year')",
        "mine.csv, line 5, column 'numerator': counts cannot be negative (found '-5')",
        "mine.csv, line 6, column 'area_code': duplicate row: the same area, indicator and period as line 2 "
        "(found 'E07000066')",
    ]


def test_error_message_counts_and_lists_problems():
    error = DataValidationError([Problem("bad", "f.csv", 3, "value", "x"), Problem("worse", "f.csv")])
    assert str(error) == "2 problem(s) found:\n- f.csv, line 3, column 'value': bad (found 'x')\n- f.csv: worse"


def test_committed_observations_pass_validation(dataset):
    validate_observations(dataset.observations, "observations.parquet", set(dataset.areas[s.AREA_CODE]),
                          set(dataset.indicators[s.INDICATOR_ID]))


def test_unknown_area_in_typed_observations_is_reported(dataset):
    broken = dataset.observations.head(3).copy()
    broken.loc[1, s.AREA_CODE] = "E00000000"
    with pytest.raises(DataValidationError, match="line 3, column 'area_code': unknown area code"):
        validate_observations(broken, "x.parquet", set(dataset.areas[s.AREA_CODE]), None)
