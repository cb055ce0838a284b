"""The "How the figures are made" text of Data & methods, in the council's own words."""

from __future__ import annotations

from insight.config import CouncilConfig

_APPROXIMATE = (" The boundaries are approximate (see above); the official ONS County Electoral Division file can "
                "replace them (README: *Using official division boundaries*).")

_METHODS = """- **{Words}.** LSOA 2021 figures are placed in a {title} by each LSOA's population-weighted
  centroid, then summed (counts) or averaged weighted by Census 2021 residents (scores). {Word} populations
  add up to {council}'s Census 2021 total of {population:,}.{boundaries}
- **Intervals and comparisons.** Census 2021 and mid-2020 percentages carry Wilson score 95% intervals. The
  shares of residents living in the most deprived 10% or 20% of areas carry intervals with the LSOA, not the
  resident, as the unit (a whole LSOA is in or out): Wilson's interval on the effective number of LSOAs, so most
  {words} are *Similar* to {council} on them. ONS Explore Local Statistics series show ONS's own published 95% limits
  where ONS gives them, and none otherwise; no figure here is a rate computed from a count of events, so none uses
  Byar's method. An area is *Better* or *Worse* than a comparator only when its whole 95% interval lies
  on one side of the comparator's value, taking account of whether higher is good; *Similar* when it overlaps;
  *Not compared* when no interval exists. Indicators where higher is neither good nor bad say *Higher/Lower*.
- **Trends.** A trend is called increasing or decreasing only with at least five comparable annual points and a
  significant linear slope (95%).
- **Disclosure control.** Census counts of 1–7 are suppressed and other counts and denominators rounded to the
  nearest 5; percentages and intervals are computed from the rounded counts, so no figure gives a true count back.
  Further cells are suppressed where a total or the other categories (e.g. households − owners − private renters)
  would narrow a hidden one, checked by trying those attacks at every build. A true zero shows as 0. A suppressed
  value is never imputed into the priority index, a map colour or a rank: it is shown as *suppressed*.
- **Projections** extend past trends only; they ignore policy changes and shocks, are back-tested against naive
  methods, and are shown with 80% and 95% ranges.
- **Illustrative data.** The monthly service-demand series are synthetic, made from real {word}
  characteristics for demonstrations; they are labelled *Illustrative — not real* wherever shown.
"""


def methods_markdown(council: CouncilConfig) -> str:
    """How the figures are made: small areas, intervals and comparisons, trends, disclosure control, projections,
    illustrative data (Markdown)."""
    word = council.area_word
    return _METHODS.format(word=word, Word=word.capitalize(), words=council.area_word_plural,
                           Words=council.area_word_plural.capitalize(), title=council.area_title,
                           council=council.short_name, population=council.census_2021_population,
                           boundaries=_APPROXIMATE if council.divisions_approximate else "")
