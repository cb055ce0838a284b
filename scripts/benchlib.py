"""Shared helpers of the benchmark scripts (they print figures; tests never time anything).

Also re-exports the real-browser helpers of tests/browser/conftest.py (server on a free port, Debian
Chromium's launch options, the "script finished" selector), so every benchmark starts things the same way.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402,F401  (re-exported)
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    free_port,
    start_streamlit,
    wait_healthy,
    wait_idle,
)


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary_ms(values: list[float]) -> str:
    """'median N ms, p95 N ms (n=K)' for durations in seconds."""
    return f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95(values) * 1000:.0f} ms (n={len(values)})"
