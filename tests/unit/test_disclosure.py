"""Behaviour of the build's disclosure control (insight.disclosure) on small, hand-checked tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight import schema as s
from insight.disclosure import (
    CellState,
    Constraints,
    apply_disclosure_rules,
    feasible_ranges,
    secondary_suppression,
)
from insight.stats import wilson_interval


def rows(*entries: tuple[list[int], list[int], float, float]) -> Constraints:
    """Constraints from (cells, coefficients, low, high) rows."""
    lengths = [len(cells) for cells, *_ in entries]
    return Constraints(row=np.repeat(np.arange(len(entries)), lengths),
                       cell=np.concatenate([np.array(c) for c, *_ in entries]),
                       coef=np.concatenate([np.array(k) for _, k, *_ in entries]),
                       low=np.array([lo for *_, lo, _ in entries], dtype=float),
                       high=np.array([hi for *_, hi in entries], dtype=float))


def test_propagation_bounds_a_hidden_child_by_its_total_and_siblings():
    # division = lsoa_a + lsoa_b; the division is 41 (published 40: 38..42), lsoa_b 40 (38..42), lsoa_a hidden 1..7
    lo, hi = feasible_ranges(np.array([38, 1, 38]), np.array([42, 7, 42]), rows(([0, 1, 2], [1, -1, -1], 0, 0)))
    assert (lo[1], hi[1]) == (1, 4)  # differencing narrows the hidden cell to 1-4: the rule is broken


def test_a_lone_hidden_lsoa_the_total_would_narrow_gets_a_partner_suppressed():
    counts = np.array([41.0, 1.0, 40.0])  # division, a small LSOA, its sibling
    states = secondary_suppression(counts, np.full(3, 500.0), rows(([0, 1, 2], [1, -1, -1], 0, 0)))
    assert states.tolist() == [CellState.ROUNDED, CellState.PRIMARY, CellState.SECONDARY]


def test_rounding_slack_protects_a_lone_hidden_cell_without_secondary_suppression():
    counts = np.array([433.0, 3.0, 101.0, 97.0, 118.0, 114.0])  # four siblings rounded: +-2 each
    constraints = rows(([0, 1, 2, 3, 4, 5], [1, -1, -1, -1, -1, -1], 0, 0))
    states = secondary_suppression(counts, np.full(6, 600.0), constraints)
    assert states.tolist() == [CellState.ROUNDED, CellState.PRIMARY] + [CellState.ROUNDED] * 4


def test_tenure_complement_that_bounds_a_hidden_cell_hides_another_category():
    # owners 400, private renters 98, social renters 2 of 500 households, nobody in the unpublished categories:
    # social <= 500 - 398 - 98 = 4 would narrow the hidden cell, so private renting is hidden too
    counts = np.array([400.0, 98.0, 2.0])
    states = secondary_suppression(counts, np.full(3, 500.0), rows(([0, 1, 2], [1, 1, 1], 0, 500)))
    assert states.tolist() == [CellState.ROUNDED, CellState.SECONDARY, CellState.PRIMARY]


def test_rounded_categories_that_fill_the_total_are_not_left_pinned():
    # 398 + 98 + 98 = 594 households and each rounds up by 2: their lower bounds add up to the total
    counts = np.array([398.0, 98.0, 98.0])
    constraints = rows(([0, 1, 2], [1, 1, 1], 0, 594))
    lo, hi = feasible_ranges(np.array([398, 98, 98]), np.array([402, 102, 102]), constraints)
    assert (lo == hi).all()  # what an attacker would get if all three were published
    states = secondary_suppression(counts, np.full(3, 594.0), constraints)
    assert (states == CellState.SECONDARY).sum() == 1


def _frame(numerators: list[float], denominators: list[float], indicator: str = "x") -> pd.DataFrame:
    n = len(numerators)
    return pd.DataFrame({
        s.AREA_CODE: [f"E0100000{i}" for i in range(n)], s.INDICATOR_ID: indicator,
        s.PERIOD_START: pd.Timestamp("2021-03-21"), s.PERIOD_END: pd.Timestamp("2021-03-21"),
        s.PERIOD_LABEL: "Census 2021", s.VALUE: 100 * np.array(numerators) / np.array(denominators),
        s.NUMERATOR: numerators, s.DENOMINATOR: denominators, s.LOWER_95: np.nan, s.UPPER_95: np.nan, s.FLAG: "",
    })


def _catalogue(value_type: str = s.ValueType.PROPORTION) -> pd.DataFrame:
    return pd.DataFrame({s.INDICATOR_ID: ["x"], s.DISCLOSURE_RULE: [s.DISCLOSURE_SMALL_COUNTS],
                         s.VALUE_TYPE: [value_type]})


def test_published_values_and_intervals_come_from_the_rounded_counts():
    out = apply_disclosure_rules(_frame([0.0, 3.0, 123.0], [512.0, 498.0, 517.0]), _catalogue())
    assert out[s.NUMERATOR].tolist()[::2] == [0.0, 125.0] and np.isnan(out[s.NUMERATOR].iloc[1])
    assert out[s.DENOMINATOR].tolist() == [510.0, 500.0, 515.0]
    assert out[s.FLAG].tolist() == ["", "suppressed", ""]
    assert out[s.VALUE].iloc[0] == 0.0  # a true zero shows as 0 (D3)
    assert out[s.VALUE].iloc[2] == pytest.approx(100 * 125 / 515, rel=1e-15)
    lower, upper = wilson_interval(125, 515)
    assert (out[s.LOWER_95].iloc[2], out[s.UPPER_95].iloc[2]) == pytest.approx((100 * lower, 100 * upper))
    assert out[s.VALUE].iloc[2] * out[s.DENOMINATOR].iloc[2] / 100 == pytest.approx(125.0, abs=1e-9)
    assert out.loc[1, [s.VALUE, s.LOWER_95, s.UPPER_95]].isna().all()


def test_counts_without_a_denominator_are_published_rounded():
    frame = _frame([0.0, 3.0, 23.0], [1.0, 1.0, 1.0]).assign(**{s.VALUE: [0.0, 3.0, 23.0], s.NUMERATOR: np.nan,
                                                               s.DENOMINATOR: np.nan})
    out = apply_disclosure_rules(frame, _catalogue(s.ValueType.COUNT))
    assert out[s.VALUE].tolist()[::2] == [0.0, 25.0] and np.isnan(out[s.VALUE].iloc[1])


def test_a_rule_on_a_value_type_it_cannot_publish_from_rounded_counts_is_refused():
    with pytest.raises(ValueError, match="only proportions .* and counts"):
        apply_disclosure_rules(_frame([12.0], [500.0]), _catalogue(s.ValueType.RATE))


def test_unruled_indicators_are_left_as_they_are():
    frame = _frame([3.0, 123.0], [498.0, 517.0])
    catalogue = _catalogue().assign(**{s.DISCLOSURE_RULE: s.DISCLOSURE_NONE})
    pd.testing.assert_frame_equal(apply_disclosure_rules(frame, catalogue), frame)


def test_sum_identities_reach_the_build_through_edges():
    frame = pd.concat([_frame([41.0], [1000.0]).assign(**{s.AREA_CODE: "E58000001"}),
                       _frame([1.0, 40.0], [500.0, 500.0])], ignore_index=True)
    edges = pd.DataFrame({"child": ["E01000000", "E01000001"], "parent": "E58000001", "hierarchy": "lsoa->division"})
    out = apply_disclosure_rules(frame, _catalogue(), edges)
    assert out[s.FLAG].tolist() == ["", "suppressed", "suppressed"]
