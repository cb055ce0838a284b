"""The ONLY module with Streamlit cache decorators. It wraps insight/ loaders and computations.

Cache keys are small: the served dataset's version (data_stamp), ids, tuples of codes.
The data comes from the backend that insight.store.config chooses (the embedded files in data/ unless
INSIGHT_BACKEND=postgres or [insight] in secrets says otherwise); INSIGHT_DATA_DIR points the embedded
backend at another council's processed dataset.
"""

from __future__ import annotations

import os
import time
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from insight import access, query
from insight import schema as s
from insight.headlines import Headline, headline
from insight.loaders import Dataset, Indicator, get_indicator
from insight.store import DataStore, open_store, store_settings

VERSION_TTL_S = 5  # how soon a replica on the database backend notices a newly loaded dataset
HEADLINE_INDICATORS = ("employment_rate", "claimant_count", "gdhi_per_head", "adult_obesity",
                       "cvd_preventable_mortality", "gcse_english_maths")


class DataKey(NamedTuple):
    """What every cached result depends on: the version of the dataset served, and the viewer's groups that
    restricted indicators name (insight.access): results for one group are never served to another."""

    version: str
    groups: tuple[str, ...] = ()


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets at all: nothing is configured (a secrets.toml that fails to parse raises)
        if st.secrets.load_if_toml_exists():
            raise
        return {}


@st.cache_resource(show_spinner=False)
def _store() -> DataStore:
    return open_store(store_settings(os.environ, _secrets()))


@st.cache_data(show_spinner=False, ttl=VERSION_TTL_S, max_entries=1)
def _database_version() -> str:
    return _store().version()


@st.cache_data(show_spinner=False, max_entries=1)
def _groups_claim() -> str:
    return access.groups_claim(os.environ, _secrets())


def sign_in_configured() -> bool:
    """True when secrets configure OpenID Connect ([auth]), so people can sign in for restricted indicators."""
    return "auth" in _secrets()


def viewer() -> access.Viewer:
    """The session's user: signed out unless signed in (st.login) with an identity token that has not expired."""
    return access.viewer_from_claims(st.user.to_dict(), time.time(), _groups_claim())


# The whole dataset of a version, before access rules: read only by _tables and _restricting_groups.
@st.cache_data(show_spinner=False, max_entries=2)
def _dataset(version: str) -> Dataset:
    return _store().dataset(version)


@st.cache_data(show_spinner=False, max_entries=2)
def _restricting_groups(version: str) -> frozenset[str]:
    return access.restricting_groups(_dataset(version).indicators)


def data_stamp() -> DataKey:
    """The served dataset's version (changes when the data is rebuilt or a new one is loaded into the
    database) and the viewer's groups that matter to it."""
    store = _store()
    version = _database_version() if store.name == "postgres" else store.version()
    groups = viewer().groups
    return DataKey(version, tuple(sorted(set(groups) & _restricting_groups(version))) if groups else ())


@st.cache_data(show_spinner=False, max_entries=8)
def _tables(stamp: DataKey) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    dataset = access.restrict_dataset(_dataset(stamp.version), stamp.groups)
    return dataset.areas, dataset.indicators, dataset.observations


def _visible(stamp: DataKey) -> set[str]:
    return set(_tables(stamp)[1][s.INDICATOR_ID])


# One cache per table, so a page asking for the areas does not also copy 26,000 observations.
@st.cache_data(show_spinner=False, max_entries=2)
def _areas(stamp: DataKey) -> pd.DataFrame:
    return _tables(stamp)[0]


@st.cache_data(show_spinner=False, max_entries=2)
def _indicators(stamp: DataKey) -> pd.DataFrame:
    return _tables(stamp)[1]


@st.cache_data(show_spinner=False, max_entries=2)
def _filter_options(stamp: DataKey) -> query.FilterOptions:
    areas_, indicators_, _ = _tables(stamp)
    return query.filter_options(areas_, indicators_)


