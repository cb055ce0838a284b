"""The figures each saved view shows, computed from one data version (an agenda's frozen figures).

``view_figures(view, context)`` returns a small tuple of ``insight.agenda.Figure`` per view, with stable keys:

* ``value:<indicator>:<area>`` — the latest published value (period label, number, formatted text);
* ``rating:<indicator>:<area>:<comparator>`` — the S4 rating against the comparator (text only);
* ``rank:<indicator>:<division>`` — a division's rank among the divisions on a profile measure;
* ``projection:<indicator>:<area>:<horizon>`` — the central projection at the view's horizon, with its 80% range;
* ``priority:<division>`` — rank in the view's priority index (``drivers:`` and ``stability:`` for the chosen
  division);
* ``scenario:<n>:<horizon>`` — scenario n's central value at the horizon.

Which areas a view covers follows the pages' own rules: the Overview describes the chosen district, a chosen
division through its main district (the district holding most of its residents), else the council; Trends draws
each chosen division with a series of the indicator, else its main district, each chosen district, else the
council; comparators as the view chooses. ``insight.changes.compare_figures`` turns two snapshots into changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import pandas as pd

from insight import priority as pri
from insight import profile as pr
from insight import query
from insight import schema as s
from insight.agenda import COMPARATOR_KINDS, Agenda, AgendaOptions, Figure, Page, View, ViewParams
from insight.config import CouncilConfig
from insight.data_version import DataVersion, data_version
from insight.errors import ForecastError, ScenarioError
from insight.formatting import format_value
from insight.headlines import headline
from insight.loaders import ILLUSTRATIVE_FILE, Dataset, get_indicator, load_dataset, load_observations
from insight.profile import ordinal
from insight.scenarios import apply_scenario, population_effect_for, scenarios_from_query
from insight.stability_words import rank_spread_words, top_n_words

STABILITY_DRAWS = 1000
DEFAULT_TOP = 10


@dataclass(frozen=True)
class FigureSettings:
    """The app's defaults that decide what a view shows when its parameters leave them unset (the lead passes
    components.data's constants: headline indicators, default priority weights, default horizons)."""

    headline_ids: tuple[str, ...]
    default_weights: tuple[tuple[str, int], ...]
    trend_default_horizon: Mapping[str, int]  # frequency -> periods
    trend_max_horizon: Mapping[str, int]
    scenario_default_horizon: Mapping[str, int]
    scenario_horizons: Mapping[str, tuple[int, ...]]
    default_indicator: str  # the shared filter's indicator when a view names none
    scenario_default_indicator: Mapping[str, str] = field(default_factory=dict)  # "open"/"illustrative" -> id


