"""Small-area indicators (IMD 2025, Census 2021, mid-2020 age structure) by LSOA, aggregated to
divisions, districts and the county through the LSOA lookup, weighted by Census 2021 residents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from insight import schema as s
from insight.aggregate import aggregate_counts, aggregate_weighted_mean, overlap_weights
from insight.build.observations import IndicatorDef, observation_frame
from insight.stats import whole_area_interval, wilson_interval

L = s.Level
IMD_SOURCE = "English Indices of Deprivation 2025 from the Ministry of Housing, Communities & Local Government"
CENSUS_SOURCE = "Census 2021 from the Office for National Statistics"
MYE_SOURCE = "Mid-2020 small area population estimates from the Office for National Statistics"
AGGREGATED = (L.DIVISION, L.DISTRICT, L.COUNTY)
WITH_LSOA = (L.LSOA, *AGGREGATED)
CENSUS_DATE = "2021-03-21"
CENSUS_DISCLOSURE = ("Disclosure control: counts of 1-7 households or residents are suppressed (with further "
                     "cells where a total or the other categories would give them away); other counts and the "
                     "denominator are rounded to the nearest 5, and the percentage and its Wilson 95% interval "
                     "are computed from the rounded counts.")
POP_WEIGHTED = (" Division, district and county values are population-weighted means of LSOA values "
                "(Census 2021 residents).")


def is_district_council(lookup: pd.DataFrame, council_code: str) -> bool:
    """True when the council's own area is one of the lookup's districts (a district council)."""
    return council_code in set(lookup["district_code"])


def pop_weighted_note(area_word: str, district_council: bool) -> str:
    """The definition's sentence on how larger areas are averaged, in the council's own words."""
    if area_word == "division" and not district_council:
        return POP_WEIGHTED
    levels = f"{area_word.capitalize()} and district" if district_council else \
        f"{area_word.capitalize()}, district and county"
    return f" {levels} values are population-weighted means of LSOA values (Census 2021 residents)."

# IMD 2025 domain scores: (raw column, id, title, short title, unit, value type, scale)
IMD_SCORES = [
    ("IMD_score", "imd25_score", "Index of Multiple Deprivation 2025: average score", "IMD 2025 score",
     "score", s.ValueType.SCORE, 1.0),
    ("Income_score", "imd25_income", "Income deprivation (IMD 2025 income domain)", "Income deprivation",
     "% of residents", s.ValueType.PROPORTION, 100.0),
    ("Employment_score", "imd25_employment", "Employment deprivation (IMD 2025 employment domain)",
     "Employment deprivation", "% of working-age residents", s.ValueType.PROPORTION, 100.0),
    ("Education_score", "imd25_education", "Education, skills and training deprivation score (IMD 2025)",
     "Education deprivation", "score", s.ValueType.SCORE, 1.0),
    ("Health_score", "imd25_health", "Health deprivation and disability score (IMD 2025)",
     "Health deprivation", "score", s.ValueType.SCORE, 1.0),
    ("Crime_score", "imd25_crime", "Crime score (IMD 2025)", "Crime", "score", s.ValueType.SCORE, 1.0),
    ("Housing_and_Services_score", "imd25_housing_services",
     "Barriers to housing and services score (IMD 2025)", "Barriers to housing & services", "score",
     s.ValueType.SCORE, 1.0),
    ("Environment_score", "imd25_environment", "Living environment deprivation score (IMD 2025)",
     "Living environment", "score", s.ValueType.SCORE, 1.0),
]
IMD_THEMES = {"imd25_income": "economy", "imd25_employment": "economy", "imd25_education": "children and families",
              "imd25_health": "health and wellbeing", "imd25_crime": "place", "imd25_housing_services": "place",
              "imd25_environment": "environment"}

# Census 2021 proportions: (id, table, categories, title, short title, polarity, theme)
CENSUS = [
    ("census21_disabled", "disability", ["Disabled under the Equality Act"],
     "Residents disabled under the Equality Act", "Disabled residents", s.Polarity.HIGHER_IS_WORSE,
     "health and wellbeing"),
    ("census21_household_deprived_2plus", "household_deprivation",
     ["Household is deprived in two dimensions", "Household is deprived in three dimensions",
      "Household is deprived in four dimensions"],
     "Households deprived in two or more of four dimensions (Census 2021)", "Households deprived (2+ dimensions)",
     s.Polarity.HIGHER_IS_WORSE, "deprivation"),
    ("census21_overcrowded", "household_overcrowding", ["-1 (overcrowded)", "-2 or less (overcrowded)"],
     "Overcrowded households (occupancy rating for bedrooms -1 or less)", "Overcrowded households",
     s.Polarity.HIGHER_IS_WORSE, "place"),
    ("census21_social_rented", "household_tenure",
     ["Social rented: Other social rented", "Social rented: Rents from council or Local Authority"],
     "Households renting socially", "Social renting", s.Polarity.NEITHER, "place"),
    ("census21_private_rented", "household_tenure",
     ["Private rented: Other private rented", "Private rented: Private landlord or letting agency"],
     "Households renting privately", "Private renting", s.Polarity.NEITHER, "place"),
    ("census21_owner_occupied", "household_tenure",
     ["Owned: Owns outright", "Owned: Owns with a mortgage or loan"],
     "Households owning their home (outright or with a mortgage)", "Home ownership", s.Polarity.NEITHER, "place"),
    ("census21_flats", "household_type",
     ["In a purpose-built block of flats or tenement", "Part of a converted or shared house, including bedsits",
      "Part of another converted building, for example, former school, church or warehouse",
      "In a commercial building, for example, in an office building, hotel or over a shop"],
     "Households living in a flat, maisonette or apartment", "Households in flats", s.Polarity.NEITHER, "place"),
    ("census21_ethnic_minority", "ethnicity",
     ["Asian, Asian British or Asian Welsh", "Black, Black British, Black Welsh, Caribbean or African",
      "Mixed or Multiple ethnic groups", "Other ethnic group"],
     "Residents in ethnic groups other than White", "Ethnic groups other than White", s.Polarity.NEITHER,
     "population"),
]


# Indicators that are categories of one Census table and share its denominator: with the unpublished
# categories (shared ownership, lives rent free) they add up to all households, so one can be bounded from
# the others (secondary suppression treats them as a set).
COMPLEMENT_SETS: tuple[tuple[str, ...], ...] = (
    ("census21_owner_occupied", "census21_private_rented", "census21_social_rented"),
)


def small_area_indicators(raw: Path, files: dict[str, str], lookup: pd.DataFrame, county_code: str, *,
                          area_word: str = "division") -> tuple[list[IndicatorDef], list[pd.DataFrame]]:
    """Catalogue entries and observations for every small-area indicator.

    `lookup` has area_code (LSOA 2021), district_code, division_code (the small area: a division or a ward) and
    population (Census 2021). `county_code` is the council's own area (for a district council, the district).
    """
    levels = level_lookup(lookup, county_code)
    note = pop_weighted_note(area_word, is_district_council(lookup, county_code))
    defs: list[IndicatorDef] = []
    frames: list[pd.DataFrame] = []
    imd = pd.read_csv(raw / files["imd2025_lsoa"]).rename(columns={"lsoa21_code": s.AREA_CODE})
    for d, f in (_imd_scores(imd, lookup, levels, note), _imd_deciles(imd, lookup, levels),
                 _census(raw / files["census2021_lsoa"], levels),
                 _age(raw, files, lookup, levels)):
        defs += d
        frames += f
    return defs, frames


def disclosure_edges(lookup: pd.DataFrame, county_code: str) -> pd.DataFrame:
    """Every sum an attacker can difference: LSOAs -> division, district and county; divisions and districts
    -> county (columns child, parent, hierarchy). `county_code` is the council's own area: for a district
    council (its one district) the district and council sums are the same sum, listed once."""
    lsoa = lookup[s.AREA_CODE]
    district_council = is_district_council(lookup, county_code)
    parts = [pd.DataFrame({"child": lsoa, "parent": lookup["division_code"], "hierarchy": "lsoa->division"}),
             pd.DataFrame({"child": lsoa, "parent": lookup["district_code"], "hierarchy": "lsoa->district"})]
    if not district_council:
        parts.append(pd.DataFrame({"child": lsoa, "parent": county_code, "hierarchy": "lsoa->county"}))
    for column, name in (("division_code", "division->county"), ("district_code", "district->county")):
        if district_council and column == "district_code":
            continue
        codes = pd.Series(sorted(lookup[column].unique()))
        parts.append(pd.DataFrame({"child": codes, "parent": county_code, "hierarchy": name}))
    return pd.concat(parts, ignore_index=True)


def level_lookup(lookup: pd.DataFrame, county_code: str) -> pd.DataFrame:
    """LSOA -> group rows for every aggregated level (one row per LSOA and level), with weights.

    The council's own area is a group of its own unless it is one of the districts (a district council)."""
    parts = [lookup.assign(group=lookup[s.AREA_CODE])]
    parts.append(lookup.assign(group=lookup["division_code"]))
    parts.append(lookup.assign(group=lookup["district_code"]))
    if not is_district_council(lookup, county_code):
        parts.append(lookup.assign(group=county_code))
    out = pd.concat(parts, ignore_index=True)
    out["is_lsoa"] = np.repeat([True] + [False] * (len(parts) - 1), len(lookup))
    return out[[s.AREA_CODE, "group", s.POPULATION, "is_lsoa"]]


