"""Leak-free evaluation of the projection procedure: ``python -m insight.forecast.evaluate`` (``make evaluate``).

Rolling origins: standing at each of the last ``N_ORIGINS`` periods that still have ``EVAL_HORIZON``
periods of outcomes after them (the years 2019-2022 on the Essex data), every series is cut at the
origin and the WHOLE procedure is run on the cut data only -- method choice, calibration, pooling
across series, everything -- then scored on the 1-3 periods that follow. A procedure is a function
from the series and the origins to forecasts; it is given only the cut histories, so it cannot see
an outcome it is scored on.

Figures, per horizon (and overall), on the same cells for every method:

* median MASE of the method used, of naive last value and of naive drift: per series, the mean
  absolute error at that horizon divided by the mean absolute one-step change of the data up to the
  origin; then the median over series;
* the share of series where the method used has a strictly smaller mean scaled error than naive;
* the share of outcomes inside the 80% and 95% ranges;
* the mean width of the 80% range relative to naive last value's 80% range calibrated the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from insight import schema as s
from insight.forecast.precompute import SeriesTask

N_ORIGINS = 4
EVAL_HORIZON = 3
EVALUATION_FILE = "evaluation.json"
GENERATED_BY = "make evaluate"
SUMMARY_KEYS = ("n_cells", "mase_used", "mase_naive_last", "mase_drift", "share_beating_naive", "coverage_80",
                "coverage_95", "width_ratio_naive")
FORECAST_COLUMNS = [s.INDICATOR_ID, s.AREA_CODE, "origin", "horizon", "target", "method", "point", "lower_80",
                    "upper_80", "lower_95", "upper_95", "point_naive_last", "point_drift", "lower_80_naive",
                    "upper_80_naive", "scale"]

Procedure = Callable[[Sequence[SeriesTask], s.Frequency, Sequence[int]], pd.DataFrame]


def period_key(dates: pd.Series | pd.DatetimeIndex, frequency: s.Frequency) -> np.ndarray:
    """An integer per period: the year (annual) or year * 12 + month - 1 (monthly)."""
    index = pd.DatetimeIndex(dates)
    if s.Frequency(frequency) == s.Frequency.ANNUAL:
        return index.year.to_numpy(dtype=int)
    return (index.year * 12 + index.month - 1).to_numpy(dtype=int)


def key_label(key: int, frequency: s.Frequency) -> str:
    """'2019' for a year, 'Jun 2025' for a month."""
    if s.Frequency(frequency) == s.Frequency.ANNUAL:
        return str(int(key))
    return pd.Timestamp(year=int(key) // 12, month=int(key) % 12 + 1, day=1).strftime("%b %Y")


def cut_history(task: SeriesTask, origin: int) -> pd.DataFrame:
    """The observed history of ``task`` up to and including the origin period."""
    keys = period_key(task.history[s.PERIOD_START], task.frequency)
    return task.history[keys <= origin].reset_index(drop=True)


def evaluation_origins(tasks: Sequence[SeriesTask], n_origins: int = N_ORIGINS,
                       horizon: int = EVAL_HORIZON) -> list[int]:
    """The last ``n_origins`` periods that still have ``horizon`` periods of data after them."""
    if not tasks:
        return []
    latest = max(int(period_key(t.history[s.PERIOD_START], t.frequency).max()) for t in tasks)
    last = latest - horizon
    return list(range(last - n_origins + 1, last + 1))


def score_forecasts(forecasts: pd.DataFrame, tasks: Sequence[SeriesTask]) -> pd.DataFrame:
    """Join forecasts to the outcomes they forecast: one row (cell) per series, origin and horizon."""
    truth = pd.concat([pd.DataFrame({s.INDICATOR_ID: t.indicator_id, s.AREA_CODE: t.area_code,
                                     "target": period_key(t.history[s.PERIOD_START], t.frequency),
                                     "actual": t.history[s.VALUE].to_numpy(dtype=float)}) for t in tasks],
                      ignore_index=True)
    cells = forecasts.merge(truth, on=[s.INDICATOR_ID, s.AREA_CODE, "target"], how="inner")
    y = cells["actual"]
    cells["err_used"] = (y - cells["point"]).abs() / cells["scale"]
    cells["err_naive_last"] = (y - cells["point_naive_last"]).abs() / cells["scale"]
    cells["err_drift"] = (y - cells["point_drift"]).abs() / cells["scale"]
    cells["hit_80"] = (cells["lower_80"] <= y) & (y <= cells["upper_80"])
    cells["hit_95"] = (cells["lower_95"] <= y) & (y <= cells["upper_95"])
    naive_width = cells["upper_80_naive"] - cells["lower_80_naive"]
    cells["width_ratio_naive"] = (cells["upper_80"] - cells["lower_80"]) / naive_width.where(naive_width > 0)
    return cells.sort_values([s.INDICATOR_ID, s.AREA_CODE, "origin", "horizon"]).reset_index(drop=True)


def _summary(cells: pd.DataFrame) -> dict[str, float | int]:
    """The SUMMARY_KEYS figures of a set of cells (see the module docstring)."""
    per_series = cells.groupby([s.INDICATOR_ID, s.AREA_CODE])[["err_used", "err_naive_last", "err_drift"]].mean()
    return {
        "n_cells": len(cells),
        "mase_used": float(per_series["err_used"].median()),
        "mase_naive_last": float(per_series["err_naive_last"].median()),
        "mase_drift": float(per_series["err_drift"].median()),
        "share_beating_naive": float((per_series["err_used"] < per_series["err_naive_last"]).mean()),
        "coverage_80": float(cells["hit_80"].mean()),
        "coverage_95": float(cells["hit_95"].mean()),
        "width_ratio_naive": float(cells["width_ratio_naive"].mean()),
    }


def summarise(cells: pd.DataFrame, origins: Sequence[int], frequency: s.Frequency) -> dict[str, object] | None:
    """The evaluation.json block of one frequency, or None when nothing was scored."""
    if cells.empty:
        return None
    by_horizon = [{"horizon": int(h), **_summary(group)} for h, group in cells.groupby("horizon", sort=True)]
    return {"n_series": int(cells[[s.INDICATOR_ID, s.AREA_CODE]].drop_duplicates().shape[0]),
            "origins": [key_label(o, frequency) for o in origins],
            "by_horizon": by_horizon, "overall": _summary(cells)}


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def evaluation_json(blocks: dict[str, dict[str, object] | None]) -> str:
    """The committed summary (deterministic: fixed key order, figures rounded to 4 decimals)."""
    payload = {"generated_by": GENERATED_BY, "annual": blocks.get("annual"), "monthly": blocks.get("monthly")}
    return json.dumps(_rounded(payload), indent=2) + "\n"


@dataclass(frozen=True)
class FrequencyResult:
    """The scored cells of one frequency and the origins used."""

    frequency: s.Frequency
    origins: tuple[int, ...]
    cells: pd.DataFrame


def run_evaluation(tasks: Sequence[SeriesTask], procedure: Procedure, *,
                   n_origins: int = N_ORIGINS) -> dict[str, FrequencyResult]:
    """Run ``procedure`` at rolling origins for each frequency and score it."""
    out: dict[str, FrequencyResult] = {}
    for frequency in (s.Frequency.ANNUAL, s.Frequency.MONTHLY):
        mine = [t for t in tasks if t.frequency == frequency]
        origins = evaluation_origins(mine, n_origins)
        forecasts = procedure(mine, frequency, origins) if mine else pd.DataFrame(columns=FORECAST_COLUMNS)
        cells = score_forecasts(forecasts, mine) if not forecasts.empty else forecasts
        out[str(frequency)] = FrequencyResult(frequency, tuple(origins), cells)
    return out


def format_report(blocks: dict[str, dict[str, object] | None]) -> str:
    """The printed table of ``make evaluate``."""
    lines = []
    for name, block in blocks.items():
        if block is None:
            lines.append(f"{name}: no series to evaluate")
            continue
        lines.append(f"{name}: {block['n_series']} series, origins {', '.join(block['origins'])}")
        lines.append("  horizon  cells  MASE used  naive last  drift  beats naive  cover 80%  cover 95%  "
                     "width/naive")
        rows = [*block["by_horizon"], {"horizon": "all", **block["overall"]}]
        for row in rows:
            lines.append(f"  {row['horizon']!s:>7}  {row['n_cells']:>5}  {row['mase_used']:>9.3f}  "
                         f"{row['mase_naive_last']:>10.3f}  {row['mase_drift']:>5.3f}  "
                         f"{100 * row['share_beating_naive']:>10.1f}%  {100 * row['coverage_80']:>8.1f}%  "
                         f"{100 * row['coverage_95']:>8.1f}%  {row['width_ratio_naive']:>11.2f}")
    return "\n".join(lines)


def write_evaluation(results: dict[str, FrequencyResult], data_dir: Path) -> Path:
    """Write evaluation.json into ``data_dir``."""
    blocks = {name: summarise(r.cells, r.origins, r.frequency) for name, r in results.items()}
    path = Path(data_dir) / EVALUATION_FILE
    path.write_text(evaluation_json(blocks), encoding="utf-8")
    return path


# ---- the procedure on main before issue 10 (per-series choice and calibration), for the baseline ----

def _legacy_series(task: SeriesTask, origins: Sequence[int], seed: int) -> list[dict[str, object]]:
    from insight.forecast.backtest import run_backtest
    from insight.forecast.calibration import LEVELS, growth_exponent, step_scale
    from insight.forecast.models import NAIVE_DRIFT, NAIVE_LAST, predict
    from insight.forecast.project import BACKTEST_HORIZON, BACKTEST_ORIGINS
    from insight.forecast.series import MIN_HISTORY, prepare_series

    rows: list[dict[str, object]] = []
    keys = period_key(task.history[s.PERIOD_START], task.frequency)
    for origin in origins:
        history = task.history[keys <= origin]
        if len(history) < MIN_HISTORY[task.frequency] or keys[keys <= origin].max() != origin:
            continue
        prepared = prepare_series(history, frequency=task.frequency, value_type=task.value_type)
        detail = run_backtest(prepared, horizon=BACKTEST_HORIZON, n_origins=BACKTEST_ORIGINS, seed=seed)
        method = detail.backtest.chosen_method
        steps = np.arange(1, EVAL_HORIZON + 1)
        future = prepared.positions[-1] + steps
        scale, growth = step_scale(prepared.positions, prepared.z), growth_exponent(prepared.positions, prepared.z)
        inv = prepared.transform.inverse
        points = {m: predict(m, prepared.positions, prepared.z, future, prepared=prepared, seed=seed)
                  for m in {method, NAIVE_LAST, NAIVE_DRIFT}}
        bands = {}
        for name, m in (("", method), ("_naive", NAIVE_LAST)):
            for level in LEVELS:
                half = detail.calibrations[m].half_width(level, scale, steps, growth)
                tag = round(100 * level)
                bands[f"lower_{tag}{name}"] = inv(points[m] - half)
                bands[f"upper_{tag}{name}"] = inv(points[m] + half)
        value_scale = step_scale(prepared.positions, prepared.values)
        for k, h in enumerate(steps):
            rows.append({s.INDICATOR_ID: task.indicator_id, s.AREA_CODE: task.area_code, "origin": origin,
                         "horizon": int(h), "target": origin + int(h), "method": method,
                         "point": float(inv(points[method])[k]),
                         "point_naive_last": float(inv(points[NAIVE_LAST])[k]),
                         "point_drift": float(inv(points[NAIVE_DRIFT])[k]),
                         **{c: float(v[k]) for c, v in bands.items() if c in FORECAST_COLUMNS or c.endswith("_95")
                            and not c.endswith("naive")},
                         "scale": value_scale})
    return rows


def _legacy_chunk(args: tuple[list[SeriesTask], list[int], int]) -> list[dict[str, object]]:
    tasks, origins, seed = args
    return [row for task in tasks for row in _legacy_series(task, origins, seed)]


def legacy_procedure(tasks: Sequence[SeriesTask], frequency: s.Frequency, origins: Sequence[int], *,
                     jobs: int = 2, seed: int = 2025) -> pd.DataFrame:
    """The procedure as it was on main: per-series method choice and shrunk-t calibration, each series
    back-tested on its own data up to the origin (leak-free as run here: the series is cut first)."""
    from concurrent.futures import ProcessPoolExecutor

    chunks = [(list(tasks[i:i + 8]), list(origins), seed) for i in range(0, len(tasks), 8)]
    if jobs <= 1:
        rows = [r for c in chunks for r in _legacy_chunk(c)]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            rows = [r for done in pool.map(_legacy_chunk, chunks) for r in done]
    return pd.DataFrame(rows).reindex(columns=[*FORECAST_COLUMNS, "lower_95", "upper_95"]).loc[
        :, lambda f: ~f.columns.duplicated()]


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    from insight.forecast.models import _import_prophet
    from insight.forecast.precompute import default_jobs, series_tasks
    from insight.loaders import DEFAULT_DATA_DIR, load_indicators, load_observations

    parser = argparse.ArgumentParser(prog="python -m insight.forecast.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--procedure", choices=["legacy"], default="legacy")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--cells-out", type=Path, help="also write every scored cell to this folder")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tasks = series_tasks(load_observations(args.data_dir), load_indicators(args.data_dir))
    _import_prophet()
    results = run_evaluation(tasks, lambda t, f, o: legacy_procedure(t, f, o, jobs=args.jobs))
    blocks = {name: summarise(r.cells, r.origins, r.frequency) for name, r in results.items()}
    print(format_report(blocks))
    if not args.no_write:
        print(f"-> {write_evaluation(results, args.data_dir)}")
    if args.cells_out:
        for name, r in results.items():
            r.cells.to_parquet(args.cells_out / f"evaluation_cells_{name}.parquet", index=False)
    print(f"evaluated in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
