"""Checks on the raw files a council configuration names, before anything is built.

Every problem is collected and raised together as one DataValidationError; each says the file (and the TOML
key that names it), the column, what is wrong and what to do. docs/new-council.md lists the same columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio

from insight.config import CouncilConfig
from insight.errors import DataValidationError, Problem

# The columns the build reads from each raw file, by its key in the TOML's [raw] table.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "els_timeseries": ("areacd", "geography", "indicator", "period", "observation", "measure", "unit", "lci_95",
                       "uci_95", "status", "dataset"),
    "imd2025_lsoa": ("lsoa21_code", "IMD_score", "Income_score", "Employment_score", "Education_score",
                     "Health_score", "Crime_score", "Housing_and_Services_score", "Environment_score",
                     "IMD_decile"),
    "imd_rank_trend": ("edition", "lsoa_vintage", "lsoa_code", "IMD_rank_percentile"),
    "census2021_lsoa": ("lsoa21_code", "table", "category", "n", "denominator", "denominator_type"),
    "lsoa_boundaries": ("lsoa21_code", "lsoa21_name", "ltla24_code"),
    "lsoa_centroids": ("lsoa21_code", "lon", "lat"),
    "district_boundaries": (),  # a district code column, detected (ltla24_code, lad24_code, LAD24CD, ...)
    "lsoa11_to_lsoa21": ("lsoa11_code", "lsoa21_code"),
    "lsoa01_to_lsoa11": ("lsoa01_code", "lsoa11_code"),
    "population_lsoa11": ("lsoa11_code", "year", "total", "age_0_15", "age_65_plus"),
}
GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb")


def raw_path(raw: Path, relative: str) -> Path:
    """A raw file's path (the TOML names it relative to the --raw folder)."""
    return raw / relative


def file_columns(path: Path) -> list[str]:
    """The column names of a CSV (header only) or a vector file (its attribute fields)."""
    if path.suffix.lower() in GEO_SUFFIXES:
        return [str(c) for c in pyogrio.read_info(path)["fields"]]
    return [str(c) for c in pd.read_csv(path, nrows=0).columns]


def check_raw_files(raw: Path, config: CouncilConfig, small_area_file: Path | None = None) -> None:
    """Every configured raw file exists, is readable and has the columns the build reads."""
    where = str(config.source) if config.source else "the council TOML"
    if not raw.is_dir():
        raise DataValidationError([Problem(f"the raw data folder does not exist; pass --raw PATH to the folder "
                                           f"that holds the files named in {where}", str(raw))])
    problems: list[Problem] = []
    missing_keys = sorted(set(REQUIRED_COLUMNS) - set(config.raw))
    problems += [Problem(f"[raw] has no '{key}' entry; add {key} = \"path/inside/the/raw/folder\"", where)
                 for key in missing_keys]
    files = {f"[raw] {key}": (config.raw[key], REQUIRED_COLUMNS[key]) for key in REQUIRED_COLUMNS
             if key in config.raw}
    if small_area_file is None:
        files["[small_areas] file"] = (config.division_file, ())
    if config.division_lookup:
        files["[small_areas] lsoa_lookup"] = (config.division_lookup, ("lsoa21_code",))
    for key, (relative, required) in files.items():
        path = raw_path(raw, relative)
        label = f"{relative} ({key})"
        if not path.is_file():
            problems.append(Problem(f"file not found in {raw}; check the file name in {where} or the --raw "
                                    "folder", label))
            continue
        try:
            columns = file_columns(path)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
                pyogrio.errors.DataSourceError) as exc:
            problems.append(Problem(f"the file cannot be read ({str(exc).strip()[:120]}); save it as UTF-8 CSV "
                                    "or GeoJSON", label))
            continue
        absent = [c for c in required if c not in columns]
        if absent:
            problems += [Problem(f"missing column; the build reads {', '.join(required)} (the file has "
                                 f"{', '.join(columns[:12])}{', ...' if len(columns) > 12 else ''}). Rename the "
                                 "column or use the ONS file described in docs/new-council.md", label, column=c)
                         for c in absent]
    if small_area_file is not None and not small_area_file.is_file():
        problems.append(Problem("file not found; check the --divisions path", str(small_area_file)))
    if problems:
        raise DataValidationError(problems)
