"""Data literacy content: "How to read this" for every chart type, a glossary and a first-visit guide.

Written for a councillor who is not a statistician: short sentences, everyday words, and a worked example
drawn from the data on screen. Each guide function takes the figures it needs and returns text; nothing here
draws. Reading age is tested (tests/unit/test_literacy.py): every explanation, definition, step and
worked example scores a Flesch-Kincaid grade of at most ``MAX_GRADE`` (9, a reading age of about 14).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from insight import schema as s
from insight.formatting import format_value, lower_first
from insight.signals import Assessment, SeriesInfo
from insight.spc import XmR

MAX_GRADE = 9.0


@dataclass(frozen=True)
class ChartGuide:
    """'How to read this' for one chart: what it is, how to read it, and an example from the current data."""

    chart: str  # key, e.g. "fan_chart"
    title: str  # "How to read a fan chart"
    how_to_read: tuple[str, ...]  # two or three plain sentences
    example: str  # "For example, ..." from the data on screen

    @property
    def text(self) -> str:
        return " ".join(self.how_to_read)


# ---- how to read each chart type ------------------------------------------------------------------------
HOW_TO_READ: dict[str, tuple[str, tuple[str, ...]]] = {
    "fan_chart": ("How to read a fan chart", (
        "The solid line shows what has been measured so far. The dashed line shows where past trends would take "
        "it next.",
        "The dark band is the likely range: the real figure should land inside it about 8 times in 10. The pale "
        "band is wider and should hold it about 19 times in 20.",
        "The further ahead you look, the wider the bands grow, because the future is less certain.",
    )),
    "spine_chart": ("How to read a spine chart", (
        "Each row is one measure. The bar runs from the worst area on the left to the best on the right, and the "
        "middle line marks the typical area.",
        "The dot shows this area. A dot near the right end means it does better than most areas on that measure.",
        "The word beside it says if the gap from the comparison area is clear, or could be down to chance.",
    )),
    "spc_chart": ("How to read a control chart", (
        "The dots show each month's figure and the middle line is their average. The two outer lines are the "
        "limits: most of the time, chance alone keeps the dots between them.",
        "A marked dot shows a pattern that chance rarely makes, such as a dot outside the limits or seven in a "
        "row on one side of the average.",
        "A marked dot is a reason to ask what changed. It is not proof that something did.",
    )),
    "choropleth": ("How to read the map", (
        "Each area is shaded by its value. The key shows which shade goes with which range of values.",
        "Darker is not always worse: check the key for what the shades mean. Areas with no data are shown plain.",
        "Small areas can look alike on the map even when their values differ, so use the table for exact figures.",
    )),
    "contribution_chart": ("How to read the contribution chart", (
        "The bar shows an area's priority score split into parts, one for each measure used.",
        "A long part means that measure pushes the area up the list. A part on the left means it pulls the area "
        "down.",
        "The weights you set decide how much each measure counts.",
    )),
    "scenario_comparison": ("How to read the scenario comparison", (
        "Each line is a what-if: the same projection with different choices applied. The first line is the "
        "baseline, with no change.",
        "The gap between a scenario and the baseline shows what that choice might change. The shaded band shows "
        "how sure we can be.",
        "Scenarios show what could happen if the choices hold. They are not forecasts of what will happen.",
    )),
}


def _guide(chart: str, example: str) -> ChartGuide:
    title, sentences = HOW_TO_READ[chart]
    return ChartGuide(chart, title, sentences, example)


def fan_chart_guide(name: str, projection: pd.DataFrame, *, unit: str, value_type: s.ValueType | str,
                    period_label: str) -> ChartGuide:
    """A fan chart's guide; the example reads the final projected period's 80% range.

    ``projection``: PROJECTION_COLUMNS; ``period_label`` labels its last row (e.g. "2030").
    """
    last = projection.sort_values(s.PERIOD_START).iloc[-1]

    def fmt(column: str) -> str:
        return format_value(float(last[column]), unit, value_type)

    example = (f"For example, for {name} in {period_label}, the dark band runs from {fmt('lower_80')} to "
               f"{fmt('upper_80')}. So the figure is likely to land between those two values.")
    return _guide("fan_chart", example)


def spine_chart_guide(area_name: str, indicator_title: str, *, value: float, worst: float, best: float,
                      unit: str, value_type: s.ValueType | str, rating_text: str) -> ChartGuide:
    """A spine chart's guide; the example reads one row (``rating_text`` e.g. 'Worse than Essex')."""
    def fmt(number: float) -> str:
        return format_value(float(number), unit, value_type)

    example = (f"For example, on {indicator_title.lower()} the worst area has {fmt(worst)} and the best has "
               f"{fmt(best)}. {area_name} has {fmt(value)}: {rating_text[:1].lower() + rating_text[1:]}.")
    return _guide("spine_chart", example)


