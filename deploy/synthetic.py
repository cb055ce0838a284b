"""A SYNTHETIC national-scale dataset for scale measurements: the Essex dataset's structure replicated to N
councils. Never shipped or committed: it is written to a folder the caller gives (a temp dir).

Council k (1..N) gets a copy of the county, its districts, divisions and LSOAs with codes X10kkkkkk (county),
X07kkkiii (districts), X58kkkiii (divisions), X01kkkiii (LSOAs) and names ending "(synthetic council k)";
England and the region stay as they are, once. Observations, illustrative series, boundaries (same
shapes), projections and back-tests are copied to every council, so the row counts are what N councils of
Essex's shape would have. Every value is a copy of an Essex value: this measures volume, not statistics.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from insight import schema as s
from insight.loaders import (
    BOUNDARY_FILES,
    DEFAULT_DATA_DIR,
    ILLUSTRATIVE_FILE,
    load_dataset,
    load_observations,
)

PREFIX = {s.Level.COUNTY: "X10", s.Level.DISTRICT: "X07", s.Level.DIVISION: "X58", s.Level.LSOA: "X01"}
LABEL = "SYNTHETIC national-scale test data (the Essex structure replicated); not real, never shipped."


def code_maps(areas: pd.DataFrame, councils: int) -> list[dict[str, str]]:
    """For each council, old area code -> synthetic code (county and the areas below it)."""
    maps = []
    for k in range(1, councils + 1):
        mapping: dict[str, str] = {}
        for level, prefix in PREFIX.items():
            codes = sorted(areas.loc[areas[s.LEVEL] == level, s.AREA_CODE])
            for i, code in enumerate(codes, start=1):
                mapping[code] = f"{prefix}{k:06d}" if level == s.Level.COUNTY else f"{prefix}{k:03d}{i:03d}"
        maps.append(mapping)
    return maps


def _map_codes(value: object, mapping: dict[str, str]) -> object:
    """A code, or ';'-joined codes, through the mapping (other values unchanged)."""
    if not isinstance(value, str):
        return value
    return ";".join(mapping.get(c, c) for c in value.split(";"))


def _replicate(frame: pd.DataFrame, maps: list[dict[str, str]]) -> pd.DataFrame:
    """Rows of England/the region once, then every council's copy of the county's rows (codes mapped)."""
    local = frame[s.AREA_CODE].isin(maps[0])
    parts = [frame[~local]]
    for mapping in maps:
        part = frame[local].copy()
        part[s.AREA_CODE] = part[s.AREA_CODE].map(mapping)
        parts.append(part)
    return pd.concat(parts, ignore_index=True).astype(frame.dtypes.to_dict())


def _replicate_areas(areas: pd.DataFrame, maps: list[dict[str, str]]) -> pd.DataFrame:
    local = areas[s.AREA_CODE].isin(maps[0])
    parts = [areas[~local]]
    for k, mapping in enumerate(maps, start=1):
        part = areas[local].copy()
        for column in (s.AREA_CODE, s.PARENT_CODE, s.PARENT_CODES):
            part[column] = part[column].map(lambda v, m=mapping: _map_codes(v, m))
        part[s.AREA_NAME] = part[s.AREA_NAME] + f" (synthetic council {k})"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).astype(areas.dtypes.to_dict())


def write_synthetic_national(target: Path, councils: int, source: Path = DEFAULT_DATA_DIR) -> Path:
    """Write the N-council synthetic dataset into `target` (created); returns it."""
    target = Path(target)
    (target / "boundaries").mkdir(parents=True, exist_ok=True)
    dataset = load_dataset(source)
    maps = code_maps(dataset.areas, councils)
    _replicate_areas(dataset.areas, maps).to_parquet(target / "areas.parquet", index=False)
    (target / "indicators.csv").write_bytes((source / "indicators.csv").read_bytes())
    _replicate(dataset.observations, maps).to_parquet(target / "observations.parquet", index=False)
    _replicate(load_observations(source, file=ILLUSTRATIVE_FILE), maps).to_parquet(target / ILLUSTRATIVE_FILE,
                                                                                  index=False)
    for name in ("projections.parquet", "backtests.parquet"):
        if (source / name).exists():
            _replicate(pd.read_parquet(source / name), maps).to_parquet(target / name, index=False)
    for file in BOUNDARY_FILES.values():
        layer = json.loads((source / "boundaries" / file).read_text(encoding="utf-8"))
        features = []
        for k, mapping in enumerate(maps, start=1):
            for feature in layer["features"]:
                props = {key: _map_codes(v, mapping) for key, v in feature["properties"].items()}
                if "area_name" in props:
                    props["area_name"] = f"{props['area_name']} (synthetic council {k})"
                features.append({**feature, "properties": props})
        (target / "boundaries" / file).write_text(json.dumps({**layer, "features": features}), encoding="utf-8")
    (target / "README.txt").write_text(LABEL + f"\nCouncils: {councils}.\n", encoding="utf-8")
    return target
