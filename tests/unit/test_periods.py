"""Period parsing: every accepted form gives the right first and last day and label."""

from __future__ import annotations

import pandas as pd
import pytest

from insight.periods import PeriodLabeller, PeriodParseError, label_period, parse_period, period_labeller


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("2015-11-16/P1Y", "2015-11-16", "2016-11-15", "2015/16"),
    ("2023-01-01/P1Y", "2023-01-01", "2023-12-31", "2023"),
    ("2023-07-01/P1M", "2023-07-01", "2023-07-31", "Jul 2023"),
    ("2011-01-01/P3Y", "2011-01-01", "2013-12-31", "2011–13"),
    ("2019-01-01/P5Y", "2019-01-01", "2023-12-31", "2019–23"),
    ("2024-05-15", "2024-05-15", "2024-05-15", "15 May 2024"),
    ("2023", "2023-01-01", "2023-12-31", "2023"),
    ("2023/24", "2023-04-01", "2024-03-31", "2023/24"),
    ("2023-04", "2023-04-01", "2023-04-30", "Apr 2023"),
    ("  2020-02-01/p1m ", "2020-02-01", "2020-02-29", "Feb 2020"),
])
def test_parse_period_gives_first_and_last_day_and_label(text, start, end, label):
    period = parse_period(text)
    assert period.start == pd.Timestamp(start)
    assert period.end == pd.Timestamp(end)
    assert label_period(period.start, period.duration) == label


@pytest.mark.parametrize("text", ["2023/25", "2023-13", "23", "last year", "2023-02-30", "2023-01-01/P0Y", ""])
def test_parse_period_refuses_what_is_not_a_period(text):
    with pytest.raises(PeriodParseError):
        parse_period(text)


def test_parse_period_error_names_the_accepted_forms():
    with pytest.raises(PeriodParseError, match=r"'soon' is not a period: use a year \(2023\)"):
        parse_period("soon")


@pytest.mark.parametrize(("frequency", "last_label", "last_start", "starts", "expected"), [
    ("annual", "2024/25", "2024-11-16", ["2025-11-16", "2029-11-16"], ["2025/26", "2029/30"]),
    ("annual", "2024/25", "2024-04-01", ["2025-04-01"], ["2025/26"]),
    ("annual", "1999/00", "1999-04-01", ["2000-04-01"], ["2000/01"]),
    ("annual", "2025", "2025-01-01", ["2026-01-01", "2030-01-01"], ["2026", "2030"]),
    ("annual", "2024/25", "2025-03-31", ["2026-03-31"], ["2025/26"]),  # a year ending in March, dated at its end
    ("annual", "Mid-2020", "2020-06-30", ["2021-06-30"], ["2021"]),  # an unknown style: the start's year
    ("monthly", "Dec 2025", "2025-12-01", ["2026-01-01"], ["Jan 2026"]),
])
def test_a_series_labeller_names_later_periods_like_its_latest_label(frequency, last_label, last_start, starts,
                                                                     expected):
    labeller = period_labeller(frequency, last_label, pd.Timestamp(last_start))
    assert labeller.labels(pd.to_datetime(starts)) == expected


def test_a_split_label_must_name_consecutive_years():
    assert period_labeller("annual", "2024/26", "2024-04-01") == PeriodLabeller()
