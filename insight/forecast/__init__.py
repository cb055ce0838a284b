"""Projections of annual and monthly series: Prophet, Theta, naive baselines and their combination, chosen per
indicator on leak-free back-tests, with ranges calibrated on errors pooled across series.

Public API (consumed by the scenarios module and the Trends page)::

    PROJECTION_COLUMNS, MIN_HISTORY, Backtest, Projection, project_series, load_evaluation, EvaluationSummary

Pure: never imports streamlit. Prophet is imported lazily inside ``models``. Run the precompute with
``python -m insight.forecast --all`` and the leak-free evaluation with ``python -m insight.forecast.evaluate``.
"""

from insight.forecast.accuracy import Backtest, EvaluationSummary, load_evaluation
from insight.forecast.project import (
           PROJECTION_COLUMNS,
           ForecastContext,
           Projection,
           load_context,
           project_series,
)
from insight.forecast.series import MIN_HISTORY

__all__ = ["MIN_HISTORY", "PROJECTION_COLUMNS", "Backtest", "EvaluationSummary", "ForecastContext", "Projection",
           "load_context", "load_evaluation", "project_series"]
