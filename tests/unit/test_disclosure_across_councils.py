"""The Essex and Colchester datasets published side by side: Colchester's wards and Essex's divisions are
different sums of the same LSOAs, so an attacker can difference one against the other. Neither rebuilds nor
narrows any hidden Census count, by linear identities or by integer programming (D2, D5)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insight import disclosure_audit as audit
from insight.build.small_area import COMPLEMENT_SETS, disclosure_edges, true_census_cells
from insight.config import load_config
from insight.loaders import load_dataset

ROOT = Path(__file__).resolve().parents[2]
RAW = Path(os.environ.get("ESSEX_RAW", ROOT.parent / "shared" / "essex-raw"))
COUNTY, DISTRICT = ROOT / "data", ROOT / "data" / "councils" / "colchester"


@pytest.fixture(scope="module")
def both() -> tuple[audit.Cells, pd.DataFrame, np.ndarray]:
    """Every Census cell of both datasets (the wards added to Essex's), the sums between them, what the
    value x denominator and interval attacks learn."""
    if not RAW.exists():
        if os.environ.get("CI"):
            pytest.fail(f"raw data not found at {RAW}")
        pytest.skip(f"raw data not found at {RAW}")
    essex = load_config(ROOT / "insight" / "councils" / "essex.toml")
    colchester = load_config(ROOT / "insight" / "councils" / "colchester.toml")
    county, district = load_dataset(COUNTY), load_dataset(DISTRICT)
    county_lookup = pd.read_csv(COUNTY / "lookups" / "lsoa_lookup.csv")
    ward_lookup = pd.read_csv(DISTRICT / "lookups" / "lsoa_lookup.csv")
    wards = set(ward_lookup["division_code"])
    truth = pd.concat([true_census_cells(RAW, essex.raw, county_lookup, essex.county_code),
                       _only(true_census_cells(RAW, colchester.raw, ward_lookup, colchester.county_code), wards)],
                      ignore_index=True)
    observations = pd.concat([county.observations, _only(district.observations, wards)], ignore_index=True)
    cells = audit.ruled_cells(observations, county.indicators, truth)
    # The ward sums are new; the LSOA -> Colchester sums are already among Essex's (lsoa->district).
    ward_edges = disclosure_edges(ward_lookup, colchester.county_code)
    ward_edges = ward_edges[ward_edges["hierarchy"].isin(["lsoa->division", "division->county"])]
    edges = pd.concat([disclosure_edges(county_lookup, essex.county_code),
                       ward_edges.replace({"hierarchy": {"lsoa->division": "lsoa->ward",
                                                         "division->county": "ward->district"}})],
                      ignore_index=True)
    products = audit.product_attack(cells)
    known = np.where(np.isnan(products), audit.interval_attack(cells), products)
    return cells, edges, known


def _only(frame: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    return frame[frame["area_code"].isin(codes)]


def test_the_wards_are_in_the_attack(both):
    cells, edges, _ = both
    assert cells.frame["area_code"].str.startswith("E05").sum() == 17 * 8  # 17 wards x 8 Census measures
    assert set(edges["hierarchy"]) >= {"lsoa->ward", "ward->district", "lsoa->division"}


def test_differencing_wards_against_divisions_recovers_nothing(both):
    cells, edges, known = both
    lo, hi = audit.identity_ranges(cells, audit.identities(cells, edges, COMPLEMENT_SETS), known)
    assert int((cells.hidden & (lo == hi)).sum()) == 0
    assert int(audit.narrowed(cells, lo, hi).sum()) == 0
    assert int((audit.pinned(cells, lo, hi) & np.isnan(known)).sum()) == 0


def test_integer_programming_over_both_datasets_recovers_nothing(both):
    cells, edges, known = both
    lo, hi = audit.exact_hidden_ranges(cells, audit.identities(cells, edges, COMPLEMENT_SETS), known)
    lo, hi = np.where(cells.hidden, lo, 0), np.where(cells.hidden, hi, 0)
    assert int((cells.hidden & (lo == hi)).sum()) == 0
    assert int(audit.narrowed(cells, lo, hi).sum()) == 0
