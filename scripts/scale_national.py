"""How precompute time and database size grow with a national-scale (SYNTHETIC) dataset.

    python scripts/scale_national.py [--sample 160] [--db-councils 1,10,30] [--target-councils 150]

The dataset is the Essex structure replicated to N councils (deploy/synthetic.py), written to a temp dir and
deleted afterwards; it is labelled synthetic and never shipped. Printed:
- series to project per council (exact: the replicated structure gives the same series per council);
- series per second on a Dask LocalCluster with 1 and 2 workers, timed on a fixed random sample of a
  council's series after every worker has imported Prophet and fitted a warm-up series;
- the projected precompute time for --target-councils at each worker count (series / rate);
- the database size (the dataset's schema, tables with their indexes and TOAST) and load time for each
  council count loaded into a throwaway PostgreSQL + PostGIS, with a straight-line fit projected to the target.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from deploy.local_pg import start_local_postgres
from deploy.synthetic import write_synthetic_national
from insight.forecast.distributed import close_local, local_client, run_on_dask, warm_up
from insight.forecast.precompute import SeriesTask, series_tasks
from insight.forecast.project import ForecastContext, default_context
from insight.loaders import load_dataset
from insight.store.load_postgres import load_into_postgres, read_built_dataset

ROOT = Path(__file__).resolve().parents[1]


def series_count(folder: Path) -> int:
    """How many series the precompute projects for a dataset (illustrative excluded, as `--all` does)."""
    dataset = load_dataset(folder)
    return len(series_tasks(dataset.observations, dataset.indicators))


def rate(tasks: list[SeriesTask], workers: int, context: ForecastContext) -> tuple[float, float]:
    """(series per second, seconds) projecting `tasks` on a local Dask cluster of `workers` processes."""
    client = local_client(workers)
    try:
        warm_up(client)
        run_on_dask(tasks[:workers], client, context=context)  # one warm-up fit per worker, not timed
        started = time.perf_counter()
        run_on_dask(tasks, client, context=context)
        elapsed = time.perf_counter() - started
    finally:
        close_local(client)
    return len(tasks) / elapsed, elapsed


def _first(row: tuple[Any, ...] | None) -> Any:
    """The first column of a query's one row."""
    if row is None:
        raise RuntimeError("the query returned no row")
    return row[0]


def schema_bytes(url: str) -> tuple[int, int]:
    """(bytes of the served dataset's schema, bytes of the whole database)."""
    import psycopg

    with psycopg.connect(url) as conn:
        dataset_id = _first(conn.execute("SELECT dataset_id FROM insight_meta.active").fetchone())
        schema = f"insight_{dataset_id}"
        size = _first(conn.execute("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
                            "AND c.relkind = 'r'", (schema,)).fetchone())
        database = _first(conn.execute("SELECT pg_database_size(current_database())").fetchone())
    return int(size), int(database)


def fit_line(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares (intercept, slope) through (x, y) points."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0
    return mean_y - slope * mean_x, slope


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=160, help="series timed per worker count (default 160)")
    parser.add_argument("--db-councils", default="1,10,30", help="council counts to load into PostgreSQL")
    parser.add_argument("--target-councils", type=int, default=150)
    parser.add_argument("--skip-db", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    target = args.target_councils
    print(f"SYNTHETIC national-scale dataset: the Essex structure replicated (not real data). "
          f"Load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores.")
    with tempfile.TemporaryDirectory(prefix="insight-national-") as tmp:
        one = write_synthetic_national(Path(tmp) / "n1", 1)
        two = write_synthetic_national(Path(tmp) / "n2", 2)
        s1, s2 = series_count(one), series_count(two)
        per_council, shared = s2 - s1, 2 * s1 - s2
        total = shared + target * per_council
        print(f"Series to project: {per_council} per council + {shared} shared (England, region) "
              f"-> {total:,} for {target} councils.")

        if not args.skip_timing:
            dataset = load_dataset(one)
            tasks = series_tasks(dataset.observations, dataset.indicators)
            sample = random.Random(16).sample(tasks, min(args.sample, len(tasks)))
            print(f"\nPrecompute on Dask (LocalCluster, 1 thread per worker), {len(sample)} series sampled "
                  "from one council:")
            print(f"{'workers':>7} {'series/s':>9} {'sample s':>9} {f'projected for {target} councils':>32}")
            for workers in (1, 2):
                per_second, elapsed = rate(sample, workers, default_context(one))
                projected = total / per_second
                print(f"{workers:>7} {per_second:>9.1f} {elapsed:>9.1f} {projected / 60:>24.0f} min "
                      f"({projected / 3600:.1f} h)")
            print(f"Load average after timing: {os.getloadavg()[0]:.2f}")

        if args.skip_db:
            return 0
        counts = [int(c) for c in args.db_councils.split(",") if c]
        print("\nDatabase (PostgreSQL 15 + PostGIS, the dataset's schema incl. indexes and TOAST):")
        print(f"{'councils':>8} {'observations':>13} {'schema MB':>10} {'database MB':>12} {'load s':>7}")
        cluster = start_local_postgres()
        points: list[tuple[int, float]] = []
        try:
            for n in counts:
                folder = write_synthetic_national(Path(tmp) / f"db{n}", n)
                started = time.perf_counter()
                built = read_built_dataset(folder)
                load_into_postgres(cluster.url, built, keep=1)
                elapsed = time.perf_counter() - started
                size, database = schema_bytes(cluster.url)
                points.append((n, size))
                print(f"{n:>8} {built.row_counts()['observations']:>13,} {size / 1e6:>10.1f} "
                      f"{database / 1e6:>12.1f} {elapsed:>7.1f}")
                del built
        finally:
            cluster.stop()
        if target not in counts and len(points) >= 2:
            intercept, slope = fit_line(points)
            print(f"Straight-line fit: {intercept / 1e6:.1f} MB + {slope / 1e6:.1f} MB per council -> "
                  f"about {(intercept + slope * target) / 1e6:,.0f} MB for {target} councils (projected).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
