"""Shared helpers of the benchmark scripts (they print figures; tests never time anything)."""

from __future__ import annotations

import statistics


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary_ms(values: list[float]) -> str:
    """'median N ms, p95 N ms (n=K)' for durations in seconds."""
    return f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95(values) * 1000:.0f} ms (n={len(values)})"
