"""'Needs attention' as the pages show it: ranked items, each with the chart it links to (pure; no Streamlit).

``insight.attention`` ranks an area's signals; this module turns a ranked list into what a page draws (a badge
that says the direction in words, the finding, the rule, the caveat) and into the place the item's link opens:
the Trends page with that indicator and that area chosen, the control chart switched on for an SPC signal and
the projection run to its furthest horizon for a target crossing. ``components.data`` caches the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from insight import narrative
from insight import schema as s
from insight.attention import ATTENTION_CAVEAT, DEFAULT_LIMIT, RANKING_RULE, needs_attention
from insight.config import CouncilConfig
from insight.query import FilterOptions
from insight.signals import Assessment, Direction, Rule, Signal, all_signals
from insight.targets import Target, targets_for
from insight.text import plain

SPC_SIGNAL_RULES = frozenset({Rule.BEYOND_LIMITS, Rule.TWO_OF_THREE, Rule.RUN, Rule.TREND})

# The words, marks and badge colours of a direction (the same shapes as the control chart: views/spc_chart.py).
DIRECTION_WORDS = {Direction.DETERIORATING: "Getting worse", Direction.IMPROVING: "Getting better",
                   Direction.NEITHER: "A change, neither better nor worse"}
DIRECTION_SYMBOLS = {Direction.DETERIORATING: "◆", Direction.IMPROVING: "■", Direction.NEITHER: "▲"}
BADGE_COLOURS = {Direction.DETERIORATING: "orange", Direction.IMPROVING: "blue", Direction.NEITHER: "violet"}


@dataclass(frozen=True)
class ChartLink:
    """Where a signal is drawn: the Trends page with this indicator and these areas chosen."""

    indicator_id: str
    theme: str
    districts: tuple[str, ...]
    divisions: tuple[str, ...]
    spc: bool  # open the control chart (SPC signals)
    horizon: int | None  # periods to project (a target crossing: the furthest); None keeps the page's own
    frequency: str  # the indicator's frequency (which horizon parameter the page reads)
    label: str  # what the link opens, naming the series (the button's help)


@dataclass(frozen=True)
class AttentionEntry:
    """One item of the list: its leading signal in words, the others the series fired, and its link."""

    key: str  # the signal's anchor: unique and stable
    direction: Direction
    badge: str  # "◆ Getting worse"
    badge_colour: str
    rule_name: str
    finding: str
    rule_text: str
    caveat: str
    also: tuple[str, ...]
    link: ChartLink


@dataclass(frozen=True)
class AttentionSection:
    """One area's list."""

    area_code: str
    heading: str  # "Basildon", "Clacton West division"
    entries: tuple[AttentionEntry, ...]
    summary: str  # how many there are, or that there are none


@dataclass(frozen=True)
class AttentionPanel:
    """Everything a 'Needs attention' box shows: one list per area, the ranking rule and the caveats."""

    sections: tuple[AttentionSection, ...]
    rule_text: str
    caveat: str
    notes: tuple[str, ...]  # what the lists do not check, said plainly

    @property
    def count(self) -> int:
        """Items shown over all sections."""
        return sum(len(section.entries) for section in self.sections)


def signals_for_app(base: Iterable[Assessment], targeted: Iterable[Assessment] = ()) -> tuple[Signal, ...]:
    """Every signal of the dataset (``base``: assessed without targets) plus the target-crossing signals of the
    series re-assessed with the session's targets (``targeted``)."""
    return with_target_signals(all_signals(base), targeted)


def with_target_signals(base: Iterable[Signal], targeted: Iterable[Assessment] = ()) -> tuple[Signal, ...]:
    """``base`` signals (found without targets) plus the target crossings of the series ``targeted`` holds."""
    extra = [x for x in all_signals(targeted) if x.rule is Rule.PROJECTION_TARGET]
    return (*base, *extra)


def labelled_projections(frames: Mapping[tuple[str, str], pd.DataFrame], observations: pd.DataFrame,
                         frequencies: Mapping[str, str]) -> pd.DataFrame:
    """Stored projections of several series in one frame (area_code, indicator_id, period_start, point, ranges),
    each period labelled as the chart labels it ('2026/27' after '2025/26')."""
    parts = []
    for (indicator_id, area_code), frame in frames.items():
        shown = observations[(observations[s.INDICATOR_ID] == indicator_id) & (observations[s.AREA_CODE] == area_code)
                             & observations[s.VALUE].notna()].sort_values(s.PERIOD_START)
        last = str(shown[s.PERIOD_LABEL].iloc[-1]) if not shown.empty else ""
        part = frame.copy()
        part[s.PERIOD_LABEL] = narrative.projected_labels(list(part[s.PERIOD_START]), frequencies[indicator_id], last)
        part[s.INDICATOR_ID], part[s.AREA_CODE] = indicator_id, area_code
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def chart_link(signal: Signal, options: FilterOptions, *, current_division: str | None,
               max_horizons: Mapping[str, int]) -> ChartLink:
    """The Trends view that shows ``signal``: its indicator, its area (a district keeps the division chosen
    when the district holds it, so a profile's reader comes back to the same place)."""
    info = signal.series
    code = info.area_code
    districts: tuple[str, ...] = ()
    divisions: tuple[str, ...] = ()
    if code in options.district_names:
        districts = (code,)
        if current_division and current_division in options.divisions_by_district.get(code, ()):
            divisions = (current_division,)
    elif code in options.division_names:
        divisions = (code,)
    frequency = str(info.frequency)
    horizon = max_horizons.get(frequency) if signal.rule is Rule.PROJECTION_TARGET else None
    return ChartLink(info.indicator_id, options.indicator_themes.get(info.indicator_id, ""), districts, divisions,
                     signal.rule in SPC_SIGNAL_RULES, horizon, frequency,
                     f"Opens Trends & projections on {info.name}, with the signal marked")


