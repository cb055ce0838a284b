"""Precompute projections and back-tests for every projectable (indicator, area) series.

Writes two small Parquet files the app reads instead of fitting Prophet on a rerun:

* ``projections.parquet`` — area_code, indicator_id, horizon_step, PROJECTION_COLUMNS, method;
* ``backtests.parquet`` — one row per series: Backtest fields, n_points, n_tests, last_period, caveats
  (joined with newlines), or, for a series that could not be projected, the refusal message in ``error``.

Series are projected in parallel worker processes (Prophet fits are CPU-bound); results are sorted, so
the files are identical on every run for the same data and seed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from insight import schema as s
from insight.errors import ForecastError
from insight.forecast.backtest import Backtest
from insight.forecast.project import PROJECTION_COLUMNS, Projection, project_series
from insight.forecast.series import projectable_series
from insight.loaders import REBUILD_FORECASTS, read_parquet_file

PROJECTIONS_FILE = "projections.parquet"
BACKTESTS_FILE = "backtests.parquet"
HORIZON = {s.Frequency.ANNUAL: 5, s.Frequency.MONTHLY: 24}
SEED = 2025
HORIZON_STEP = "horizon_step"
METHOD = "method"
PROJECTION_FILE_COLUMNS = [s.AREA_CODE, s.INDICATOR_ID, HORIZON_STEP, *PROJECTION_COLUMNS, METHOD]
BACKTEST_FIELDS = list(Backtest.__dataclass_fields__)
BACKTEST_FILE_COLUMNS = [s.AREA_CODE, s.INDICATOR_ID, *BACKTEST_FIELDS, "n_points", "last_period", "caveats",
                         "error"]


@dataclass(frozen=True)
class SeriesTask:
    """One series to project: its identity, type and observed history."""

    indicator_id: str
    area_code: str
    frequency: s.Frequency
    value_type: s.ValueType
    history: pd.DataFrame  # period_start, value


def series_tasks(observations: pd.DataFrame, indicators: pd.DataFrame, *,
                 include_illustrative: bool = False) -> list[SeriesTask]:
    """Every series the app may project (forecast.series.projectable_series), with its history."""
    keys = projectable_series(observations, indicators)
    if not include_illustrative:
        keys = keys[keys[s.STATUS] != s.Status.ILLUSTRATIVE.value]
    catalogue = indicators.set_index(s.INDICATOR_ID)
    observed = observations[observations[s.VALUE].notna()].merge(keys[[s.INDICATOR_ID, s.AREA_CODE]],
                                                                  on=[s.INDICATOR_ID, s.AREA_CODE])
    return [SeriesTask(str(indicator_id), str(area_code), s.Frequency(catalogue.at[indicator_id, s.FREQUENCY]),
                       s.ValueType(catalogue.at[indicator_id, s.VALUE_TYPE]),
                       group[[s.PERIOD_START, s.VALUE]].sort_values(s.PERIOD_START).reset_index(drop=True))
            for (indicator_id, area_code), group in observed.groupby([s.INDICATOR_ID, s.AREA_CODE], sort=True)]


def run_task(task: SeriesTask, seed: int = SEED) -> tuple[pd.DataFrame, dict[str, object]]:
    """Project one series; a refusal becomes an ``error`` row instead of an exception."""
    row: dict[str, object] = {s.AREA_CODE: task.area_code, s.INDICATOR_ID: task.indicator_id,
                              "n_points": len(task.history), "last_period": task.history[s.PERIOD_START].max()}
    try:
        projection = project_series(task.history, frequency=task.frequency, horizon=HORIZON[task.frequency],
                                    value_type=task.value_type, seed=seed)
    except ForecastError as exc:
        row["error"] = str(exc)
        return pd.DataFrame(columns=PROJECTION_FILE_COLUMNS), row
    frame = projection.frame.copy()
    frame.insert(0, HORIZON_STEP, np.arange(1, len(frame) + 1))
    frame.insert(0, s.INDICATOR_ID, task.indicator_id)
    frame.insert(0, s.AREA_CODE, task.area_code)
    frame[METHOD] = projection.method
    if projection.backtest is not None:
        row.update(asdict(projection.backtest))
    row["caveats"] = "\n".join(projection.caveats)
    row["error"] = ""
    return frame[PROJECTION_FILE_COLUMNS], row


def _run_chunk(tasks: list[SeriesTask], seed: int) -> list[tuple[pd.DataFrame, dict[str, object]]]:
    return [run_task(t, seed) for t in tasks]


def _chunks(tasks: list[SeriesTask], size: int) -> Iterator[list[SeriesTask]]:
    for i in range(0, len(tasks), size):
        yield tasks[i:i + size]


def precompute(tasks: list[SeriesTask], *, jobs: int = 2, seed: int = SEED,
               progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Project every task (in ``jobs`` processes) and return (projections, backtests) frames."""
    results: list[tuple[pd.DataFrame, dict[str, object]]] = []
    chunks = list(_chunks(tasks, 4))
    bar = _progress(len(tasks), progress)
    if jobs <= 1:
        for chunk in chunks:
            results.extend(_run_chunk(chunk, seed))
            bar.update(len(chunk))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk, done in zip(chunks, pool.map(_run_chunk, chunks, [seed] * len(chunks)), strict=True):
                results.extend(done)
                bar.update(len(chunk))
    bar.close()
    frames = [f for f, _ in results if not f.empty]
    projections = (pd.concat(frames, ignore_index=True) if frames
                   else pd.DataFrame(columns=PROJECTION_FILE_COLUMNS))
    backtests = pd.DataFrame([r for _, r in results]).reindex(columns=BACKTEST_FILE_COLUMNS)
    backtests["error"] = backtests["error"].fillna("")
    backtests["caveats"] = backtests["caveats"].fillna("")
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
    backtest = Backtest(**{f: (int(record[f]) if f == "n_origins" else str(record[f]) if f in ("chosen_method",
                                                                                                "summary")
                               else float(record[f])) for f in BACKTEST_FIELDS})
    frame = rows[PROJECTION_COLUMNS].reset_index(drop=True)
    caveats = tuple(c for c in str(record["caveats"]).split("\n") if c)
    return Projection(frame, str(rows[METHOD].iloc[0]), backtest, caveats).truncated(int(horizon))
