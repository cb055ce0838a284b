"""Measure how often the signal rules fire when nothing has changed, on the committed Essex data.

Usage: .venv/bin/python scripts/false_alarms.py [--data DIR] [--shuffles N]     (or: make false-alarms)

Prints figures, asserts nothing. The definitions are in insight/false_alarms.py:

1. annual trend test, permutation null: for every real annual series with five consecutive years, the exact
   share of the 120 orders of its latest five values that the test flags; averaged over series;
2. annual trend test, back-test at past origins: flags raised on the five years to each past year that the
   following three years did not bear out (the mean of the next three years did not continue the direction);
3. SPC rules on shuffled monthly series: share of shuffles with a current signal (seeded).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from insight import false_alarms as fa
from insight import schema as s
from insight.loaders import DEFAULT_DATA_DIR, load_dataset
from insight.signals import SIGNAL_LEVELS, cadence_of, series_info


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--shuffles", type=int, default=200)
    args = parser.parse_args()
    data = load_dataset(args.data, include_illustrative=True)
    catalogue = {r[s.INDICATOR_ID]: r for r in data.indicators.to_dict("records")}
    areas = {r[s.AREA_CODE]: r for r in data.areas.to_dict("records")}
    levels = {str(level) for level in SIGNAL_LEVELS}

    null_shares: list[float] = []
    latest_flags = 0
    back = fa.OriginResult(0, 0, 0)
    spc_real: list[float] = []
    spc_illustrative: list[float] = []
    rule_shares: dict[str, list[float]] = {}
    for (indicator_id, area_code), rows in data.observations.groupby([s.INDICATOR_ID, s.AREA_CODE], sort=True):
        area = areas[area_code]
        if str(area[s.LEVEL]) not in levels:
            continue
        info = series_info(catalogue[indicator_id], area)
        cadence, _ = cadence_of(info, rows[s.PERIOD_START])
        if cadence is None:
            continue
        if cadence.value == "annual" and not info.illustrative:
            window = fa.latest_window(rows)
            if window is None:
                continue
            null_shares.append(fa.permutation_flag_share(window))
            latest_flags += int(fa.flags(window)[0] != 0)
            back += fa.backtest_origins(rows)
        elif cadence.value in ("monthly", "quarterly"):
            share, per_rule = fa.spc_shuffle_share(rows, cadence, n_shuffles=args.shuffles)
            (spc_illustrative if info.illustrative else spc_real).append(share)
            for rule, value in per_rule.items():
                rule_shares.setdefault(rule, []).append(value)

    n = len(null_shares)
    print("Annual trend test (CONVENTIONS S5: straight line through the latest 5 consecutive years, p < 0.05)")
    print(f"  real annual series tested (5+ consecutive years): {n}")
    print(f"  flagged today: {latest_flags} ({pct(latest_flags, n)})")
    print(f"  1. permutation null (nothing changes): mean share of the 120 orders flagged = "
          f"{100 * float(np.mean(null_shares)):.1f}% (nominal 5.0%; per series "
          f"{100 * min(null_shares):.1f}%-{100 * max(null_shares):.1f}%)")
    print(f"     so about {float(np.sum(null_shares)):.0f} of today's {latest_flags} flags are what chance alone "
          "would give if no series were changing")
    print(f"  2. back-test at past origins (follow-up {fa.FOLLOW_UP} years): {back.origins} origins, "
          f"{back.flagged} flags ({pct(back.flagged, back.origins)}), {back.not_borne_out} not borne out = "
          f"{pct(back.not_borne_out, back.flagged)} of flags")
    print()
    print(f"SPC rules on shuffled monthly series ({args.shuffles} seeded shuffles each; a current signal = one "
          "ending in the latest 3 months)")
    for label, shares in (("real", spc_real), ("illustrative", spc_illustrative)):
        if shares:
            print(f"  {label}: {len(shares)} series, share of shuffles with a current signal = "
                  f"{100 * float(np.mean(shares)):.1f}%")
    for rule, shares in sorted(rule_shares.items()):
        total = len(spc_real) + len(spc_illustrative)
        print(f"    by rule, {rule}: {100 * float(np.sum(shares)) / total:.1f}%")


if __name__ == "__main__":
    main()
