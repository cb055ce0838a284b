"""Early-warning signals for every series: what fired, which way, on what evidence, and how much to trust it.

Four families of rule, each chosen by what the series is:

* **Monthly and quarterly series** — statistical process control in the NHS England "Making Data Count"
  style (``insight.spc``): a point beyond the process limits, two of three points near a limit, a run of 7
  on one side of the mean, a trend of 7 points each higher (or lower) than the last. A series needs 15
  values; otherwise the assessment says it is too short for SPC. Only *current* patterns become signals:
  those whose last point is one of the latest ``RECENT_PERIODS`` periods (every pattern stays on the chart).
* **Annual series** — the significant recent-trend test of CONVENTIONS S5 (``insight.stats.trend_marker``:
  a straight line through the latest 5 consecutive annual points, 95% confidence, no break in the series).
* **A projection** whose calibrated 80% range reaches past a target an officer set, within the horizon.
  There are no targets by default, so this rule is silent until someone chooses a line.
* **A rating that moved** (e.g. Similar to Worse against the comparator) since the previous data version
  (``insight.versions``).

Rolling averages (overlapping windows), snapshots and irregular editions get no test, with the reason.

Every signal carries the rule in plain words, its direction by the indicator's polarity (deteriorating,
improving or neither), the evidence points (period labels and values), the series identity and a
false-alarm caveat. Functions here are pure: frames in, frozen dataclasses out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from insight import schema as s
from insight.formatting import format_value
from insight.spc import (
    PERIOD_WORDS,
    POSITION,
    Cadence,
    Episode,
    Side,
    SpcRule,
    XmR,
    assess_spc,
    infer_cadence,
)
from insight.stats import TREND_RECENT_POINTS, Rating, TrendMarker, trend_marker
from insight.targets import Target, TargetDirection, targets_for
from insight.versions import COMPARATOR_CODE, PREVIOUS, RATING

RECENT_PERIODS = 3  # an SPC pattern is current when it ends in one of the latest 3 periods
PROJECTION_LEVEL = 80  # the calibrated range used for target crossings ("likely range")
SIGNAL_LEVELS = (s.Level.ENGLAND, s.Level.REGION, s.Level.COUNTY, s.Level.DISTRICT, s.Level.DIVISION)
ILLUSTRATIVE_NOTE = "Illustrative data, not real."


class Direction(StrEnum):
    """What a signal means for people, by the indicator's polarity."""

    DETERIORATING = "deteriorating"
    NEITHER = "neither"  # the indicator has no good direction, or the change has none
    IMPROVING = "improving"


class Rule(StrEnum):
    """Every rule that can fire, strongest evidence first (the order ``insight.attention`` ranks by)."""

    BEYOND_LIMITS = "beyond_limits"
    TWO_OF_THREE = "two_of_three"
    RUN = "run"
    TREND = "trend"
    ANNUAL_TREND = "annual_trend"
    RATING_CHANGE = "rating_change"
    PROJECTION_TARGET = "projection_target"


SPC_RULES = {SpcRule.BEYOND_LIMITS: Rule.BEYOND_LIMITS, SpcRule.TWO_OF_THREE: Rule.TWO_OF_THREE,
             SpcRule.RUN: Rule.RUN, SpcRule.TREND: Rule.TREND}

RULE_TEXT: dict[Rule, str] = {
    Rule.BEYOND_LIMITS: "A point outside the process limits. The limits show how far values usually move "
                        "by chance, so a point outside them is unusual.",
    Rule.TWO_OF_THREE: "Two of three points in a row close to a process limit, on the same side of the average.",
    Rule.RUN: "Seven or more points in a row on the same side of the average.",
    Rule.TREND: "Seven points in a row, each higher than the one before (or each lower).",
    Rule.ANNUAL_TREND: "A clear trend over the latest five years. A straight-line test found a rise or fall "
                       "that chance alone would rarely give (95% confidence).",
    Rule.RATING_CHANGE: "The rating against the comparator changed since the last data update.",
    Rule.PROJECTION_TARGET: "The projection's likely range (80%) reaches past a target someone set.",
}

