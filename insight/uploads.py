"""Observations a user uploads: a summary per indicator and the rows of one indicator for charting."""

from __future__ import annotations

import pandas as pd

from insight import schema as s


def summarise_upload(frame: pd.DataFrame, area_names: dict[str, str]) -> pd.DataFrame:
    """One row per uploaded indicator: areas, periods, first and last period."""
    ordered = frame.sort_values(s.PERIOD_START)
    summary = ordered.groupby(s.INDICATOR_ID, sort=True).agg(
        areas=(s.AREA_CODE, "nunique"), periods=(s.PERIOD_LABEL, "nunique"),
        first_period=(s.PERIOD_LABEL, "first"), last_period=(s.PERIOD_LABEL, "last"))
    summary["area_names"] = [", ".join(sorted({area_names.get(c, c) for c in part[s.AREA_CODE]}))[:120]
                             for _, part in ordered.groupby(s.INDICATOR_ID, sort=True)]
    return summary.reset_index()


def upload_series(frame: pd.DataFrame, indicator_id: str, area_names: dict[str, str]) -> pd.DataFrame:
    """The uploaded rows of one indicator with area names, in time order, values present."""
    rows = frame[(frame[s.INDICATOR_ID] == indicator_id) & frame[s.VALUE].notna()].copy()
    rows[s.AREA_NAME] = rows[s.AREA_CODE].map(lambda c: area_names.get(c, c))
    return rows.sort_values([s.AREA_NAME, s.PERIOD_START]).reset_index(drop=True)
