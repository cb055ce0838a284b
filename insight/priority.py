"""A transparent, adjustable priority index over areas (divisions by default).

The index is a weighted mean of normalised indicators, each oriented so that a higher
normalised value means more need:

* ``zscore`` – ``(x - mean) / sd`` over the areas that have a value (population sd, ddof=0:
  the 70 divisions are the whole population, not a sample). 0 is the Essex average.
* ``rank`` – percentile rank ``(rank - 1) / (n - 1)`` in [0, 1], ties sharing their mean rank.
* ``minmax`` – ``(x - min) / (max - min)`` in [0, 1].

Polarity: ``HIGHER_IS_WORSE`` keeps the direction (more unemployment, more need);
``HIGHER_IS_BETTER`` flips it (more income, less need); ``NEITHER`` has no direction of need, so
such an indicator is **excluded** from the index and listed in ``PriorityResult.excluded``.

Rules that decide numbers (documented here and in the model card):

* Weights are non-negative and normalised to sum to 1, so the score is a weighted mean.
* An indicator with no spread (every area equal, or fewer than two values) normalises to 0 for
  every area: it carries no information and contributes nothing.
* **Missing and suppressed values are never imputed** (CONVENTIONS D5). An area without a value for a
  weighted indicator (a suppressed small count, or no data) is scored on the indicators it has, with
  their weights rescaled to sum to 1 for that area, and flagged (``MISSING``, ``SUPPRESSED``,
  ``WEIGHT_USED`` = the share of the chosen weight its score rests on). An area whose values carry
  less than ``MIN_WEIGHT_USED`` (half) of the weight is **not ranked**: no score, no rank, class
  ``NOT_RANKED``. Normalisation uses only the areas that have a value.
* Contribution of indicator i to area a = (weight_i / weight of the indicators a has) × normalised_ai,
  missing where a has no value; the score is the sum of the contributions (exactly: it is computed as
  that sum).
* Rank 1 is the highest priority; ties share the best rank ("min" ranking); only ranked areas count.
* Drivers: up to three indicators with the largest positive weighted deviation from the average
  normalised value, i.e. the indicators pushing the area's score up relative to Essex.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

import numpy as np
import pandas as pd

from insight.errors import InsightError, UnknownIndicatorError
from insight.schema import AREA_CODE, Polarity, Status
from insight.schema import INDICATOR_ID as INDICATOR_ID_COLUMN
from insight.schema import LEVELS as LEVELS_COLUMN
from insight.schema import POLARITY as POLARITY_COLUMN
from insight.schema import STATUS as STATUS_COLUMN

Method = Literal["zscore", "rank", "minmax"]
METHODS: tuple[Method, ...] = ("zscore", "rank", "minmax")
METHOD_LABELS: dict[str, str] = {
    "zscore": "z-score (distance from the Essex average in standard deviations)",
    "rank": "rank (percentile position among areas, 0 to 1)",
    "minmax": "min–max (0 = lowest area, 1 = highest area)",
}

# ---- output columns ---------------------------------------------------------------------------
SCORE = "score"
RANK = "rank"
DRIVERS = "drivers"  # ";"-joined indicator ids, strongest first
MISSING = "missing_indicators"  # ";"-joined ids of weighted indicators the area has no value for
SUPPRESSED = "suppressed_indicators"  # the subset of MISSING that is suppressed (disclosure control)
HAS_MISSING = "has_missing"
WEIGHT_USED = "weight_used"  # share (0-1) of the chosen weight carried by the indicators the area has
RANKED = "ranked"
MIN_WEIGHT_USED = 0.5  # below this share of the weight an area is not ranked
PRIORITY_CLASS = "priority_class"
CONTRIBUTION_PREFIX = "contribution: "
IN_TOP_N_SHARE = "in_top_n_share"
MEDIAN_RANK = "median_rank"
RANK_P05 = "rank_p05"
RANK_P95 = "rank_p95"

MAX_DRIVERS = 3

# ---- classes and palette -----------------------------------------------------------------------
CLASS_NAMES: tuple[str, ...] = (
    "Highest priority",
    "High priority",
    "Middle priority",
    "Low priority",
    "Lowest priority",
)
# Sequential, colour-blind-safe (sampled from matplotlib's "magma", a perceptually uniform map
# designed to read for deuteranopia/protanopia/tritanopia and in greyscale), highest priority first.
# Colours were picked at equal steps of relative luminance: adjacent classes differ by about
# 2.0:1 (WCAG contrast ratio). With five classes, 3:1 between neighbours is impossible (it would
# need 81:1 end to end; the most any two colours reach is 21:1), so classes are never told apart
# by colour alone: the class name is in the legend, tooltip and table.
CLASS_COLOURS: tuple[str, ...] = ("#1a1042", "#7b2382", "#d3436e", "#fd9668", "#fcf9bb")
NOT_RANKED = "Not ranked"  # the class of an area without enough values (e.g. its measure is suppressed)
NOT_RANKED_COLOUR = "#A3A3A3"  # neutral grey, never a colour of need; always drawn with its word (A2)


class PriorityError(InsightError):
    """The priority index cannot be computed from these inputs; the message says why."""


@dataclass(frozen=True)
class PriorityResult:
    """A scored index.

    ``table`` is indexed by area code with SCORE, RANK (nullable Int64: missing when not ranked), RANKED,
    PRIORITY_CLASS, DRIVERS, MISSING, SUPPRESSED, HAS_MISSING and WEIGHT_USED; ``contributions`` and
    ``normalised`` are area × indicator frames (weighted and unweighted, NaN where the area has no value);
    ``weights`` are the normalised weights chosen (summing to 1; an area with gaps rescales its own).
    """

    table: pd.DataFrame
    contributions: pd.DataFrame
    normalised: pd.DataFrame
    weights: dict[str, float]
    method: Method
    excluded: tuple[str, ...] = field(default=())

    def area_row(self, area_code: str) -> pd.Series:
        """One area's row of ``table``."""
        return cast(pd.Series, self.table.loc[area_code])

    def contributions_of(self, area_code: str) -> pd.Series:
        """One area's weighted contribution per indicator (indexed by indicator id; NaN where it has no value)."""
        return cast(pd.Series, self.contributions.loc[area_code])

    def to_frame(self) -> pd.DataFrame:
        """The table with one ``contribution: <id>`` column per indicator, ranked order."""
        contrib = self.contributions.add_prefix(CONTRIBUTION_PREFIX)
        return self.table.join(contrib).sort_values([RANK, SCORE], ascending=[True, False])


