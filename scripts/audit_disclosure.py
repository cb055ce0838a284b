"""Try every disclosure attack on a processed dataset and print how many cells each one recovers.

    python scripts/audit_disclosure.py [--data data] [--raw ../shared/essex-raw] [--exact]

The true counts come from the raw Census file (they are never in data/); `--exact` adds the integer-programming
attacker on hidden cells (slower: two small MILPs per hidden cell).
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np
import pandas as pd

from insight import disclosure_audit as audit
from insight.build.small_area import COMPLEMENT_SETS, disclosure_edges, true_census_cells
from insight.catalogue import observations_csv
from insight.config import load_config
from insight.loaders import load_dataset

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    """Print one line per attack: cells recovered (exactly) or narrowed beyond the rule."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--raw", type=Path, default=ROOT.parent / "shared" / "essex-raw")
    parser.add_argument("--exact", action="store_true", help="also run the integer-programming attacker")
    args = parser.parse_args(argv)
    config = load_config()
    dataset = load_dataset(args.data)
    lookup = pd.read_csv(args.data / "lookups" / "lsoa_lookup.csv")
    truth = true_census_cells(args.raw, config.raw, lookup, config.county_code)
    cells = audit.ruled_cells(dataset.observations, dataset.indicators, truth)
    hidden, rounded = cells.hidden, cells.rounded
    print(f"{len(cells.frame):,} cells under the small_counts rule: {int((~hidden).sum()):,} published "
          f"({int(rounded.sum()):,} of them changed by rounding), {int(hidden.sum()):,} suppressed "
          f"({int(cells.primary.sum()):,} primary)")

    products = audit.product_attack(cells)
    print(f"value x denominator / 100, 1,000, 100,000: {int(audit.recovered(cells, products).sum()):,} exact counts")
    guesses = audit.product_attack(cells, denominator_column="true_denominator")
    print(f"  with the exact Census denominator instead: {int(np.isfinite(guesses).sum()):,} integer guesses other "
          f"than the published count, {int(audit.recovered(cells, guesses).sum()):,} of them right")
    intervals = audit.interval_attack(cells)
    print(f"Wilson interval inverted: {int(audit.recovered(cells, intervals).sum()):,} exact counts")
    csv_hits = 0
    for indicator_id in sorted(set(cells.frame["indicator_id"])):
        download = pd.read_csv(io.BytesIO(observations_csv(dataset.observations, dataset.areas,
                                                                         indicator_id, "source")))
        download["period_start"] = pd.to_datetime(download["period_start"])
        csv_cells = audit.ruled_cells(download, dataset.indicators, truth)
        csv_hits += int(audit.recovered(csv_cells, audit.product_attack(csv_cells)).sum())
    print(f"the same on the CSV downloads: {csv_hits:,} exact counts")

    known = np.where(np.isnan(products), intervals, products)
    edges = disclosure_edges(lookup, config.county_code)
    for name, constraints in [
        ("differencing totals against their LSOAs", audit.identities(cells, edges, ())),
        ("tenure complement (households - owners - private renters)", audit.identities(cells, None, COMPLEMENT_SETS)),
        ("all identities together", audit.identities(cells, edges, COMPLEMENT_SETS)),
    ]:
        lo, hi = audit.identity_ranges(cells, constraints, known)
        rebuilt = cells.hidden & (lo == hi)
        print(f"{name}: {int(rebuilt.sum()):,} hidden cells rebuilt exactly, "
              f"{int(audit.narrowed(cells, lo, hi).sum()):,} narrowed beyond the rule; "
              f"{int((audit.pinned(cells, lo, hi) & np.isnan(known)).sum()):,} further rounded counts pinned; "
              f"{audit.pair_sums(cells, constraints, lo, hi):,} sums of two or more hidden cells known exactly")
    if args.exact:
        constraints = audit.identities(cells, edges, COMPLEMENT_SETS)
        lo, hi = audit.exact_hidden_ranges(cells, constraints, known)
        lo, hi = np.where(cells.hidden, lo, 0), np.where(cells.hidden, hi, 0)
        print(f"integer programming, all identities: {int((cells.hidden & (lo == hi)).sum()):,} hidden cells rebuilt "
              f"exactly, {int(audit.narrowed(cells, lo.astype(np.int64), hi.astype(np.int64)).sum()):,} narrowed")


if __name__ == "__main__":
    main()
