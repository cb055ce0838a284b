"""Overview page view-model: which place the headline tiles describe, and the sentence that sums them up."""

from __future__ import annotations

from dataclasses import dataclass

from insight.config import CouncilConfig
from insight.headlines import Headline
from insight.query import FilterOptions
from insight.stats import Rating


@dataclass(frozen=True)
class OverviewPlace:
    """The area whose headlines are shown, its name, and why it is that area (empty when it is the place chosen)."""

    code: str
    name: str
    note: str = ""

    def is_council(self, council: CouncilConfig) -> bool:
        """True when the tiles describe the whole council area."""
        return self.code == council.county_code


def overview_place(place: str | None, options: FilterOptions, council: CouncilConfig) -> OverviewPlace:
    """The chosen district as it is; a chosen division through its main district (headline measures are
    published for districts, not divisions); nothing chosen: the council area."""
    if place in options.district_names:
        return OverviewPlace(place, options.district_names[place])
    if place in options.division_names:
        districts = [d for d, codes in options.divisions_by_district.items() if place in codes]
        main = districts[0] if districts else None
        if main in options.district_names:
            name = options.division_names[place]
            also = f" (it also spans {', '.join(options.district_names[d] for d in districts[1:])})" \
                if len(districts) > 1 else ""
            return OverviewPlace(main, options.district_names[main],
                                 f"These headline measures are published for districts, not {council.area_word_plural}, "
                                 f"so {options.district_names[main]}, the district holding {name}{also}, is shown. "
                                 f"The {council.area_word} profile has {name}'s own figures.")
    return OverviewPlace(council.county_code, council.short_name)


def summary_sentence(tiles: list[Headline], place_name: str, comparator_name: str) -> str:
    """'What this shows' in one line, from the ratings."""
    counts = {rating: sum(t.comparison.rating is rating for t in tiles) for rating in Rating}
    parts = [f"{counts[Rating.BETTER]} better than {comparator_name}", f"{counts[Rating.SIMILAR]} similar",
             f"{counts[Rating.WORSE]} worse"]
    not_compared = counts[Rating.NOT_COMPARED]
    text = f"Of these {len(tiles)} headline measures for {place_name}, " + ", ".join(parts)
    if not_compared:
        text += f", and {not_compared} not compared because no confidence interval is published for them"
    return text + ". Ratings use 95% confidence intervals."
