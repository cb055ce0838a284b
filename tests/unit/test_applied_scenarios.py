"""Scenarios kept across lever steps (views.scenarios.AppliedScenarios): the same figures as applying afresh, only
the changed scenario applied again, and nothing kept for another baseline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from insight import query
from insight.forecast import project_series
from insight.loaders import get_indicator, load_dataset
from insight.scenarios import Scenario, StepChange, Target, TrendChange
from views import scenarios as views

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def series():
    dataset = load_dataset(ROOT / "data")
    history = query.series(dataset.observations, "claimant_count", ["E10000012"])
    history = history[history["value"].notna()].reset_index(drop=True)
    entry = get_indicator(dataset.indicators, "claimant_count")
    baseline = project_series(history[["period_start", "value"]], frequency=entry.frequency, horizon=5,
                              value_type=entry.value_type, indicator_id="claimant_count",
                              area_code="E10000012").frame
    choice = views.SeriesChoice(False, entry, "E10000012", "Essex", 5, ())
    return choice, history, baseline


def scenario_set(trend: float) -> tuple[Scenario, ...]:
    start = date(2026, 4, 1)
    return (Scenario("Early help", trend=TrendChange(trend, start)),
            Scenario("Family hub", step=StepChange(-0.2, start, low=-0.4, high=-0.05)),
            Scenario("Aim", target=Target(3.0, 2029, start)))


def test_kept_results_are_the_results_applied_afresh(series):
    choice, history, baseline = series
    applied = views.AppliedScenarios(baseline)
    for trend in (-3.0, -2.5, -3.0):
        kept = views.scenario_view(choice, history, baseline, scenario_set(trend), applied=applied)
        fresh = views.scenario_view(choice, history, baseline, scenario_set(trend))
        pd.testing.assert_frame_equal(kept.table, fresh.table)
        assert kept.solutions == fresh.solutions
        assert kept.finding == fresh.finding


def test_a_lever_step_applies_only_the_scenario_it_changed(series, monkeypatch):
    choice, history, baseline = series
    applied = views.AppliedScenarios(baseline)
    views.scenario_view(choice, history, baseline, scenario_set(-3.0), applied=applied)
    calls: list[str] = []
    real = views.apply_scenario
    monkeypatch.setattr(views, "apply_scenario", lambda frame, sc, **kw: calls.append(sc.name) or real(frame, sc, **kw))
    views.scenario_view(choice, history, baseline, scenario_set(-2.5), applied=applied)
    assert calls == ["Early help"]


def test_results_kept_for_one_baseline_are_not_used_for_another(series, monkeypatch):
    choice, history, baseline = series
    applied = views.AppliedScenarios(baseline)
    views.scenario_view(choice, history, baseline, scenario_set(-3.0), applied=applied)
    other = baseline.copy()
    other[["point", "lower_80", "upper_80", "lower_95", "upper_95"]] *= 2
    kept = views.scenario_view(choice, history, other, scenario_set(-3.0), applied=applied)
    fresh = views.scenario_view(choice, history, other, scenario_set(-3.0))
    pd.testing.assert_frame_equal(kept.table, fresh.table)


def test_the_store_holds_at_most_its_limit(series):
    choice, history, baseline = series
    applied = views.AppliedScenarios(baseline)
    for step in range(views.MAX_APPLIED + 5):
        views.scenario_view(choice, history, baseline, scenario_set(-5.0 + 0.5 * step), applied=applied)
    assert len(applied.results) <= views.MAX_APPLIED
