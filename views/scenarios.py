"""Scenarios page view-model: the series picker's choices, lever context, table, finding sentence and exports.
Pure: no Streamlit; components/scenarios.py draws them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from insight import schema as s
from insight.errors import ScenarioError
from insight.forecast.series import default_bounds
from insight.formatting import format_value
from insight.loaders import Indicator
from insight.periods import PeriodLabeller, period_labeller
from insight.scenarios import (
    BASELINE_NAME,
    DIFFERENCE,
    DIFFERENCE_LOWER_95,
    DIFFERENCE_UPPER_95,
    LOWER_80,
    LOWER_95,
    POINT,
    UPPER_80,
    UPPER_95,
    PopulationEffect,
    Scenario,
    TargetSolution,
    apply_scenario,
    describe_scenario,
    headline_finding,
    population_effect_for,
    scenarios_csv,
    scenarios_to_json,
    solve_target,
    tabulate_scenarios,
)
from insight.your_data import SessionMemo
from views.scenario_charts import build_scenario_chart

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
    ordered_codes = ordered.sort_values(["order", s.AREA_NAME])[s.AREA_CODE]
    by_indicator = options.groupby(s.INDICATOR_ID)[s.AREA_CODE].agg(set)
    return SeriesPicker(
        ids=tuple(ids),
        labels={i: f"{str(catalogue.loc[i, s.THEME]).capitalize()} — {catalogue.loc[i, s.TITLE]}" for i in ids},
        areas={i: tuple(c for c in ordered_codes if c in by_indicator[i]) for i in ids})


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
    stored = [abs(v) for sc in scenarios if sc.step is not None for v in (sc.step.size, *sc.step.bounds)]
    limit = _nice_ceiling(max([scale * 0.5, *stored]))
    increment = limit / 100
    decimals = max(0, -math.floor(math.log10(increment))) if increment < 1 else 0
    last = float(baseline[POINT].iloc[-1])
    target_default = round(last * 0.9, decimals + 1 if decimals else 0)
    return LeverContext(starts, labels, limit, increment, f"%.{decimals}f", target_default,
                        population_effect_for(choice.indicator.value_type, choice.indicator.unit))


def start_option(value: date | None, starts: tuple[date, ...]) -> date:
    if value is None:
        return starts[0]
    return next((option for option in starts if option >= value), starts[-1])


def decimal_digits(table: pd.DataFrame) -> int:
    scale = float(table[POINT].abs().max()) if not table.empty else 0.0
    return 0 if scale >= 100 else (1 if scale >= 10 else 2)


def _num(value: float, digits: int, signed: bool = False) -> str:
    text = f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"
    return text.replace("-", "−")


def display_table(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The yearly table as people read it: UK number formats, ranges as 'a to b'; rows grouped by scenario
    (the baseline first, then each scenario in order), periods in order within each."""
    d = decimal_digits(table)
    unit_text = f" ({unit})" if unit else ""

    def span(lo: float, hi: float, signed: bool = False) -> str:
        return f"{_num(lo, d, signed)} to {_num(hi, d, signed)}"

    is_base = table["scenario"] == BASELINE_NAME
    shown = pd.DataFrame({
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
    order = {name: i for i, name in enumerate(dict.fromkeys(shown["Scenario"]))}
    return shown.sort_values("Scenario", key=lambda names: names.map(order), kind="stable")


def finding_sentence(table: pd.DataFrame, choice: SeriesChoice) -> str:
    # Periods come from the table (tabulate_scenarios with the series' labeller), as in the chart and CSV.
    """The chart's main finding in words, with numeric ranges (A4, U2)."""
    last = table["period"].iloc[-1]
    final = table[table["period"] == last]
    d = decimal_digits(table)
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


@dataclass
class AppliedScenarios:
    """Scenarios already applied to one baseline projection (the object itself), so that a lever step applies only
    the scenario it changed: apply_scenario is deterministic (seeded), so a stored result is the result. Keeps the
    MAX_APPLIED most recently used; results are read, never changed."""

    baseline: pd.DataFrame
    results: SessionMemo = field(default_factory=lambda: SessionMemo(MAX_APPLIED))


MAX_APPLIED = 16


def apply_all(scenarios: tuple[Scenario, ...], baseline: pd.DataFrame, choice: SeriesChoice,
              labeller: PeriodLabeller, applied: AppliedScenarios | None = None
              ) -> tuple[list[tuple[str, pd.DataFrame]], dict[str, TargetSolution], list[str]]:
    """Each scenario applied to ``baseline`` (and a target's solution), and the message of any that cannot be;
    ``applied`` (for this very baseline) keeps results across lever steps."""
    lower, upper = default_bounds(choice.indicator.value_type)
    effect = population_effect_for(choice.indicator.value_type, choice.indicator.unit)
    if applied is None or applied.baseline is not baseline:
        applied = AppliedScenarios(baseline)
    results, solutions, problems = [], {}, []
    for scenario in scenarios:

        def apply(scenario: Scenario = scenario) -> tuple[pd.DataFrame, TargetSolution | None]:
            solution = solve_target(baseline, scenario, population_effect=effect, labeller=labeller) \
                if scenario.target is not None else None
            return apply_scenario(baseline, scenario, population_effect=effect, lower_bound=lower,
                                  upper_bound=upper, labeller=labeller), solution
        try:
            frame, solution = applied.results.get((scenario, effect, lower, upper, labeller), apply)
        except ScenarioError as error:
            problems.append(f"Scenario '{scenario.name}' is not shown: {error}")
            continue
        if solution is not None:
            solutions[scenario.name] = solution
        results.append((scenario.name, frame))
    return results, solutions, problems


def measure_label(indicator: Indicator) -> str:
    """'Claimant count (%)'; 'ASC contacts (illustrative), contacts per month' (no double brackets)."""
    if not indicator.unit:
        return indicator.short_title
    return f"{indicator.short_title}, {indicator.unit}" if "(" in indicator.short_title \
        else f"{indicator.short_title} ({indicator.unit})"


def history_shown(history: pd.DataFrame, monthly: bool) -> pd.DataFrame:
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


@dataclass(frozen=True)
class ScenarioView:
    """What the Scenarios page and a committee slide show for one set of scenarios: the chart, the finding in a
    sentence, the table, any target solutions and any scenario that could not be applied."""

    chart: Any
    finding: str
    table: pd.DataFrame
    solutions: dict[str, TargetSolution]
    problems: tuple[str, ...]
    labeller: PeriodLabeller


def scenario_view(choice: SeriesChoice, history: pd.DataFrame, baseline: pd.DataFrame,
                  scenarios: tuple[Scenario, ...], *, labeller: PeriodLabeller | None = None,
                  applied: AppliedScenarios | None = None) -> ScenarioView:
    """Apply ``scenarios`` to the ``baseline`` projection of ``choice`` and build the chart, finding and table
    (``labeller``: series_labeller's, when already made; ``applied``: results kept from earlier lever steps)."""
    labeller = labeller or series_labeller(choice, history)
    results, solutions, problems = apply_all(scenarios, baseline, choice, labeller, applied)
    table = tabulate_scenarios(baseline, results, monthly=choice.monthly, labeller=labeller)
    shown = history_shown(history, choice.monthly)
    indicator = choice.indicator
    first = shown[s.PERIOD_LABEL].iloc[0] if not shown.empty else ""
    finding = finding_sentence(table, choice)
    chart = build_scenario_chart(
        shown, baseline, results, title=headline_finding(table, unit=indicator.unit),
        subtitle=f"{measure_label(indicator)}, {choice.area_name}, {first} to {table['period'].iloc[-1]}. "
                 "Shaded: 80% ranges (and the baseline's 95%).",
        unit=indicator.unit, source_line=indicator.source_line,
        caveat="Projection: it extends past trends and ignores policy changes and shocks; scenarios change "
               "only what their levers say.",
        description=f"Line chart of {indicator.short_title} for {choice.area_name}: observed values, the baseline "
                    "projection and each scenario, with 80% ranges. The finding is written under the chart.",
        illustrative=choice.illustrative,
        value_format=",.0f" if decimal_digits(table) == 0 else ",.1f", labeller=labeller)
    return ScenarioView(chart, finding, table, solutions, tuple(problems), labeller)