RULE_NAMES: dict[Rule, str] = {
    Rule.BEYOND_LIMITS: "Outside the process limits",
    Rule.TWO_OF_THREE: "Close to a process limit",
    Rule.RUN: "A run on one side of the average",
    Rule.TREND: "A run of rises or falls",
    Rule.ANNUAL_TREND: "A clear trend over five years",
    Rule.RATING_CHANGE: "Rating changed",
    Rule.PROJECTION_TARGET: "Projection reaches a target",
}

_SPC_CAVEAT = ("Chance alone can do this now and then, and more often in a series with seasons (such as summer "
               "peaks), so check for a known cause before acting.")
CAVEATS: dict[Rule, str] = {
    Rule.BEYOND_LIMITS: "About 3 points in 1,000 fall outside the limits by chance. " + _SPC_CAVEAT,
    Rule.TWO_OF_THREE: _SPC_CAVEAT,
    Rule.RUN: _SPC_CAVEAT,
    Rule.TREND: _SPC_CAVEAT,
    Rule.ANNUAL_TREND: ("With five points, one unusual year can make a trend look clear. In a series that is not "
                        "changing, about 1 test in 20 finds a trend by chance."),
    Rule.RATING_CHANGE: ("A rating can change after a small move near the edge of its range, or after a "
                         "figure is revised. Look at the trend before reading much into it."),
    Rule.PROJECTION_TARGET: ("A projection only extends past trends: it ignores policy changes and shocks. Even "
                             "when it works as tested, about 1 outcome in 5 falls outside the 80% range."),
}

METHOD_SPC, METHOD_TREND, METHOD_NONE = "SPC", "annual trend test", "none"
_NO_TEST_REASONS = {
    s.Frequency.SNAPSHOT: "A single snapshot: there is no series over time to test.",
    s.Frequency.ROLLING_3_YEAR: "Rolling averages overlap, so their points are not independent; no trend test.",
    s.Frequency.ROLLING_5_YEAR: "Rolling averages overlap, so their points are not independent; no trend test.",
    s.Frequency.EDITIONS: "Irregular editions years apart; too few comparable points for a trend test.",
}


@dataclass(frozen=True)
class SeriesInfo:
    """Who a series is: indicator, area and what decides how it is tested and read."""

    indicator_id: str
    area_code: str
    title: str  # short title
    area_name: str
    level: str
    polarity: s.Polarity
    unit: str = ""
    value_type: s.ValueType = s.ValueType.MEAN
    frequency: str = ""  # a schema Frequency value, "quarterly", or "" (unknown: inferred from the periods)
    status: s.Status = s.Status.REAL
    source: str = ""
    has_break: bool = False  # a change of definition or method (S5: no trend test across a break)

    @property
    def illustrative(self) -> bool:
        return self.status is s.Status.ILLUSTRATIVE

    @property
    def name(self) -> str:
        """'Claimant count in Basildon' (+ ' (illustrative, not real)')."""
        if not self.illustrative:
            return f"{self.title} in {self.area_name}"
        title = self.title.replace(" (illustrative)", "")
        return f"{title} in {self.area_name} (illustrative, not real)"

    def fmt(self, value: float) -> str:
        """A value in this series' unit."""
        return format_value(float(value), self.unit, self.value_type)

    def fmt_pair(self, first: float, last: float) -> tuple[str, str]:
        """Two values in this unit, with enough decimals that different values never read the same."""
        a, b = self.fmt(first), self.fmt(last)
        for digits in (2, 3, 4):
            if a != b or first == last:
                break
            a = format_value(float(first), self.unit, self.value_type, digits=digits)
            b = format_value(float(last), self.unit, self.value_type, digits=digits)
        return a, b


@dataclass(frozen=True)
class Evidence:
    """One point behind a signal."""

    period_start: pd.Timestamp
    period_label: str
    value: float
    note: str = ""


@dataclass(frozen=True)
class Signal:
    """One rule that fired on one series."""

    series: SeriesInfo
    rule: Rule
    movement: Side  # HIGH: above the mean / rising / above a line; LOW: the opposite
    direction: Direction
    finding: str  # one plain sentence naming the series, the pattern, the periods and values
    evidence: tuple[Evidence, ...]
    caveat: str
    when: pd.Timestamp  # latest evidence period (for a projection: the first period past the target)
    magnitude: float  # size in the rule's own terms (see each builder); used only to order equal signals

    @property
    def rule_text(self) -> str:
        return RULE_TEXT[self.rule]

    @property
    def rule_name(self) -> str:
        return RULE_NAMES[self.rule]

    @property
    def anchor(self) -> str:
        """A stable id for links: indicator|area|rule|period."""
        return f"{self.series.indicator_id}|{self.series.area_code}|{self.rule.value}|{self.when:%Y-%m-%d}"