def spc_chart_guide(info: SeriesInfo, xmr: XmR, assessment: Assessment | None = None) -> ChartGuide:
    """A control chart's guide; the example gives this series' average and limits and what is marked."""
    fired = len(xmr.episodes)
    marked = ("No dots are marked, so the changes look like normal ups and downs." if not fired else
              f"{fired} {'pattern is' if fired == 1 else 'patterns are'} marked.")
    if assessment is not None and assessment.signals:
        marked += f" {len(assessment.signals)} of them {'is' if len(assessment.signals) == 1 else 'are'} recent."
    example = (f"For example, for {info.name} the average is {info.fmt(xmr.mean)}. The limits are "
               f"{xmr.lower_limit:,.1f} and {xmr.upper_limit:,.1f}. {marked}")
    return _guide("spc_chart", example)


def choropleth_guide(indicator_title: str, values: Mapping[str, float], *, unit: str,
                     value_type: s.ValueType | str) -> ChartGuide:
    """The map's guide; ``values``: area name -> value. The example names the highest and lowest areas."""
    present = {k: float(v) for k, v in values.items() if pd.notna(v)}
    if not present:
        return _guide("choropleth", "For example, no area has a value for this measure yet.")
    high = max(present, key=lambda k: (present[k], k))
    low = min(present, key=lambda k: (present[k], k))
    example = (f"For example, on {indicator_title.lower()} {high} has the highest value, "
               f"{format_value(present[high], unit, value_type)}. {low} has the lowest, "
               f"{format_value(present[low], unit, value_type)}.")
    return _guide("choropleth", example)


def contribution_guide(area_name: str, contributions: Mapping[str, float], score: float) -> ChartGuide:
    """The contribution chart's guide; ``contributions``: measure title -> its part of the score."""
    parts = {k: float(v) for k, v in contributions.items() if pd.notna(v)}
    if not parts:
        return _guide("contribution_chart", "For example, no measure has a weight yet.")
    top = max(parts, key=lambda k: (parts[k], k))
    if parts[top] > 0:
        example = (f"For example, {area_name} has a score of {score:.2f}. The biggest push comes from "
                   f"{lower_first(top)}, which adds {parts[top]:.2f}.")
    else:  # every measure lowers the score: nothing "pushes" it
        example = (f"For example, {area_name} has a score of {score:.2f}. Every measure lowers it; "
                   f"{lower_first(top)} lowers it least ({parts[top]:+.2f}).")
    return _guide("contribution_chart", example)


def scenario_guide(name: str, scenario_name: str, *, period_label: str, baseline: float, scenario: float,
                   unit: str, value_type: s.ValueType | str) -> ChartGuide:
    """The scenario comparison's guide; the example compares one scenario with the baseline in one period."""
    example = (f"For example, for {name} in {period_label}, \"{scenario_name}\" gives "
               f"{format_value(scenario, unit, value_type)}. The baseline gives "
               f"{format_value(baseline, unit, value_type)}.")
    return _guide("scenario_comparison", example)


# ---- glossary -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GlossaryEntry:
    """A term, its plain definition, and other spellings the product uses for it."""

    term: str
    definition: str
    aliases: tuple[str, ...] = ()


