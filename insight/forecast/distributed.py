"""Precompute projections on a Dask distributed cluster, with the same results as the single-process run.

    python -m insight.forecast.distributed --workers 2 [--data-dir data]        # a local cluster
    python -m insight.forecast.distributed --scheduler tcp://scheduler:8786     # any Dask cluster

Each series is one Dask task running precompute's own per-series function (``precompute.run_task``) with
the same seed; results are gathered in task order and assembled exactly as ``precompute.precompute``
assembles them (a test compares the two frame by frame). Workers need this package installed (the same
image as the app) — nothing else is shipped to them but the series' histories.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from insight import schema as s
from insight.errors import InsightError
from insight.forecast.precompute import (
    BACKTEST_FILE_COLUMNS,
    HORIZON_STEP,
    PROJECTION_FILE_COLUMNS,
    SEED,
    ForecastContext,
    SeriesTask,
    run_task,
    series_tasks,
    write_outputs,
)
from insight.forecast.project import default_context

Result = tuple[pd.DataFrame, dict[str, object]]


def _warm_worker() -> bool:
    """Import Prophet once on a worker (about a second), so timings measure projections, not imports."""
    from insight.forecast.models import _import_prophet

    _import_prophet()
    return True


def warm_up(client: Any) -> None:
    """Run the Prophet import on every worker of the cluster."""
    client.run(_warm_worker)


def run_on_dask(tasks: list[SeriesTask], client: Any, *, context: ForecastContext,
                seed: int = SEED) -> list[Result]:
    """Project every task as one Dask task each (precompute.run_task with the stored pool and evaluation in
    ``context``); results in task order."""
    futures = client.map(run_task, tasks, context=context, seed=seed, pure=False)
    return client.gather(futures)


def assemble(results: list[Result]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(projections, backtests) from per-series results, exactly as precompute.precompute builds them."""
    frames = [f for f, _ in results if not f.empty]
    projections = (pd.concat(frames, ignore_index=True) if frames
                   else pd.DataFrame(columns=PROJECTION_FILE_COLUMNS))
    backtests = pd.DataFrame([r for _, r in results]).reindex(columns=BACKTEST_FILE_COLUMNS)
    backtests["error"] = backtests["error"].fillna("")
    backtests["caveats"] = backtests["caveats"].fillna("")
    key = [s.INDICATOR_ID, s.AREA_CODE]
    return (projections.sort_values([*key, HORIZON_STEP]).reset_index(drop=True),
            backtests.sort_values(key).reset_index(drop=True))


def precompute_on_dask(tasks: list[SeriesTask], client: Any, *, context: ForecastContext,
                       seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Project every task on the cluster behind `client` and return (projections, backtests)."""
    return assemble(run_on_dask(tasks, client, context=context, seed=seed))


def local_client(workers: int) -> Any:
    """A Dask client on a new local cluster of `workers` single-threaded processes (Prophet is CPU-bound)."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1")
    return Client(cluster)


def close_local(client: Any) -> None:
    """Close a client and its local cluster (workers' heartbeats racing the closing scheduler are not news)."""
    import logging

    cluster = getattr(client, "cluster", None)
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        client.close()
        if cluster is not None:
            cluster.close()
    finally:
        logging.getLogger("distributed").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    from insight.loaders import DEFAULT_DATA_DIR, ILLUSTRATIVE_FILE, load_indicators, load_observations

    parser = argparse.ArgumentParser(prog="python -m insight.forecast.distributed",
                                     description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    where.add_argument("--workers", type=int, default=2, help="local cluster size when no scheduler is given")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--include-illustrative", action="store_true")
    parser.add_argument("--seed", type=int, default=SEED)
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
    if args.scheduler:
        from dask.distributed import Client

        client = Client(args.scheduler)
    else:
        client = local_client(args.workers)
    try:
        projections, backtests = precompute_on_dask(tasks, client, context=default_context(args.data_dir),
                                                    seed=args.seed)
    finally:
        if args.scheduler:
            client.close()
        else:
            close_local(client)
    p_path, b_path = write_outputs(projections, backtests, args.data_dir)
    refused = int((backtests["error"] != "").sum())
    print(f"Projected {len(backtests) - refused} series ({refused} refused) on Dask in "
          f"{time.perf_counter() - started:.1f} s -> {p_path}, {b_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