@dataclass(frozen=True)
class Assessment:
    """How one series was tested, why, and what fired."""

    series: SeriesInfo
    method: str  # METHOD_SPC | METHOD_TREND | METHOD_NONE
    reason: str  # why no test could be made ("" when one was)
    signals: tuple[Signal, ...] = field(default=())
    xmr: XmR | None = None
    marker: TrendMarker | None = None


def direction_for(movement: Side, polarity: s.Polarity | str) -> Direction:
    """Deteriorating / improving / neither for a movement up (HIGH) or down (LOW)."""
    pol = s.Polarity(polarity)
    if pol is s.Polarity.NEITHER:
        return Direction.NEITHER
    good = (movement is Side.HIGH) == (pol is s.Polarity.HIGHER_IS_BETTER)
    return Direction.IMPROVING if good else Direction.DETERIORATING


def cadence_of(info: SeriesInfo, periods: pd.Series) -> tuple[Cadence | None, str]:
    """The cadence to test a series at, or None and the reason no test applies."""
    freq = info.frequency
    if freq in _NO_TEST_REASONS:
        return None, _NO_TEST_REASONS[s.Frequency(freq)]
    if freq in {c.value for c in Cadence}:
        return Cadence(freq), ""
    inferred = infer_cadence(periods)
    if inferred is None:
        return None, "The periods are not monthly, quarterly or yearly, so no rule applies."
    return inferred, ""


def _evidence(frame: pd.DataFrame, rows: Sequence[int], notes: Sequence[str] | str = "") -> tuple[Evidence, ...]:
    labels = frame[s.PERIOD_LABEL].astype(str).to_numpy()
    starts, values = frame[s.PERIOD_START].to_numpy(), frame[s.VALUE].to_numpy(dtype=float)
    texts = [notes] * len(rows) if isinstance(notes, str) else list(notes)
    return tuple(Evidence(pd.Timestamp(starts[r]), str(labels[r]), float(values[r]), n)
                 for r, n in zip(rows, texts, strict=True))


def _span(evidence: Sequence[Evidence]) -> str:
    first, last = evidence[0].period_label, evidence[-1].period_label
    return first if first == last else f"{first} to {last}"


def _spc_signal(info: SeriesInfo, xmr: XmR, episode: Episode) -> Signal:
    frame = xmr.frame
    values = frame[s.VALUE].to_numpy(dtype=float)[list(episode.rows)]
    one, many = PERIOD_WORDS[xmr.cadence]
    above = episode.side is Side.HIGH
    limit = xmr.upper_limit if above else xmr.lower_limit
    sigma = xmr.sigma
    n = len(episode.rows)
    word = "above" if above else "below"
    if episode.rule is SpcRule.BEYOND_LIMITS:
        evidence = _evidence(frame, episode.rows, f"{word} the {'upper' if above else 'lower'} limit of "
                                                  f"{info.fmt(limit)}")
        extreme = values.max() if above else values.min()
        what = (f"{evidence[0].period_label} was {word} the {'upper' if above else 'lower'} process limit "
                f"({info.fmt(extreme)}; limit {info.fmt(limit)})") if n == 1 else \
            (f"{n} {many} in a row were {word} the {'upper' if above else 'lower'} process limit "
             f"({_span(evidence)}; {'highest' if above else 'lowest'} {info.fmt(extreme)}, limit {info.fmt(limit)})")
        magnitude = float(np.max(np.abs(values - xmr.mean)) / sigma)
    elif episode.rule is SpcRule.TWO_OF_THREE:
        evidence = _evidence(frame, episode.rows, f"close to the {'upper' if above else 'lower'} limit")
        labels = ", ".join(e.period_label for e in evidence)
        what = (f"{n} {many} close to the {'upper' if above else 'lower'} process limit within three in a row "
                f"({labels}; limit {info.fmt(limit)})")
        magnitude = float(np.max(np.abs(values - xmr.mean)) / sigma)
    elif episode.rule is SpcRule.RUN:
        evidence = _evidence(frame, episode.rows, f"{word} the average")
        what = f"{n} {many} in a row were {word} the average of {info.fmt(xmr.mean)} ({_span(evidence)})"
        magnitude = float(np.mean(np.abs(values - xmr.mean)) / sigma)
    else:
        evidence = _evidence(frame, episode.rows, [""] + [f"{'higher' if above else 'lower'} than the {one} before"]
                             * (n - 1))
        first, last = info.fmt_pair(values[0], values[-1])
        what = (f"{n} {many} in a row each {'higher' if above else 'lower'} than the one before ({_span(evidence)}), "
                f"from {first} to {last}")
        magnitude = float(abs(values[-1] - values[0]) / sigma)
    rule = SPC_RULES[episode.rule]
    caveat = CAVEATS[rule]
    if xmr.provisional:
        caveat += f" The limits rest on only {xmr.baseline_points} {many}, so they are provisional."
    if info.illustrative:
        caveat += " " + ILLUSTRATIVE_NOTE
    return Signal(info, rule, episode.side, direction_for(episode.side, info.polarity), f"{info.name}: {what}.",
                  evidence, caveat, evidence[-1].period_start, magnitude)