# ---- weights ------------------------------------------------------------------------------------
def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Scale non-negative weights to sum to 1, keeping their order and zeros."""
    if not weights:
        raise PriorityError("No indicators were given weights: choose at least one indicator.")
    for key, value in weights.items():
        if not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise PriorityError(f"Weight for '{key}' must be a finite number (found {value!r}).")
        if value < 0:
            raise PriorityError(f"Weight for '{key}' must be 0 or more (found {value!r}).")
    total = float(sum(weights.values()))
    if total <= 0:
        raise PriorityError("All weights are zero: give at least one indicator a weight above 0.")
    return {key: float(value) / total for key, value in weights.items()}


# ---- normalisation --------------------------------------------------------------------------------
def _check_frame(frame: pd.DataFrame, columns: list[str]) -> None:
    if frame.empty:
        raise PriorityError("The indicator frame has no rows: there are no areas to score.")
    if not frame.index.is_unique:
        dupes = sorted(set(frame.index[frame.index.duplicated()].astype(str)))
        raise PriorityError(f"Area codes repeat in the indicator frame: {', '.join(dupes[:5])}.")
    for column in columns:
        if column not in frame.columns:
            raise UnknownIndicatorError(column)
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise PriorityError(f"Indicator '{column}' is not numeric (dtype {frame[column].dtype}).")
        if np.isinf(frame[column].to_numpy(dtype=float)).any():
            raise PriorityError(f"Found infinity in column '{column}'.")


def _normalise_column(values: np.ndarray, method: Method) -> np.ndarray:
    present = ~np.isnan(values)
    out = np.full(values.shape, np.nan)
    kept = values[present]
    if kept.size < 2 or np.all(kept == kept[0]):
        out[present] = 0.0
        return out
    if method == "zscore":
        out[present] = (kept - kept.mean()) / kept.std(ddof=0)
    elif method == "rank":
        from scipy.stats import rankdata  # scipy.stats takes ~1 s to import: only when ranks are needed

        out[present] = (rankdata(kept, method="average") - 1.0) / (kept.size - 1.0)
    else:
        out[present] = (kept - kept.min()) / (kept.max() - kept.min())
    return out


def normalise(frame: pd.DataFrame, method: Method, polarity: Mapping[str, Polarity]) -> pd.DataFrame:
    """Normalise each indicator with a direction of need so that higher = more need.

    Returns one column per indicator in ``frame`` whose polarity is not NEITHER (those are left out);
    missing values stay NaN. Raises ``UnknownIndicatorError`` for a column with no polarity.
    """
    if method not in METHODS:
        raise PriorityError(f"Unknown normalisation '{method}': use one of {', '.join(METHODS)}.")
    columns = [str(c) for c in frame.columns]
    _check_frame(frame, columns)
    out: dict[str, np.ndarray] = {}
    for column in columns:
        if column not in polarity:
            raise UnknownIndicatorError(column)
        direction = Polarity(polarity[column])
        if direction is Polarity.NEITHER:
            continue
        values = frame[column].to_numpy(dtype=float)
        if direction is Polarity.HIGHER_IS_BETTER:
            values = -values
        out[column] = _normalise_column(values, method)
    return pd.DataFrame(out, index=frame.index, columns=list(out), dtype=float)


# ---- scoring ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Prepared:
    ids: list[str]  # indicators with a direction (NEITHER removed), in weights' order
    weights: np.ndarray  # normalised, aligned with ids
    normalised: pd.DataFrame  # NaN kept
    values: np.ndarray  # areas × ids, normalised with NaN replaced by 0 (multiplied by `present` only)
    present: np.ndarray  # areas × ids, 1.0 where the area has a value
    ranked: np.ndarray  # areas: the values it has carry at least MIN_WEIGHT_USED of the weight
    excluded: tuple[str, ...]


def _prepare(
    frame: pd.DataFrame, polarity: Mapping[str, Polarity], weights: Mapping[str, float], method: Method
) -> _Prepared:
    for key in weights:
        if key not in frame.columns:
            raise UnknownIndicatorError(key)
        if key not in polarity:
            raise PriorityError(f"Indicator '{key}' has no polarity: say whether higher is worse or better.")
    excluded = tuple(k for k in weights if Polarity(polarity[k]) is Polarity.NEITHER)
    kept = {k: v for k, v in weights.items() if k not in excluded}
    if not kept:
        raise PriorityError(
            "None of the chosen indicators has a direction of need (all are 'neither'): "
            "choose indicators where higher is clearly worse or better."
        )
    norm_weights = normalise_weights(kept)
    ids = list(norm_weights)
    normalised = normalise(frame[ids], method, polarity)
    raw = normalised.to_numpy(dtype=float)
    present = (~np.isnan(raw)).astype(float)
    w = np.array([norm_weights[k] for k in ids])
    ranked = present @ w >= MIN_WEIGHT_USED - 1e-12
    return _Prepared(ids, w, normalised, np.nan_to_num(raw), present, ranked, excluded)


def _scores(prep: _Prepared, weights: np.ndarray) -> np.ndarray:
    """Scores for one or more weight vectors (rows of `weights`), each area's weights rescaled over the
    indicators it has; NaN for areas that are not ranked. Shape: weights rows × areas."""
    weights = np.atleast_2d(weights)
    used = weights @ prep.present.T
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (weights @ (prep.values * prep.present).T) / used
    return np.where(prep.ranked[np.newaxis, :], scores, np.nan)


def _min_rank_descending(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score, ties share the best rank; works along the last axis (no NaN allowed)."""
    from scipy.stats import rankdata  # imported here, not at start-up (the landing page never ranks)

    return rankdata(-scores, method="min", axis=-1).astype(int)