def filter_options() -> query.FilterOptions:
    """Lookups the shared filters validate against (districts, divisions, themes, indicators)."""
    return _filter_options(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _area_names(stamp: DataKey) -> dict[str, str]:
    areas_ = _areas(stamp)
    return dict(zip(areas_[s.AREA_CODE], areas_[s.AREA_NAME], strict=True))


def area_names() -> dict[str, str]:
    """Area code -> name for every loaded area."""
    return _area_names(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _division_picker_labels(stamp: DataKey) -> dict[str, str]:
    from components.profile import division_picker_labels as labels

    return labels(_areas(stamp))


def division_picker_labels() -> dict[str, str]:
    """Division code -> 'District · Division', ordered by district then division (the profile's picker)."""
    return _division_picker_labels(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _priority_lookups(stamp: DataKey) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    from components.priority import area_districts, indicator_titles

    indicators_ = _indicators(stamp)
    definitions = dict(zip(indicators_[s.INDICATOR_ID], indicators_[s.DEFINITION], strict=True))
    return indicator_titles(indicators_), definitions, area_districts(_areas(stamp))


def priority_lookups() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The priority map's lookups, built once per dataset: indicator id -> short title, indicator id ->
    definition, division code -> its district name(s)."""
    return _priority_lookups(data_stamp())


def areas() -> pd.DataFrame:
    """The areas table (England, region, county, districts, divisions, LSOAs)."""
    return _areas(data_stamp())


def indicators() -> pd.DataFrame:
    """The indicator catalogue."""
    return _indicators(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _illustrative(stamp: DataKey) -> pd.DataFrame:
    return access.only_indicators(_store().illustrative_observations(stamp.version), _visible(stamp))


@st.cache_data(show_spinner=False, max_entries=256)
def _indicator(stamp: DataKey, indicator_id: str) -> Indicator:
    return get_indicator(_indicators(stamp), indicator_id)


def indicator(indicator_id: str) -> Indicator:
    """The typed catalogue entry of one indicator (UnknownIndicatorError if absent)."""
    return _indicator(data_stamp(), indicator_id)


@st.cache_data(show_spinner=False, max_entries=512)
def _series(stamp: DataKey, indicator_id: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    return query.series(_tables(stamp)[2], indicator_id, area_codes)


@st.cache_data(show_spinner=False, max_entries=8)
def _boundaries(stamp: DataKey, level: str) -> dict[str, Any]:
    return _store().boundaries(stamp.version, level)


def boundaries(level: s.Level | str) -> dict[str, Any]:
    """The simplified GeoJSON boundary layer of a level (division, district, lsoa)."""
    return _boundaries(data_stamp(), str(level))


@st.cache_data(show_spinner=False, max_entries=16)
def _headlines(stamp: DataKey, indicator_ids: tuple[str, ...], area_code: str,
               comparator_code: str) -> list[Headline]:
    _, indicators_, observations_ = _tables(stamp)
    wanted = observations_[observations_[s.INDICATOR_ID].isin(indicator_ids)
                           & observations_[s.AREA_CODE].isin([area_code, comparator_code])]
    return [headline(wanted, get_indicator(indicators_, i), area_code, comparator_code) for i in indicator_ids]


def headlines(indicator_ids: tuple[str, ...], area_code: str, comparator_code: str) -> list[Headline]:
    """Latest value, change and comparison with a comparator for each headline tile (one slice of the data)."""
    return _headlines(data_stamp(), tuple(indicator_ids), area_code, comparator_code)


@st.cache_data(show_spinner=False, max_entries=2)
def _catalogue(stamp: DataKey) -> pd.DataFrame:
    from insight.catalogue import catalogue_table

    _, indicators_, observations_ = _tables(stamp)
    illustrative = _illustrative(stamp)
    return catalogue_table(indicators_, pd.concat([observations_, illustrative], ignore_index=True))


def catalogue() -> pd.DataFrame:
    """The catalogue as shown on Data & methods (with periods covered and words for codes)."""
    return _catalogue(data_stamp())


@st.cache_data(show_spinner=False, max_entries=32)
def _indicator_csv(stamp: DataKey, indicator_id: str) -> bytes:
    from insight.catalogue import observations_csv

    areas_, indicators_, observations_ = _tables(stamp)
    source = get_indicator(indicators_, indicator_id).source_line
    pool = observations_ if indicator_id in set(observations_[s.INDICATOR_ID]) else _illustrative(stamp)
    return observations_csv(pool, areas_, indicator_id, source)


def indicator_csv(indicator_id: str) -> bytes:
    """CSV bytes of every observation of one indicator, with its source and licence."""
    return _indicator_csv(data_stamp(), indicator_id)


# ---- priority map ----
# Keys are (level, ((indicator id, weight), ...), method[, top N]): small tuples, never frames.
PRIORITY_DEFAULT_INDICATORS = ("imd25_income", "imd25_employment", "imd25_education", "imd25_health",
                               "imd25_crime", "imd25_housing_services", "imd25_environment",
                               "census21_household_deprived_2plus", "census21_disabled", "census21_overcrowded")
PriorityWeights = tuple[tuple[str, float], ...]


@st.cache_data(show_spinner=False, max_entries=4)
def _priority_inputs(stamp: DataKey, level: str) -> tuple[pd.DataFrame, dict[str, s.Polarity]]:
    from insight.priority import priority_candidates

    areas_, indicators_, observations_ = _tables(stamp)
    ids = priority_candidates(indicators_, level)
    codes = list(query.areas_at(areas_, level)[s.AREA_CODE])
    frame = query.wide_latest(observations_, ids, codes)
    catalogue_ = indicators_.set_index(s.INDICATOR_ID)
    return frame, {i: s.Polarity(catalogue_.loc[i, s.POLARITY]) for i in ids}


def priority_inputs(level: str = "division") -> tuple[pd.DataFrame, dict[str, s.Polarity]]:
    """Areas x candidate indicators (latest values) and each indicator's polarity, for a level."""
    return _priority_inputs(data_stamp(), level)


@st.cache_data(show_spinner=False, max_entries=64)
def _priority_result(stamp: DataKey, level: str, weights: PriorityWeights, method: str) -> Any:
    from insight.priority import score_priority

    frame, polarity = _priority_inputs(stamp, level)
    return score_priority(frame, polarity, dict(weights), method)  # type: ignore[arg-type]


def priority_result(level: str, weights: PriorityWeights, method: str) -> Any:
    """The scored index (insight.priority.PriorityResult) for a level, weights and normalisation."""
    return _priority_result(data_stamp(), level, tuple(weights), method)


@st.cache_data(show_spinner=False, max_entries=64)
def _priority_stability(stamp: DataKey, weights: PriorityWeights, method: str, top_n: int) -> pd.DataFrame:
    from insight.priority import rank_stability

    frame, polarity = _priority_inputs(stamp, "division")
    return rank_stability(frame, polarity, dict(weights), method, top_n=top_n)  # type: ignore[arg-type]


def priority_stability(weights: PriorityWeights, method: str, top_n: int) -> pd.DataFrame:
    """Rank stability of the divisions under ±20% weight perturbations (1,000 seeded draws)."""
    return _priority_stability(data_stamp(), tuple(weights), method, int(top_n))


@st.cache_data(show_spinner=False, max_entries=4)
def _label_points(stamp: DataKey, level: str) -> pd.DataFrame:
    from components.maps import label_points

    return label_points(_boundaries(stamp, level))


def label_points(level: str) -> pd.DataFrame:
    """Per area of a boundary layer: a label point (lon, lat) and its bounding box."""
    return _label_points(data_stamp(), level)


@st.cache_data(show_spinner=False, max_entries=160)
def _features_where(stamp: DataKey, level: str, prop: str, value: str) -> dict[str, Any]:
    layer = _boundaries(stamp, level)
    return {"type": "FeatureCollection",
            "features": [f for f in layer["features"] if str(f["properties"].get(prop)) == value]}


def features_where(level: str, prop: str, value: str) -> dict[str, Any]:
    """The features of a boundary layer whose property equals a value (e.g. the LSOAs of one division),
    cached small so a rerun does not copy the whole layer."""
    return _features_where(data_stamp(), str(level), prop, value)


# ---- scenarios page ----
@st.cache_data(show_spinner=False, max_entries=4)
def _scenario_series_options(stamp: DataKey, illustrative: bool) -> pd.DataFrame:
    from insight.forecast import MIN_HISTORY
    from insight.forecast.series import projectable_series

    observations_ = _illustrative(stamp) if illustrative else _tables(stamp)[2]
    return projectable_series(observations_, _indicators(stamp), MIN_HISTORY)


@st.cache_data(show_spinner=False, max_entries=4)
def _scenario_series_picker(stamp: DataKey, illustrative: bool) -> Any:
    from components.scenarios import series_picker

    return series_picker(_scenario_series_options(stamp, illustrative), _indicators(stamp), _areas(stamp))


def scenario_series_picker(illustrative: bool) -> Any:
    """components.scenarios.SeriesPicker: the indicators long enough to project (real or illustrative), their
    labels and each one's areas, in the picker's order."""
    return _scenario_series_picker(data_stamp(), bool(illustrative))


@st.cache_data(show_spinner=False, max_entries=64)
def _scenario_baseline(stamp: DataKey, illustrative: bool, indicator_id: str, area_code: str,
                       horizon: int) -> tuple[pd.DataFrame, Any]:
    from insight.forecast import project_series

    observations_ = _illustrative(stamp) if illustrative else _tables(stamp)[2]
    history = query.series(observations_, indicator_id, (area_code,))
    history = history.loc[history[s.VALUE].notna(), [s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]]
    entry = get_indicator(_indicators(stamp), indicator_id)
    projection = project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency, horizon=horizon,
                                value_type=entry.value_type)
    return history.reset_index(drop=True), projection


def scenario_baseline(illustrative: bool, indicator_id: str, area_code: str, horizon: int) -> tuple[pd.DataFrame, Any]:
    """(observed history, insight.forecast.Projection) of one series: the scenarios' baseline, computed once
    per series and horizon (ForecastError when the series cannot be projected)."""
    return _scenario_baseline(data_stamp(), bool(illustrative), indicator_id, area_code, int(horizon))


# ---- division profile ----
@st.cache_data(show_spinner=False, max_entries=2)
def _division_table(stamp: DataKey) -> pd.DataFrame:
    from insight.config import load_config
    from insight.profile import division_table

    council = load_config()
    areas_, indicators_, observations_ = _tables(stamp)
    return division_table(observations_, indicators_, areas_, council.county_code, council.england_code)


@st.cache_data(show_spinner=False, max_entries=80)
def _division_profile(stamp: DataKey, division_code: str, comparator_name: str) -> Any:
    from insight.profile import build_division_profile

    return build_division_profile(_division_table(stamp), division_code, comparator_name)


def division_profile(division_code: str, comparator_name: str) -> Any:
    """insight.profile.DivisionProfile of one division (UnknownAreaError if it has no figures)."""
    return _division_profile(data_stamp(), division_code, comparator_name)


@st.cache_data(show_spinner=False, max_entries=2)
def _profile_templates(stamp: DataKey, comparator_name: str) -> dict[str, dict]:
    from components.profile_charts import build_spine_chart

    first = str(_division_table(stamp)[s.AREA_CODE].iloc[0])
    profile = _division_profile(stamp, first, comparator_name)
    spine = build_spine_chart(profile.frame, division_name=profile.name, comparator_name=comparator_name)
    return {"spine": spine.to_dict(validate=False)}


@st.cache_resource(show_spinner=False, max_entries=2)
def _locator_layout(stamp: DataKey) -> Any:
    from components.profile_charts import locator_layout

    return locator_layout(_boundaries(stamp, s.Level.DIVISION.value))


@st.cache_data(show_spinner=False, max_entries=80)
def _profile_specs(stamp: DataKey, division_code: str, comparator_name: str) -> dict[str, Any]:
    from components.profile_charts import build_locator_svg, build_spine_chart, spine_spec_for

    templates = _profile_templates(stamp, comparator_name)
    profile = _division_profile(stamp, division_code, comparator_name)
    spine = spine_spec_for(templates["spine"], profile.frame, division_name=profile.name,
                           comparator_name=comparator_name)
    if spine is None:
        spine = build_spine_chart(profile.frame, division_name=profile.name,
                                  comparator_name=comparator_name).to_dict(validate=False)
    locator = build_locator_svg(_locator_layout(stamp), division_code)
    return {"spine": spine, "locator_svg": locator}


def profile_specs(division_code: str, comparator_name: str) -> dict[str, Any]:
    """The spine chart's Vega-Lite spec and the locator map as a static SVG (built once per division)."""
    return _profile_specs(data_stamp(), division_code, comparator_name)


@st.cache_data(show_spinner=False, max_entries=64)
def _district_trend_specs(stamp: DataKey, district_code: str, theme: str) -> list[dict[str, Any]]:
    from components.profile_charts import trend_card_rows, trend_card_subtitle
    from insight.config import load_config
    from insight.profile import district_trends

    council = load_config()
    areas_, indicators_, observations_ = _tables(stamp)
    names = areas_.set_index(s.AREA_CODE)[s.AREA_NAME]
    order = [names[district_code], council.short_name, council.england_name]
    frame, cards = district_trends(observations_, indicators_, areas_, theme, district_code,
                                   council.county_code, council.england_code)
    return [{"rows": trend_card_rows(frame, card.indicator_id, order),
             "spec": trend_card_spec(card.short_title, card.unit),
             "title": card.short_title, "note": card.marker_note,
             "subtitle": trend_card_subtitle(frame, card.indicator_id, card.unit)} for card in cards]


@st.cache_data(show_spinner=False, max_entries=128)
def trend_card_spec(title: str, unit: str) -> dict[str, Any]:
    """A trend card's Vega-Lite spec without data: the same for every district (built once per indicator)."""
    from components.profile_charts import build_trend_card_spec
    from insight.config import load_config

    council = load_config()
    return build_trend_card_spec(title, unit, council.short_name, council.england_name)


def district_trend_specs(district_code: str, theme: str) -> list[dict[str, Any]]:
    """A theme's trend cards for one district: rows and spec, title, subtitle and S5 trend-marker sentence each."""
    return _district_trend_specs(data_stamp(), district_code, theme)


@st.cache_data(show_spinner=False, max_entries=2)
def _imd_trend_observations(stamp: DataKey) -> pd.DataFrame:
    from insight.profile import IMD_TREND_ID

    observations_ = _tables(stamp)[2]
    return observations_[observations_[s.INDICATOR_ID] == IMD_TREND_ID].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=80)
def _imd_trend(stamp: DataKey, division_code: str, district_code: str) -> dict[str, Any]:
    from components.profile_charts import line_rows
    from insight.config import load_config
    from insight.profile import imd_trend, imd_trend_finding

    council = load_config()
    areas_ = _areas(stamp)
    frame = imd_trend(_imd_trend_observations(stamp), areas_, division_code, district_code, council.county_code)
    names = areas_.set_index(s.AREA_CODE)[s.AREA_NAME]
    order = [names[division_code], names[district_code], council.short_name]
    return {"rows": line_rows(frame, order), "title": imd_trend_finding(frame, division_code,
                                                                              names[division_code])}


def imd_trend(division_code: str, district_code: str) -> dict[str, Any]:
    """The IMD rank percentile 2004-2025 of a division, its district and the county: the chart's rows and
    its finding (title). The chart's spec is imd_trend_spec(), the same for every division."""
    return _imd_trend(data_stamp(), division_code, district_code)


@st.cache_data(show_spinner=False, max_entries=2)
def imd_trend_spec(comparator_name: str) -> dict[str, Any]:
    """The IMD trend chart's Vega-Lite spec, without data (built once)."""
    from components.profile_charts import build_imd_trend_spec

    return build_imd_trend_spec(comparator_name)


@st.cache_data(show_spinner=False, max_entries=80)
def _comparison(stamp: DataKey, division_codes: tuple[str, ...],
                comparator_name: str) -> pd.DataFrame:
    from insight.profile import comparison_table

    return comparison_table(_division_table(stamp), list(division_codes), comparator_name)


def profile_comparison(division_codes: tuple[str, ...], comparator_name: str) -> pd.DataFrame:
    """Side-by-side figures of a division (first) and up to three others, plus the county."""
    return _comparison(data_stamp(), tuple(division_codes), comparator_name)


@st.cache_data(show_spinner=False, max_entries=24)
def _profile_pdf(stamp: DataKey, division_code: str, comparator_name: str, produced: str) -> bytes:
    from datetime import date

    from components.profile_export import ProfileHeader, build_profile_pdf

    areas_ = _areas(stamp)
    area = areas_.set_index(s.AREA_CODE).loc[division_code]
    names = areas_.set_index(s.AREA_CODE)[s.AREA_NAME]
    districts = "; ".join(names.get(c, c) for c in str(area[s.PARENT_CODES]).split(";") if c)
    profile = _division_profile(stamp, division_code, comparator_name)
    header = ProfileHeader(profile.name, division_code, districts, float(area[s.POPULATION]), comparator_name,
                           date.fromisoformat(produced))
    return build_profile_pdf(profile.frame, profile.summary, header)


def profile_pdf(division_code: str, comparator_name: str, produced: str) -> bytes:
    """The one-page A4 committee summary (PDF) of a division, dated `produced` (ISO date)."""
    return _profile_pdf(data_stamp(), division_code, comparator_name, produced)


def profile_csv(division_code: str, comparator_name: str) -> bytes:
    """The profile's figures as CSV, disclosure applied, with sources and licences."""
    from insight.profile import profile_csv as to_csv

    return to_csv(division_profile(division_code, comparator_name).frame)


@st.cache_data(show_spinner=False, max_entries=16)
def _sparkline_specs(stamp: DataKey, indicator_ids: tuple[str, ...], area_code: str,
                     comparator_code: str) -> dict[str, dict[str, Any]]:
    from components.sparkline import build_sparkline, with_arrow_dataset

    tiles = _headlines(stamp, indicator_ids, area_code, comparator_code)
    units = {i: get_indicator(_indicators(stamp), i).unit for i in indicator_ids}
    return {tile.indicator_id: with_arrow_dataset(build_sparkline(tile.sparkline, title=tile.title,
                                                                  unit=units[tile.indicator_id]))
            for tile in tiles}


def sparkline_specs(indicator_ids: tuple[str, ...], area_code: str, comparator_code: str) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs of the headline tiles' sparklines, keyed by indicator (built once, no Altair)."""
    return _sparkline_specs(data_stamp(), tuple(indicator_ids), area_code, comparator_code)


# ---- trends page ----
# Keys: indicator id, tuples of area codes / comparator kinds, horizon. Projections come from the
# precomputed data/projections.parquet (python -m insight.forecast --all); a series or horizon that is not
# there is projected live (Prophet, ~0.2 s) and cached: result frames, never models.
TREND_MAX_HORIZON = {s.Frequency.ANNUAL: 5, s.Frequency.MONTHLY: 24}
TREND_DEFAULT_HORIZON = {s.Frequency.ANNUAL: 5, s.Frequency.MONTHLY: 12}


@st.cache_data(show_spinner=False, max_entries=2)
def _precomputed_projections(stamp: DataKey) -> tuple[pd.DataFrame, pd.DataFrame]:
    projections, backtests = _store().precomputed(stamp.version)
    visible = _visible(stamp)
    return access.only_indicators(projections, visible), access.only_indicators(backtests, visible)


@st.cache_data(show_spinner=False, max_entries=64)
def _live_projection(stamp: DataKey, indicator_id: str, area_code: str, horizon: int) -> Any:
    from insight.forecast import project_series

    entry = get_indicator(_indicators(stamp), indicator_id)
    history = query.series(_tables(stamp)[2], indicator_id, (area_code,))
    return project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency, horizon=horizon,
                          value_type=entry.value_type)


