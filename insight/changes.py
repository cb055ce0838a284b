"""What changed since the last meeting: between two dataset versions, and since an agenda was made.

Two questions, one vocabulary:

* **Between two versions** (``changes_between``; built on ``insight.versions``): per division or district, the
  new releases (periods the previous version did not have), indicators whose latest value moved (new period,
  revised, new series, latest period withdrawn), S4 ratings that changed (Better / Similar / Worse, Higher /
  Lower; "Not compared" on either side is not a change) and priority ranks that changed in the default index.
* **Since an agenda was made** (``changes_since``): each view's stored figures (``insight.snapshot``) against the
  same view's figures in the current data. An agenda read from a link carries only a digest of each view's
  figures, so it can say *that* a view's figures changed, not which.

Everything returned is data (frames, frozen dataclasses) plus plain sentences; renderers escape the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from insight import priority as pri
from insight import query
from insight import schema as s
from insight.agenda import Agenda, Figure, figures_digest
from insight.config import CouncilConfig
from insight.formatting import format_value
from insight.loaders import Dataset
from insight.profile import ordinal
from insight.snapshot import FigureContext, view_figures
from insight.versions import (
    CHANGE,
    KIND,
    PREVIOUS,
    RATING,
    VersionDiff,
    default_comparators,
    diff_datasets,
)

PREVIOUS_RANK, RANK, RANK_CHANGE = "previous_rank", "rank", "rank_change"
PREVIOUS_CLASS, PRIORITY_CLASS = "previous_priority_class", "priority_class"
RANK_COLUMNS = [s.AREA_CODE, PREVIOUS_RANK, RANK, RANK_CHANGE, PREVIOUS_CLASS, PRIORITY_CLASS]


# ---- between two dataset versions -----------------------------------------------------------------

def priority_table(dataset: Dataset, weights: Mapping[str, float], method: pri.Method = "zscore",
                   level: s.Level = s.Level.DIVISION) -> pd.DataFrame:
    """The priority index of a dataset version (insight.priority's table), on the measures of ``weights`` that
    this version has (a measure it lacks is left out rather than guessed)."""
    candidates = pri.priority_candidates(dataset.indicators, level.value)
    kept = {i: w for i, w in weights.items() if i in candidates}
    codes = list(query.areas_at(dataset.areas, level)[s.AREA_CODE])
    frame = query.wide_latest(dataset.observations, list(kept), codes)
    catalogue = dataset.indicators.set_index(s.INDICATOR_ID)
    polarity = {i: s.Polarity(str(catalogue.loc[i, s.POLARITY])) for i in kept}
    suppressed = query.wide_suppressed(dataset.observations, list(kept), codes)
    return pri.score_priority(frame, polarity, kept, method, suppressed=suppressed).table


def rank_changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Areas whose priority rank or class differs between two priority tables (RANK_COLUMNS; a positive
    RANK_CHANGE means the area moved down the list, towards lower priority)."""
    old = previous[[pri.RANK, pri.PRIORITY_CLASS]].rename(columns={pri.RANK: PREVIOUS_RANK,
                                                                   pri.PRIORITY_CLASS: PREVIOUS_CLASS})
    new = current[[pri.RANK, pri.PRIORITY_CLASS]].rename(columns={pri.RANK: RANK, pri.PRIORITY_CLASS: PRIORITY_CLASS})
    merged = new.join(old, how="outer")
    merged.index.name = s.AREA_CODE
    before = merged[PREVIOUS_RANK].astype("Float64")
    after = merged[RANK].astype("Float64")
    merged[RANK_CHANGE] = after - before
    moved = (before != after).fillna(before.isna() != after.isna()) | (merged[PREVIOUS_CLASS] != merged[PRIORITY_CLASS])
    return merged[moved.astype(bool)].reset_index()[RANK_COLUMNS].sort_values(s.AREA_CODE, kind="mergesort") \
        .reset_index(drop=True)


@dataclass(frozen=True)
class DatasetChanges:
    """Everything that changed from a previous dataset version to the current one."""

    diff: VersionDiff
    ranks: pd.DataFrame  # RANK_COLUMNS, default priority index

    def for_area(self, area_code: str) -> DatasetChanges:
        """The changes of one division or district."""
        return DatasetChanges(self.diff.for_area(area_code),
                              self.ranks[self.ranks[s.AREA_CODE] == area_code].reset_index(drop=True))

    @property
    def empty(self) -> bool:
        return self.diff.empty and self.ranks.empty

    def areas(self) -> list[str]:
        """Every area with at least one change, sorted by code."""
        codes = set(self.ranks[s.AREA_CODE])
        for frame in (self.diff.new_releases, self.diff.moved_values, self.diff.rating_changes):
            codes |= set(frame[s.AREA_CODE])
        return sorted(codes)


def changes_between(previous: Dataset, current: Dataset, config: CouncilConfig,
                    default_weights: Sequence[tuple[str, float]], method: pri.Method = "zscore") -> DatasetChanges:
    """New releases, moved latest values, changed ratings and changed default-index priority ranks."""
    weights = {i: float(w) for i, w in default_weights}
    return DatasetChanges(diff_datasets(previous, current, default_comparators(config)),
                          rank_changes(priority_table(previous, weights, method),
                                       priority_table(current, weights, method)))


def change_lines(changes: DatasetChanges, area_code: str, current: Dataset) -> list[str]:
    """One area's changes as plain sentences, most important first: ranks, ratings, moved values, releases."""
    part = changes.for_area(area_code)
    names = dict(zip(current.areas[s.AREA_CODE], current.areas[s.AREA_NAME], strict=True))
    catalogue = current.indicators.set_index(s.INDICATOR_ID)

    def title(indicator_id: str) -> str:
        return str(catalogue.loc[indicator_id, s.SHORT_TITLE]) if indicator_id in catalogue.index else indicator_id

    def value(indicator_id: str, number: Any) -> str:
        if number is None or pd.isna(number):
            return "no figure"
        if indicator_id not in catalogue.index:
            return f"{float(number):,.2f}"
        return format_value(float(number), str(catalogue.loc[indicator_id, s.UNIT]),
                            str(catalogue.loc[indicator_id, s.VALUE_TYPE]))

    lines = []
    unseen = 0
    for row in part.ranks.to_dict("records"):
        before = "not ranked" if pd.isna(row[PREVIOUS_RANK]) else ordinal(int(row[PREVIOUS_RANK]))
        after = "not ranked" if pd.isna(row[RANK]) else ordinal(int(row[RANK]))
        lines.append(f"Priority rank (default index): {before} ({row[PREVIOUS_CLASS] or 'not in the index'}) "
                     f"→ {after} ({row[PRIORITY_CLASS] or 'not in the index'}).")
    for row in part.diff.rating_changes.to_dict("records"):
        against = names.get(str(row["comparator_code"]), str(row["comparator_code"]))
        lines.append(f"{title(row[s.INDICATOR_ID])}: rating against {against} changed from "
                     f"{row[PREVIOUS + RATING]} ({row[PREVIOUS + s.PERIOD_LABEL]}) to {row[RATING]} "
                     f"({row[s.PERIOD_LABEL]}).")
    for row in part.diff.moved_values.to_dict("records"):
        indicator_id = str(row[s.INDICATOR_ID])
        now = f"{value(indicator_id, row[s.VALUE])} ({row[s.PERIOD_LABEL]})"
        was = f"{value(indicator_id, row[PREVIOUS + s.VALUE])} ({row[PREVIOUS + s.PERIOD_LABEL]})"
        kind = str(row[KIND])
        if kind == "new series":
            lines.append(f"{title(indicator_id)}: new series, latest {now}.")
        elif kind == "revised":
            before, after = value(indicator_id, row[PREVIOUS + s.VALUE]), value(indicator_id, row[s.VALUE])
            if before == after:  # revised below the precision shown (e.g. a count rounded differently)
                unseen += 1
                continue
            lines.append(f"{title(indicator_id)}: {row[s.PERIOD_LABEL]} revised from {before} to {after}.")
        elif kind == "latest period withdrawn":
            lines.append(f"{title(indicator_id)}: latest period withdrawn; latest is now {now} (was {was}).")
        else:
            same = row[CHANGE] == 0
            lines.append(f"{title(indicator_id)}: {now}, was {was}{' (no change)' if same else ''}.")
    releases = part.diff.new_releases
    if not releases.empty:
        for released, rows in releases.groupby(s.INDICATOR_ID, sort=True):
            periods = ", ".join(str(p) for p in rows[s.PERIOD_LABEL])
            lines.append(f"{title(str(released))}: new release{'s' if len(rows) > 1 else ''} for {periods}.")
    if unseen:
        lines.append(f"{unseen} more figure{'s were' if unseen > 1 else ' was'} revised by less than the "
                     "precision shown.")
    return lines


# ---- since an agenda was made ---------------------------------------------------------------------

KIND_LABELS = {"value": "latest value", "rating": "rating", "rank": "rank among divisions",
               "projection": "projection", "priority": "priority rank", "drivers": "what drives its priority",
               "stability": "rank stability", "scenario": "scenario result"}


@dataclass(frozen=True)
class FigureChange:
    """One figure of a view that differs between the agenda's snapshot and the current data."""

    key: str
    label: str  # "Claimant count, Tendring: latest value"
    kind: str  # "new period" | "revised" | "changed" | "no longer shown" | "now shown"
    before: Figure | None
    after: Figure | None

    @property
    def sentence(self) -> str:
        """'Claimant count, Tendring: latest value 4.1% (2024/25), was 3.9% (2023/24).'"""
        def shown(figure: Figure) -> str:
            return f"{figure.text} ({figure.period})" if figure.period else figure.text

        if self.before is None and self.after is not None:
            return f"{self.label}: now shown, {shown(self.after)}."
        if self.after is None and self.before is not None:
            return f"{self.label}: no longer available (was {shown(self.before)})."
        assert self.before is not None and self.after is not None
        return f"{self.label}: {shown(self.after)}, was {shown(self.before)}."


@dataclass(frozen=True)
class ViewChanges:
    """What changed in one view (``detailed`` is False when only the figures' digests could be compared)."""

    number: int  # 1-based position in the agenda
    title: str
    changed: bool
    details: tuple[FigureChange, ...]  # empty when the agenda came from a link (no stored figures)
    detailed: bool  # False when only the digest could be compared


@dataclass(frozen=True)
class AgendaChanges:
    """What changed since an agenda was made: the two data versions and each view's changes."""

    same_data: bool
    made_with: str  # the agenda's data stamp
    now: str  # the current data stamp
    views: tuple[ViewChanges, ...]

    @property
    def any_changed(self) -> bool:
        return any(v.changed for v in self.views)

    @property
    def summary(self) -> str:
        """One sentence for the top of committee mode."""
        if self.same_data:
            return f"{self.now}: the same data this agenda was made with, so every figure is as prepared."
        changed = [v for v in self.views if v.changed]
        if not changed:
            return (f"{self.now}. The agenda was made with {self.made_with[0].lower()}{self.made_with[1:]}; "
                    "the data has been updated since, but no figure in these views has changed.")
        return (f"{self.now}. The agenda was made with {self.made_with[0].lower()}{self.made_with[1:]}; "
                f"figures have changed in {len(changed)} of {len(self.views)} views since.")


def figure_label(key: str, names: Mapping[str, str], titles: Mapping[str, str]) -> str:
    """Words for a figure key, from the current names and titles (unknown codes are shown as they are)."""
    parts = key.split(":")
    kind, rest = parts[0], parts[1:]
    what = KIND_LABELS.get(kind, kind)
    if kind in ("value", "rank", "projection") and len(rest) >= 2:
        return f"{titles.get(rest[0], rest[0])}, {names.get(rest[1], rest[1])}: {what}"
    if kind == "rating" and len(rest) >= 3:
        return f"{titles.get(rest[0], rest[0])}, {names.get(rest[1], rest[1])}: rating against " \
               f"{names.get(rest[2], rest[2])}"
    if kind in ("priority", "drivers", "stability") and rest:
        return f"{names.get(rest[0], rest[0])}: {what}"
    if kind == "scenario" and rest:
        return f"Scenario {rest[0]}: {what}"
    return key


def compare_figures(before: Sequence[Figure], after: Sequence[Figure], names: Mapping[str, str],
                    titles: Mapping[str, str]) -> tuple[FigureChange, ...]:
    """The figures that differ between two snapshots of one view, in the order the view shows them."""
    old = {f.key: f for f in before}
    new = {f.key: f for f in after}
    out = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None:
            if a.period == b.period and a.text == b.text and _same(a.value, b.value):
                continue
            kind = "new period" if a.period != b.period else ("revised" if key.startswith("value:") else "changed")
        else:
            kind = "now shown" if a is None else "no longer shown"
        out.append(FigureChange(key, figure_label(key, names, titles), kind, a, b))
    return tuple(out)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.isclose(a, b, rtol=1e-9, atol=1e-12))


def changes_since(agenda: Agenda, context: FigureContext) -> AgendaChanges:
    """What changed in each of an agenda's views between the data it was made with and ``context``'s data."""
    names = context.names
    titles = dict(zip(context.dataset.indicators[s.INDICATOR_ID], context.dataset.indicators[s.SHORT_TITLE],
                      strict=True))
    same = agenda.version.same_data(context.version)
    views = []
    for number, view in enumerate(agenda.views, start=1):
        current = view_figures(view, context)
        if view.figures:
            details = compare_figures(view.figures, current, names, titles)
            views.append(ViewChanges(number, view.title, bool(details), details, True))
        else:
            changed = bool(view.digest) and view.digest != figures_digest(current)
            views.append(ViewChanges(number, view.title, changed, (), False))
    return AgendaChanges(same, agenda.version.stamp, context.version.stamp, tuple(views))
