"""The agenda pack: a cover page, then one tagged A4 page per saved view with its chart, figures and speaker note.

Pure (no st.* calls). Figures are computed from the data in ``context`` (the app's current version); when that is
not the version the agenda was made with, the cover says so and each changed view lists what changed
(``insight.changes.changes_since``). Titles and notes are the officer's own text: escaped, never interpreted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from insight import priority as pri
from insight import profile as pr
from insight import query
from insight import schema as s
from insight.agenda import PAGE_LABELS, Agenda, Page, View
from insight.changes import AgendaChanges, ViewChanges, changes_since, figure_label
from insight.loaders import get_indicator, load_boundaries
from insight.scenarios import apply_scenario, describe_scenario, population_effect_for, scenarios_from_query
from insight.signals import series_info
from insight.snapshot import (
    FigureContext,
    overview_place,
    priority_result,
    projection_for,
    scenario_series,
    trend_areas,
    trend_horizon,
    view_figures,
)
from views.committee_pack import (
    CONTRIBUTION_ROW,
    JUDGEMENT_NOTE,
    document,
    figure_html,
    flex,
    paragraphs,
    table_html,
    text,
)
from views.pack_charts import (
    TrendPanel,
    VegaPicture,
    contribution_figure,
    map_aspect,
    one_text_size,
    priority_map,
    spine_picture,
    trend_panel,
)
from views.pack_layout import CONTENT_WIDTH, FittedDocument, Flex, PageSpec, fit_pages
from views.priority import contribution_finding
from views.scenario_charts import build_scenario_chart, compact_scenario_spec
from views.signal_marks import mark_chart, marks_sentence, shown_targets
from views.words import AreaWords

MAX_FIGURE_ROWS = 24  # figures listed on a view's page (the chart carries the rest)
TRIM_ROWS = 6  # figures dropped from a view's table at each compaction level, when the page would overflow
NOTE_SHORT = 600  # characters of a speaker note kept at the last compaction level
CELL_GAP = 8
CELL_WIDTH = (CONTENT_WIDTH - 2 * CELL_GAP) // 3


def page_label(page: Page, words: AreaWords) -> str:
    """The dashboard page's name as the app shows it ("Ward profile" for a council of wards)."""
    return f"{words.word.capitalize()} profile" if page is Page.DIVISION_PROFILE else PAGE_LABELS[page]


def _names(context: FigureContext, codes: tuple[str, ...]) -> str:
    return ", ".join(context.names.get(c, c) for c in codes)


def describe_params(view: View, context: FigureContext) -> str:
    """What the view shows, in words ("Trends & projections · Claimant count · Tendring · 3 years ahead")."""
    p = view.params
    titles = dict(zip(context.dataset.indicators[s.INDICATOR_ID], context.dataset.indicators[s.SHORT_TITLE],
                      strict=True))
    parts = [page_label(view.page, AreaWords.of_areas(context.config, context.dataset.areas))]
    if view.page is Page.OVERVIEW:
        parts.append(context.names.get(overview_place(p, context), ""))
    elif view.page is Page.TRENDS:
        areas, comparators = trend_areas(p, context)
        parts += [titles.get(p.indicator or context.settings.default_indicator, ""), _names(context, areas)]
        if comparators:
            parts.append("compared with " + _names(context, comparators))
        horizon = trend_horizon(p, context)
        if horizon:
            parts.append(f"projected {horizon} periods ahead")
    elif view.page is Page.PRIORITY_MAP:
        weights = p.weights or context.settings.default_weights
        parts.append("weights " + ", ".join(f"{titles.get(i, i)} {w}" for i, w in weights))
        parts.append(f"normalisation {p.norm or 'zscore'}")
        if p.division:
            parts.append("looking at " + context.names.get(p.division, p.division))
    elif view.page is Page.DIVISION_PROFILE and p.division:
        parts.append(context.names.get(p.division, p.division))
    elif view.page is Page.SCENARIOS:
        chosen = scenario_series(p, context)
        if chosen is not None:
            illustrative, indicator_id, area, horizon = chosen
            parts += [titles.get(indicator_id, indicator_id), context.names.get(area, area), f"{horizon} ahead"]
            if illustrative:
                parts.append("ILLUSTRATIVE DATA — NOT REAL")
    return " · ".join(x for x in parts if x)


