"""IMD rank percentile 2004-2025 for divisions, districts and the county.

The trend file mixes LSOA 2001, 2011 and 2021 vintages. Each older LSOA is linked to the LSOA 2021
areas it became (ONS best-fit lookups, chained 2001 -> 2011 -> 2021); the people in each link are
estimated by sharing an LSOA 2021's Census 2021 residents equally among the older LSOAs merged into it.
A larger area's value is the mean rank percentile of its LSOAs weighted by those people.
The rank percentile (100 = least deprived in England) is the measure comparable across editions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from insight import schema as s
from insight.aggregate import aggregate_weighted_mean, overlap_weights
from insight.build.observations import IndicatorDef, observation_frame

INDICATOR = IndicatorDef(
    "imd_rank_percentile", "Deprivation rank percentile in England, IMD 2004 to 2025",
    "IMD rank percentile (trend)", "percentile (100 = least deprived)", s.ValueType.PERCENTILE,
    s.Polarity.HIGHER_IS_BETTER, s.Frequency.EDITIONS, "deprivation",
    (s.Level.DIVISION, s.Level.DISTRICT, s.Level.COUNTY),
    "English Indices of Deprivation 2004, 2007, 2010, 2015, 2019 and 2025 from the Ministry of Housing, "
    "Communities & Local Government",
    "Average position of the area's small areas in England's ranking of deprivation, as a percentile "
    "(100 = least deprived). Comparable across editions; a fall means the area became relatively more "
    "deprived. Older LSOA vintages are linked to 2021 areas through ONS lookups. Too few editions to project.",
)


def imd_trend_observations(raw: Path, files: dict[str, str], lookup: pd.DataFrame,
                           county_code: str) -> list[pd.DataFrame]:
    """Observations of the rank percentile at each edition, for the small areas (divisions or wards), the
    districts and the council's own area (`county_code`; for a district council, its district)."""
    trend = pd.read_csv(raw / files["imd_rank_trend"], dtype={"lsoa_vintage": str})
    pop21 = lookup.set_index(s.AREA_CODE)[s.POPULATION]
    weights = {vintage: overlap_weights(edges, pop21, source="source", target="lsoa21_code")
               for vintage, edges in _links_to_2021(raw, files).items()}  # once per LSOA vintage, not edition
    frames = []
    for edition, part in trend.groupby("edition", sort=True):
        vintage = part["lsoa_vintage"].iloc[0]
        merged = weights[vintage].merge(part.rename(columns={"lsoa_code": "source"}), on="source")
        merged = merged.merge(lookup[[s.AREA_CODE, "division_code", "district_code"]],
                              left_on="lsoa21_code", right_on=s.AREA_CODE)
        merged = merged.assign(county=county_code, key=range(len(merged)))  # one row per overlap piece
        groups = ("division_code", "district_code") + (() if county_code in set(lookup["district_code"])
                                                        else ("county",))  # a district council is its district
        for group in groups:
            agg = aggregate_weighted_mean(merged, merged, value_columns=["IMD_rank_percentile"], key="key",
                                          group=group, weight="overlap")
            frames.append(observation_frame(agg[group], INDICATOR.indicator_id, start=f"{edition}-01-01",
                                            end=f"{edition}-12-31", label=f"IMD {edition}",
                                            value=agg["IMD_rank_percentile"].round(2)))
    return frames


def _links_to_2021(raw: Path, files: dict[str, str]) -> dict[str, pd.DataFrame]:
    """(source, lsoa21_code) edges for each vintage: '21' identity, '11' direct, '01' chained."""
    l11 = pd.read_csv(raw / files["lsoa11_to_lsoa21"])[["lsoa11_code", "lsoa21_code"]]
    l01 = pd.read_csv(raw / files["lsoa01_to_lsoa11"])[["lsoa01_code", "lsoa11_code"]]
    chained = l01.merge(l11, on="lsoa11_code")[["lsoa01_code", "lsoa21_code"]].drop_duplicates()
    identity = l11[["lsoa21_code"]].drop_duplicates().assign(source=lambda f: f["lsoa21_code"])
    return {
        "21": identity[["source", "lsoa21_code"]],
        "11": l11.rename(columns={"lsoa11_code": "source"}),
        "01": chained.rename(columns={"lsoa01_code": "source"}),
    }
