"""Render helpers of the Scenarios page: series picker, lever panel, chart, table, exports and sharing.

The levers, chart and table live in one ``st.fragment`` so a lever change reruns only them; the baseline
projection comes cached from ``components.data``. All session and URL state goes through ``components.state``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from components import data, state
from components.charts import draw_vega
from components.literacy import render_how_to_read
from components.model_card import render_card_link
from insight import schema as s
from insight.config import load_config
from insight.errors import ScenarioError
from insight.model_cards import PROJECTION, SCENARIOS
from insight.scenarios import (
    MAX_SCENARIOS,
    METHOD_NOTE,
    PopulationEffect,
    PopulationGrowth,
    Scenario,
    StepChange,
    Target,
    TrendChange,
    validate_scenarios,
)
from views.html_table import html_table
from views.literacy import scenario_guide
from views.scenarios import (
    ANNUAL_HORIZONS,
    DATA_LABELS,
    DEFAULT_HORIZON,
    DEFAULT_INDICATOR,
    ILLUSTRATIVE_BADGE,
    ILLUSTRATIVE_DATA,
    MONTHLY_HORIZONS,
    OPEN_DATA,
    TREND_SLIDER_PCT,
    LeverContext,
    LiveExport,
    SeriesChoice,
    display_table,
    lever_context,
    scenario_view,
    series_labeller,
    start_option,
)

MODE_TREND, MODE_TARGET = "trend", "target"


# ---- series picker --------------------------------------------------------------------------------


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
                         f"projections per {data.council().area_word}. They are not real.")
    illustrative = kind == ILLUSTRATIVE_DATA
    yours = state.your_data()  # the published data set also offers the session's uploaded series
    picker = data.scenario_series_picker(illustrative, yours)
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
    indicator = data.indicator(indicator_id, yours)
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
             f"from each {data.council().area_word}'s real population, age and deprivation with an invented trend, seasonality "
             "and 2020 shock, to demonstrate monthly projections. Do not quote them.")


def render_link_messages(choice: SeriesChoice) -> None:
    """Say what in the link was ignored, and why."""
    for message in choice.messages:
        st.warning(message)
    state.scenario_set()  # reads (and checks) the link's scenarios on the session's first run
    link_message = state.scenario_link_message()
    if link_message:
        st.error(link_message)


# ---- levers ---------------------------------------------------------------------------------------


def render_lever_panel(slot: int, scenario: Scenario, ctx: LeverContext) -> Scenario:
    """The levers of one scenario; returns the scenario they now describe (the old one if invalid)."""
    def key(name: str) -> str:
        return state.scenario_widget_key(slot, name)

    def start_slider(label: str, name: str, value: date | None) -> date:
        return st.select_slider(label, ctx.starts, value=start_option(value, ctx.starts), key=key(name),
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
            year = st.selectbox("Reached by", years, key=key("target_year"), format_func=lambda y: year_labels.get(y, str(y)),
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
        low0, high0 = step.bounds if step else (0.0, 0.0)
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
    shown_view = scenario_view(choice, history, baseline, scenarios, labeller=labeller,
                               applied=state.applied_scenarios(baseline))
    results_problems, solutions, table = shown_view.problems, shown_view.solutions, shown_view.table
    for problem in results_problems:
        st.warning(problem)
    for name, solution in solutions.items():
        st.info(f"**{name}:** reaching {solution.target_value:,.6g} in {labeller(solution.period_start)} needs a "
                f"change of **{solution.pct_per_year:+.2f}% a year** relative to the projection from "
                f"{labeller(solution.start)} (the projection alone gives {solution.baseline_value:,.6g}).")
    indicator = choice.indicator
    finding, chart = shown_view.finding, shown_view.chart
    draw_vega(chart, width="stretch")
    render_how_to_read(scenario_guide(table, indicator, choice.area_name))
    badge = f"**{ILLUSTRATIVE_BADGE}** — synthetic figures for demonstration only.\n\n" if choice.illustrative else ""
    st.markdown(f"{badge}{finding}\n\n**Projected values by year** "
                f"({'December of each year' if choice.monthly else 'each year'}; scenario ranges combine the "
                "projection's and the levers' uncertainty)")
    shown_table = display_table(table, indicator.unit)
    # A static table (views.html_table): the interactive grid took ~225 ms of every lever step to redraw.
    st.html(html_table(shown_table, caption=f"{indicator.short_title}, {choice.area_name}: projected values by "
                                            "period, under each scenario", row_header="Period", group_by="Scenario",
                       numeric=[c for c in shown_table.columns if c not in ("Period", "Scenario")]))
    live.table, live.scenarios, live.solutions, live.labeller = table, scenarios, solutions, labeller


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
    items = [f"- {caveat}" for caveat in caveats]
    if backtest is not None:
        items.append(f"- **Accuracy on past data:** {backtest.summary}")
    items.append(f"- **Scenario method:** {METHOD_NOTE} Levers: a trend change multiplies the projection by "
                 "(1 + r) for each year after its start; a step change adds its size from its start, with "
                 "its range read as 95%; extra population growth multiplies counts (or divides per-head "
                 "values) by (1 + g) a year; a target is met by solving for the trend change. Seeded: the "
                 "same inputs give the same figures at every meeting.")
    if choice.illustrative:
        items.append(f"- **{ILLUSTRATIVE_BADGE}.** {choice.indicator.definition}")
    with st.expander("About this projection and the scenarios", expanded=False):
        st.markdown("\n".join(items))  # one list, one element: each element is redrawn on every lever step
    render_card_link(SCENARIOS)
    render_card_link(PROJECTION)