def _stored_projection(stamp: DataKey, indicator_id: str, area_code: str, horizon: int) -> Any:
    from insight.forecast.precompute import projection_from_precomputed

    projections, backtests = _precomputed_projections(stamp)
    history = _series(stamp, indicator_id, (area_code,))  # a file made from other data is not used
    return projection_from_precomputed(projections, backtests, indicator_id, area_code, horizon, history)


@st.cache_data(show_spinner=False, max_entries=128)
def _trend_choice(stamp: DataKey, indicator_id: str, districts: tuple[str, ...],
                  divisions: tuple[str, ...], comparators: tuple[str, ...]) -> Any:
    from components.trends import resolve_areas
    from insight.config import load_config

    areas_, indicators_, observations_ = _tables(stamp)
    rows = observations_[(observations_[s.INDICATOR_ID] == indicator_id) & observations_[s.VALUE].notna()]
    entry = get_indicator(indicators_, indicator_id)
    return resolve_areas(set(rows[s.AREA_CODE]), areas_, load_config(), districts=districts, divisions=divisions,
                         comparators=comparators, short_title=entry.short_title)


def trend_choice(indicator_id: str, districts: tuple[str, ...], divisions: tuple[str, ...],
                 comparators: tuple[str, ...]) -> Any:
    """components.trends.AreaChoice: the series to draw (division -> district fallback, comparators)."""
    return _trend_choice(data_stamp(), indicator_id, tuple(districts), tuple(divisions), tuple(comparators))


