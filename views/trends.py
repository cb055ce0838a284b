"""Trends & projections page view-model: which series to draw, and everything the page shows about them
(chart specs, sentences, accuracy, table, CSV). Pure: no Streamlit; components.data caches these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from insight import narrative
from insight import schema as s
from insight.config import CouncilConfig
from insight.forecast import Projection
from insight.literacy import ChartGuide
from insight.loaders import Indicator
from views.literacy import fan_guide
from views.trend_charts import (
    AREA,
    COMPARATOR,
    EXPORT_WIDTH,
    ROLE,
    SELECTED,
    build_snapshot_chart,
    build_trend_chart,
)

COMPARATOR_KINDS = ("county", "region", "england")  # in the order comparators are shown and linked


MAX_AREAS = 4


PROJECTABLE = {s.Frequency.ANNUAL, s.Frequency.MONTHLY}


@dataclass(frozen=True)
class AreaChoice:
    """The series to show: chosen areas (after the division -> district fallback) and comparators."""

    areas: tuple[str, ...]
    comparators: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectionResult:
    """One area's projection, or why there is none."""

    area_code: str
    projection: Projection | None
    refusal: str | None = None
    live: bool = False


@dataclass(frozen=True)
class TrendView:
    """Everything the page shows, computed once per selection (components.data caches it)."""

    title: str
    subtitle: str
    description: str
    source: str
    spec: dict[str, Any]
    export_spec: dict[str, Any]
    summary: tuple[str, ...]
    accuracy: tuple[tuple[str, str], ...]  # (area name, sentence)
    caveats: tuple[str, ...]  # the three that matter most (U3)
    more_caveats: tuple[str, ...]
    notes: tuple[str, ...]
    table: pd.DataFrame
    csv: bytes
    has_projection: bool = False
    refusals: tuple[str, ...] = field(default=())
    guide: ChartGuide | None = None  # "How to read this: a fan chart", with this chart's own example


