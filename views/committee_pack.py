"""The committee pack: a multi-page, tagged (PDF/UA-1) A4 PDF per division, and one per agenda.

Pure (no st.* calls). HTML + CSS laid out by WeasyPrint; charts are SVG from vl-convert (views.pack_charts).
Headings are real headings (H1 for the pack, H2 per page, H3 per panel), every picture has alt text, and every
word is text, never a picture of text. Each page is a ``<section>`` that starts on a new sheet; the footer
carries the data stamp and "Page n of N".

The CPU-heavy work is ``division_pack_pdf(context, division_code, produced)`` (about 1–2 s): the cache layer
calls it once per (division, data version, date). ``agenda_pack_pdf`` is in ``views.agenda_pack``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

import pandas as pd

from insight import priority as pri
from insight import profile as pr
from insight import query
from insight import schema as s
from insight.loaders import get_indicator, load_boundaries
from insight.profile import ordinal
from insight.snapshot import DEFAULT_TOP, STABILITY_DRAWS, FigureContext, projection_for
from insight.stats import Rating
from views.pack_charts import (
    PackFigure,
    TrendPanel,
    contribution_figure,
    contribution_finding,
    imd_figure,
    locator_figure,
    priority_map,
    spine_figure,
    trend_panel,
)
from views.profile_charts import build_locator_svg, build_spine_chart, line_rows, locator_layout
from views.words import AreaWords

PDF_VARIANT = "pdf/ua-1"
SPINE_WIDTHS = {"label": 236, "spine": 224, "gap": 10, "value": 104, "county": 74, "rank": 130, "rating": 104}
SPINE_FONT = 13
SPINE_PAGE_HEIGHT = 1040  # the spine chart's height in its own units (its width is sum(SPINE_WIDTHS) = 882)
TRENDS_PER_PAGE = 3
DISCLOSURE_NOTE = (
    "Census counts are published under disclosure control: counts of 1 to 7 are suppressed (a true zero shows "
    "as 0), other counts and every denominator are rounded to the nearest 5, and percentages and intervals are "
    "computed from the rounded counts. A further cell is hidden wherever a total or the other categories would "
    "narrow a hidden one. A suppressed value is never imputed into a rating, a rank or the priority index.")
RATINGS_NOTE = (
    "Ratings compare the division's 95% confidence interval with the {comparator} value (Wilson score method for "
    "proportions): Better or Worse when the interval lies wholly on one side, Similar when it overlaps, Higher or "
    "Lower for measures that are neither good nor bad, and Not compared when no interval is published.")
PROJECTION_NOTE = (
    "A projection only extends past trends: it ignores policy changes, new services and shocks. The 80% and 95% "
    "ranges are calibrated by a leak-free back-test; the accuracy line under each chart gives that test's result "
    "against a naive baseline.")
JUDGEMENT_NOTE = ("Insight supports councillors' and officers' judgement; it never replaces it. The priority index "
                  "is a starting point for discussion, not an allocation.")
CSS = """
@page { size: A4; margin: 15mm 14mm 17mm 14mm;
  @bottom-left { content: __STAMP__; font: 7.5pt "DejaVu Sans"; color: #4A5563; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt "DejaVu Sans"; color: #4A5563; }
}
html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1A1A1A; line-height: 1.35; }
body { margin: 0; }
section.page { break-after: page; }
section.page:last-of-type { break-after: auto; }
h1 { font-size: 20pt; color: #1D5A9E; margin: 0 0 2mm 0; line-height: 1.15; }
h2 { font-size: 13.5pt; color: #1D5A9E; margin: 0 0 2.5mm 0; border-bottom: 0.6pt solid #C9CFD6; padding-bottom: 1mm; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm 0; }
p { margin: 0 0 2mm 0; }
.sub, .muted { color: #4A5563; }
.small { font-size: 8pt; }
.notice { font-size: 8.5pt; font-style: italic; color: #4A5563; border-left: 2pt solid #C9CFD6; padding-left: 2mm; }
.box { border: 0.6pt solid #C9CFD6; background: #F4F6F8; padding: 2.5mm 3mm; margin: 2mm 0 3mm 0; }
.changes { border: 1pt solid #B04A00; background: #FFF4EC; padding: 2mm 3mm; margin: 2mm 0; }
.two { display: table; width: 100%; table-layout: fixed; }
.two > .main { display: table-cell; vertical-align: top; }
.two > .side { display: table-cell; vertical-align: top; width: 62mm; padding-left: 6mm; }
figure { margin: 0 0 2mm 0; }
figcaption { font-size: 7.5pt; color: #4A5563; margin-top: 1mm; }
img { display: block; width: 100%; height: auto; }
img.locator { width: 62mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; }
th, td { text-align: left; vertical-align: top; padding: 1mm 1.5mm; border-bottom: 0.4pt solid #D5DAE0; }
th { background: #EEF1F4; font-weight: bold; }
table.sources { font-size: 7.3pt; }
table.sources td, table.sources th { padding: 0.6mm 1mm; }
.trend { margin-bottom: 2mm; break-inside: avoid; }
.trend h3 { margin: 1.5mm 0 1mm 0; }
.trend-row { display: table; width: 100%; table-layout: fixed; }
.trend-chart { display: table-cell; vertical-align: top; width: 112mm; }
.trend-words { display: table-cell; vertical-align: top; padding-left: 4mm; font-size: 7.6pt; line-height: 1.25; }
.trend-words p { margin-bottom: 1.2mm; }
ul, ol { margin: 0 0 2mm 0; padding-left: 5mm; }
li { margin-bottom: 0.8mm; }
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


def figure_html(figure: PackFigure, css_class: str = "", caption: str | None = None) -> str:
    """A <figure> with its picture (alt text) and caption."""
    words = figure.caption if caption is None else caption
    return f"<figure>{figure.img(css_class)}" + (f"<figcaption>{text(words)}</figcaption>" if words else "") + \
        "</figure>"


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


def document(title: str, stamp: str, sections: Sequence[str], *, description: str = "") -> str:
    """The whole HTML document: language, title (the PDF's title), the footer stamp and the pages."""
    meta = f'<meta name="description" content="{text(description)}">' if description else ""
    css = CSS.replace("__STAMP__", css_string(stamp))
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{text(title)}</title>{meta}'
            f'<meta name="generator" content="Insight dashboard"><style>{css}</style></head><body>'
            + "".join(f'<section class="page">{body}</section>' for body in sections) + "</body></html>")


def render_pdf(html: str) -> bytes:
    """HTML to a tagged PDF/UA-1 (WeasyPrint; imported here, so the app starts without it)."""
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


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
        return (f"With every weight moved at random by up to 20% ({STABILITY_DRAWS:,} seeded draws), it stays in "
                f"the top {self.top_n} in {self.in_top_share:.0%} of draws; its median rank is "
                f"{ordinal(round(self.median_rank))} and 90% of ranks fall between {ordinal(round(self.rank_p05))} "
                f"and {ordinal(round(self.rank_p95))}.")


def priority_standing(result: pri.PriorityResult, stability: pd.DataFrame, code: str, titles: dict[str, str],
                      top_n: int) -> PriorityStanding:
    """The standing of one division (drivers and gaps as titles)."""
    row = result.table.loc[code]
    rank = None if pd.isna(row[pri.RANK]) else int(row[pri.RANK])

    def ids(value: object) -> tuple[str, ...]:
        return tuple(titles.get(i, i) for i in str(value).split(";") if i)

    return PriorityStanding(rank, int(result.table[pri.RANKED].sum()), str(row[pri.PRIORITY_CLASS]),
                            float(row[pri.SCORE]) if not pd.isna(row[pri.SCORE]) else math.nan, ids(row[pri.DRIVERS]),
                            float(stability.loc[code, pri.IN_TOP_N_SHARE]), float(stability.loc[code, pri.MEDIAN_RANK]),
                            float(stability.loc[code, pri.RANK_P05]), float(stability.loc[code, pri.RANK_P95]),
                            top_n, ids(row[pri.MISSING]), ids(row[pri.SUPPRESSED]))


@dataclass(frozen=True)
class DivisionPack:
    """Everything the division pack prints, computed once from one data version."""

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
    spine: PackFigure
    priority_map: PackFigure
    contributions: PackFigure
    contribution_finding: str
    trends: tuple[TrendPanel, ...]
    imd: PackFigure | None
    imd_finding: str
    sources: tuple[tuple[str, str, str], ...]  # (source, measures with their periods, licence)
    approximate: bool
    words: AreaWords


COMPARATOR_KINDS = ("county", "region", "england")


def _spine_height(n_rows: int) -> int:
    """Row height that makes the spine chart fill its page (bounded so a short profile is not stretched)."""
    return max(18, min(40, SPINE_PAGE_HEIGHT // max(n_rows, 1)))


def build_division_pack(context: FigureContext, division_code: str, produced: date, *,
                        trend_ids: Sequence[str] | None = None) -> DivisionPack:
    """Assemble the division pack's content (UnknownAreaError for a code that is not a division)."""
    config = context.config
    dataset = context.dataset
    comparator = config.short_name
    table = context.division_table
    profile = pr.build_division_profile(table, division_code, comparator)
    areas = dataset.areas.set_index(s.AREA_CODE)
    area = areas.loc[division_code]
    parents = [p for p in str(area[s.PARENT_CODES]).split(";") if p]
    district_code = str(area[s.PARENT_CODE])
    names = context.names
    titles = dict(zip(dataset.indicators[s.INDICATOR_ID], dataset.indicators[s.SHORT_TITLE], strict=True))

    layout = locator_layout(load_boundaries(s.Level.DIVISION, _data_dir(context)))
    words = AreaWords.of_areas(context.config, dataset.areas)
    locator = locator_figure(build_locator_svg(layout, division_code, words), profile.name, words)
    n_rows = len(profile.frame) + profile.frame[s.THEME].nunique() + 1
    spine_chart = build_spine_chart(profile.frame, division_name=profile.name, comparator_name=comparator,
                                    words=words, row_height=_spine_height(n_rows), font_size=SPINE_FONT, widths=SPINE_WIDTHS)
    spine_spec = spine_chart.to_dict(validate=False)
    spine = spine_figure(spine_spec, str(spine_spec.get("description", "")))

    weights = {i: float(w) for i, w in context.settings.default_weights}
    frame, polarity, suppressed = context.priority_inputs
    result = pri.score_priority(frame, polarity, weights, "zscore", suppressed=suppressed)
    stability = pri.rank_stability(frame, polarity, weights, "zscore", top_n=DEFAULT_TOP, n_draws=STABILITY_DRAWS)
    standing = priority_standing(result, stability, division_code, titles, DEFAULT_TOP)
    classes = {str(c): str(k) for c, k in result.table[pri.PRIORITY_CLASS].items()}
    boundaries = load_boundaries(s.Level.DIVISION, _data_dir(context))
    pmap = priority_map(boundaries, classes, division_code, names)
    contributions = result.contributions.loc[division_code]
    contrib = contribution_figure(contributions, result.weights, titles, profile.name)

    trends = tuple(_trend_panels(context, district_code, trend_ids or context.settings.headline_ids))
    imd_rows = pr.imd_trend(dataset.observations, dataset.areas, division_code, district_code, config.county_code)
    order = [profile.name, names.get(district_code, district_code), comparator]
    imd = imd_figure(line_rows(imd_rows, order), order, profile.name, width=700, height=105) \
        if not imd_rows.empty else None
    imd_finding = pr.imd_trend_finding(imd_rows, division_code, profile.name) if not imd_rows.empty else ""

    used = list(dict.fromkeys([*profile.frame[s.INDICATOR_ID], *weights, *(p.indicator_id for p in trends),
                               *([pr.IMD_TREND_ID] if imd is not None else [])]))
    sources = _sources(context, used, set(profile.frame[s.INDICATOR_ID]), division_code, district_code)
    return DivisionPack(
        code=division_code, name=profile.name, districts="; ".join(names.get(p, p) for p in parents),
        district_code=district_code, population=float(area[s.POPULATION]), comparator=comparator,
        stamp=context.version.stamp, produced=produced, profile=profile, standing=standing,
        weights=result.weights, titles=titles, locator=locator, spine=spine, priority_map=pmap,
        contributions=contrib, contribution_finding=contribution_finding(contributions, titles, profile.name),
        trends=trends, imd=imd, imd_finding=imd_finding, sources=sources,
        approximate=bool(area[s.APPROXIMATE]), words=words)


def _data_dir(context: FigureContext):  # noqa: ANN202 - Path
    return context.data_dir


def _trend_panels(context: FigureContext, district_code: str, indicator_ids: Sequence[str]) -> list[TrendPanel]:
    config = context.config
    codes = dict(zip(COMPARATOR_KINDS, config.comparator_codes, strict=True))
    kinds = {codes["county"]: "county", codes["england"]: "england"}
    panels = []
    for indicator_id in indicator_ids:
        entry = get_indicator(context.dataset.indicators, indicator_id)
        series = query.series(context.dataset.observations, indicator_id,
                              (district_code, codes["county"], codes["england"]))
        if series[(series[s.AREA_CODE] == district_code) & series[s.VALUE].notna()].empty:
            continue
        horizon = min(context.settings.trend_default_horizon.get(entry.frequency, 0),
                      context.settings.trend_max_horizon.get(entry.frequency, 0))
        projection = projection_for(context, indicator_id, district_code, horizon) if horizon else None
        panels.append(trend_panel(entry, series, district_code, [codes["county"], codes["england"]], context.names,
                                  kinds, projection, history_years=12))
    return panels


def _sources(context: FigureContext, indicator_ids: Sequence[str], division_ids: set[str], division_code: str,
             district_code: str) -> tuple[tuple[str, str, str], ...]:
    """One row per source: the measures taken from it (with the periods shown) and its licence (P2)."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for indicator_id in indicator_ids:
        entry = get_indicator(context.dataset.indicators, indicator_id)
        area = division_code if indicator_id in division_ids else district_code
        rows = query.series(context.dataset.observations, indicator_id, (area,))
        rows = rows[rows[s.VALUE].notna()].sort_values(s.PERIOD_START)
        period = "" if rows.empty else (str(rows[s.PERIOD_LABEL].iloc[-1]) if len(rows) == 1 else
                                        f"{rows[s.PERIOD_LABEL].iloc[0]} to {rows[s.PERIOD_LABEL].iloc[-1]}")
        grouped.setdefault((entry.source, entry.licence), []).append(
            f"{entry.short_title} ({period})" if period else entry.short_title)
    return tuple((source, "; ".join(measures), licence) for (source, licence), measures in grouped.items())


# ---- the division pack's pages ----------------------------------------------------------------------

def _cover(pack: DivisionPack) -> str:
    summary = pack.profile.summary
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
    pages = 3 + math.ceil(len(pack.trends) / TRENDS_PER_PAGE) + 1
    trend_pages = "page 4" if pages == 5 else f"pages 4 to {pages - 1}"
    contents = (f"In this pack: how {pack.name} compares on every measure (page 2); its priority rank, what drives "
                f"it and how stable it is (page 3); trends and projections for {pack.districts.split('; ')[0]} "
                f"({trend_pages}); sources, licences and notes (page {pages}).")
    imd = ""
    if pack.imd is not None:
        imd = (f"<h2>Deprivation over time: {text(pack.imd_finding)}</h2>"
               + figure_html(pack.imd, caption="IMD rank percentile by edition, 2004 to 2025 (100 = least deprived). "
                             "Source: English Indices of Deprivation, MHCLG. Licence: Open Government Licence v3.0."))
    approximate = f'<p class="notice">{text(s.APPROXIMATE_BOUNDARIES_NOTICE)}</p>' if pack.approximate else ""
    return (f"<h1>{text(pack.name)}: division committee pack</h1>"
            f'<p class="sub">County electoral division {text(pack.code)} · {text(pack.districts)} · '
            f"{pack.population:,.0f} residents</p>"
            f'<p class="sub">{text(pack.stamp)}. Produced {pack.produced.day} {pack.produced:%B %Y}.</p>'
            '<div class="two"><div class="main"><h2>Summary</h2>'
            f"<p>{text(summary.text)}</p>"
            f"<h3>Strengths against {text(pack.comparator)}</h3><ul>{strengths}</ul>"
            f"<h3>Challenges against {text(pack.comparator)}</h3><ul>{challenges}</ul></div>"
            f'<div class="side">{figure_html(pack.locator, "locator", "Where the division is (approximate boundary).")}'
            "</div></div>"
            "<h2>Key figures</h2>"
            + table_html(("Figure", "Value"), facts)
            + imd + f"<p>{text(contents)}</p>" + approximate + f'<p class="notice">{text(JUDGEMENT_NOTE)}</p>')


def _spine_page(pack: DivisionPack) -> str:
    key = (f"Circle: {pack.name}, coloured by its rating against {pack.comparator} (95% confidence). Black bar: "
           f"{pack.comparator}. Grey bar: range of {pack.words.all_of_them}, worst or lowest on the left (darker: the middle "
           "half; white line: the median).")
    return (f"<h2>How {text(pack.name)} compares with {text(pack.words.all_of_them)} and {text(pack.comparator)}</h2>"
            + figure_html(pack.spine, caption=key)
            + f'<p class="small muted">{text(pr.sources_sentence(pack.profile.frame))}</p>')


def _priority_page(pack: DivisionPack) -> str:
    standing = pack.standing
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
    return (f"<h2>Priority rank: {text(standing.rank_text)}, {text(standing.klass.lower())}</h2>"
            f"<p>On the dashboard's default index (equal weights on the ten measures below), {text(pack.name)} "
            f"ranks {text(standing.rank_text)}{text(score)} among the ranked divisions, in the class "
            f"{text(standing.klass)}. {text(standing.stability_text)}</p>"
            + gaps
            + '<div class="two"><div class="main">'
            + figure_html(pack.priority_map, caption="Divisions by priority class (quintiles of rank); black outline: "
                          f"{pack.name}. Boundaries approximate.")
            + '</div><div class="side"><h3>Classes</h3><ul style="list-style:none;padding-left:0">' + legend + "</ul>"
            + "<h3>Measures and weights</h3>" + f'<p class="small">{text(weights)}</p></div></div>'
            + f"<h3>{text(pack.contribution_finding)}</h3>"
            + figure_html(pack.contributions, caption="Contribution = weight × the measure's z-score, oriented so "
                          "that more need is positive; the contributions add up to the score.")
            + f'<p class="notice">{text(JUDGEMENT_NOTE)}</p>')


def _trend_panel_html(panel: TrendPanel) -> str:
    words = f"<p>{text(panel.story)}</p>" + (f"<p>{text(panel.projection)}</p>" if panel.projection else "") + \
        (f'<p class="muted">{text(panel.accuracy)}</p>' if panel.accuracy else "")
    return (f'<div class="trend"><h3>{text(panel.title)}</h3><div class="trend-row"><div class="trend-chart">'
            f"{figure_html(panel.figure)}</div><div class=\"trend-words\">{words}</div></div></div>")


def _trends_pages(pack: DivisionPack) -> list[str]:
    district = pack.districts.split("; ")[0]
    caveats = next((p.caveats for p in pack.trends if p.caveats), ())
    pages = []
    chunks = [pack.trends[i:i + TRENDS_PER_PAGE] for i in range(0, len(pack.trends), TRENDS_PER_PAGE)]
    for number, chunk in enumerate(chunks, start=1):
        part = f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""
        intro = (f"<p>These measures are published for districts, not divisions, so {text(district)}'s series are "
                 f"shown, with {text(pack.comparator)} and England. {text(' '.join(caveats[:1]))}</p>"
                 if number == 1 else "")
        rest = "".join(f"<li>{text(c)}</li>" for c in caveats[1:])
        outro = f'<h3>About these projections</h3><ul class="small">{rest}</ul>' \
            if number == len(chunks) and rest else ""
        pages.append(f"<h2>Trends and projections for {text(district)}{part}</h2>{intro}"
                     + "".join(_trend_panel_html(p) for p in chunk) + outro)
    return pages


def _sources_page(pack: DivisionPack) -> str:
    notes = [DISCLOSURE_NOTE, RATINGS_NOTE.format(comparator=pack.comparator), PROJECTION_NOTE, JUDGEMENT_NOTE]
    if pack.approximate:
        notes.insert(0, s.APPROXIMATE_BOUNDARIES_NOTICE)
    return ("<h2>Sources and licences</h2>"
            + table_html(("Source", "Measures in this pack (periods shown)", "Licence"), pack.sources, "sources")
            + "<h2>Notes</h2><ul>" + "".join(f"<li>{text(n)}</li>" for n in notes) + "</ul>"
            + f'<p class="small muted">{text(s.OGL_ATTRIBUTION)} {text(pack.stamp)}.</p>')


def division_pack_html(pack: DivisionPack) -> str:
    """The division pack as one HTML document (six A4 pages with the default six trend measures)."""
    return document(f"{pack.name}: division committee pack", f"{pack.name} · {pack.stamp}",
                    [_cover(pack), _spine_page(pack), _priority_page(pack), *_trends_pages(pack), _sources_page(pack)],
                    description=f"Committee pack for {pack.name} county electoral division")


def division_pack_pdf(context: FigureContext, division_code: str, produced: date) -> bytes:
    """The division committee pack as a tagged A4 PDF (the cache layer calls this once per division, data
    version and date)."""
    return render_pdf(division_pack_html(build_division_pack(context, division_code, produced)))
