"""Period parsing: every accepted form gives the right first and last day and label."""

from __future__ import annotations

import pandas as pd
import pytest

from insight.periods import PeriodParseError, label_period, parse_period


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
