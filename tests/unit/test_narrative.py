"""insight.narrative: sentences generated from the numbers (trend words per S5, ranges per U2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight import narrative
from insight.forecast import Backtest, Projection
from insight.schema import Frequency, Polarity, ValueType


def history(values, start: int = 2015, labels=None) -> pd.DataFrame:
    dates = [pd.Timestamp(year=start + i, month=1, day=1) for i in range(len(values))]
    frame = pd.DataFrame({"period_start": dates, "value": np.asarray(values, dtype=float)})
    frame["period_label"] = labels or [str(d.year) for d in dates]
    return frame


def projection(frame_rows: list[dict], method: str = "prophet") -> Projection:
    backtest = Backtest(4, 0.5, 1.0, 0.9, 0.8, 0.95, method, "On past data ...")
    return Projection(pd.DataFrame(frame_rows), method, backtest, ("This is a projection: ...",))


def test_rising_series_with_five_years_is_increasing_and_getting_worse_when_high_is_worse():
    story = narrative.describe_trend("Essex", history([2.0, 2.4, 2.9, 3.1, 3.6, 4.0]), unit="%",
                                     value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_WORSE,
                                     frequency=Frequency.ANNUAL, measure="Claimant count")
    assert story.sentence == ("Claimant count in Essex rose from 2.0% in 2015 to 4.0% in 2020 (up 2.0 percentage "
                              "points). Trend over the latest 5 years (2016 to 2020): increasing and getting worse. "
                              "A straight-line trend rising by about 0.39 percentage points a year (95% confidence "
                              "interval 0.31 to 0.47 percentage points) is distinguishable from no change at 95% "
                              "confidence.")
    assert story.marker.direction == "increasing"


def test_four_points_get_no_trend_marker_and_say_why():
    story = narrative.describe_trend("Essex", history([2.0, 2.4, 2.9, 3.1]), unit="%",
                                     value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_WORSE,
                                     frequency=Frequency.ANNUAL)
    assert story.sentence.endswith("No trend marker: fewer than 5 comparable annual points (4).")


def test_flat_noisy_series_shows_no_significant_change_without_a_judgement():
    story = narrative.describe_trend("Essex", history([5.0, 5.2, 4.9, 5.1, 5.0, 4.95, 5.05]), unit="%",
                                     value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_BETTER,
                                     frequency=Frequency.ANNUAL)
    assert story.sentence.endswith(
        "Trend over the latest 5 years (2017 to 2021): no significant change. A straight-line trend was not "
        "distinguishable from no change at 95% confidence; with this much year-to-year variation, a trend smaller "
        "than about 0.12 percentage points a year would probably not be detected (the test finds one of that size "
        "4 times in 5).")
    assert "better" not in story.sentence and "worse" not in story.sentence


def test_neutral_polarity_says_direction_but_not_better_or_worse():
    story = narrative.describe_trend("Essex", history([10, 11, 12, 13, 14, 15]), unit="%",
                                     value_type=ValueType.PROPORTION, polarity=Polarity.NEITHER,
                                     frequency=Frequency.ANNUAL)
    assert "Trend over the latest 5 years (2016 to 2020): increasing. A straight-line trend rising by about " \
        "1.0 percentage points a year" in story.sentence


@pytest.mark.parametrize(("frequency", "reason"), [
    (Frequency.ROLLING_3_YEAR, "overlapping 3-year windows are not independent annual points"),
    (Frequency.EDITIONS, "the editions are not annual points"),
    (Frequency.MONTHLY, "trend markers use annual points; this series is monthly"),
])
def test_non_annual_series_get_no_trend_marker(frequency, reason):
    story = narrative.describe_trend("Essex", history([1, 2, 3, 4, 5, 6]), unit="%",
                                     value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_WORSE,
                                     frequency=frequency)
    assert story.marker is None
    assert story.sentence.endswith(f"No trend marker: {reason}.")


def test_projection_sentence_gives_the_80_and_95_percent_ranges_with_units():
    rows = [{"period_start": pd.Timestamp("2030-01-01"), "period_label": "2030", "point": 3.6, "lower_80": 2.4,
             "upper_80": 5.4, "lower_95": 1.9, "upper_95": 7.0}]
    text = narrative.describe_projection("Essex", projection(rows), unit="%", value_type=ValueType.PROPORTION,
                                         frequency=Frequency.ANNUAL, measure="Claimant count")
    assert text == ("If past trends continue, claimant count in Essex in 2030 is likely between 2.4% and 5.4% "
                    "(80% range; 95% range 1.9% to 7.0%; central projection 3.6%, by Prophet).")


def test_projection_labels_follow_the_observed_label_style():
    periods = [pd.Timestamp("2025-11-16"), pd.Timestamp("2026-11-16")]
    assert narrative.projected_labels(periods, Frequency.ANNUAL, "2024/25") == ["2025/26", "2026/27"]
    assert narrative.projected_labels(periods, Frequency.ANNUAL, "2024") == ["2025", "2026"]
    assert narrative.projected_labels([pd.Timestamp("2026-01-01")], Frequency.MONTHLY, "Dec 2025") == ["Jan 2026"]


def test_comparators_are_listed_with_their_periods():
    text = narrative.describe_comparators([("East of England", "2025", 3.2), ("England", "2025", 4.0)], unit="%",
                                          value_type=ValueType.PROPORTION)
    assert text == "For comparison, the latest figures are 3.2% for East of England (2025) and 4.0% for England (2025)."


def test_titles_state_the_finding_in_ten_words_or_fewer():
    story = narrative.describe_trend("Essex", history([2.0, 2.4, 2.9, 3.1, 3.6, 4.0]), unit="%",
                                     value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_WORSE,
                                     frequency=Frequency.ANNUAL)
    assert narrative.chart_title("Claimant count", "Essex", story.marker, projected=True) == \
        "Claimant count in Essex is increasing"
    long = narrative.chart_title("Persistent absence (looked-after pupils)",
                                 "Basildon Laindon Park and Fryerns", story.marker, projected=True)
    assert len(long.split()) <= 10
    assert long == "Persistent absence (looked-after pupils) is increasing"


def test_no_significant_change_states_the_smallest_trend_the_test_would_detect():
    """Five years 2019-2023 of a rate per 100,000 scattering around 50 with residual sd s: the slope's standard
    error is s / sqrt(10); the test detects a slope of 4.2559 standard errors 80% of the time (3 df)."""
    values = [50.0, 53.0, 48.0, 52.0, 49.0]
    story = narrative.describe_trend("Basildon", history(values, start=2019), unit="Rate per 100,000 population",
                                     value_type=ValueType.RATE, polarity=Polarity.HIGHER_IS_WORSE,
                                     frequency=Frequency.ANNUAL)
    residuals = np.array(values) - np.polyval(np.polyfit(range(5), values, 1), range(5))
    detectable = 4.255898688 * np.sqrt((residuals ** 2).sum() / 3) / np.sqrt(10)
    assert f"{detectable:.2f}" == "3.14"
    assert story.sentence == (
        "Basildon fell from 50.0 per 100,000 in 2019 to 49.0 per 100,000 in 2023 (down 1.00 per 100,000). "
        "Trend over the latest 5 years (2019 to 2023): no significant change. A straight-line trend was not "
        "distinguishable from no change at 95% confidence; with this much year-to-year variation, a trend "
        "smaller than about 3.1 per 100,000 a year would probably not be detected (the test finds one of that "
        "size 4 times in 5).")


def test_a_financial_year_series_names_the_years_the_test_used():
    labels = ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    story = narrative.describe_trend("Essex", history([10.0, 10.0, 12.0, 13.0, 15.0, 16.0], start=2018, labels=labels),
                                     unit="%", value_type=ValueType.PROPORTION, polarity=Polarity.NEITHER,
                                     frequency=Frequency.ANNUAL)
    assert "Trend over the latest 5 years (2019/20 to 2023/24): increasing. A straight-line trend rising by " \
           "about 1.5 percentage points a year (95% confidence interval 1.2 to 1.8 percentage points)" in story.sentence
