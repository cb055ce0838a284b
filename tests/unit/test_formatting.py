"""Numbers and words for people: UK formats, units and polarity-aware change."""

from __future__ import annotations

import math

import pytest

from insight.formatting import direction_word, format_change, format_value
from insight.schema import Polarity, ValueType


@pytest.mark.parametrize(("value", "unit", "value_type", "expected"), [
    (3.04, "%", ValueType.PROPORTION, "3.0%"),
    (12.345, "% of residents", ValueType.PROPORTION, "12.3%"),
    (26710.4, "£ per head", ValueType.MEAN, "£26,710 per head"),
    (-0.3, "£ million", ValueType.SCORE, "-£0.3 million"),
    (412.48, "Rate per 100,000 population", ValueType.RATE, "412.5 per 100,000"),
    (26.4, "Rate per 100,000 population", ValueType.RATE, "26.4 per 100,000"),
    (62.44, "years", ValueType.MEAN, "62.4 years"),
    (22.6, "score", ValueType.SCORE, "22.6"),
    (51023.0, "Number of guest nights", ValueType.COUNT, "51,023 guest nights"),
    (3.21, "Average length of stay in nights", ValueType.MEAN, "3.21 nights"),
    (math.nan, "%", ValueType.PROPORTION, "no data"),
])
def test_format_value_in_uk_style_with_units(value, unit, value_type, expected):
    assert format_value(value, unit, value_type) == expected


def test_format_change_of_a_percentage_is_in_percentage_points():
    assert format_change(-1.1, "%", ValueType.PROPORTION) == "down 1.1 percentage points"
    assert format_change(0.0, "%", ValueType.PROPORTION) == "no change"


@pytest.mark.parametrize(("change", "polarity", "word"), [
    (1.0, Polarity.HIGHER_IS_BETTER, "better"),
    (-1.0, Polarity.HIGHER_IS_BETTER, "worse"),
    (1.0, Polarity.HIGHER_IS_WORSE, "worse"),
    (-1.0, Polarity.HIGHER_IS_WORSE, "better"),
    (1.0, Polarity.NEITHER, ""),
    (0.0, Polarity.HIGHER_IS_BETTER, ""),
])
def test_direction_word_follows_polarity(change, polarity, word):
    assert direction_word(change, polarity) == word