def _imd_scores(imd: pd.DataFrame, lookup: pd.DataFrame, levels: pd.DataFrame,
                note: str = POP_WEIGHTED) -> tuple[list[IndicatorDef], list[pd.DataFrame]]:
    defs, frames = [], []
    values = imd[[s.AREA_CODE, *[c for c, *_ in IMD_SCORES]]].copy()
    for column, _, _, _, _, _, scale in IMD_SCORES:
        values[column] = values[column] * scale
    agg = aggregate_weighted_mean(values, levels, value_columns=[c for c, *_ in IMD_SCORES], key=s.AREA_CODE,
                                  group="group", weight=s.POPULATION)
    for column, ind_id, title, short, unit, vtype, _ in IMD_SCORES:
        defs.append(IndicatorDef(
            ind_id, title, short, unit, vtype, s.Polarity.HIGHER_IS_WORSE, s.Frequency.SNAPSHOT,
            IMD_THEMES.get(ind_id, "deprivation"), WITH_LSOA, IMD_SOURCE,
            f"{title}. Higher means more deprived. Published for LSOA 2021; relative, not absolute, "
            f"deprivation." + note))
        frames.append(observation_frame(agg["group"], ind_id, start="2025-01-01", end="2025-12-31",
                                        label="IMD 2025", value=agg[column].round(4)))
    return defs, frames


