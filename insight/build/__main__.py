"""Build the processed dataset in data/ from the raw open data named in a council configuration.

    python -m insight.build --raw ../shared/essex-raw [--config insight/councils/essex.toml]
                            [--divisions path/to/CED_MAY_2025_EN_BGC.geojson] [--out data]

The council may be a county (small areas: county electoral divisions) or a district (small areas: wards),
e.g. ``--config insight/councils/colchester.toml --out data/councils/colchester``. Deterministic: the same raw
files give the same dataset (a test rebuilds and compares). The configuration used is written beside the
dataset as council.toml. A wrong input stops the build with a message naming the file, the column, what is
wrong and what to do (docs/new-council.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from insight import schema as s
from insight.build import geography as geo
from insight.build.els import els_indicators
from insight.build.illustrative import build_illustrative_demand, illustrative_indicator_rows
from insight.build.imd_trend import INDICATOR as IMD_TREND
from insight.build.imd_trend import imd_trend_observations
from insight.build.inputs import check_raw_files
from insight.build.observations import tidy_observations
from insight.build.small_area import COMPLEMENT_SETS, disclosure_edges, small_area_indicators
from insight.config import DATASET_COUNCIL_FILE, DEFAULT_CONFIG, CouncilConfig, load_config
from insight.data_version import write_build_stamp
from insight.disclosure import apply_disclosure_rules
from insight.errors import DataValidationError, InsightError, Problem
from insight.signal_store import write_signals
from insight.validate import validate_areas, validate_indicators, validate_observations

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data"


def build(raw: Path, config: CouncilConfig, out: Path, divisions_file: Path | None = None) -> dict[str, int]:
    """Build every output file into `out`; returns row counts for the log.

    `divisions_file` replaces the configured small-area layer (e.g. the official ONS County Electoral Division
    file), which is then marked exact. Raises DataValidationError / ConfigError for a wrong input.
    """
    check_raw_files(raw, config, divisions_file)
    files = config.raw
    approximate = divisions_file is None and config.divisions_approximate
    districts = geo.read_districts(raw / files["district_boundaries"], config)
    divisions = geo.read_divisions(divisions_file or raw / config.division_file, config, districts,
                                   approximate=approximate)
    lsoas, centroids = geo.read_lsoas(raw / files["lsoa_boundaries"], raw / files["lsoa_centroids"],
                                      config.districts)

    lookup = _lsoa_lookup(raw, config, lsoas, centroids, divisions)
    _check_population(lookup, config)
    _check_every_division_has_residents(divisions, lookup, config)
    areas = geo.build_areas(config, districts, divisions, lsoas, lookup)

    council = config.council_code
    defs, frames = small_area_indicators(raw, files, lookup, council, area_word=config.area_word)
    defs.append(IMD_TREND)
    frames += imd_trend_observations(raw, files, lookup, council)
    els_defs, els_obs = els_indicators(raw / files["els_timeseries"], set(areas[s.AREA_CODE]))
    indicators = pd.DataFrame([d.row() for d in [*defs, *els_defs]], columns=s.INDICATOR_COLUMNS)
    observations = tidy_observations([*frames, els_obs])
    observations = apply_disclosure_rules(observations, indicators, disclosure_edges(lookup, council),
                                          COMPLEMENT_SETS)

    demand = tidy_observations([build_illustrative_demand(_division_profile(areas, observations))])
    all_indicators = pd.concat([indicators, illustrative_indicator_rows(config.area_word)], ignore_index=True)
    all_indicators = _levels_published(all_indicators, pd.concat([observations, demand]), areas)
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
    write_council_file(config, out, divisions_file)
    write_signals(out)  # each place's early-warning signals, read back from the files just written
    write_build_stamp(out, datetime.now(UTC).date())  # 'data as of' that day, in every clone
    return {"areas": len(areas), config.area_word_plural: int((areas[s.LEVEL] == s.Level.DIVISION).sum()),
            "indicators": len(all_indicators), "observations": len(observations), "illustrative": len(demand)}


def write_council_file(config: CouncilConfig, out: Path, divisions_file: Path | None) -> None:
    """Write the configuration used into the dataset (council.toml), so the dataset says which council it is.

    The TOML is copied as it is; a build with --divisions appends a [build] table recording the file used and
    that the boundaries are exact (insight.config reads it). No time stamp: the build stays deterministic.
    """
    if config.source is None:
        return
    text = Path(config.source).read_text(encoding="utf-8")
    text = text.split("\n[build]\n", 1)[0].rstrip("\n") + "\n"  # a dataset's own council.toml, rebuilt
    if divisions_file is not None:
        text += ("\n[build]\n# Written by insight.build: the small-area boundaries came from --divisions "
                 "(official, so exact).\n"
                 f"small_area_file = {str(Path(divisions_file).name)!r}\napproximate = false\n").replace("'", '"')
    (out / DATASET_COUNCIL_FILE).write_text(text, encoding="utf-8")


def _lsoa_lookup(raw: Path, config: CouncilConfig, lsoas: gpd.GeoDataFrame, centroids: pd.DataFrame,
                 divisions: gpd.GeoDataFrame) -> pd.DataFrame:
    """LSOA 2021 -> district, small area (division or ward), Census 2021 residents.

    LSOAs are placed by the configured best-fit lookup when there is one ([small_areas] lsoa_lookup), else in
    the area holding their population-weighted centroid.
    """
    census_file = config.raw["census2021_lsoa"]
    census = pd.read_csv(raw / census_file)
    residents = (census[census["denominator_type"] == "total_residents"].groupby("lsoa21_code")["denominator"]
                 .first())
    if config.division_lookup:
        division = geo.lookup_lsoas_to_areas(raw / config.division_lookup, config, lsoas[s.AREA_CODE], divisions)
    else:
        division = geo.assign_lsoas_to_divisions(centroids, divisions)
    lookup = pd.DataFrame({s.AREA_CODE: lsoas[s.AREA_CODE], "district_code": lsoas["district_code"]})
    lookup["division_code"] = lookup[s.AREA_CODE].map(division)
    lookup[s.POPULATION] = lookup[s.AREA_CODE].map(residents).astype("float64")
    no_residents = lookup.loc[lookup[s.POPULATION].isna(), s.AREA_CODE]
    if not no_residents.empty:
        raise DataValidationError([Problem(
            f"{len(no_residents)} of the council's {len(lookup)} LSOAs have no 'total_residents' row (first: "
            f"{no_residents.iloc[0]}); use the Census 2021 file for the whole council",
            f"{census_file} ([raw] census2021_lsoa)", column="denominator_type")])
    return lookup.reset_index(drop=True)


def _check_population(lookup: pd.DataFrame, config: CouncilConfig) -> None:
    total = int(lookup[s.POPULATION].sum())
    if total != config.census_2021_population:
        raise DataValidationError([Problem(
            f"the Census 2021 residents of the council's {len(lookup)} LSOAs (in {len(config.districts)} "
            f"district(s): {', '.join(config.districts)}) sum to {total:,}, not the configured "
            f"census_2021_population {config.census_2021_population:,}. Check [districts] and the Census file; "
            "if they are right, correct the figure (ONS Census 2021 TS001, usual residents)",
            str(config.source or "council TOML"), column="[council] census_2021_population",
            value=config.census_2021_population)])
    if lookup["division_code"].isna().any():
        first = lookup.loc[lookup["division_code"].isna(), s.AREA_CODE].iloc[0]
        raise DataValidationError([Problem(f"some LSOAs were not placed in any {config.area_word} (first: "
                                           f"{first})", config.division_lookup or config.division_file)])


def _check_every_division_has_residents(divisions: gpd.GeoDataFrame, lookup: pd.DataFrame,
                                        config: CouncilConfig) -> None:
    empty = sorted(set(divisions[s.AREA_CODE]) - set(lookup["division_code"]))
    if empty:
        how = "no LSOA of the lookup is placed in" if config.division_lookup else "no LSOA centroid falls in"
        raise DataValidationError([Problem(
            f"{how} {config.area_word}(s) {', '.join(empty)}: check that the boundary file is the council's "
            "current arrangement and matches the LSOA lookup", config.division_file, column="code")])


def _levels_published(indicators: pd.DataFrame, observations: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's levels, keeping only those it has observations at (a district council has no county)."""
    level = observations[s.AREA_CODE].map(areas.set_index(s.AREA_CODE)[s.LEVEL])
    present = level.groupby(observations[s.INDICATOR_ID]).agg(set).to_dict()
    out = indicators.copy()
    out[s.LEVELS] = [";".join(lv for lv in levels.split(";") if lv in present.get(ind, set()))
                     for ind, levels in zip(out[s.INDICATOR_ID], out[s.LEVELS], strict=True)]
    return out


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


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, required=True, help="folder of raw open data")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="council TOML configuration")
    parser.add_argument("--divisions", type=Path, default=None,
                        help="official ONS boundaries of the small areas, e.g. County Electoral Divisions "
                             "(replaces the configured layer; marked exact)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        counts = build(args.raw, load_config(args.config), args.out, args.divisions)
    except InsightError as exc:
        print(f"error: the build stopped; nothing was written.\n{exc}", file=sys.stderr)
        return 2
    print(", ".join(f"{k}: {v:,}" for k, v in counts.items()) + f" — built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
