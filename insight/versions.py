"""What changed between two versions of the processed dataset (e.g. the committed data/ and a previous build).

Three lists, each per area and indicator:

* **new releases**: periods the current version has that the previous one did not;
* **moved values**: the latest published value differs — a new period (``kind="new period"``), the same
  period with a different value (``"revised"``), a series the previous version did not have
  (``"new series"``), or an earlier latest period than before (``"latest period withdrawn"``);
* **rating changes**: the S4 rating of the latest value against its comparator (Better / Similar / Worse,
  or Higher / Lower when polarity is "neither") differs between the versions. Each version's rating is
  made at that version's latest period, against the comparator's value for the same period, with the
  indicator's disclosure rule applied first (a suppressed value is never rated). "Not compared" on either
  side is not a change.

The comparator of an area depends on its level (``default_comparators``): England for the county,
districts and the region, the county for divisions — as the Overview and profile pages compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from insight import schema as s
from insight.config import CouncilConfig
from insight.loaders import Dataset, load_dataset
from insight.stats import Rating, apply_disclosure, compare_frame

KIND = "kind"
NEW_PERIOD, REVISED, NEW_SERIES = "new period", "revised", "new series"
WITHDRAWN = "latest period withdrawn"
PREVIOUS = "previous_"  # prefix of the previous version's columns
CHANGE = "change"
COMPARATOR_CODE = "comparator_code"
COMPARATOR_VALUE = "comparator_value"
RATING = "rating"

RELEASE_COLUMNS = [s.INDICATOR_ID, s.AREA_CODE, s.PERIOD_START, s.PERIOD_LABEL]
MOVED_COLUMNS = [s.AREA_CODE, s.INDICATOR_ID, KIND, PREVIOUS + s.PERIOD_START, PREVIOUS + s.PERIOD_LABEL,
                 PREVIOUS + s.VALUE, s.PERIOD_START, s.PERIOD_LABEL, s.VALUE, CHANGE]
RATING_COLUMNS = [s.AREA_CODE, s.INDICATOR_ID, COMPARATOR_CODE, s.PERIOD_START, s.PERIOD_LABEL, s.VALUE,
                  s.LOWER_95, s.UPPER_95, COMPARATOR_VALUE, RATING]
RATING_CHANGE_COLUMNS = [s.AREA_CODE, s.INDICATOR_ID, COMPARATOR_CODE,
                         PREVIOUS + s.PERIOD_START, PREVIOUS + s.PERIOD_LABEL, PREVIOUS + s.VALUE, PREVIOUS + RATING,
                         s.PERIOD_START, s.PERIOD_LABEL, s.VALUE, RATING]


@dataclass(frozen=True)
class VersionDiff:
    """The changes from a previous dataset version to the current one (columns as the *_COLUMNS lists)."""

    new_releases: pd.DataFrame
    moved_values: pd.DataFrame
    rating_changes: pd.DataFrame

    def for_area(self, area_code: str) -> VersionDiff:
        """The same lists for one area."""
        def pick(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame[s.AREA_CODE] == area_code].reset_index(drop=True)

        return VersionDiff(pick(self.new_releases), pick(self.moved_values), pick(self.rating_changes))

    @property
    def empty(self) -> bool:
        return self.new_releases.empty and self.moved_values.empty and self.rating_changes.empty


def default_comparators(config: CouncilConfig) -> dict[s.Level | str, str]:
    """Each level's comparator area code: England for county, region and districts; the county for divisions."""
    return {s.Level.COUNTY: config.england_code, s.Level.REGION: config.england_code,
            s.Level.DISTRICT: config.england_code, s.Level.DIVISION: config.county_code}


def load_version(data_dir: Path) -> Dataset:
    """A dataset version from a folder laid out like data/ (validated, real observations only)."""
    return load_dataset(Path(data_dir))


def _latest(observations: pd.DataFrame) -> pd.DataFrame:
    """Each (area, indicator)'s latest row with a value."""
    rows = observations[observations[s.VALUE].notna()].sort_values(s.PERIOD_START, kind="mergesort")
    return rows.groupby([s.AREA_CODE, s.INDICATOR_ID], sort=True).tail(1).reset_index(drop=True)