# ---- the chart of each page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ViewBody:
    """The chart part of a view's page: its HTML with each flexible picture in place, and the pictures."""

    html: Callable[[Mapping[str, str], bool], str]  # (pictures, full: False drops what the view can spare)
    flexes: tuple[Flex, ...] = ()


def _static(html: str) -> ViewBody:
    """A view body without pictures."""

    def body(pictures: Mapping[str, str], full: bool = True) -> str:  # noqa: ARG001 - always the same
        return html

    return ViewBody(body)


def _words(context: FigureContext) -> AreaWords:
    return AreaWords.of_areas(context.config, context.dataset.areas)


def _overview_chart(view: View, context: FigureContext) -> ViewBody:
    place = overview_place(view.params, context)
    england = context.config.england_code
    cells: list[tuple[str, str]] = []
    flexes: list[Flex] = []
    sources: list[str] = []
    for indicator_id in context.settings.headline_ids:
        entry = get_indicator(context.dataset.indicators, indicator_id)
        series = query.series(context.dataset.observations, indicator_id, (place, england))
        if series[(series[s.AREA_CODE] == place) & series[s.VALUE].notna()].empty:
            continue
        panel = trend_panel(entry, series, place, [england], context.names, {england: "england"}, None,
                            history_years=10)
        index = len(cells)
        key = f"overview-{index}"
        cells.append((key, panel.title))
        flexes.append(replace(flex(key, panel.figure, CELL_WIDTH, 150, 240), row=f"row-{index // 3}"))
        sources.append(entry.source_line)

    def html(pictures: Mapping[str, str], full: bool = True) -> str:
        rows = ["<tr>" + "".join(f'<td><h3>{text(title)}</h3>{pictures[key]}</td>' for key, title in cells[i:i + 3])
                + "</tr>" for i in range(0, len(cells), 3)]
        return (f'<table class="cells" role="presentation"><tbody>{"".join(rows)}</tbody></table>'
                f'<p class="small muted">{text(" ".join(dict.fromkeys(sources)))}</p>')

    return ViewBody(html, tuple(flexes))


def _with_target_lines(panel: TrendPanel, view: View, context: FigureContext, areas: Sequence[str]) -> TrendPanel:
    """The panel with the view's target lines drawn and named in its alt text (as on the Trends page)."""
    if not view.params.targets:
        return panel
    catalogue = context.dataset.indicators
    row = catalogue[catalogue[s.INDICATOR_ID] == panel.indicator_id].iloc[0].to_dict()
    all_areas = context.dataset.areas
    rows = {str(r[s.AREA_CODE]): r for r in all_areas[all_areas[s.AREA_CODE].isin(areas)].to_dict("records")}
    shown = shown_targets(view.params.targets, [series_info(row, rows[c]) for c in areas if c in rows])
    if not shown:
        return panel
    spec = one_text_size(mark_chart(panel.figure.spec, (), shown))
    figure = replace(panel.figure, spec=spec, alt=f"{panel.figure.alt} {marks_sentence((), shown)}", _memo={})
    return replace(panel, figure=figure)


def _trends_chart(view: View, context: FigureContext) -> ViewBody:
    p = view.params
    indicator_id = p.indicator or context.settings.default_indicator
    entry = get_indicator(context.dataset.indicators, indicator_id)
    areas, comparators = trend_areas(p, context)
    if not areas:
        return _static("<p>No area has a series of this measure.</p>")
    codes = dict(zip(("county", "region", "england"), context.config.comparator_codes, strict=True))
    kinds = {code: kind for kind, code in codes.items()}
    horizon = trend_horizon(p, context)
    series = query.series(context.dataset.observations, indicator_id, (*areas, *comparators))
    projection = projection_for(context, indicator_id, areas[0], horizon) if horizon else None
    panel = _with_target_lines(trend_panel(entry, series, areas[0], comparators, context.names, kinds, projection,
                                           also_chosen=areas[1:]), view, context, areas)
    words = [f"<p>{text(panel.story)}</p>"]
    if panel.projection:
        words.append(f"<p>{text(panel.projection)}</p><p class=\"muted small\">{text(panel.accuracy)}</p>")
        words.append("<p class=\"small\">" + text(" ".join(panel.caveats[:1])) + "</p>")

    def html(pictures: Mapping[str, str], full: bool = True) -> str:
        return f"<h3>{text(panel.title)}</h3>" + figure_html(pictures["trend"], caption=panel.figure.caption) + \
            "".join(words)

    return ViewBody(html, (flex("trend", panel.figure, CONTENT_WIDTH, 200, 420),))


