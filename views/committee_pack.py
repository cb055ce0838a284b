"""The committee pack: a multi-page, tagged (PDF/UA-1) A4 PDF per small area, and one per agenda.

Pure (no st.* calls). HTML + CSS laid out by WeasyPrint; charts are SVG from vl-convert (views.pack_charts).
Headings are real headings (H1 for the pack, H2 per page, H3 per panel), every picture has alt text, and every
word is text, never a picture of text; no text is smaller than 8 pt. Each page is one A4 sheet by design:
``views.pack_layout.fit_pages`` sizes each page's charts from the room its text leaves (and uses a shorter form
of long text if a page would still overflow), so the division pack is always 3 + (trend pages) + 1 sheets,
six with the default six trend measures. The footer carries the data stamp and "Page n of N".

The CPU-heavy work is ``division_pack_pdf(context, division_code, produced)`` (about 2 s): the cache layer
calls it once per (division, data version, date); ``pack_inputs(context)`` holds what every division's pack
shares (the priority index, its stability, boundaries, trend charts by district), for building many.
``agenda_pack_pdf`` is in ``views.agenda_pack``.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any, cast

import pandas as pd

from insight import priority as pri
from insight import profile as pr
from insight import query
from insight import schema as s
from insight.forecast.project import PROJECTION_CAVEAT
from insight.loaders import get_indicator, load_boundaries
from insight.profile import ordinal
from insight.snapshot import DEFAULT_TOP, STABILITY_DRAWS, FigureContext, projection_for
from insight.stability_words import rank_spread_words, top_n_words
from insight.stats import Rating
from views.pack_charts import (
    PackFigure,
    Picture,
    SpinePicture,
    TrendPanel,
    VegaPicture,
    contribution_figure,
    imd_figure,
    locator_figure,
    map_aspect,
    priority_map,
    spine_picture,
    trend_panel,
)
from views.pack_layout import (
    CONTENT_WIDTH,
    PDF_VARIANT,
    FittedDocument,
    Flex,
    PageSpec,
    column,
    fit_pages,
    px,
)
from views.priority import contribution_finding
from views.profile_charts import build_locator_svg, line_rows, locator_layout
from views.words import AreaWords

TRENDS_PER_PAGE = 3
SIDE_WIDTH = round(px(60))  # the side column of the cover and the priority page
GUTTER = round(px(5))
MAIN_WIDTH = CONTENT_WIDTH - SIDE_WIDTH - GUTTER
TREND_CHART_WIDTH = 372  # the chart column of a trend panel; the words take the rest of the row
TREND_LOW, TREND_HIGH = 150, 290  # a trend chart's height (px)
IMD_LOW, IMD_HIGH = 140, 300
CONTRIBUTION_ROW = (17, 34)  # px per bar
DISCLOSURE_NOTE = (
    "Census counts are published under disclosure control: counts of 1 to 7 are suppressed (a true zero shows "
    "as 0), other counts and every denominator are rounded to the nearest 5, and percentages and intervals are "
    "computed from the rounded counts. A further cell is hidden wherever a total or the other categories would "
    "narrow a hidden one. A suppressed value is never imputed into a rating, a rank or the priority index.")
RATINGS_NOTE = (
    "Ratings compare the {word}'s 95% confidence interval with the {comparator} value (Wilson score method for "
    "proportions): Better or Worse when the interval lies wholly on one side, Similar when it overlaps, Higher or "
    "Lower for measures that are neither good nor bad, and Not compared when no interval is published.")
PROJECTION_NOTE = (
    "A projection only extends past trends: it ignores policy changes, new services and shocks. Its method "
    "(Prophet, the Theta method, naive drift, no change, or the middle of those four) is the one with the "
    "smallest errors when tested on the indicator's past; the 80% and 95% ranges are set from the errors of "
    "past projections pooled across series.")
ACCURACY_NOTE = (
    "The accuracy line under each projection is from a leak-free test: the whole procedure (choosing the method, "
    "calibrating the ranges) was re-run as if standing at each test year in turn, using only data up to then, "
    "and compared with what happened next. Errors are given as a share of the naive method's (repeating the "
    "last value) on the same outcomes: below 100% the projection did better than repeating the last value. "
    "A range's 'held' share is how often the outcome fell inside it.")
JUDGEMENT_NOTE = ("Insight supports councillors' and officers' judgement; it never replaces it. The priority index "
                  "is a starting point for discussion, not an allocation.")
CSS = """
@page { size: A4; margin: 15mm 14mm 17mm 14mm;
  @bottom-left { content: __STAMP__; font: 8pt "DejaVu Sans"; color: #4A5563; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans"; color: #4A5563; }
}
html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1A1A1A; line-height: 1.35; }
body { margin: 0; }
section.page { break-after: page; }
section.page:last-of-type { break-after: auto; }
h1 { font-size: 18pt; color: #1D5A9E; margin: 0 0 2mm 0; line-height: 1.15; }
h2 { font-size: 13pt; color: #1D5A9E; margin: 0 0 2.5mm 0; border-bottom: 0.6pt solid #C9CFD6; padding-bottom: 1mm;
  line-height: 1.2; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm 0; line-height: 1.25; break-after: avoid; }
p { margin: 0 0 2mm 0; }
.mark { height: 0; margin: 0; padding: 0; }
.placeholder { display: block; }
.sub, .muted { color: #4A5563; }
.small { font-size: 8pt; }
.notice { font-size: 8.5pt; font-style: italic; color: #4A5563; border-left: 2pt solid #C9CFD6; padding-left: 2mm; }
.box { border: 0.6pt solid #C9CFD6; background: #F4F6F8; padding: 2.5mm 3mm; margin: 2mm 0 3mm 0; }
.changes { border: 1pt solid #B04A00; background: #FFF4EC; padding: 2mm 3mm; margin: 2mm 0; }
.two { display: table; width: 100%; table-layout: fixed; }
.two > .main { display: table-cell; vertical-align: top; }
.two > .side { display: table-cell; vertical-align: top; width: 60mm; padding-left: 5mm; }
figure { margin: 0 0 2mm 0; break-inside: avoid; }
figcaption { font-size: 8pt; color: #4A5563; margin-top: 1mm; line-height: 1.25; }
img { display: block; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; }
th, td { text-align: left; vertical-align: top; padding: 1mm 1.5mm; border-bottom: 0.4pt solid #D5DAE0; }
th { background: #EEF1F4; font-weight: bold; }
tr { break-inside: avoid; }
table.sources { font-size: 8pt; line-height: 1.25; }
table.sources td, table.sources th { padding: 0.6mm 1mm; }
table.sources td:first-child { width: 36%; }
.trend { margin-bottom: 1mm; break-inside: avoid; }
.trend h3 { margin: 2mm 0 1mm 0; }
.trend-row { display: table; width: 100%; table-layout: fixed; }
.trend-chart { display: table-cell; vertical-align: top; width: 372px; }
.trend-words { display: table-cell; vertical-align: top; padding-left: 4mm; font-size: 8pt; line-height: 1.25; }
.trend-words p { margin-bottom: 1.2mm; }
ul, ol { margin: 0 0 2mm 0; padding-left: 5mm; }
li { margin-bottom: 0.8mm; }
ul.notes li { margin-bottom: 1.2mm; }
.swatch { display: inline-block; width: 3.2mm; height: 3.2mm; border: 0.4pt solid #555; margin-right: 1.5mm;
  vertical-align: -0.5mm; }
.speaker { border-top: 0.6pt solid #C9CFD6; margin-top: 3mm; padding-top: 2mm; white-space: pre-wrap; }
"""


# ---- HTML helpers ---------------------------------------------------------------------------------

def text(value: object) -> str:
    """Any value as escaped HTML text (never markup)."""
    return escape(str(value), quote=True)


def paragraphs(value: str) -> str:
    """Plain text with line breaks as escaped paragraphs."""
    return "".join(f"<p>{text(part)}</p>" for part in value.split("\n") if part.strip())


def figure_html(figure: PackFigure | str, css_class: str = "", caption: str | None = None) -> str:
    """A <figure> with its picture (a drawn figure, or the HTML of one) and caption."""
    words = (figure.caption if isinstance(figure, PackFigure) else "") if caption is None else caption
    picture = figure.img(css_class) if isinstance(figure, PackFigure) else figure
    return f"<figure>{picture}" + (f"<figcaption>{text(words)}</figcaption>" if words else "") + "</figure>"


def table_html(header: Sequence[str], rows: Iterable[Sequence[object]], css_class: str = "") -> str:
    """A table with a header row (scope="col"), every cell escaped."""
    cls = f' class="{css_class}"' if css_class else ""
    head = "".join(f'<th scope="col">{text(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{text(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def css_string(value: str) -> str:
    """Text as a CSS string literal: quotes, backslashes and '<' escaped, control characters dropped."""
    out = []
    for ch in value:
        if ch in '"\\<>':
            out.append(f"\\{ord(ch):x} ")
        elif ch.isprintable():
            out.append(ch)
    return '"' + "".join(out) + '"'


def document(title: str, stamp: str, body: str, *, description: str = "", extra_css: str = "") -> str:
    """The whole HTML document: language, title (the PDF's title), the footer stamp and the pages' HTML."""
    meta = f'<meta name="description" content="{text(description)}">' if description else ""
    css = CSS.replace("__STAMP__", css_string(stamp)) + extra_css
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{text(title)}</title>{meta}'
            f'<meta name="generator" content="Insight dashboard"><style>{css}</style></head><body>{body}'
            "</body></html>")


def render_pdf(html: str) -> bytes:
    """HTML to a tagged PDF/UA-1 (WeasyPrint; imported here, so the app starts without it)."""
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def flex(key: str, picture: Picture, width: int, low: int, high: int, step: int = 1) -> Flex:
    """A picture its page sizes: drawn at the page's height for it, printed at one SVG px per CSS px."""
    return Flex(key, width, low, high, lambda w, h: picture.draw(w, h).img(), step)


def sentences(value: str, keep: int) -> str:
    """The first ``keep`` sentences of a text (a sentence ends with '.', '!' or '?' and a space)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", value.strip())
    return " ".join(parts[:keep])


# ---- what every division's pack shares ---------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class PackInputs:
    """What every small area's pack of one data version shares: computed once (``pack_inputs``)."""

    words: AreaWords
    titles: dict[str, str]
    boundaries: dict[str, Any]
    locator_width: int
    weights: dict[str, float]
    result: pri.PriorityResult
    stability: pd.DataFrame
    map_height: int
    trends: dict[tuple[str, tuple[str, ...]], tuple[TrendPanel, ...]] = field(default_factory=dict)


def pack_inputs(context: FigureContext) -> PackInputs:
    """The shared inputs of every small area's pack (priority index and its stability, boundaries)."""
    dataset = context.dataset
    titles = dict(zip(dataset.indicators[s.INDICATOR_ID], dataset.indicators[s.SHORT_TITLE], strict=True))
    weights = {i: float(w) for i, w in context.settings.default_weights}
    frame, polarity, suppressed = context.priority_inputs
    result = pri.score_priority(frame, polarity, weights, "zscore", suppressed=suppressed)
    stability = pri.rank_stability(frame, polarity, weights, "zscore", top_n=DEFAULT_TOP, n_draws=STABILITY_DRAWS)
    boundaries = load_boundaries(s.Level.DIVISION, context.data_dir)
    aspect = map_aspect(boundaries)
    return PackInputs(AreaWords.of_areas(context.config, dataset.areas), titles, boundaries, SIDE_WIDTH,
                      result.weights, result, stability, min(round(MAIN_WIDTH * aspect), 420))


_SHARED: dict[int, tuple[weakref.ref, PackInputs]] = {}


def shared_inputs(context: FigureContext) -> PackInputs:
    """``pack_inputs(context)``, kept while the context lives: one data version's packs share their trend
    charts (one set per district) however they are asked for."""
    found = _SHARED.get(id(context))
    if found is not None and found[0]() is context:
        return found[1]
    inputs = pack_inputs(context)
    key = id(context)
    _SHARED[key] = (weakref.ref(context, lambda _ref: _SHARED.pop(key, None)), inputs)
    return inputs


# ---- the division pack's content --------------------------------------------------------------------

@dataclass(frozen=True)
class PriorityStanding:
    """A division's place in the default priority index, with its drivers and stability."""

    rank: int | None
    total: int
    klass: str
    score: float
    drivers: tuple[str, ...]
    in_top_share: float
    median_rank: float
    rank_p05: float
    rank_p95: float
    top_n: int
    missing: tuple[str, ...]
    suppressed: tuple[str, ...]

    @property
    def rank_text(self) -> str:
        return f"{ordinal(self.rank)} of {self.total}" if self.rank is not None else "not ranked"

    @property
    def stability_text(self) -> str:
        if math.isnan(self.in_top_share):
            return "Not ranked, so no stability figure."
        low, high = round(self.rank_p05), round(self.rank_p95)
        return (f"With every weight moved at random by up to 20% (seeded draws), it "
                f"{top_n_words(self.in_top_share, self.top_n, self.rank, STABILITY_DRAWS)}; its median rank is "
                f"{ordinal(round(self.median_rank))} and it {rank_spread_words(low, high)}.")


def priority_standing(result: pri.PriorityResult, stability: pd.DataFrame, code: str, titles: dict[str, str],
                      top_n: int) -> PriorityStanding:
    """The standing of one division (drivers and gaps as titles)."""
    row = result.table.loc[code]
    rank: int | None = None if pd.isna(row[pri.RANK]) else int(row[pri.RANK])

    def ids(value: object) -> tuple[str, ...]:
        return tuple(titles.get(i, i) for i in str(value).split(";") if i)

    return PriorityStanding(rank, int(result.table[pri.RANKED].sum()), str(row[pri.PRIORITY_CLASS]),
                            float(row[pri.SCORE]) if not pd.isna(row[pri.SCORE]) else math.nan, ids(row[pri.DRIVERS]),
                            float(cast(float, stability.loc[code, pri.IN_TOP_N_SHARE])),
                            float(cast(float, stability.loc[code, pri.MEDIAN_RANK])),
                            float(cast(float, stability.loc[code, pri.RANK_P05])),
                            float(cast(float, stability.loc[code, pri.RANK_P95])),
                            top_n, ids(row[pri.MISSING]), ids(row[pri.SUPPRESSED]))


@dataclass(frozen=True)
class DivisionPack:
    """Everything the small-area pack prints, computed once from one data version (pictures not yet drawn:
    each page draws them at the size it has room for)."""

    code: str
    name: str
    districts: str
    district_code: str
    population: float
    comparator: str
    stamp: str
    produced: date
    profile: pr.DivisionProfile
    standing: PriorityStanding
    weights: dict[str, float]
    titles: dict[str, str]
    locator: PackFigure
    spine: SpinePicture
    priority_map: VegaPicture
    map_size: tuple[int, int]
    contributions: VegaPicture
    contribution_finding: str
    trends: tuple[TrendPanel, ...]
    trend_comparators: tuple[str, ...]  # the names the trend charts compare with ("Essex", "England")
    imd: VegaPicture | None
    imd_finding: str
    sources: tuple[tuple[str, str, str], ...]  # (source, measures with their periods, licence)
    approximate: bool
    words: AreaWords

    @property
    def page_count(self) -> int:
        """The designed number of A4 pages: cover, profile, priority, the trend pages, sources."""
        return 3 + math.ceil(len(self.trends) / TRENDS_PER_PAGE) + 1


COMPARATOR_KINDS = ("county", "region", "england")


def build_division_pack(context: FigureContext, division_code: str, produced: date, *,
                        trend_ids: Sequence[str] | None = None, inputs: PackInputs | None = None) -> DivisionPack:
    """Assemble the small-area pack's content (UnknownAreaError for a code that is not a small area)."""
    inputs = inputs or shared_inputs(context)
    config = context.config
    dataset = context.dataset
    comparator = config.short_name
    words = inputs.words
    profile = pr.build_division_profile(context.division_table, division_code, comparator)
    areas = dataset.areas.set_index(s.AREA_CODE)
    area = cast(pd.Series, areas.loc[division_code])  # area codes are unique
    parents = [p for p in str(area[s.PARENT_CODES]).split(";") if p]
    district_code = str(area[s.PARENT_CODE])
    names = context.names
    titles = inputs.titles

    layout = locator_layout(inputs.boundaries, width=inputs.locator_width)
    locator = locator_figure(build_locator_svg(layout, division_code, words), profile.name, words)
    spine = spine_picture(profile.frame, name=profile.name, comparator=comparator, words=words)

    result = inputs.result
    standing = priority_standing(result, inputs.stability, division_code, titles, DEFAULT_TOP)
    classes = {str(c): str(k) for c, k in result.table[pri.PRIORITY_CLASS].items()}
    pmap = priority_map(inputs.boundaries, classes, division_code, names, words)
    contributions = result.contributions_of(division_code)
    contrib = contribution_figure(contributions, result.weights, titles, profile.name)

    ids = tuple(trend_ids or context.settings.headline_ids)
    key = (district_code, ids)
    if key not in inputs.trends:
        inputs.trends[key] = tuple(_trend_panels(context, district_code, ids))
    trends = inputs.trends[key]
    codes = dict(zip(COMPARATOR_KINDS, config.comparator_codes, strict=True))
    trend_comparators = tuple(names.get(c, c) for c in (codes["county"], codes["england"]) if c != district_code)
    imd_rows = pr.imd_trend(dataset.observations, dataset.areas, division_code, district_code, config.county_code)
    order = list(dict.fromkeys([profile.name, names.get(district_code, district_code),
                                names.get(config.county_code, comparator)]))
    imd = imd_figure(line_rows(imd_rows, order), order, profile.name) if not imd_rows.empty else None
    imd_finding = pr.imd_trend_finding(imd_rows, division_code, profile.name) if not imd_rows.empty else ""

    used = list(dict.fromkeys([*profile.frame[s.INDICATOR_ID], *inputs.weights, *(p.indicator_id for p in trends),
                               *([pr.IMD_TREND_ID] if imd is not None else [])]))
    sources = _sources(context, used, set(profile.frame[s.INDICATOR_ID]), division_code, district_code)
    return DivisionPack(
        code=division_code, name=profile.name, districts="; ".join(names.get(p, p) for p in parents),
        district_code=district_code, population=float(area[s.POPULATION]), comparator=comparator,
        stamp=context.version.stamp, produced=produced, profile=profile, standing=standing,
        weights=result.weights, titles=titles, locator=locator, spine=spine, priority_map=pmap,
        map_size=(MAIN_WIDTH, inputs.map_height), contributions=contrib,
        contribution_finding=contribution_finding(contributions, titles, profile.name),
        trends=trends, trend_comparators=trend_comparators, imd=imd, imd_finding=imd_finding, sources=sources,
        approximate=bool(area[s.APPROXIMATE]), words=words)


def _trend_panels(context: FigureContext, district_code: str, indicator_ids: Sequence[str]) -> list[TrendPanel]:
    config = context.config
    codes = dict(zip(COMPARATOR_KINDS, config.comparator_codes, strict=True))
    comparators = [c for c in (codes["county"], codes["england"]) if c != district_code]
    kinds = {codes["county"]: "county", codes["england"]: "england"}
    panels = []
    for indicator_id in indicator_ids:
        entry = get_indicator(context.dataset.indicators, indicator_id)
        series = query.series(context.dataset.observations, indicator_id, (district_code, *comparators))
        if series[(series[s.AREA_CODE] == district_code) & series[s.VALUE].notna()].empty:
            continue
        horizon = min(context.settings.trend_default_horizon.get(entry.frequency, 0),
                      context.settings.trend_max_horizon.get(entry.frequency, 0))
        projection = projection_for(context, indicator_id, district_code, horizon) if horizon else None
        panels.append(trend_panel(entry, series, district_code, comparators, context.names, kinds, projection,
                                  history_years=12))
    return panels


_DATASET_IN_SOURCE = re.compile(r"^(?P<name>[^()]+?) \((?P<dataset>[^()]+)\) (?P<publisher>from .+)$")


def _sources(context: FigureContext, indicator_ids: Sequence[str], division_ids: set[str], division_code: str,
             district_code: str) -> tuple[tuple[str, str, str], ...]:
    """One row per source: the measures taken from it (with the periods shown) and its licence (P2). Sources
    that differ only by a dataset named in brackets ("ONS Explore Local Statistics (claimant-count) from the
    Office for National Statistics") share a row, each measure naming its dataset."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for indicator_id in indicator_ids:
        entry = get_indicator(context.dataset.indicators, indicator_id)
        area = division_code if indicator_id in division_ids else district_code
        rows = query.series(context.dataset.observations, indicator_id, (area,))
        rows = rows[rows[s.VALUE].notna()].sort_values(s.PERIOD_START)
        period = "" if rows.empty else (str(rows[s.PERIOD_LABEL].iloc[-1]) if len(rows) == 1 else
                                        f"{rows[s.PERIOD_LABEL].iloc[0]} to {rows[s.PERIOD_LABEL].iloc[-1]}")
        source, details = entry.source, [period] if period else []
        found = _DATASET_IN_SOURCE.match(entry.source)
        if found:
            source = f"{found['name']} {found['publisher']}"
            details = [f"dataset {found['dataset']}", *details]
        grouped.setdefault((source, entry.licence), []).append(
            f"{entry.short_title} ({'; '.join(details)})" if details else entry.short_title)
    return tuple((source, "; ".join(measures), licence) for (source, licence), measures in grouped.items())


# ---- the division pack's pages ----------------------------------------------------------------------

def _cover(pack: DivisionPack) -> PageSpec:
    summary = pack.profile.summary
    words = pack.words
    ratings = pack.profile.frame[pr.RATING].value_counts()
    counts = ", ".join(f"{int(ratings.get(r.value, 0))} {r.value.lower()}" for r in
                       (Rating.BETTER, Rating.SIMILAR, Rating.WORSE) if ratings.get(r.value, 0))
    strengths = "".join(f"<li>{text(i.phrase)}</li>" for i in summary.strengths) or "<li>None is clearly better.</li>"
    challenges = "".join(f"<li>{text(i.phrase)}</li>" for i in summary.challenges) or \
        "<li>None is clearly worse.</li>"
    standing = pack.standing
    facts = [
        ("Residents (Census 2021)", f"{pack.population:,.0f}"),
        ("Priority rank (default index)", f"{standing.rank_text} — {standing.klass}"),
        ("What drives it", "; ".join(standing.drivers) or "no measure above the average"),
        ("Measures compared with " + pack.comparator, counts or "none rated"),
    ]
    pages = pack.page_count
    trend_pages = "page 4" if pages == 5 else f"pages 4 to {pages - 1}"
    district = pack.districts.split("; ")[0]
    contents = (f"In this pack: how {pack.name} compares on every measure (page 2); its priority rank, what drives "
                f"it and how stable it is (page 3); trends and projections for {district} ({trend_pages}); "
                f"sources, licences and notes (page {pages}).")
    approximate = f'<p class="notice">{text(s.APPROXIMATE_BOUNDARIES_NOTICE)}</p>' if pack.approximate else ""
    where = f"Where the {words.word} is" + (" (approximate boundary)." if pack.approximate else ".")
    head = (f"<h1>{text(pack.name)}: {text(words.word)} committee pack</h1>"
            f'<p class="sub">{text(words.title[:1].upper() + words.title[1:])} {text(pack.code)} · '
            f"{text(pack.districts)} · {pack.population:,.0f} residents</p>"
            f'<p class="sub">{text(pack.stamp)}. Produced {pack.produced.day} {pack.produced:%B %Y}.</p>'
            '<div class="two"><div class="main"><h2>Summary</h2>'
            f"<p>{text(summary.text)}</p>"
            f"<h3>Strengths against {text(pack.comparator)}</h3><ul>{strengths}</ul>"
            f"<h3>Challenges against {text(pack.comparator)}</h3><ul>{challenges}</ul></div>"
            f'<div class="side">{figure_html(pack.locator, "locator", where)}</div></div>'
            "<h2>Key figures</h2>" + table_html(("Figure", "Value"), facts))
    caption = ("IMD rank percentile by edition, 2004 to 2025 (100 = least deprived). Source: English Indices of "
               "Deprivation, MHCLG. Licence: Open Government Licence v3.0.")

    def html(pictures: Mapping[str, str], level: int) -> str:
        imd = (f"<h2>Deprivation over time: {text(pack.imd_finding)}</h2>"
               + figure_html(pictures["imd"], caption=caption)) if pack.imd is not None else ""
        return (head + imd + (f"<p>{text(contents)}</p>" if level == 0 else "") + approximate
                + f'<p class="notice">{text(JUDGEMENT_NOTE)}</p>')

    flexes = (flex("imd", pack.imd, CONTENT_WIDTH, IMD_LOW, IMD_HIGH),) if pack.imd is not None else ()
    return PageSpec(html, flexes, levels=1, name="cover")


def _spine_page(pack: DivisionPack) -> PageSpec:
    key = (f"Circle: {pack.name}, coloured by its rating against {pack.comparator} (95% confidence). Black bar: "
           f"{pack.comparator}. Grey bar: range of {pack.words.all_of_them}, worst or lowest on the left (darker: "
           "the middle half; white line: the median). Rank: 1st is the best, or the highest for measures that are "
           "neither good nor bad.")
    heading = f"<h2>How {text(pack.name)} compares with {text(pack.words.all_of_them)} and {text(pack.comparator)}</h2>"
    spine = pack.spine

    def html(pictures: Mapping[str, str], level: int) -> str:  # noqa: ARG001 - one form
        return (heading + figure_html(pictures["spine"], caption=key)
                + f'<p class="small muted">{text(pr.sources_sentence(pack.profile.frame))}</p>')

    return PageSpec(html, (flex("spine", spine, spine.width, spine.low, spine.high, spine.rows),), name="profile")


def _priority_page(pack: DivisionPack) -> PageSpec:
    standing = pack.standing
    words = pack.words
    legend = "".join(f'<li><span class="swatch" style="background:{colour}"></span>{text(name)}</li>'
                     for name, colour in zip((*pri.CLASS_NAMES, pri.NOT_RANKED),
                                             (*pri.CLASS_COLOURS, pri.NOT_RANKED_COLOUR), strict=True))
    weights = ", ".join(f"{pack.titles.get(i, i)} {w:.0%}" for i, w in pack.weights.items())
    gaps = ""
    if standing.missing:
        gaps = (f"<p>No value for {text('; '.join(standing.missing))}"
                + (f" (suppressed: {text('; '.join(standing.suppressed))})" if standing.suppressed else "")
                + ": scored on the measures it has, with their weights rescaled; nothing is imputed.</p>")
    score = "" if math.isnan(standing.score) else f" (score {standing.score:+.2f}, z-score method)"
    n_measures = len(pack.weights)
    width, height = pack.map_size
    caption = (f"{words.plural.capitalize()} by priority class (quintiles of rank); black outline: {pack.name}."
               + (" Boundaries approximate." if pack.approximate else ""))
    head = (f"<h2>Priority rank: {text(standing.rank_text)}, {text(standing.klass.lower())}</h2>"
            f"<p>On the dashboard's default index (equal weights on the {n_measures} measures below), "
            f"{text(pack.name)} ranks {text(standing.rank_text)}{text(score)} among the ranked {text(words.plural)}, "
            f"in the class {text(standing.klass)}. {text(standing.stability_text)}</p>"
            + gaps
            + '<div class="two"><div class="main">'
            + figure_html(pack.priority_map.draw(width, height), caption=caption)
            + '</div><div class="side"><h3>Classes</h3><ul style="list-style:none;padding-left:0">' + legend + "</ul>"
            + "<h3>Measures and weights</h3>" + f'<p class="small">{text(weights)}</p></div></div>'
            + f"<h3>{text(pack.contribution_finding)}</h3>")
    note = ("Contribution = weight × the measure's z-score, oriented so that more need is positive; the "
            "contributions add up to the score.")

    def html(pictures: Mapping[str, str], level: int) -> str:  # noqa: ARG001 - one form
        return head + figure_html(pictures["contributions"], caption=note) + \
            f'<p class="notice">{text(JUDGEMENT_NOTE)}</p>'

    rows = max(pack.contributions.rows, 1)
    low, high = 44 + rows * CONTRIBUTION_ROW[0], 44 + rows * CONTRIBUTION_ROW[1]
    return PageSpec(html, (flex("contributions", pack.contributions, CONTENT_WIDTH, low, high, rows),),
                    name="priority")


def _trend_words(panel: TrendPanel, level: int) -> str:
    story = panel.story if level == 0 else sentences(panel.story, 2)
    return (f"<p>{text(story)}</p>" + (f"<p>{text(panel.projection)}</p>" if panel.projection else "")
            + (f'<p class="muted">{text(panel.accuracy)}</p>' if panel.accuracy else ""))


def _trends_pages(pack: DivisionPack) -> list[PageSpec]:
    district = pack.districts.split("; ")[0]
    against = " and ".join(pack.trend_comparators)
    chunks = [pack.trends[i:i + TRENDS_PER_PAGE] for i in range(0, len(pack.trends), TRENDS_PER_PAGE)]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        part = f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""
        if number == 1:
            intro = (f"These measures are published for districts, not {pack.words.plural}, so {district}'s series "
                     f"are shown, with {against}. {PROJECTION_CAVEAT}")
        else:
            intro = (f"{district}'s series with {against}. The notes on page {pack.page_count} say how the "
                     "projections and their ranges are made and tested.")
        offset = (number - 1) * TRENDS_PER_PAGE

        def html(pictures: Mapping[str, str], level: int, chunk: tuple[TrendPanel, ...] = chunk,
                 intro: str = intro, part: str = part, offset: int = offset) -> str:
            panels = "".join(
                f'<div class="trend"><h3>{text(p.title)}</h3><div class="trend-row"><div class="trend-chart">'
                + column(f"trend-{offset + i}", "own", figure_html(pictures[f"trend-{offset + i}"],
                                                                   caption=p.figure.caption))
                + '</div><div class="trend-words">' + column(f"trend-{offset + i}", "beside", _trend_words(p, level))
                + "</div></div></div>" for i, p in enumerate(chunk))
            return (f"<h2>Trends and projections for {text(district)}{part}</h2>"
                    f'<p class="small">{text(intro)}</p>' + panels)

        flexes = tuple(flex(f"trend-{offset + i}", p.figure, TREND_CHART_WIDTH, TREND_LOW, TREND_HIGH)
                       for i, p in enumerate(chunk))
        pages.append(PageSpec(html, flexes, levels=1, name=f"trends {number} of {len(chunks)}"))
    return pages


def _sources_page(pack: DivisionPack) -> PageSpec:
    notes = [DISCLOSURE_NOTE, RATINGS_NOTE.format(word=pack.words.word, comparator=pack.comparator),
             PROJECTION_NOTE, ACCURACY_NOTE, JUDGEMENT_NOTE]
    if pack.approximate:
        notes.insert(0, s.APPROXIMATE_BOUNDARIES_NOTICE)
    licences = list(dict.fromkeys(licence for _, _, licence in pack.sources))
    if len(licences) == 1:  # one licence for every source: said once, not on every row
        table = (table_html(("Source", "Measures in this pack (periods shown)"),
                            [(source, measures) for source, measures, _ in pack.sources], "sources")
                 + f'<p class="small">Every source is published under the {text(licences[0])}.</p>')
    else:
        table = table_html(("Source", "Measures in this pack (periods shown)", "Licence"), pack.sources, "sources")
    body = ("<h2>Sources and licences</h2>" + table
            + '<h2>Notes</h2><ul class="notes">' + "".join(f"<li>{text(n)}</li>" for n in notes) + "</ul>"
            + f'<p class="small muted">{text(s.OGL_ATTRIBUTION)} {text(pack.stamp)}.</p>')
    return PageSpec(lambda pictures, level: body, name="sources")


def division_pack_pages(pack: DivisionPack) -> list[PageSpec]:
    """The pack's pages: cover, profile, priority, trends (three measures a page), sources and notes."""
    return [_cover(pack), _spine_page(pack), _priority_page(pack), *_trends_pages(pack), _sources_page(pack)]


def division_pack_wrap(pack: DivisionPack) -> Callable[[str], str]:
    """The pack's whole HTML document around its pages' HTML (title, footer stamp, styles)."""
    title = f"{pack.name}: {pack.words.word} committee pack"

    def wrap(body: str) -> str:
        return document(title, f"{pack.name} · {pack.stamp}", body,
                        description=f"Committee pack for {pack.name} {pack.words.title}")

    return wrap


def division_pack_document(pack: DivisionPack) -> FittedDocument:
    """The pack laid out, every page fitted to its sheet, with how each page came out."""
    return fit_pages(division_pack_pages(pack), division_pack_wrap(pack))


def division_pack_html(pack: DivisionPack) -> str:
    """The pack as one HTML document, its pages fitted (six A4 pages with the default six trend measures)."""
    return division_pack_document(pack).html


def division_pack_pdf(context: FigureContext, division_code: str, produced: date, *,
                      inputs: PackInputs | None = None) -> bytes:
    """The small-area committee pack as a tagged A4 PDF (the cache layer calls this once per area, data
    version and date; ``inputs`` shares the work common to every area's pack)."""
    return division_pack_document(build_division_pack(context, division_code, produced, inputs=inputs)).pdf

