"""Leak-free accuracy for the screen: the typed loader of the harness output and the words said about it.

Every accuracy figure shown beside a projection comes from ``insight.forecast.evaluate`` (``make
evaluate``): rolling origins where the method choice and the ranges' calibration were fitted only on
data up to each origin. Figures for one series say so ("for this series"); pooled figures name what
they pool ("across the 15 series of this indicator", "across all 351 annual series"). No in-sample
figure (errors on the same back-test that chose the method) is ever shown.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from insight import schema as s
from insight.forecast.models import METHOD_NAMES, NAIVE_LAST
from insight.schema import Frequency

EVALUATION_FILE = "evaluation.json"
DETAIL_FILE = "evaluation_detail.parquet"
HOW_TESTED = ("Leak-free test: the whole procedure (choosing the method, calibrating the ranges on errors pooled "
              "across series) was re-run as if standing at each of the test years in turn, using only data up "
              "to then, and compared with what happened next (`make evaluate`). Errors are relative to the "
              "naive method (repeating the last value) on the same outcomes; MASE scales them by the series' "
              "typical one-step change.")


@dataclass(frozen=True)
class HorizonFigures:
    """The harness's figures for one horizon (``horizon`` None: 1 to 3 periods ahead together)."""

    horizon: int | None
    n_cells: int
    mase_used: float
    mase_naive_last: float
    mase_drift: float
    share_beating_naive: float
    coverage_80: float
    coverage_95: float
    width_ratio_naive: float


@dataclass(frozen=True)
class FrequencyEvaluation:
    """One frequency's block of evaluation.json."""

    n_series: int
    origins: tuple[str, ...]
    by_horizon: tuple[HorizonFigures, ...]
    overall: HorizonFigures


@dataclass(frozen=True)
class EvaluationSummary:
    """evaluation.json, typed, with the per-series and per-family detail table (may be empty)."""

    generated_by: str
    annual: FrequencyEvaluation | None
    monthly: FrequencyEvaluation | None
    detail: pd.DataFrame

    def block(self, frequency: Frequency) -> FrequencyEvaluation | None:
        return self.annual if Frequency(frequency) == Frequency.ANNUAL else self.monthly


def _figures(raw: dict[str, Any]) -> HorizonFigures:
    figures: dict[str, Any] = {k: (int(raw[k]) if k == "n_cells" else float(raw[k]))
                               for k in HorizonFigures.__dataclass_fields__ if k != "horizon"}
    return HorizonFigures(horizon=int(raw["horizon"]) if "horizon" in raw else None, **figures)


def _block(raw: dict[str, Any] | None) -> FrequencyEvaluation | None:
    if raw is None:
        return None
    return FrequencyEvaluation(n_series=int(raw["n_series"]), origins=tuple(str(o) for o in raw["origins"]),
                               by_horizon=tuple(_figures(r) for r in raw["by_horizon"]),
                               overall=_figures(raw["overall"]))


def load_evaluation(data_dir: Path) -> EvaluationSummary | None:
    """The harness output in ``data_dir`` (evaluation.json and evaluation_detail.parquet), or None."""
    path = Path(data_dir) / EVALUATION_FILE
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    detail_path = Path(data_dir) / DETAIL_FILE
    detail = pd.read_parquet(detail_path) if detail_path.exists() else pd.DataFrame()
    return EvaluationSummary(generated_by=str(raw.get("generated_by", "")), annual=_block(raw.get("annual")),
                             monthly=_block(raw.get("monthly")), detail=detail)


@dataclass(frozen=True)
class Backtest:
    """Leak-free accuracy shown beside one projection (never in-sample); ``summary`` says it in words.

    Per series: ``error_ratio[i]`` is this series' mean scaled error ``horizons[i]`` periods ahead, of the
    method the procedure used at each origin, over naive last value's on the same ``n_tests[i]``
    outcomes. Pooled: coverage of the ranges over ``pooled_n_cells`` outcomes of ``pooled_label``.
    """

    chosen_method: str
    origins: tuple[str, ...]
    series_tested: bool
    horizons: tuple[int, ...]
    n_tests: tuple[int, ...]
    error_ratio: tuple[float, ...]
    methods_used: str
    pooled_label: str
    pooled_n_series: int
    pooled_n_cells: int
    pooled_coverage_80: float
    pooled_coverage_95: float
    summary: str

    def to_json(self) -> str:
        return json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()})

    @classmethod
    def from_json(cls, text: str) -> Backtest:
        raw = json.loads(text)
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        return cls(**fields)


def _pct(x: float) -> str:
    return f"{round(100 * x):.0f}%"


def _span(origins: tuple[str, ...]) -> str:
    return origins[0] if len(origins) == 1 else f"{origins[0]}–{origins[-1]}"


def _ahead(h: int, frequency: Frequency) -> str:
    unit = "year" if Frequency(frequency) == Frequency.ANNUAL else "month"
    return f"{h} {unit}{'' if h == 1 else 's'} ahead"


