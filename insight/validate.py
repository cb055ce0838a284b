"""Validation of the three tables. Every problem is collected, then one DataValidationError lists them all."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from insight import schema as s
from insight.errors import DataValidationError, Problem
from insight.upload_csv import MAX_UPLOAD_BYTES, read_uploaded_observations

MAX_LISTED_PER_KIND = 50  # per problem kind, so a wholly wrong file still gives a readable message
__all__ = ["MAX_UPLOAD_BYTES", "read_observations_csv", "validate_areas", "validate_indicators",
           "validate_observations"]


def validate_areas(areas: pd.DataFrame, file: str) -> None:
    """Check the areas table: columns, known levels, unique codes, parents that exist."""
    problems = _missing_columns(areas, s.AREA_COLUMNS, file)
    if not problems:
        problems += _duplicates(areas, [s.AREA_CODE], file)
        levels = {str(level) for level in s.Level}
        for i, value in _rows_where(areas[s.LEVEL], ~areas[s.LEVEL].isin(levels)):
            problems.append(Problem(f"unknown level; use one of {', '.join(sorted(levels))}", file, i,
                                    s.LEVEL, value))
        known = set(areas[s.AREA_CODE])
        for i, value in _rows_where(areas[s.PARENT_CODE],
                                    ~areas[s.PARENT_CODE].isin(known) & (areas[s.PARENT_CODE] != "")):
            problems.append(Problem("parent code is not one of the areas", file, i, s.PARENT_CODE, value))
        for i, value in _rows_where(areas[s.POPULATION], areas[s.POPULATION] < 0):
            problems.append(Problem("population is negative", file, i, s.POPULATION, value))
    _raise(problems)


def validate_indicators(indicators: pd.DataFrame, file: str) -> None:
    """Check the catalogue: columns, unique ids, known vocabularies."""
    problems = _missing_columns(indicators, s.INDICATOR_COLUMNS, file)
    if not problems:
        problems += _duplicates(indicators, [s.INDICATOR_ID], file)
        for column, enum in ((s.POLARITY, s.Polarity), (s.STATUS, s.Status), (s.FREQUENCY, s.Frequency),
                             (s.VALUE_TYPE, s.ValueType)):
            allowed = {str(v) for v in enum}
            for i, value in _rows_where(indicators[column], ~indicators[column].isin(allowed)):
                problems.append(Problem(f"must be one of {', '.join(sorted(allowed))}", file, i, column, value))
        rules = {s.DISCLOSURE_NONE, s.DISCLOSURE_SMALL_COUNTS}
        for i, value in _rows_where(indicators[s.DISCLOSURE_RULE], ~indicators[s.DISCLOSURE_RULE].isin(rules)):
            problems.append(Problem(f"must be one of {', '.join(sorted(rules))}", file, i, s.DISCLOSURE_RULE,
                                    value))
        if s.ACCESS in indicators:
            bad = ~indicators[s.ACCESS].fillna("").astype(str).str.fullmatch(s.ACCESS_PATTERN)
            for i, value in _rows_where(indicators[s.ACCESS], bad):
                problems.append(Problem("must be 'public' or 'restricted:<group>'", file, i, s.ACCESS, value))
    _raise(problems)


def validate_observations(observations: pd.DataFrame, file: str, known_areas: set[str] | None,
                          known_indicators: set[str] | None) -> None:
    """Check a typed observations table: columns, codes, numbers, counts, duplicate keys."""
    problems = _missing_columns(observations, s.OBSERVATION_COLUMNS, file)
    if not problems:
        problems += _check_codes(observations, file, known_areas, known_indicators)
        for i, value in _rows_where(observations[s.PERIOD_START], observations[s.PERIOD_START].isna()):
            problems.append(Problem("period start is missing", file, i, s.PERIOD_START, value))
        problems += _check_numbers(observations, file)
        problems += _duplicates(observations, s.OBSERVATION_KEY, file)
    _raise(problems)


def read_observations_csv(data: bytes, file: str, known_areas: set[str] | None,
                          known_indicators: set[str] | None = None) -> pd.DataFrame:
    """Parse and validate an uploaded CSV of observations (area_code, indicator_id, period, value, ...).

    The typed frame of `insight.upload_csv.read_uploaded_observations` (see there for what is accepted);
    raises DataValidationError listing every problem.
    """
    return read_uploaded_observations(data, file, known_areas, known_indicators).frame


def _check_codes(frame: pd.DataFrame, file: str, known_areas: set[str] | None,
                 known_indicators: set[str] | None) -> list[Problem]:
    problems = []
    blank_area = frame[s.AREA_CODE].fillna("").astype(str).str.strip() == ""
    for i, value in _rows_where(frame[s.AREA_CODE], blank_area):
        problems.append(Problem("area code is empty", file, i, s.AREA_CODE, value))
    if known_areas is not None:
        for i, value in _rows_where(frame[s.AREA_CODE], ~frame[s.AREA_CODE].isin(known_areas) & ~blank_area):
            problems.append(Problem("unknown area code: not one of the loaded areas", file, i, s.AREA_CODE, value))
    ids = frame[s.INDICATOR_ID].fillna("").astype(str)
    bad_id = ~ids.str.fullmatch(r"[A-Za-z0-9_\-]{1,64}")
    for i, value in _rows_where(frame[s.INDICATOR_ID], bad_id):
        problems.append(Problem("indicator id must be 1-64 letters, digits, '_' or '-'", file, i, s.INDICATOR_ID,
                                value))
    if known_indicators is not None:
        for i, value in _rows_where(frame[s.INDICATOR_ID], ~ids.isin(known_indicators) & ~bad_id):
            problems.append(Problem("unknown indicator id: not in the catalogue", file, i, s.INDICATOR_ID, value))
    return problems


def _check_numbers(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for column in (s.NUMERATOR, s.DENOMINATOR):
        for i, value in _rows_where(frame[column], frame[column] < 0):
            problems.append(Problem("counts cannot be negative", file, i, column, value))
    over = frame[s.NUMERATOR] > frame[s.DENOMINATOR]
    for i, value in _rows_where(frame[s.NUMERATOR], over):
        problems.append(Problem("numerator is larger than its denominator", file, i, s.NUMERATOR, value))
    crossed = frame[s.LOWER_95] > frame[s.UPPER_95]
    for i, value in _rows_where(frame[s.LOWER_95], crossed):
        problems.append(Problem("lower 95% limit is above the upper limit", file, i, s.LOWER_95, value))
    return problems


def _missing_columns(frame: pd.DataFrame, required: Iterable[str], file: str) -> list[Problem]:
    present = set(frame.columns)
    return [Problem(f"missing required column '{c}'", file, None, c) for c in required if c not in present]


def _duplicates(frame: pd.DataFrame, key: list[str], file: str) -> list[Problem]:
    valid = frame[key].notna().all(axis=1)
    dupes = frame.duplicated(key, keep="first") & valid
    label = ", ".join(key)
    return [Problem(f"duplicate key ({label}): this row repeats an earlier one", file, i, key[0], value)
            for i, value in _rows_where(frame[key[0]], dupes)]


def _rows_where(column: pd.Series, mask: pd.Series) -> list[tuple[int, object]]:
    """(line number, value) of the first rows where mask holds; line 1 is the header."""
    positions = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))[:MAX_LISTED_PER_KIND]
    values = column.to_numpy()
    return [(int(p) + 2, _plain(values[p])) for p in positions]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise DataValidationError(problems)