def new_releases(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Rows (indicator, area, period) in ``current`` whose period ``previous`` did not have."""
    key = [s.INDICATOR_ID, s.AREA_CODE, s.PERIOD_START]
    merged = current[RELEASE_COLUMNS].merge(previous[key].drop_duplicates(), on=key, how="left", indicator=True)
    out = merged[merged["_merge"] == "left_only"][RELEASE_COLUMNS]
    return out.sort_values(key, kind="mergesort").reset_index(drop=True)


def moved_values(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Series whose latest value is new (new period or new series) or was revised."""
    key = [s.AREA_CODE, s.INDICATOR_ID]
    cols = [*key, s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]
    old = _latest(previous)[cols].rename(columns={c: PREVIOUS + c for c in cols if c not in key})
    merged = _latest(current)[cols].merge(old, on=key, how="left")
    same_period = merged[PREVIOUS + s.PERIOD_START] == merged[s.PERIOD_START]
    revised = same_period & ~np.isclose(merged[s.VALUE].astype(float),
                                        merged[PREVIOUS + s.VALUE].astype(float), rtol=1e-9, atol=0.0)
    earlier = merged[s.PERIOD_START] < merged[PREVIOUS + s.PERIOD_START]
    merged[KIND] = np.select([merged[PREVIOUS + s.PERIOD_START].isna(), same_period, earlier],
                             [NEW_SERIES, REVISED, WITHDRAWN], default=NEW_PERIOD)
    merged[CHANGE] = merged[s.VALUE].astype(float) - merged[PREVIOUS + s.VALUE].astype(float)
    moved = merged[(merged[KIND] != REVISED) | revised]
    return moved[MOVED_COLUMNS].sort_values(key, kind="mergesort").reset_index(drop=True)


def latest_ratings(dataset: Dataset, comparators: Mapping[s.Level | str, str]) -> pd.DataFrame:
    """The S4 rating of each rated area's latest value against its level's comparator (RATING_COLUMNS)."""
    levels = dataset.areas.set_index(s.AREA_CODE)[s.LEVEL].astype(str)
    wanted = {str(level): code for level, code in comparators.items()}
    catalogue = dataset.indicators.set_index(s.INDICATOR_ID)
    obs = dataset.observations
    frames = []
    for indicator_id, rows in obs[obs[s.AREA_CODE].map(levels).isin(wanted)].groupby(s.INDICATOR_ID, sort=True):
        if indicator_id not in catalogue.index:
            continue
        ind = catalogue.loc[indicator_id]
        rated = apply_disclosure(_latest(rows), str(ind[s.DISCLOSURE_RULE]))  # row-wise: suppressed -> no rating
        if rated.empty:
            continue
        rated[COMPARATOR_CODE] = rated[s.AREA_CODE].map(levels).map(wanted)
        bench = obs[(obs[s.INDICATOR_ID] == indicator_id) & obs[s.VALUE].notna()][
            [s.AREA_CODE, s.PERIOD_START, s.VALUE]].rename(
            columns={s.AREA_CODE: COMPARATOR_CODE, s.VALUE: COMPARATOR_VALUE})
        rated = rated.merge(bench, on=[COMPARATOR_CODE, s.PERIOD_START], how="left")
        rated[RATING] = compare_frame(rated, COMPARATOR_VALUE, str(ind[s.POLARITY]))
        frames.append(rated[RATING_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=RATING_COLUMNS)
    return pd.concat(frames, ignore_index=True).sort_values([s.AREA_CODE, s.INDICATOR_ID]).reset_index(drop=True)


def rating_changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Ratings (from ``latest_ratings``) that differ between versions; "Not compared" is never a change."""
    key = [s.AREA_CODE, s.INDICATOR_ID, COMPARATOR_CODE]
    cols = [s.PERIOD_START, s.PERIOD_LABEL, s.VALUE, RATING]
    old = previous[key + cols].rename(columns={c: PREVIOUS + c for c in cols})
    merged = current[key + cols].merge(old, on=key, how="inner")
    compared = (merged[RATING] != Rating.NOT_COMPARED.value) & \
               (merged[PREVIOUS + RATING] != Rating.NOT_COMPARED.value)
    changed = merged[compared & (merged[RATING] != merged[PREVIOUS + RATING])]
    return changed[RATING_CHANGE_COLUMNS].sort_values(key, kind="mergesort").reset_index(drop=True)


def diff_datasets(previous: Dataset, current: Dataset, comparators: Mapping[s.Level | str, str]) -> VersionDiff:
    """Everything that changed from ``previous`` to ``current`` (see the module docstring)."""
    return VersionDiff(
        new_releases=new_releases(previous.observations, current.observations),
        moved_values=moved_values(previous.observations, current.observations),
        rating_changes=rating_changes(latest_ratings(previous, comparators), latest_ratings(current, comparators)),
    )
