"""Attacks on published small-area figures, as a sceptical analyst would try them (CONVENTIONS D5).

Each attack starts from the published columns of the cells under a ``small_counts`` rule (value, numerator,
denominator, interval, flag) and, to be conservative, also knows the exact denominators (Census totals are
public) and which hidden cells are primary (1-7). The true counts are used only to score an attack:

* `product_attack` - value x denominator / m (m = 100, 1,000, 100,000), with the published and the exact
  denominator: an integer that is not the published rounded count is taken to be the true count;
* `interval_attack` - the one count whose Wilson 95% interval, with that denominator, gives the published limits;
* `identity_ranges` - what the identities between cells (a total is the sum of its LSOAs; owners + private
  renters + social renters <= households) say about each count, from what the attacks above learned, by
  interval propagation; `exact_hidden_ranges` does the same for hidden cells with an integer program (HiGHS),
  the strongest attacker;
* `pair_sums` - groups with two or more hidden cells whose hidden sum is known exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from insight import schema as s
from insight.disclosure import (
    HALF_SPAN,
    CellState,
    Constraints,
    combine,
    complement_constraints,
    feasible_ranges,
    sum_constraints,
    unprotected,
)
from insight.stats import SMALL_COUNT_MAX, wilson_interval

MULTIPLIERS = (100, 1_000, 100_000)
INTEGER_TOLERANCE = 1e-6
INTERVAL_TOLERANCE = 1e-7  # percentage points


@dataclass(frozen=True)
class Cells:
    """Published cells of ruled indicators joined with the truth used to score attacks (one row per cell)."""

    frame: pd.DataFrame  # observation columns + true_count, true_denominator; RangeIndex = cell id

    @property
    def hidden(self) -> np.ndarray:
        return (self.frame[s.FLAG].astype(str) == s.Flag.SUPPRESSED.value).to_numpy()

    @property
    def primary(self) -> np.ndarray:
        true = self.frame["true_count"].to_numpy()
        return self.hidden & (true >= 1) & (true <= SMALL_COUNT_MAX)

    @property
    def rounded(self) -> np.ndarray:
        """Published counts the rule rounded (the true count differs from the published one)."""
        published = self.frame[s.NUMERATOR].to_numpy()
        return ~self.hidden & (published != self.frame["true_count"].to_numpy())


def ruled_cells(observations: pd.DataFrame, indicators: pd.DataFrame, truth: pd.DataFrame) -> Cells:
    """The cells of `small_counts` indicators with their true count and denominator.

    `truth` has area_code, indicator_id, period_start, true_count and true_denominator.
    """
    rules = indicators.set_index(s.INDICATOR_ID)[s.DISCLOSURE_RULE]
    ruled = observations[observations[s.INDICATOR_ID].map(rules) == s.DISCLOSURE_SMALL_COUNTS]
    frame = ruled.merge(truth, on=[s.AREA_CODE, s.INDICATOR_ID, s.PERIOD_START], how="left", validate="1:1")
    if frame["true_count"].isna().any():
        raise ValueError("some published cells have no true count to score attacks against")
    return Cells(frame.reset_index(drop=True))


def product_attack(cells: Cells, multipliers: Sequence[int] = MULTIPLIERS,
                   denominator_column: str = s.DENOMINATOR) -> np.ndarray:
    """Per cell, the count value x denominator / m gives when it is an integer other than the published
    (rounded) count r yet within its rounding window r-2..r+2, else NaN (`denominator_column`: the published
    denominator, or 'true_denominator' for the exact one)."""
    frame = cells.frame
    value = frame[s.VALUE].to_numpy(dtype=float)
    published = frame[s.NUMERATOR].to_numpy(dtype=float)
    found = np.full(len(frame), np.nan)
    denominator = frame[denominator_column].to_numpy(dtype=float)
    for m in multipliers:
        with np.errstate(invalid="ignore"):
            guess = np.round(value * denominator / m, 9)
        integral = np.abs(guess - np.round(guess)) < INTEGER_TOLERANCE
        close = np.abs(np.round(guess) - published) <= HALF_SPAN
        new = integral & close & (np.round(guess) != published) & np.isnan(found)
        found[new] = np.round(guess[new])
    return found


def interval_attack(cells: Cells) -> np.ndarray:
    """Per cell, the count within 2 of the published (rounded) count whose Wilson 95% interval with the
    published or the exact denominator matches the published limits, when exactly one other than the
    published count matches; else NaN."""
    frame = cells.frame
    published = frame[s.NUMERATOR].to_numpy(dtype=float)
    lower, upper = frame[s.LOWER_95].to_numpy(dtype=float), frame[s.UPPER_95].to_numpy(dtype=float)
    found = np.full(len(frame), np.nan)
    usable = ~np.isnan(published) & ~np.isnan(lower)
    for denominator in (frame[s.DENOMINATOR].to_numpy(dtype=float), frame["true_denominator"].to_numpy(dtype=float)):
        matches = np.zeros(len(frame), dtype=int)
        match_value = np.full(len(frame), np.nan)
        ok = usable & (denominator > 0)
        for shift in range(-HALF_SPAN, HALF_SPAN + 1):
            x = published + shift
            fits = ok & (x >= 0) & (x <= denominator)
            lo, hi = wilson_interval(x[fits], denominator[fits])
            hit = np.zeros(len(frame), dtype=bool)
            hit[fits] = (np.abs(100 * lo - lower[fits]) < INTERVAL_TOLERANCE) & \
                        (np.abs(100 * hi - upper[fits]) < INTERVAL_TOLERANCE)
            hit &= shift != 0
            matches += hit
            match_value[hit] = x[hit]
        new = (matches == 1) & np.isnan(found)
        found[new] = match_value[new]
    return found


def recovered(cells: Cells, guesses: np.ndarray) -> np.ndarray:
    """Cells whose true count an attack found, where the rule had rounded or hidden it."""
    return ~np.isnan(guesses) & (guesses == cells.frame["true_count"].to_numpy()) & (cells.rounded | cells.hidden)


def starting_bounds(cells: Cells, known: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """What the published figures say about each true count: rounded r -> [r-2, r+2] (at least 8), 0 -> [0, 0],
    primary hidden -> [1, 7], other hidden -> [0, denominator]; counts in `known` (from the attacks above,
    NaN where nothing was learned) are taken as exact."""
    frame = cells.frame
    published = frame[s.NUMERATOR].to_numpy(dtype=float)
    denominator = frame["true_denominator"].to_numpy(dtype=float)
    lo = np.where(published == 0, 0.0, np.maximum(published - HALF_SPAN, SMALL_COUNT_MAX + 1))
    hi = published + np.where(published == 0, 0, HALF_SPAN)
    lo = np.where(cells.hidden, np.where(cells.primary, 1.0, 0.0), lo)
    hi = np.where(cells.hidden, np.where(cells.primary, np.minimum(SMALL_COUNT_MAX, denominator), denominator), hi)
    if known is not None:
        lo = np.where(np.isnan(known), lo, known)
        hi = np.where(np.isnan(known), hi, known)
    return lo.astype(np.int64), hi.astype(np.int64)


def identities(cells: Cells, edges: pd.DataFrame | None, complements: Sequence[Sequence[str]]) -> Constraints:
    """The sums in `edges` and the category sets in `complements`, between these cells."""
    parts = [complement_constraints(cells.frame, cells.frame["true_denominator"].to_numpy(dtype=float), complements)]
    if edges is not None:
        parts.append(sum_constraints(cells.frame, edges))
    return combine(*parts)


def identity_ranges(cells: Cells, constraints: Constraints,
                    known: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each count's feasible range under the identities, by interval propagation."""
    return feasible_ranges(*starting_bounds(cells, known), constraints)