@st.cache_data(show_spinner=False, max_entries=256)
def _needs_live_projection(stamp: DataKey, indicator_id: str, area_codes: tuple[str, ...],
                           horizon: int) -> bool:
    from insight.errors import ForecastError

    if horizon <= 0:
        return False
    for code in area_codes:
        try:
            if _stored_projection(stamp, indicator_id, code, horizon) is None:
                return True
        except ForecastError:
            continue
    return False


def needs_live_projection(indicator_id: str, area_codes: tuple[str, ...], horizon: int) -> bool:
    """True when some series must be projected live (not precomputed): the page shows a spinner."""
    return _needs_live_projection(data_stamp(), indicator_id, tuple(area_codes), horizon)


@st.cache_data(show_spinner=False, max_entries=64)
def _trend_view(stamp: DataKey, indicator_id: str, areas_shown: tuple[str, ...],
                comparators_shown: tuple[str, ...], notes: tuple[str, ...], horizon: int) -> Any:
    from components.trends import PROJECTABLE, AreaChoice, ProjectionResult, assemble_trend_view
    from insight.config import load_config
    from insight.errors import ForecastError

    areas_, indicators_, observations_ = _tables(stamp)
    entry = get_indicator(indicators_, indicator_id)
    choice = AreaChoice(areas_shown, comparators_shown, notes)
    results = []
    if entry.frequency in PROJECTABLE and horizon > 0:
        for code in areas_shown:
            try:
                projection = _stored_projection(stamp, indicator_id, code, horizon)
                live = projection is None
                if live:
                    projection = _live_projection(stamp, indicator_id, code, horizon)
                results.append(ProjectionResult(code, projection, live=live))
            except ForecastError as error:
                results.append(ProjectionResult(code, None, refusal=str(error)))
    elif areas_shown:
        try:  # says why this kind of series is not projected (rolling windows, editions, snapshots)
            _live_projection(stamp, indicator_id, areas_shown[0], 1)
        except ForecastError as error:
            choice = AreaChoice(areas_shown, comparators_shown, (*notes, f"No projection: {error}"))
    series_ = query.series(observations_, indicator_id, (*areas_shown, *comparators_shown))
    names = areas_.set_index(s.AREA_CODE)[s.AREA_NAME].to_dict()
    return assemble_trend_view(entry, series_, choice, results, names, load_config())


def trend_view(indicator_id: str, choice: Any, horizon: int) -> Any:
    """components.trends.TrendView of the chosen series: chart specs, sentences, accuracy, table, CSV."""
    return _trend_view(data_stamp(), indicator_id, tuple(choice.areas), tuple(choice.comparators),
                       tuple(choice.notes), int(horizon))


@st.cache_data(show_spinner="Checking your file…", max_entries=4)
def _read_upload(stamp: DataKey, file_id: str, file_name: str, _content: bytes) -> pd.DataFrame:
    from insight.validate import read_observations_csv

    return read_observations_csv(_content, file_name, set(_areas(stamp)[s.AREA_CODE]))


def read_upload(file_id: str, file_name: str, content: bytes) -> pd.DataFrame:
    """An uploaded observations CSV, validated once per file (DataValidationError lists every problem)."""
    return _read_upload(data_stamp(), file_id, file_name, content)

