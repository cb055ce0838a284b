"""Point projections on the modelling scale: Prophet, Theta, two naive baselines and their combination.

Every function takes the observed training points (grid positions and transformed values) and the
future grid positions, and returns point values on the transformed scale. Prophet is imported lazily
(importing it costs about a second) with its logging silenced, is fitted by optimisation only (no
sampling: its own intervals are not used, see ``calibration``), and is never pickled or cached.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from insight.schema import Frequency

if TYPE_CHECKING:
    from insight.forecast.series import PreparedSeries

PROPHET = "prophet"
NAIVE_DRIFT = "naive_drift"
NAIVE_LAST = "naive_last"
THETA = "theta"
COMBINATION = "combination"
COMBINED = (PROPHET, THETA, NAIVE_DRIFT, NAIVE_LAST)  # the methods whose median is the combination
METHODS = (*COMBINED, COMBINATION)
METHOD_NAMES = {PROPHET: "Prophet", THETA: "the Theta method (a smoothed level plus half the long-run trend)",
                NAIVE_DRIFT: "naive drift (extending the average past change)",
                NAIVE_LAST: "naive last value (repeating the latest figure)",
                COMBINATION: "a combination (the middle of the four methods' projections: Prophet, Theta, naive "
                             "drift and naive last value)"}
SES_ALPHAS = np.linspace(0.05, 1.0, 20)  # smoothing weights searched (one-step squared error)

MONTHLY_FOURIER_ORDER = 3  # yearly seasonality on monthly data, kept small: series are 2-3 years long


def predict_naive_last(positions: np.ndarray, z: np.ndarray, future: np.ndarray) -> np.ndarray:
    """Repeat the last observed value."""
    return np.full(future.shape, z[-1], dtype=float)


def predict_naive_drift(positions: np.ndarray, z: np.ndarray, future: np.ndarray) -> np.ndarray:
    """Extend the straight line from the first to the last observed value."""
    span = positions[-1] - positions[0]
    slope = (z[-1] - z[0]) / span if span > 0 else 0.0
    return z[-1] + slope * (future - positions[-1]).astype(float)


def _smoothed_level(z: np.ndarray) -> tuple[float, float]:
    """Simple exponential smoothing: (final level, weight) for the weight in SES_ALPHAS with the smallest
    sum of squared one-step errors (the first value starts the level)."""
    best: tuple[float, float, float] | None = None
    for alpha in SES_ALPHAS:
        level, sse = float(z[0]), 0.0
        for x in z[1:]:
            sse += (float(x) - level) ** 2
            level += alpha * (float(x) - level)
        if best is None or sse < best[0] - 1e-12:
            best = (sse, level, float(alpha))
    assert best is not None
    return best[1], best[2]


def predict_theta(positions: np.ndarray, z: np.ndarray, future: np.ndarray) -> np.ndarray:
    """The Theta method (Assimakopoulos and Nikolopoulos 2000, in Hyndman and Billah's 2003 form): simple
    exponential smoothing plus half the least-squares slope b, ``l_n + b / 2 * (h - 1 + 1/a - (1 - a)^n / a)``."""
    level, alpha = _smoothed_level(np.asarray(z, dtype=float))
    slope = float(np.polyfit(positions.astype(float), z, 1)[0]) if positions.size >= 2 else 0.0
    h = (future - positions[-1]).astype(float)
    n = z.size
    return level + 0.5 * slope * (h - 1.0 + 1.0 / alpha - (1.0 - alpha) ** n / alpha)


def _import_prophet():  # noqa: ANN202 - the class is only known after the lazy import
    """Import Prophet with its noisy logging and pandas-3 warnings silenced (PLATFORM-NOTES)."""
    logging.getLogger("prophet.plot").disabled = True
    # ERROR, not WARNING: its only warning here, "Yearly seasonality is enabled with less than 730 days",
    # is expected (24 monthly values span 23 months; seasonality needs two years, see predict_prophet)
    logging.getLogger("prophet").setLevel(logging.ERROR)
    logging.getLogger("prophet.models").setLevel(logging.ERROR)  # "Falling back to Newton": handled, not news
    logging.getLogger("cmdstanpy").disabled = True
    warnings.filterwarnings("ignore", message=".*inplace.*", module="prophet")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="prophet")
    from prophet import Prophet

    return Prophet


_PLAIN_FEATURES: dict[int, tuple] = {}  # rows -> Prophet's feature tables for a model with no extra terms
_PLAIN_FEATURES_MAX = 256  # lengths seen are a few dozen; bounded all the same


def _trend_only_prophet():  # noqa: ANN202 - a subclass of the lazily imported Prophet
    """Prophet for a model with no seasonality, holiday or extra regressor (every annual series here).

    For such a model Prophet's feature tables are a placeholder column of zeros, one per row, and a component
    matrix that depends on nothing else; building them with pandas (a crosstab) was about 8 of the 21 ms of a
    fit. They are built by Prophet itself once per number of rows and copied, so the data given to Stan, and
    every projection, are exactly as before (a test compares them with plain Prophet's)."""
    return _trend_only_subclass(_import_prophet())


@functools.cache
def _trend_only_subclass(prophet_cls: type) -> type:
    """The subclass of ``prophet_cls`` that copies the feature tables (made once per Prophet class)."""

    class TrendOnlyProphet(prophet_cls):
        def make_all_seasonality_features(self, df: pd.DataFrame):  # noqa: ANN202 - Prophet's own signature
            plain = (not self.seasonalities and not self.extra_regressors and self.holidays is None
                     and self.country_holidays is None and self.train_component_cols is None)
            if not plain:
                return super().make_all_seasonality_features(df)
            rows = int(df.shape[0])
            if rows not in _PLAIN_FEATURES:
                if len(_PLAIN_FEATURES) >= _PLAIN_FEATURES_MAX:
                    _PLAIN_FEATURES.clear()
                _PLAIN_FEATURES[rows] = super().make_all_seasonality_features(df)
            features, prior_scales, component_cols, modes = _PLAIN_FEATURES[rows]
            return (features.copy(), list(prior_scales), component_cols.copy(),
                    {mode: list(names) for mode, names in modes.items()})

    return TrendOnlyProphet


def predict_prophet(positions: np.ndarray, z: np.ndarray, future: np.ndarray, *,
                    prepared: PreparedSeries, seed: int) -> np.ndarray:
    """Fit Prophet (linear trend; yearly seasonality only on monthly data) and predict ``future``."""
    # yearly seasonality only on monthly data covering at least two full years (else under-identified)
    seasonal = prepared.frequency == Frequency.MONTHLY and positions[-1] - positions[0] >= 23
    prophet_cls = _import_prophet() if seasonal else _trend_only_prophet()
    model = prophet_cls(
        growth="linear",
        yearly_seasonality=MONTHLY_FOURIER_ORDER if seasonal else False,
        weekly_seasonality=False,
        daily_seasonality=False,
        uncertainty_samples=0,  # Prophet's own intervals are far too narrow here (U7); we calibrate instead
    )
    train = pd.DataFrame({"ds": prepared.model_dates(positions), "y": z})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # L-BFGS: same optimum to about 4 decimals as Prophet's small-data default (Newton), 1.5-4x faster;
        # Prophet itself falls back to Newton if L-BFGS fails.
        model.fit(train, seed=seed, algorithm="LBFGS")
        future_frame = pd.DataFrame({"ds": prepared.model_dates(future)})
        if not seasonal:  # no seasonal or extra terms: the projection is the trend (skips slow pandas work)
            return np.asarray(model.predict_trend(model.setup_dataframe(future_frame)), dtype=float)
        forecast = model.predict(future_frame)
    return forecast["yhat"].to_numpy(dtype=float)


def combine(predictions: Sequence[np.ndarray]) -> np.ndarray:
    """The combination: at each period ahead, the median of the COMBINED methods' predictions (of four, the
    mean of the middle two). Chosen on the development origins 2013-2016 (median MASE 0.894 of naive's,
    against 0.905 without it; coverage unchanged): a combination is rarely the worst and often near the best."""
    return np.median(np.vstack([np.asarray(p, dtype=float) for p in predictions]), axis=0)


def predict(method: str, positions: np.ndarray, z: np.ndarray, future: np.ndarray, *,
            prepared: PreparedSeries, seed: int) -> np.ndarray:
    """Point predictions of ``method`` on the modelling scale."""
    if method == COMBINATION:
        return combine([predict(m, positions, z, future, prepared=prepared, seed=seed) for m in COMBINED])
    if method == PROPHET:
        return predict_prophet(positions, z, future, prepared=prepared, seed=seed)
    if method == NAIVE_DRIFT:
        return predict_naive_drift(positions, z, future)
    if method == NAIVE_LAST:
        return predict_naive_last(positions, z, future)
    if method == THETA:
        return predict_theta(positions, z, future)
    raise ValueError(f"Unknown method {method!r}; expected one of {METHODS}.")