def narrowed(cells: Cells, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Hidden cells narrowed beyond the rule (a primary cell no longer 1..7; a secondary one known better than
    rounding to 5 would), or rebuilt exactly."""
    states = np.where(cells.primary, CellState.PRIMARY, np.where(cells.hidden, CellState.SECONDARY, CellState.ROUNDED))
    denominators = cells.frame["true_denominator"].to_numpy(dtype=float)
    return cells.hidden & (unprotected(states, lo, hi, denominators) | (lo == hi))


def pinned(cells: Cells, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Rounded cells whose true count the ranges pin down exactly."""
    return cells.rounded & (lo == hi)


def pair_sums(cells: Cells, constraints: Constraints, lo: np.ndarray, hi: np.ndarray) -> int:
    """Number of identities holding two or more hidden cells whose hidden sum is known exactly."""
    hidden = cells.hidden[constraints.cell]
    entry_lo = np.where(constraints.coef > 0, lo[constraints.cell], -hi[constraints.cell])
    entry_hi = np.where(constraints.coef > 0, hi[constraints.cell], -lo[constraints.cell])
    n = constraints.n_rows
    n_hidden = np.bincount(constraints.row, weights=hidden, minlength=n)
    # the hidden part of each row lies in [low - sum of the others' highs, high - sum of the others' lows]
    shown_lo = np.bincount(constraints.row, weights=np.where(hidden, 0, entry_lo), minlength=n)
    shown_hi = np.bincount(constraints.row, weights=np.where(hidden, 0, entry_hi), minlength=n)
    width = (constraints.high - shown_lo) - (constraints.low - shown_hi)
    return int(((n_hidden >= 2) & (width == 0)).sum())


def _feasible_groups(solve: Any, positions: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which cells can take their value (each on its own), testing them together and splitting a group only
    when it cannot all hold at once (a solution for a group is a solution for each of its cells)."""
    if len(positions) == 0:
        return np.zeros(0, dtype=bool)
    if solve(positions, values):
        return np.ones(len(positions), dtype=bool)
    if len(positions) == 1:
        return np.zeros(1, dtype=bool)
    half = len(positions) // 2
    return np.concatenate([_feasible_groups(solve, positions[:half], values[:half]),
                           _feasible_groups(solve, positions[half:], values[half:])])


def exact_hidden_ranges(cells: Cells, constraints: Constraints,
                        known: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of every hidden cell's true count over all integer solutions of the identities (HiGHS MILP,
    solved per linked block of cells), NaN for published cells."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    lo, hi = starting_bounds(cells, known)
    n = len(lo)
    matrix = coo_matrix((constraints.coef.astype(float), (constraints.row, constraints.cell)),
                        shape=(constraints.n_rows, n)).tocsr()
    link = coo_matrix((np.ones(len(constraints.cell)), (constraints.row + n, constraints.cell)),
                      shape=(n + constraints.n_rows, n + constraints.n_rows))
    _, block = connected_components(link + link.T, directed=False)
    out_lo, out_hi = np.full(n, np.nan), np.full(n, np.nan)
    for label in np.unique(block[:n][cells.hidden]):
        members = np.flatnonzero(block[:n] == label)
        rows = np.unique(constraints.row[np.isin(constraints.cell, members)])
        sub = matrix[rows][:, members]
        limits = LinearConstraint(sub, constraints.low[rows], constraints.high[rows])
        bounds = Bounds(lo[members].astype(float), hi[members].astype(float))

        def solve(positions: np.ndarray, values: np.ndarray, bounds: Any = bounds, limits: Any = limits) -> bool:
            """Whether some integer solution has the cells at `positions` equal to `values` all at once."""
            lower, upper = bounds.lb.copy(), bounds.ub.copy()
            lower[positions] = upper[positions] = values
            result = milp(np.zeros(len(lower)), constraints=limits, bounds=Bounds(lower, upper),
                          integrality=np.ones(len(lower), dtype=int))
            return bool(result.status == 0)

        hidden = np.flatnonzero(cells.hidden[members])
        primary = hidden[cells.primary[members[hidden]]]
        tops = np.minimum(SMALL_COUNT_MAX, cells.frame["true_denominator"].to_numpy()[members[primary]]).astype(int)
        # a primary cell that can sit at 1 (and at the top of 1..7) needs no optimisation: test them in groups
        at_low = _feasible_groups(solve, primary, np.ones(len(primary), dtype=int))
        at_top = _feasible_groups(solve, primary, tops)
        out_lo[members[primary[at_low]]] = 1
        out_hi[members[primary[at_top]]] = tops[at_top]
        for position in hidden:
            for sign in (1.0, -1.0):
                target = out_lo if sign > 0 else out_hi
                if not np.isnan(target[members[position]]):
                    continue
                objective = np.zeros(len(members))
                objective[position] = sign
                result = milp(objective, constraints=limits, bounds=bounds, integrality=np.ones(len(members), dtype=int))
                if result.status != 0:
                    raise RuntimeError(f"integer program failed for cell {members[position]}: {result.message}")
                target[members[position]] = round(sign * result.fun)
    return out_lo, out_hi