def priority_classes(ranks: pd.Series | np.ndarray, n_classes: int = len(CLASS_NAMES)) -> list[str]:
    """Name each area's class by rank quantile (equal-count classes, quintiles by default)."""
    if n_classes != len(CLASS_NAMES):
        raise PriorityError(f"Class names are defined for {len(CLASS_NAMES)} classes, not {n_classes}.")
    r = np.asarray(ranks, dtype=int)
    n = len(r)
    index = np.minimum(((r - 1) * n_classes) // max(n, 1), n_classes - 1)
    return [CLASS_NAMES[i] for i in index]


def score_priority(
    frame: pd.DataFrame,
    polarity: Mapping[str, Polarity],
    weights: Mapping[str, float],
    method: Method = "zscore",
    suppressed: pd.DataFrame | None = None,
) -> PriorityResult:
    """Score and rank every area (row of ``frame``) on the weighted, normalised indicators.

    ``suppressed`` (optional, same areas × indicators, True where a value is hidden by disclosure control)
    only decides which gaps are reported as suppressed; every gap is treated the same way (never imputed).
    """
    prep = _prepare(frame, polarity, weights, method)
    w = prep.weights
    used_weight = prep.present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        effective = prep.present * w[np.newaxis, :] / used_weight[:, np.newaxis]
    effective = np.where(prep.ranked[:, np.newaxis], effective, np.nan)
    contrib = np.where(prep.present > 0, effective * prep.values, np.nan)
    contributions = pd.DataFrame(contrib, index=frame.index, columns=prep.ids)
    score = contributions.sum(axis=1, min_count=1).where(prep.ranked)
    rank = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    classes = np.full(len(frame), NOT_RANKED, dtype=object)
    if prep.ranked.any():
        ranks = _min_rank_descending(score.to_numpy()[prep.ranked])
        rank[prep.ranked] = ranks
        classes[prep.ranked] = priority_classes(ranks)

    means = np.nanmean(np.where(prep.present > 0, prep.values, np.nan), axis=0) if len(frame) else prep.weights
    deviation = np.where(prep.present > 0, (prep.values - np.nan_to_num(means)) * np.nan_to_num(effective), 0.0)
    used = w > 0
    pushing = (deviation > 1e-12) & used[np.newaxis, :]
    order = np.argsort(np.where(pushing, -deviation, np.inf), axis=1, kind="stable")[:, :MAX_DRIVERS]
    ids = np.array(prep.ids, dtype=object)
    drivers = [";".join(ids[row[pushing[k, row]]]) for k, row in enumerate(order)]
    missing_mask = (prep.present == 0) & used[np.newaxis, :]
    hidden = np.zeros_like(missing_mask)
    if suppressed is not None:
        flags = suppressed.reindex(index=frame.index, columns=prep.ids).astype("boolean").fillna(False)
        hidden = flags.to_numpy(dtype=bool) & missing_mask
    missing = [";".join(ids[row]) for row in missing_mask]
    table = pd.DataFrame(
        {
            SCORE: score,
            RANK: rank,
            RANKED: prep.ranked,
            PRIORITY_CLASS: classes,
            DRIVERS: drivers,
            MISSING: missing,
            SUPPRESSED: [";".join(ids[row]) for row in hidden],
            HAS_MISSING: missing_mask.any(axis=1),
            WEIGHT_USED: used_weight,
        },
        index=frame.index,
    )
    table.index.name = frame.index.name or AREA_CODE
    return PriorityResult(
        table=table,
        contributions=contributions,
        normalised=prep.normalised,
        weights=dict(zip(prep.ids, prep.weights.tolist(), strict=True)),
        method=method,
        excluded=prep.excluded,
    )


# ---- rank stability ---------------------------------------------------------------------------
def rank_stability(
    frame: pd.DataFrame,
    polarity: Mapping[str, Polarity],
    weights: Mapping[str, float],
    method: Method = "zscore",
    top_n: int = 10,
    n_draws: int = 1000,
    spread: float = 0.20,
    seed: int = 2025,
) -> pd.DataFrame:
    """How robust each area's rank is to the choice of weights.

    Each draw multiplies every weight by its own factor drawn uniformly from
    [1 - spread, 1 + spread] (independently per indicator and draw; zero weights stay zero), then
    renormalises and rescores (each area over the indicators it has). Returns per area the share of
    draws in which it ranks in the top N, and its median, 5th and 95th percentile rank, among the
    ranked areas (NaN for an area that is not ranked). Same inputs and seed give the same figures.
    """
    if not 0 <= spread < 1:
        raise PriorityError(f"Spread must be at least 0 and below 1 (found {spread!r}).")
    if n_draws < 1:
        raise PriorityError(f"The number of draws must be at least 1 (found {n_draws!r}).")
    if not 1 <= top_n <= len(frame):
        raise PriorityError(f"Top N must be between 1 and {len(frame)} (found {top_n!r}).")
    prep = _prepare(frame, polarity, weights, method)
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(n_draws, len(prep.ids)))
    draws = prep.weights[np.newaxis, :] * factors
    draws /= draws.sum(axis=1, keepdims=True)
    out = pd.DataFrame(np.nan, index=frame.index, columns=[IN_TOP_N_SHARE, MEDIAN_RANK, RANK_P05, RANK_P95])
    if prep.ranked.any():
        ranks = _min_rank_descending(_scores(prep, draws)[:, prep.ranked])  # draws × ranked areas
        low, median, high = np.percentile(ranks, [5, 50, 95], axis=0)
        out.loc[prep.ranked, IN_TOP_N_SHARE] = (ranks <= top_n).mean(axis=0)
        out.loc[prep.ranked, MEDIAN_RANK] = median
        out.loc[prep.ranked, RANK_P05] = low
        out.loc[prep.ranked, RANK_P95] = high
    out.index.name = frame.index.name or AREA_CODE
    return out


