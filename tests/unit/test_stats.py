"""Behaviour of insight.stats, checked against published reference values where they exist."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from insight.errors import UnknownAreaError
from insight.schema import (
    AREA_CODE,
    DENOMINATOR,
    FLAG,
    LOWER_95,
    NUMERATOR,
    UPPER_95,
    VALUE,
    Flag,
    Polarity,
)
from insight.stats import (
    DARK_TEXT,
    RATING_STYLES,
    WHITE_TEXT,
    Rating,
    apply_disclosure,
    byar_interval,
    compare_frame,
    compare_to_benchmark,
    confidence_label,
    contrast_ratio,
    nearest_neighbours,
    percentile_positions,
    place_on_spine,
    rating_style,
    round_to_base,
    trend_marker,
    whole_area_interval,
    wilson_interval,
    z_value,
)

BETTER = Polarity.HIGHER_IS_BETTER
WORSE = Polarity.HIGHER_IS_WORSE
NEITHER = Polarity.NEITHER

# ---- S1 Wilson ---------------------------------------------------------------------------------
# (denominator, numerator, lower %, upper %): rows of tests/testthat/NCMP_testdata.csv in
# ukhsa-collaboration/PHEindicatormethods (columns Measured, Count, LCL, UCL: National Child
# Measurement Programme prevalence with the published 95% Wilson limits, in percent).
NCMP_WILSON_95 = [
    (34353, 7287, 20.7830499225555, 21.6476300812899),
    (23464, 1635, 6.64933849950753, 7.30099206057122),
    (63755, 14102, 21.7985611328557, 22.4428974843606),
    (46830, 3187, 6.58089930268601, 7.03711976249894),
]


@pytest.mark.parametrize(("denominator", "numerator", "lower_pct", "upper_pct"), NCMP_WILSON_95)
def test_wilson_matches_published_ncmp_limits(denominator, numerator, lower_pct, upper_pct):
    lower, upper = wilson_interval(numerator, denominator)
    assert lower * 100 == pytest.approx(lower_pct, rel=1e-12)
    assert upper * 100 == pytest.approx(upper_pct, rel=1e-12)


# From DataS-DHSC/PHStatsMethods ph_statistical_methods/tests/test.wilsons.py (DHSC's Python port of
# PHEindicatormethods): (numerator, denominator, confidence, which limit, expected).
DHSC_WILSON = [
    (20, 360, 0.95, "lower", 0.036248204600072345),
    (30, 400, 0.95, "upper", 0.10504770626130437),
    (550, 2400, 0.998, "lower", 0.20375892211705743),
    (76, 238, 0.998, "upper", 0.418131030603369),
]


@pytest.mark.parametrize(("numerator", "denominator", "confidence", "limit", "expected"), DHSC_WILSON)
def test_wilson_matches_dhsc_reference_at_95_and_99_8(numerator, denominator, confidence, limit, expected):
    lower, upper = wilson_interval(numerator, denominator, confidence)
    assert (lower if limit == "lower" else upper) == pytest.approx(expected, rel=1e-12)


def test_wilson_is_vectorised_and_agrees_with_scalars():
    den = np.array([row[0] for row in NCMP_WILSON_95])
    num = pd.Series([row[1] for row in NCMP_WILSON_95])
    lower, upper = wilson_interval(num, den)
    assert isinstance(lower, np.ndarray) and lower.shape == (4,)
    np.testing.assert_allclose(lower * 100, [row[2] for row in NCMP_WILSON_95], rtol=1e-12)
    np.testing.assert_allclose(upper * 100, [row[3] for row in NCMP_WILSON_95], rtol=1e-12)


def test_wilson_99_8_is_wider_than_95_and_accepts_percent_form():
    lo95, up95 = wilson_interval(65, 100, 0.95)
    lo998, up998 = wilson_interval(65, 100, 99.8)
    assert lo998 < lo95 < 0.65 < up95 < up998
    assert wilson_interval(65, 100, 0.998) == (lo998, up998)


def test_wilson_stays_within_0_and_1_at_the_extremes():
    lower, upper = wilson_interval(np.array([0, 10]), np.array([10, 10]))
    assert lower[0] == 0.0 and 0 < upper[0] < 1
    assert 0 < lower[1] < 1 and upper[1] == 1.0


def test_wilson_passes_missing_values_through_as_nan():
    lower, upper = wilson_interval(np.array([np.nan, 5]), np.array([10, 10]))
    assert math.isnan(lower[0]) and math.isnan(upper[0]) and not math.isnan(lower[1])


@pytest.mark.parametrize(
    ("numerator", "denominator", "confidence", "message"),
    [
        (-1, 10, 0.95, "numerators must be greater than or equal to zero"),
        (1, 0, 0.95, "denominators must be greater than zero"),
        (11, 10, 0.95, "numerators must be less than or equal to denominator"),
        (1, 10, 0.7, "confidence level must be between 90 and 100 or between 0.9 and 1"),
        (1, 10, 14, "confidence level must be between 90 and 100 or between 0.9 and 1"),
    ],
)
def test_wilson_rejects_invalid_arguments_with_the_reason(numerator, denominator, confidence, message):
    with pytest.raises(ValueError, match=message):
        wilson_interval(numerator, denominator, confidence)


# ---- S1b whole-area shares ----------------------------------------------------------------------------
def test_whole_area_interval_with_equal_areas_is_wilson_on_the_number_of_areas():
    # 3 of 12 LSOAs of 1,500 residents each are in the decile: the unit is the LSOA, so n = 12, not 18,000
    lower, upper = whole_area_interval(3 * 1500, 12 * 1500, 12 * 1500**2)
    assert (lower, upper) == pytest.approx(wilson_interval(3, 12), rel=1e-12)
    assert upper - lower > 0.4  # against about 0.013 with 18,000 independent residents


def test_whole_area_interval_uses_kish_effective_number_of_areas():
    sizes = np.array([1000.0, 1000.0, 2000.0, 4000.0])  # (8000)^2 / 22,000,000 = 2.909 areas
    inside = np.array([False, True, False, True])
    effective = sizes.sum() ** 2 / (sizes**2).sum()
    share = sizes[inside].sum() / sizes.sum()
    lower, upper = whole_area_interval(sizes[inside].sum(), sizes.sum(), (sizes**2).sum())
    assert effective == pytest.approx(2.909090909)
    assert (lower, upper) == pytest.approx(wilson_interval(share * effective, effective), rel=1e-12)
    lo, up = whole_area_interval(np.array([0.0, 4500.0]), np.array([18000.0, 18000.0]), np.array([2.7e7, 2.7e7]))
    assert lo[0] == 0.0 and up[1] == pytest.approx(wilson_interval(3, 12)[1])


def test_whole_area_interval_rejects_impossible_sizes():
    with pytest.raises(ValueError, match="squared area sizes"):
        whole_area_interval(10, 100, 0)


# ---- S2 Byar / exact Poisson ------------------------------------------------------------------
# Exact Poisson limits published in ukhsa-collaboration/PHEindicatormethods
# tests/testthat/testdata_funnel_ratio_outputs.csv: for each observed count O the funnel's
# lower_2s_exp_events is the 95% upper limit of O, upper_2s_exp_events the 95% lower limit, and the
# 3s columns the 99.8% limits. (count, lower 95, upper 95, lower 99.8, upper 99.8)
PHE_EXACT_POISSON = [
    (1, 0.025317898, 5.571644585, 0.001000547, 9.233410143),
    (2, 0.242209467, 7.224687515, 0.04540199, 11.22886836),
    (5, 1.623486324, 11.6683331, 0.739371928, 16.45474478),
    (9, 4.11537405, 17.08479966, 2.452425215, 22.65737951),
]


@pytest.mark.parametrize(("count", "lo95", "up95", "lo998", "up998"), PHE_EXACT_POISSON)
def test_counts_below_10_use_exact_poisson_limits_matching_phe(count, lo95, up95, lo998, up998):
    assert byar_interval(count) == pytest.approx((lo95, up95), rel=1e-6, abs=1e-7)
    assert byar_interval(count, confidence=0.998) == pytest.approx((lo998, up998), rel=1e-6, abs=1e-7)


# Same file, counts of 10 and more: PHE's Technical Guide "Confidence Intervals" states Byar's
# method is within 0.2% of the exact limits at 95% for numerators of 10 or more.
PHE_EXACT_POISSON_LARGE = [(10, 4.795387629, 18.39035799), (100, 81.36400699, 121.6268111),
                           (716, 664.5083011, 770.4222128)]


@pytest.mark.parametrize(("count", "exact_lower", "exact_upper"), PHE_EXACT_POISSON_LARGE)
def test_byar_limits_are_within_0_2_percent_of_the_published_exact_limits(count, exact_lower, exact_upper):
    lower, upper = byar_interval(count)
    assert lower == pytest.approx(exact_lower, rel=0.002)
    assert upper == pytest.approx(exact_upper, rel=0.002)


def test_byar_uses_the_breslow_day_formula_from_10_events():
    # R/Byars.R in PHEindicatormethods: lower = x(1 - 1/(9x) - z/(3 sqrt x))^3,
    # upper = (x+1)(1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3, z = qnorm(0.975).
    z = 1.959963984540054
    x = 65
    expected = (x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3,
                (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3)
    assert byar_interval(x) == pytest.approx(expected, rel=1e-12)
    assert byar_interval(x) == pytest.approx((50.16318771, 82.84913855), rel=1e-9)


def test_byar_switches_method_at_10_events():
    exact_9 = byar_interval(9)
    byar_10 = byar_interval(10)
    assert exact_9[1] == pytest.approx(17.08479966, rel=1e-6)  # exact
    assert byar_10[1] == pytest.approx(18.39145861, rel=1e-9)  # Byar, not the exact 18.39035799


def test_byar_scales_to_a_rate_per_multiplier():
    lower, upper = byar_interval(65, denominator=100_000, multiplier=100_000)
    assert (lower, upper) == pytest.approx(byar_interval(65), rel=1e-12)
    lo, up = byar_interval(np.array([65, 5]), np.array([50_000, 2_000]), multiplier=1_000)
    assert lo[0] == pytest.approx(byar_interval(65)[0] / 50_000 * 1_000)
    assert up[1] == pytest.approx(11.6683331 / 2_000 * 1_000, rel=1e-6)


def test_zero_events_have_lower_limit_zero_and_exact_upper_limit():
    lower, upper = byar_interval(0)
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)  # 3.6889, the exact Poisson bound


def test_byar_rejects_negative_counts():
    with pytest.raises(ValueError, match="counts must be greater than or equal to zero"):
        byar_interval(np.array([3, -1]))


def test_confidence_helpers_name_the_level():
    assert confidence_label(0.95) == "95%"
    assert confidence_label(99.8) == "99.8%"
    assert z_value(0.95) == pytest.approx(1.959963984540054, rel=1e-12)


# ---- S4 benchmarking ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        (12, 14, BETTER, Rating.BETTER),
        (12, 14, WORSE, Rating.WORSE),
        (12, 14, NEITHER, Rating.HIGHER),
        (6, 8, BETTER, Rating.WORSE),
        (6, 8, WORSE, Rating.BETTER),
        (6, 8, NEITHER, Rating.LOWER),
        (9, 11, BETTER, Rating.SIMILAR),
        (10, 11, WORSE, Rating.SIMILAR),  # touching the benchmark is overlapping
    ],
)
def test_rating_flips_with_polarity(lower, upper, polarity, expected):
    assert compare_to_benchmark((lower + upper) / 2, lower, upper, 10, polarity).rating is expected


@pytest.mark.parametrize(("lower", "upper", "benchmark"), [(None, 14, 10), (12, float("nan"), 10), (12, 14, None)])
def test_missing_interval_or_benchmark_is_not_compared(lower, upper, benchmark):
    result = compare_to_benchmark(13, lower, upper, benchmark, BETTER)
    assert result.rating is Rating.NOT_COMPARED


def test_comparison_states_its_confidence_level():
    result = compare_to_benchmark(13, 12, 14, 10, "higher_is_better", confidence_label="99.8%")
    assert result.describe("Essex") == "Better than Essex (99.8% confidence)"
    assert compare_to_benchmark(10, 9, 11, 10, NEITHER).describe("England") == "Similar to England (95% confidence)"


def test_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polarity must be one of"):
        compare_to_benchmark(1, 0, 2, 1, "up is good")


def test_compare_frame_rates_each_row_with_its_own_polarity_and_benchmark():
    frame = pd.DataFrame({
        VALUE: [13, 13, 7, 10, 5],
        LOWER_95: [12, 12, 6, 9, np.nan],
        UPPER_95: [14, 14, 8, 11, np.nan],
        "essex": [10, 10, 10, 10, 4],
        "polarity": [BETTER, WORSE, NEITHER, BETTER, BETTER],
    }, index=list("abcde"))
    ratings = compare_frame(frame, "essex", "polarity")
    assert ratings.to_dict() == {"a": "Better", "b": "Worse", "c": "Lower", "d": "Similar", "e": "Not compared"}


def test_compare_frame_accepts_a_single_benchmark_and_polarity():
    frame = pd.DataFrame({VALUE: [13.0], LOWER_95: [12.0], UPPER_95: [14.0]})
    assert compare_frame(frame, 15.0, WORSE).tolist() == ["Better"]


def test_every_rating_has_a_word_a_symbol_and_aa_contrast_text():
    for rating in Rating:
        style = rating_style(rating)
        assert style.word == rating.value and style.symbol
        assert style.text in (WHITE_TEXT, DARK_TEXT)
        assert contrast_ratio(style.fill, style.text) >= 4.5, rating


def test_every_rating_has_its_own_fill_colour():
    fills = [RATING_STYLES[r].fill for r in Rating]
    assert len(set(fills)) == len(fills)


# ---- spine chart --------------------------------------------------------------------------------
def test_percentile_positions_orient_worst_to_best_by_polarity():
    values = [1, 2, 3, 4, 5, np.nan]
    up = percentile_positions(values, BETTER)
    down = percentile_positions(values, WORSE)
    assert (up.worst, up.p25, up.median, up.p75, up.best, up.n) == (1, 2, 3, 4, 5, 5)
    assert (down.worst, down.p25, down.median, down.p75, down.best) == (5, 4, 3, 2, 1)


def test_place_on_spine_puts_best_at_1_and_worst_at_0_for_either_polarity():
    up = percentile_positions([0, 10, 20], BETTER)
    down = percentile_positions([0, 10, 20], WORSE)
    assert [place_on_spine(v, up) for v in (0, 5, 20, 30)] == [0.0, 0.25, 1.0, 1.0]
    assert [place_on_spine(v, down) for v in (0, 5, 20)] == [1.0, 0.75, 0.0]
    assert math.isnan(place_on_spine(None, up))
    assert math.isnan(place_on_spine(3, percentile_positions([3, 3], BETTER)))


# ---- D1-D3 disclosure -------------------------------------------------------------------------------
def _counts_frame() -> pd.DataFrame:
    return pd.DataFrame({
        AREA_CODE: list("abcdefg"),
        NUMERATOR: [0, 1, 7, 8, 12, 13, np.nan],
        DENOMINATOR: [100] * 7,
        VALUE: [0.0, 1.0, 7.0, 8.0, 12.0, 13.0, np.nan],
        LOWER_95: [0.0, 0.1, 3.0, 4.0, 6.0, 7.0, np.nan],
        UPPER_95: [3.0, 5.0, 14.0, 15.0, 20.0, 22.0, np.nan],
        FLAG: [""] * 6 + [Flag.NOT_AVAILABLE.value],
    })


def test_small_counts_are_suppressed_rounded_and_zeros_kept():
    out = apply_disclosure(_counts_frame(), "small_counts")
    assert out[NUMERATOR].tolist()[:1] == [0]
    assert out[NUMERATOR].iloc[3:6].tolist() == [10, 10, 15]
    assert out[FLAG].tolist() == ["", "suppressed", "suppressed", "", "", "", "not available"]
    hidden = out.loc[out[FLAG] == Flag.SUPPRESSED.value, [VALUE, NUMERATOR, LOWER_95, UPPER_95]]
    assert hidden.isna().all().all()
    assert out[VALUE].iloc[0] == 0.0


def test_suppressed_values_never_survive_apply_disclosure():
    rng = np.random.default_rng(20261125)
    counts = rng.integers(0, 40, size=500).astype(float)
    frame = pd.DataFrame({NUMERATOR: counts, VALUE: counts / 3, LOWER_95: counts / 4, UPPER_95: counts / 2})
    out = apply_disclosure(frame, "small_counts")
    small = (counts >= 1) & (counts <= 7)
    assert out.loc[small, [VALUE, NUMERATOR, LOWER_95, UPPER_95]].isna().all().all()
    assert (out.loc[small, FLAG] == "suppressed").all()
    shown = out[NUMERATOR].dropna()
    assert ((shown % 5) == 0).all()
    assert not set(shown.astype(int)) & set(range(1, 8))


def test_count_indicators_without_numerator_are_controlled_on_their_value():
    frame = pd.DataFrame({VALUE: [3.0, 0.0, 22.0]})
    out = apply_disclosure(frame, "small_counts")
    assert math.isnan(out[VALUE].iloc[0]) and out[VALUE].iloc[1:].tolist() == [0.0, 20.0]


def test_rule_none_returns_an_unchanged_copy():
    frame = _counts_frame()
    out = apply_disclosure(frame, "none")
    pd.testing.assert_frame_equal(out, frame)
    assert out is not frame


def test_unknown_disclosure_rule_is_refused():
    with pytest.raises(ValueError, match="disclosure rule must be"):
        apply_disclosure(_counts_frame(), "round_to_10")


def test_round_to_base_rounds_halves_away_from_zero():
    assert round_to_base([0, 2, 2.5, 12, 12.5, 13]).tolist() == [0, 0, 5, 10, 15, 15]


# ---- S5 trend markers ------------------------------------------------------------------------------
YEARS = [2015, 2016, 2017, 2018, 2019, 2020]


def test_rising_series_is_increasing_and_getting_better_when_higher_is_better():
    marker = trend_marker(YEARS, [10, 11, 12.2, 12.9, 14.1, 15], BETTER)
    assert (marker.direction, marker.judgement) == ("increasing", "getting better")
    assert marker.text == "Increasing and getting better"
    assert marker.p_value < 0.05 and marker.n_points == 6


def test_same_rise_is_getting_worse_when_higher_is_worse_and_unjudged_when_neither():
    values = [10, 11, 12.2, 12.9, 14.1, 15]
    assert trend_marker(YEARS, values, WORSE).judgement == "getting worse"
    neutral = trend_marker(YEARS, values, NEITHER)
    assert neutral.direction == "increasing" and neutral.judgement is None
    assert neutral.text == "Increasing"


def test_noisy_flat_series_shows_no_significant_change():
    marker = trend_marker(YEARS, [10, 12, 9, 11, 10, 12], BETTER)
    assert marker.direction == "no significant change" and marker.judgement is None


def test_fewer_than_five_points_gives_no_marker_and_says_why():
    marker = trend_marker(YEARS[:4], [1, 2, 3, 4], BETTER)
    assert marker.direction is None
    assert marker.text == "No trend marker: fewer than 5 comparable annual points (4)"


def test_a_gap_or_declared_break_limits_the_trend_to_comparable_points():
    gap = trend_marker([2010, 2011, 2015, 2016, 2017, 2018], [1, 2, 3, 4, 5, 6], BETTER)
    assert gap.direction is None and gap.n_points == 4
    broken = trend_marker(YEARS, [1, 2, 3, 4, 5, 6], BETTER, has_break=True)
    assert broken.direction is None and "break" in broken.reason


def test_recent_trend_uses_only_the_latest_points():
    values = [1, 2, 3, 4, 5, 6, 6.1, 5.9, 6.0, 6.05]  # rose, then flat for the latest five years
    years = list(range(2011, 2021))
    assert trend_marker(years, values, BETTER).direction == "increasing"
    recent = trend_marker(years, values, BETTER, recent=5)
    assert (recent.direction, recent.n_points, recent.first_year, recent.last_year) == (
        "no significant change", 5, 2016, 2020)


def test_trend_accepts_period_start_dates():
    dates = pd.to_datetime([f"{y}-04-01" for y in YEARS])
    assert trend_marker(dates, [6, 5, 4, 3, 2, 1], WORSE).text == "Decreasing and getting better"


# ---- nearest neighbours ----------------------------------------------------------------------------
def _wide() -> pd.DataFrame:
    return pd.DataFrame(
        {"imd": [10, 11, 30, 50, 12], "income": [100, 98, 60, 20, np.nan], "flat": [1, 1, 1, 1, 1]},
        index=["A", "B", "C", "D", "E"],
    )


def test_nearest_neighbours_ranks_by_standardised_distance():
    result = nearest_neighbours(_wide(), "A", k=3)
    assert result[AREA_CODE].tolist() == ["B", "E", "C"]
    assert result["distance"].is_monotonic_increasing
    assert result["indicators_used"].tolist() == [2, 1, 2]


def test_nearest_neighbours_ignores_indicators_the_target_lacks():
    result = nearest_neighbours(_wide(), "E", k=2)
    assert result[AREA_CODE].tolist() == ["B", "A"]  # only imd is used; B (11) is nearest to 12
    assert result["indicators_used"].tolist() == [1, 1]


def test_nearest_neighbours_of_an_unknown_area_raises_a_typed_error():
    with pytest.raises(UnknownAreaError):
        nearest_neighbours(_wide(), "Z")
