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
from typing import Any, cast

import numpy as np
import pandas as pd

from insight import schema as s
from insight.forecast.accuracy import DETAIL_FILE, EVALUATION_FILE
from insight.forecast.cuts import CUT, HORIZON, N_TRAIN, key_label, known_at, period_key
from insight.forecast.models import NAIVE_DRIFT, NAIVE_LAST
from insight.forecast.pool import CalibrationPool, build_pool, with_ranges
from insight.forecast.precompute import SeriesTask
from insight.forecast.series import MIN_HISTORY

N_ORIGINS = 4
EVAL_HORIZON = 3
GENERATED_BY = "make evaluate"
SUMMARY_KEYS = ("n_cells", "mase_used", "mase_naive_last", "mase_drift", "share_beating_naive", "coverage_80",
                "coverage_95", "width_ratio_naive")
FORECAST_COLUMNS = [s.INDICATOR_ID, s.AREA_CODE, "origin", "horizon", "target", "method", "point", "lower_80",
                    "upper_80", "lower_95", "upper_95", "point_naive_last", "point_drift", "lower_80_naive",
                    "upper_80_naive", "scale"]

Procedure = Callable[[Sequence[SeriesTask], s.Frequency, Sequence[int]], pd.DataFrame]


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
    by_horizon = [{"horizon": int(cast(int, h)), **_summary(group)} for h, group in cells.groupby("horizon", sort=True)]
    return {"n_series": int(cells[[s.INDICATOR_ID, s.AREA_CODE]].drop_duplicates().shape[0]),
            "origins": [key_label(o, frequency) for o in origins],
            "by_horizon": by_horizon, "overall": _summary(cells)}


def _rounded(value: Any) -> Any:
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
    """The printed table of ``make evaluate`` (from the figures as rounded in evaluation.json)."""
    lines = []
    for name, block in _rounded(blocks).items():
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


# ---- the pooled procedure -------------------------------------------------------------------------

def pooled_forecasts(cuts: pd.DataFrame, frequency: s.Frequency, origins: Sequence[int]) -> pd.DataFrame:
    """Standing at each origin: the pool and method choices from the back-test forecasts known then
    (``cuts.known_at``), applied to the forecasts made at the origin by series with a value at the origin
    and at least MIN_HISTORY values up to it (FORECAST_COLUMNS)."""
    out = []
    for origin in origins:
        pool = build_pool(known_at(cuts, origin), frequency)
        at = forecasts_at_origin(cuts, frequency, origin)
        if at.empty:
            continue
        out.append(beside_references(with_ranges(at, pool, frequency), at, pool, frequency, origin))
    return pd.concat(out, ignore_index=True)[FORECAST_COLUMNS] if out else pd.DataFrame(columns=FORECAST_COLUMNS)


def beside_references(used: pd.DataFrame, at: pd.DataFrame, pool: CalibrationPool, frequency: s.Frequency,
                      origin: int) -> pd.DataFrame:
    """The forecasts of the method used at ``origin`` (``with_ranges`` rows) beside naive last value's (with its
    80% range, calibrated the same way) and drift's, from ``at``, the forecasts made there (FORECAST_COLUMNS)."""
    naive = with_ranges(at, pool, frequency, method=NAIVE_LAST)
    key = [s.INDICATOR_ID, s.AREA_CODE, HORIZON]
    frame = used.merge(naive[[*key, "y_pred", "lower_80", "upper_80"]].rename(columns={
        "y_pred": "point_naive_last", "lower_80": "lower_80_naive", "upper_80": "upper_80_naive"}), on=key)
    drift = at[at["method"] == NAIVE_DRIFT][[*key, "y_pred"]].rename(columns={"y_pred": "point_drift"})
    frame = frame.merge(drift, on=key).rename(columns={"y_pred": "point", "scale_y": "scale"})
    frame["origin"] = origin
    return frame[FORECAST_COLUMNS]


