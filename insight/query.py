"""Small, pure look-ups over the data model used by several pages."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insight import schema as s


def areas_at(areas: pd.DataFrame, level: s.Level | str) -> pd.DataFrame:
    """Areas of one level, sorted by name."""
    return areas[areas[s.LEVEL] == str(level)].sort_values(s.AREA_NAME).reset_index(drop=True)


def series(observations: pd.DataFrame, indicator_id: str, area_codes: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Observations of one indicator for some areas, in time order."""
    mask = (observations[s.INDICATOR_ID] == indicator_id) & observations[s.AREA_CODE].isin(list(area_codes))
    return observations[mask].sort_values([s.AREA_CODE, s.PERIOD_START]).reset_index(drop=True)


def wide_latest(observations: pd.DataFrame, indicator_ids: list[str], area_codes: list[str]) -> pd.DataFrame:
    """A wide frame (areas x indicators) of each indicator's latest value per area."""
    rows = observations[observations[s.INDICATOR_ID].isin(indicator_ids) & observations[s.AREA_CODE].isin(area_codes)]
    rows = rows[rows[s.VALUE].notna()].sort_values(s.PERIOD_START)
    latest = rows.groupby([s.AREA_CODE, s.INDICATOR_ID], as_index=False).tail(1)
    wide = latest.pivot(index=s.AREA_CODE, columns=s.INDICATOR_ID, values=s.VALUE)
    return wide.reindex(index=area_codes, columns=indicator_ids)


def wide_suppressed(observations: pd.DataFrame, indicator_ids: list[str], area_codes: list[str]) -> pd.DataFrame:
    """A wide boolean frame (areas x indicators): True where the latest observation is suppressed and no
    earlier period has a value that `wide_latest` would show instead."""
    rows = observations[observations[s.INDICATOR_ID].isin(indicator_ids) & observations[s.AREA_CODE].isin(area_codes)]
    rows = rows.sort_values(s.PERIOD_START)
    latest = rows.groupby([s.AREA_CODE, s.INDICATOR_ID], as_index=False).tail(1)
    hidden = latest.assign(hidden=latest[s.FLAG].astype(str) == s.Flag.SUPPRESSED.value)
    wide = hidden.pivot(index=s.AREA_CODE, columns=s.INDICATOR_ID, values="hidden")
    shown = wide_latest(observations, indicator_ids, area_codes).notna()
    return wide.reindex(index=area_codes, columns=indicator_ids).astype("boolean").fillna(False).astype(bool) & ~shown


@dataclass(frozen=True)
class FilterOptions:
    """Everything the shared filters validate against, as plain lookups (built once per dataset)."""

    district_names: dict[str, str]  # code -> name, sorted by name
    division_names: dict[str, str]  # code -> name, sorted by name
    divisions_by_district: dict[str, tuple[str, ...]]  # district -> its divisions (sorted by name)
    indicator_themes: dict[str, str]  # every indicator id -> theme
    titles_by_theme: dict[str, dict[str, str]]  # real (non-illustrative) indicators: theme -> {id: short title}

    def divisions_in(self, district_codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Divisions with residents in any of the districts (all when none are given), sorted by name."""
        if not district_codes:
            return tuple(self.division_names)
        wanted = {c for d in district_codes for c in self.divisions_by_district.get(d, ())}
        return tuple(c for c in self.division_names if c in wanted)


def filter_options(areas: pd.DataFrame, indicators: pd.DataFrame) -> FilterOptions:
    """Build the shared filters' lookups from the areas table and the catalogue."""
    districts = areas_at(areas, s.Level.DISTRICT)
    divisions = areas_at(areas, s.Level.DIVISION)
    by_district: dict[str, list[str]] = {code: [] for code in districts[s.AREA_CODE]}
    for code, parents in zip(divisions[s.AREA_CODE], divisions[s.PARENT_CODES], strict=True):
        for parent in str(parents).split(";"):
            by_district.setdefault(parent, []).append(code)
    real = indicators[indicators[s.STATUS] != s.Status.ILLUSTRATIVE].sort_values([s.THEME, s.SHORT_TITLE])
    titles: dict[str, dict[str, str]] = {}
    for theme, part in real.groupby(s.THEME, sort=True):
        titles[str(theme)] = dict(zip(part[s.INDICATOR_ID], part[s.SHORT_TITLE], strict=True))
    return FilterOptions(
        district_names=dict(zip(districts[s.AREA_CODE], districts[s.AREA_NAME], strict=True)),
        division_names=dict(zip(divisions[s.AREA_CODE], divisions[s.AREA_NAME], strict=True)),
        divisions_by_district={k: tuple(v) for k, v in by_district.items()},
        indicator_themes=dict(zip(indicators[s.INDICATOR_ID], indicators[s.THEME], strict=True)),
        titles_by_theme=titles,
    )
