"""Geography: areas table, boundary layers and the LSOA -> division lookup."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from insight import schema as s
from insight.config import CouncilConfig

# Simplification tolerances in degrees (~55 m and ~20 m at Essex's latitude) and coordinate precision.
DIVISION_TOLERANCE = 0.0005
DISTRICT_TOLERANCE = 0.0005
LSOA_TOLERANCE = 0.0002
COORD_DECIMALS = 5


def read_divisions(path: Path, config: CouncilConfig, districts: gpd.GeoDataFrame, *,
                   approximate: bool) -> gpd.GeoDataFrame:
    """Read a division boundary file: the derived approximate layer or an official ONS CED file.

    The code and name columns are detected (CEDyyCD / CEDyyNM, any year). A national file holds every
    county's divisions: only those whose code starts with the configured prefix and whose representative
    point lies inside the council's districts are kept.
    """
    frame = gpd.read_file(path).to_crs(4326)
    code_col = _find_column(frame.columns, r"^CED\d{2}CD$", path)
    name_col = _find_column(frame.columns, r"^CED\d{2}NM$", path)
    frame = frame[frame[code_col].astype(str).str.startswith(config.division_code_prefix)]
    county = shapely.union_all(shapely.make_valid(districts.geometry.to_numpy())).buffer(0.001)
    frame = frame[shapely.within(shapely.point_on_surface(shapely.make_valid(frame.geometry.to_numpy())), county)]
    if frame.empty:
        raise ValueError(f"{path}: no division with a code starting {config.division_code_prefix!r} lies inside "
                         "the council's districts")
    out = gpd.GeoDataFrame({
        s.AREA_CODE: frame[code_col].astype(str).to_numpy(),
        s.AREA_NAME: frame[name_col].astype(str).str.removesuffix(" ED").to_numpy(),
        s.SHARE_FROM_WHOLE_WARDS: (frame["share_from_whole_wards"].astype(float).to_numpy()
                                   if "share_from_whole_wards" in frame else np.ones(len(frame))),
        s.APPROXIMATE: approximate,
    }, geometry=frame.geometry.to_numpy(), crs=4326)
    return out.sort_values(s.AREA_CODE).reset_index(drop=True)


def read_districts(path: Path, config: CouncilConfig) -> gpd.GeoDataFrame:
    """Read the district layer, keeping the configured districts."""
    frame = gpd.read_file(path).to_crs(4326)
    code_col = _find_column(frame.columns, r"^(ltla|lad)\d{2}_?code$|^LAD\d{2}CD$", path)
    frame = frame[frame[code_col].isin(config.districts)]
    out = gpd.GeoDataFrame({
        s.AREA_CODE: frame[code_col].to_numpy(),
        s.AREA_NAME: frame[code_col].map(config.districts).to_numpy(),
    }, geometry=frame.geometry.to_numpy(), crs=4326)
    return out.sort_values(s.AREA_CODE).reset_index(drop=True)


def read_lsoas(path: Path, centroids_path: Path) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read LSOA 2021 polygons (code, name, district) and their population-weighted centroids."""
    frame = gpd.read_file(path).to_crs(4326)
    lsoas = gpd.GeoDataFrame({
        s.AREA_CODE: frame["lsoa21_code"].to_numpy(),
        s.AREA_NAME: frame["lsoa21_name"].to_numpy(),
        "district_code": frame["ltla24_code"].to_numpy(),
    }, geometry=frame.geometry.to_numpy(), crs=4326)
    centroids = pd.read_csv(centroids_path).rename(columns={"lsoa21_code": s.AREA_CODE})
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


def simplify(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify polygons topology-preservingly and round coordinates (done once, at build time)."""
    out = frame.copy()
    geoms = shapely.simplify(out.geometry.to_numpy(), tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 10 ** -COORD_DECIMALS)
    out["geometry"] = shapely.make_valid(geoms)
    return out


def build_areas(config: CouncilConfig, districts: gpd.GeoDataFrame, divisions: gpd.GeoDataFrame,
                lsoas: gpd.GeoDataFrame, lsoa_lookup: pd.DataFrame) -> pd.DataFrame:
    """The areas table: England, region, county, districts, divisions and LSOAs with populations.

    `lsoa_lookup` has lsoa code, district_code, division_code, population (Census 2021 residents).
    A division's parents are every district with residents in it, main district first.
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
        _area(config.county_code, config.county_name, s.Level.COUNTY, config.region_code,
              [config.region_code], float(lsoa_lookup[s.POPULATION].sum())),
    ]
    for code, name in zip(districts[s.AREA_CODE], districts[s.AREA_NAME], strict=True):
        rows.append(_area(code, name, s.Level.DISTRICT, config.county_code, [config.county_code],
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


def _find_column(columns: pd.Index, pattern: str, path: Path) -> str:
    for column in columns:
        if re.match(pattern, str(column), flags=re.IGNORECASE):
            return str(column)
    raise ValueError(f"{path}: no column matching {pattern!r} (columns: {', '.join(map(str, columns))})")
