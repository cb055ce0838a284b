"""Apply every indicator's disclosure rule to an observations table (CONVENTIONS D1-D3)."""

from __future__ import annotations

import pandas as pd

from insight import schema as s
from insight.stats import apply_disclosure, apply_secondary_suppression


def apply_disclosure_rules(observations: pd.DataFrame, indicators: pd.DataFrame,
                           groups: pd.Series | None = None) -> pd.DataFrame:
    """Suppress and round counts of every indicator whose rule asks for it.

    `groups` optionally maps area code -> the group whose published total could rebuild a hidden cell
    (LSOA -> division); within each (indicator, period, group) a lone suppressed cell gets a partner
    suppressed too (secondary suppression).
    """
    rules = indicators.set_index(s.INDICATOR_ID)[s.DISCLOSURE_RULE]
    ruled = observations[s.INDICATOR_ID].map(rules).fillna(s.DISCLOSURE_NONE) == s.DISCLOSURE_SMALL_COUNTS
    if not ruled.any():
        return observations
    treated = apply_disclosure(observations[ruled], s.DISCLOSURE_SMALL_COUNTS)
    if groups is not None:
        treated = treated.assign(_group=treated[s.AREA_CODE].map(groups))
        grouped = treated[treated["_group"].notna()]
        treated.loc[grouped.index] = apply_secondary_suppression(
            grouped, [s.INDICATOR_ID, s.PERIOD_START, "_group"])
        treated = treated.drop(columns="_group")
    out = observations.copy()
    out.loc[ruled, treated.columns] = treated
    out[s.FLAG] = out[s.FLAG].astype(str)
    return out