def forecasts_at_origin(cuts: pd.DataFrame, frequency: s.Frequency, origin: int) -> pd.DataFrame:
    """The back-test forecasts made at ``origin`` by series long enough to project, 1 to EVAL_HORIZON ahead."""
    return cuts[(cuts[CUT] == origin) & (cuts[N_TRAIN] >= MIN_HISTORY[s.Frequency(frequency)])
                & (cuts[HORIZON] <= EVAL_HORIZON)]


def method_cells(cuts: pd.DataFrame, tasks: Sequence[SeriesTask], frequency: s.Frequency,
                 origins: Sequence[int]) -> pd.DataFrame:
    """Each method's own leak-free errors at the origins (a fixed method: nothing is chosen), scaled
    like MASE: indicator_id, area_code, origin, horizon, method, err."""
    at = pd.concat([forecasts_at_origin(cuts, frequency, o) for o in origins], ignore_index=True)
    at = at[at["y_true"].notna()]
    keys = {(t.indicator_id, t.area_code) for t in tasks}
    at = at[[k in keys for k in zip(at[s.INDICATOR_ID], at[s.AREA_CODE], strict=True)]]
    return pd.DataFrame({s.INDICATOR_ID: at[s.INDICATOR_ID], s.AREA_CODE: at[s.AREA_CODE], "origin": at[CUT],
                         "horizon": at[HORIZON], "method": at["method"],
                         "err": (at["y_true"] - at["y_pred"]).abs() / at["scale_y"]}).reset_index(drop=True)


def pooled_procedure(cuts_by_frequency: dict[str, pd.DataFrame]) -> Procedure:
    """The production procedure as a harness procedure, on cut tables already made (``cuts.panel_cuts``)."""
    def run(tasks: Sequence[SeriesTask], frequency: s.Frequency, origins: Sequence[int]) -> pd.DataFrame:
        return pooled_forecasts(cuts_by_frequency[str(frequency)], frequency, origins)
    return run


def split_cuts(cuts: pd.DataFrame, tasks: Sequence[SeriesTask]) -> dict[str, pd.DataFrame]:
    """The cut table by frequency (the tasks say each series' frequency)."""
    frequency = {(t.indicator_id, t.area_code): str(t.frequency) for t in tasks}
    which = pd.Series([frequency.get(k, "") for k in zip(cuts[s.INDICATOR_ID], cuts[s.AREA_CODE], strict=True)],
                      index=cuts.index, dtype=object)
    return {str(f): cuts[which == str(f)] for f in (s.Frequency.ANNUAL, s.Frequency.MONTHLY)}


# ---- per-series and per-family figures for the screen -----------------------------------------------

DETAIL_COLUMNS = ["scope", s.FREQUENCY, "family", s.INDICATOR_ID, s.AREA_CODE, "horizon", "method", "n_series",
                  "n_cells", "mase", "mase_naive_last", "coverage_80", "coverage_95", "methods_used"]