@dataclass(frozen=True, eq=False)
class _MapAtHeight:
    """A map drawn at the width its height allows (its outline's aspect ratio), never wider than the page."""

    picture: VegaPicture
    aspect: float

    @property
    def alt(self) -> str:
        return self.picture.alt

    def draw(self, width: int, height: int):  # noqa: ANN201 - PackFigure
        return self.picture.draw(min(width, round(height / self.aspect)), height)


def _priority_chart(view: View, context: FigureContext) -> ViewBody:
    p = view.params
    result = priority_result(p, context)
    words = _words(context)
    titles = dict(zip(context.dataset.indicators[s.INDICATOR_ID], context.dataset.indicators[s.SHORT_TITLE],
                      strict=True))
    classes = {str(c): str(k) for c, k in result.table[pri.PRIORITY_CLASS].items()}
    boundaries = load_boundaries(s.Level.DIVISION, context.data_dir)
    aspect = map_aspect(boundaries)
    pmap = _MapAtHeight(priority_map(boundaries, classes, p.division, context.names, words), aspect)
    caption = (f"{words.plural.capitalize()} by priority class (quintiles of rank)"
               + ("; black outline: " + context.names.get(p.division, p.division) if p.division else "") + "."
               + (" Boundaries approximate." if words.approximate else ""))
    legend = " · ".join(f"{name}" for name in (*pri.CLASS_NAMES, pri.NOT_RANKED))
    after = ""
    if p.division and p.division in result.contributions.index:
        name = context.names.get(p.division, p.division)
        contributions = result.contributions_of(p.division)
        picture = contribution_figure(contributions, result.weights, titles, name)
        after = (f"<h3>{text(contribution_finding(contributions, titles, name))}</h3>"
                 + figure_html(picture.draw(CONTENT_WIDTH, 44 + max(picture.rows, 1) * CONTRIBUTION_ROW[0] + 4)))

    def html(pictures: Mapping[str, str], full: bool = True) -> str:
        return (figure_html(pictures["map"], caption=f"{caption} Classes, most to least need: {legend}.")
                + after)

    high = min(round(CONTENT_WIDTH * aspect), 560)
    return ViewBody(html, (flex("map", pmap, CONTENT_WIDTH, min(220, high), high),))


def _profile_chart(view: View, context: FigureContext) -> ViewBody:
    division = view.params.division
    if division is None:
        return _static("")
    profile = pr.build_division_profile(context.division_table, division, context.config.short_name)
    spine = spine_picture(profile.frame, name=profile.name, comparator=context.config.short_name,
                          words=_words(context))

    def html(pictures: Mapping[str, str], full: bool = True) -> str:
        return (f"<p>{text(profile.summary.text)}</p>" if full else "") + figure_html(pictures["spine"])

    return ViewBody(html, (flex("spine", spine, spine.width, spine.low, spine.high, spine.rows),))


def _scenario_chart(view: View, context: FigureContext) -> ViewBody:
    chosen = scenario_series(view.params, context)
    if chosen is None:
        return _static("")
    illustrative, indicator_id, area, horizon = chosen
    projection = projection_for(context, indicator_id, area, horizon, illustrative)
    if projection is None:
        return _static("<p>This series cannot be projected.</p>")
    entry = get_indicator(context.dataset.indicators, indicator_id)
    history = query.series(context.observations_for(illustrative), indicator_id, (area,))
    history = history[history[s.VALUE].notna()].tail(12 if entry.frequency == s.Frequency.ANNUAL else 60)
    results = []
    scenarios = scenarios_from_query(view.params.scenarios)
    for scenario in scenarios:
        results.append((scenario.name, apply_scenario(projection.frame, scenario, population_effect=
                                                      population_effect_for(entry.value_type, entry.unit))))
    name = context.names.get(area, area)
    alt_text = (f"Line chart of {entry.short_title} for {name}: observed values, the baseline projection and "
                f"{len(results)} scenario(s), each with its 80% range.")
    spec = build_scenario_chart(history, projection.frame, results, title="", subtitle="", unit=entry.unit,
                                source_line=entry.source_line, caveat="Projection: extends past trends only.",
                                description=alt_text, illustrative=illustrative)
    # The source and caveat ride in the x-axis title on screen; here they are text. The legends in rows of three
    # (in one row they were wider than the page, and the chart was drawn with the narrowest plot of all).
    spec = compact_scenario_spec({k: v for k, v in spec.items() if k != "title"}, legend_columns=3,
                                 dash_legend="bottom", label_limit=200)
    picture = VegaPicture(one_text_size(spec), alt_text,
                          f"Projection: it extends past trends only. {entry.source_line}")
    levers = "".join(f"<li>{text(describe_scenario(sc, unit=entry.unit))}</li>" for sc in scenarios)

    def html(pictures: Mapping[str, str], full: bool = True) -> str:
        return (figure_html(pictures["scenario"], caption=picture.caption)
                + (f"<h3>What each scenario assumes</h3><ul>{levers}</ul>" if levers else "")
                + '<p class="small">A scenario shows what follows from its stated assumptions, not what will '
                  "happen.</p>")

    return ViewBody(html, (flex("scenario", picture, CONTENT_WIDTH, 240, 600),))


