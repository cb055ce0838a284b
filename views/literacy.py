"""'How to read this' for the charts as each page draws them: insight.literacy's guides, fed the figures on
screen (pure; no Streamlit). Each builder returns a ChartGuide whose worked example reads the current data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import pandas as pd

from insight import literacy, narrative
from insight import priority as pri
from insight import profile as pr
from insight import schema as s
from insight.literacy import GLOSSARY, HOW_TO_READ, ChartGuide, GlossaryEntry
from insight.loaders import Indicator
from insight.scenarios import BASELINE_NAME, POINT
from insight.stats import Rating

CHART_ORDER = ("fan_chart", "spine_chart", "spc_chart", "choropleth", "contribution_chart", "scenario_comparison")


def expander_label(guide: ChartGuide) -> str:
    """'How to read this: a fan chart' (the expander beside the chart)."""
    return f"How to read this: {guide.title.removeprefix('How to read ')}"


def fan_guide(table: pd.DataFrame, entry: Indicator) -> ChartGuide | None:
    """The fan chart's guide from the Trends table (its 'Kind' == 'projection' rows); None without a projection.
    The example reads the first projected area's final period."""
    projected = table[table["Kind"] == "projection"]
    if projected.empty:
        return None
    area = str(projected["Area"].iloc[0])
    rows = projected[projected["Area"] == area]
    last = rows.iloc[[-1]]
    frame = pd.DataFrame({s.PERIOD_START: [0], "lower_80": [float(last["Lower 80%"].iloc[0])],
                          "upper_80": [float(last["Upper 80%"].iloc[0])]})
    return literacy.fan_chart_guide(narrative.subject(entry.short_title, area), frame, unit=entry.unit,
                                    value_type=entry.value_type, period_label=str(last["Period"].iloc[0]))


def spine_guide(profile: pr.DivisionProfile, comparator_name: str) -> ChartGuide:
    """The spine chart's guide; the example reads a measure with a clear direction, rated better or worse where
    one is (else similar), with a value shown."""
    frame = profile.frame
    usable = frame[frame[s.VALUE].notna() & (frame[s.POLARITY] != s.Polarity.NEITHER.value)
                   & frame["worst"].notna() & frame["best"].notna()]
    if usable.empty:
        usable = frame[frame[s.VALUE].notna()]
    clear = usable[usable[pr.RATING].isin([Rating.BETTER.value, Rating.WORSE.value])]
    row = (clear if not clear.empty else usable).sort_values([s.THEME, s.SHORT_TITLE]).iloc[0]
    rating = Rating(str(row[pr.RATING]))
    words = {Rating.BETTER: f"better than {comparator_name}", Rating.WORSE: f"worse than {comparator_name}",
             Rating.SIMILAR: f"similar to {comparator_name}", Rating.HIGHER: f"higher than {comparator_name}",
             Rating.LOWER: f"lower than {comparator_name}"}.get(rating, f"not compared with {comparator_name}")
    return literacy.spine_chart_guide(profile.name, str(row[s.SHORT_TITLE]), value=float(row[s.VALUE]),
                                      worst=float(row["worst"]), best=float(row["best"]), unit=str(row[s.UNIT]),
                                      value_type=str(row[s.VALUE_TYPE]), rating_text=words)


def map_guide(result: pri.PriorityResult, names: Mapping[str, str]) -> ChartGuide:
    """The priority map's guide: the areas with the highest and lowest priority score."""
    scores = result.table[pri.SCORE]
    values = {names.get(str(code), str(code)): float(v) for code, v in scores.items() if pd.notna(v)}
    return literacy.choropleth_guide("priority score", values, unit="", value_type=s.ValueType.MEAN)


def contribution_guide(result: pri.PriorityResult, code: str, name: str, titles: Mapping[str, str]) -> ChartGuide:
    """The contribution chart's guide for one area: its score and the measure that adds most."""
    parts = {titles.get(str(i), str(i)): float(v) for i, v in result.contributions_of(code).items() if pd.notna(v)}
    return literacy.contribution_guide(name, parts, float(cast(float, result.table.loc[code, pri.SCORE])))


def scenario_guide(table: pd.DataFrame, indicator: Indicator, area_name: str) -> ChartGuide:
    """The scenario comparison's guide: the first scenario against the baseline in the final period shown."""
    last = table[table["period"] == table["period"].iloc[-1]]
    others = last[last["scenario"] != BASELINE_NAME]
    base = last[last["scenario"] == BASELINE_NAME]
    name = narrative.subject(indicator.short_title, area_name)
    if others.empty or base.empty:
        title, sentences = HOW_TO_READ["scenario_comparison"]
        return ChartGuide("scenario_comparison", title, sentences,
                          f"For example, add a scenario with the levers above. Its line then sits beside the "
                          f"baseline for {name}.")
    return literacy.scenario_guide(name, str(others["scenario"].iloc[0]), period_label=str(last["period"].iloc[0]),
                                   baseline=float(base[POINT].iloc[0]), scenario=float(others[POINT].iloc[0]),
                                   unit=indicator.unit, value_type=indicator.value_type)


def chart_guides_without_examples() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(title, sentences) of every chart type, for the glossary page (examples need a chart's own data)."""
    return tuple(HOW_TO_READ[key] for key in CHART_ORDER)


def glossary_entries(entries: tuple[GlossaryEntry, ...] = GLOSSARY, query: str = "") -> tuple[GlossaryEntry, ...]:
    """The entries whose term, other spellings or definition contain ``query`` (any case); all when empty."""
    wanted = query.strip().lower()
    if not wanted:
        return entries
    return tuple(e for e in entries if wanted in e.term.lower() or wanted in e.definition.lower()
                 or any(wanted in a.lower() for a in e.aliases))
