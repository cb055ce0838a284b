"""Parse period strings into proper (start, end) dates, and label periods for people.

Accepted forms (all case-insensitive, surrounding blanks ignored):

* ISO 8601 start/duration intervals, as ONS publishes them: ``2015-11-16/P1Y``, ``2023-07-01/P1M``,
  ``2011-01-01/P3Y``;
* a bare date ``2024-05-15`` (a point in time: start == end);
* a year ``2023``; a financial/academic year ``2023/24`` (from 1 April); a month ``2023-04``.

``PeriodLabeller`` names a series' periods (observed or projected) the way its published labels do, so a
projection of a financial-year series reads "2029/30" on every chart, table, export, sentence and lever.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from insight.schema import Frequency

_INTERVAL = re.compile(r"^(\d{4}-\d{2}-\d{2})/P(\d+)([YMD])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^(\d{4})$")
_SPLIT_YEAR = re.compile(r"^(\d{4})[/-](\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A period of time with a first and a last day, and the ISO duration it was given with."""

    start: pd.Timestamp
    end: pd.Timestamp
    duration: str  # "P1Y", "P1M", "P3Y", ... or "" for a point in time


class PeriodParseError(ValueError):
    """A period string is not in any accepted form."""


def parse_period(text: str) -> Period:
    """Parse one period string; raise PeriodParseError naming the accepted forms."""
    raw = str(text).strip().upper()
    if match := _INTERVAL.match(raw):
        start = _timestamp(match.group(1), text)
        amount, unit = int(match.group(2)), match.group(3)
        if amount <= 0:
            raise PeriodParseError(f"'{text}' has a zero-length duration")
        offset = {"Y": pd.DateOffset(years=amount), "M": pd.DateOffset(months=amount),
                  "D": pd.DateOffset(days=amount)}[unit]
        return Period(start, start + offset - pd.Timedelta(days=1), f"P{amount}{unit}")
    if _DATE.match(raw):
        day = _timestamp(raw, text)
        return Period(day, day, "")
    if match := _YEAR.match(raw):
        start = pd.Timestamp(year=int(match.group(1)), month=1, day=1)
        return Period(start, pd.Timestamp(year=start.year, month=12, day=31), "P1Y")
    if (match := _SPLIT_YEAR.match(raw)) and _is_next_year(match.group(1), match.group(2)):
        start = pd.Timestamp(year=int(match.group(1)), month=4, day=1)
        return Period(start, start + pd.DateOffset(years=1) - pd.Timedelta(days=1), "P1Y")
    if (match := _MONTH.match(raw)) and 1 <= int(match.group(2)) <= 12:
        start = pd.Timestamp(year=int(match.group(1)), month=int(match.group(2)), day=1)
        return Period(start, start + pd.DateOffset(months=1) - pd.Timedelta(days=1), "P1M")
    raise PeriodParseError(
        f"'{text}' is not a period: use a year (2023), a financial year (2023/24), a month (2023-04), "
        "a date (2023-04-01) or an ISO 8601 interval (2023-04-01/P1Y)"
    )


def label_period(start: pd.Timestamp, duration: str) -> str:
    """A short human label: '2023', '2015/16', '2011–13', 'Jul 2023', '15 May 2024'."""
    if duration == "P1M":
        return start.strftime("%b %Y")
    if duration == "":
        return f"{start.day} {start.strftime('%b %Y')}"
    years = int(duration[1:-1]) if duration.endswith("Y") else 0
    if years == 1:
        return str(start.year) if start.month == 1 else f"{start.year}/{str(start.year + 1)[2:]}"
    if years > 1:
        last = start.year + years - (1 if start.month == 1 else 0)
        return f"{start.year}–{str(last)[2:]}"
    return start.strftime("%d %b %Y")


def _timestamp(value: str, original: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(value)
    except ValueError as exc:
        raise PeriodParseError(f"'{original}' contains an impossible date") from exc


def _is_next_year(first: str, second: str) -> bool:
    return (int(first) + 1) % 100 == int(second)


_SPLIT_LABEL = re.compile(r"^\s*(\d{4})/(\d{2})\s*$")
_YEAR_LABEL = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class PeriodLabeller:
    """How one series names its periods, applied to any period start (observed or projected).

    ``monthly``: 'Jan 2027'. Otherwise one label per year: '2029', or '2029/30' when ``split_year``
    (financial and academic years); ``year_offset`` is the label's first year minus the start's year.
    """

    monthly: bool = False
    split_year: bool = False
    year_offset: int = 0

    def __call__(self, start: pd.Timestamp | date | str) -> str:
        stamp = pd.Timestamp(start)
        if self.monthly:
            return stamp.strftime("%b %Y")
        year = stamp.year + self.year_offset
        return f"{year}/{(year + 1) % 100:02d}" if self.split_year else str(year)

    def labels(self, starts: Iterable[pd.Timestamp | date | str]) -> list[str]:
        """The label of each period start, in order."""
        return [self(start) for start in starts]


def period_labeller(frequency: Frequency | str, last_label: str = "",
                    last_start: pd.Timestamp | date | str | None = None) -> PeriodLabeller:
    """The labeller of a series from its frequency and its latest published label (and that period's start):
    a last label '2024/25' gives '2025/26', '2026/27', ... for the periods after it."""
    if Frequency(frequency) == Frequency.MONTHLY:
        return PeriodLabeller(monthly=True)
    text = str(last_label)
    match = _SPLIT_LABEL.match(text)
    if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
        split, year = True, int(match.group(1))
    elif match := _YEAR_LABEL.match(text):
        split, year = False, int(match.group(1))
    else:
        return PeriodLabeller()
    offset = year - pd.Timestamp(last_start).year if last_start is not None else 0
    return PeriodLabeller(split_year=split, year_offset=offset)
