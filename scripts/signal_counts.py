"""Count the signals that fire on the committed data, overall and per area level (prints figures only).

Usage: .venv/bin/python scripts/signal_counts.py [--data DIR]     (or: make signals)

Rules as insight/signals.py: SPC on monthly series (current patterns only), the S5 trend test on annual
series; no targets are set by default (so no projection signals) and no previous version is compared (so no
rating-change signals) unless --previous DIR is given.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from insight import schema as s
from insight.attention import needs_attention_many
from insight.config import load_config
from insight.loaders import DEFAULT_DATA_DIR, load_dataset
from insight.signals import all_signals, assess_dataset, count_signals, signal_table
from insight.versions import default_comparators, diff_datasets, load_version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--previous", type=Path, default=None, help="a previous build's data folder")
    args = parser.parse_args()
    data = load_dataset(args.data, include_illustrative=True)
    changes = None
    if args.previous is not None:
        diff = diff_datasets(load_version(args.previous), load_dataset(args.data), default_comparators(load_config()))
        changes = diff.rating_changes
        print(f"Compared with {args.previous}: {len(diff.new_releases)} new release rows, "
              f"{len(diff.moved_values)} moved latest values, {len(diff.rating_changes)} rating changes")
    assessments = assess_dataset(data.observations, data.indicators, data.areas, rating_changes=changes)
    counts = count_signals(assessments)
    table = signal_table(all_signals(assessments))
    with pd.option_context("display.width", 160, "display.max_rows", 200):
        print("Series assessed and signals fired, by level, status and method:")
        print(counts.groupby([s.LEVEL, s.STATUS, "method"])["signals"].agg(series="count", signals="sum"))
        print("\nSignals by status, rule and direction:")
        print(table.groupby([s.STATUS, "rule", "direction"]).size().rename("signals"))
        print("\nSignals by level and direction (real and modelled data; illustrative left out):")
        real = table[table[s.STATUS] != s.Status.ILLUSTRATIVE.value]
        print(real.groupby([s.LEVEL, "direction"]).size().unstack(fill_value=0))
    print(f"\nTotal: {len(table)} signals ({len(real)} on real data, {len(table) - len(real)} on illustrative "
          f"data) from {len(assessments)} series ({int((counts['signals'] > 0).sum())} with a signal)")
    config = load_config()
    codes = [config.county_code, *config.districts]
    lists = needs_attention_many(all_signals(assessments), codes)
    names = dict(zip(data.areas[s.AREA_CODE], data.areas[s.AREA_NAME], strict=True))
    print("\n'Needs attention' (real data; series with a signal, and the top item):")
    for code, attention in lists.items():
        top = attention.items[0].signal.finding if attention.items else attention.empty_text
        print(f"  {names[code]}: {attention.total_series} series, {attention.total_signals} signals. Top: {top}")


if __name__ == "__main__":
    main()
