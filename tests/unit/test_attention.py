"""'Needs attention': the ranking rule, one item per series, and what is left out."""

from __future__ import annotations

import pandas as pd
import pytest

from insight import schema as s
from insight.attention import RANKING_RULE, needs_attention, rank_signals
from insight.signals import Direction, Rule, SeriesInfo, Signal
from insight.spc import Side


def signal(rule: Rule, direction: Direction, when: str = "2025-01-01", magnitude: float = 1.0,
           indicator: str = "x", area: str = "A1", status: s.Status = s.Status.REAL) -> Signal:
    info = SeriesInfo(indicator, area, indicator.upper(), "Area", "district", s.Polarity.HIGHER_IS_WORSE,
                      status=status)
    return Signal(info, rule, Side.HIGH, direction, f"{indicator} {rule.value}", (), "caveat",
                  pd.Timestamp(when), magnitude)


def names(signals: list[Signal]) -> list[tuple[str, str]]:
    return [(x.direction.value, x.rule.value) for x in signals]


def test_deteriorating_comes_before_neither_before_improving():
    ranked = rank_signals([signal(Rule.BEYOND_LIMITS, Direction.IMPROVING),
                           signal(Rule.PROJECTION_TARGET, Direction.DETERIORATING),
                           signal(Rule.RUN, Direction.NEITHER)])
    assert names(ranked) == [("deteriorating", "projection_target"), ("neither", "run"),
                             ("improving", "beyond_limits")]


def test_within_a_direction_the_stronger_rule_comes_first():
    rules = [Rule.PROJECTION_TARGET, Rule.RATING_CHANGE, Rule.TREND, Rule.ANNUAL_TREND, Rule.RUN,
             Rule.TWO_OF_THREE, Rule.BEYOND_LIMITS]
    ranked = rank_signals([signal(r, Direction.DETERIORATING) for r in rules])
    assert [x.rule for x in ranked] == [Rule.BEYOND_LIMITS, Rule.TWO_OF_THREE, Rule.RUN, Rule.TREND,
                                        Rule.ANNUAL_TREND, Rule.RATING_CHANGE, Rule.PROJECTION_TARGET]


def test_newer_evidence_first_and_then_the_bigger_change():
    ranked = rank_signals([signal(Rule.RUN, Direction.DETERIORATING, "2024-01-01", 9.0, "old"),
                           signal(Rule.RUN, Direction.DETERIORATING, "2025-01-01", 1.0, "small"),
                           signal(Rule.RUN, Direction.DETERIORATING, "2025-01-01", 2.0, "big")])
    assert [x.series.indicator_id for x in ranked] == ["big", "small", "old"]


def test_the_soonest_projection_crossing_comes_first():
    ranked = rank_signals([signal(Rule.PROJECTION_TARGET, Direction.DETERIORATING, "2030-01-01", indicator="late"),
                           signal(Rule.PROJECTION_TARGET, Direction.DETERIORATING, "2027-01-01", indicator="soon")])
    assert [x.series.indicator_id for x in ranked] == ["soon", "late"]


def test_exact_ties_are_broken_by_indicator_then_area_so_the_order_is_stable():
    ties = [signal(Rule.RUN, Direction.NEITHER, indicator=i, area=a) for i, a in (("b", "A1"), ("a", "A2"), ("a", "A1"))]
    assert [(x.series.indicator_id, x.series.area_code) for x in rank_signals(ties)] == [
        ("a", "A1"), ("a", "A2"), ("b", "A1")]
    assert rank_signals(ties) == rank_signals(list(reversed(ties)))


def test_one_item_per_series_with_its_other_signals_listed():
    result = needs_attention([signal(Rule.RUN, Direction.DETERIORATING, indicator="x"),
                              signal(Rule.BEYOND_LIMITS, Direction.DETERIORATING, indicator="x"),
                              signal(Rule.TREND, Direction.DETERIORATING, indicator="y")], "A1")
    assert [(i.signal.series.indicator_id, i.signal.rule, [a.rule for a in i.also]) for i in result.items] == [
        ("x", Rule.BEYOND_LIMITS, [Rule.RUN]), ("y", Rule.TREND, [])]
    assert result.total_signals == 3 and result.total_series == 2
    assert result.rule_text == RANKING_RULE and result.caveat


@pytest.mark.parametrize(("include", "expected"), [(False, ["real"]), (True, ["fake", "real"])])
def test_illustrative_series_are_left_out_unless_asked_for(include, expected):
    found = needs_attention([signal(Rule.BEYOND_LIMITS, Direction.DETERIORATING, indicator="fake",
                                    status=s.Status.ILLUSTRATIVE),
                             signal(Rule.RUN, Direction.DETERIORATING, indicator="real")], "A1",
                            include_illustrative=include)
    assert [i.signal.series.indicator_id for i in found.items] == expected


def test_the_list_is_cut_to_its_limit_and_other_areas_are_ignored():
    many = [signal(Rule.RUN, Direction.NEITHER, indicator=f"i{k}") for k in range(8)]
    result = needs_attention([*many, signal(Rule.RUN, Direction.NEITHER, area="A2")], "A1", limit=3)
    assert len(result.items) == 3 and result.total_series == 8


def test_an_area_without_signals_says_so():
    result = needs_attention([], "A1")
    assert result.items == () and result.empty_text == "No signals for this area in the current data."
