"""The ONLY module with Streamlit cache decorators. It wraps insight/ loaders and computations.

Cache keys are small: the data folder and its files' modification times, ids, tuples of codes.
Set INSIGHT_DATA_DIR to point the app at another council's processed dataset.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from insight import query
from insight import schema as s
from insight.headlines import Headline, headline
from insight.loaders import (
    DEFAULT_DATA_DIR,
    Indicator,
    get_indicator,
    load_boundaries,
    load_dataset,
    load_observations,
)

DATA_DIR = Path(os.environ.get("INSIGHT_DATA_DIR", DEFAULT_DATA_DIR))
HEADLINE_INDICATORS = ("employment_rate", "claimant_count", "gdhi_per_head", "adult_obesity",
                       "cvd_preventable_mortality", "gcse_english_maths")


def data_stamp() -> tuple[str, float]:
    """The data folder and the newest modification time in it: changes when the data is rebuilt."""
    files = [p for p in DATA_DIR.glob("*") if p.is_file()]
    return str(DATA_DIR), max((p.stat().st_mtime for p in files), default=0.0)


@st.cache_data(show_spinner=False, max_entries=2)
def _tables(stamp: tuple[str, float]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    dataset = load_dataset(Path(stamp[0]))
    return dataset.areas, dataset.indicators, dataset.observations


def areas() -> pd.DataFrame:
    """The areas table (England, region, county, districts, divisions, LSOAs)."""
    return _tables(data_stamp())[0]


def indicators() -> pd.DataFrame:
    """The indicator catalogue."""
    return _tables(data_stamp())[1]


def observations() -> pd.DataFrame:
    """Every real observation (the illustrative demand data is separate: illustrative_observations())."""
    return _tables(data_stamp())[2]


@st.cache_data(show_spinner=False, max_entries=2)
def _illustrative(stamp: tuple[str, float]) -> pd.DataFrame:
    return load_observations(Path(stamp[0]), file="illustrative_demand.parquet")


def illustrative_observations() -> pd.DataFrame:
    """The illustrative (synthetic, not real) monthly service demand series."""
    return _illustrative(data_stamp())


@st.cache_data(show_spinner=False, max_entries=256)
def _indicator(stamp: tuple[str, float], indicator_id: str) -> Indicator:
    return get_indicator(_tables(stamp)[1], indicator_id)


def indicator(indicator_id: str) -> Indicator:
    """The typed catalogue entry of one indicator (UnknownIndicatorError if absent)."""
    return _indicator(data_stamp(), indicator_id)


@st.cache_data(show_spinner=False, max_entries=512)
def _series(stamp: tuple[str, float], indicator_id: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    return query.series(_tables(stamp)[2], indicator_id, area_codes)


def series(indicator_id: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    """Observations of one indicator for some areas, in time order."""
    return _series(data_stamp(), indicator_id, tuple(area_codes))


@st.cache_data(show_spinner=False, max_entries=8)
def _boundaries(stamp: tuple[str, float], level: str) -> dict[str, Any]:
    return load_boundaries(level, Path(stamp[0]) if Path(stamp[0]).exists() else DEFAULT_DATA_DIR)


def boundaries(level: s.Level | str) -> dict[str, Any]:
    """The simplified GeoJSON boundary layer of a level (division, district, lsoa)."""
    return _boundaries(data_stamp(), str(level))


@st.cache_data(show_spinner=False, max_entries=64)
def _headline(stamp: tuple[str, float], indicator_id: str, area_code: str, comparator_code: str) -> Headline:
    areas_, indicators_, observations_ = _tables(stamp)
    return headline(observations_, get_indicator(indicators_, indicator_id), area_code, comparator_code)


def headline_for(indicator_id: str, area_code: str, comparator_code: str) -> Headline:
    """Latest value, change and comparison with a comparator for one headline tile."""
    return _headline(data_stamp(), indicator_id, area_code, comparator_code)


@st.cache_data(show_spinner=False, max_entries=2)
def _catalogue(stamp: tuple[str, float]) -> pd.DataFrame:
    from insight.catalogue import catalogue_table

    _, indicators_, observations_ = _tables(stamp)
    illustrative = _illustrative(stamp)
    return catalogue_table(indicators_, pd.concat([observations_, illustrative], ignore_index=True))


def catalogue() -> pd.DataFrame:
    """The catalogue as shown on Data & methods (with periods covered and words for codes)."""
    return _catalogue(data_stamp())


@st.cache_data(show_spinner=False, max_entries=32)
def _indicator_csv(stamp: tuple[str, float], indicator_id: str) -> bytes:
    from insight.catalogue import observations_csv

    areas_, indicators_, observations_ = _tables(stamp)
    source = get_indicator(indicators_, indicator_id).source_line
    pool = observations_ if indicator_id in set(observations_[s.INDICATOR_ID]) else _illustrative(stamp)
    return observations_csv(pool, areas_, indicator_id, source)


def indicator_csv(indicator_id: str) -> bytes:
    """CSV bytes of every observation of one indicator, with its source and licence."""
    return _indicator_csv(data_stamp(), indicator_id)
