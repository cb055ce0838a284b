"""Render helpers of the Scenarios page: series picker, lever panel, chart, table, exports and sharing.

The levers, chart and table live in one ``st.fragment`` so a lever change reruns only them; the baseline
projection comes cached from ``components.data``. All session and URL state goes through ``components.state``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from components import data, state
from components.model_card import render_card_link
from components.scenario_charts import build_scenario_chart
from insight import schema as s
from insight.config import load_config
from insight.errors import ScenarioError
from insight.forecast.series import default_bounds
from insight.formatting import format_value
from insight.loaders import Indicator
from insight.model_cards import PROJECTION, SCENARIOS
from insight.periods import PeriodLabeller, period_labeller
from insight.scenarios import (
    BASELINE_NAME,
    DIFFERENCE,
    DIFFERENCE_LOWER_95,
    DIFFERENCE_UPPER_95,
    LOWER_80,
    LOWER_95,
    MAX_SCENARIOS,
    METHOD_NOTE,
    POINT,
    UPPER_80,
    UPPER_95,
    PopulationEffect,
    PopulationGrowth,
    Scenario,
    StepChange,
    Target,
    TargetSolution,
    TrendChange,
    apply_scenario,
    describe_scenario,
    headline_finding,
    population_effect_for,
    scenarios_csv,
    scenarios_to_json,
    solve_target,
    tabulate_scenarios,
    validate_scenarios,
)

OPEN_DATA, ILLUSTRATIVE_DATA = "open", "illustrative"
DATA_LABELS = {OPEN_DATA: "Published open data",
               ILLUSTRATIVE_DATA: "Illustrative monthly demand (not real)"}
ILLUSTRATIVE_BADGE = "Illustrative data — not real"
ANNUAL_HORIZONS = list(range(1, 11))
MONTHLY_HORIZONS = [6, 12, 18, 24, 30, 36]
DEFAULT_HORIZON = {s.Frequency.ANNUAL: 5, s.Frequency.MONTHLY: 24}
DEFAULT_INDICATOR = {OPEN_DATA: "gdhi_per_head", ILLUSTRATIVE_DATA: "demo_asc_contacts"}
LEVEL_ORDER = {s.Level.COUNTY: 0, s.Level.DISTRICT: 1, s.Level.DIVISION: 2, s.Level.REGION: 3,
               s.Level.ENGLAND: 4}
TREND_SLIDER_PCT = 20.0
MODE_TREND, MODE_TARGET = "trend", "target"
MONTHLY_HISTORY_SHOWN = 60  # months of observed data drawn before a monthly projection
ANNUAL_HISTORY_SHOWN = 12  # years drawn before an annual projection (the projection stays readable)


@dataclass(frozen=True)
class SeriesChoice:
    """The series the scenarios apply to, and any messages about the link it came from."""

    illustrative: bool
    indicator: Indicator
    area_code: str
    area_name: str
    horizon: int
    messages: tuple[str, ...]

    @property
    def monthly(self) -> bool:
        return self.indicator.frequency == s.Frequency.MONTHLY


@dataclass(frozen=True)
class LeverContext:
    """What the lever widgets need to know about the baseline projection."""

    starts: tuple[date, ...]  # first of the month of each projected period
    labels: dict[date, str]  # each start's period, named as everywhere else (insight.periods)
    step_limit: float
    step_increment: float
    number_format: str
    target_default: float
    population_effect: PopulationEffect | None


# ---- series picker --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesPicker:
    """The series picker's choices for one data set, built once: indicators in theme and title order with
    their labels, and each indicator's areas (county, districts, divisions; by name within each)."""

    ids: tuple[str, ...]
    labels: dict[str, str]
    areas: dict[str, tuple[str, ...]]


