"""Rank stability in words that stay true at the edges: a division outside the top N never "stays" in it, a share
that rounds to 0% is not "0% of draws", and a rank that never moves is not "1st to 1st"."""

from __future__ import annotations

from insight.profile import ordinal


def top_n_words(share: float, top_n: int, rank: int | None, draws: int) -> str:
    """'stays in the top 10 in 97% of 1,000 draws' / 'reaches the top 10 in 4% of …' / 'is never in the top 10'."""
    of_draws = f"of {draws:,} draws"
    if share <= 0:
        return f"is never in the top {top_n} in {draws:,} draws"
    verb = "stays in" if rank is not None and rank <= top_n else "reaches"
    if share >= 1:
        return f"{verb} the top {top_n} in all {draws:,} draws"
    shown = "fewer than 1%" if share < 0.005 else ("more than 99%" if share > 0.995 else f"{share:.0%}")
    return f"{verb} the top {top_n} in {shown} {of_draws}"


def rank_spread_words(low: int, high: int) -> str:
    """'ranks 3rd in at least 90% of draws' when the middle 90% is one rank, else '90% of ranks 2nd to 6th'."""
    if low == high:
        return f"ranks {ordinal(low)} in at least 90% of draws"
    return f"90% of its ranks fall between {ordinal(low)} and {ordinal(high)}"
