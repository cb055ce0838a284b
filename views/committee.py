"""Committee mode's view-model: one finding per screen (a slide), built from the pages' own view-models.

A slide holds what a councillor needs to read from across the room: the finding as its title, the one or two
sentences that say it in words (with the range, for a projection), the chart that shows it, its source line,
the caveat that matters most, the officer's speaker note, and which data version the figures come from.
Pure: no Streamlit; components.data builds the inputs and components.present draws the slide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from insight.agenda import PAGE_LABELS, Page, View, ViewParams
from insight.headlines import Headline
from insight.profile import DivisionProfile
from views.scenario_charts import compact_scenario_spec
from views.trends import TrendView
from views.words import AreaWords

MAX_DEFAULT_SLIDES = 9
MAP_WIDTH, MAP_HEIGHT = 620, 350  # px the priority map is fitted to on a slide (the whole council in view)
CHART_HEIGHT = 240  # px: a slide's chart, so title, finding, chart, caveat and source fit a 1280x720 screen
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class Slide:
    """One screen of committee mode."""

    title: str
    lead: str
    page: Page
    params: ViewParams
    detail: tuple[str, ...] = ()
    chart: dict[str, Any] | None = None
    deck: object | None = None  # a pydeck map (the priority map)
    source: str = ""
    caveat: str = ""
    note: str = ""
    changed: tuple[str, ...] = field(default=())  # what differs from the figures the agenda was made with
    key: str = ""  # how to read the map's colours

    @property
    def page_label(self) -> str:
        """Where the slide comes from, as the navigation names it."""
        return PAGE_LABELS[self.page]


def trend_slide(view: View, trend: TrendView) -> Slide:
    """A Trends view: the chart (its title states the finding), the trend and projection sentences, the caveat."""
    lead = first_sentence(trend.summary[0]) if trend.summary else trend.title
    detail = tuple(short_range(line) for line in trend.summary[1:] if line.startswith(PROJECTION_START))[:1]
    caveat = trend.caveats[0] if trend.caveats else (trend.notes[0] if trend.notes else "")
    return Slide(title=view.title or trend.title, lead=lead, page=view.page, params=view.params, detail=detail,
                 chart=fit_chart(trend.spec), source=compact_sources([trend.source]), caveat=caveat, note=view.note)


PROJECTION_START = "If past trends continue"
_RANGE = re.compile(r"^(If past trends continue, .*? is likely between .*? \(80% range; 95% range .*? to [^;)]*)")


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (what a slide can hold); the whole text when it has one sentence."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def short_range(sentence: str) -> str:
    """A projection sentence without the method's name: the period, the 80% range and the 95% range."""
    match = _RANGE.match(sentence)
    return match.group(1) + ")." if match else sentence


def compact_sources(lines: Sequence[str]) -> str:
    """Source lines without their per-series details, each said once: one line a projector can show."""
    return " ".join(dict.fromkeys(_PARENTHESES.sub("", line).strip() for line in lines if line))


def fit_chart(spec: dict[str, Any], height: int = CHART_HEIGHT) -> dict[str, Any]:
    """A chart spec at the slide's height, without its own title block: the slide's title states the finding
    and its caption carries the source line, so the plot keeps the room (the page's own charts are taller)."""
    return {key: value for key, value in spec.items() if key != "title"} | {"height": height}


def overview_slide(view: View, place_name: str, tiles: Sequence[Headline], summary: str) -> Slide:
    """An Overview view: the place's headline figures, one line each with its comparison in words."""
    lines = tuple(f"**{t.title}:** {t.value_text} ({t.period_label}) — {t.comparison_text}" for t in tiles)
    return Slide(title=view.title or f"{place_name} at a glance", lead=summary, page=view.page,
                 params=view.params, detail=lines, source=compact_sources([t.source_line for t in tiles]),
                 caveat="Ratings compare each 95% confidence interval with England's value; a change is called "
                        "better or worse only where the two periods' intervals show it.", note=view.note)


