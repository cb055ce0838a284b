"""The false-alarm measurements: the vectorised trend flag matches the S5 test, and the back-test counts."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from insight import false_alarms as fa
from insight import schema as s
from insight.spc import Cadence
from insight.stats import trend_marker


def annual(values: list[float], first: int = 2010) -> pd.DataFrame:
    return pd.DataFrame({s.PERIOD_START: pd.to_datetime([f"{first + i}-01-01" for i in range(len(values))]),
                         s.PERIOD_LABEL: [str(first + i) for i in range(len(values))], s.VALUE: values})


def test_the_vectorised_flag_agrees_with_the_s5_trend_marker_on_every_order():
    rng = np.random.default_rng(7)
    windows = [rng.normal(size=5), np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([3.0, 3.0, 3.1, 3.0, 3.0]),
               np.array([1.0, 1.0, 1.0, 1.0, 1.0])]
    for window in windows:
        orders = np.array([window[list(p)] for p in itertools.permutations(range(5))])
        expected = []
        for row in orders:
            marker = trend_marker(list(range(2020, 2025)), row, "neither")
            expected.append({"increasing": 1, "decreasing": -1}.get(marker.direction or "", 0))
        assert list(fa.flags(orders)) == expected


def test_the_permutation_share_is_exact_and_in_range():
    share = fa.permutation_flag_share([1.0, 2.0, 3.0, 4.0, 5.0])
    assert share * 120 == pytest.approx(round(share * 120))
    assert 0 < share < 0.2
    assert fa.permutation_flag_share([2.0] * 5) == 0.0
    with pytest.raises(ValueError, match="exactly 5"):
        fa.permutation_flag_share([1.0, 2.0])


def test_a_steady_rise_is_flagged_at_every_origin_and_always_borne_out():
    result = fa.backtest_origins(annual([float(v) for v in range(10)]))
    assert result == fa.OriginResult(origins=3, flagged=3, not_borne_out=0)


def test_a_rise_that_reverses_is_not_borne_out():
    result = fa.backtest_origins(annual([1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 1.0, 1.0]))
    assert result == fa.OriginResult(origins=1, flagged=1, not_borne_out=1)


def test_a_missing_year_splits_the_back_test():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, np.nan, 1.0, 2.0]
    assert fa.backtest_origins(annual(values)).origins == 1  # only 2010-14 has three later years in its stretch
    assert fa.latest_window(annual(values)) is None


def test_shuffles_are_seeded():
    frame = pd.DataFrame({s.PERIOD_START: pd.date_range("2020-01-01", periods=30, freq="MS"),
                          s.PERIOD_LABEL: [str(i) for i in range(30)], s.VALUE: np.arange(30, dtype=float)})
    first = fa.spc_shuffle_share(frame, Cadence.MONTHLY, n_shuffles=40, seed=1)
    assert first == fa.spc_shuffle_share(frame, Cadence.MONTHLY, n_shuffles=40, seed=1)
    assert 0.0 <= first[0] <= 1.0
