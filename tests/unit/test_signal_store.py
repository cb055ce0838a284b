"""Signals stored at build time (insight.signal_store): the shipped files hold, for every place, exactly what a
live assessment finds; a stored place is never used for data it was not assessed from; a missing or broken
file means every place is assessed live."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from insight import schema as s
from insight import signal_store as store
from insight.loaders import load_dataset
from insight.signals import SIGNAL_LEVELS, all_signals, assess_dataset

ROOT = Path(__file__).resolve().parents[2]
DATA_DIRS = [ROOT / "data", ROOT / "data" / "councils" / "colchester"]


def _place(dataset, code: str) -> tuple[pd.DataFrame, str]:
    mine = dataset.observations[dataset.observations[s.AREA_CODE] == code]
    return mine, store.fingerprint(mine, dataset.indicators, dataset.areas[dataset.areas[s.AREA_CODE] == code])


@pytest.fixture(scope="module")
def essex():
    return load_dataset(ROOT / "data")


@pytest.mark.parametrize("data_dir", DATA_DIRS, ids=lambda p: p.name)
def test_the_shipped_file_holds_what_a_live_assessment_finds_for_every_place(data_dir):
    dataset = load_dataset(data_dir)
    table = store.read_signals(data_dir)
    places = dataset.areas[dataset.areas[s.LEVEL].isin([str(x) for x in SIGNAL_LEVELS])][s.AREA_CODE]
    assert set(table[s.AREA_CODE]) == set(places)  # rebuild with `python -m insight.signal_store` if this fails
    n_signals = 0
    for code in places:
        mine, digest = _place(dataset, code)
        stored = store.stored_signals(table, code, digest)
        live = tuple(all_signals(assess_dataset(mine, dataset.indicators, dataset.areas)))
        assert stored == live, code
        n_signals += len(live)
    assert n_signals > 0


def test_a_changed_value_makes_that_place_assessed_live_and_no_other(essex):
    table = store.read_signals(ROOT / "data")
    county, district = "E10000012", "E07000066"
    observations = essex.observations.copy()
    row = observations.index[(observations[s.AREA_CODE] == county) & observations[s.VALUE].notna()][0]
    observations.loc[row, s.VALUE] = observations.loc[row, s.VALUE] + 1.0
    dataset = replace(essex, observations=observations)
    assert store.stored_signals(table, county, _place(dataset, county)[1]) is None
    assert store.stored_signals(table, district, _place(dataset, district)[1]) is not None


def test_a_changed_catalogue_row_or_place_name_makes_the_place_assessed_live(essex):
    table = store.read_signals(ROOT / "data")
    code = "E10000012"
    mine = essex.observations[essex.observations[s.AREA_CODE] == code]
    indicators = essex.indicators.copy()
    first = indicators.index[indicators[s.INDICATOR_ID].isin(set(mine[s.INDICATOR_ID]))][0]
    indicators.loc[first, s.SHORT_TITLE] = "Renamed"
    area = essex.areas[essex.areas[s.AREA_CODE] == code].copy()
    assert store.stored_signals(table, code, store.fingerprint(mine, indicators, area)) is None
    area[s.AREA_NAME] = "Elsewhere"
    assert store.stored_signals(table, code, store.fingerprint(mine, essex.indicators, area)) is None
    assert store.stored_signals(table, code, store.fingerprint(mine, essex.indicators,
                                                               essex.areas[essex.areas[s.AREA_CODE] == code])) is not None


def test_fewer_rows_than_assessed_from_are_assessed_live(essex):
    """A viewer who may not see an indicator is served fewer rows: the stored place is not theirs."""
    table = store.read_signals(ROOT / "data")
    code = "E10000012"
    mine = essex.observations[essex.observations[s.AREA_CODE] == code]
    fewer = mine[mine[s.INDICATOR_ID] != mine[s.INDICATOR_ID].iloc[0]]
    area = essex.areas[essex.areas[s.AREA_CODE] == code]
    assert store.stored_signals(table, code, store.fingerprint(fewer, essex.indicators, area)) is None


def test_an_unhashable_column_gives_no_digest_and_the_place_is_assessed_live(essex):
    """Rows from another store may carry a column whose cells are lists: no digest, nothing stored is used."""
    table = store.read_signals(ROOT / "data")
    code = "E10000012"
    mine = essex.observations[essex.observations[s.AREA_CODE] == code]
    odd = mine.assign(tags=[["a"]] * len(mine))
    area = essex.areas[essex.areas[s.AREA_CODE] == code]
    assert store.fingerprint(odd, essex.indicators, area) is None
    assert store.stored_signals(table, code, None) is None
    assert store.stored_signals(table, code, store.fingerprint(mine, essex.indicators, area)) is not None


def test_a_missing_or_broken_file_gives_an_empty_table(tmp_path):
    assert store.read_signals(tmp_path).empty
    (tmp_path / store.SIGNALS_FILE).write_bytes(b"not a parquet file")
    table = store.read_signals(tmp_path)
    assert table.empty and list(table.columns) == store.SIGNAL_COLUMNS
    assert store.stored_signals(table, "E10000012", "anything") is None
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / store.SIGNALS_FILE)
    assert store.read_signals(tmp_path).empty


def test_a_place_with_part_of_its_rows_missing_from_the_file_is_assessed_live(essex):
    table = store.read_signals(ROOT / "data")
    counts = table[table["n_signals"] > 1][s.AREA_CODE].value_counts()
    code = str(counts.index[0])
    digest = _place(essex, code)[1]
    assert store.stored_signals(table, code, digest) is not None
    cut = table.drop(table.index[table[s.AREA_CODE] == code][0])
    assert store.stored_signals(cut, code, digest) is None
