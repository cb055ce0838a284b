"""ONS Explore Local Statistics: annual (and some monthly / rolling) series for districts and comparators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from insight import schema as s
from insight.build.els_catalogue import ELS_META, ElsMeta
from insight.build.observations import IndicatorDef
from insight.periods import label_period, parse_period

ELS_SOURCE = "ONS Explore Local Statistics"
STATUS_FLAGS = {"u": s.Flag.UNRELIABLE, "x": s.Flag.NOT_AVAILABLE}
LEVEL_BY_GEOGRAPHY = {"Nation": s.Level.ENGLAND, "Region": s.Level.REGION,
                      "County or Unitary Authority": s.Level.COUNTY, "Local Authority District": s.Level.DISTRICT}


def els_indicators(path: Path, area_codes: set[str]) -> tuple[list[IndicatorDef], pd.DataFrame]:
    """Catalogue entries and observations of every ELS series for the configured areas."""
    raw = pd.read_csv(path, dtype={"status": str})
    raw = raw[raw["areacd"].isin(area_codes)].copy()
    periods = {text: parse_period(text) for text in raw["period"].unique()}
    raw["start"] = raw["period"].map(lambda t: periods[t].start)
    raw["end"] = raw["period"].map(lambda t: periods[t].end)
    raw["duration"] = raw["period"].map(lambda t: periods[t].duration)

    defs, frames = [], []
    for key, part in raw.groupby("indicator", sort=True):
        title = str(key)
        meta = ELS_META.get(title) or _fallback_meta(title)
        frequency = _frequency(part)
        duration = part["duration"].mode().iloc[0]
        if frequency == s.Frequency.ANNUAL and duration == "":
            duration = "P1Y"  # dated annual releases (e.g. pay in April): label by year
        levels = tuple(sorted({LEVEL_BY_GEOGRAPHY[g] for g in part["geography"]}, key=list(s.Level).index))
        measure, unit = str(part["measure"].iloc[0]), meta.unit or str(part["unit"].iloc[0])
        defs.append(IndicatorDef(
            meta.indicator_id, meta.title or title, meta.short_title, unit, meta.value_type, meta.polarity, frequency,
            meta.theme, levels, f"{ELS_SOURCE} ({part['dataset'].iloc[0]}) from the Office for National Statistics",
            f"{title} — {measure}. Published by ONS Explore Local Statistics for districts, counties, regions and "
            f"England{'; 95% confidence limits as published' if part['lci_95'].notna().any() else ''}."
            + (" Each figure covers a rolling window, not a single year." if duration in ("P3Y", "P5Y") else ""),
            status=meta.status))
        frame = pd.DataFrame({
            s.AREA_CODE: part["areacd"].to_numpy(),
            s.INDICATOR_ID: meta.indicator_id,
            s.PERIOD_START: part["start"].to_numpy(),
            s.PERIOD_END: part["end"].to_numpy(),
            s.PERIOD_LABEL: [label_period(start, duration if d == "" and duration == "P1Y" else d)
                             for start, d in zip(part["start"], part["duration"], strict=True)],
            s.VALUE: part["observation"].astype(float).to_numpy(),
            s.NUMERATOR: np.nan,
            s.DENOMINATOR: np.nan,
            s.LOWER_95: part["lci_95"].astype(float).to_numpy(),
            s.UPPER_95: part["uci_95"].astype(float).to_numpy(),
            s.FLAG: part["status"].map(lambda v: str(STATUS_FLAGS.get(v, s.Flag.NONE)) if isinstance(v, str) else "")
            .to_numpy(),
        })
        missing = frame[s.VALUE].isna() & (frame[s.FLAG] == "")
        frame.loc[missing, s.FLAG] = str(s.Flag.NOT_AVAILABLE)
        frames.append(frame)
    return defs, pd.concat(frames, ignore_index=True)


def _frequency(part: pd.DataFrame) -> s.Frequency:
    starts = np.sort(part["start"].unique())
    durations = set(part["duration"])
    if len(starts) < 2:
        return s.Frequency.SNAPSHOT
    if "P1M" in durations:
        return s.Frequency.MONTHLY
    if "P3Y" in durations:
        return s.Frequency.ROLLING_3_YEAR
    if "P5Y" in durations:
        return s.Frequency.ROLLING_5_YEAR
    gaps = np.diff(starts).astype("timedelta64[D]").astype(int)
    return s.Frequency.ANNUAL if np.median(gaps) > 300 else s.Frequency.SNAPSHOT


def _fallback_meta(title: str) -> ElsMeta:
    slug = "".join(ch if ch.isalnum() else "_" for ch in title.lower()).strip("_")
    return ElsMeta(slug, title, "economy", s.Polarity.NEITHER, s.ValueType.MEAN)
