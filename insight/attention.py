"""'Needs attention': a short list of an area's signals, most concerning first, by a stated rule.

The rule (``RANKING_RULE``, shown to people beside the list):

1. **Direction**: deteriorating, then changes with no good or bad direction ("neither"), then improving.
2. **Strength of the rule**, in the order of ``insight.signals.Rule``: a point beyond the process limits, two of
   three near a limit, a run on one side of the average, a run of rises or falls, a clear five-year trend, a
   rating that moved, then a projection that reaches a target. SPC rules come first because they rest on
   many points; a rating change compares two releases, which CONVENTIONS S6 rates below SPC; a projection is
   about the future.
3. **Recency**: the most recent evidence first (for a projection: the soonest crossing first).
4. **Size**: the larger change first, measured in the rule's own terms (``Signal.magnitude``).
5. Then indicator and area code, so that the order never changes between runs.

One series appears once: its highest-ranked signal leads and the others it fired are listed with it.
Signals on illustrative (synthetic) series are left out unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from insight.signals import Direction, Rule, Signal

DEFAULT_LIMIT = 5
DIRECTION_ORDER = (Direction.DETERIORATING, Direction.NEITHER, Direction.IMPROVING)
RULE_ORDER = tuple(Rule)
FORWARD_RULES = (Rule.PROJECTION_TARGET,)  # about the future: sooner is more concerning

RANKING_RULE = (
    "Most concerning first: signals of things getting worse, then changes that are neither good nor bad, then "
    "things getting better. Within those, the strongest evidence first: a point outside the process limits, "
    "then two of three points near a limit, a run on one side of the average, a run of rises or falls, a clear "
    "five-year trend, a rating that changed, and last a projection that reaches a target. Then the newest "
    "evidence, then the biggest change."
)
ATTENTION_CAVEAT = (
    "These are prompts to look at a chart, not proof that something has changed. Each rule can fire by chance "
    "when nothing real has happened, so check the chart and ask what might explain it."
)


@dataclass(frozen=True)
class AttentionItem:
    """One series in the list: its leading signal and the other signals it fired."""

    signal: Signal
    also: tuple[Signal, ...] = ()


@dataclass(frozen=True)
class Attention:
    """An area's 'Needs attention' list with the rule it was ranked by and its caveat."""

    area_code: str
    items: tuple[AttentionItem, ...]
    total_signals: int  # signals for the area before the list was cut to its limit
    total_series: int  # series with at least one signal
    rule_text: str = RANKING_RULE
    caveat: str = ATTENTION_CAVEAT

    @property
    def empty_text(self) -> str:
        return "" if self.items else "No signals for this area in the current data."


def rank_key(signal: Signal) -> tuple[int, int, int, float, str, str]:
    """The sort key of the ranking rule (smaller sorts first)."""
    when = signal.when.value
    recency = when if signal.rule in FORWARD_RULES else -when
    return (DIRECTION_ORDER.index(signal.direction), RULE_ORDER.index(signal.rule), recency, -signal.magnitude,
            signal.series.indicator_id, signal.series.area_code)


def rank_signals(signals: Iterable[Signal]) -> list[Signal]:
    """Signals sorted by the ranking rule, most concerning first."""
    return sorted(signals, key=rank_key)


def needs_attention(signals: Iterable[Signal], area_code: str, *, limit: int = DEFAULT_LIMIT,
                    include_illustrative: bool = False) -> Attention:
    """The area's ranked list: one item per series (its top signal leads), at most ``limit`` items."""
    mine = [x for x in signals if x.series.area_code == area_code and (include_illustrative
                                                                       or not x.series.illustrative)]
    ranked = rank_signals(mine)
    grouped: dict[str, list[Signal]] = {}
    for signal in ranked:
        grouped.setdefault(signal.series.indicator_id, []).append(signal)
    items = [AttentionItem(group[0], tuple(group[1:])) for group in grouped.values()]
    return Attention(area_code, tuple(items[:max(0, int(limit))]), len(mine), len(items))


def needs_attention_many(signals: Sequence[Signal], area_codes: Iterable[str], *, limit: int = DEFAULT_LIMIT,
                         include_illustrative: bool = False) -> dict[str, Attention]:
    """``needs_attention`` for several areas at once."""
    return {code: needs_attention(signals, code, limit=limit, include_illustrative=include_illustrative)
            for code in area_codes}