def detail_table(results: dict[str, FrequencyResult], per_method: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Leak-free figures for the screen: scope 'series' (one series, the procedure's method at each origin,
    and each fixed method), 'family' (an indicator's series pooled) and 'all' (every series), by horizon
    (0 = 1 to EVAL_HORIZON together). ``mase`` is a series' mean scaled error, or the median of those."""
    rows: list[dict[str, object]] = []
    for name, result in results.items():
        cells = result.cells
        if cells.empty:
            continue
        cells = cells.assign(family=cells[s.INDICATOR_ID])
        for h, hcells in [*cells.groupby("horizon", sort=True), (0, cells)]:
            for (ind, area), g in hcells.groupby([s.INDICATOR_ID, s.AREA_CODE], sort=True):
                rows.append({"scope": "series", s.FREQUENCY: name, "family": ind, s.INDICATOR_ID: ind,
                             s.AREA_CODE: area, "horizon": int(h), "method": "used", "n_series": 1,
                             "n_cells": len(g), "mase": float(g["err_used"].mean()),
                             "mase_naive_last": float(g["err_naive_last"].mean()),
                             "coverage_80": float(g["hit_80"].mean()), "coverage_95": float(g["hit_95"].mean()),
                             "methods_used": ",".join(sorted(set(g["method"])))})
            for scope, groups in (("family", hcells.groupby("family", sort=True)), ("all", [("", hcells)])):
                for family, g in groups:
                    per_series = g.groupby([s.INDICATOR_ID, s.AREA_CODE])[["err_used", "err_naive_last"]].mean()
                    rows.append({"scope": scope, s.FREQUENCY: name, "family": family or "*", s.INDICATOR_ID: "",
                                 s.AREA_CODE: "", "horizon": int(h), "method": "used",
                                 "n_series": len(per_series), "n_cells": len(g),
                                 "mase": float(per_series["err_used"].median()),
                                 "mase_naive_last": float(per_series["err_naive_last"].median()),
                                 "coverage_80": float(g["hit_80"].mean()), "coverage_95": float(g["hit_95"].mean()),
                                 "methods_used": ",".join(sorted(set(g["method"])))})
        fixed = per_method.get(name)
        if fixed is not None and not fixed.empty:
            naive = fixed[fixed["method"] == NAIVE_LAST][[s.INDICATOR_ID, s.AREA_CODE, "origin", "horizon", "err"]]
            both = fixed.merge(naive.rename(columns={"err": "err_naive"}),
                               on=[s.INDICATOR_ID, s.AREA_CODE, "origin", "horizon"])
            for h, hcells in [*both.groupby("horizon", sort=True), (0, both)]:
                for (ind, area, method), g in hcells.groupby([s.INDICATOR_ID, s.AREA_CODE, "method"], sort=True):
                    rows.append({"scope": "series", s.FREQUENCY: name, "family": ind, s.INDICATOR_ID: ind,
                                 s.AREA_CODE: area, "horizon": int(h), "method": method, "n_series": 1,
                                 "n_cells": len(g), "mase": float(g["err"].mean()),
                                 "mase_naive_last": float(g["err_naive"].mean()), "coverage_80": np.nan,
                                 "coverage_95": np.nan, "methods_used": method})
    frame = pd.DataFrame(rows, columns=DETAIL_COLUMNS)
    return frame.sort_values(["scope", s.FREQUENCY, "family", s.INDICATOR_ID, s.AREA_CODE, "method", "horizon"]) \
        .reset_index(drop=True)


# ---- command line ---------------------------------------------------------------------------------

def evaluate_tasks(tasks: Sequence[SeriesTask], cuts: pd.DataFrame) -> tuple[dict[str, FrequencyResult],
                                                                             pd.DataFrame]:
    """The harness on a cut table of ``tasks``: per-frequency results and the detail table."""
    by_frequency = split_cuts(cuts, tasks)
    results = run_evaluation(tasks, pooled_procedure(by_frequency))
    per_method = {name: method_cells(by_frequency[name], [t for t in tasks if str(t.frequency) == name],
                                     r.frequency, r.origins) for name, r in results.items()}
    return results, detail_table(results, per_method)


def write_all(results: dict[str, FrequencyResult], detail: pd.DataFrame, data_dir: Path) -> tuple[Path, Path]:
    """evaluation.json and evaluation_detail.parquet in ``data_dir``."""
    path = write_evaluation(results, data_dir)
    detail_path = Path(data_dir) / DETAIL_FILE
    detail.to_parquet(detail_path, index=False)
    return path, detail_path


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    from insight.forecast.cuts import panel_cuts
    from insight.forecast.models import _import_prophet
    from insight.forecast.precompute import SEED, default_jobs, series_tasks
    from insight.loaders import DEFAULT_DATA_DIR, load_indicators, load_observations

    parser = argparse.ArgumentParser(prog="python -m insight.forecast.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tasks = series_tasks(load_observations(args.data_dir), load_indicators(args.data_dir))
    _import_prophet()
    cuts = panel_cuts(tasks, seed=SEED, jobs=args.jobs)
    results, detail = evaluate_tasks(tasks, cuts)
    print(format_report({name: summarise(r.cells, r.origins, r.frequency) for name, r in results.items()}))
    if not args.no_write:
        for path in write_all(results, detail, args.data_dir):
            print(f"-> {path}")
    print(f"evaluated in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