def profile_slide(view: View, profile: DivisionProfile, finding: str, words: AreaWords, sources: str) -> Slide:
    """A profile view: the generated summary of strengths and challenges, and how many measures are better or
    worse (the spine chart itself is too tall for one screen: the profile has it)."""
    return Slide(title=view.title or f"{profile.name}: {words.word} profile", lead=profile.summary.text,
                 page=view.page, params=view.params, detail=(f"On the spine chart: {finding}.",),
                 source=compact_sources([sources]),
                 caveat=(f"Compared with {profile.summary.comparator_name} at 95% confidence; measures without an "
                         "interval are not compared." + (f" {words.word.capitalize()} boundaries are approximate."
                                                         if words.approximate else "")),
                 note=view.note)


def priority_slide(view: View, finding: str, deck: object, rank_text: str, source: str, words: AreaWords) -> Slide:
    """A priority-map view: the map, its finding, and the chosen division's rank when one is chosen."""
    return Slide(title=view.title or "Where may need prioritised activity", lead=finding, page=view.page,
                 params=view.params, detail=(rank_text,) if rank_text else (), deck=deck,
                 key="Colours: darker = higher priority (fifths of the ranking); cyan outline: the top ranks.",
                 source=compact_sources([source]),
                 caveat=(f"Other reasonable measures or weights can change the order of the {words.plural}. The "
                         "index supports judgement; it does not replace it."),
                 note=view.note)


def scenario_slide(view: View, chart: dict[str, Any], finding: str, source: str, described: Sequence[str]) -> Slide:
    """A Scenarios view: the projection with each scenario, and what the scenarios assume."""
    return Slide(title=view.title or "What if?", lead=finding, page=view.page, params=view.params,
                 detail=tuple(described), source=compact_sources([source]),
                 chart=fit_chart(compact_scenario_spec(chart, legend_columns=0, dash_legend="top")),
                 caveat="A scenario shows what its assumptions imply, not what will happen; projections extend "
                        "past trends only.",
                 note=view.note)


def unavailable_slide(view: View, reason: str) -> Slide:
    """A view that cannot be shown on this data: said plainly, so the meeting can move on."""
    return Slide(title=view.title or PAGE_LABELS[view.page], lead=f"This view cannot be shown: {reason}",
                 page=view.page, params=view.params, note=view.note)


def default_views(place: str | None, place_name: str, headline_ids: Sequence[str], titles: dict[str, str],
                  division: str | None, division_name: str, district_of_division: str | None,
                  words: AreaWords) -> tuple[View, ...]:
    """The deck committee mode opens with when no agenda is loaded: the chosen place at a glance, one slide per
    headline measure, and, for a chosen division, its priority rank and its profile."""
    districts = (place,) if place and division is None else ((district_of_division,) if district_of_division
                                                            else ())
    shared = ViewParams(districts=districts)
    views = [View(Page.OVERVIEW, f"{place_name} at a glance", shared)]
    views += [View(Page.TRENDS, titles.get(i, i), ViewParams(districts=districts, indicator=i))
              for i in headline_ids]
    if division is not None:
        views += [View(Page.PRIORITY_MAP, f"Where {division_name} ranks", ViewParams(divisions=(division,))),
                  View(Page.DIVISION_PROFILE, f"{division_name}: {words.word} profile",
                       ViewParams(divisions=(division,)))]
    return tuple(views[:MAX_DEFAULT_SLIDES])


def default_title(page: Page, place_name: str, division_name: str, words: AreaWords) -> str:
    """A plain slide title for a view saved without one (Trends uses its chart's finding instead)."""
    if page is Page.OVERVIEW:
        return f"{place_name} at a glance"
    if page is Page.DIVISION_PROFILE and division_name:
        return f"{division_name}: {words.word} profile"
    if page is Page.PRIORITY_MAP:
        return f"Where {division_name} ranks" if division_name else "Where may need prioritised activity"
    if page is Page.SCENARIOS:
        return "What if? Scenarios on a projection"
    return f"{PAGE_LABELS[page]}: {place_name}"
