"""Geography: areas table, boundary layers and the LSOA -> small area (division or ward) lookup."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from insight import schema as s
from insight.config import CouncilConfig
from insight.errors import DataValidationError, Problem

# Simplification tolerances in degrees (~55 m and ~20 m at Essex's latitude) and coordinate precision.
DIVISION_TOLERANCE = 0.0005
DISTRICT_TOLERANCE = 0.0005
LSOA_TOLERANCE = 0.0002
COORD_DECIMALS = 5


SMALL_AREA_CODE_PATTERNS = (r"^(CED|WD)\d{2}CD$", r"^(ced|ward|wd)\d{0,2}_?code$")
SMALL_AREA_NAME_PATTERNS = (r"^(CED|WD)\d{2}NM$", r"^(ced|ward|wd)\d{0,2}_?name$")
KIND_BY_PREFIX = {"E58": "county electoral division", "E05": "ward", "E07": "district", "E06": "unitary authority",
                  "E10": "county", "E01": "LSOA", "E02": "MSOA"}


def read_divisions(path: Path, config: CouncilConfig, districts: gpd.GeoDataFrame, *,
                   approximate: bool) -> gpd.GeoDataFrame:
    """Read the small-area boundary file: divisions (the derived layer or an official ONS CED file) or wards.

    The code and name columns are the configured ones when the file has them, else detected (CEDyyCD / CEDyyNM,
    WDyyCD / WDyyNM, ward_code / ward_name, any year). A national file holds every council's areas: only those
    whose code starts with the configured prefix and whose representative point lies inside the council's
    districts are kept.
    """
    frame = gpd.read_file(path).to_crs(4326)
    label = f"{path.name} ([small_areas] file or --divisions)"
    code_col = _column(frame.columns, config.division_code_column, SMALL_AREA_CODE_PATTERNS, label, "code",
                       "set [small_areas] code_column")
    name_col = _column(frame.columns, config.division_name_column, SMALL_AREA_NAME_PATTERNS, label, "name",
                       "set [small_areas] name_column")
    codes = frame[code_col].astype(str)
    prefix = config.division_code_prefix
    if not codes.str.startswith(prefix).any():
        found = sorted({c[:3] for c in codes})
        kinds = ", ".join(f"{p} ({KIND_BY_PREFIX[p]})" if p in KIND_BY_PREFIX else p for p in found[:5])
        raise DataValidationError([Problem(
            f"no code starts with {prefix!r} ({KIND_BY_PREFIX.get(prefix, 'the configured prefix')}); the codes "
            f"start with {kinds}. Use the {config.area_title} boundary file, or set [small_areas] code_prefix",
            label, column=code_col, value=str(codes.iloc[0]) if len(codes) else None)])
    frame = frame[codes.str.startswith(prefix)]
    county = shapely.union_all(shapely.make_valid(districts.geometry.to_numpy())).buffer(0.001)
    frame = frame[shapely.within(shapely.point_on_surface(shapely.make_valid(frame.geometry.to_numpy())), county)]
    if frame.empty:
        raise DataValidationError([Problem(
            f"no area with a code starting {prefix!r} lies inside the council's districts "
            f"({', '.join(config.districts)}); check the file covers the council and is in a known CRS",
            label, column=code_col)])
    duplicated = frame[code_col].astype(str)[frame[code_col].astype(str).duplicated()]
    if not duplicated.empty:
        raise DataValidationError([Problem("the same code appears on more than one feature; dissolve the parts "
                                           "into one feature per area", label, column=code_col,
                                           value=str(duplicated.iloc[0]))])
    out = gpd.GeoDataFrame({
        s.AREA_CODE: frame[code_col].astype(str).to_numpy(),
        s.AREA_NAME: frame[name_col].astype(str).str.removesuffix(" ED").to_numpy(),
        s.SHARE_FROM_WHOLE_WARDS: (frame["share_from_whole_wards"].astype(float).to_numpy()
                                   if "share_from_whole_wards" in frame else np.ones(len(frame))),
        s.APPROXIMATE: approximate,
    }, geometry=frame.geometry.to_numpy(), crs=4326)
    return out.sort_values(s.AREA_CODE).reset_index(drop=True)


def read_districts(path: Path, config: CouncilConfig) -> gpd.GeoDataFrame:
    """Read the district layer, keeping the configured districts (every one must be in the file)."""
    frame = gpd.read_file(path).to_crs(4326)
    label = f"{path.name} ([raw] district_boundaries)"
    code_col = _column(frame.columns, None, (r"^(ltla|lad)\d{2}_?code$", r"^LAD\d{2}CD$"), label, "district code",
                       "rename it to LADyyCD or ltlayy_code")
    missing = sorted(set(config.districts) - set(frame[code_col].astype(str)))
    if missing:
        raise DataValidationError([Problem(
            f"no boundary for district {code} ({config.districts[code]}), listed in [districts]; use a district "
            "file that covers the council, or correct the code", label, column=code_col) for code in missing])
    frame = frame[frame[code_col].isin(config.districts)]
    out = gpd.GeoDataFrame({
        s.AREA_CODE: frame[code_col].to_numpy(),
        s.AREA_NAME: frame[code_col].map(config.districts).to_numpy(),
    }, geometry=frame.geometry.to_numpy(), crs=4326)
    return out.sort_values(s.AREA_CODE).reset_index(drop=True)


def read_lsoas(path: Path, centroids_path: Path,
               districts: dict[str, str] | None = None) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read LSOA 2021 polygons (code, name, district) and their population-weighted centroids.

    With `districts`, only the LSOAs in those districts are kept, and every district must have some.
    """
    frame = gpd.read_file(path).to_crs(4326)
    if districts is not None:
        empty = sorted(set(districts) - set(frame["ltla24_code"].astype(str)))
        if empty:
            raise DataValidationError([Problem(
                f"no LSOA lies in district {code} ({districts[code]}), listed in [districts]; use an LSOA file "
                "that covers the council", f"{path.name} ([raw] lsoa_boundaries)", column="ltla24_code")
                for code in empty])
        frame = frame[frame["ltla24_code"].isin(districts)]
    lsoas = gpd.GeoDataFrame({
        s.AREA_CODE: frame["lsoa21_code"].to_numpy(),
        s.AREA_NAME: frame["lsoa21_name"].to_numpy(),
        "district_code": frame["ltla24_code"].to_numpy(),
    }, geometry=frame.geometry.to_numpy(), crs=4326)
    centroids = pd.read_csv(centroids_path).rename(columns={"lsoa21_code": s.AREA_CODE})
    absent = sorted(set(lsoas[s.AREA_CODE]) - set(centroids[s.AREA_CODE]))
    if absent:
        raise DataValidationError([Problem(
            f"{len(absent)} of the council's LSOAs have no population-weighted centroid (first: {absent[0]}); use "
            "the ONS LSOA 2021 population-weighted centroids for the whole council",
            f"{centroids_path.name} ([raw] lsoa_centroids)", column="lsoa21_code")])
    centroids = centroids[centroids[s.AREA_CODE].isin(set(lsoas[s.AREA_CODE]))].reset_index(drop=True)
    return lsoas.sort_values(s.AREA_CODE).reset_index(drop=True), centroids