def class_breaks(result: PriorityResult) -> pd.DataFrame:
    """Legend rows, highest priority first: class name, colour, count and score range."""
    table = result.table
    rows = []
    for name, colour in zip(CLASS_NAMES, CLASS_COLOURS, strict=True):
        scores = table.loc[table[PRIORITY_CLASS] == name, SCORE]
        rows.append(
            {
                PRIORITY_CLASS: name,
                "colour": colour,
                "areas": len(scores),
                "score_min": float(scores.min()) if len(scores) else np.nan,
                "score_max": float(scores.max()) if len(scores) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#1a1042' -> (26, 16, 66)."""
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


# ---- catalogue and export --------------------------------------------------------------------------
def priority_candidates(indicators: pd.DataFrame, level: str) -> list[str]:
    """Indicator ids published at ``level`` that can enter the index: a clear direction of need and
    real or modelled (never illustrative) data, in catalogue order."""
    published = indicators[LEVELS_COLUMN].str.split(";").map(lambda levels: level in levels)
    usable = (indicators[POLARITY_COLUMN] != Polarity.NEITHER) & (indicators[STATUS_COLUMN] != Status.ILLUSTRATIVE)
    return indicators.loc[published & usable, INDICATOR_ID_COLUMN].astype(str).tolist()


def export_frame(result: PriorityResult, stability: pd.DataFrame, names: Mapping[str, str],
                 districts: Mapping[str, str], titles: Mapping[str, str], top_n: int) -> pd.DataFrame:
    """The ranked table as it is downloaded: one row per area, ranked, with every contribution and
    the weights and normalisation used recorded on every row (so a copy of the file explains itself)."""
    table = result.to_frame()
    out = pd.DataFrame(index=table.index)
    out[RANK] = table[RANK]
    out["area_name"] = [names.get(code, "") for code in table.index]
    out["districts"] = [districts.get(code, "") for code in table.index]
    out[SCORE] = table[SCORE].round(6)
    out[PRIORITY_CLASS] = table[PRIORITY_CLASS]
    out[f"in_top_{top_n}_share"] = stability[IN_TOP_N_SHARE].reindex(table.index).round(4)
    out[MEDIAN_RANK] = stability[MEDIAN_RANK].reindex(table.index)
    out[RANK_P05] = stability[RANK_P05].reindex(table.index)
    out[RANK_P95] = stability[RANK_P95].reindex(table.index)
    out[DRIVERS] = ["; ".join(titles.get(i, i) for i in text.split(";") if i) for text in table[DRIVERS]]
    out[MISSING] = ["; ".join(titles.get(i, i) for i in text.split(";") if i) for text in table[MISSING]]
    out[SUPPRESSED] = ["; ".join(titles.get(i, i) for i in text.split(";") if i) for text in table[SUPPRESSED]]
    out[WEIGHT_USED] = table[WEIGHT_USED].round(6)
    for indicator_id in result.contributions.columns:
        out[f"{CONTRIBUTION_PREFIX}{indicator_id}"] = table[f"{CONTRIBUTION_PREFIX}{indicator_id}"].round(6)
    for indicator_id, weight in result.weights.items():
        out[f"weight: {indicator_id}"] = round(weight, 6)
    out["normalisation"] = result.method
    out["excluded_no_direction"] = ";".join(result.excluded)
    out.index.name = AREA_CODE
    return out.reset_index()
