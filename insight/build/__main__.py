"""Build the processed dataset in data/ from the raw open data named in a council configuration.

    python -m insight.build --raw ../shared/essex-raw [--config insight/councils/essex.toml]
                            [--divisions path/to/CED_MAY_2025_EN_BGC.geojson] [--out data]

Deterministic: the same raw files give the same data/ (a test rebuilds and compares).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

from insight import schema as s
from insight.build import geography as geo
from insight.build.els import els_indicators
from insight.build.illustrative import build_illustrative_demand, illustrative_indicator_rows
from insight.build.imd_trend import INDICATOR as IMD_TREND
from insight.build.imd_trend import imd_trend_observations
from insight.build.observations import tidy_observations
from insight.build.small_area import COMPLEMENT_SETS, disclosure_edges, small_area_indicators
from insight.config import DEFAULT_CONFIG, CouncilConfig, load_config
from insight.disclosure import apply_disclosure_rules
from insight.validate import validate_areas, validate_indicators, validate_observations

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data"


def build(raw: Path, config: CouncilConfig, out: Path, divisions_file: Path | None = None) -> dict[str, int]:
    """Build every output file into `out`; returns row counts for the log."""
    files = config.raw
    approximate = divisions_file is None and config.divisions_approximate
    districts = geo.read_districts(raw / files["district_boundaries"], config)
    divisions = geo.read_divisions(divisions_file or raw / config.division_file, config, districts,
                                   approximate=approximate)
    lsoas, centroids = geo.read_lsoas(raw / files["lsoa_boundaries"], raw / files["lsoa_centroids"])

    lookup = _lsoa_lookup(raw, files, lsoas, centroids, divisions)
    _check_population(lookup, config)
    _check_every_division_has_residents(divisions, lookup)
    areas = geo.build_areas(config, districts, divisions, lsoas, lookup)

    defs, frames = small_area_indicators(raw, files, lookup, config.county_code)
    defs.append(IMD_TREND)
    frames += imd_trend_observations(raw, files, lookup, config.county_code)
    els_defs, els_obs = els_indicators(raw / files["els_timeseries"], set(areas[s.AREA_CODE]))
    indicators = pd.DataFrame([d.row() for d in [*defs, *els_defs]], columns=s.INDICATOR_COLUMNS)
    observations = tidy_observations([*frames, els_obs])
    observations = apply_disclosure_rules(observations, indicators, disclosure_edges(lookup, config.county_code),
                                          COMPLEMENT_SETS)

    demand = tidy_observations([build_illustrative_demand(_division_profile(areas, observations))])
    all_indicators = pd.concat([indicators, illustrative_indicator_rows()], ignore_index=True)
    all_indicators = all_indicators.sort_values([s.THEME, s.INDICATOR_ID], kind="mergesort").reset_index(drop=True)

    validate_areas(areas, "areas")
    validate_indicators(all_indicators, "indicators.csv")
    known = set(areas[s.AREA_CODE])
    validate_observations(observations, "observations.parquet", known, set(all_indicators[s.INDICATOR_ID]))
    validate_observations(demand, "illustrative_demand.parquet", known, set(all_indicators[s.INDICATOR_ID]))

    (out / "boundaries").mkdir(parents=True, exist_ok=True)
    (out / "lookups").mkdir(parents=True, exist_ok=True)
    areas.to_parquet(out / "areas.parquet", index=False)
    all_indicators.to_csv(out / "indicators.csv", index=False, lineterminator="\n")
    observations.to_parquet(out / "observations.parquet", index=False)
    demand.to_parquet(out / "illustrative_demand.parquet", index=False)
    lookup.sort_values(s.AREA_CODE).to_csv(out / "lookups" / "lsoa_lookup.csv", index=False, lineterminator="\n")
    _write_geojson(geo.simplify(divisions, geo.DIVISION_TOLERANCE).merge(
        areas[[s.AREA_CODE, s.PARENT_CODES, s.POPULATION]], on=s.AREA_CODE), out / "boundaries" / "divisions.geojson")
    _write_geojson(geo.simplify(districts, geo.DISTRICT_TOLERANCE), out / "boundaries" / "districts.geojson")
    _write_geojson(geo.simplify(lsoas, geo.LSOA_TOLERANCE).merge(
        lookup[[s.AREA_CODE, "division_code"]], on=s.AREA_CODE), out / "boundaries" / "lsoas.geojson")
    return {"areas": len(areas), "indicators": len(all_indicators), "observations": len(observations),
            "illustrative": len(demand)}


def _lsoa_lookup(raw: Path, files: dict[str, str], lsoas: gpd.GeoDataFrame, centroids: pd.DataFrame,
                 divisions: gpd.GeoDataFrame) -> pd.DataFrame:
    """LSOA 2021 -> district, division, Census 2021 residents."""
    census = pd.read_csv(raw / files["census2021_lsoa"])
    residents = (census[census["denominator_type"] == "total_residents"].groupby("lsoa21_code")["denominator"]
                 .first())
    division = geo.assign_lsoas_to_divisions(centroids, divisions)
    lookup = pd.DataFrame({s.AREA_CODE: lsoas[s.AREA_CODE], "district_code": lsoas["district_code"]})
    lookup["division_code"] = lookup[s.AREA_CODE].map(division)
    lookup[s.POPULATION] = lookup[s.AREA_CODE].map(residents).astype("float64")
    return lookup.reset_index(drop=True)


def _check_population(lookup: pd.DataFrame, config: CouncilConfig) -> None:
    total = int(lookup[s.POPULATION].sum())
    if total != config.census_2021_population:
        raise ValueError(f"LSOA residents sum to {total:,}, not the configured Census 2021 total "
                         f"{config.census_2021_population:,}")
    if lookup["division_code"].isna().any():
        raise ValueError("Some LSOAs were not placed in any division")


def _check_every_division_has_residents(divisions: gpd.GeoDataFrame, lookup: pd.DataFrame) -> None:
    empty = sorted(set(divisions[s.AREA_CODE]) - set(lookup["division_code"]))
    if empty:
        raise ValueError(f"No LSOA centroid falls in division(s) {', '.join(empty)}: check the boundary file")


def _division_profile(areas: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Division characteristics that drive the illustrative demand series."""
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION][[s.AREA_CODE, s.POPULATION]]
    wide = observations.pivot_table(index=s.AREA_CODE, columns=s.INDICATOR_ID, values=s.VALUE, aggfunc="first")
    columns = {"pop_aged_65_plus": "pct_aged_65_plus", "pop_aged_0_15": "pct_aged_0_15",
               "imd25_score": "imd25_score", "imd25_health": "imd25_health", "imd25_income": "imd25_income"}
    profile = divisions.merge(wide[list(columns)].rename(columns=columns), left_on=s.AREA_CODE, right_index=True,
                              how="left").reset_index(drop=True)
    profile["imd25_income"] = profile["imd25_income"] / 100  # the generator takes the IMD rate, 0-1
    return profile


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.write_text(frame.to_json(drop_id=True, na="null"), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, required=True, help="folder of raw open data")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="council TOML configuration")
    parser.add_argument("--divisions", type=Path, default=None,
                        help="official ONS County Electoral Division boundaries (replaces the approximate layer)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = build(args.raw, load_config(args.config), args.out, args.divisions)
    print(", ".join(f"{k}: {v:,}" for k, v in counts.items()) + f" — built in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