def safe_words(signal: Signal, targets: Sequence[Target] = ()) -> tuple[str, str]:
    """A signal's finding and caveat as Markdown, with the words someone typed for a target (its label, who set
    it) quoted literally (insight.text.plain): never a link, an image or styling. A finding that still holds the
    typed words unquoted is shown whole as literal text."""
    finding, caveat = signal.finding, signal.caveat
    if signal.rule is not Rule.PROJECTION_TARGET:
        return finding, caveat
    for target in targets_for(targets, signal.series.indicator_id, signal.series.area_code):
        value = f"({target.wording} {signal.series.fmt(target.value)})"
        finding = finding.replace(f"{target.label} {value}", f"{plain(target.label)} {value}")
        caveat = caveat.replace(f"Target set by {target.set_by}.", f"Target set by {plain(target.set_by)}.")
        if target.label in finding.replace(plain(target.label), ""):
            finding = plain(signal.finding, 400)
        if target.set_by in caveat.replace(plain(target.set_by), ""):
            caveat = plain(signal.caveat, 400)
    return finding, caveat


def entry(signal: Signal, also: Sequence[Signal], link: ChartLink, targets: Sequence[Target] = ()) -> AttentionEntry:
    """One list item from a ranked signal and the other signals of its series (typed target words quoted)."""
    finding, caveat = safe_words(signal, targets)
    return AttentionEntry(signal.anchor, signal.direction,
                          f"{DIRECTION_SYMBOLS[signal.direction]} {DIRECTION_WORDS[signal.direction]}",
                          BADGE_COLOURS[signal.direction], signal.rule_name, finding, signal.rule_text, caveat,
                          tuple(f"{x.rule_name}: {safe_words(x, targets)[0]}" for x in also), link)


def area_heading(code: str, names: Mapping[str, str], options: FilterOptions, council: CouncilConfig) -> str:
    """'Basildon', 'Clacton West division', or the council's name."""
    if code == council.county_code:
        return council.short_name
    name = names.get(code, code)
    return f"{name} {council.area_word}" if code in options.division_names else name


def attention_panel(signals: Sequence[Signal], area_codes: Sequence[str], *, names: Mapping[str, str],
                    options: FilterOptions, council: CouncilConfig, current_division: str | None,
                    max_horizons: Mapping[str, int], targets: Sequence[Target] = (),
                    limit: int = DEFAULT_LIMIT) -> AttentionPanel:
    """The 'Needs attention' lists of ``area_codes`` (in that order), most concerning first, at most ``limit``
    items each; illustrative series are left out."""
    sections = []
    for code in dict.fromkeys(area_codes):
        ranked = needs_attention(signals, code, limit=limit)
        heading = area_heading(code, names, options, council)
        entries = tuple(entry(item.signal, item.also, chart_link(
            item.signal, options, current_division=current_division, max_horizons=max_horizons), targets)
            for item in ranked.items)
        if not entries:
            summary = f"No signals for {heading} in the current data."
        elif ranked.total_series > len(entries):
            summary = (f"{ranked.total_series} measures for {heading} have a signal; the {len(entries)} most "
                       "concerning are shown.")
        else:
            summary = f"{ranked.total_series} {'measure' if ranked.total_series == 1 else 'measures'} for {heading} " \
                      f"{'has' if ranked.total_series == 1 else 'have'} a signal."
        sections.append(AttentionSection(code, heading, entries, summary))
    notes = ["Rating changes since the previous data release are not checked here: the dashboard holds one "
             "release of the data."]
    if not targets:
        notes.append("No targets are set, so no projection is tested against one. An officer can set one on "
                     "Trends & projections.")
    else:
        notes.append(f"{len(targets)} {'target is' if len(targets) == 1 else 'targets are'} set this session; "
                     "a projection whose 80% range reaches past one is listed.")
    return AttentionPanel(tuple(sections), RANKING_RULE, ATTENTION_CAVEAT, tuple(notes))
