"""The leak-free harness and the pooled calibration: nothing at an origin can see past it, coverage is
near nominal on exchangeable data, output is deterministic, and the committed figures are typed.

Synthetic panels use the fast methods only (Theta and the naive baselines; no Prophet fits).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insight.errors import ForecastError
from insight.forecast import load_context, load_evaluation
from insight.forecast.cuts import known_at, panel_cuts
from insight.forecast.evaluate import evaluation_json, pooled_forecasts, run_evaluation, summarise
from insight.forecast.models import NAIVE_DRIFT, NAIVE_LAST, THETA
from insight.forecast.pool import ALL, MIN_SERIES, build_pool, conformal_quantile
from insight.forecast.precompute import SeriesTask
from insight.schema import Frequency, ValueType

ROOT = Path(__file__).resolve().parents[2]
ANNUAL = Frequency.ANNUAL
FAST = (THETA, NAIVE_DRIFT, NAIVE_LAST)
ORIGIN = 2014


def walk_panel(seed: int, n_series: int = 24, n_years: int = 20, families: int = 3) -> list[SeriesTask]:
    """Random walks with drift (scores, 2000 onwards), each with its own step size, in a few families."""
    rng = np.random.default_rng(seed)
    tasks = []
    for i in range(n_series):
        sigma, drift = rng.uniform(0.5, 3.0), rng.normal(0, 0.5)
        values = 50 + np.cumsum(drift + rng.normal(0, sigma, n_years))
        history = pd.DataFrame({"period_start": [pd.Timestamp(year=2000 + k, month=4, day=1) for k in range(n_years)],
                                "value": values})
        tasks.append(SeriesTask(f"family_{i % families}", f"A{i:03d}", ANNUAL, ValueType.SCORE, history))
    return tasks


def with_future_changed(tasks: list[SeriesTask], which: list[int], origin: int) -> list[SeriesTask]:
    """The same panel with every value after ``origin`` of the series ``which`` replaced by wild ones."""
    out = []
    for i, t in enumerate(tasks):
        history = t.history.copy()
        if i in which:
            after = history["period_start"].dt.year > origin
            history.loc[after, "value"] = history.loc[after, "value"] * -3 + 1000
        out.append(SeriesTask(t.indicator_id, t.area_code, t.frequency, t.value_type, history))
    return out


def first_series(frame: pd.DataFrame, tasks: list[SeriesTask]) -> pd.DataFrame:
    return frame[frame["area_code"] == tasks[0].area_code].reset_index(drop=True)


def procedure(tasks, frequency, origins):
    return pooled_forecasts(panel_cuts(tasks, seed=1, methods=FAST), frequency, origins)


@pytest.fixture(scope="module")
def panel() -> list[SeriesTask]:
    return walk_panel(7)


@pytest.fixture(scope="module")
def panel_cut_table(panel) -> pd.DataFrame:
    return panel_cuts(panel, seed=1, methods=FAST)


# ---- no leak ----------------------------------------------------------------------------------

def test_a_series_future_cannot_change_its_forecast_method_or_ranges_at_an_earlier_origin(panel, panel_cut_table):
    before = pooled_forecasts(panel_cut_table, ANNUAL, [ORIGIN])
    changed = with_future_changed(panel, [0], ORIGIN)
    after = pooled_forecasts(panel_cuts(changed, seed=1, methods=FAST), ANNUAL, [ORIGIN])
    assert len(before) == 3 * len(panel)  # every series, 1-3 years ahead
    pd.testing.assert_frame_equal(before, after)


def test_other_series_futures_cannot_change_the_pooled_quantiles_or_choices_at_an_origin(panel, panel_cut_table):
    changed = with_future_changed(panel, list(range(1, len(panel))), ORIGIN)  # every series but the first
    changed_cuts = panel_cuts(changed, seed=1, methods=FAST)
    pool, pool_changed = (build_pool(known_at(c, ORIGIN), ANNUAL) for c in (panel_cut_table, changed_cuts))
    pd.testing.assert_frame_equal(pool.quantiles, pool_changed.quantiles)
    pd.testing.assert_frame_equal(pool.choices, pool_changed.choices)
    pd.testing.assert_frame_equal(first_series(pooled_forecasts(panel_cut_table, ANNUAL, [ORIGIN]), panel),
                                  first_series(pooled_forecasts(changed_cuts, ANNUAL, [ORIGIN]), panel))


def test_the_pool_does_see_other_series_past_so_the_no_leak_tests_are_not_vacuous(panel, panel_cut_table):
    changed = with_future_changed(panel, list(range(1, len(panel))), ORIGIN - 3)  # now inside the pool
    changed_cuts = panel_cuts(changed, seed=1, methods=FAST)
    pool, pool_changed = (build_pool(known_at(c, ORIGIN), ANNUAL) for c in (panel_cut_table, changed_cuts))
    assert not pool.quantiles["q_80"].equals(pool_changed.quantiles["q_80"])
    a = first_series(pooled_forecasts(panel_cut_table, ANNUAL, [ORIGIN]), panel)
    b = first_series(pooled_forecasts(changed_cuts, ANNUAL, [ORIGIN]), panel)
    assert not np.allclose(a["upper_80"] - a["lower_80"], b["upper_80"] - b["lower_80"])


def test_the_harness_gives_the_procedure_nothing_it_could_leak_through(panel):
    origins = [2013, 2014, 2015, 2016]
    base = run_evaluation(panel, procedure)["annual"]
    changed = run_evaluation(with_future_changed(panel, [2, 5], origins[0]), procedure)["annual"]
    forecast_columns = ["origin", "horizon", "method", "point", "lower_80", "upper_80", "lower_95", "upper_95"]
    first = base.cells[base.cells["origin"] == origins[0]][forecast_columns].reset_index(drop=True)
    again = changed.cells[changed.cells["origin"] == origins[0]][forecast_columns].reset_index(drop=True)
    assert base.origins == tuple(origins)
    pd.testing.assert_frame_equal(first, again)


# ---- calibration ------------------------------------------------------------------------------

@pytest.mark.parametrize(("level", "expected"), [(0.80, 8.0), (0.50, 5.0), (0.95, math.inf)])
def test_conformal_quantile_is_the_finite_sample_order_statistic(level, expected):
    # nine scores 1..9: the ceil(10 * level)-th smallest; 95% needs 19 scores, so with nine it is unbounded
    assert conformal_quantile(np.arange(1.0, 10.0), level) == expected


def test_pooled_ranges_hold_near_their_level_on_exchangeable_random_walks():
    tasks = walk_panel(11, n_series=240, n_years=24, families=4)
    block = summarise(run_evaluation(tasks, procedure)["annual"].cells, [2016, 2017, 2018, 2019], ANNUAL)
    for row in block["by_horizon"]:
        assert 0.75 <= row["coverage_80"] <= 0.85, row
        assert 0.92 <= row["coverage_95"] <= 0.98, row


def test_the_evaluation_is_deterministic(panel):
    def run() -> str:
        results = run_evaluation(panel, procedure)
        return evaluation_json({name: summarise(r.cells, r.origins, r.frequency) for name, r in results.items()})

    first = run()
    assert first == run()
    assert json.loads(first)["generated_by"] == "make evaluate"
    assert json.loads(first)["monthly"] is None


# ---- fallbacks and the stored files -----------------------------------------------------------

def test_an_unknown_or_small_family_uses_the_choice_over_every_series(panel_cut_table):
    pool = build_pool(known_at(panel_cut_table, ORIGIN), ANNUAL)
    everyone = pool.choices[pool.choices["family"] == ALL]["method"].iloc[0]
    assert pool.method_for(ANNUAL, "an uploaded series") == everyone
    assert pool.method_for(ANNUAL, None) == everyone
    small = pool.choices[pool.choices["family"] != ALL]
    assert (small["n_series"] >= MIN_SERIES).all()  # 8 series each: their own choice is used
    for family, method in zip(small["family"], small["method"], strict=True):
        assert pool.method_for(ANNUAL, family) == method


def test_a_missing_pool_is_refused_with_what_to_run(tmp_path):
    with pytest.raises(ForecastError, match=r"No calibration pool .*python -m insight.forecast --all"):
        load_context(tmp_path)
    assert load_evaluation(tmp_path) is None


def test_the_committed_evaluation_loads_typed_with_four_origins_and_three_horizons():
    summary = load_evaluation(ROOT / "data")
    assert summary is not None and summary.generated_by == "make evaluate"
    annual = summary.annual
    assert annual.origins == ("2019", "2020", "2021", "2022")
    assert [f.horizon for f in annual.by_horizon] == [1, 2, 3]
    assert annual.overall.horizon is None
    assert sum(f.n_cells for f in annual.by_horizon) == annual.overall.n_cells
    assert not summary.detail.empty
    assert set(summary.detail["scope"]) == {"series", "family", "all"}


def test_the_readme_quotes_the_committed_evaluation():
    from insight.forecast.evaluate import format_report

    raw = json.loads((ROOT / "data" / "evaluation.json").read_text(encoding="utf-8"))
    report = format_report({"annual": raw["annual"], "monthly": raw["monthly"]})
    assert report in (ROOT / "README.md").read_text(encoding="utf-8")
