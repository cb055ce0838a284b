"""insight.headlines: a tile's change says 'better'/'worse' only where a stated test supports it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from insight import schema as s
from insight.headlines import change_is_significant, describe_change, headline
from insight.loaders import Indicator

Z = 1.959963984540054


def indicator(polarity: s.Polarity = s.Polarity.HIGHER_IS_WORSE, unit: str = "%",
              value_type: s.ValueType = s.ValueType.PROPORTION) -> Indicator:
    return Indicator("obesity", "Adult obesity", "Adult obesity", unit, value_type, polarity, s.Frequency.ANNUAL,
                     "health", (s.Level.COUNTY,), "Test source", "A definition")


def row(start: str, end: str, label: str, value: float, se: float | None) -> pd.Series:
    low, high = (math.nan, math.nan) if se is None else (value - Z * se, value + Z * se)
    return pd.Series({s.PERIOD_START: pd.Timestamp(start), s.PERIOD_END: pd.Timestamp(end), s.PERIOD_LABEL: label,
                      s.VALUE: value, s.LOWER_95: low, s.UPPER_95: high})


@pytest.mark.parametrize(("now", "previous", "polarity", "expected"), [
    # difference 2.0 against sqrt(0.5^2 + 0.5^2) * 1.96 = 1.39: significant, and higher is worse
    (row("2024-04-01", "2025-03-31", "2024/25", 30.0, 0.5), row("2023-04-01", "2024-03-31", "2023/24", 28.0, 0.5),
     s.Polarity.HIGHER_IS_WORSE, "up 2.0 percentage points since 2023/24: worse, a significant change (95% confidence)"),
    (row("2024-04-01", "2025-03-31", "2024/25", 26.0, 0.5), row("2023-04-01", "2024-03-31", "2023/24", 28.0, 0.5),
     s.Polarity.HIGHER_IS_WORSE, "down 2.0 percentage points since 2023/24: better, a significant change (95% confidence)"),
    (row("2024-04-01", "2025-03-31", "2024/25", 30.0, 0.5), row("2023-04-01", "2024-03-31", "2023/24", 28.0, 0.5),
     s.Polarity.NEITHER, "up 2.0 percentage points since 2023/24: a significant change (95% confidence)"),
    # difference 0.2 against 1.39: within the margin of error, so no polarity word
    (row("2024-04-01", "2025-03-31", "2024/25", 28.2, 0.5), row("2023-04-01", "2024-03-31", "2023/24", 28.0, 0.5),
     s.Polarity.HIGHER_IS_WORSE, "up 0.2 percentage points since 2023/24: not a significant change (95% confidence)"),
    (row("2024-04-01", "2025-03-31", "2024/25", 30.0, None), row("2023-04-01", "2024-03-31", "2023/24", 28.0, None),
     s.Polarity.HIGHER_IS_WORSE, "up 2.0 percentage points since 2023/24 (not tested: no confidence interval published)"),
    # rolling 3-year periods 2021-23 and 2022-24 share two years: not independent, not tested
    (row("2022-01-01", "2024-12-31", "2022–24", 30.0, 0.1), row("2021-01-01", "2023-12-31", "2021–23", 28.0, 0.1),
     s.Polarity.HIGHER_IS_WORSE, "up 2.0 percentage points since 2021–23 (not tested: the two periods overlap)"),
    (row("2024-04-01", "2025-03-31", "2024/25", 28.0, 0.5), row("2023-04-01", "2024-03-31", "2023/24", 28.0, 0.5),
     s.Polarity.HIGHER_IS_WORSE, "no change since 2023/24"),
])
def test_a_change_gets_a_polarity_word_only_when_the_test_supports_it(now, previous, polarity, expected):
    assert describe_change(now, previous, indicator(polarity)) == expected


def test_the_test_is_at_the_edge_of_95_percent_confidence():
    se = 1.0 / (Z * math.sqrt(2))  # the difference's 95% margin is exactly 1.0
    just_in = row("2024-01-01", "2024-12-31", "2024", 11.001, se)
    just_out = row("2024-01-01", "2024-12-31", "2024", 10.999, se)
    before = row("2023-01-01", "2023-12-31", "2023", 10.0, se)
    assert change_is_significant(just_in, before) is True
    assert change_is_significant(just_out, before) is False


def test_a_tile_of_a_rate_without_intervals_is_described_neutrally():
    observations = pd.DataFrame([
        {s.AREA_CODE: "E10000012", s.INDICATOR_ID: "obesity", **row("2021-01-01", "2023-12-31", "2021–23", 26.31,
                                                                      None).to_dict()},
        {s.AREA_CODE: "E10000012", s.INDICATOR_ID: "obesity", **row("2022-01-01", "2024-12-31", "2022–24", 26.44,
                                                                      None).to_dict()},
    ])
    tile = headline(observations, indicator(unit="Rate per 100,000 population", value_type=s.ValueType.RATE),
                    "E10000012", "E92000001")
    assert tile.change_text == "up 0.13 per 100,000 since 2021–23 (not tested: the two periods overlap)"