_CHARTS = {Page.OVERVIEW: _overview_chart, Page.TRENDS: _trends_chart, Page.PRIORITY_MAP: _priority_chart,
           Page.DIVISION_PROFILE: _profile_chart, Page.SCENARIOS: _scenario_chart}


# ---- pages ------------------------------------------------------------------------------------------

def _changes_html(changes: ViewChanges | None, listed: int = 8) -> str:
    """What changed in a view since its agenda was made: up to ``listed`` changes in full (0: one sentence)."""
    if changes is None or not changes.changed:
        return ""
    if not changes.detailed:
        return ('<div class="changes"><p><strong>Changed since the agenda was made.</strong> The figures in this '
                "view differ from those the agenda was prepared with (the link form keeps no details; the agenda "
                "file does).</p></div>")
    if listed == 0:
        count = len(changes.details)
        return (f'<div class="changes"><p><strong>Changed since the agenda was made:</strong> {count} figure'
                f'{"s" if count != 1 else ""} of this view (the figures table shows their values now).</p></div>')
    items = "".join(f"<li>{text(c.sentence)}</li>" for c in changes.details[:listed])
    more = f"<li>… and {len(changes.details) - listed} more.</li>" if len(changes.details) > listed else ""
    return (f'<div class="changes"><p><strong>Changed since the agenda was made</strong></p><ul>{items}{more}'
            "</ul></div>")


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5, 7, 8] -> '1–3, 5, 7 and 8' (runs of three or more as a range)."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts: list[str] = []
    for run in runs:
        parts += [f"{run[0]}–{run[-1]}"] if len(run) >= 3 else [str(n) for n in run]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


def _clip(value: str, limit: int) -> str:
    """A title cut at a word to at most ``limit`` characters, with an ellipsis (for the footer only)."""
    return value if len(value) <= limit else value[:limit - 1].rsplit(" ", 1)[0] + "…"


def _shortened(note: str, limit: int) -> str:
    """A speaker note cut at a word to about ``limit`` characters, saying so."""
    if len(note) <= limit:
        return note
    return note[:limit].rsplit(" ", 1)[0] + " … (shortened to fit the page; the full note is in the agenda file)"


