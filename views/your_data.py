"""The session's uploaded indicators on the pages (pure: no Streamlit): the Trends view of one, the priority
index's inputs with them added, the division table with their rows, and the Scenarios picker with them.
components.data calls these with the published tables and insight.your_data.YourData."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

import pandas as pd

from insight import profile as pr
from insight import query
from insight import schema as s
from insight.config import CouncilConfig
from insight.errors import ForecastError
from insight.forecast import ForecastContext, project_series
from insight.forecast.series import projectable_series
from insight.loaders import Indicator
from insight.profile import division_table
from insight.stats import Rating
from insight.text import shorten
from insight.your_data import YOUR_LABEL, YourData
from views.scenarios import SeriesPicker, series_picker
from views.trends import (
    PROJECTABLE,
    AreaChoice,
    ProjectionResult,
    TrendView,
    assemble_trend_view,
    resolve_areas,
)

CHART_FILE_CHARS = 40  # the file name as a chart shows it (charts are not Markdown: shortened, never quoted)
COUNT_NOT_COMPARED = "—"  # a count: the council's total is no benchmark (rated "Not compared")
PROJECTION_NOTE = ("Projected with the method and the 80%/95% ranges calibrated on the published series of the "
                   "same frequency (the stored pool); your series itself was not part of that back-test.")


def chart_label(yours: YourData) -> str:
    """'Your data — not published (file.csv, uploaded 14:02 on 1 Dec 2026)' for charts and exports."""
    return f"{YOUR_LABEL} ({shorten(yours.file_name, CHART_FILE_CHARS)}, uploaded {yours.when})"


def your_trend_choice(yours: YourData, indicator_id: str, short_title: str, areas: pd.DataFrame,
                      council: CouncilConfig, *, districts: tuple[str, ...], divisions: tuple[str, ...],
                      comparators: tuple[str, ...]) -> AreaChoice:
    """Which of the upload's series to draw (the comparators only where the upload has them)."""
    rows = yours.observations[(yours.observations[s.INDICATOR_ID] == indicator_id)
                              & yours.observations[s.VALUE].notna()]
    return resolve_areas(set(rows[s.AREA_CODE]), areas, council, districts=districts, divisions=divisions,
                         comparators=comparators, short_title=short_title)


def your_trend_view(yours: YourData, entry: Indicator, choice: AreaChoice, horizon: int, areas: pd.DataFrame,
                    council: CouncilConfig, context: ForecastContext | None) -> TrendView:
    """The Trends view of an uploaded indicator: its series, comparators from the upload, and a projection
    (insight.forecast.project_series with the stored pool) where the history is long enough, else the
    refusal with its reason. Labelled as the user's data with the file name and upload time."""
    observations = yours.observations
    results: list[ProjectionResult] = []
    notes = list(choice.notes)
    if entry.frequency in PROJECTABLE and horizon > 0:
        for code in choice.areas:
            history = query.series(observations, entry.indicator_id, (code,))
            try:
                projection = project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency,
                                            horizon=horizon, value_type=entry.value_type, area_code=code,
                                            context=context)
            except ForecastError as error:
                results.append(ProjectionResult(code, None, refusal=str(error)))
                continue
            results.append(ProjectionResult(code, replace(projection, caveats=(*projection.caveats,
                                                                               PROJECTION_NOTE))))
    elif choice.areas:
        history = query.series(observations, entry.indicator_id, choice.areas[:1])
        try:
            project_series(history[[s.PERIOD_START, s.VALUE]], frequency=entry.frequency, horizon=1,
                           value_type=entry.value_type, context=context)
        except ForecastError as error:
            notes.append(f"No projection: {error}")
    labelled = replace(entry, source=f"{chart_label(yours)}. {entry.source.removeprefix(YOUR_LABEL + '. ')}")
    series = query.series(observations, entry.indicator_id, (*choice.areas, *choice.comparators))
    names = cast("dict[str, str]", areas.set_index(s.AREA_CODE)[s.AREA_NAME].to_dict())
    view = assemble_trend_view(labelled, series, AreaChoice(choice.areas, choice.comparators, tuple(notes)),
                               results, names, council)
    return replace(view, notes=(*yours.notes.get(entry.indicator_id, ()), *view.notes))


