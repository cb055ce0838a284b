"""Helpers that turn computed values into rows of the observations and indicators tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight import schema as s
from insight.loaders import Indicator

# A catalogue entry defined by the build is the same typed Indicator the app loads.
IndicatorDef = Indicator


def observation_frame(area_codes: pd.Series | np.ndarray, indicator_id: str, *, start: str, end: str,
                      label: str, value: pd.Series | np.ndarray, numerator: pd.Series | np.ndarray | None = None,
                      denominator: pd.Series | np.ndarray | None = None,
                      lower: pd.Series | np.ndarray | None = None,
                      upper: pd.Series | np.ndarray | None = None) -> pd.DataFrame:
    """Rows of the observations table for one indicator and one period."""
    n = len(area_codes)
    nan = np.full(n, np.nan)

    def arr(x: pd.Series | np.ndarray | None) -> np.ndarray:
        return nan if x is None else np.asarray(x, dtype="float64")

    return pd.DataFrame({
        s.AREA_CODE: np.asarray(area_codes, dtype=object),
        s.INDICATOR_ID: indicator_id,
        s.PERIOD_START: pd.Timestamp(start),
        s.PERIOD_END: pd.Timestamp(end),
        s.PERIOD_LABEL: label,
        s.VALUE: arr(value),
        s.NUMERATOR: arr(numerator),
        s.DENOMINATOR: arr(denominator),
        s.LOWER_95: arr(lower),
        s.UPPER_95: arr(upper),
        s.FLAG: "",
    })


def tidy_observations(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate, type and sort observation rows deterministically."""
    out = pd.concat(frames, ignore_index=True)[s.OBSERVATION_COLUMNS]
    out[s.AREA_CODE] = out[s.AREA_CODE].astype(str)
    out[s.INDICATOR_ID] = out[s.INDICATOR_ID].astype(str)
    out[s.PERIOD_LABEL] = out[s.PERIOD_LABEL].astype(str)
    out[s.FLAG] = out[s.FLAG].fillna("").astype(str)
    for column in (s.PERIOD_START, s.PERIOD_END):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    for column in (s.VALUE, s.NUMERATOR, s.DENOMINATOR, s.LOWER_95, s.UPPER_95):
        out[column] = out[column].astype("float64")
    return out.sort_values(s.OBSERVATION_KEY, kind="mergesort").reset_index(drop=True)
