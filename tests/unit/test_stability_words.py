"""Rank stability sentences hold at the edges (outside the top N, shares that round to 0% or 100%, one rank)."""

from __future__ import annotations

import pytest

from insight.stability_words import rank_spread_words, top_n_words


@pytest.mark.parametrize(("share", "rank", "expected"), [
    (0.97, 3, "stays in the top 10 in 97% of 1,000 draws"),
    (0.04, 14, "reaches the top 10 in 4% of 1,000 draws"),
    (0.0, 40, "is never in the top 10 in 1,000 draws"),
    (0.003, 12, "reaches the top 10 in fewer than 1% of 1,000 draws"),
    (0.998, 1, "stays in the top 10 in more than 99% of 1,000 draws"),
    (1.0, 1, "stays in the top 10 in all 1,000 draws"),
    (0.5, None, "reaches the top 10 in 50% of 1,000 draws"),
])
def test_the_top_n_share_in_words(share, rank, expected):
    assert top_n_words(share, 10, rank, 1000) == expected


def test_one_rank_is_not_a_range():
    assert rank_spread_words(1, 1) == "ranks 1st in at least 90% of draws"
    assert rank_spread_words(2, 6) == "90% of its ranks fall between 2nd and 6th"