def _view_page(number: int, view: View, context: FigureContext, changes: ViewChanges | None) -> PageSpec:
    """One view's page. If it would overflow with its chart at its smallest, it shortens step by step: the
    figures table loses TRIM_ROWS rows at a time (saying how many more the agenda file holds), then the list
    of changes and the speaker note are shortened (each says so), then a profile's summary sentence goes."""
    figures = view_figures(view, context)
    titles = dict(zip(context.dataset.indicators[s.INDICATOR_ID], context.dataset.indicators[s.SHORT_TITLE],
                      strict=True))
    rows = _figure_rows(figures[:MAX_FIGURE_ROWS], context, titles) if view.page is not Page.DIVISION_PROFILE else []
    hidden = max(len(figures) - MAX_FIGURE_ROWS, 0) if rows else 0
    chart = _CHARTS[view.page](view, context)
    head = f"<h2>{number}. {text(view.title)}</h2><p class=\"sub\">{text(describe_params(view, context))}</p>"
    details = len(changes.details) if changes is not None and changes.changed else 0
    steps = ["rows"] * math.ceil(len(rows) / TRIM_ROWS)
    steps += ["changes"] * (details > 3) + ["note"] * (len(view.note) > NOTE_SHORT)
    steps += ["changes"] * (details > 0) + ["note"] * (len(view.note) > NOTE_SHORT // 2)
    steps += ["summary"] * (view.page is Page.DIVISION_PROFILE) + ["note"] * (len(view.note) > NOTE_SHORT // 4)

    def html(pictures: Mapping[str, str], level: int) -> str:
        done = steps[:level]
        listed = (8, 3, 0)[min(done.count("changes"), 2)]
        body = [head, _changes_html(changes, listed), chart.html(pictures, "summary" not in done)]
        keep = max(len(rows) - TRIM_ROWS * done.count("rows"), 0)
        if keep:
            more = len(rows) - keep + hidden
            body.append("<h3>Figures in this view</h3>" + table_html(("Figure", "Value", "Period"), rows[:keep],
                                                                     "sources")
                        + (f'<p class="small muted">… and {more} more figure{"s" if more != 1 else ""} in the '
                           "agenda file and the view's CSV download.</p>" if more else ""))
        elif rows:
            body.append(f'<p class="small muted">The {len(rows) + hidden} figures of this view are in the agenda '
                        "file and the view's CSV download.</p>")
        if view.note:
            note = _shortened(view.note, (len(view.note), NOTE_SHORT, NOTE_SHORT // 2,
                                          NOTE_SHORT // 4)[min(done.count("note"), 3)])
            body.append(f'<div class="speaker"><h3>Speaker note</h3>{paragraphs(note)}</div>')
        if view.page is Page.PRIORITY_MAP:
            body.append(f'<p class="notice">{text(JUDGEMENT_NOTE)}</p>')
        return "".join(body)

    return PageSpec(html, chart.flexes, levels=len(steps), name=f"view {number}")


def _figure_rows(figures: tuple, context: FigureContext, titles: dict[str, str]) -> list[tuple[str, str, str]]:
    """One row per figure; a rating joins its value's row ("4.0% · Similar to England")."""
    ratings = {":".join(f.key.split(":")[1:3]): f for f in figures if f.key.startswith("rating:")}
    rows = []
    for figure in figures:
        if figure.key.startswith("rating:"):
            continue
        shown = figure.text
        rating = ratings.get(":".join(figure.key.split(":")[1:3])) if figure.key.startswith("value:") else None
        if rating is not None:
            against = context.names.get(rating.key.split(":")[3], "")
            shown += f" · {rating.text}" + (f" (v {against})" if against else "")
        rows.append((figure_label(figure.key, context.names, titles), shown, figure.period))
    return rows


def _cover(agenda: Agenda, changes: AgendaChanges, produced: date, context: FigureContext) -> PageSpec:
    """The cover: the agenda, whether the data changed since it was made, and how to read the figures. With
    many items it shortens step by step: the list of changed items becomes one sentence, the reading notes go
    (each view's page carries its own caveats), then the agenda table is set tighter (9 pt)."""
    words = _words(context)
    rows = [(str(n), page_label(v.page, words), v.title) for n, v in enumerate(agenda.views, start=1)]
    changed = [v for v in changes.views if v.changed]
    status = "changes" if changed else "box"
    changed_items = [f"Item {v.number}, {v.title}: "
                     + (f"{len(v.details)} figure(s) changed" if v.detailed else "figures changed") for v in changed]
    about = ["Ratings compare an area's 95% confidence interval with its comparator: Better or Worse when the "
             "interval lies wholly on one side, Similar when it overlaps, Not compared without an interval.",
             "Projections only extend past trends; their 80% and 95% ranges come from a leak-free back-test, and "
             "each projection's page gives that test's result.",
             "Census counts are published under disclosure control (1 to 7 suppressed, others rounded to 5); a "
             "suppressed value is never imputed into a rating, a rank or the priority index.",
             "Each page lists the figures it shows; the same figures can be downloaded as CSV from the dashboard."]
    top = (f"<h1>{text(agenda.title)}</h1>"
           f'<p class="sub">Meeting of {agenda.meeting.day} {agenda.meeting:%B %Y} · produced '
           f"{produced.day} {produced:%B %Y}</p>")
    closing = (f'<p class="notice">{text(JUDGEMENT_NOTE)}</p>'
               + (f'<p class="notice">{text(s.APPROXIMATE_BOUNDARIES_NOTICE)}</p>' if words.approximate else "")
               + f'<p class="small muted">{text(s.OGL_ATTRIBUTION)}</p>')
    short_closing = ('<p class="small muted">' + text(" ".join([JUDGEMENT_NOTE, *([s.APPROXIMATE_BOUNDARIES_NOTICE]
                                                                             if words.approximate else []),
                                                                 s.OGL_ATTRIBUTION])) + "</p>")
    steps = ["changes"] * bool(changed_items) + ["reading", "table", "closing", "title"]

    def html(pictures: Mapping[str, str], level: int) -> str:  # noqa: ARG001 - no pictures
        done = steps[:level]
        if changed_items and "changes" not in done:
            listed = "<ul>" + "".join(f"<li>{text(item)}</li>" for item in changed_items) + "</ul>"
        elif changed_items:
            numbers = [v.number for v in changed]
            listed = f"<p>Changed: item{'s' if len(numbers) > 1 else ''} {text(_ranges(numbers))}.</p>"
        else:
            listed = ""
        reading = ("<h2>Reading the figures</h2><ul>" + "".join(f"<li>{text(a)}</li>" for a in about) + "</ul>"
                   if "reading" not in done else "")
        table = table_html(("Item", "Dashboard page", "View"), rows, "agenda tight" if "table" in done else "agenda")
        intro = "<p>Each item has a page of its own, in this order, with its speaker note.</p>" \
            if "closing" not in done else ""
        heading = top.replace("<h1>", '<h1 class="long">', 1) if "title" in done else top
        return (heading + f'<div class="{status}"><p>{text(changes.summary)}</p>{listed}</div>'
                + "<h2>Agenda</h2>" + intro + table + reading + (short_closing if "closing" in done else closing))

    return PageSpec(html, levels=len(steps), name="cover")


AGENDA_CSS = """
table.cells { table-layout: fixed; }
table.cells td { border: none; padding: 0 __GAP__px 3mm 0; width: 33%; vertical-align: top; }
table.cells h3 { font-size: 9pt; margin: 0 0 1mm 0; }
table.agenda { font-size: 10pt; }
table.agenda td, table.agenda th { padding: 1.6mm 2mm; }
table.agenda th:first-child { width: 9%; }
table.agenda th:nth-child(2) { width: 26%; }
table.agenda.tight { font-size: 9pt; line-height: 1.15; }
h1.long { font-size: 14pt; }
table.agenda.tight td, table.agenda.tight th { padding: 0.5mm 1.5mm; }
""".replace("__GAP__", str(CELL_GAP))


def agenda_pack_pages(agenda: Agenda, context: FigureContext, produced: date) -> list[PageSpec]:
    """The agenda pack's pages: a cover, then one page per view."""
    changes = changes_since(agenda, context)
    by_number = {v.number: v for v in changes.views}
    return [_cover(agenda, changes, produced, context),
            *(_view_page(n, view, context, by_number.get(n)) for n, view in enumerate(agenda.views, start=1))]


def agenda_wrap(agenda: Agenda, context: FigureContext) -> Callable[[str], str]:
    """The agenda pack's whole HTML document around its pages' HTML (title, footer stamp, styles)."""

    def wrap(body: str) -> str:
        return document(agenda.title, f"{_clip(agenda.title, 48)} · {context.version.stamp}", body,
                        description=f"Committee agenda pack: {agenda.title}", extra_css=AGENDA_CSS)

    return wrap


def agenda_pack_document(agenda: Agenda, context: FigureContext, produced: date) -> FittedDocument:
    """The agenda pack laid out: a cover and one A4 page per view, each fitted to its sheet."""
    return fit_pages(agenda_pack_pages(agenda, context, produced), agenda_wrap(agenda, context))


def agenda_pack_html(agenda: Agenda, context: FigureContext, produced: date) -> str:
    """The agenda pack as one HTML document: a cover, then one page per view (fitted)."""
    return agenda_pack_document(agenda, context, produced).html


def agenda_pack_pdf(agenda: Agenda, context: FigureContext, produced: date) -> bytes:
    """The agenda pack as a tagged A4 PDF (check the agenda first: insight.agenda.check_agenda)."""
    return agenda_pack_document(agenda, context, produced).pdf


def figures_table(view: View, context: FigureContext) -> pd.DataFrame:
    """The figures of one view as a table (label, value, period) — the pack's 'view as table'."""
    titles = dict(zip(context.dataset.indicators[s.INDICATOR_ID], context.dataset.indicators[s.SHORT_TITLE],
                      strict=True))
    return pd.DataFrame([{"Figure": figure_label(f.key, context.names, titles), "Value": f.text, "Period": f.period}
                         for f in view_figures(view, context)])