def series_picker(options: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> SeriesPicker:
    """Build the picker's choices from the projectable series (data.scenario_series_options)."""
    catalogue = indicators.set_index(s.INDICATOR_ID)
    ids = sorted(options[s.INDICATOR_ID].unique(),
                 key=lambda i: (catalogue.loc[i, s.THEME], catalogue.loc[i, s.SHORT_TITLE].lower()))
    ordered = areas.assign(order=areas[s.LEVEL].map(lambda level: LEVEL_ORDER.get(s.Level(level), 9)))
    ordered = ordered.sort_values(["order", s.AREA_NAME])[s.AREA_CODE]
    by_indicator = options.groupby(s.INDICATOR_ID)[s.AREA_CODE].agg(set)
    return SeriesPicker(
        ids=tuple(ids),
        labels={i: f"{str(catalogue.loc[i, s.THEME]).capitalize()} — {catalogue.loc[i, s.TITLE]}" for i in ids},
        areas={i: tuple(c for c in ordered if c in by_indicator[i]) for i in ids})


def render_series_picker(selection: state.Filters) -> SeriesChoice:
    """Data set, indicator, area and horizon: seeded from the link, validated, written back to the URL."""
    messages: list[str] = []

    def seed(key: str, options: list, default: object, label: str) -> None:
        message = state.seed_scenario_choice(key, options, default, label)
        if message:
            messages.append(message)

    seed(state.KEY_SCN_DATA, [OPEN_DATA, ILLUSTRATIVE_DATA], OPEN_DATA, "data set")
    kind = st.radio("Data", [OPEN_DATA, ILLUSTRATIVE_DATA], key=state.KEY_SCN_DATA, horizontal=True,
                    format_func=DATA_LABELS.get,
                    help="The illustrative monthly demand series are synthetic, for demonstrating monthly "
                         "projections per division. They are not real.")
    illustrative = kind == ILLUSTRATIVE_DATA
    picker = data.scenario_series_picker(illustrative)
    names = data.area_names()
    ids = list(picker.ids)
    default_id = selection.indicator_id if selection.indicator_id in ids and not illustrative \
        else DEFAULT_INDICATOR[kind] if DEFAULT_INDICATOR[kind] in ids else ids[0]
    seed(state.KEY_SCN_INDICATOR, ids, default_id, "indicator")
    left, middle, right = st.columns([5, 4, 3])
    with left:
        indicator_id = st.selectbox(
            "Indicator (series long enough to project)", ids, key=state.KEY_SCN_INDICATOR,
            format_func=picker.labels.get)
    codes = list(picker.areas[indicator_id])
    preferred = [*selection.divisions] if illustrative else [*selection.districts, load_config().county_code]
    default_area = next((c for c in preferred if c in codes), codes[0])
    seed(state.KEY_SCN_AREA, codes, default_area, "area")
    with middle:
        area_code = st.selectbox("Area", codes, key=state.KEY_SCN_AREA, format_func=lambda c: names.get(c, c))
    indicator = data.indicator(indicator_id)
    monthly = indicator.frequency == s.Frequency.MONTHLY
    horizons = MONTHLY_HORIZONS if monthly else ANNUAL_HORIZONS
    seed(state.KEY_SCN_HORIZON, horizons, DEFAULT_HORIZON[indicator.frequency], "horizon")
    with right:
        horizon = st.select_slider("Project ahead", horizons, key=state.KEY_SCN_HORIZON,
                                   format_func=lambda h: f"{h} {'months' if monthly else 'years'}")
    state.write_scenario_view_to_url()
    return SeriesChoice(illustrative, indicator, area_code, names.get(area_code, area_code), int(horizon),
                        tuple(messages))


def render_illustrative_badge() -> None:
    """The unmissable notice on every view of the illustrative data."""
    st.error(f"### ⚠️ {ILLUSTRATIVE_BADGE}\nThese monthly service-demand figures are **synthetic**: generated "
             "from each division's real population, age and deprivation with an invented trend, seasonality "
             "and 2020 shock, to demonstrate monthly projections. Do not quote them.")


def render_link_messages(choice: SeriesChoice) -> None:
    """Say what in the link was ignored, and why."""
    for message in choice.messages:
        st.warning(message)
    state.scenario_set()  # reads (and checks) the link's scenarios on the session's first run
    message = state.scenario_link_message()
    if message:
        st.error(message)


# ---- levers ---------------------------------------------------------------------------------------

def _nice_ceiling(value: float) -> float:
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def series_labeller(choice: SeriesChoice, history: pd.DataFrame) -> PeriodLabeller:
    """How this series names its periods ('2029/30' after '2024/25'): the one labelling used by the chart,
    table, CSV, finding sentence and levers."""
    shown = history.dropna(subset=[s.PERIOD_LABEL]) if s.PERIOD_LABEL in history else history.iloc[0:0]
    if shown.empty:
        return period_labeller(choice.indicator.frequency)
    last = shown.sort_values(s.PERIOD_START).iloc[-1]
    return period_labeller(choice.indicator.frequency, str(last[s.PERIOD_LABEL]), last[s.PERIOD_START])


def lever_context(choice: SeriesChoice, baseline: pd.DataFrame, scenarios: tuple[Scenario, ...],
                  labeller: PeriodLabeller) -> LeverContext:
    """Widget ranges from the baseline's scale (widened to hold every stored value); lever starts are the
    projected periods, named by ``labeller`` (years for an annual series, never months)."""
    periods = pd.to_datetime(baseline[s.PERIOD_START])
    starts = tuple(date(ts.year, ts.month, 1) for ts in periods)
    labels = dict(zip(starts, labeller.labels(periods), strict=True))
    scale = float(baseline[POINT].abs().max())
    stored = [abs(v) for sc in scenarios if sc.step is not None for v in (sc.step.size, sc.step.low, sc.step.high)]
    limit = _nice_ceiling(max([scale * 0.5, *stored]))
    increment = limit / 100
    decimals = max(0, -math.floor(math.log10(increment))) if increment < 1 else 0
    last = float(baseline[POINT].iloc[-1])
    target_default = round(last * 0.9, decimals + 1 if decimals else 0)
    return LeverContext(starts, labels, limit, increment, f"%.{decimals}f", target_default,
                        population_effect_for(choice.indicator.value_type, choice.indicator.unit))


def _start(value: date | None, starts: tuple[date, ...]) -> date:
    if value is None:
        return starts[0]
    return next((option for option in starts if option >= value), starts[-1])


def render_lever_panel(slot: int, scenario: Scenario, ctx: LeverContext) -> Scenario:
    """The levers of one scenario; returns the scenario they now describe (the old one if invalid)."""
    def key(name: str) -> str:
        return state.scenario_widget_key(slot, name)

    def start_slider(label: str, name: str, value: date | None) -> date:
        return st.select_slider(label, ctx.starts, value=_start(value, ctx.starts), key=key(name),
                                format_func=ctx.labels.get)

    problems: list[str] = []
    raw_name = st.text_input("Scenario name", value=scenario.name, max_chars=40, key=key("name"))
    trend_col, step_col, population_col = st.columns(3, gap="large")
    trend, target = scenario.trend, scenario.target
    with trend_col:
        mode = st.radio("**Trend**", [MODE_TREND, MODE_TARGET], horizontal=True, key=key("mode"),
                        index=1 if scenario.target is not None else 0,
                        format_func={MODE_TREND: "Change the trend", MODE_TARGET: "Aim for a target"}.get)
        if mode == MODE_TREND:
            current = scenario.trend.pct_per_year if scenario.trend else 0.0
            bound = max(TREND_SLIDER_PCT, abs(current))
            pct = st.slider("Change a year, relative to the projection", -bound, bound, float(current), 0.5,
                            key=key("trend"), format="%+.1f%%")
            start = start_slider("From", "trend_start", scenario.trend.start if scenario.trend else None)
            trend, target = (TrendChange(pct, start) if pct != 0 else None), None
        else:
            years = sorted({d.year for d in ctx.starts})
            year_labels = {d.year: ctx.labels[d] for d in ctx.starts}  # the year's last projected period
            value = st.number_input("Target value", value=float(scenario.target.value if scenario.target
                                                                else ctx.target_default),
                                    key=key("target"), format=ctx.number_format)
            year = st.selectbox("Reached by", years, key=key("target_year"), format_func=year_labels.get,
                                index=years.index(scenario.target.year)
                                if scenario.target and scenario.target.year in years else len(years) - 1)
            start = start_slider("Changing from", "target_start", scenario.target.start if scenario.target else None)
            try:
                trend, target = None, Target(value, int(year), start)
            except ScenarioError as error:
                problems.append(str(error))
    with step_col:
        step = scenario.step
        size0 = step.size if step else 0.0
        low0, high0 = (step.low, step.high) if step else (0.0, 0.0)
        size = st.slider("**One-off step change**: size (an intervention's expected effect)", -ctx.step_limit, ctx.step_limit,
                         float(size0), ctx.step_increment, key=key("step"), format=ctx.number_format)
        low, high = st.slider("Likely range of the effect (95%)", -ctx.step_limit, ctx.step_limit,
                              (float(min(low0, size0)), float(max(high0, size0))), ctx.step_increment,
                              key=key("step_range"), format=ctx.number_format)
        if (low, high) == (low0, high0) and low0 == high0 == size0:
            low = high = size  # no range yet: it follows the size
        elif not low <= size <= high:
            low, high = min(low, size), max(high, size)
            st.caption("The range was widened to include the size.")
        start = start_slider("From", "step_start", step.start if step else None)
        step = StepChange(size, start, low=low, high=high) if (size, low, high) != (0, 0, 0) else None
    population = scenario.population
    with population_col:
        if ctx.population_effect is None:
            st.caption("**Population growth** is not used for this indicator: it is neither a count nor a "
                       "per-head figure.")
            population = None
        else:
            current = scenario.population.pct_per_year if scenario.population else 0.0
            bound = max(3.0, abs(current))
            effect = "raises demand" if ctx.population_effect is PopulationEffect.COUNT else "lowers the per-head value"
            pct = st.slider("**Population growth**: extra a year, beyond the past trend", -bound, bound, float(current), 0.1,
                            key=key("population"), format="%+.1f%%", help=f"Faster growth {effect}.")
            start = start_slider("From", "population_start", scenario.population.start if scenario.population else None)
            population = PopulationGrowth(pct, start) if pct != 0 else None
    try:
        updated = Scenario(raw_name, trend=trend, step=step, population=population, target=target)
    except ScenarioError as error:
        problems.append(str(error))
        updated = scenario
    for problem in problems:
        st.error(problem)
    return updated


def _add_scenario() -> None:
    current = state.scenario_set()
    taken = {sc.name for sc in current}
    name = next(f"Scenario {letter}" for letter in "ABCDEFG" if f"Scenario {letter}" not in taken)
    state.set_scenario_set((*current, Scenario(name)))
    state.set_editing_slot(len(current))


def _remove_scenario(slot: int) -> None:
    current = state.scenario_set()
    state.set_scenario_set(tuple(sc for i, sc in enumerate(current) if i != slot), redraw=True)
    state.set_editing_slot(max(slot - 1, 0))


def render_toolbar(scenarios: tuple[Scenario, ...]) -> int | None:
    """Scenario selector, add, remove, reset to baseline (and undo). Returns the slot being edited."""
    slot = state.editing_slot(len(scenarios)) if scenarios else None
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        if slot is None:
            st.markdown("**No scenarios yet:** the chart shows the baseline projection. Add a scenario to try "
                        "a lever.", width="stretch")
        else:
            state.set_editing_slot(slot)
            st.radio("Edit scenario", list(range(len(scenarios))), key=state.KEY_SCN_EDIT, horizontal=True,
                     format_func=lambda i: scenarios[i].name, width="stretch")
        st.button("➕ Add scenario", on_click=_add_scenario, disabled=len(scenarios) >= MAX_SCENARIOS,
                  help=f"Compare up to {MAX_SCENARIOS} scenarios with the baseline.")
        if slot is not None:
            st.button("🗑 Remove", on_click=_remove_scenario, args=(slot,), help="Remove the scenario being edited.")
        if scenarios or not state.previous_scenarios():
            st.button("↺ Reset to baseline", on_click=state.reset_scenarios, disabled=not scenarios,
                      type="primary", help="Remove every scenario and show the baseline only.")
        else:
            st.button("↶ Undo reset", on_click=state.undo_reset_scenarios,
                      help="Bring back the scenarios removed by the reset.")
    return slot


# ---- results --------------------------------------------------------------------------------------

def _digits(table: pd.DataFrame) -> int:
    scale = float(table[POINT].abs().max()) if not table.empty else 0.0
    return 0 if scale >= 100 else (1 if scale >= 10 else 2)


def _num(value: float, digits: int, signed: bool = False) -> str:
    text = f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"
    return text.replace("-", "−")


def display_table(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The yearly table as people read it: UK number formats, ranges as 'a to b'."""
    d = _digits(table)
    unit_text = f" ({unit})" if unit else ""

    def span(lo: float, hi: float, signed: bool = False) -> str:
        return f"{_num(lo, d, signed)} to {_num(hi, d, signed)}"

    is_base = table["scenario"] == BASELINE_NAME
    return pd.DataFrame({
        "Period": table["period"],
        "Scenario": table["scenario"],
        f"Projected{unit_text}": [_num(v, d) for v in table[POINT]],
        "80% range": [span(a, b) for a, b in zip(table[LOWER_80], table[UPPER_80], strict=True)],
        "95% range": [span(a, b) for a, b in zip(table[LOWER_95], table[UPPER_95], strict=True)],
        "Difference from baseline": ["—" if base else _num(v, d, True)
                                     for base, v in zip(is_base, table[DIFFERENCE], strict=True)],
        "Difference range (95%)": ["—" if base else span(a, b, True) for base, a, b in
                                   zip(is_base, table[DIFFERENCE_LOWER_95], table[DIFFERENCE_UPPER_95], strict=True)],
    })


def finding_sentence(table: pd.DataFrame, choice: SeriesChoice) -> str:
    # Periods come from the table (tabulate_scenarios with the series' labeller), as in the chart and CSV.
    """The chart's main finding in words, with numeric ranges (A4, U2)."""
    last = table["period"].iloc[-1]
    final = table[table["period"] == last]
    d = _digits(table)
    indicator = choice.indicator
    base = final[final["scenario"] == BASELINE_NAME].iloc[0]
    value = format_value(float(base[POINT]), indicator.unit, indicator.value_type, digits=d).replace("-", "−")
    parts = [f"In {choice.area_name}, the baseline projection for {last} is {value} "
             f"(80% range {_num(base[LOWER_80], d)} to {_num(base[UPPER_80], d)})."]
    for _, row in final[final["scenario"] != BASELINE_NAME].iterrows():
        parts.append(f"{row['scenario']}: {_num(row[POINT], d)}, {_num(row[DIFFERENCE], d, True)} against the "
                     f"baseline (95% range {_num(row[DIFFERENCE_LOWER_95], d, True)} to "
                     f"{_num(row[DIFFERENCE_UPPER_95], d, True)}).")
    return " ".join(parts)


def _apply_all(scenarios: tuple[Scenario, ...], baseline: pd.DataFrame, choice: SeriesChoice,
               labeller: PeriodLabeller) -> tuple[list[tuple[str, pd.DataFrame]], dict[str, TargetSolution], list[str]]:
    lower, upper = default_bounds(choice.indicator.value_type)
    effect = population_effect_for(choice.indicator.value_type, choice.indicator.unit)
    results, solutions, problems = [], {}, []
    for scenario in scenarios:
        try:
            if scenario.target is not None:
                solutions[scenario.name] = solve_target(baseline, scenario, population_effect=effect,
                                                        labeller=labeller)
            results.append((scenario.name, apply_scenario(baseline, scenario, population_effect=effect,
                                                          lower_bound=lower, upper_bound=upper,
                                                          labeller=labeller)))
        except ScenarioError as error:
            problems.append(f"Scenario '{scenario.name}' is not shown: {error}")
    return results, solutions, problems


def _measure(indicator: Indicator) -> str:
    """'Claimant count (%)'; 'ASC contacts (illustrative), contacts per month' (no double brackets)."""
    if not indicator.unit:
        return indicator.short_title
    return f"{indicator.short_title}, {indicator.unit}" if "(" in indicator.short_title \
        else f"{indicator.short_title} ({indicator.unit})"


def _history_shown(history: pd.DataFrame, monthly: bool) -> pd.DataFrame:
    return history.tail(MONTHLY_HISTORY_SHOWN if monthly else ANNUAL_HISTORY_SHOWN)


@dataclass
class LiveExport:
    """What the download buttons export, kept current by the lever fragment. The buttons sit outside the
    fragment (fewer elements to resend per lever change) and build their file when clicked."""

    choice: SeriesChoice
    labeller: PeriodLabeller | None = None
    table: pd.DataFrame | None = None
    scenarios: tuple[Scenario, ...] = ()
    solutions: dict[str, TargetSolution] | None = None

    def csv(self) -> str:
        if self.table is None:
            return ""
        return build_export_csv(self.table, self.scenarios, self.solutions or {}, self.choice,
                                self.labeller or series_labeller(self.choice, pd.DataFrame()))

    def json(self) -> str:
        return scenarios_to_json(self.scenarios)


@st.fragment
def render_workbench(choice: SeriesChoice, history: pd.DataFrame, projection: object, live: LiveExport) -> None:
    """Levers, chart and table; reruns on its own when a lever moves (and keeps ``live`` current)."""
    baseline = projection.frame  # type: ignore[attr-defined]
    labeller = series_labeller(choice, history)
    scenarios = state.scenario_set()
    slot = render_toolbar(scenarios)
    if slot is not None:
        with st.container(border=True):
            updated = render_lever_panel(slot, scenarios[slot], lever_context(choice, baseline, scenarios, labeller))
        if updated != scenarios[slot]:
            candidate = tuple(updated if i == slot else sc for i, sc in enumerate(scenarios))
            try:
                scenarios = validate_scenarios(candidate)
                state.set_scenario_set(scenarios)
            except ScenarioError as error:
                st.error(str(error))
    results, solutions, problems = _apply_all(scenarios, baseline, choice, labeller)
    for problem in problems:
        st.warning(problem)
    for name, solution in solutions.items():
        st.info(f"**{name}:** reaching {solution.target_value:,.6g} in {labeller(solution.period_start)} needs a "
                f"change of **{solution.pct_per_year:+.2f}% a year** relative to the projection from "
                f"{labeller(solution.start)} (the projection alone gives {solution.baseline_value:,.6g}).")
    table = tabulate_scenarios(baseline, results, monthly=choice.monthly, labeller=labeller)
    shown = _history_shown(history, choice.monthly)
    indicator = choice.indicator
    first = shown[s.PERIOD_LABEL].iloc[0] if not shown.empty else ""
    finding = finding_sentence(table, choice)
    chart = build_scenario_chart(
        shown, baseline, results, title=headline_finding(table, unit=indicator.unit),
        subtitle=f"{_measure(indicator)}, {choice.area_name}, {first} to {table['period'].iloc[-1]}. "
                 "Shaded: 80% ranges (and the baseline's 95%).",
        unit=indicator.unit, source_line=indicator.source_line,
        caveat="Projection: it extends past trends and ignores policy changes and shocks; scenarios change "
               "only what their levers say.",
        description=finding, illustrative=choice.illustrative,
        value_format=",.0f" if _digits(table) == 0 else ",.1f", labeller=labeller)
    st.vega_lite_chart(chart, width="stretch")
    badge = f"**{ILLUSTRATIVE_BADGE}** — synthetic figures for demonstration only.\n\n" if choice.illustrative else ""
    st.markdown(f"{badge}{finding}\n\n**Projected values by year** "
                f"({'December of each year' if choice.monthly else 'each year'}; scenario ranges combine the "
                "projection's and the levers' uncertainty)")
    st.dataframe(display_table(table, indicator.unit), hide_index=True, width="stretch", height="content")
    live.table, live.scenarios, live.solutions, live.labeller = table, scenarios, solutions, labeller


def build_export_csv(table: pd.DataFrame, scenarios: tuple[Scenario, ...], solutions: dict[str, TargetSolution],
                     choice: SeriesChoice, labeller: PeriodLabeller) -> str:
    """The yearly table as CSV, headed by what it is, its source and licence, every assumption and the method."""
    indicator = choice.indicator
    assumptions = [describe_scenario(sc, solutions.get(sc.name), unit=indicator.unit, labeller=labeller)
                   for sc in scenarios]
    notes = [f"{ILLUSTRATIVE_BADGE.upper()}: synthetic figures. {indicator.definition}"] if choice.illustrative else []
    title = f"{indicator.title} ({indicator.unit}), {choice.area_name}: baseline projection and scenarios"
    if choice.illustrative:
        title = f"{ILLUSTRATIVE_BADGE.upper()}. {title}"
    return scenarios_csv(table, title=title, source=indicator.source, licence=indicator.licence,
                         assumptions=assumptions or ["No scenarios: baseline projection only."], extra_notes=notes)


def render_exports(live: LiveExport) -> None:
    """Download the table (CSV, with every assumption) and the scenario definitions (JSON); how to share."""
    indicator = live.choice.indicator
    stem = f"scenarios_{indicator.indicator_id}_{live.choice.area_code}"
    left, right = st.columns(2)
    with left:
        st.download_button("⬇ Download table (CSV, with assumptions)", live.csv, file_name=f"{stem}.csv",
                           mime="text/csv", on_click="ignore", width="stretch")
    with right:
        st.download_button("⬇ Download scenario definitions (JSON)", live.json, file_name=f"{stem}.json",
                           mime="application/json", on_click="ignore", width="stretch")
    st.markdown("🔗 **To share:** copy the address bar. It holds this series and these scenarios; a shared "
                "link is checked when it is opened, and anything malformed is ignored.")


def render_method_notes(projection: object, choice: SeriesChoice) -> None:
    """The caveats that matter most (U3), back-test accuracy (U6) and how scenarios are computed."""
    caveats = list(getattr(projection, "caveats", ()))[:3]
    backtest = getattr(projection, "backtest", None)
    with st.expander("About this projection and the scenarios", expanded=False):
        for caveat in caveats:
            st.markdown(f"- {caveat}")
        if backtest is not None:
            st.markdown(f"- **Accuracy on past data:** {backtest.summary}")
        st.markdown(f"- **Scenario method:** {METHOD_NOTE} Levers: a trend change multiplies the projection by "
                    "(1 + r) for each year after its start; a step change adds its size from its start, with "
                    "its range read as 95%; extra population growth multiplies counts (or divides per-head "
                    "values) by (1 + g) a year; a target is met by solving for the trend change. Seeded: the "
                    "same inputs give the same figures at every meeting.")
        if choice.illustrative:
            st.markdown(f"- **{ILLUSTRATIVE_BADGE}.** {choice.indicator.definition}")
    render_card_link(SCENARIOS)
    render_card_link(PROJECTION)
