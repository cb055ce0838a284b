"""Disclosure control of small-area counts, applied in the build (CONVENTIONS D1-D5).

For every indicator whose rule is ``small_counts``:

1. **Primary suppression and rounding.** A count of 1-7 is suppressed; 0 stays 0 (D3); every other count,
   and every denominator, is rounded to the nearest 5.
2. **Published figures come from the rounded counts.** The value is 100 x rounded count / rounded
   denominator and its Wilson 95% interval is computed from the same rounded counts, so value x
   denominator / 100 (or an interval's limits) gives back only the rounded count, never the true one (D5).
3. **Secondary suppression.** The published cells are linked by identities an attacker can use: an area's
   total is the sum of its parts (LSOAs -> division, district and county; divisions and districts -> county)
   and categories of one table share a denominator (owners + private renters + social renters <= households).
   From what is published (rounded counts, zeros, which cells are hidden) plus the exact denominators
   (Census totals are public), `feasible_ranges` works out the range each true count can take, by
   propagating every identity to a fixed point. Where a hidden cell's range no longer covers 1-7, a
   secondary cell's range is narrower than rounding to 5 would leave, or a rounded count is pinned to one
   value, the smallest published partner in the identity that narrows it is suppressed too, and the check is
   repeated until nothing is narrowed.

The attacker is assumed to know which hidden cells are primary (1-7), which is more than the data says.
`insight.disclosure_audit` (and tests/unit/test_disclosure_attacks.py) checks the result with an integer
program over every identity at once, which is stronger than propagation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import pandas as pd

from insight import schema as s
from insight.stats import ROUND_BASE, SMALL_COUNT_MAX, round_to_base, wilson_interval

ROUNDING_SPAN = ROUND_BASE - 1  # a count rounded to 5 is one of 5 integers: r-2 .. r+2 (width 4)
HALF_SPAN = ROUND_BASE // 2
NO_DENOMINATOR_BOUND = 10.0**12  # the upper bound of a hidden count that has no denominator
MAX_ROUNDS = 200  # secondary-suppression rounds before giving up (each hides at least one more cell)


class CellState(IntEnum):
    """How one count is published."""

    ZERO = 0  # a true zero, shown as 0
    ROUNDED = 1  # rounded to the nearest 5
    PRIMARY = 2  # 1-7: suppressed
    SECONDARY = 3  # suppressed so that a primary cell cannot be rebuilt or narrowed


@dataclass(frozen=True)
class Constraints:
    """Linear identities between true counts: for each row k, sum_j coef[k, j] x_j lies in [low[k], high[k]].

    Stored as coordinate triples (row, cell, coef) so that propagation is vectorised.
    """

    row: np.ndarray
    cell: np.ndarray
    coef: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def n_rows(self) -> int:
        return len(self.low)


def primary_states(counts: np.ndarray) -> np.ndarray:
    """ZERO, ROUNDED or PRIMARY for each true count, before any secondary suppression."""
    states = np.full(counts.shape, CellState.ROUNDED, dtype=int)
    states[counts == 0] = CellState.ZERO
    states[(counts >= 1) & (counts <= SMALL_COUNT_MAX)] = CellState.PRIMARY
    return states


def attacker_bounds(states: np.ndarray, counts: np.ndarray, denominators: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What the published figures alone say about each true count, as integer [low, high].

    Zero: [0, 0]. Rounded r: [r-2, r+2]. Primary: [1, 7]. Secondary: [0, denominator].
    """
    published = round_to_base(counts)
    lo = np.where(states == CellState.ROUNDED, published - HALF_SPAN, 0.0)
    hi = np.where(states == CellState.ROUNDED, published + HALF_SPAN, 0.0)
    lo = np.where(states == CellState.PRIMARY, 1.0, lo)
    hi = np.where(states == CellState.PRIMARY, float(SMALL_COUNT_MAX), hi)
    hi = np.where(states == CellState.SECONDARY, denominators, hi)
    return lo.astype(np.int64), np.minimum(hi, denominators).astype(np.int64)


