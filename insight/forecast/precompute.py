"""Precompute the pool, the leak-free evaluation and the projections of every projectable series.

One table of back-test forecasts from every cut of every real series (``cuts.panel_cuts``, the slow
part: Prophet fits, in worker processes) gives, in order:

1. the leak-free evaluation (``evaluate``): data/evaluation.json and data/evaluation_detail.parquet;
2. the pool from all of it, standing at the latest data (``pool``): data/forecast_pool.parquet;
3. each series' projection with that pool: ``projections.parquet`` (area_code, indicator_id,
   horizon_step, PROJECTION_COLUMNS, method) and ``backtests.parquet`` (one row per series: the method,
   the leak-free accuracy record as JSON and in words, n_points, last_period, caveats joined with
   newlines, or, for a series that could not be projected, the refusal message in ``error``).

Results are sorted, so the files are identical on every run for the same data and seed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import numpy as np
import pandas as pd

from insight import schema as s
from insight.errors import ForecastError
from insight.forecast.accuracy import Backtest
from insight.forecast.project import PROJECTION_COLUMNS, ForecastContext, Projection, project_series
from insight.forecast.series import projectable_series
from insight.loaders import REBUILD_FORECASTS, read_parquet_file

PROJECTIONS_FILE = "projections.parquet"
BACKTESTS_FILE = "backtests.parquet"
HORIZON = {s.Frequency.ANNUAL: 5, s.Frequency.MONTHLY: 24}
SEED = 2025
HORIZON_STEP = "horizon_step"
METHOD = "method"
PROJECTION_FILE_COLUMNS = [s.AREA_CODE, s.INDICATOR_ID, HORIZON_STEP, *PROJECTION_COLUMNS, METHOD]
BACKTEST_FILE_COLUMNS = [s.AREA_CODE, s.INDICATOR_ID, "chosen_method", "summary", "backtest", "n_points",
                         "last_period", "tested_horizon", "caveats", "error"]


@dataclass(frozen=True)
class SeriesTask:
    """One series to project: its identity, type and observed history."""

    indicator_id: str
    area_code: str
    frequency: s.Frequency
    value_type: s.ValueType
    history: pd.DataFrame  # period_start, value
    status: str = s.Status.REAL.value


def series_tasks(observations: pd.DataFrame, indicators: pd.DataFrame, *,
                 include_illustrative: bool = False) -> list[SeriesTask]:
    """Every series the app may project (forecast.series.projectable_series), with its history."""
    keys = projectable_series(observations, indicators)
    if not include_illustrative:
        keys = keys[keys[s.STATUS] != s.Status.ILLUSTRATIVE.value]
    catalogue = indicators.set_index(s.INDICATOR_ID)
    observed = observations[observations[s.VALUE].notna()].merge(keys[[s.INDICATOR_ID, s.AREA_CODE]],
                                                                  on=[s.INDICATOR_ID, s.AREA_CODE])
    status = keys.set_index([s.INDICATOR_ID, s.AREA_CODE])[s.STATUS]
    return [SeriesTask(str(indicator_id), str(area_code), s.Frequency(str(catalogue.at[indicator_id, s.FREQUENCY])),
                       s.ValueType(str(catalogue.at[indicator_id, s.VALUE_TYPE])),
                       group[[s.PERIOD_START, s.VALUE]].sort_values(s.PERIOD_START).reset_index(drop=True),
                       str(status.loc[(str(indicator_id), str(area_code))]))
            for (indicator_id, area_code), group in observed.groupby([s.INDICATOR_ID, s.AREA_CODE], sort=True)]


def run_task(task: SeriesTask, context: ForecastContext,
             seed: int = SEED) -> tuple[pd.DataFrame, dict[str, object]]:
    """Project one series; a refusal becomes an ``error`` row instead of an exception."""
    row: dict[str, object] = {s.AREA_CODE: task.area_code, s.INDICATOR_ID: task.indicator_id,
                              "n_points": len(task.history), "last_period": task.history[s.PERIOD_START].max()}
    try:
        projection = project_series(task.history, frequency=task.frequency, horizon=HORIZON[task.frequency],
                                    value_type=task.value_type, seed=seed, indicator_id=task.indicator_id,
                                    area_code=task.area_code, context=context)
    except ForecastError as exc:
        row["error"] = str(exc)
        return pd.DataFrame(columns=PROJECTION_FILE_COLUMNS), row
    frame = projection.frame.copy()
    frame.insert(0, HORIZON_STEP, np.arange(1, len(frame) + 1))
    frame.insert(0, s.INDICATOR_ID, task.indicator_id)
    frame.insert(0, s.AREA_CODE, task.area_code)
    frame[METHOD] = projection.method
    row["chosen_method"] = projection.method
    row["tested_horizon"] = projection.tested_horizon
    if projection.backtest is not None:
        row["summary"] = projection.backtest.summary
        row["backtest"] = projection.backtest.to_json()
    row["caveats"] = "\n".join(projection.caveats)
    row["error"] = ""
    return frame[PROJECTION_FILE_COLUMNS], row


def _run_chunk(tasks: list[SeriesTask], context: ForecastContext,
               seed: int) -> list[tuple[pd.DataFrame, dict[str, object]]]:
    return [run_task(t, context, seed) for t in tasks]


def _chunks(tasks: list[SeriesTask], size: int) -> Iterator[list[SeriesTask]]:
    for i in range(0, len(tasks), size):
        yield tasks[i:i + size]


def precompute(tasks: list[SeriesTask], *, context: ForecastContext, jobs: int = 2, seed: int = SEED,
               progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Project every task with ``context`` (in ``jobs`` processes); return (projections, backtests)."""
    results: list[tuple[pd.DataFrame, dict[str, object]]] = []
    chunks = list(_chunks(tasks, 4))
    bar = _progress(len(tasks), progress)
    if jobs <= 1:
        for chunk in chunks:
            results.extend(_run_chunk(chunk, context, seed))
            bar.update(len(chunk))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk, done in zip(chunks, pool.map(_run_chunk, chunks, [context] * len(chunks),
                                                    [seed] * len(chunks)), strict=True):
                results.extend(done)
                bar.update(len(chunk))
    bar.close()
    frames = [f for f, _ in results if not f.empty]
    projections = (pd.concat(frames, ignore_index=True) if frames
                   else pd.DataFrame(columns=PROJECTION_FILE_COLUMNS))
    backtests = pd.DataFrame([r for _, r in results]).reindex(columns=BACKTEST_FILE_COLUMNS)
    backtests["error"] = backtests["error"].fillna("")
    backtests["tested_horizon"] = backtests["tested_horizon"].fillna(0).astype(int)
    for column in ("caveats", "summary", "backtest", "chosen_method"):
        backtests[column] = backtests[column].fillna("").astype(str)
    key = [s.INDICATOR_ID, s.AREA_CODE]
    return (projections.sort_values([*key, HORIZON_STEP]).reset_index(drop=True),
            backtests.sort_values(key).reset_index(drop=True))


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool):  # noqa: ANN202 - tqdm or a stand-in
    if not enabled:
        return _NoBar()
    from tqdm import tqdm  # installed with Prophet (cmdstanpy depends on it)

    return tqdm(total=total, unit="series", desc="Projecting")


