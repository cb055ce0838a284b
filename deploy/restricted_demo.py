"""Test data: a copy of data/ with ONE restricted demonstration indicator (written to a temp dir by the tests
and make deploy-test; never shipped, never committed).

The indicator is synthetic and labelled so in its title: "RESTRICTED DEMO (test data, not real)"; its status is
"real" only so that it behaves like the pre-release figures restricted access is for (illustrative indicators
are kept out of the sidebar). Access "restricted:public-health"; annual values 2015-2024 for the county and
its districts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from insight import schema as s

ROOT = Path(__file__).resolve().parents[1]
RESTRICTED_ID = "demo_restricted_waiting_list"
RESTRICTED_TITLE = "RESTRICTED DEMO (test data, not real): pre-release waiting list"
RESTRICTED_SHORT = "Restricted demo waiting list"
GROUP = "public-health"


def make_restricted_dataset(target: Path) -> Path:
    """Copy data/ to `target` and add the restricted demonstration indicator; returns `target`."""
    shutil.copytree(ROOT / "data", target)
    indicators = pd.read_csv(target / "indicators.csv", dtype=str, keep_default_na=False)
    indicators[s.ACCESS] = s.ACCESS_PUBLIC
    row = {s.INDICATOR_ID: RESTRICTED_ID, s.TITLE: RESTRICTED_TITLE, s.SHORT_TITLE: RESTRICTED_SHORT,
           s.UNIT: "per 1,000", s.VALUE_TYPE: "rate", s.POLARITY: "higher_is_worse", s.FREQUENCY: "annual",
           s.THEME: "health and wellbeing", s.LEVELS: "county;district",
           s.SOURCE: "Synthetic test data made by the test suite", s.LICENCE: s.OGL,
           s.DEFINITION: "A synthetic series that exists only to test restricted access. Not real.",
           s.DISCLOSURE_RULE: s.DISCLOSURE_NONE, s.STATUS: "real", s.ACCESS: f"restricted:{GROUP}"}
    pd.concat([indicators, pd.DataFrame([row])], ignore_index=True).to_csv(target / "indicators.csv", index=False)
    areas = pd.read_parquet(target / "areas.parquet")
    codes = list(areas.loc[areas[s.LEVEL].isin(["county", "district"]), s.AREA_CODE])
    observations = pd.read_parquet(target / "observations.parquet")
    rng = np.random.default_rng(16)
    rows = []
    for code in codes:
        base = rng.uniform(20, 40)
        for year in range(2015, 2025):
            rows.append({s.AREA_CODE: code, s.INDICATOR_ID: RESTRICTED_ID,
                         s.PERIOD_START: pd.Timestamp(year, 4, 1), s.PERIOD_END: pd.Timestamp(year + 1, 3, 31),
                         s.PERIOD_LABEL: f"{year}/{str(year + 1)[2:]}", s.VALUE: round(base + 0.8 * (year - 2015), 1),
                         s.NUMERATOR: np.nan, s.DENOMINATOR: np.nan, s.LOWER_95: np.nan, s.UPPER_95: np.nan,
                         s.FLAG: ""})
    extra = pd.DataFrame(rows).astype(observations.dtypes.to_dict())
    pd.concat([observations, extra], ignore_index=True).to_parquet(target / "observations.parquet", index=False)
    return target
