"""Command line: ``python -m insight.forecast --all [--data-dir data] [--include-illustrative] [--jobs 2]``.

Runs the leak-free evaluation, builds the pool standing at the latest data, and projects every
annual/monthly (indicator, area) series with enough history: writes data/evaluation.json,
data/evaluation_detail.parquet, data/forecast_pool.parquet, data/projections.parquet and
data/backtests.parquet (see ``insight.forecast.precompute``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from insight.errors import InsightError
from insight.forecast.evaluate import format_report
from insight.forecast.models import _import_prophet
from insight.forecast.precompute import SEED, default_jobs, precompute_all, series_tasks
from insight.loaders import DEFAULT_DATA_DIR, ILLUSTRATIVE_FILE, load_indicators, load_observations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m insight.forecast", description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", required=True,
                        help="project every series with enough history (the only mode)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--include-illustrative", action="store_true",
                        help="also project indicators whose status is 'illustrative'")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        indicators = load_indicators(args.data_dir)
        observations = load_observations(args.data_dir)
        if args.include_illustrative and (args.data_dir / ILLUSTRATIVE_FILE).exists():
            observations = pd.concat([observations, load_observations(args.data_dir, file=ILLUSTRATIVE_FILE)],
                                     ignore_index=True)
    except InsightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    tasks = series_tasks(observations, indicators, include_illustrative=args.include_illustrative)
    _import_prophet()  # once in the parent, so forked workers start with it loaded
    out = precompute_all(tasks, args.data_dir, jobs=args.jobs, seed=args.seed, progress=not args.quiet)
    backtests = out["backtests"]
    print(format_report(out["blocks"]))
    refused = int((backtests["error"] != "").sum())
    print(f"Projected {len(backtests) - refused} series ({refused} refused) in "
          f"{time.perf_counter() - started:.1f} s -> {', '.join(str(p) for p in out['paths'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