def usable_at(yours: YourData | None, level: str) -> list[str]:
    """Session ids of uploaded indicators with values at ``level`` and a direction of need (priority index)."""
    if yours is None or yours.indicators.empty:
        return []
    table = yours.indicators
    at_level = table[s.LEVELS].astype(str).str.split(";").map(lambda levels: level in levels)
    return table.loc[at_level & (table[s.POLARITY] != s.Polarity.NEITHER), s.INDICATOR_ID].astype(str).tolist()


def merge_priority_inputs(frame: pd.DataFrame, polarity: dict[str, s.Polarity], yours: YourData | None,
                          level: str) -> tuple[pd.DataFrame, dict[str, s.Polarity]]:
    """The index's inputs (areas x measures, latest values) with the upload's measures at ``level`` added."""
    ids = usable_at(yours, level)
    if not ids or yours is None:
        return frame, polarity
    extra = query.wide_latest(yours.observations, ids, list(frame.index))
    catalogue = yours.indicators.set_index(s.INDICATOR_ID)
    return frame.join(extra), {**polarity, **{i: s.Polarity(str(catalogue.loc[i, s.POLARITY])) for i in ids}}


def merge_priority_suppressed(suppressed: pd.DataFrame, yours: YourData | None, level: str) -> pd.DataFrame:
    """The suppressed-cell mask with the upload's measures at ``level`` added."""
    ids = usable_at(yours, level)
    if not ids or yours is None:
        return suppressed
    return suppressed.join(query.wide_suppressed(yours.observations, ids, list(suppressed.index)))


def merge_titles(titles: dict[str, str], definitions: dict[str, str],
                 yours: YourData | None) -> tuple[dict[str, str], dict[str, str]]:
    """Short titles and definitions with the upload's indicators added."""
    if yours is None or yours.indicators.empty:
        return titles, definitions
    table = yours.indicators
    return ({**titles, **dict(zip(table[s.INDICATOR_ID], table[s.SHORT_TITLE], strict=True))},
            {**definitions, **dict(zip(table[s.INDICATOR_ID], table[s.DEFINITION], strict=True))})


def merge_division_table(table: pd.DataFrame, yours: YourData | None, areas: pd.DataFrame,
                         council: CouncilConfig) -> pd.DataFrame:
    """The profile's division table with a row per division for each uploaded indicator with small-area
    values: ranked among the divisions, rated against the council's value in the upload with the upload's
    own 95% intervals (no interval or no council value: 'Not compared'; a count is never rated against the
    council's total)."""
    if yours is None or yours.indicators.empty:
        return table
    extra = division_table(yours.observations, yours.indicators, areas, council.county_code, council.england_code)
    if not extra.empty:
        counts = extra[s.VALUE_TYPE] == s.ValueType.COUNT
        # a small area's count is not comparable with the council's total: ranked, never rated against it
        extra.loc[counts, [pr.COMPARATOR_VALUE, pr.ENGLAND_VALUE, pr.POS_COMPARATOR, pr.SCORE]] = float("nan")
        extra.loc[counts, [pr.RATING, pr.RATING_ENGLAND]] = Rating.NOT_COMPARED.value
        extra.loc[counts, pr.COMPARATOR_TEXT] = COUNT_NOT_COMPARED
        shown = counts & extra[s.VALUE].notna()  # a count reads '70', not '70.0 Number of food bank referrals'
        extra.loc[shown, pr.VALUE_TEXT] = [f"{v:,.0f}" for v in extra.loc[shown, s.VALUE]]
    if extra.empty or table.empty:
        return extra if table.empty else table
    return pd.concat([table, extra.reindex(columns=table.columns)], ignore_index=True)


def merge_series_picker(picker: SeriesPicker, yours: YourData | None, areas: pd.DataFrame,
                        min_history: dict[s.Frequency, int]) -> SeriesPicker:
    """The Scenarios picker with the upload's series long enough to project (their labels say whose)."""
    if yours is None or yours.indicators.empty:
        return picker
    options = projectable_series(yours.observations, yours.indicators, min_history)
    if options.empty:
        return picker
    mine = series_picker(options, yours.indicators, areas)
    titles = yours.indicators.set_index(s.INDICATOR_ID)[s.TITLE]
    labels = {i: f"{YOUR_LABEL} — {titles.loc[i]}" for i in mine.ids}
    return SeriesPicker((*picker.ids, *mine.ids), {**picker.labels, **labels}, {**picker.areas, **mine.areas})