def default_jobs() -> int:
    """Two workers (the target machine has two cores), fewer if the machine has one."""
    return max(1, min(2, os.cpu_count() or 1))


def write_outputs(projections: pd.DataFrame, backtests: pd.DataFrame, data_dir: Path) -> tuple[Path, Path]:
    """Write both files into ``data_dir``; return their paths."""
    data_dir = Path(data_dir)
    p_path, b_path = data_dir / PROJECTIONS_FILE, data_dir / BACKTESTS_FILE
    projections.to_parquet(p_path, index=False)
    backtests.to_parquet(b_path, index=False)
    return p_path, b_path


def load_precomputed(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The precomputed (projections, backtests) frames; empty frames when the files are absent (series are
    then projected live); DataFileError when one is unreadable or lacks its columns."""
    data_dir = Path(data_dir)
    p_path, b_path = data_dir / PROJECTIONS_FILE, data_dir / BACKTESTS_FILE
    if not (p_path.exists() and b_path.exists()):
        return pd.DataFrame(columns=PROJECTION_FILE_COLUMNS), pd.DataFrame(columns=BACKTEST_FILE_COLUMNS)
    return (read_parquet_file(p_path, PROJECTION_FILE_COLUMNS, REBUILD_FORECASTS),
            read_parquet_file(b_path, [s.AREA_CODE, s.INDICATOR_ID, "error"], REBUILD_FORECASTS))


def projection_from_precomputed(projections: pd.DataFrame, backtests: pd.DataFrame, indicator_id: str,
                                area_code: str, horizon: int,
                                history: pd.DataFrame | None = None) -> Projection | None:
    """The stored projection of one series for ``horizon`` periods, or None when it was not precomputed
    that far, or (given the current ``history``) was computed from different data: a stale file is never
    shown. A series the precompute refused raises ForecastError with the stored message."""
    row = backtests[(backtests[s.INDICATOR_ID] == indicator_id) & (backtests[s.AREA_CODE] == area_code)]
    if row.empty:
        return None
    record = row.iloc[0]
    if history is not None:
        observed = history[history[s.VALUE].notna()]
        if len(observed) != int(record["n_points"]) or \
                pd.Timestamp(observed[s.PERIOD_START].max()) != pd.Timestamp(record["last_period"]):
            return None
    if str(record["error"]):
        raise ForecastError(str(record["error"]))
    rows = projections[(projections[s.INDICATOR_ID] == indicator_id) & (projections[s.AREA_CODE] == area_code)]
    if len(rows) < int(horizon):
        return None
    rows = rows.sort_values(HORIZON_STEP)
    backtest = Backtest.from_json(str(record["backtest"])) if str(record["backtest"]) else None
    frame = rows[PROJECTION_COLUMNS].reset_index(drop=True)
    caveats = tuple(c for c in str(record["caveats"]).split("\n") if c)
    return Projection(frame, str(rows[METHOD].iloc[0]), backtest, caveats,
                      int(record["tested_horizon"])).truncated(int(horizon))


class PrecomputeResult(TypedDict):
    """What precompute_all returns: the evaluation.json blocks, the files written and the back-test table."""

    blocks: dict[str, dict[str, object] | None]
    paths: list[Path]
    backtests: pd.DataFrame


def precompute_all(tasks: list[SeriesTask], data_dir: Path, *, jobs: int = 2, seed: int = SEED,
                   progress: bool = True) -> PrecomputeResult:
    """Steps 1-3 of the module docstring for ``tasks`` (pool and evaluation from the real ones only);
    writes every file into ``data_dir`` and returns the evaluation blocks and file paths."""
    from insight.forecast.accuracy import load_evaluation
    from insight.forecast.cuts import panel_cuts
    from insight.forecast.evaluate import evaluate_tasks, split_cuts, summarise, write_all
    from insight.forecast.pool import build_pool, combine, write_pool

    real = [t for t in tasks if t.status != s.Status.ILLUSTRATIVE.value]
    cuts = panel_cuts(real, seed=seed, jobs=jobs)
    results, detail = evaluate_tasks(real, cuts)
    paths = list(write_all(results, detail, data_dir))
    by_frequency = split_cuts(cuts, real)
    pool = combine([build_pool(frame[frame["y_true"].notna()], s.Frequency(name))
                    for name, frame in by_frequency.items() if not frame.empty])
    paths.append(write_pool(pool, data_dir))
    context = ForecastContext(pool, load_evaluation(Path(data_dir)))
    projections, backtests = precompute(tasks, context=context, jobs=jobs, seed=seed, progress=progress)
    paths.extend(write_outputs(projections, backtests, data_dir))
    return {"blocks": {name: summarise(r.cells, r.origins, r.frequency) for name, r in results.items()},
            "paths": paths, "backtests": backtests}