def spc_signals(info: SeriesInfo, xmr: XmR, *, recent_periods: int = RECENT_PERIODS) -> tuple[Signal, ...]:
    """Signals for the chart's current patterns: those ending within the latest ``recent_periods`` periods."""
    positions = xmr.frame[POSITION].to_numpy()
    latest = int(positions[-1])
    return tuple(_spc_signal(info, xmr, e) for e in xmr.episodes
                 if latest - int(positions[e.last_row]) < recent_periods)


def annual_trend_signal(info: SeriesInfo, frame: pd.DataFrame) -> tuple[Signal | None, TrendMarker]:
    """The S5 trend test on the latest 5 consecutive annual points, and a signal when the trend is significant.

    Magnitude: the fitted change over the window relative to the window's mean absolute value.
    """
    rows = frame[frame[s.VALUE].notna()].sort_values(s.PERIOD_START, kind="mergesort")
    marker = trend_marker(list(rows[s.PERIOD_START]), rows[s.VALUE].to_numpy(dtype=float), info.polarity,
                          has_break=info.has_break, recent=TREND_RECENT_POINTS)
    if marker.direction not in ("increasing", "decreasing") or marker.first_year is None or marker.last_year is None:
        return None, marker
    years = pd.to_datetime(rows[s.PERIOD_START]).dt.year
    used = rows[(years >= marker.first_year) & (years <= marker.last_year)].reset_index(drop=True)
    side = Side.HIGH if marker.slope > 0 else Side.LOW
    evidence = _evidence(used, range(len(used)))
    change = marker.slope * (marker.n_points - 1)
    scale = float(np.mean(np.abs(used[s.VALUE].to_numpy(dtype=float))))
    magnitude = abs(change) / scale if scale > 0 else abs(change)
    verb = "rising" if side is Side.HIGH else "falling"
    judgement = f", {marker.judgement}" if marker.judgement else ""
    first, last = info.fmt_pair(evidence[0].value, evidence[-1].value)
    finding = f"{info.name}: {verb} over the latest {marker.n_points} years{judgement} ({_span(evidence)}: {first} to {last})."
    caveat = CAVEATS[Rule.ANNUAL_TREND] + (" " + ILLUSTRATIVE_NOTE if info.illustrative else "")
    return Signal(info, Rule.ANNUAL_TREND, side, direction_for(side, info.polarity), finding, evidence, caveat,
                  evidence[-1].period_start, float(magnitude)), marker


