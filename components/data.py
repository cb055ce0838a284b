"""The ONLY module with Streamlit cache decorators. It wraps insight/ loaders and computations.

Cache keys are small: the data folder and its files' modification times, ids, tuples of codes.
The data comes from the backend that insight.store.config chooses (the embedded files in data/ unless
INSIGHT_BACKEND=postgres or [insight] in secrets says otherwise); INSIGHT_DATA_DIR points the embedded
backend at another council's processed dataset. The forecast pool and the leak-free evaluation are read
from that folder on both backends.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, cast

import pandas as pd
import streamlit as st

from insight import access, query, signal_store, snapshot
from insight import model_cards as cards
from insight import priority as pri
from insight import profile as pr
from insight import schema as s
from insight import signals as sig
from insight import targets as tg
from insight.agenda import Agenda, AgendaOptions, Page, View, ViewParams
from insight.attention import rank_signals
from insight.catalogue import catalogue_table, observations_csv
from insight.changes import AgendaChanges, DatasetChanges, change_lines, changes_between, changes_since
from insight.config import CouncilConfig, council_path, load_config
from insight.data_version import DataVersion
from insight.data_version import data_version as dataset_version
from insight.errors import DataFileError, ForecastError, InsightError, UnknownAreaError
from insight.forecast import MIN_HISTORY, project_series
from insight.forecast.precompute import projection_from_precomputed
from insight.forecast.project import default_context
from insight.forecast.series import projectable_series
from insight.headlines import Headline, headline
from insight.loaders import (
    DEFAULT_DATA_DIR,
    Dataset,
    Indicator,
    get_indicator,
    load_dataset,
)
from insight.priority import priority_candidates, rank_stability, score_priority
from insight.profile import (
    IMD_TREND_ID,
    build_division_profile,
    comparison_table,
    district_trends,
    division_table,
    imd_trend_finding,
)
from insight.return_view import PendingReturns
from insight.scenarios import describe_scenario, scenarios_from_query
from insight.snapshot import FigureContext, FigureSettings, load_context
from insight.store import DataStore, open_store, store_settings
from insight.uploads import LoadedUpload
from insight.your_data import (
    IndicatorMeta,
    IndicatorShape,
    YourData,
    build_your_data,
    describe_upload,
    merge_filter_options,
    with_yours,
)
from views import attention as attention_view
from views import committee, maps, signal_marks
from views import priority as priority_views
from views.agenda_pack import agenda_pack_pdf
from views.committee import Slide
from views.committee_pack import division_pack_pdf
from views.overview import overview_place, summary_sentence
from views.priority import (
    DIVISION_MAP_HEIGHT,
    DIVISION_MAP_WIDTH,
    LSOA_MAP_WIDTH,
    SCORE_MEASURE,
    MapLayers,
    area_districts,
    build_division_deck,
    build_lsoa_drilldown,
    indicator_titles,
    usable_lsoa_weights,
)
from views.profile import division_picker_labels as build_picker_labels
from views.profile import spine_finding
from views.profile_charts import (
    build_imd_trend_spec,
    build_locator_svg,
    build_spine_chart,
    build_trend_card_spec,
    line_rows,
    locator_layout,
    spine_spec_for,
    trend_card_rows,
    trend_card_subtitle,
)
from views.profile_export import ProfileHeader, build_profile_pdf
from views.scenarios import ANNUAL_HORIZONS, MONTHLY_HORIZONS, SeriesChoice, scenario_view, series_picker
from views.scenarios import DEFAULT_HORIZON as SCENARIO_DEFAULT_HORIZON
from views.scenarios import DEFAULT_INDICATOR as SCENARIO_DEFAULT_INDICATOR
from views.sparkline import build_sparkline, with_arrow_dataset
from views.trends import (
    COMPARATOR_KINDS,
    PROJECTABLE,
    AreaChoice,
    ProjectionResult,
    TrendView,
    assemble_trend_view,
    comparable_kinds,
    resolve_areas,
)
from views.words import AreaWords
from views.your_data import (
    merge_division_table,
    merge_priority_inputs,
    merge_priority_suppressed,
    merge_series_picker,
    merge_titles,
    your_trend_choice,
    your_trend_view,
)

DATA_DIR = Path(os.environ.get("INSIGHT_DATA_DIR", DEFAULT_DATA_DIR))
DEFAULT_INDICATOR_ID = "claimant_count"  # the shared filter's indicator when a view names none (components.state)
PREVIOUS_FOLDER = "previous"  # the build the last meeting saw (make previous)
PROFILE_CACHE_ENTRIES = 80  # divisions whose profile pieces each cache holds (Essex has 70; scripts/serve.py warms them)
VERSION_TTL_S = 5  # how soon a replica on the database backend notices a newly loaded dataset
# how soon the embedded files are seen to change (a rebuild): every data accessor asks, so the folder is listed
# and its files' times read at most once a second, not several times per rerun
EMBEDDED_VERSION_TTL_S = 1
HEADLINE_INDICATORS = ("employment_rate", "claimant_count", "gdhi_per_head", "adult_obesity",
                       "cvd_preventable_mortality", "gcse_english_maths")


@st.cache_data(show_spinner=False, max_entries=2)
def _council(path: str, mtime: float) -> CouncilConfig:
    return load_config(Path(path))


def council() -> CouncilConfig:
    """The council configuration in use (names, codes, the word for its small areas), read once."""
    path = council_path()
    return _council(str(path), path.stat().st_mtime)


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
def pending_returns() -> PendingReturns:
    """The server process's views waiting for their browsers to come back from signing in."""
    return PendingReturns()


@st.cache_resource(show_spinner=False, max_entries=4)
def _open_store(data_dir: str) -> DataStore:
    return open_store(store_settings({**os.environ, "INSIGHT_DATA_DIR": data_dir}, _secrets()))


def _store() -> DataStore:
    """The backend in use (the embedded files in DATA_DIR unless configured otherwise), opened once."""
    return _open_store(str(DATA_DIR))


@st.cache_data(show_spinner=False, ttl=VERSION_TTL_S, max_entries=1)
def _database_version() -> str:
    return _store().version()


@st.cache_data(show_spinner=False, ttl=EMBEDDED_VERSION_TTL_S, max_entries=4)
def _embedded_version(data_dir: str) -> str:
    return _open_store(data_dir).version()


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
    version = _database_version() if store.name == "postgres" else _embedded_version(str(DATA_DIR))
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


def filter_options(yours: YourData | None = None) -> query.FilterOptions:
    """Lookups the shared filters validate against (districts, divisions, themes, indicators), with the
    session's uploaded indicators (``yours``, from state.your_data()) in their own theme."""
    options = _filter_options(data_stamp())
    return options if yours is None else merge_filter_options(options, yours)


