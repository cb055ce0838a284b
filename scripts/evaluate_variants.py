"""Design variants of the projection procedure, scored on the DEVELOPMENT origins 2013-2016 only (prints figures).

The README's "Tried on the development origins and not adopted" figures come from this script. Each variant is
leak-free like ``make evaluate``: at each origin it sees only the back-test forecasts whose outcomes are known
then (``cuts.known_at``). The test origins (2019-2022) are not scored here; a variant is run on them once, and
only if it does better than the current procedure on these origins.

Variants (annual series; point accuracy as the median MASE of the method used over naive last value's):
- ``current``: the production choice (``pool.best_method`` per family, on 1-3 steps ahead);
- ``per-step``: each step ahead uses the family's best method at that step;
- ``window-N``: the method is chosen from back-tests whose outcome is in the latest N years only;
- ``shrink``: the chosen projection moved towards naive last value by a factor (0, 1/4, 1/2, 3/4 or 1) chosen for
  each family on the known back-tests (the point only: its coverage is of the current ranges).

Usage: .venv/bin/python scripts/evaluate_variants.py [--jobs 2]   (makes the back-test cuts first: about 70 s)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from insight import schema as s
from insight.forecast import evaluate as ev
from insight.forecast import pool as pl
from insight.forecast.cuts import CUT, FAMILY, HORIZON, TARGET, known_at, panel_cuts
from insight.forecast.models import NAIVE_LAST, _import_prophet
from insight.forecast.precompute import SEED, SeriesTask, default_jobs, series_tasks
from insight.loaders import DEFAULT_DATA_DIR, load_indicators, load_observations

DEVELOPMENT_ORIGINS = (2013, 2014, 2015, 2016)
ANNUAL = s.Frequency.ANNUAL
SHRINK_FACTORS = (0.0, 0.25, 0.5, 0.75, 1.0)
Variant = Callable[[pd.DataFrame, int], pd.DataFrame]


def current(cuts: pd.DataFrame, origin: int) -> pd.DataFrame:
    return ev.pooled_forecasts(cuts, ANNUAL, [origin])


def per_step(cuts: pd.DataFrame, origin: int) -> pd.DataFrame:
    known = known_at(cuts, origin)
    pool = pl.build_pool(known, ANNUAL)
    at = ev.forecasts_at_origin(cuts, ANNUAL, origin)
    errors = pl.choice_errors(known)
    choice: dict[tuple[str, int], str] = {}
    for h in sorted(int(v) for v in errors[HORIZON].unique()):
        at_h = errors[errors[HORIZON] == h]
        for family, group in [*at_h.groupby(FAMILY), (pl.ALL, at_h)]:
            choice[(str(family), h)] = pl.best_method(group)
    parts = []
    for keys, group in at.groupby([FAMILY, HORIZON]):
        family, h = cast(tuple[str, int], keys)
        fam = str(family) if pool.family_known(ANNUAL, str(family)) else pl.ALL
        parts.append(pl.with_ranges(group, pool, ANNUAL, method=choice.get((fam, int(h)), NAIVE_LAST)))
    return ev.beside_references(pd.concat(parts, ignore_index=True), at, pool, ANNUAL, origin)


def windowed(years: int) -> Variant:
    def run(cuts: pd.DataFrame, origin: int) -> pd.DataFrame:
        known = known_at(cuts, origin)
        recent = known[known[TARGET] > known[TARGET].max() - years]
        pool = pl.CalibrationPool(pl.build_pool(known, ANNUAL).quantiles, pl.build_pool(recent, ANNUAL).choices)
        at = ev.forecasts_at_origin(cuts, ANNUAL, origin)
        return ev.beside_references(pl.with_ranges(at, pool, ANNUAL), at, pool, ANNUAL, origin)
    return run


def shrink(cuts: pd.DataFrame, origin: int) -> pd.DataFrame:
    known = known_at(cuts, origin)
    pool = pl.build_pool(known, ANNUAL)
    near = pl.choice_errors(known)
    wide = near.pivot_table(index=[FAMILY, s.INDICATOR_ID, s.AREA_CODE, CUT, HORIZON], columns="method",
                            values="y_pred", aggfunc="first")
    truth = near.groupby([FAMILY, s.INDICATOR_ID, s.AREA_CODE, CUT, HORIZON])[["y_true", "scale_y"]].first()
    factor: dict[str, float] = {}
    for family in [*wide.index.get_level_values(0).unique(), pl.ALL]:
        mine = wide if family == pl.ALL else wide.xs(family, level=0, drop_level=False)
        method = pool.method_for(ANNUAL, None if family == pl.ALL else str(family))
        scores = []
        for lam in SHRINK_FACTORS:
            pred = mine[NAIVE_LAST] + lam * (mine[method] - mine[NAIVE_LAST])
            err = ((truth.loc[mine.index, "y_true"] - pred).abs() / truth.loc[mine.index, "scale_y"]).dropna()
            scores.append(float(err.groupby(level=[1, 2]).mean().median()))
        factor[str(family)] = SHRINK_FACTORS[int(np.argmin(scores))]
    frame = current(cuts, origin)
    family_of = cuts[[s.INDICATOR_ID, FAMILY]].drop_duplicates().set_index(s.INDICATOR_ID)[FAMILY]
    lam_of = frame[s.INDICATOR_ID].map(family_of).map(
        lambda f: factor.get(str(f) if pool.family_known(ANNUAL, str(f)) else pl.ALL, 1.0))
    return frame.assign(point=frame["point_naive_last"] + lam_of * (frame["point"] - frame["point_naive_last"]))


def report(name: str, forecasts: pd.DataFrame, tasks: Sequence[SeriesTask]) -> str:
    block = ev.summarise(ev.score_forecasts(forecasts, tasks), DEVELOPMENT_ORIGINS, ANNUAL)
    if block is None:
        return f"{name}: nothing scored"
    rows = [*cast(list[dict[str, Any]], block["by_horizon"]),
            {"horizon": "all", **cast(dict[str, Any], block["overall"])}]
    ratios = "  ".join(f"h={r['horizon']}: {r['mase_used'] / r['mase_naive_last']:.3f}" for r in rows)
    coverage = "  ".join(f"{100 * r['coverage_80']:.1f}/{100 * r['coverage_95']:.1f}%" for r in rows)
    return f"{name:>10}  MASE used / naive  {ratios}   cover 80/95 by horizon  {coverage}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    tasks = series_tasks(load_observations(DEFAULT_DATA_DIR), load_indicators(DEFAULT_DATA_DIR))
    annual = [t for t in tasks if t.frequency == ANNUAL]
    _import_prophet()
    cuts = ev.split_cuts(panel_cuts(tasks, seed=SEED, jobs=args.jobs), tasks)[str(ANNUAL)]
    variants: dict[str, Variant] = {"current": current, "per-step": per_step, "window-5": windowed(5),
                                    "window-8": windowed(8), "window-12": windowed(12), "shrink": shrink}
    print(f"annual series, development origins {', '.join(map(str, DEVELOPMENT_ORIGINS))}")
    for name, variant in variants.items():
        forecasts = pd.concat([variant(cuts, origin) for origin in DEVELOPMENT_ORIGINS], ignore_index=True)
        print(report(name, forecasts, annual), flush=True)


if __name__ == "__main__":
    main()
