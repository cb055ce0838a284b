"""Aggregate small-area (LSOA) values up to larger areas through a lookup, weighted by population."""

from __future__ import annotations

import numpy as np
import pandas as pd


def aggregate_weighted_mean(values: pd.DataFrame, lookup: pd.DataFrame, *, value_columns: list[str],
                            key: str, group: str, weight: str) -> pd.DataFrame:
    """Population-weighted mean of each value column per group.

    `values` is keyed by `key`; `lookup` maps `key` -> `group` and carries the `weight` column
    (e.g. Census 2021 residents). Missing values are left out of both numerator and denominator.
    """
    merged = lookup[[key, group, weight]].merge(values[[key, *value_columns]], on=key, how="inner")
    out = {}
    for column in value_columns:
        present = merged[column].notna()
        w = merged[weight].where(present, 0.0)
        total = (merged[column].fillna(0.0) * w).groupby(merged[group]).sum()
        out[column] = total / w.groupby(merged[group]).sum().replace(0.0, np.nan)
    return pd.DataFrame(out).rename_axis(group).reset_index()


def aggregate_counts(counts: pd.DataFrame, lookup: pd.DataFrame, *, key: str, group: str,
                     count_columns: list[str]) -> pd.DataFrame:
    """Sum count columns (numerators, denominators, residents) per group."""
    merged = lookup[[key, group]].merge(counts[[key, *count_columns]], on=key, how="inner")
    return merged.groupby(group, as_index=False)[count_columns].sum()


def overlap_weights(edges: pd.DataFrame, population: pd.Series, *, source: str, target: str) -> pd.DataFrame:
    """Weights for re-basing small areas of an older vintage onto newer ones.

    `edges` lists (source, target) pairs from an ONS best-fit lookup (one-to-one, splits, merges).
    The population living in the overlap is estimated as the target's population shared equally among
    the sources that merged into it. Returns the edges with `overlap` (people) and `share` (the share of
    the source's people that live in that target; sums to 1 per source).
    """
    out = edges[[source, target]].drop_duplicates().copy()
    sources_per_target = out.groupby(target)[source].transform("count")
    out["overlap"] = out[target].map(population).fillna(0.0) / sources_per_target
    out["share"] = out["overlap"] / out.groupby(source)["overlap"].transform("sum").replace(0.0, np.nan)
    return out
