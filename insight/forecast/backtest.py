"""Rolling-origin back-test: how well each method would have projected the series' own past.

Origins are the latest ``n_origins`` observed periods before the last one (so the most recent data are
used): at each origin every method is fitted to the data up to it and projects up to ``horizon``
periods ahead; the observed values that follow are the test. Accuracy is the mean absolute scaled
error (MASE: absolute error divided by the mean absolute one-step change of the training data), on the
value scale. The chosen method is Prophet only if it beats both naive baselines; otherwise the better
naive baseline. Interval coverage is measured honestly by leaving each origin out in turn: its
intervals are calibrated only from the other origins' errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from insight.forecast.calibration import LEVELS, Calibration, calibrate, growth_exponent, score, step_scale
from insight.forecast.models import METHODS, NAIVE_DRIFT, NAIVE_LAST, PROPHET, predict
from insight.forecast.series import PreparedSeries
from insight.schema import Frequency

MIN_TRAIN = {Frequency.ANNUAL: 4, Frequency.MONTHLY: 12}


@dataclass(frozen=True)
class Backtest:
    """Back-test figures for one series; ``summary`` says them in plain English."""

    n_origins: int
    mase_prophet: float
    mase_naive_last: float
    mase_drift: float
    coverage_80: float
    coverage_95: float
    chosen_method: str
    summary: str


@dataclass(frozen=True)
class BacktestDetail:
    """A back-test plus what projection needs from it: per-method calibrations and any notes."""

    backtest: Backtest
    calibrations: dict[str, Calibration]
    notes: tuple[str, ...]
    horizon: int


def origin_indices(prepared: PreparedSeries, n_origins: int) -> list[int]:
    """Indices i of observed points that end a training window (train = observed[: i + 1])."""
    last = prepared.n - 2
    min_train = MIN_TRAIN[prepared.frequency]
    return [i for i in range(last, last - n_origins, -1) if i + 1 >= min_train][::-1]


def _records(prepared: PreparedSeries, origins: list[int], horizon: int, seed: int,
             methods: tuple[str, ...]) -> tuple[dict[str, dict[str, list[np.ndarray]]], list[str]]:
    """Per method, per origin: scaled absolute errors (value scale), scores, and pieces for coverage."""
    out: dict[str, dict[str, list[np.ndarray]]] = {
        m: {"mase": [], "scores": [], "origin": [], "z_true": [], "z_pred": [], "scale": [], "growth": [], "h": [], "target": []}
        for m in methods}
    notes: list[str] = []
    pos, z, y = prepared.positions, prepared.z, prepared.values
    for i in origins:
        tp, tz, ty = pos[: i + 1], z[: i + 1], y[: i + 1]
        ahead = (pos > pos[i]) & (pos <= pos[i] + horizon)
        fp, fz, fy = pos[ahead], z[ahead], y[ahead]
        h = fp - pos[i]
        scale_z, scale_y = step_scale(tp, tz), step_scale(tp, ty)
        growth = growth_exponent(tp, tz)
        for m in methods:
            try:
                pz = predict(m, tp, tz, fp, prepared=prepared, seed=seed)
            except RuntimeError:  # a failed Stan optimisation: fall back to the baselines, and say so
                if m != PROPHET:
                    raise
                notes.append("Prophet failed to fit at a back-test origin, so only the naive baselines were "
                             "compared.")
                methods = tuple(x for x in methods if x != PROPHET)
                out.pop(PROPHET, None)
                continue
            py = prepared.transform.inverse(pz)
            rec = out[m]
            rec["mase"].append(np.abs(fy - py) / scale_y)
            rec["scores"].append(score(fz, pz, scale_z, h, growth))
            rec["origin"].append(np.full(h.shape, i))
            rec["z_true"].append(fz)
            rec["z_pred"].append(pz)
            rec["scale"].append(np.full(h.shape, scale_z))
            rec["growth"].append(np.full(h.shape, growth))
            rec["target"].append(fp)
            rec["h"].append(h)
    return out, notes


def _coverage(rec: dict[str, np.ndarray], level: float) -> float:
    """Share of held-out values inside intervals calibrated without their own origin."""
    hits = []
    for o in np.unique(rec["origin"]):
        mine = rec["origin"] == o
        cal = calibrate(rec["scores"][~mine], (level,), n_effective=np.unique(rec["target"][~mine]).size)
        half = cal.half_width(level, rec["scale"][mine], rec["h"][mine], rec["growth"][mine])
        hits.append(np.abs(rec["z_true"][mine] - rec["z_pred"][mine]) <= half + 1e-12)
    return float(np.concatenate(hits).mean()) if hits else float("nan")


def _pct(x: float) -> str:
    return f"{round(100 * x):.0f}%"


def describe_backtest(n_origins: int, horizon: int, frequency: Frequency, mases: dict[str, float],
                      chosen: str) -> str:
    """Plain-English sentence(s) on back-test accuracy."""
    unit = "year" if frequency == Frequency.ANNUAL else "month"
    ahead = f"1 {unit} ahead" if horizon == 1 else f"1–{horizon} {unit}s ahead"
    where = f"On past data ({n_origins} back-test starting points, {ahead})"
    last, drift, prophet = mases[NAIVE_LAST], mases[NAIVE_DRIFT], mases.get(PROPHET, float("nan"))

    def ratio(a: float, b: float) -> str:
        return _pct(a / b) if b > 0 and np.isfinite(a) else "n/a"

    if chosen == PROPHET:
        return (f"{where}, Prophet's errors were about {ratio(prophet, last)} of the naive method's "
                f"(repeating the last value) and {ratio(prophet, drift)} of naive drift's.")
    name = "naive drift (extending the average past change)" if chosen == NAIVE_DRIFT \
        else "the naive method (repeating the last value)"
    lead = ("Prophet did not beat the simple baselines on past data, so the projection uses "
            f"{name}. " if np.isfinite(prophet) else f"The projection uses {name}. ")
    if chosen == NAIVE_DRIFT:
        return lead + f"{where}, its errors were about {ratio(drift, last)} of repeating the last value."
    return lead + f"{where}, its errors were about {ratio(last, drift)} of naive drift's."


def run_backtest(prepared: PreparedSeries, *, horizon: int, n_origins: int, seed: int,
                 use_prophet: bool = True) -> BacktestDetail:
    """Back-test every method on ``prepared`` and calibrate its intervals."""
    origins = origin_indices(prepared, n_origins)
    methods = METHODS if use_prophet else (NAIVE_DRIFT, NAIVE_LAST)
    raw, notes = _records(prepared, origins, horizon, seed, methods)
    recs = {m: {k: np.concatenate(v) if v else np.array([]) for k, v in r.items()} for m, r in raw.items()}
    mases = {m: float(r["mase"].mean()) if r["mase"].size else float("nan") for m, r in recs.items()}
    naive = NAIVE_LAST if mases[NAIVE_LAST] <= mases[NAIVE_DRIFT] else NAIVE_DRIFT
    prophet_mase = mases.get(PROPHET, float("nan"))
    chosen = PROPHET if np.isfinite(prophet_mase) and prophet_mase < mases[naive] else naive
    calibrations = {m: calibrate(r["scores"], n_effective=np.unique(r["target"]).size) for m, r in recs.items()}
    summary = describe_backtest(len(origins), horizon, prepared.frequency, mases, chosen)
    backtest = Backtest(
        n_origins=len(origins),
        mase_prophet=prophet_mase,
        mase_naive_last=mases[NAIVE_LAST],
        mase_drift=mases[NAIVE_DRIFT],
        coverage_80=_coverage(recs[chosen], LEVELS[0]),
        coverage_95=_coverage(recs[chosen], LEVELS[1]),
        chosen_method=chosen,
        summary=summary,
    )
    return BacktestDetail(backtest=backtest, calibrations=calibrations, notes=tuple(notes), horizon=horizon)
