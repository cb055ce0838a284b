"""The contribution chart's title says what moves a division's score, correctly when nothing adds to need."""

from __future__ import annotations

import pandas as pd

from insight import priority as pri
from insight.schema import Polarity
from views.priority import build_contribution_chart, contribution_finding

TITLES = {"a": "Employment deprivation", "b": "Overcrowded households"}


def _result() -> pri.PriorityResult:
    frame = pd.DataFrame({"a": [1.0, 0.5, 0.2], "b": [2.0, 0.1, 0.3]}, index=["E1", "E2", "E3"])
    worse = Polarity.HIGHER_IS_WORSE
    return pri.score_priority(frame, {"a": worse, "b": worse}, {"a": 1.0, "b": 1.0})


def test_the_finding_names_the_largest_push_when_one_adds_to_need():
    contributions = pd.Series({"a": 0.6, "b": -0.2})
    assert contribution_finding(contributions, TITLES, "Clacton West") == \
        "Employment deprivation adds most to Clacton West's priority score."


def test_the_finding_never_says_adds_most_when_every_measure_lowers_the_score():
    contributions = pd.Series({"a": -0.6, "b": -0.2})
    assert contribution_finding(contributions, TITLES, "Rayleigh North") == (
        "Every measure puts Rayleigh North below the average need; Overcrowded households lowers its score least.")


def test_the_chart_title_is_the_finding_on_lines_that_are_never_cut():
    result = _result()
    for code in result.contributions.index:
        spec = build_contribution_chart(result, code, "Clacton West and Frinton-on-Sea North", TITLES)
        lines = spec["title"]["text"]
        assert " ".join(lines) == contribution_finding(result.contributions.loc[code], TITLES,
                                                       "Clacton West and Frinton-on-Sea North")
        assert all(len(line) <= 46 for line in lines) and spec["title"]["limit"] == 0
