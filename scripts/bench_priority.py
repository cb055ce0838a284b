"""Benchmark the priority index: prints figures, asserts nothing.

Usage: .venv/bin/python scripts/bench_priority.py

* stability simulation time for 1,000 draws × 70 areas × 12 indicators (median of repeats; target ≤ 200 ms)
* one score_priority call, for orientation
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from insight.priority import rank_stability, score_priority  # noqa: E402
from insight.schema import AREA_CODE, Polarity  # noqa: E402


def synthetic_divisions(n_areas: int = 70, n_indicators: int = 12, seed: int = 2025) -> tuple:
    """Random values shaped like the divisions' indicator frame (the timing does not depend on values)."""
    rng = np.random.default_rng(seed)
    ids = [f"ind_{j}" for j in range(n_indicators)]
    frame = pd.DataFrame(rng.gamma(2.0, 10.0, size=(n_areas, n_indicators)), columns=ids,
                         index=pd.Index([f"E58000{402 + i}" for i in range(n_areas)], name=AREA_CODE))
    polarity = {k: Polarity.HIGHER_IS_WORSE if j % 3 else Polarity.HIGHER_IS_BETTER for j, k in enumerate(ids)}
    weights = {k: float(w) for k, w in zip(ids, rng.uniform(0.5, 2.0, n_indicators), strict=True)}
    return frame, polarity, weights


def time_ms(func: Callable[[], object], repeats: int) -> list[float]:
    func()  # warm up
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        out.append((time.perf_counter() - start) * 1000)
    return out


def bench_core() -> None:
    frame, polarity, weights = synthetic_divisions()
    stab = time_ms(lambda: rank_stability(frame, polarity, weights, n_draws=1000), repeats=21)
    score = time_ms(lambda: score_priority(frame, polarity, weights), repeats=21)
    print(f"rank_stability, 1,000 draws x 70 areas x 12 indicators: median {statistics.median(stab):.1f} ms "
          f"(min {min(stab):.1f}, max {max(stab):.1f}; 21 repeats; target <= 200 ms)")
    print(f"score_priority, 70 areas x 12 indicators: median {statistics.median(score):.1f} ms")


if __name__ == "__main__":
    bench_core()