def projection_signal(info: SeriesInfo, projection: pd.DataFrame, target: Target, *,
                      last_observed: Evidence | None = None, level: int = PROJECTION_LEVEL,
                      labels: Sequence[str] | None = None) -> Signal | None:
    """A signal when the projection's calibrated ``level``% range reaches past ``target`` within its horizon.

    ``projection``: PROJECTION_COLUMNS (period_start, point, lower_80, upper_80, lower_95, upper_95), one row
    per period ahead; ``labels`` optionally gives each row's period label. A ceiling (at_most) is reached when
    the upper end of the range is above it; a floor (at_least) when the lower end is below it. The finding
    also says when the *whole* range is past the line. Magnitude: the furthest the range goes past the
    line, relative to the line (absolute when the line is 0).
    """
    if projection.empty:
        return None
    frame = projection.sort_values(s.PERIOD_START, kind="mergesort").reset_index(drop=True)
    lower = frame[f"lower_{level}"].to_numpy(dtype=float)
    upper = frame[f"upper_{level}"].to_numpy(dtype=float)
    ceiling = target.direction is TargetDirection.AT_MOST
    near_end, far_end = (upper, lower) if ceiling else (lower, upper)
    reaches = np.array([target.breached_by(v) for v in near_end])
    whole = np.array([target.breached_by(v) for v in far_end])
    if not reaches.any():
        return None
    first = int(np.argmax(reaches))
    if labels is None:
        labels = [str(pd.Timestamp(p).year) if info.frequency == s.Frequency.ANNUAL else
                  f"{pd.Timestamp(p):%b %Y}" for p in frame[s.PERIOD_START]]
    side = Side.HIGH if ceiling else Side.LOW
    word = "above" if ceiling else "below"
    line = f"{target.label} ({target.wording} {info.fmt(target.value)})"

    def point(row: int, note: str) -> Evidence:
        return Evidence(pd.Timestamp(frame[s.PERIOD_START].iloc[row]), str(labels[row]),
                        float(frame["point"].iloc[row]), note)

    def range_note(row: int) -> str:
        return f"projected; {level}% range {info.fmt(lower[row])} to {info.fmt(upper[row])}"

    evidence = [point(first, range_note(first))]
    if last_observed is not None:
        evidence.insert(0, last_observed)
    already = last_observed is not None and target.breached_by(last_observed.value)
    start = (f"is already {word} {line} ({info.fmt(last_observed.value)} in {last_observed.period_label}), and "
             if already and last_observed is not None else "")
    finding = f"{info.name}: {start}the projection's {level}% range reaches {word} {line} by {labels[first]}"
    if whole.any():
        full = int(np.argmax(whole))
        if full != first:
            evidence.append(point(full, range_note(full)))
        finding += f"; by {labels[full]} the whole {level}% range is {word} it"
    excess = (upper - target.value) if ceiling else (target.value - lower)
    magnitude = float(np.max(excess) / abs(target.value)) if target.value else float(np.max(excess))
    caveat = CAVEATS[Rule.PROJECTION_TARGET] + f" Target set by {target.set_by}." + \
        (" " + ILLUSTRATIVE_NOTE if info.illustrative else "")
    return Signal(info, Rule.PROJECTION_TARGET, side, direction_for(side, info.polarity), finding + ".",
                  tuple(evidence), caveat, pd.Timestamp(frame[s.PERIOD_START].iloc[first]), magnitude)


_RATING_STEP = {  # position of a rating on the indicator's value scale (higher value = +1)
    s.Polarity.HIGHER_IS_BETTER: {Rating.BETTER: 1, Rating.SIMILAR: 0, Rating.WORSE: -1},
    s.Polarity.HIGHER_IS_WORSE: {Rating.WORSE: 1, Rating.SIMILAR: 0, Rating.BETTER: -1},
    s.Polarity.NEITHER: {Rating.HIGHER: 1, Rating.SIMILAR: 0, Rating.LOWER: -1},
}


def _rating_words(rating: Rating, comparator: str) -> str:
    return f"similar to {comparator}" if rating is Rating.SIMILAR else f"{rating.value.lower()} than {comparator}"