def comparable_kinds(entry: Indicator, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The comparators a chart of this indicator can draw on one axis: none for a count (England's millions
    of guest nights would flatten a district's line to zero)."""
    return () if entry.value_type == s.ValueType.COUNT else tuple(kinds)


def count_comparison_note(entry: Indicator, places: list[str], comparator_names: list[str]) -> str:
    """Why a count is drawn without its comparators (the places drawn are not among them)."""
    others = [name for name in comparator_names if name not in places]
    larger = (", ".join(others[:-1]) + " and " + others[-1]) if len(others) > 1 else (others or ["larger areas"])[0]
    return (f"{entry.short_title} is a count, so {larger} {'is' if len(others) == 1 else 'are'} not drawn beside "
            f"{', '.join(places)}: far larger numbers would flatten its line. To compare places, choose several "
            "districts of similar size, or use a rate.")


def comparator_codes(council: CouncilConfig) -> dict[str, str]:
    """Comparator kind -> area code."""
    return dict(zip(COMPARATOR_KINDS, council.comparator_codes, strict=True))


def resolve_areas(available: set[str], areas: pd.DataFrame, council: CouncilConfig, *,
                  districts: tuple[str, ...], divisions: tuple[str, ...],
                  comparators: tuple[str, ...], short_title: str) -> AreaChoice:
    """Which series to draw for the chosen districts and divisions.

    Nothing chosen: the county. A division without a series of this indicator shows its main district's
    series instead, and says so. At most MAX_AREAS areas; comparators already shown as areas are dropped.
    """
    names = cast("dict[str, str]", areas.set_index(s.AREA_CODE)[s.AREA_NAME].to_dict())
    parents = areas.set_index(s.AREA_CODE)[s.PARENT_CODE].to_dict()
    notes: list[str] = []
    chosen: list[str] = []
    for code in divisions:
        if code in available:
            chosen.append(code)
            continue
        parent = parents.get(code)
        if parent in available:
            chosen.append(str(parent))
            notes.append(f"{names.get(code, code)} {council.area_word} has no {short_title.lower()} series of its own, so "
                         f"its district's series ({names.get(parent, parent)}) is shown instead.")
        else:
            notes.append(f"{names.get(code, code)} {council.area_word} has no {short_title.lower()} series, nor does its "
                         "district.")
    for code in districts:
        if code in available:
            chosen.append(code)
        else:
            notes.append(f"{names.get(code, code)} has no {short_title.lower()} series.")
    chosen = list(dict.fromkeys(chosen))
    if not chosen:
        chosen, fallback_note = _fallback_areas(available, names, council, short_title,
                                                filtered=bool(districts or divisions))
        notes.extend(fallback_note)
    if len(chosen) > MAX_AREAS:
        notes.append(f"Showing the first {MAX_AREAS} of {len(chosen)} chosen areas: more lines would not be "
                     f"readable. Narrow the district or {council.area_word} filter to choose others.")
        chosen = chosen[:MAX_AREAS]
    if council.divisions_approximate and any(parents.get(code) and code in chosen for code in divisions):
        notes.append(s.APPROXIMATE_BOUNDARIES_NOTICE)
    codes = comparator_codes(council)
    shown = tuple(codes[k] for k in comparators if k in codes and codes[k] in available and codes[k] not in chosen)
    missing = [names.get(codes[k], k) for k in comparators if k in codes and codes[k] not in available]
    if missing and chosen:
        notes.append(f"No {short_title.lower()} figure is published for {' or '.join(missing)}, so "
                     f"{'it is' if len(missing) == 1 else 'they are'} not drawn.")
    return AreaChoice(tuple(chosen), shown, tuple(notes))


def _fallback_areas(available: set[str], names: dict[str, str], council: CouncilConfig, short_title: str, *,
                    filtered: bool) -> tuple[list[str], tuple[str, ...]]:
    """What to show when no chosen area has a series: the county, else the wider areas it is published for."""
    if council.county_code in available:
        note = (f"None of the chosen areas has a {short_title.lower()} series of its own, so "
                f"{council.short_name} is shown.",) if filtered else ()
        return [council.county_code], note
    wider = [c for c in (council.region_code, council.england_code) if c in available]
    if not wider:
        return [], ()
    published = " and ".join(names.get(c, c) for c in wider)
    return wider, (f"{short_title} is published only for {published}, not for {council.short_name} or its "
                   "districts, so that is what is shown.",)


def _value_format(entry: Indicator) -> str:
    return ",.0f" if entry.value_type == s.ValueType.COUNT else ",.1f"


def assemble_trend_view(entry: Indicator, observations: pd.DataFrame, choice: AreaChoice,
                        results: list[ProjectionResult], names: dict[str, str],
                        council: CouncilConfig) -> TrendView:
    """Chart specs, sentences, table and CSV for the chosen series (pure)."""
    kinds = {names[code]: kind for kind, code in comparator_codes(council).items()
             if code in names and code in choice.comparators}  # a chosen area is drawn solid, not as a comparator
    order = list(choice.areas) + list(choice.comparators)
    obs = observations[observations[s.AREA_CODE].isin(order)].copy()
    obs[AREA] = obs[s.AREA_CODE].map(names)
    obs[ROLE] = obs[s.AREA_CODE].map(lambda c: SELECTED if c in choice.areas else COMPARATOR)
    obs["_order"] = obs[s.AREA_CODE].map({c: i for i, c in enumerate(order)})
    obs = obs.sort_values(["_order", s.PERIOD_START]).drop(columns="_order").reset_index(drop=True)

    projected = []
    for r in results:  # label projected periods like the observed ones ("2029/30" after "2024/25")
        if r.projection is None:
            continue
        frame = r.projection.frame.copy()
        shown = obs[(obs[s.AREA_CODE] == r.area_code) & obs[s.VALUE].notna()]
        last_label = str(shown[s.PERIOD_LABEL].iloc[-1]) if not shown.empty else ""
        frame[s.PERIOD_LABEL] = narrative.projected_labels(list(frame[s.PERIOD_START]), entry.frequency, last_label)
        projected.append(ProjectionResult(r.area_code, Projection(frame, r.projection.method, r.projection.backtest,
                                                                  r.projection.caveats), r.refusal, r.live))
    results = [next((p for p in projected if p.area_code == r.area_code), r) for r in results]
    proj_frames = []
    for r in projected:
        assert r.projection is not None  # projected holds only results with a projection
        frame = r.projection.frame.copy()
        frame[AREA] = names.get(r.area_code, r.area_code)
        frame[s.AREA_CODE] = r.area_code
        proj_frames.append(frame)
    projections = pd.concat(proj_frames, ignore_index=True) if proj_frames else pd.DataFrame()

    stories = {code: narrative.describe_trend(
        names.get(code, code), obs[obs[s.AREA_CODE] == code], unit=entry.unit, value_type=entry.value_type,
        polarity=entry.polarity, frequency=entry.frequency, measure=entry.short_title) for code in choice.areas}
    observed_values = obs[obs[s.VALUE].notna()]
    first_label = str(observed_values.sort_values(s.PERIOD_START)[s.PERIOD_LABEL].iloc[0]) \
        if not observed_values.empty else ""
    last_label = str(observed_values.sort_values(s.PERIOD_START)[s.PERIOD_LABEL].iloc[-1]) \
        if not observed_values.empty else ""
    horizon_label = projections[s.PERIOD_LABEL].iloc[-1] if not projections.empty else None
    snapshot = observed_values[s.PERIOD_START].nunique() == 1
    if snapshot:
        title = narrative.snapshot_title(entry.short_title, first_label, [
            (str(name), float(value)) for name, value in zip(observed_values[AREA], observed_values[s.VALUE],
                                                             strict=True)])
    else:
        title = narrative.chart_title_for_areas(entry.short_title, [names.get(c, c) for c in choice.areas],
                                                [stories[c].marker for c in choice.areas], projected=bool(projected))
    subtitle = narrative.chart_subtitle(f"{entry.title} ({entry.unit})", [names[c] for c in order if c in names],
                                        first_label, last_label, horizon_label)
    source = entry.source_line

    summary: list[str] = []
    by_code = {r.area_code: r for r in results}
    for code in choice.areas:
        summary.append(stories[code].sentence)
        result = by_code.get(code)
        if result and result.projection is not None:
            summary.append(narrative.describe_projection(names.get(code, code), result.projection,
                                                         unit=entry.unit, value_type=entry.value_type,
                                                         frequency=entry.frequency, measure=entry.short_title))
    latest = observed_values.sort_values(s.PERIOD_START).groupby(s.AREA_CODE).tail(1).set_index(s.AREA_CODE)
    comparison = narrative.describe_comparators(
        [(names[c], str(latest.loc[c, s.PERIOD_LABEL]), float(cast(float, latest.loc[c, s.VALUE])))
         for c in choice.comparators if c in latest.index], unit=entry.unit, value_type=entry.value_type)
    if comparison:
        summary.append(comparison)

    accuracy = tuple((names.get(r.area_code, r.area_code), _accuracy_sentence(r.projection)) for r in projected
                     if r.projection is not None)
    refusals = tuple(f"{names.get(r.area_code, r.area_code)}: no projection. {r.refusal}"
                     for r in results if r.refusal)
    lead = projected[0].projection.caveats if projected and projected[0].projection is not None else ()
    caveats, more = tuple(lead[:3]), tuple(lead[3:])
    if any(r.live for r in projected):
        more = (*more, "Some projections were computed live because they were not in the precomputed file.")

    areas_text = ", ".join(names.get(c, c) for c in choice.areas)
    against = f" against {', '.join(names[c] for c in choice.comparators)}" if choice.comparators else ""
    if snapshot:
        description = f"Bar chart of {entry.short_title} for {areas_text}{against}, {first_label}. {title}."
        chart = build_snapshot_chart(obs, title=title, subtitle=subtitle, source=source, unit=entry.unit,
                                     description=description, comparator_kinds=kinds,
                                     value_format=_value_format(entry))
    else:
        description = (f"Line chart of {entry.short_title} for {areas_text}{against}, {first_label} to {last_label}"
                       + (f", with a projection to {horizon_label} (80% and 95% ranges)" if projected else "")
                       + f". {title}.")
        chart = build_trend_chart(obs, projections, title=title, subtitle=subtitle, source=source, unit=entry.unit,
                                  description=description, comparator_kinds=kinds,
                                  value_format=_value_format(entry),
                                  monthly=entry.frequency == s.Frequency.MONTHLY)
    spec = chart.to_dict(validate=False)
    export_spec = {**spec, "width": EXPORT_WIDTH}  # the same chart at a fixed width for PNG/SVG
    export_spec.pop("autosize", None)
    table = trend_table(obs, projections)
    return TrendView(title=title, subtitle=subtitle, description=description, source=source,
                     spec=spec, export_spec=export_spec,
                     summary=tuple(summary), accuracy=accuracy, caveats=caveats, more_caveats=more,
                     notes=choice.notes, table=table, csv=trend_csv(table, entry), has_projection=bool(projected),
                     refusals=refusals, guide=fan_guide(table, entry))


def _accuracy_sentence(projection: Projection) -> str:
    backtest = projection.backtest
    if backtest is None:
        return "No leak-free test of this projection is available."
    return backtest.summary  # leak-free figures, worded in insight.forecast.accuracy


def trend_table(observed: pd.DataFrame, projections: pd.DataFrame) -> pd.DataFrame:
    """Observed values and projections as one readable table (the chart's 'view as table')."""
    obs = pd.DataFrame({
        "Area": observed[AREA], "Period": observed[s.PERIOD_LABEL],
        "Kind": observed[ROLE].map({SELECTED: "observed", COMPARATOR: "observed (comparator)"}),
        "Value": observed[s.VALUE], "Lower 95%": observed[s.LOWER_95], "Upper 95%": observed[s.UPPER_95],
        "Lower 80%": float("nan"), "Upper 80%": float("nan"),
        "Flag": observed[s.FLAG].fillna("") if s.FLAG in observed else "",
    })
    if projections.empty:
        return obs.reset_index(drop=True)
    proj = pd.DataFrame({
        "Area": projections[AREA], "Period": projections[s.PERIOD_LABEL], "Kind": "projection",
        "Value": projections["point"], "Lower 95%": projections["lower_95"], "Upper 95%": projections["upper_95"],
        "Lower 80%": projections["lower_80"], "Upper 80%": projections["upper_80"], "Flag": "",
    })
    return pd.concat([obs, proj], ignore_index=True)


def trend_csv(table: pd.DataFrame, entry: Indicator) -> bytes:
    """The table as CSV with the indicator, unit, source and licence on every row (E3)."""
    out = table.copy()
    out.insert(0, "indicator", entry.title)
    out.insert(1, "unit", entry.unit)
    out["note"] = out["Kind"].map(lambda k: "PROJECTION: extends past trends only; ignores policy changes and "
                                            "shocks" if k == "projection" else "")
    out["source_and_licence"] = entry.source_line
    return out.to_csv(index=False).encode("utf-8")


def file_slug(*parts: str) -> str:
    """A safe file name stem from words."""
    text = "-".join(parts).lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def png_of(spec: dict[str, Any]) -> Callable[[], bytes]:
    """A deferred PNG export of a chart spec (runs only when the download is clicked; vl-convert, offline)."""
    def make() -> bytes:
        import vl_convert as vlc

        return vlc.vegalite_to_png(spec, scale=2)
    return make


def svg_of(spec: dict[str, Any]) -> Callable[[], bytes]:
    """A deferred SVG export of a chart spec."""
    def make() -> bytes:
        import vl_convert as vlc

        return vlc.vegalite_to_svg(spec).encode("utf-8")
    return make