def _imd_deciles(imd: pd.DataFrame, lookup: pd.DataFrame,
                 levels: pd.DataFrame) -> tuple[list[IndicatorDef], list[pd.DataFrame]]:
    defs, frames = [], []
    counts = lookup[[s.AREA_CODE, s.POPULATION]].merge(imd[[s.AREA_CODE, "IMD_decile"]], on=s.AREA_CODE)
    for ind_id, deciles, title, short in [
        ("imd25_pct_most_deprived_10", (1,), "Residents living in the 10% most deprived areas of England (IMD 2025)",
         "In most deprived 10% nationally"),
        ("imd25_pct_most_deprived_20", (1, 2), "Residents living in the 20% most deprived areas of England (IMD 2025)",
         "In most deprived 20% nationally"),
    ]:
        counts["n"] = counts[s.POPULATION].where(counts["IMD_decile"].isin(deciles), 0.0)
        counts["pop_sq"] = counts[s.POPULATION] ** 2
        agg = aggregate_counts(counts.rename(columns={s.POPULATION: "pop"}), levels[~levels["is_lsoa"]],
                               key=s.AREA_CODE, group="group", count_columns=["n", "pop", "pop_sq"])
        lower, upper = whole_area_interval(agg["n"].to_numpy(), agg["pop"].to_numpy(), agg["pop_sq"].to_numpy())
        defs.append(IndicatorDef(
            ind_id, title, short, "% of residents", s.ValueType.PROPORTION, s.Polarity.HIGHER_IS_WORSE,
            s.Frequency.SNAPSHOT, "deprivation", AGGREGATED, IMD_SOURCE + "; " + CENSUS_SOURCE,
            f"Census 2021 residents of LSOAs ranked in the most deprived {10 * len(deciles)}% of England's LSOAs "
            "on IMD 2025, as a percentage of all residents. A whole LSOA is in or out, so the 95% interval treats "
            "the LSOA, not the resident, as the unit: Wilson's interval on the effective number of LSOAs "
            "(Kish: (sum of residents)^2 / sum of squared LSOA residents)."))
        frames.append(observation_frame(agg["group"], ind_id, start="2025-01-01", end="2025-12-31",
                                        label="IMD 2025", value=100 * agg["n"] / agg["pop"], numerator=agg["n"],
                                        denominator=agg["pop"], lower=100 * lower, upper=100 * upper))
    return defs, frames


def census_counts(path: Path, levels: pd.DataFrame) -> pd.DataFrame:
    """True (unrounded) Census 2021 counts and denominators of every CENSUS indicator for LSOAs and the
    areas they sum to (columns group, indicator_id, n, d). Only the build and the disclosure tests see these."""
    census = pd.read_csv(path).rename(columns={"lsoa21_code": s.AREA_CODE})
    frames = []
    for ind_id, table, categories, *_ in CENSUS:
        part = census[census["table"] == table]
        n = part[part["category"].isin(categories)].groupby(s.AREA_CODE)["n"].sum()
        denominator = part.groupby(s.AREA_CODE)["denominator"].first()
        counts = pd.DataFrame({"n": n, "d": denominator}).rename_axis(s.AREA_CODE).reset_index()
        agg = aggregate_counts(counts, levels, key=s.AREA_CODE, group="group", count_columns=["n", "d"])
        frames.append(agg.assign(**{s.INDICATOR_ID: ind_id}))
    return pd.concat(frames, ignore_index=True)[["group", s.INDICATOR_ID, "n", "d"]]