_ENTRIES: tuple[GlossaryEntry, ...] = (
    GlossaryEntry("Average", "The usual middle value: add up the values and divide by how many there are. "
                  "Also called the mean.", ("mean",)),
    GlossaryEntry("Approximate boundaries", "Division edges we had to rebuild from smaller areas, because the "
                  "official ones were not available. Treat division figures as close, not exact.", ("approximate",)),
    GlossaryEntry("Back-test", "A check of a method on the past. We pretend it is an earlier year, make a "
                  "projection, and see how close it came to what really happened.", ("backtest", "back-tested")),
    GlossaryEntry("Baseline", "The starting point to compare with. In scenarios, it is the projection with no "
                  "change applied.", ("baseline projection",)),
    GlossaryEntry("Calibrated range", "A range we have checked against the past. An 80% range should hold the "
                  "real figure about 8 times in 10, and back-tests show it does.", ("calibrated",)),
    GlossaryEntry("Common cause", "The normal ups and downs that any figure has from month to month. They need "
                  "no special action.", ("common-cause", "common cause variation")),
    GlossaryEntry("Comparator", "The area we compare with, such as England or Essex as a whole.",
                  ("comparators",)),
    GlossaryEntry("Confidence interval", "The range in which the true value probably lies. A 95% interval would "
                  "hold the true value 19 times in 20. A wide one means the figure is less sure.",
                  ("95% interval", "interval")),
    GlossaryEntry("Control chart", "A chart of a figure over time with its average and limits. It helps you "
                  "tell normal ups and downs from real change. Also called an SPC chart.",
                  ("SPC chart", "SPC", "statistical process control")),
    GlossaryEntry("Coverage", "How often the real figures fell inside a projection's range when we tested it on "
                  "the past. For an 80% range it should be close to 80%.", ()),
    GlossaryEntry("Decile", "One tenth of all areas, ranked. The most deprived decile is the tenth of areas with "
                  "the most deprivation.", ("deciles",)),
    GlossaryEntry("IMD", "The Index of Multiple Deprivation. The government uses it to rank small areas by how "
                  "poor they are in money, jobs, health, crime, homes and more.",
                  ("Index of Multiple Deprivation", "deprivation")),
    GlossaryEntry("Illustrative data", "Made-up data that looks like the real thing. We use it only to show how "
                  "a feature works, and always label it.", ("illustrative",)),
    GlossaryEntry("Imputed", "Filled in. When an area has no value for one measure, the index uses the average "
                  "of the others and says so.", ("imputation",)),
    GlossaryEntry("Indicator", "One measure we track, such as the share of people in work.", ("indicators",)),
    GlossaryEntry("Interval methods", "Standard ways to work out a confidence interval. Wilson's method is used "
                  "for shares, and Byar's or exact Poisson for rates and counts.", ("Wilson", "Byar", "Poisson")),
    GlossaryEntry("Log scale", "A scale on which equal steps mean equal percentage changes. We use it, or the "
                  "logit scale for percentages, so that projections never go below zero or above 100%.",
                  ("logit", "log")),
    GlossaryEntry("LSOA", "A small area of about 1,500 people that the census uses. It is the smallest area we "
                  "show.", ("lower layer super output area",)),
    GlossaryEntry("MASE", "A score for how far off a projection was, compared with just repeating the last "
                  "value. Below 1 means the method did better than that simple guess.",
                  ("mean absolute scaled error",)),
    GlossaryEntry("Model card", "A short page that says what a model is for, what data it uses, how well it "
                  "works and its limits.", ("model cards",)),
    GlossaryEntry("Median", "The middle value when all values are put in order. Half are above it and half are "
                  "below.", ()),
    GlossaryEntry("Naive baseline", "The simplest guess: next year will be like this year, or will change by "
                  "the usual amount. A method has to beat it to be worth using.",
                  ("naive last value", "naive drift", "naive")),
    GlossaryEntry("Normalised", "Put on a common scale so that different measures can be added up. The index "
                  "can use z-scores, ranks or min-max.", ("min–max", "min-max", "normalise")),
    GlossaryEntry("Percentile", "A position out of 100. An area at the 90th percentile is higher than 90 in "
                  "100 areas.", ("percentiles",)),
    GlossaryEntry("Polarity", "Which way is good for a measure. For jobs, higher is better. For crime, higher "
                  "is worse. Some measures, like the share of older people, have no good way.",
                  ("higher is better", "higher is worse")),
    GlossaryEntry("Prophet", "A free forecasting tool. We use it only where tests show it beats the simple "
                  "naive guess.", ()),
    GlossaryEntry("Priority index", "A score that adds up several measures of need, using weights you set. A "
                  "higher score means more need.", ("priority score",)),
    GlossaryEntry("Process limits", "The two outer lines on a control chart. Chance alone rarely takes a dot "
                  "outside them.", ("control limits", "process limit")),
    GlossaryEntry("Projection", "Where a figure would go if past trends carried on. It does not know about new "
                  "plans or shocks, so it is not a promise.", ("projections", "projected")),
    GlossaryEntry("Quintile", "One fifth of all areas, ranked.", ("quintiles",)),
    GlossaryEntry("Rank stability", "How much an area's place in the list could move if the weights were a "
                  "little different. A stable rank barely moves.", ()),
    GlossaryEntry("Rating", "A word that says how an area compares: better, similar or worse. We only say "
                  "better or worse when the gap is clear, not down to chance.",
                  ("Better", "Similar", "Worse", "Not compared")),
    GlossaryEntry("Rolling average", "An average over several years that moves on one year at a time. Each "
                  "value shares years with the next, so they are not separate points.",
                  ("3-year rolling", "5-year rolling", "rolling")),
    GlossaryEntry("Scenario", "A what-if: a projection with a change applied, such as a new service that cuts "
                  "demand.", ("scenarios", "what-if")),
    GlossaryEntry("Seasonality", "A pattern that comes back at the same time each year, such as more visitors "
                  "in summer.", ("seasonal",)),
    GlossaryEntry("Signal", "A pattern in a chart that chance rarely makes, so it is worth a look. It is not "
                  "proof of change.", ("signals", "needs attention")),
    GlossaryEntry("Special cause", "A change too big or too lasting to be normal ups and downs. Something may "
                  "have changed, and it is worth asking what.", ("special-cause", "special cause variation")),
    GlossaryEntry("Suppression", "Hiding a small count, so that no one can work out facts about a person. A "
                  "hidden value is shown as suppressed, never as zero.", ("suppressed", "suppress")),
    GlossaryEntry("Target", "A line that an officer sets for a measure, such as a most or a least. None are set "
                  "until someone chooses one.", ("threshold", "targets", "thresholds")),
    GlossaryEntry("Trend", "The general way a figure has moved over the years. We only call a trend clear when "
                  "a test says chance would rarely give it.", ("trend marker", "trends")),
    GlossaryEntry("Z-score", "How far a value is from the average, counted in typical steps. A z-score of 2 "
                  "means two steps above the average.", ("z-scores", "zscore", "standard deviation")),
)


