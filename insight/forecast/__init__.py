"""Projections of annual and monthly series: Prophet against naive baselines, with calibrated ranges.

Public API (consumed by the scenarios module and the Trends page; keep the names)::

    PROJECTION_COLUMNS, MIN_HISTORY, Backtest, Projection, project_series, backtest_series

Pure: never imports streamlit. Prophet is imported lazily inside ``models``. Run the precompute with
``python -m insight.forecast --all``.
"""

from insight.forecast.backtest import Backtest
from insight.forecast.project import PROJECTION_COLUMNS, Projection, backtest_series, project_series
from insight.forecast.series import MIN_HISTORY

__all__ = ["MIN_HISTORY", "PROJECTION_COLUMNS", "Backtest", "Projection", "backtest_series", "project_series"]