def rating_signal(info: SeriesInfo, change: Mapping[Hashable, Any], comparator_name: str) -> Signal | None:
    """A signal from one row of ``VersionDiff.rating_changes``; None when the ratings are not on one scale.

    Magnitude: the number of steps moved (Similar to Worse = 1, Better to Worse = 2).
    """
    steps = _RATING_STEP[s.Polarity(info.polarity)]
    before, after = Rating(str(change[PREVIOUS + RATING])), Rating(str(change[RATING]))
    if before not in steps or after not in steps or before is after:
        return None
    move = steps[after] - steps[before]
    side = Side.HIGH if move > 0 else Side.LOW
    evidence = (
        Evidence(pd.Timestamp(change[PREVIOUS + s.PERIOD_START]), str(change[PREVIOUS + s.PERIOD_LABEL]),
                 float(change[PREVIOUS + s.VALUE]), f"previous data: {_rating_words(before, comparator_name)}"),
        Evidence(pd.Timestamp(change[s.PERIOD_START]), str(change[s.PERIOD_LABEL]), float(change[s.VALUE]),
                 f"now: {_rating_words(after, comparator_name)}"),
    )
    finding = (f"{info.name}: now {_rating_words(after, comparator_name)} ({info.fmt(evidence[1].value)} in "
               f"{evidence[1].period_label}); the previous data said {_rating_words(before, comparator_name)} "
               f"({info.fmt(evidence[0].value)} in {evidence[0].period_label}). 95% confidence.")
    caveat = CAVEATS[Rule.RATING_CHANGE] + (" " + ILLUSTRATIVE_NOTE if info.illustrative else "")
    return Signal(info, Rule.RATING_CHANGE, side, direction_for(side, info.polarity), finding, evidence, caveat,
                  evidence[1].period_start, float(abs(move)))


def assess_series(info: SeriesInfo, frame: pd.DataFrame, *, projection: pd.DataFrame | None = None,
                  targets: Iterable[Target] = (), baseline_points: int | None = None) -> Assessment:
    """Test one series (period_start, period_label, value) by the rule family its cadence calls for.

    Monthly/quarterly: SPC; annual: the S5 trend test; and, for any cadence with a ``projection`` and a
    target that applies, the projection-crossing rule. Rating changes come from ``insight.versions``
    (see ``assess_dataset``).
    """
    if info.frequency in _NO_TEST_REASONS and projection is None:
        return Assessment(info, METHOD_NONE, _NO_TEST_REASONS[s.Frequency(info.frequency)])
    rows = frame[frame[s.VALUE].notna()].sort_values(s.PERIOD_START, kind="mergesort").reset_index(drop=True)
    cadence, reason = cadence_of(info, rows[s.PERIOD_START]) if len(rows) > 1 else \
        (None, "A single value: there is no series over time to test." if len(rows) else "No values.")
    signals: list[Signal] = []
    xmr, marker, method = None, None, METHOD_NONE
    if cadence in (Cadence.MONTHLY, Cadence.QUARTERLY):
        outcome = assess_spc(rows, cadence, baseline_points=baseline_points)
        xmr, reason = outcome.xmr, outcome.reason
        if xmr is not None:
            method = METHOD_SPC
            signals += spc_signals(info, xmr)
    elif cadence is Cadence.ANNUAL:
        signal, marker = annual_trend_signal(info, rows)
        if marker.direction is None:
            reason = f"No trend test: {marker.reason}."
        else:
            method = METHOD_TREND
            signals += [signal] if signal is not None else []
    if projection is not None and not projection.empty and len(rows):
        last = rows.iloc[-1]
        observed = Evidence(pd.Timestamp(last[s.PERIOD_START]), str(last[s.PERIOD_LABEL]), float(last[s.VALUE]),
                            "latest observed")
        labels = list(projection[s.PERIOD_LABEL].astype(str)) if s.PERIOD_LABEL in projection else None
        for target in targets_for(targets, info.indicator_id, info.area_code):
            found = projection_signal(info, projection, target, last_observed=observed, labels=labels)
            signals += [found] if found is not None else []
    return Assessment(info, method, reason, tuple(signals), xmr, marker)


def series_info(indicator: Mapping[Hashable, Any], area: Mapping[Hashable, Any]) -> SeriesInfo:
    """SeriesInfo from a catalogue row and an areas row."""
    return SeriesInfo(
        indicator_id=str(indicator[s.INDICATOR_ID]), area_code=str(area[s.AREA_CODE]),
        title=str(indicator[s.SHORT_TITLE]), area_name=str(area[s.AREA_NAME]), level=str(area[s.LEVEL]),
        polarity=s.Polarity(str(indicator[s.POLARITY])), unit=str(indicator[s.UNIT]),
        value_type=s.ValueType(str(indicator[s.VALUE_TYPE])), frequency=str(indicator[s.FREQUENCY]),
        status=s.Status(str(indicator[s.STATUS])), source=str(indicator[s.SOURCE]),
    )