GLOSSARY: tuple[GlossaryEntry, ...] = tuple(sorted(_ENTRIES, key=lambda e: e.term.lower()))


def glossary_lookup() -> dict[str, GlossaryEntry]:
    """Every term and alias, lower-cased, to its entry."""
    out: dict[str, GlossaryEntry] = {}
    for entry in GLOSSARY:
        for name in (entry.term, *entry.aliases):
            out[name.lower()] = entry
    return out


def define(term: str) -> GlossaryEntry | None:
    """The glossary entry of a term or one of its other spellings (any case), or None."""
    return glossary_lookup().get(term.strip().lower())


# ---- first visit ----------------------------------------------------------------------------------------------
FIRST_VISIT_STEPS: tuple[tuple[str, str], ...] = (
    ("Pick your area", "Choose a district or a division in the side bar. Every page then shows that area."),
    ("Start with what needs attention", "The Overview lists the few things that have changed the most. Each "
     "one links to the chart that shows it."),
    ("Read the words, then the chart", "Each chart has a sentence that says what it shows. Open \"How to read "
     "this\" beside it for help."),
    ("Check how sure we are", "Look for the ranges and the word beside each figure. A wide range means the "
     "figure is less sure."),
    ("Look up a word", "The glossary explains every term we use, in plain words."),
)


def first_visit_steps(area_word: str = "division") -> tuple[tuple[str, str], ...]:
    """FIRST_VISIT_STEPS in the council's own word for its small areas ("ward" for a district council)."""
    return tuple((title, text.replace("a division", f"a {area_word}")) for title, text in FIRST_VISIT_STEPS)


def council_glossary(area_word: str = "division", approximate: bool = True) -> tuple[GlossaryEntry, ...]:
    """The glossary as a council's pages use it: the approximate-boundaries entry only where its small-area
    boundaries are approximate, in its own word for them."""
    out = []
    for entry in GLOSSARY:
        if entry.term == "Approximate boundaries":
            if not approximate:
                continue
            entry = GlossaryEntry(entry.term, entry.definition.replace("Division", area_word.capitalize())
                                  .replace("division", area_word), entry.aliases)
        out.append(entry)
    return tuple(out)
