"""Attacks on the shipped data/ and on the CSV downloads: none may recover a hidden or rounded count (D2, D5).

The true counts come from the raw Census file (they are never shipped), so these tests need the raw data, as
the committed-data test does. The attacker is given more than the data says: the exact Census denominators
and which hidden cells are primary (1-7). `scripts/audit_disclosure.py` prints the same figures.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insight import disclosure_audit as audit
from insight import profile
from insight import schema as s
from insight.build.small_area import COMPLEMENT_SETS, disclosure_edges, true_census_cells
from insight.catalogue import observations_csv
from insight.config import load_config
from insight.stats import round_to_base, wilson_interval

ROOT = Path(__file__).resolve().parents[2]
RAW = Path(os.environ.get("ESSEX_RAW", ROOT.parent / "shared" / "essex-raw"))
CONFIG = load_config()


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    if not RAW.exists():
        if os.environ.get("CI"):
            pytest.fail(f"raw data not found at {RAW}")
        pytest.skip(f"raw data not found at {RAW}")
    lookup = pd.read_csv(ROOT / "data" / "lookups" / "lsoa_lookup.csv")
    return true_census_cells(RAW, CONFIG.raw, lookup, CONFIG.county_code)


@pytest.fixture(scope="module")
def edges() -> pd.DataFrame:
    return disclosure_edges(pd.read_csv(ROOT / "data" / "lookups" / "lsoa_lookup.csv"), CONFIG.county_code)


@pytest.fixture(scope="module")
def cells(dataset, truth) -> audit.Cells:
    return audit.ruled_cells(dataset.observations, dataset.indicators, truth)


@pytest.fixture(scope="module")
def learned(cells) -> np.ndarray:
    """Everything the value/denominator and interval attacks learn (NaN: nothing)."""
    products = audit.product_attack(cells)
    return np.where(np.isnan(products), audit.interval_attack(cells), products)


def test_the_shipped_cells_are_the_true_counts_rounded_or_suppressed(cells):
    frame = cells.frame
    shown = ~cells.hidden
    assert len(frame) == 7_888 and cells.hidden.sum() >= cells.primary.sum() == 314
    assert (frame.loc[shown, s.NUMERATOR] == round_to_base(frame.loc[shown, "true_count"])).all()
    assert (frame.loc[shown, s.DENOMINATOR] == round_to_base(frame.loc[shown, "true_denominator"])).all()
    assert (frame.loc[shown & (frame["true_count"] == 0), s.VALUE] == 0).all()  # D3
    assert frame.loc[cells.hidden, [s.VALUE, s.NUMERATOR, s.LOWER_95, s.UPPER_95]].isna().all().all()


def test_published_values_and_intervals_depend_on_the_rounded_counts_only(cells):
    """So no arithmetic on them, with any denominator, can learn more than the rounded count."""
    frame = cells.frame[~cells.hidden]
    n, d = frame[s.NUMERATOR].to_numpy(), frame[s.DENOMINATOR].to_numpy()
    np.testing.assert_allclose(frame[s.VALUE], 100 * n / d, rtol=1e-14, atol=0)
    lower, upper = wilson_interval(n, d)
    np.testing.assert_allclose(frame[s.LOWER_95], 100 * lower, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(frame[s.UPPER_95], 100 * upper, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("multiplier", [100, 1_000, 100_000])
def test_value_times_denominator_recovers_no_rounded_count(cells, multiplier):
    guesses = audit.product_attack(cells, (multiplier,))
    assert np.isnan(guesses).all()  # not even a wrong guess: the product is always the rounded count (or not whole)
    assert not audit.recovered(cells, guesses).any()


def test_wilson_limits_cannot_be_inverted_to_a_count(cells):
    assert not audit.recovered(cells, audit.interval_attack(cells)).any()


def test_the_indicator_csv_downloads_recover_no_count(dataset, truth):
    for indicator_id in sorted(truth[s.INDICATOR_ID].unique()):
        download = pd.read_csv(io.BytesIO(observations_csv(dataset.observations, dataset.areas, indicator_id, "src")))
        download[s.PERIOD_START] = pd.to_datetime(download[s.PERIOD_START])
        csv_cells = audit.ruled_cells(download, dataset.indicators, truth)
        assert len(csv_cells.frame) == 986
        assert not audit.recovered(csv_cells, audit.product_attack(csv_cells)).any()
        assert not audit.recovered(csv_cells, audit.interval_attack(csv_cells)).any()


def test_the_division_profile_csv_recovers_no_count(dataset, truth):
    table = profile.division_table(dataset.observations, dataset.indicators, dataset.areas, CONFIG.county_code,
                                   CONFIG.england_code)
    downloads = [pd.read_csv(io.BytesIO(profile.profile_csv(profile.profile_frame(table, code))))
                 for code in sorted(table[s.AREA_CODE].unique())]
    rows = pd.concat(downloads, ignore_index=True).assign(**{s.PERIOD_START: truth[s.PERIOD_START].iloc[0]})
    csv_cells = audit.ruled_cells(rows[rows[s.INDICATOR_ID].isin(truth[s.INDICATOR_ID])], dataset.indicators, truth)
    assert len(csv_cells.frame) == 70 * 8
    assert not audit.recovered(csv_cells, audit.product_attack(csv_cells)).any()


def test_differencing_totals_against_their_lsoas_narrows_no_hidden_cell(cells, learned, edges):
    constraints = audit.identities(cells, edges, ())
    lo, hi = audit.identity_ranges(cells, constraints, learned)
    assert not audit.narrowed(cells, lo, hi).any()
    assert audit.pair_sums(cells, constraints, lo, hi) == 0  # no sum of two or more hidden cells is known exactly
    assert not audit.pinned(cells, lo, hi).any()


def test_tenure_complement_narrows_no_hidden_cell_and_pins_no_count(cells, learned):
    constraints = audit.identities(cells, None, COMPLEMENT_SETS)
    lo, hi = audit.identity_ranges(cells, constraints, learned)
    assert not audit.narrowed(cells, lo, hi).any()
    assert not audit.pinned(cells, lo, hi).any()


def test_every_identity_together_narrows_no_hidden_cell_even_for_an_integer_program(cells, learned, edges):
    constraints = audit.identities(cells, edges, COMPLEMENT_SETS)
    lo, hi = audit.identity_ranges(cells, constraints, learned)
    assert not audit.narrowed(cells, lo, hi).any() and not audit.pinned(cells, lo, hi).any()
    exact_lo, exact_hi = audit.exact_hidden_ranges(cells, constraints, learned)
    hidden = cells.hidden
    exact_lo = np.where(hidden, exact_lo, lo).astype(np.int64)
    exact_hi = np.where(hidden, exact_hi, hi).astype(np.int64)
    assert not audit.narrowed(cells, exact_lo, exact_hi).any()


def test_the_attacks_find_the_leaks_of_publishing_from_true_counts(cells, edges):
    """The same attacks on the old way of publishing (values, intervals and denominators from the true counts,
    a lone hidden LSOA paired with its smallest sibling) recover thousands of counts: they are not toothless."""
    frame = cells.frame.copy()
    n, d = frame["true_count"].to_numpy(), frame["true_denominator"].to_numpy()
    shown = ~cells.hidden
    lower, upper = wilson_interval(n, d)
    frame[s.DENOMINATOR] = d
    frame.loc[shown, s.VALUE] = (100 * n / d)[shown]
    frame.loc[shown, s.LOWER_95], frame.loc[shown, s.UPPER_95] = (100 * lower)[shown], (100 * upper)[shown]
    old = audit.Cells(frame)
    products = audit.product_attack(old)
    assert audit.recovered(old, products).sum() == old.rounded.sum() > 6_000
    assert audit.recovered(old, audit.interval_attack(old)).sum() > 6_000
    lo, hi = audit.identity_ranges(old, audit.identities(old, edges, COMPLEMENT_SETS), products)
    assert audit.narrowed(old, lo, hi).any()  # exact totals narrow some hidden cells