def assess_dataset(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, *,
                   projections: pd.DataFrame | None = None, targets: Sequence[Target] = (),
                   rating_changes: pd.DataFrame | None = None, levels: Sequence[str] = SIGNAL_LEVELS,
                   ) -> tuple[Assessment, ...]:
    """Assess every (indicator, area) series at ``levels`` (LSOAs hold single snapshots, so are left out).

    ``projections``: rows of data/projections.parquet (area_code, indicator_id, period_start, point, lower/upper
    80/95), used only where a target applies. ``rating_changes``: ``VersionDiff.rating_changes``; each row
    adds a rating signal to its series, compared with the area named by its comparator code.
    """
    catalogue = {str(row[s.INDICATOR_ID]): row for row in indicators.to_dict("records")}
    area_rows = {str(row[s.AREA_CODE]): row for row in areas.to_dict("records")}
    names = {code: str(row[s.AREA_NAME]) for code, row in area_rows.items()}
    wanted = {str(level) for level in levels}
    area_level = {code: str(row[s.LEVEL]) for code, row in area_rows.items()}
    in_scope = observations[observations[s.AREA_CODE].map(area_level).isin(wanted)
                            & observations[s.INDICATOR_ID].isin(list(catalogue))]
    target_keys = {t.indicator_id for t in targets}
    projected = {} if projections is None or not target_keys else {
        key: part for key, part in projections[projections[s.INDICATOR_ID].isin(target_keys)].groupby(
            [s.INDICATOR_ID, s.AREA_CODE], sort=False)}
    changes: dict[tuple[str, str], list[Mapping[Hashable, Any]]] = {}
    if rating_changes is not None:
        for row in rating_changes.to_dict("records"):
            changes.setdefault((str(row[s.INDICATOR_ID]), str(row[s.AREA_CODE])), []).append(row)
    out: list[Assessment] = []
    for (indicator_id, area_code), rows in in_scope.groupby([s.INDICATOR_ID, s.AREA_CODE], sort=True):
        info = series_info(catalogue[str(indicator_id)], area_rows[str(area_code)])
        assessment = assess_series(info, rows, projection=projected.get((indicator_id, area_code)), targets=targets)
        extra = [rating_signal(info, row, names.get(str(row[COMPARATOR_CODE]), str(row[COMPARATOR_CODE])))
                 for row in changes.get((str(indicator_id), str(area_code)), [])]
        found = [x for x in extra if x is not None]
        if found:
            assessment = Assessment(info, assessment.method, assessment.reason, assessment.signals + tuple(found),
                                    assessment.xmr, assessment.marker)
        out.append(assessment)
    return tuple(out)


def all_signals(assessments: Iterable[Assessment]) -> list[Signal]:
    """Every signal of the assessments, flattened."""
    return [signal for a in assessments for signal in a.signals]


def count_signals(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """One row per series: level, status (real / modelled / illustrative), method, and its signals by direction."""
    rows = []
    for a in assessments:
        by_direction = {d.value: sum(x.direction is d for x in a.signals) for d in Direction}
        rows.append({s.INDICATOR_ID: a.series.indicator_id, s.AREA_CODE: a.series.area_code, s.LEVEL: a.series.level,
                     s.STATUS: a.series.status.value, "method": a.method, "signals": len(a.signals), **by_direction})
    return pd.DataFrame(rows, columns=[s.INDICATOR_ID, s.AREA_CODE, s.LEVEL, s.STATUS, "method", "signals",
                                       *(d.value for d in Direction)])


def signal_table(signals: Iterable[Signal]) -> pd.DataFrame:
    """One row per signal: series identity, level, status, rule, direction, latest evidence period, finding."""
    rows = [{s.INDICATOR_ID: x.series.indicator_id, s.AREA_CODE: x.series.area_code, s.LEVEL: x.series.level,
             s.STATUS: x.series.status.value, "rule": x.rule.value, "direction": x.direction.value,
             s.PERIOD_START: x.when, "finding": x.finding} for x in signals]
    return pd.DataFrame(rows, columns=[s.INDICATOR_ID, s.AREA_CODE, s.LEVEL, s.STATUS, "rule", "direction",
                                       s.PERIOD_START, "finding"])