@st.cache_data(show_spinner=False, max_entries=2)
def _area_names(stamp: DataKey) -> dict[str, str]:
    areas_ = _areas(stamp)
    return dict(zip(areas_[s.AREA_CODE], areas_[s.AREA_NAME], strict=True))


def area_names() -> dict[str, str]:
    """Area code -> name for every loaded area."""
    return _area_names(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _division_picker_labels(stamp: DataKey) -> dict[str, str]:
    return build_picker_labels(_areas(stamp))


def division_picker_labels() -> dict[str, str]:
    """Division code -> 'District · Division', ordered by district then division (the profile's picker)."""
    return _division_picker_labels(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _priority_lookups(stamp: DataKey) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    indicators_ = _indicators(stamp)
    definitions = dict(zip(indicators_[s.INDICATOR_ID], indicators_[s.DEFINITION], strict=True))
    return indicator_titles(indicators_), definitions, area_districts(_areas(stamp))


def priority_lookups(yours: YourData | None = None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The priority map's lookups, built once per dataset: indicator id -> short title, indicator id ->
    definition, division code -> its district name(s); with the session's uploaded indicators."""
    titles, definitions, districts = _priority_lookups(data_stamp())
    return (*merge_titles(titles, definitions, yours), districts)


def areas() -> pd.DataFrame:
    """The areas table (England, region, county, districts, divisions, LSOAs)."""
    return _areas(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _no_observations(stamp: DataKey) -> pd.DataFrame:
    """The observations table's columns and types, no rows (reading the whole table from the cache to take
    none of it copied every row, on every call)."""
    return _tables(stamp)[2].iloc[0:0]


def indicators(yours: YourData | None = None) -> pd.DataFrame:
    """The indicator catalogue (with the session's uploaded indicators when ``yours`` is given)."""
    stamp = data_stamp()
    if yours is None or yours.indicators.empty:
        return _indicators(stamp)
    return with_yours(_indicators(stamp), _no_observations(stamp), yours)[0]


@st.cache_data(show_spinner=False, max_entries=2)
def _illustrative(stamp: DataKey) -> pd.DataFrame:
    return access.only_indicators(_store().illustrative_observations(stamp.version), _visible(stamp))


@st.cache_data(show_spinner=False, max_entries=256)
def _indicator(stamp: DataKey, indicator_id: str) -> Indicator:
    return get_indicator(_indicators(stamp), indicator_id)


def indicator(indicator_id: str, yours: YourData | None = None) -> Indicator:
    """The typed catalogue entry of one indicator, published or uploaded this session (UnknownIndicatorError
    if absent)."""
    if yours is not None and yours.has(indicator_id):
        return get_indicator(yours.indicators, indicator_id)
    return _indicator(data_stamp(), indicator_id)


@st.cache_data(show_spinner=False, max_entries=512)
def _series(stamp: DataKey, indicator_id: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    return query.series(_tables(stamp)[2], indicator_id, area_codes)


# A resource, not data: one shared, read-only copy. As st.cache_data the GeoJSON layers were unpickled afresh on
# every call (a third of a priority-map rerun). Callers build new collections from it (views.maps.with_properties
# and features_where never change a feature); a test checks the layers are unchanged after the pages ran.
@st.cache_resource(show_spinner=False, max_entries=8)
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
    _, indicators_, observations_ = _tables(stamp)
    illustrative = _illustrative(stamp)
    return catalogue_table(indicators_, pd.concat([observations_, illustrative], ignore_index=True),
                           area_word=council().area_word)


def catalogue() -> pd.DataFrame:
    """The catalogue as shown on Data & methods (with periods covered and words for codes)."""
    return _catalogue(data_stamp())


@st.cache_data(show_spinner=False, max_entries=32)
def _indicator_csv(stamp: DataKey, indicator_id: str) -> bytes:
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
    areas_, indicators_, observations_ = _tables(stamp)
    ids = priority_candidates(indicators_, level)
    codes = list(query.areas_at(areas_, level)[s.AREA_CODE])
    frame = query.wide_latest(observations_, ids, codes)
    catalogue_ = indicators_.set_index(s.INDICATOR_ID)
    return frame, {i: s.Polarity(str(catalogue_.loc[i, s.POLARITY])) for i in ids}


def priority_inputs(level: str = "division", yours: YourData | None = None
                    ) -> tuple[pd.DataFrame, dict[str, s.Polarity]]:
    """Areas x candidate indicators (latest values) and each indicator's polarity, for a level; with the
    session's uploaded measures that have values at that level and a direction of need."""
    frame, polarity = _priority_inputs(data_stamp(), level)
    if yours is None:
        return frame, polarity
    return yours.memo.get(("priority_inputs", data_stamp(), str(level)),
                          lambda: merge_priority_inputs(frame, polarity, yours, str(level)))


@st.cache_data(show_spinner=False, max_entries=4)
def _priority_suppressed(stamp: DataKey, level: str) -> pd.DataFrame:
    frame, _ = _priority_inputs(stamp, level)
    return query.wide_suppressed(_tables(stamp)[2], list(frame.columns), list(frame.index))


def priority_suppressed(level: str = "division", yours: YourData | None = None) -> pd.DataFrame:
    """Areas x candidate indicators: True where the value is suppressed (disclosure control), not just missing."""
    hidden = _priority_suppressed(data_stamp(), level)
    if yours is None:
        return hidden
    return yours.memo.get(("priority_suppressed", data_stamp(), str(level)),
                          lambda: merge_priority_suppressed(hidden, yours, str(level)))


@st.cache_data(show_spinner=False, max_entries=64)
def _priority_result(stamp: DataKey, level: str, weights: PriorityWeights, method: str) -> Any:
    frame, polarity = _priority_inputs(stamp, level)
    return score_priority(frame, polarity, dict(weights), method,  # type: ignore[arg-type]
                          suppressed=_priority_suppressed(stamp, level))


def priority_result(level: str, weights: PriorityWeights, method: str, yours: YourData | None = None) -> Any:
    """The scored index (insight.priority.PriorityResult) for a level, weights and normalisation (an uploaded
    measure among the weights: scored for this session only)."""
    if yours is None or not yours.touches(i for i, _ in weights):
        return _priority_result(data_stamp(), level, tuple(weights), method)

    def score() -> Any:
        frame, polarity = priority_inputs(level, yours)
        return score_priority(frame, polarity, dict(weights), method,  # type: ignore[arg-type]
                              suppressed=priority_suppressed(level, yours))
    return yours.memo.get(("priority_result", data_stamp(), str(level), tuple(weights), method), score)


@st.cache_data(show_spinner=False, max_entries=64)
def _priority_stability(stamp: DataKey, weights: PriorityWeights, method: str, top_n: int) -> pd.DataFrame:
    frame, polarity = _priority_inputs(stamp, "division")
    return rank_stability(frame, polarity, dict(weights), method, top_n=top_n)  # type: ignore[arg-type]


def priority_stability(weights: PriorityWeights, method: str, top_n: int,
                       yours: YourData | None = None) -> pd.DataFrame:
    """Rank stability of the divisions under ±20% weight perturbations (1,000 seeded draws)."""
    if yours is None or not yours.touches(i for i, _ in weights):
        return _priority_stability(data_stamp(), tuple(weights), method, int(top_n))

    def stability() -> pd.DataFrame:
        frame, polarity = priority_inputs(s.Level.DIVISION, yours)
        return rank_stability(frame, polarity, dict(weights), method, top_n=int(top_n))  # type: ignore[arg-type]
    return yours.memo.get(("priority_stability", data_stamp(), tuple(weights), method, int(top_n)), stability)


@st.cache_data(show_spinner=False, max_entries=4)
def _label_points(stamp: DataKey, level: str) -> pd.DataFrame:
    return maps.label_points(_boundaries(stamp, level))


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


def _map_layers() -> Any:
    return MapLayers(boundaries(s.Level.DIVISION), boundaries(s.Level.DISTRICT), label_points(s.Level.DISTRICT))


def priority_division_deck(result: Any, names: dict[str, str], districts: dict[str, str], titles: dict[str, str],
                           top_n: int, focus: str | None, width: int = DIVISION_MAP_WIDTH,
                           height: int = DIVISION_MAP_HEIGHT) -> object:
    """The priority map's division deck for the current index (views.priority.build_division_deck on the
    cached boundary layers)."""

    return build_division_deck(result, names, districts, titles, top_n, focus, _map_layers(), width, height)


def priority_lsoa_drilldown(focus: str, weights: PriorityWeights, method: str, measure: str,
                            titles: dict[str, str], yours: YourData | None = None,
                            width: int = LSOA_MAP_WIDTH) -> Any:
    """views.priority.LsoaDrilldown of one division's LSOAs, coloured by the index or one measure (an uploaded
    measure with LSOA values takes part)."""
    frame, _ = priority_inputs(s.Level.LSOA, yours)
    usable = usable_lsoa_weights(tuple(weights), list(frame.columns))
    single = measure != SCORE_MEASURE and measure in dict(usable)
    result = priority_result(s.Level.LSOA, ((measure, 1.0),) if single else usable, method, yours) \
        if usable and sum(w for _, w in usable) else None
    return build_lsoa_drilldown(
        focus, tuple(weights), method, measure, titles, frame=frame,
        lsoas=features_where(s.Level.LSOA, "division_code", focus), result=result,
        meta=indicator(measure, yours) if single else None,
        hidden=priority_suppressed(s.Level.LSOA, yours)[measure] if single else None,
        division_box=label_points(s.Level.DIVISION).loc[[focus]],
        outline=features_where(s.Level.DIVISION, s.AREA_CODE, focus), layers=_map_layers(),
        council_name=council().short_name, width=width)


# ---- scenarios page ----
@st.cache_data(show_spinner=False, max_entries=4)
def _scenario_series_options(stamp: DataKey, illustrative: bool) -> pd.DataFrame:
    observations_ = _illustrative(stamp) if illustrative else _tables(stamp)[2]
    return projectable_series(observations_, _indicators(stamp), MIN_HISTORY)


@st.cache_data(show_spinner=False, max_entries=4)
def _scenario_series_picker(stamp: DataKey, illustrative: bool) -> Any:
    return series_picker(_scenario_series_options(stamp, illustrative), _indicators(stamp), _areas(stamp))


def scenario_series_picker(illustrative: bool, yours: YourData | None = None) -> Any:
    """components.scenarios.SeriesPicker: the indicators long enough to project (real or illustrative), their
    labels and each one's areas, in the picker's order; the published data set also offers the session's
    uploaded series."""
    picker = _scenario_series_picker(data_stamp(), bool(illustrative))
    if illustrative or yours is None:
        return picker
    return yours.memo.get(("scenario_picker", data_stamp()),
                          lambda: merge_series_picker(picker, yours, areas(), MIN_HISTORY))


@st.cache_data(show_spinner=False, max_entries=64)
def _scenario_baseline(stamp: DataKey, illustrative: bool, indicator_id: str, area_code: str,
                       horizon: int) -> tuple[pd.DataFrame, Any]:
    observations_ = _illustrative(stamp) if illustrative else _tables(stamp)[2]
    history = query.series(observations_, indicator_id, (area_code,))
    history = history.loc[history[s.VALUE].notna(), [s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]]
    entry = get_indicator(_indicators(stamp), indicator_id)
    projection = project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency, horizon=horizon,
                                value_type=entry.value_type, indicator_id=indicator_id, area_code=area_code,
                                context=default_context(DATA_DIR))
    return history.reset_index(drop=True), projection


def scenario_baseline(illustrative: bool, indicator_id: str, area_code: str, horizon: int,
                      yours: YourData | None = None) -> tuple[pd.DataFrame, Any]:
    """(observed history, insight.forecast.Projection) of one series: the scenarios' baseline, computed once
    per series and horizon (ForecastError when the series cannot be projected); an uploaded series is
    projected for this session only."""
    if yours is None or not yours.has(indicator_id):
        return _scenario_baseline(data_stamp(), bool(illustrative), indicator_id, area_code, int(horizon))

    def baseline() -> tuple[pd.DataFrame, Any]:
        history = query.series(yours.observations, indicator_id, (area_code,))
        history = history.loc[history[s.VALUE].notna(), [s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]]
        entry = get_indicator(yours.indicators, indicator_id)
        projection = project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency,
                                    horizon=horizon, value_type=entry.value_type, area_code=area_code,
                                    context=default_context(DATA_DIR))
        return history.reset_index(drop=True), projection
    return yours.memo.get(("scenario_baseline", data_stamp(), indicator_id, area_code, int(horizon)), baseline)


# ---- division profile ----
@st.cache_data(show_spinner=False, max_entries=2)
def _division_table(stamp: DataKey) -> pd.DataFrame:
    config = council()
    areas_, indicators_, observations_ = _tables(stamp)
    return division_table(observations_, indicators_, areas_, config.county_code, config.england_code)


@st.cache_data(show_spinner=False, max_entries=PROFILE_CACHE_ENTRIES)
def _division_profile(stamp: DataKey, division_code: str, comparator_name: str) -> Any:
    return build_division_profile(_division_table(stamp), division_code, comparator_name)


def division_profile(division_code: str, comparator_name: str, yours: YourData | None = None) -> Any:
    """insight.profile.DivisionProfile of one division (UnknownAreaError if it has no figures); with a spine
    row for each of the session's uploaded indicators that has small-area values."""
    if yours is None or not _your_profile_rows(yours):
        return _division_profile(data_stamp(), division_code, comparator_name)
    return yours.memo.get(("profile", data_stamp(), division_code, comparator_name), lambda: build_division_profile(
        _your_division_table(yours), division_code, comparator_name))


def _your_division_table(yours: YourData) -> pd.DataFrame:
    stamp = data_stamp()
    return yours.memo.get(("division_table", stamp), lambda: merge_division_table(
        _division_table(stamp), yours, _areas(stamp), council()))


def _your_profile_rows(yours: YourData) -> bool:
    return bool(yours.indicators[s.LEVELS].astype(str).str.split(";").map(lambda v: "division" in v).any())


def _area_words(stamp: DataKey) -> AreaWords:
    return AreaWords.of(council(), len(_filter_options(stamp).division_names))


def area_words() -> AreaWords:
    """The council's words for its small areas, with their number in the loaded data ('the 70 divisions')."""
    return _area_words(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _profile_templates(stamp: DataKey, comparator_name: str) -> dict[str, dict]:
    first = str(_division_table(stamp)[s.AREA_CODE].iloc[0])
    profile = _division_profile(stamp, first, comparator_name)
    spine = build_spine_chart(profile.frame, division_name=profile.name, comparator_name=comparator_name,
                              words=_area_words(stamp))
    return {"spine": spine.to_dict(validate=False)}


@st.cache_resource(show_spinner=False, max_entries=2)
def _locator_layout(stamp: DataKey) -> Any:
    return locator_layout(_boundaries(stamp, s.Level.DIVISION.value))


@st.cache_data(show_spinner=False, max_entries=PROFILE_CACHE_ENTRIES)
def _profile_specs(stamp: DataKey, division_code: str, comparator_name: str) -> dict[str, Any]:
    templates = _profile_templates(stamp, comparator_name)
    profile = _division_profile(stamp, division_code, comparator_name)
    words = _area_words(stamp)
    spine = spine_spec_for(templates["spine"], profile.frame, division_name=profile.name,
                           comparator_name=comparator_name, words=words)
    if spine is None:
        spine = build_spine_chart(profile.frame, division_name=profile.name,
                                  comparator_name=comparator_name, words=words).to_dict(validate=False)
    locator = build_locator_svg(_locator_layout(stamp), division_code, words)
    return {"spine": spine, "locator_svg": locator}


def profile_specs(division_code: str, comparator_name: str, yours: YourData | None = None) -> dict[str, Any]:
    """The spine chart's Vega-Lite spec and the locator map as a static SVG (built once per division)."""
    specs = _profile_specs(data_stamp(), division_code, comparator_name)
    if yours is None or not _your_profile_rows(yours):
        return specs

    def spine() -> dict[str, Any]:
        profile = division_profile(division_code, comparator_name, yours)
        chart = build_spine_chart(profile.frame, division_name=profile.name, comparator_name=comparator_name,
                                  words=area_words())
        return {**specs, "spine": chart.to_dict(validate=False)}
    return yours.memo.get(("profile_specs", data_stamp(), division_code, comparator_name), spine)


@st.cache_data(show_spinner=False, max_entries=64)
def _district_trend_specs(stamp: DataKey, district_code: str, theme: str) -> list[dict[str, Any]]:
    config = council()
    areas_, indicators_, observations_ = _tables(stamp)
    names = areas_.set_index(s.AREA_CODE)[s.AREA_NAME]
    order = [names[district_code], config.short_name, config.england_name]
    frame, cards = district_trends(observations_, indicators_, areas_, theme, district_code,
                                   config.county_code, config.england_code)
    return [{"rows": trend_card_rows(frame, card.indicator_id, order),
             "spec": trend_card_spec(card.short_title, card.unit),
             "title": card.short_title, "note": card.marker_note,
             "subtitle": trend_card_subtitle(frame, card.indicator_id, card.unit)} for card in cards]


@st.cache_data(show_spinner=False, max_entries=128)
def trend_card_spec(title: str, unit: str) -> dict[str, Any]:
    """A trend card's Vega-Lite spec without data: the same for every district (built once per indicator)."""
    config = council()
    return build_trend_card_spec(title, unit, config.short_name, config.england_name)


def district_trend_specs(district_code: str, theme: str) -> list[dict[str, Any]]:
    """A theme's trend cards for one district: rows and spec, title, subtitle and S5 trend-marker sentence each."""
    return _district_trend_specs(data_stamp(), district_code, theme)


@st.cache_data(show_spinner=False, max_entries=2)
def _imd_trend_observations(stamp: DataKey) -> pd.DataFrame:
    observations_ = _tables(stamp)[2]
    return observations_[observations_[s.INDICATOR_ID] == IMD_TREND_ID].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=PROFILE_CACHE_ENTRIES)
def _imd_trend(stamp: DataKey, division_code: str, district_code: str) -> dict[str, Any]:
    config = council()
    areas_ = _areas(stamp)
    frame = pr.imd_trend(_imd_trend_observations(stamp), areas_, division_code, district_code, config.county_code)
    names = areas_.set_index(s.AREA_CODE)[s.AREA_NAME]
    order = list(dict.fromkeys([names[division_code], names[district_code], config.short_name]))  # a district
    # council is its own district: its line is drawn once
    return {"rows": line_rows(frame, order), "title": imd_trend_finding(frame, division_code,
                                                                              names[division_code])}


def imd_trend(division_code: str, district_code: str) -> dict[str, Any]:
    """The IMD rank percentile 2004-2025 of a division, its district and the county: the chart's rows and
    its finding (title). The chart's spec is imd_trend_spec(), the same for every division."""
    return _imd_trend(data_stamp(), division_code, district_code)


@st.cache_data(show_spinner=False, max_entries=2)
def imd_trend_spec(comparator_name: str) -> dict[str, Any]:
    """The IMD trend chart's Vega-Lite spec, without data (built once)."""
    return build_imd_trend_spec(comparator_name, council().area_word)


@st.cache_data(show_spinner=False, max_entries=PROFILE_CACHE_ENTRIES)
def _comparison(stamp: DataKey, division_codes: tuple[str, ...],
                comparator_name: str) -> pd.DataFrame:
    return comparison_table(_division_table(stamp), list(division_codes), comparator_name)


def profile_comparison(division_codes: tuple[str, ...], comparator_name: str) -> pd.DataFrame:
    """Side-by-side figures of a division (first) and up to three others, plus the county."""
    return _comparison(data_stamp(), tuple(division_codes), comparator_name)


@st.cache_data(show_spinner=False, max_entries=24)
def _profile_pdf(stamp: DataKey, division_code: str, comparator_name: str, produced: str) -> bytes:
    from datetime import date


    areas_ = _areas(stamp)
    area = cast(pd.Series, areas_.set_index(s.AREA_CODE).loc[division_code])  # area codes are unique
    names = areas_.set_index(s.AREA_CODE)[s.AREA_NAME]
    districts = "; ".join(names.get(c, c) for c in str(area[s.PARENT_CODES]).split(";") if c)
    profile = _division_profile(stamp, division_code, comparator_name)
    header = ProfileHeader(profile.name, division_code, districts, float(area[s.POPULATION]), comparator_name,
                           date.fromisoformat(produced), _area_words(stamp))
    return build_profile_pdf(profile.frame, profile.summary, header)


def profile_pdf(division_code: str, comparator_name: str, produced: str) -> bytes:
    """The one-page A4 committee summary (PDF) of a division, dated `produced` (ISO date): published figures
    only (a printed page leaves the session, so uploaded data is not put on it)."""
    return _profile_pdf(data_stamp(), division_code, comparator_name, produced)


def profile_csv(division_code: str, comparator_name: str, yours: YourData | None = None) -> bytes:
    """The profile's figures as CSV, disclosure applied, with sources and licences (and the session's uploaded
    rows, whose source says so)."""
    return pr.profile_csv(division_profile(division_code, comparator_name, yours).frame)


@st.cache_data(show_spinner=False, max_entries=16)
def _sparkline_specs(stamp: DataKey, indicator_ids: tuple[str, ...], area_code: str,
                     comparator_code: str) -> dict[str, dict[str, Any]]:
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
    entry = get_indicator(_indicators(stamp), indicator_id)
    history = query.series(_tables(stamp)[2], indicator_id, (area_code,))
    return project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency, horizon=horizon,
                          value_type=entry.value_type, indicator_id=indicator_id, area_code=area_code,
                          context=default_context(DATA_DIR))


def _stored_projection(stamp: DataKey, indicator_id: str, area_code: str, horizon: int) -> Any:
    projections, backtests = _precomputed_projections(stamp)
    history = _series(stamp, indicator_id, (area_code,))  # a file made from other data is not used
    return projection_from_precomputed(projections, backtests, indicator_id, area_code, horizon, history)


@st.cache_data(show_spinner=False, max_entries=128)
def _trend_choice(stamp: DataKey, indicator_id: str, districts: tuple[str, ...],
                  divisions: tuple[str, ...], comparators: tuple[str, ...]) -> Any:
    areas_, indicators_, observations_ = _tables(stamp)
    rows = observations_[(observations_[s.INDICATOR_ID] == indicator_id) & observations_[s.VALUE].notna()]
    entry = get_indicator(indicators_, indicator_id)
    return resolve_areas(set(rows[s.AREA_CODE]), areas_, council(), districts=districts, divisions=divisions,
                         comparators=comparators, short_title=entry.short_title)


def trend_choice(indicator_id: str, districts: tuple[str, ...], divisions: tuple[str, ...],
                 comparators: tuple[str, ...], yours: YourData | None = None) -> Any:
    """components.trends.AreaChoice: the series to draw (division -> district fallback, comparators)."""
    if yours is not None and yours.has(indicator_id):
        entry = indicator(indicator_id, yours)
        return your_trend_choice(yours, indicator_id, entry.short_title, areas(), council(), districts=tuple(districts),
                                 divisions=tuple(divisions), comparators=tuple(comparators))
    return _trend_choice(data_stamp(), indicator_id, tuple(districts), tuple(divisions), tuple(comparators))


@st.cache_data(show_spinner=False, max_entries=256)
def _needs_live_projection(stamp: DataKey, indicator_id: str, area_codes: tuple[str, ...],
                           horizon: int) -> bool:
    if horizon <= 0:
        return False
    for code in area_codes:
        try:
            if _stored_projection(stamp, indicator_id, code, horizon) is None:
                return True
        except DataFileError:  # the projections file is unreadable: nothing is projected (the page says so)
            return False
        except ForecastError:
            continue
    return False


def needs_live_projection(indicator_id: str, area_codes: tuple[str, ...], horizon: int,
                          yours: YourData | None = None) -> bool:
    """True when some series must be projected live (not precomputed): the page shows a spinner."""
    if yours is not None and yours.has(indicator_id):
        return horizon > 0
    return _needs_live_projection(data_stamp(), indicator_id, tuple(area_codes), horizon)


@st.cache_data(show_spinner=False, max_entries=64)
def _trend_view(stamp: DataKey, indicator_id: str, areas_shown: tuple[str, ...],
                comparators_shown: tuple[str, ...], notes: tuple[str, ...], horizon: int) -> Any:
    areas_, indicators_, observations_ = _tables(stamp)
    entry = get_indicator(indicators_, indicator_id)
    choice = AreaChoice(areas_shown, comparators_shown, notes)
    results: list[ProjectionResult] = []
    if entry.frequency in PROJECTABLE and horizon > 0:
        for code in areas_shown:
            try:
                projection = _stored_projection(stamp, indicator_id, code, horizon)
            except DataFileError as error:  # observed data is still shown; the projections are not
                results = []
                choice = AreaChoice(areas_shown, comparators_shown, (*notes, f"Projections are unavailable: {error}"))
                break
            except ForecastError as error:
                results.append(ProjectionResult(code, None, refusal=str(error)))
                continue
            try:
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
    names = cast("dict[str, str]", areas_.set_index(s.AREA_CODE)[s.AREA_NAME].to_dict())
    return assemble_trend_view(entry, series_, choice, results, names, council())


def trend_view(indicator_id: str, choice: Any, horizon: int, yours: YourData | None = None) -> Any:
    """components.trends.TrendView of the chosen series: chart specs, sentences, accuracy, table, CSV (an
    uploaded indicator's for this session only)."""
    if yours is not None and yours.has(indicator_id):
        key = ("trend_view", data_stamp(), indicator_id, tuple(choice.areas), tuple(choice.comparators),
               tuple(choice.notes), int(horizon))
        return yours.memo.get(key, lambda: your_trend_view(yours, indicator(indicator_id, yours), choice,
                                                           int(horizon), areas(), council(),
                                                           default_context(DATA_DIR)))
    return _trend_view(data_stamp(), indicator_id, tuple(choice.areas), tuple(choice.comparators),
                       tuple(choice.notes), int(horizon))

# ---- model cards (Ethics & transparency page, and the links from every model's chart) ----
@st.cache_data(show_spinner=False, max_entries=8)
def _model_cards(stamp: DataKey, excluded: tuple[str, ...]) -> tuple[Any, ...]:
    return cards.model_cards(council(), cards.load_evaluation(DATA_DIR), excluded)


def model_cards(excluded: tuple[str, ...] = ()) -> tuple[Any, ...]:
    """insight.model_cards.ModelCard for the projection, priority index and scenarios, the projection's accuracy
    read from this dataset's leak-free evaluation (``evaluation.json``; ModelCardError if it is malformed).
    ``excluded``: titles of measures the priority index leaves out."""
    return _model_cards(data_stamp(), tuple(excluded))


def model_card(card_id: str, excluded: tuple[str, ...] = ()) -> Any:
    """One model card by id (insight.model_cards.CARD_IDS)."""
    return next(card for card in model_cards(excluded) if card.card_id == card_id)


# ---- committee mode ----
def data_version() -> DataVersion:
    """The version of the dataset in DATA_DIR (a digest of its files and the date they were written)."""
    return _data_version(data_stamp())


@st.cache_data(show_spinner=False, max_entries=2)
def _data_version(stamp: DataKey) -> DataVersion:
    return dataset_version(DATA_DIR)


def committee_slide(view: View) -> Slide:
    """One committee-mode slide for a saved view, built from the same cached results the page would show;
    a view this data cannot show becomes a slide that says why."""
    try:
        return _committee_slide(view)
    except InsightError as error:
        return committee.unavailable_slide(view, str(error))


def _trend_of(p: ViewParams) -> TrendView:
    """The Trends page's view of a saved view's parameters (its defaults where the view leaves them unset)."""
    entry = indicator(p.indicator or DEFAULT_INDICATOR_ID)
    kinds = comparable_kinds(entry, tuple(p.compare) if p.compare is not None else COMPARATOR_KINDS)
    choice = trend_choice(entry.indicator_id, p.districts, p.divisions, kinds)
    horizon = p.horizon or TREND_DEFAULT_HORIZON.get(entry.frequency, 0)
    view = trend_view(entry.indicator_id, choice, min(horizon, TREND_MAX_HORIZON.get(entry.frequency, 0)))
    if not p.targets:
        return view
    return _marked(view, (), signal_marks.shown_targets(  # the view's target lines, as the Trends page drew them
        p.targets, [a.series for a in _series_assessments(data_stamp(), entry.indicator_id, tuple(choice.areas))]))


def _marked(view: TrendView, signals: tuple[sig.Signal, ...], shown: tuple[signal_marks.ShownTarget, ...]) -> TrendView:
    """A trend view with ``signals`` and target lines marked on its chart, on screen and in the export alike."""
    return replace(view, spec=signal_marks.mark_chart(view.spec, signals, shown),
                   export_spec=signal_marks.mark_chart(view.export_spec, signals, shown))


def _committee_slide(view: View) -> Slide:
    p, config, words = view.params, council(), area_words()
    options = filter_options()
    if view.page is Page.TRENDS:
        return committee.trend_slide(view, _trend_of(p))
    if view.page is Page.OVERVIEW:
        place = overview_place(p.place, options, config)
        tiles = headlines(HEADLINE_INDICATORS, place.code, config.england_code)
        return committee.overview_slide(view, place.name, tiles,
                                        summary_sentence(tiles, place.name, config.england_name))
    if view.page is Page.DIVISION_PROFILE:
        if p.division is None:
            raise UnknownAreaError("(none chosen)")
        profile = division_profile(p.division, config.short_name)
        return committee.profile_slide(view, profile, spine_finding(profile.frame, config.short_name), words,
                                       pr.sources_sentence(profile.frame))
    if view.page is Page.PRIORITY_MAP:
        weights = tuple((i, float(w)) for i, w in p.weights) or \
            tuple((i, 5.0) for i in PRIORITY_DEFAULT_INDICATORS)
        method, top = p.norm or "zscore", p.top or 10
        result = priority_result(s.Level.DIVISION, weights, method)
        titles, _, districts = priority_lookups()
        names = area_names()
        focus = p.division if p.division in result.table.index else None
        rank = ""
        if focus is not None:
            row = result.table.loc[focus]
            rank = (f"{names[focus]} ({districts.get(focus, '')}): {str(row[pri.PRIORITY_CLASS]).lower()}, rank "
                    f"{int(row[pri.RANK])} of {len(result.table)}.") if bool(row[pri.RANKED]) else \
                f"{names[focus]} is not ranked on these measures."
        deck = priority_division_deck(result, names, districts, titles, top, focus, width=committee.MAP_WIDTH,
                                      height=committee.MAP_HEIGHT)
        return committee.priority_slide(view, priority_views.finding_sentence(result, names, districts, top, words),
                                        deck, rank, priority_views.sources_line(list(result.weights), indicators(), short=True),
                                        words)
    illustrative = p.scn_data == "illustrative"
    entry = indicator(p.scn_indicator or "gdhi_per_head")
    area_code = p.scn_area or config.county_code
    horizon = p.scn_horizon or 5
    history, projection = scenario_baseline(illustrative, entry.indicator_id, area_code, horizon)
    choice = SeriesChoice(illustrative, entry, area_code, area_names().get(area_code, area_code), horizon, ())
    scenarios = scenarios_from_query(p.scenarios) if p.scenarios else ()
    shown = scenario_view(choice, history, projection.frame, scenarios)
    return committee.scenario_slide(view, shown.chart.to_dict(validate=False) if hasattr(shown.chart, "to_dict")
                                    else shown.chart, shown.finding, entry.source_line,
                                    [describe_scenario(sc) for sc in scenarios])


def default_committee_views(place: str | None, division: str | None) -> tuple[View, ...]:
    """The deck committee mode opens with when no agenda is loaded, for the chosen place."""
    options, config, names = filter_options(), council(), area_names()
    district = next((d for d, codes in options.divisions_by_district.items() if division in codes), None) \
        if division else None
    shown = district if division else place
    place_name = names.get(shown, config.short_name) if shown else config.short_name
    titles = dict(zip(indicators()[s.INDICATOR_ID], indicators()[s.SHORT_TITLE], strict=True))
    return committee.default_views(place if place in options.district_names else None, place_name,
                                   HEADLINE_INDICATORS, titles, division, names.get(division or "", ""),
                                   district, area_words())


@st.cache_resource(show_spinner="Preparing the committee figures…", max_entries=2)
def _figure_context(stamp: DataKey) -> FigureContext:
    settings = FigureSettings(
        headline_ids=tuple(HEADLINE_INDICATORS),
        default_weights=tuple((i, 5) for i in PRIORITY_DEFAULT_INDICATORS),
        trend_default_horizon={str(k): v for k, v in TREND_DEFAULT_HORIZON.items()},
        trend_max_horizon={str(k): v for k, v in TREND_MAX_HORIZON.items()},
        scenario_default_horizon={str(k): v for k, v in SCENARIO_DEFAULT_HORIZON.items()},
        scenario_horizons={s.Frequency.ANNUAL.value: tuple(ANNUAL_HORIZONS),
                           s.Frequency.MONTHLY.value: tuple(MONTHLY_HORIZONS)},
        default_indicator=DEFAULT_INDICATOR_ID, scenario_default_indicator=dict(SCENARIO_DEFAULT_INDICATOR))
    return load_context(DATA_DIR, council(), settings)


def figure_context() -> FigureContext:
    """Everything agendas, their snapshots and the committee packs are computed from (once per data version)."""
    return _figure_context(data_stamp())


def agenda_options() -> AgendaOptions:
    """What an agenda's codes are checked against in this dataset."""
    return snapshot.agenda_options(figure_context())


@st.cache_data(show_spinner=False, max_entries=2)
def _previous_changes(stamp: DataKey) -> DatasetChanges | None:
    previous = DATA_DIR / PREVIOUS_FOLDER
    if not (previous / "observations.parquet").is_file():
        return None
    return changes_between(load_dataset(previous), _dataset(stamp.version), council(),
                           [(i, 5.0) for i in PRIORITY_DEFAULT_INDICATORS])


def changes_since_previous(area_code: str) -> list[str] | None:
    """What changed for a division or district since the previous build (data/previous), as sentences; None
    when no previous build is kept."""
    changes = _previous_changes(data_stamp())
    if changes is None:
        return None
    return change_lines(changes, area_code, _dataset(data_stamp().version))


def previous_version() -> DataVersion | None:
    """The version of the previous build kept in data/previous (None when there is none)."""
    folder = DATA_DIR / PREVIOUS_FOLDER
    return dataset_version(folder) if (folder / "observations.parquet").is_file() else None


@st.cache_data(show_spinner=False, max_entries=24)
def _division_pack(stamp: DataKey, division_code: str, produced: str) -> bytes:
    return division_pack_pdf(figure_context(), division_code, date.fromisoformat(produced))


def division_pack(division_code: str, produced: str) -> bytes:
    """The multi-page committee pack (PDF) of a division, dated ``produced`` (ISO date)."""
    return _division_pack(data_stamp(), division_code, produced)


def agenda_pack(agenda: Agenda, produced: str) -> bytes:
    """The agenda pack (PDF): a cover, then each view on a page with its speaker note."""
    return agenda_pack_pdf(agenda, figure_context(), date.fromisoformat(produced))


def snapshot_for_saving(agenda: Agenda) -> Agenda:
    """The agenda with the figures each view shows now and this data version: what a saved file holds."""
    return snapshot.snapshot_agenda(agenda, figure_context())


def agenda_changes(agenda: Agenda) -> AgendaChanges:
    """What differs between the figures the agenda was made with and today's data."""
    return changes_since(agenda, figure_context())


def suggested_title(page: Page, params: ViewParams) -> str:
    """A slide title for a view whose title was left empty: the chart's own finding where there is one."""
    names, words = area_names(), area_words()
    place = names.get(params.place or "", council().short_name)
    if page is Page.TRENDS:
        try:
            return _trend_of(params).title
        except InsightError:
            pass
    if page is Page.OVERVIEW:
        place = overview_place(params.place, filter_options(), council()).name
    return committee.default_title(page, place, names.get(params.division or "", ""), words)


# ---- signals and "Needs attention" (issue 17) ----
# A place's signals without targets are read from data/signals.parquet when it was assessed from the rows
# served (insight.signal_store), else assessed on demand, per place or per indicator and places (a series'
# assessment reads only that series), so a page assesses its place's ~80 series, not all ~2,700; and
# once per set of targets (keyed by the targets' JSON text, "" for none): the target crossings of the series
# they apply to. Then small per-place lists, the marked Trends chart and the control charts.
def targets_key(targets: tuple[tg.Target, ...]) -> str:
    """The cache key of a set of targets: their JSON file text ('' when none are set)."""
    return tg.targets_to_json(targets) if targets else ""


def _targets_of(key: str) -> tuple[tg.Target, ...]:
    return tg.targets_from_json(key) if key else ()


@st.cache_data(show_spinner=False, max_entries=2)
def _stored_signal_table(data_dir: str, version: str) -> pd.DataFrame:
    """The signals file of ``data_dir`` (``version``, the served data's, only keys the cache: a rebuild reads it again)."""
    return signal_store.read_signals(Path(data_dir))


@st.cache_data(show_spinner=False, max_entries=256)
def _area_base_signals(stamp: DataKey, area_code: str) -> tuple[sig.Signal, ...]:
    """Every signal of one place without targets: as stored at build time (insight.signal_store) when it was
    assessed from the same rows as those served, else assessed now."""
    areas_, indicators_, observations_ = _tables(stamp)
    mine = observations_[observations_[s.AREA_CODE] == area_code]
    digest = signal_store.fingerprint(mine, indicators_, areas_[areas_[s.AREA_CODE] == area_code])
    stored = signal_store.stored_signals(_stored_signal_table(str(DATA_DIR), stamp.version), area_code, digest)
    return stored if stored is not None else tuple(sig.all_signals(sig.assess_dataset(mine, indicators_, areas_)))


@st.cache_data(show_spinner=False, max_entries=8)
def _targeted_assessments(stamp: DataKey, targets_json: str) -> tuple[sig.Assessment, ...]:
    targets = _targets_of(targets_json)
    if not targets:
        return ()
    areas_, indicators_, observations_ = _tables(stamp)
    ids = sorted({t.indicator_id for t in targets})
    projections_, _ = _precomputed_projections(stamp)
    frames = {}
    for indicator_id, area_code in projections_[projections_[s.INDICATOR_ID].isin(ids)][
            [s.INDICATOR_ID, s.AREA_CODE]].drop_duplicates().itertuples(index=False):
        horizon = TREND_MAX_HORIZON.get(get_indicator(indicators_, indicator_id).frequency, 0)
        try:
            projection = _stored_projection(stamp, indicator_id, area_code, horizon)
        except ForecastError:
            continue
        if projection is not None:
            frames[(indicator_id, area_code)] = projection.frame
    observed = observations_[observations_[s.INDICATOR_ID].isin(ids)]
    frequencies = dict(zip(indicators_[s.INDICATOR_ID], indicators_[s.FREQUENCY], strict=True))
    projections = attention_view.labelled_projections(frames, observed, frequencies)
    return sig.assess_dataset(observed, indicators_, areas_, projections=projections, targets=targets)


def _targeted_of(stamp: DataKey, targets_json: str, indicator_id: str | None,
                 area_codes: tuple[str, ...]) -> list[sig.Assessment]:
    return [a for a in _targeted_assessments(stamp, targets_json) if a.series.area_code in area_codes
            and (indicator_id is None or a.series.indicator_id == indicator_id)]


@st.cache_data(show_spinner=False, max_entries=256)
def _area_signals(stamp: DataKey, area_code: str, targets_json: str) -> tuple[sig.Signal, ...]:
    return attention_view.with_target_signals(_area_base_signals(stamp, area_code),
                                              _targeted_of(stamp, targets_json, None, (area_code,)))


@st.cache_data(show_spinner=False, max_entries=128)
def _attention_panel(stamp: DataKey, area_codes: tuple[str, ...], current_division: str | None,
                     targets_json: str) -> attention_view.AttentionPanel:
    signals = tuple(x for code in dict.fromkeys(area_codes) for x in _area_signals(stamp, code, targets_json))
    return attention_view.attention_panel(
        signals, area_codes, names=_area_names(stamp), options=_filter_options(stamp),
        council=council(), current_division=current_division,
        max_horizons={str(f): h for f, h in TREND_MAX_HORIZON.items()}, targets=_targets_of(targets_json))


def attention_panel(area_codes: tuple[str, ...], current_division: str | None,
                    targets: tuple[tg.Target, ...] = ()) -> attention_view.AttentionPanel:
    """'Needs attention' for these places (in order): each one's ranked signals with the chart they link to."""
    return _attention_panel(data_stamp(), tuple(area_codes), current_division, targets_key(targets))


@st.cache_data(show_spinner=False, max_entries=64)
def _series_assessments(stamp: DataKey, indicator_id: str,
                        area_codes: tuple[str, ...]) -> tuple[sig.Assessment, ...]:
    areas_, indicators_, observations_ = _tables(stamp)
    mine = observations_[(observations_[s.INDICATOR_ID] == indicator_id)
                         & observations_[s.AREA_CODE].isin(list(area_codes))]
    found = {a.series.area_code: a for a in sig.assess_dataset(mine, indicators_, areas_)}
    return tuple(found[c] for c in area_codes if c in found)


@st.cache_data(show_spinner=False, max_entries=64)
def _marked_trend_view(stamp: DataKey, indicator_id: str, areas_shown: tuple[str, ...],
                       comparators_shown: tuple[str, ...], notes: tuple[str, ...], horizon: int,
                       targets_json: str) -> tuple[Any, tuple[sig.Signal, ...]]:
    view = _trend_view(stamp, indicator_id, areas_shown, comparators_shown, notes, horizon)
    ends: dict[str, pd.Timestamp | None] = {}
    for code in areas_shown:  # a target crossing beyond the horizon shown is not drawn past the fan
        try:
            projection = _stored_projection(stamp, indicator_id, code, horizon) if horizon > 0 else None
        except (ForecastError, DataFileError):  # no stored projection (or an unreadable file): nothing to end at
            projection = None
        ends[code] = None if projection is None else pd.Timestamp(projection.frame[s.PERIOD_START].max())
    shown_signals = attention_view.signals_for_app(_series_assessments(stamp, indicator_id, areas_shown),
                                                   _targeted_of(stamp, targets_json, indicator_id, areas_shown))
    signals = tuple(rank_signals(
        x for x in shown_signals if (x.rule is not sig.Rule.PROJECTION_TARGET or (
            (end := ends.get(x.series.area_code)) is not None and x.when <= end))))
    infos = [a.series for a in _series_assessments(stamp, indicator_id, areas_shown)]
    return _marked(view, signals, signal_marks.shown_targets(_targets_of(targets_json), infos)), signals


def marked_trend_view(indicator_id: str, choice: Any, horizon: int, targets: tuple[tg.Target, ...] = (),
                      yours: YourData | None = None) -> tuple[Any, tuple[sig.Signal, ...]]:
    """trend_view() with the chosen areas' signals marked and the targets drawn, and those signals (ranked).
    An uploaded indicator's chart is drawn unmarked: signals are assessed on the published data only."""
    if yours is not None and yours.has(indicator_id):
        return trend_view(indicator_id, choice, horizon, yours), ()
    return _marked_trend_view(data_stamp(), indicator_id, tuple(choice.areas), tuple(choice.comparators),
                              tuple(choice.notes), int(horizon), targets_key(targets))


@st.cache_data(show_spinner=False, max_entries=32)
def _spc_panels(stamp: DataKey, indicator_id: str,
                area_codes: tuple[str, ...]) -> tuple[signal_marks.SpcPanel, ...]:
    source = get_indicator(_indicators(stamp), indicator_id).source_line
    return tuple(signal_marks.spc_panel(a, source_line=source)
                 for a in _series_assessments(stamp, indicator_id, area_codes))


def spc_panels(indicator_id: str, area_codes: tuple[str, ...]) -> tuple[signal_marks.SpcPanel, ...]:
    """The control chart of each area's series (signals marked), or why it has none (e.g. too short)."""
    return _spc_panels(data_stamp(), indicator_id, tuple(area_codes))
# ---- your data (issue 15): a session's uploaded indicators -------------------------------------------------
# Never in a cache: an upload is one session's, held in its session state (components.state). What is derived
# from it (a trend view, a priority index, a profile) is kept in the upload's own bounded memo
# (insight.your_data.SessionMemo, keyed by the data stamp and the view), which goes with the session.
def your_shapes(loaded: LoadedUpload) -> dict[str, IndicatorShape]:
    """What each uploaded indicator's rows say (periods, levels, kind of value), against the loaded areas."""
    return describe_upload(loaded.frame, areas())


def build_yours(loaded: LoadedUpload, meta: dict[str, IndicatorMeta], disclosure: bool,
                shapes: dict[str, IndicatorShape] | None = None) -> YourData:
    """The session's uploaded indicators from a loaded upload and the choices made about them."""
    return build_your_data(loaded.frame, loaded.file_name, loaded.uploaded_at, areas(), meta, disclosure=disclosure,
                           council_code=council().county_code, shapes=shapes)


def your_rows(yours: YourData | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The session's extra catalogue rows and observations (empty frames when nothing is uploaded)."""
    stamp = data_stamp()
    empty_catalogue, empty_observations = _indicators(stamp).iloc[0:0], _no_observations(stamp)
    if yours is None:
        return empty_catalogue, empty_observations
    merged = with_yours(empty_catalogue, empty_observations, yours)
    return merged[0].reset_index(drop=True), merged[1].reset_index(drop=True)