def assign_lsoas_to_divisions(centroids: pd.DataFrame, divisions: gpd.GeoDataFrame) -> pd.Series:
    """Place each LSOA in the division containing its population-weighted centroid.

    A centroid that falls outside every polygon (coastline slivers) goes to the nearest division.
    Returns a Series lsoa code -> division code.
    """
    points = gpd.GeoDataFrame(centroids[[s.AREA_CODE]],
                              geometry=gpd.points_from_xy(centroids["lon"], centroids["lat"]), crs=4326)
    joined = gpd.sjoin(points, divisions[[s.AREA_CODE, "geometry"]].rename(columns={s.AREA_CODE: "division"}),
                       how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    missing = joined["division"].isna()
    if missing.any():
        projected = divisions.to_crs(27700)
        nearest = gpd.sjoin_nearest(points[missing].to_crs(27700),
                                    projected[[s.AREA_CODE, "geometry"]].rename(columns={s.AREA_CODE: "near"}))
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        joined.loc[missing, "division"] = nearest["near"]
    return pd.Series(joined["division"].to_numpy(), index=joined[s.AREA_CODE].to_numpy(), name="division_code")


def lookup_lsoas_to_areas(path: Path, config: CouncilConfig, lsoa_codes: pd.Series,
                          small_areas: gpd.GeoDataFrame) -> pd.Series:
    """Place each LSOA in its small area by a best-fit lookup (e.g. ONS LSOA 2021 -> ward 2024).

    Every LSOA of the council must appear once, in an area of the boundary file. Returns lsoa code -> area code.
    """
    label = f"{path.name} ([small_areas] lsoa_lookup)"
    frame = pd.read_csv(path, dtype=str)
    column = config.division_lookup_column or next(
        (c for c in frame.columns if c != "lsoa21_code"
         and frame[c].str.startswith(config.division_code_prefix, na=False).all()), None)
    if column is None or column not in frame.columns:
        raise DataValidationError([Problem(
            f"no column of {config.area_word} codes ({'named ' + repr(column) if column else 'all starting ' + repr(config.division_code_prefix)}); "
            f"set [small_areas] lookup_code_column to the column that holds them (the file has "
            f"{', '.join(frame.columns)})", label)])
    frame = frame[frame["lsoa21_code"].isin(set(lsoa_codes))]
    problems = []
    missing = sorted(set(lsoa_codes) - set(frame["lsoa21_code"]))
    if missing:
        problems.append(Problem(f"{len(missing)} of the council's {len(lsoa_codes)} LSOAs are not in the lookup "
                                f"(first: {missing[0]}); use a lookup that covers the whole council", label,
                                column="lsoa21_code"))
    twice = frame.loc[frame["lsoa21_code"].duplicated(), "lsoa21_code"]
    if not twice.empty:
        problems.append(Problem("an LSOA appears more than once; use a best-fit lookup (one area per LSOA)",
                                label, column="lsoa21_code", value=str(twice.iloc[0])))
    unknown = sorted(set(frame[column]) - set(small_areas[s.AREA_CODE]))
    if unknown:
        problems.append(Problem(
            f"{len(unknown)} {config.area_word} code(s) are not in the boundary file (first: {unknown[0]}); the "
            "lookup and the boundaries must be the same vintage (e.g. both May 2024)", label, column=column))
    if problems:
        raise DataValidationError(problems)
    return pd.Series(frame[column].to_numpy(), index=frame["lsoa21_code"].to_numpy(), name="division_code")


def simplify(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify polygons topology-preservingly and round coordinates (done once, at build time)."""
    out = frame.copy()
    geoms = shapely.simplify(out.geometry.to_numpy(), tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 10 ** -COORD_DECIMALS)
    out["geometry"] = shapely.make_valid(geoms)
    return out


def build_areas(config: CouncilConfig, districts: gpd.GeoDataFrame, divisions: gpd.GeoDataFrame,
                lsoas: gpd.GeoDataFrame, lsoa_lookup: pd.DataFrame) -> pd.DataFrame:
    """The areas table: England, region, (a district council's county), the council, its districts, its small
    areas (level 'division': divisions or wards) and LSOAs, with populations.

    `lsoa_lookup` has lsoa code, district_code, division_code, population (Census 2021 residents).
    A small area's parents are every district with residents in it, main district first. For a district
    council the council's own row is its one district, and its county is a comparator without a population.
    """
    pop_by_district = lsoa_lookup.groupby("district_code")[s.POPULATION].sum()
    by_div_district = (lsoa_lookup.groupby(["division_code", "district_code"])[s.POPULATION].sum()
                       .reset_index().sort_values(["division_code", s.POPULATION, "district_code"],
                                                  ascending=[True, False, True]))
    division_parents = by_div_district.groupby("division_code")["district_code"].agg(list)
    pop_by_division = lsoa_lookup.groupby("division_code")[s.POPULATION].sum()

    rows = [
        _area(config.england_code, config.england_name, s.Level.ENGLAND, "", [], np.nan),
        _area(config.region_code, config.region_name, s.Level.REGION, config.england_code,
              [config.england_code], np.nan),
    ]
    if config.is_district_council:
        county = next((c for c in config.comparators if c.kind == "county"), None)
        district_parent = county.code if county else config.region_code
        if county:
            rows.append(_area(county.code, county.name, s.Level.COUNTY, config.region_code, [config.region_code],
                              np.nan))
    else:
        district_parent = config.council_code
        rows.append(_area(config.council_code, config.council_name, s.Level.COUNTY, config.region_code,
                          [config.region_code], float(lsoa_lookup[s.POPULATION].sum())))
    for code, name in zip(districts[s.AREA_CODE], districts[s.AREA_NAME], strict=True):
        rows.append(_area(code, name, s.Level.DISTRICT, district_parent, [district_parent],
                          float(pop_by_district.get(code, np.nan))))
    for row in divisions.itertuples(index=False):
        parents = division_parents.get(row.area_code, [])
        rows.append(_area(row.area_code, row.area_name, s.Level.DIVISION, parents[0] if parents else "",
                          parents, float(pop_by_division.get(row.area_code, 0.0)),
                          approximate=bool(row.approximate),
                          share=float(getattr(row, s.SHARE_FROM_WHOLE_WARDS))))
    lsoa_info = lsoa_lookup.set_index(s.AREA_CODE)
    for code, name in zip(lsoas[s.AREA_CODE], lsoas[s.AREA_NAME], strict=True):
        info = lsoa_info.loc[code]
        rows.append(_area(code, name, s.Level.LSOA, info["district_code"],
                          [info["district_code"], info["division_code"]], float(info[s.POPULATION])))
    areas = pd.DataFrame(rows, columns=s.AREA_COLUMNS)
    areas[s.POPULATION] = areas[s.POPULATION].astype("float64")
    return areas


def _area(code: str, name: str, level: s.Level, parent: str, parents: list[str], population: float, *,
          approximate: bool = False, share: float = np.nan) -> dict[str, object]:
    return {s.AREA_CODE: code, s.AREA_NAME: name, s.LEVEL: str(level), s.PARENT_CODE: parent,
            s.PARENT_CODES: ";".join(parents), s.POPULATION: population, s.APPROXIMATE: approximate,
            s.SHARE_FROM_WHOLE_WARDS: share}


def _column(columns: pd.Index, configured: str | None, patterns: tuple[str, ...], label: str, what: str,
            fix: str) -> str:
    """The configured column when the file has it, else the first column matching one of `patterns`."""
    if configured and configured in columns:
        return configured
    for pattern in patterns:
        for column in columns:
            if re.match(pattern, str(column), flags=re.IGNORECASE):
                return str(column)
    named = f"the configured {configured!r} nor " if configured else ""
    raise DataValidationError([Problem(
        f"no {what} column: found {named}a column like {' or '.join(patterns)} among "
        f"{', '.join(map(str, columns))}; {fix}",
        label)])