def true_census_cells(raw: Path, files: dict[str, str], lookup: pd.DataFrame, county_code: str) -> pd.DataFrame:
    """The true counts behind every published Census cell (area_code, indicator_id, period_start, true_count,
    true_denominator), for scoring disclosure attacks. Never written to data/."""
    counts = census_counts(raw / files["census2021_lsoa"], level_lookup(lookup, county_code))
    return pd.DataFrame({s.AREA_CODE: counts["group"].astype(str), s.INDICATOR_ID: counts[s.INDICATOR_ID],
                         s.PERIOD_START: pd.Timestamp(CENSUS_DATE).as_unit("ns"), "true_count": counts["n"],
                         "true_denominator": counts["d"]})


def _census(path: Path, levels: pd.DataFrame) -> tuple[list[IndicatorDef], list[pd.DataFrame]]:
    census = pd.read_csv(path, usecols=["table", "denominator_type"]).drop_duplicates("table")
    bases = census.set_index("table")["denominator_type"]
    counts = census_counts(path, levels)
    defs, frames = [], []
    for ind_id, table, categories, title, short, polarity, theme in CENSUS:
        unit_base = "households" if bases[table] == "total_households" else "residents"
        agg = counts[counts[s.INDICATOR_ID] == ind_id]
        defs.append(IndicatorDef(
            ind_id, title, short, f"% of {unit_base}", s.ValueType.PROPORTION, polarity, s.Frequency.SNAPSHOT,
            theme, WITH_LSOA, CENSUS_SOURCE,
            f"{title}: {' + '.join(categories)} as a percentage of all {unit_base} (Census 2021, "
            "table " + table + "). Counts summed from LSOAs. " + CENSUS_DISCLOSURE,
            disclosure_rule=s.DISCLOSURE_SMALL_COUNTS))
        # True counts go in; insight.disclosure rounds them and recomputes value and interval from the rounded
        # counts before anything is written.
        frames.append(observation_frame(agg["group"], ind_id, start=CENSUS_DATE, end=CENSUS_DATE,
                                        label="Census 2021", value=100 * agg["n"] / agg["d"], numerator=agg["n"],
                                        denominator=agg["d"]))
    return defs, frames


def _age(raw: Path, files: dict[str, str], lookup: pd.DataFrame,
         levels: pd.DataFrame) -> tuple[list[IndicatorDef], list[pd.DataFrame]]:
    """Share of residents aged 65+ and 0-15 (mid-2020, LSOA 2011 re-based onto LSOA 2021)."""
    mye = pd.read_csv(raw / files["population_lsoa11"])
    mye = mye[mye["year"] == 2020]
    edges = pd.read_csv(raw / files["lsoa11_to_lsoa21"])
    weights = overlap_weights(edges, lookup.set_index(s.AREA_CODE)[s.POPULATION], source="lsoa11_code",
                              target="lsoa21_code")
    rebased = weights.merge(mye, on="lsoa11_code")
    for column in ("total", "age_0_15", "age_65_plus"):
        rebased[column] = rebased[column] * rebased["share"]
    by21 = (rebased.groupby("lsoa21_code")[["total", "age_0_15", "age_65_plus"]].sum()
            .rename_axis(s.AREA_CODE).reset_index())
    agg = aggregate_counts(by21, levels[~levels["is_lsoa"]], key=s.AREA_CODE, group="group",
                           count_columns=["total", "age_0_15", "age_65_plus"])
    defs, frames = [], []
    for ind_id, column, title, short, theme in [
        ("pop_aged_65_plus", "age_65_plus", "Residents aged 65 and over (mid-2020 estimate)", "Aged 65+",
         "population"),
        ("pop_aged_0_15", "age_0_15", "Residents aged 0 to 15 (mid-2020 estimate)", "Aged 0-15",
         "children and families"),
    ]:
        n, d = agg[column].round(), agg["total"].round()
        lower, upper = wilson_interval(n.to_numpy(), d.to_numpy())
        defs.append(IndicatorDef(
            ind_id, title, short, "% of residents", s.ValueType.PROPORTION, s.Polarity.NEITHER,
            s.Frequency.SNAPSHOT, theme, AGGREGATED, MYE_SOURCE,
            f"{title}. ONS mid-2020 estimates for LSOA 2011, re-based onto LSOA 2021 (split LSOAs shared by "
            "Census 2021 population), then summed to larger areas. Wilson 95% intervals."))
        frames.append(observation_frame(agg["group"], ind_id, start="2020-06-30", end="2020-06-30",
                                        label="Mid-2020", value=100 * n / d, numerator=n, denominator=d,
                                        lower=100 * lower, upper=100 * upper))
    return defs, frames