def _entry_bounds(lo: np.ndarray, hi: np.ndarray, c: Constraints) -> tuple[np.ndarray, np.ndarray]:
    """For each (row, cell) entry, the bounds of that cell implied by its row and the others' bounds."""
    entry_lo = np.where(c.coef > 0, lo[c.cell], -hi[c.cell])  # bounds of coef * x
    entry_hi = np.where(c.coef > 0, hi[c.cell], -lo[c.cell])
    sum_lo = np.bincount(c.row, weights=entry_lo, minlength=c.n_rows)
    sum_hi = np.bincount(c.row, weights=entry_hi, minlength=c.n_rows)
    term_lo = c.low[c.row] - (sum_hi[c.row] - entry_hi)  # bounds of coef * x_j from the row
    term_hi = c.high[c.row] - (sum_lo[c.row] - entry_lo)
    implied_lo = np.where(c.coef > 0, term_lo, -term_hi)
    implied_hi = np.where(c.coef > 0, term_hi, -term_lo)
    return np.ceil(implied_lo - 1e-9).astype(np.int64), np.floor(implied_hi + 1e-9).astype(np.int64)


def feasible_ranges(lo: np.ndarray, hi: np.ndarray, constraints: Constraints,
                    max_sweeps: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Tighten integer bounds through every identity until nothing changes (interval propagation)."""
    lo, hi = lo.astype(np.int64).copy(), hi.astype(np.int64).copy()
    if constraints.n_rows == 0:
        return lo, hi
    for _ in range(max_sweeps):
        implied_lo, implied_hi = _entry_bounds(lo, hi, constraints)
        new_lo, new_hi = lo.copy(), hi.copy()
        np.maximum.at(new_lo, constraints.cell, implied_lo)
        np.minimum.at(new_hi, constraints.cell, implied_hi)
        if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
            return lo, hi
        lo, hi = new_lo, new_hi
    raise RuntimeError(f"bound propagation did not settle in {max_sweeps} sweeps")


def unprotected(states: np.ndarray, lo: np.ndarray, hi: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """Cells an attacker can narrow beyond the rule.

    A primary cell must still be able to take every value 1..7 (or up to its denominator, if smaller);
    a secondary cell must keep at least the uncertainty rounding to 5 would leave; a rounded cell must not be
    pinned to one value.
    """
    top = np.minimum(SMALL_COUNT_MAX, denominators)
    primary = (states == CellState.PRIMARY) & ((lo > 1) | (hi < top))
    secondary = (states == CellState.SECONDARY) & (hi - lo < np.minimum(ROUNDING_SPAN, denominators))
    rounded = (states == CellState.ROUNDED) & (hi <= lo)
    return primary | secondary | rounded


def _partner(cell: int, row: int, c: Constraints, states: np.ndarray, published: np.ndarray) -> int | None:
    """The published cell to hide next for `cell` in identity `row`: the smallest rounded cell on the same side
    (a sibling LSOA, another category), else the smallest on the other side."""
    in_row = c.row == row
    members, coefs = c.cell[in_row], c.coef[in_row]
    own = coefs[members == cell][0]
    for same_side in (True, False):
        pick = (members != cell) & ((coefs == own) == same_side) & (states[members] == CellState.ROUNDED)
        if pick.any():
            candidates = members[pick]
            return int(candidates[np.lexsort((candidates, published[candidates]))][0])
    return None


def secondary_suppression(counts: np.ndarray, denominators: np.ndarray, constraints: Constraints) -> np.ndarray:
    """Cell states after primary and secondary suppression: no identity narrows a hidden cell beyond the rule."""
    states = primary_states(counts)
    published = round_to_base(counts)
    for _ in range(MAX_ROUNDS):
        lo, hi = feasible_ranges(*attacker_bounds(states, counts, denominators), constraints)
        failing = np.flatnonzero(unprotected(states, lo, hi, denominators))
        if failing.size == 0:
            return states
        implied_lo, implied_hi = _entry_bounds(lo, hi, constraints)
        hidden: set[int] = set()
        touched: set[int] = set()  # identities given a new hidden cell this round: re-checked next round
        for cell in failing.tolist():
            entries = np.flatnonzero(constraints.cell == cell)
            one = np.full(len(entries), cell)
            culprits = entries[unprotected(states[one], implied_lo[entries], implied_hi[entries], denominators[one])]
            if any(int(constraints.row[e]) in touched for e in culprits) or cell in hidden:
                continue
            for entry in [*culprits, *entries]:
                row = int(constraints.row[entry])
                partner = _partner(cell, row, constraints, states, published)
                if partner is not None and partner not in hidden:
                    hidden.add(partner)
                    touched.update(constraints.row[constraints.cell == partner].tolist())
                    break
        if not hidden:
            raise RuntimeError(f"cells {failing[:5].tolist()} cannot be protected: no published partner left")
        states[list(hidden)] = CellState.SECONDARY
    raise RuntimeError(f"secondary suppression did not finish in {MAX_ROUNDS} rounds")


# ---- identities between the cells of the observations table ------------------------------------------
def _keyed(cells: pd.DataFrame) -> pd.DataFrame:
    return cells[[s.INDICATOR_ID, s.PERIOD_START, s.AREA_CODE]].assign(cell=np.arange(len(cells)))


def sum_constraints(cells: pd.DataFrame, edges: pd.DataFrame) -> Constraints:
    """parent - sum(children) = 0 for every (indicator, period, hierarchy, parent) whose cells exist.

    `cells` has area_code, indicator_id and period_start (cell id = row position); `edges` has child, parent
    and hierarchy (e.g. 'lsoa->division').
    """
    keyed = _keyed(cells)
    series = keyed[[s.INDICATOR_ID, s.PERIOD_START]].drop_duplicates()
    linked = (series.merge(edges, how="cross")
              .merge(keyed.rename(columns={s.AREA_CODE: "child", "cell": "child_cell"}))
              .merge(keyed.rename(columns={s.AREA_CODE: "parent", "cell": "parent_cell"})))
    key = [s.INDICATOR_ID, s.PERIOD_START, "hierarchy", "parent"]
    linked = linked.sort_values([*key, "child"], kind="mergesort")
    row = linked.groupby(key, sort=False).ngroup().to_numpy()
    parents = linked.drop_duplicates(key)
    n_rows = len(parents)
    return Constraints(
        row=np.concatenate([np.arange(n_rows), row]),
        cell=np.concatenate([parents["parent_cell"].to_numpy(), linked["child_cell"].to_numpy()]).astype(np.int64),
        coef=np.concatenate([np.ones(n_rows), -np.ones(len(linked))]).astype(np.int64),
        low=np.zeros(n_rows), high=np.zeros(n_rows))


def complement_constraints(cells: pd.DataFrame, denominators: np.ndarray,
                           sets: Sequence[Sequence[str]]) -> Constraints:
    """sum(categories) <= their shared denominator, per area and period, for each set of indicators that are
    categories of one table (e.g. owners, private renters and social renters of all households)."""
    keyed = _keyed(cells).assign(denominator=denominators)
    parts = []
    for number, indicator_set in enumerate(sets):
        part = keyed[keyed[s.INDICATOR_ID].isin(list(indicator_set))].assign(set_number=number)
        parts.append(part[part.groupby([s.AREA_CODE, s.PERIOD_START])["cell"].transform("size") > 1])
    members = pd.concat(parts, ignore_index=True) if parts else keyed.iloc[:0].assign(set_number=0)
    key = ["set_number", s.AREA_CODE, s.PERIOD_START]
    members = members.sort_values([*key, "cell"], kind="mergesort")
    shared = members.groupby(key, sort=False)["denominator"].agg(["min", "max"])
    if (shared["min"] != shared["max"]).any():
        bad = shared[shared["min"] != shared["max"]].index[0]
        raise ValueError(f"the categories of set {bad[0]} do not share a denominator in {bad[1]}")
    return Constraints(row=members.groupby(key, sort=False).ngroup().to_numpy(),
                       cell=members["cell"].to_numpy(dtype=np.int64), coef=np.ones(len(members), dtype=np.int64),
                       low=np.zeros(len(shared)), high=shared["max"].to_numpy(dtype=float))


def combine(*parts: Constraints) -> Constraints:
    """One set of identities from several (row numbers shifted)."""
    offsets = np.cumsum([0, *[p.n_rows for p in parts]])[:-1]
    return Constraints(row=np.concatenate([p.row + o for p, o in zip(parts, offsets, strict=True)]),
                       cell=np.concatenate([p.cell for p in parts]), coef=np.concatenate([p.coef for p in parts]),
                       low=np.concatenate([p.low for p in parts]), high=np.concatenate([p.high for p in parts]))


# ---- the build step ------------------------------------------------------------------------------------
def apply_disclosure_rules(observations: pd.DataFrame, indicators: pd.DataFrame, edges: pd.DataFrame | None = None,
                           complements: Sequence[Sequence[str]] = ()) -> pd.DataFrame:
    """Observations with every `small_counts` rule applied: published from rounded counts, with secondary
    suppression against the sums in `edges` (child, parent, hierarchy) and the category sets in `complements`.

    Rows of ruled indicators must carry their true numerator and denominator (proportions) or their true count
    as the value (counts without a denominator).
    """
    rules = indicators.set_index(s.INDICATOR_ID)[s.DISCLOSURE_RULE]
    ruled = observations[s.INDICATOR_ID].map(rules).fillna(s.DISCLOSURE_NONE) == s.DISCLOSURE_SMALL_COUNTS
    if not ruled.any():
        return observations
    value_types = indicators.set_index(s.INDICATOR_ID)[s.VALUE_TYPE]
    cells = observations[ruled].reset_index()
    kinds = cells[s.INDICATOR_ID].map(value_types).astype(str)
    unsupported = sorted(set(cells.loc[~kinds.isin([s.ValueType.PROPORTION, s.ValueType.COUNT]), s.INDICATOR_ID]))
    if unsupported:
        raise ValueError(f"small_counts rule for {', '.join(unsupported)}: only proportions (numerator and "
                         "denominator) and counts can be published from rounded counts")
    is_count = (kinds == s.ValueType.COUNT).to_numpy()
    counts = np.where(is_count, cells[s.VALUE], cells[s.NUMERATOR]).astype(float)
    if np.isnan(counts).any():
        raise ValueError("rows under a small_counts rule need their true count (numerator, or value for counts)")
    denominators = cells[s.DENOMINATOR].to_numpy(dtype=float)
    bound = np.where(is_count | np.isnan(denominators), NO_DENOMINATOR_BOUND, denominators)
    identities = [complement_constraints(cells, bound, complements)]
    if edges is not None:
        identities.append(sum_constraints(cells, edges))
    states = secondary_suppression(counts, bound, combine(*identities))
    published = _published(cells, states, counts, denominators, is_count)
    out = observations.copy()
    out.loc[cells["index"].to_numpy(), published.columns] = published.to_numpy()
    out[s.FLAG] = out[s.FLAG].astype(str)
    return out


def _published(cells: pd.DataFrame, states: np.ndarray, counts: np.ndarray, denominators: np.ndarray,
               is_count: np.ndarray) -> pd.DataFrame:
    """The figures that leave the build: rounded counts and denominators, values and intervals from them."""
    hidden = np.isin(states, [CellState.PRIMARY, CellState.SECONDARY])
    numerator = np.where(hidden, np.nan, round_to_base(counts))
    small_denominator = (denominators >= 1) & (denominators <= SMALL_COUNT_MAX)
    denominator = np.where(small_denominator, np.nan, round_to_base(denominators))
    usable = ~hidden & ~is_count & (denominator > 0)
    value = np.where(is_count, numerator, np.nan)
    lower = np.full(len(cells), np.nan)
    upper = np.full(len(cells), np.nan)
    value[usable] = 100 * numerator[usable] / denominator[usable]
    lo, hi = wilson_interval(numerator[usable], denominator[usable])
    lower[usable], upper[usable] = 100 * lo, 100 * hi
    flag = np.where(hidden, s.Flag.SUPPRESSED.value, cells[s.FLAG].astype(str))
    return pd.DataFrame({s.VALUE: value, s.NUMERATOR: np.where(is_count, np.nan, numerator),
                         s.DENOMINATOR: denominator, s.LOWER_95: lower, s.UPPER_95: upper, s.FLAG: flag})