def _pooled_row(detail: pd.DataFrame, frequency: Frequency, family: str | None) -> tuple[pd.Series | None, str]:
    if detail.empty:
        return None, ""
    d = detail[(detail["frequency"] == str(frequency)) & (detail["horizon"] == 0) & (detail["method"] == "used")]
    word = "annual" if Frequency(frequency) == Frequency.ANNUAL else "monthly"
    fam = d[(d["scope"] == "family") & (d["family"] == family)] if family else d.iloc[0:0]
    if not fam.empty and int(fam["n_series"].iloc[0]) >= 2:
        row = fam.iloc[0]
        return row, f"the {int(row['n_series'])} series of this indicator"
    every = d[d["scope"] == "all"]
    if every.empty:
        return None, ""
    row = every.iloc[0]
    return row, f"all {int(row['n_series'])} {word} series tested"


def backtest_for(evaluation: EvaluationSummary | None, *, frequency: Frequency, method: str,
                 family: str | None, indicator_id: str | None = None, area_code: str | None = None,
                 family_method_is_naive: bool = False) -> Backtest:
    """The leak-free accuracy record of one projection, from the harness output."""
    frequency = Frequency(frequency)
    block = evaluation.block(frequency) if evaluation is not None else None
    detail = evaluation.detail if evaluation is not None else pd.DataFrame()
    origins = block.origins if block is not None else ()
    horizons: tuple[int, ...] = ()
    n_tests: tuple[int, ...] = ()
    ratios: tuple[float, ...] = ()
    methods_used = ""
    if not detail.empty and indicator_id is not None:
        mine = detail[(detail["scope"] == "series") & (detail[s.INDICATOR_ID] == indicator_id)
                      & (detail[s.AREA_CODE] == area_code) & (detail["method"] == "used") & (detail["horizon"] > 0)
                      & (detail["frequency"] == str(frequency))].sort_values("horizon")
        horizons = tuple(int(h) for h in mine["horizon"])
        n_tests = tuple(int(n) for n in mine["n_cells"])
        ratios = tuple(float(a / b) if b > 0 else math.nan for a, b in zip(mine["mase"], mine["mase_naive_last"],
                                                                             strict=True))
        methods_used = ",".join(sorted({m for v in mine["methods_used"] for m in str(v).split(",") if m}))
    pooled, label = _pooled_row(detail, frequency, family)
    record = Backtest(
        chosen_method=method, origins=origins, series_tested=bool(horizons), horizons=horizons, n_tests=n_tests,
        error_ratio=ratios, methods_used=methods_used, pooled_label=label,
        pooled_n_series=int(pooled["n_series"]) if pooled is not None else 0,
        pooled_n_cells=int(pooled["n_cells"]) if pooled is not None else 0,
        pooled_coverage_80=float(pooled["coverage_80"]) if pooled is not None else math.nan,
        pooled_coverage_95=float(pooled["coverage_95"]) if pooled is not None else math.nan,
        summary="")
    return Backtest(**{**record.__dict__, "summary": describe_accuracy(record, frequency, family_method_is_naive)})


def describe_accuracy(b: Backtest, frequency: Frequency, naive_chosen: bool = False) -> str:
    """Plain-English sentences: how the test was done, this series' errors against naive by horizon, and
    the pooled coverage of the ranges, each saying whether it is for this series or pooled."""
    if not b.origins:
        return "No leak-free test of the projections is available for this data (run `make evaluate`)."
    unit = "year" if Frequency(frequency) == Frequency.ANNUAL else "month"
    out = [f"Tested leak-free standing at each of the {unit}s {_span(b.origins)} in turn, choosing the method "
           "and calibrating the ranges each time only from data up to then."]
    if naive_chosen:
        out.append("No method beat the naive method (repeating the last value) out of sample for this "
                   "indicator, so the projection repeats the last value.")
    if b.series_tested:
        if b.methods_used == NAIVE_LAST:
            out.append("For this series the test used the naive method at every point, so its errors were the "
                       "naive method's.")
        else:
            parts = [f"{_ahead(h, frequency)} {_pct(r)} ({n} test{'s' if n != 1 else ''})"
                     for h, r, n in zip(b.horizons, b.error_ratio, b.n_tests, strict=True) if math.isfinite(r)]
            out.append("For this series, the projections' errors were, as a share of the naive method's (repeating "
                       "the last value): " + ", ".join(parts) + ".")
    else:
        out.append("This series itself was not in the test (too few values at every test point, or not in the "
                   "dataset).")
    if b.pooled_n_cells:
        out.append(f"Pooled across {b.pooled_label}, 80% ranges held {_pct(b.pooled_coverage_80)} and 95% ranges "
                   f"{_pct(b.pooled_coverage_95)} of {b.pooled_n_cells:,} outcomes 1–3 {unit}s ahead.")
    return " ".join(out)


def method_caveat(method: str, naive_chosen_by_family: bool, family_known: bool) -> str:
    """The caveat naming the method and why it is used."""
    name = METHOD_NAMES[method]
    if naive_chosen_by_family:
        return ("No method beat repeating the last value when tested on this indicator's past, so the projection "
                "repeats the last value.")
    if family_known:
        return (f"The projection uses {name}: it had the smallest errors on this indicator's series when tested "
                "on their past.")
    return (f"The projection uses {name}: it had the smallest errors across all series of this frequency when "
            "tested on their past (this series' indicator was not among them).")