@dataclass(frozen=True)
class FigureContext:
    """One data version and everything figures are computed from (build once per version: ``load_context``)."""

    dataset: Dataset
    illustrative: pd.DataFrame
    projections: pd.DataFrame
    backtests: pd.DataFrame
    config: CouncilConfig
    version: DataVersion
    settings: FigureSettings
    data_dir: Path  # where the boundary layers are read from

    @cached_property
    def names(self) -> dict[str, str]:
        areas = self.dataset.areas
        return dict(zip(areas[s.AREA_CODE], areas[s.AREA_NAME], strict=True))

    @cached_property
    def parents(self) -> dict[str, str]:
        areas = self.dataset.areas
        return {str(c): str(p) for c, p in zip(areas[s.AREA_CODE], areas[s.PARENT_CODE], strict=True) if p}

    @cached_property
    def options(self) -> query.FilterOptions:
        return query.filter_options(self.dataset.areas, self.dataset.indicators)

    @cached_property
    def division_table(self) -> pd.DataFrame:
        return pr.division_table(self.dataset.observations, self.dataset.indicators, self.dataset.areas,
                                 self.config.county_code, self.config.england_code)

    @cached_property
    def priority_inputs(self) -> tuple[pd.DataFrame, dict[str, s.Polarity], pd.DataFrame]:
        """Divisions x candidate measures (latest values), polarities, and which values are suppressed."""
        indicators = self.dataset.indicators
        ids = pri.priority_candidates(indicators, s.Level.DIVISION.value)
        codes = list(query.areas_at(self.dataset.areas, s.Level.DIVISION)[s.AREA_CODE])
        frame = query.wide_latest(self.dataset.observations, ids, codes)
        catalogue = indicators.set_index(s.INDICATOR_ID)
        polarity = {i: s.Polarity(str(catalogue.loc[i, s.POLARITY])) for i in ids}
        return frame, polarity, query.wide_suppressed(self.dataset.observations, ids, codes)

    @cached_property
    def scenario_series(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """"open"/"illustrative" -> indicator -> the areas with a series long enough to project."""
        from insight.forecast.series import projectable_series

        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for kind, observations in (("open", self.dataset.observations), ("illustrative", self.illustrative)):
            if observations.empty:
                out[kind] = {}
                continue
            found = projectable_series(observations, self.dataset.indicators)
            out[kind] = {str(i): tuple(part[s.AREA_CODE]) for i, part in found.groupby(s.INDICATOR_ID, sort=True)}
        return out

    def observations_for(self, illustrative: bool) -> pd.DataFrame:
        return self.illustrative if illustrative else self.dataset.observations


def load_context(data_dir: Path, config: CouncilConfig, settings: FigureSettings) -> FigureContext:
    """Load one data version (validated) with its precomputed projections, for computing figures."""
    from insight.forecast.precompute import load_precomputed

    root = Path(data_dir)
    dataset = load_dataset(root)
    illustrative = load_observations(root, areas=dataset.areas, indicators=dataset.indicators,
                                     file=ILLUSTRATIVE_FILE) if (root / ILLUSTRATIVE_FILE).exists() else \
        pd.DataFrame(columns=s.OBSERVATION_COLUMNS)
    try:
        projections, backtests = load_precomputed(root)
    except (OSError, ValueError):
        projections, backtests = pd.DataFrame(), pd.DataFrame()
    return FigureContext(dataset, illustrative, projections, backtests, config, data_version(root), settings, root)


def agenda_options(context: FigureContext) -> AgendaOptions:
    """What views may name in this data version (for ``insight.agenda.check_agenda``)."""
    options = context.options
    indicators = context.dataset.indicators
    shared = {i: t for i, t in options.indicator_themes.items()
              if any(i in titles for titles in options.titles_by_theme.values())}
    return AgendaOptions(
        district_names=options.district_names, division_names=options.division_names,
        divisions_by_district=options.divisions_by_district, indicator_themes=shared,
        frequencies=dict(zip(indicators[s.INDICATOR_ID], indicators[s.FREQUENCY], strict=True)),
        priority_candidates=tuple(context.priority_inputs[1]), scenario_series=context.scenario_series,
        trend_max_horizon=dict(context.settings.trend_max_horizon),
        scenario_horizons={k: tuple(v) for k, v in context.settings.scenario_horizons.items()},
        council_code=context.config.council_code)


# ---- helpers -------------------------------------------------------------------------------------

def _num(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number


def _value(number: float) -> float | None:
    return None if math.isnan(number) else float(number)


def _latest(observations: pd.DataFrame, indicator_id: str, area_code: str) -> pd.Series | None:
    rows = query.series(observations, indicator_id, (area_code,))
    rows = rows[rows[s.VALUE].notna()]
    return None if rows.empty else rows.sort_values(s.PERIOD_START).iloc[-1]


def _value_figure(observations: pd.DataFrame, context: FigureContext, indicator_id: str,
                  area_code: str) -> Figure | None:
    row = _latest(observations, indicator_id, area_code)
    if row is None:
        return None
    entry = get_indicator(context.dataset.indicators, indicator_id)
    value = float(row[s.VALUE])
    return Figure(f"value:{indicator_id}:{area_code}", str(row[s.PERIOD_LABEL]), value,
                  format_value(value, entry.unit, entry.value_type))


def projection_for(context: FigureContext, indicator_id: str, area_code: str, horizon: int,
                illustrative: bool = False):  # noqa: ANN202 - Projection | None
    """The precomputed projection of a series (the live method when it is not stored); None when the series
    is not projected."""
    from insight.forecast import project_series
    from insight.forecast.precompute import projection_from_precomputed

    observations = context.observations_for(illustrative)
    history = query.series(observations, indicator_id, (area_code,))
    entry = get_indicator(context.dataset.indicators, indicator_id)
    if entry.frequency not in (s.Frequency.ANNUAL, s.Frequency.MONTHLY) or horizon <= 0:
        return None
    try:
        stored = None
        if not illustrative and not context.backtests.empty:
            stored = projection_from_precomputed(context.projections, context.backtests, indicator_id, area_code,
                                                 horizon, history)
        if stored is not None:
            return stored
        observed = history[history[s.VALUE].notna()]
        return project_series(observed[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency, horizon=horizon,
                              value_type=entry.value_type)
    except ForecastError:
        return None


def _period_text(period: pd.Timestamp, frequency: str) -> str:
    return f"{period:%b %Y}" if frequency == s.Frequency.MONTHLY else f"{period:%Y}"


def _projection_figure(context: FigureContext, indicator_id: str, area_code: str, horizon: int,
                       illustrative: bool = False) -> Figure | None:
    projection = projection_for(context, indicator_id, area_code, horizon, illustrative)
    if projection is None or projection.frame.empty:
        return None
    entry = get_indicator(context.dataset.indicators, indicator_id)
    final = projection.frame.iloc[-1]

    def fmt(column: str) -> str:
        return format_value(float(final[column]), entry.unit, entry.value_type)

    return Figure(f"projection:{indicator_id}:{area_code}:{horizon}",
                  _period_text(pd.Timestamp(final[s.PERIOD_START]), entry.frequency), float(final["point"]),
                  f"{fmt('point')} (80% range {fmt('lower_80')} to {fmt('upper_80')})")


# ---- per page -----------------------------------------------------------------------------------

def overview_place(params: ViewParams, context: FigureContext) -> str:
    """The area the Overview's tiles describe: the chosen district, a division's main district, else the council."""
    place = params.place
    if place in context.options.district_names:
        return str(place)
    if place in context.options.division_names and context.parents.get(str(place)) in context.options.district_names:
        return context.parents[str(place)]
    return context.config.county_code


def _overview(params: ViewParams, context: FigureContext) -> list[Figure]:
    place = overview_place(params, context)
    england = context.config.england_code
    figures = []
    for indicator_id in context.settings.headline_ids:
        entry = get_indicator(context.dataset.indicators, indicator_id)
        tile = headline(context.dataset.observations, entry, place, england, context.config.england_name)
        if not tile.period_label:
            continue
        figures.append(Figure(f"value:{indicator_id}:{place}", tile.period_label, _value(tile.value),
                              tile.value_text))
        figures.append(Figure(f"rating:{indicator_id}:{place}:{england}", tile.period_label, None,
                              tile.comparison.rating.value))
    return figures


def trend_areas(params: ViewParams, context: FigureContext) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(areas drawn, comparators drawn) of a trends view, by the Trends page's rules."""
    indicator_id = params.indicator or context.settings.default_indicator
    observations = context.dataset.observations
    rows = observations[(observations[s.INDICATOR_ID] == indicator_id) & observations[s.VALUE].notna()]
    available = set(rows[s.AREA_CODE])
    chosen: list[str] = []
    for code in params.divisions:
        if code in available:
            chosen.append(code)
        elif context.parents.get(code) in available:
            chosen.append(context.parents[code])
    chosen += [c for c in params.districts if c in available]
    chosen = list(dict.fromkeys(chosen))
    config = context.config
    if not chosen:
        if config.county_code in available:
            chosen = [config.county_code]
        else:
            chosen = [c for c in (config.region_code, config.england_code) if c in available]
    chosen = chosen[:4]
    codes = dict(zip(COMPARATOR_KINDS, config.comparator_codes, strict=True))
    kinds = COMPARATOR_KINDS if params.compare is None else params.compare
    comparators = tuple(codes[k] for k in kinds if codes[k] in available and codes[k] not in chosen)
    return tuple(chosen), comparators


def trend_horizon(params: ViewParams, context: FigureContext) -> int:
    """The projection horizon a trends view shows (0 when the indicator is not projected)."""
    entry = get_indicator(context.dataset.indicators, params.indicator or context.settings.default_indicator)
    most = context.settings.trend_max_horizon.get(entry.frequency, 0)
    if not most:
        return 0
    wanted = params.horizon or context.settings.trend_default_horizon.get(entry.frequency, 0)
    return min(wanted, most)


def _trends(params: ViewParams, context: FigureContext) -> list[Figure]:
    indicator_id = params.indicator or context.settings.default_indicator
    areas, comparators = trend_areas(params, context)
    horizon = trend_horizon(params, context)
    figures = [f for code in (*areas, *comparators)
               if (f := _value_figure(context.dataset.observations, context, indicator_id, code)) is not None]
    for code in areas:
        projected = _projection_figure(context, indicator_id, code, horizon) if horizon else None
        if projected is not None:
            figures.append(projected)
    return figures


def priority_weights(params: ViewParams, context: FigureContext) -> dict[str, float]:
    """The view's weights (the app's default index when it sets none)."""
    return {i: float(w) for i, w in (params.weights or context.settings.default_weights)}


def _norm(params: ViewParams) -> pri.Method:
    """The view's normalisation (agenda.py checked it against NORMALISATIONS when it read the view)."""
    return cast(pri.Method, params.norm or "zscore")


def priority_result(params: ViewParams, context: FigureContext) -> pri.PriorityResult:
    """The priority index a view shows."""
    frame, polarity, suppressed = context.priority_inputs
    return pri.score_priority(frame, polarity, priority_weights(params, context), _norm(params),
                              suppressed=suppressed)


def _rank_text(rank: Any, total: int, klass: str) -> str:
    if rank is None or rank is pd.NA or (isinstance(rank, float) and math.isnan(rank)):
        return f"not ranked ({klass})"
    return f"{ordinal(int(rank))} of {total} ({klass})"


def _priority(params: ViewParams, context: FigureContext) -> list[Figure]:
    result = priority_result(params, context)
    table = result.table
    ranked = table[table[pri.RANKED]].sort_values([pri.RANK, pri.SCORE], ascending=[True, False])
    total = len(ranked)
    top = min(params.top or DEFAULT_TOP, len(table))
    shown = list(ranked.index[:top])
    focus = params.division
    if focus is not None and focus in table.index and focus not in shown:
        shown.append(focus)
    figures = [Figure(f"priority:{code}", "", _value(_num(table.loc[code, pri.RANK])),
                      _rank_text(table.loc[code, pri.RANK], total, str(table.loc[code, pri.PRIORITY_CLASS])))
               for code in shown]
    if focus is not None and focus in table.index:
        titles = dict(zip(context.dataset.indicators[s.INDICATOR_ID], context.dataset.indicators[s.SHORT_TITLE],
                          strict=True))
        drivers = [titles.get(i, i) for i in str(table.loc[focus, pri.DRIVERS]).split(";") if i]
        figures.append(Figure(f"drivers:{focus}", "", None, "; ".join(drivers) or "none"))
        frame, polarity, _ = context.priority_inputs
        stability = pri.rank_stability(frame, polarity, priority_weights(params, context), _norm(params),
                                       top_n=top, n_draws=STABILITY_DRAWS)
        share = _num(stability.loc[focus, pri.IN_TOP_N_SHARE])
        if not math.isnan(share):
            low = int(cast(float, stability.loc[focus, pri.RANK_P05]))
            high = int(cast(float, stability.loc[focus, pri.RANK_P95]))
            rank_value = _num(table.loc[focus, pri.RANK])
            rank = None if math.isnan(rank_value) else int(rank_value)
            figures.append(Figure(f"stability:{focus}", "", round(share, 4),
                                  f"{top_n_words(share, top, rank, STABILITY_DRAWS)}; {rank_spread_words(low, high)}"))
    return figures


def _profile(params: ViewParams, context: FigureContext) -> list[Figure]:
    division = params.division
    table = context.division_table
    if division is None or table.empty:
        return []
    rows = table[table[s.AREA_CODE] == division].sort_values([s.THEME, s.SHORT_TITLE], kind="mergesort")
    county = context.config.county_code
    figures = []
    for row in rows.to_dict("records"):
        indicator_id, period = str(row[s.INDICATOR_ID]), str(row[s.PERIOD_LABEL])
        figures.append(Figure(f"value:{indicator_id}:{division}", period, _value(_num(row[s.VALUE])),
                              str(row[pr.VALUE_TEXT])))
        figures.append(Figure(f"rating:{indicator_id}:{division}:{county}", period, None, str(row[pr.RATING])))
        figures.append(Figure(f"rank:{indicator_id}:{division}", period, _value(_num(row[pr.RANK])),
                              str(row[pr.RANK_TEXT])))
    return figures


def scenario_series(params: ViewParams, context: FigureContext) -> tuple[bool, str, str, int] | None:
    """(illustrative, indicator, area, horizon) a scenarios view projects; None when nothing is chosen."""
    illustrative = params.scn_data == "illustrative"
    indicator_id = params.scn_indicator or context.settings.scenario_default_indicator.get(
        "illustrative" if illustrative else "open")
    if indicator_id is None:
        return None
    entry = get_indicator(context.dataset.indicators, indicator_id)
    areas = context.scenario_series["illustrative" if illustrative else "open"].get(indicator_id, ())
    preferred = params.divisions if illustrative else (*params.districts, context.config.county_code)
    area = params.scn_area or next((c for c in preferred if c in areas), areas[0] if areas else None)
    if area is None:
        return None
    horizon = params.scn_horizon or context.settings.scenario_default_horizon.get(entry.frequency, 5)
    return illustrative, indicator_id, str(area), int(horizon)


def _scenarios(params: ViewParams, context: FigureContext) -> list[Figure]:
    chosen = scenario_series(params, context)
    if chosen is None:
        return []
    illustrative, indicator_id, area, horizon = chosen
    figure = _projection_figure(context, indicator_id, area, horizon, illustrative)
    if figure is None:
        return []
    figures = [figure]
    projection = projection_for(context, indicator_id, area, horizon, illustrative)
    entry = get_indicator(context.dataset.indicators, indicator_id)
    try:
        scenarios = scenarios_from_query(params.scenarios)
    except ScenarioError:
        return figures
    for number, scenario in enumerate(scenarios, start=1):
        try:
            result = apply_scenario(projection.frame, scenario,
                                    population_effect=population_effect_for(entry.value_type, entry.unit))
        except ScenarioError:
            continue
        final = result.iloc[-1]
        text = (f"{format_value(float(final['point']), entry.unit, entry.value_type)} (80% range "
                f"{format_value(float(final['lower_80']), entry.unit, entry.value_type)} to "
                f"{format_value(float(final['upper_80']), entry.unit, entry.value_type)})")
        figures.append(Figure(f"scenario:{number}:{horizon}", figure.period, float(final["point"]), text))
    return figures


_BUILDERS = {Page.OVERVIEW: _overview, Page.TRENDS: _trends, Page.PRIORITY_MAP: _priority,
             Page.DIVISION_PROFILE: _profile, Page.SCENARIOS: _scenarios}


def view_figures(view: View, context: FigureContext) -> tuple[Figure, ...]:
    """The figures a view shows in this data version (call ``check_agenda`` first: codes must be known)."""
    return tuple(_BUILDERS[view.page](view.params, context))


def snapshot_agenda(agenda: Agenda, context: FigureContext) -> Agenda:
    """The agenda with every view's figures frozen from ``context`` and the data version stamped."""
    return Agenda(agenda.title, agenda.meeting, context.version,
                  tuple(view.with_figures(view_figures(view, context)) for view in agenda.views))
