"""The agenda pack: a cover and one tagged page per view, with its chart, figures and speaker note; never a
view split over two pages, however long its title, note and list of changes."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest

from insight import priority as pri
from insight import query
from insight import schema as s
from insight.agenda import MAX_NOTE_LENGTH, MAX_TITLE_LENGTH, MAX_VIEWS, Agenda, Page, View, ViewParams
from insight.config import load_config
from insight.snapshot import load_context, snapshot_agenda
from tests.unit.agenda_helpers import (
    CLACTON_WEST,
    ROOT,
    TENDRING,
    VERSION,
    app_settings,
    committed_context,
    sample_agenda,
)
from tests.unit.pdf_checks import page_texts, read, structure
from views.agenda_pack import agenda_pack_document, agenda_pack_html, agenda_pack_pages, agenda_wrap
from views.committee_pack import render_pdf
from views.pack_layout import CONTENT_WIDTH, fit_pages

PRODUCED = date(2026, 12, 1)
CRAFTED_NOTE = "<script>alert(1)</script> [Re-login](https://evil.example) {{ 7*7 }}"


@pytest.fixture(scope="module")
def context():
    return committed_context()


@pytest.fixture(scope="module")
def agenda(context):
    return snapshot_agenda(sample_agenda(), context)


@pytest.fixture(scope="module")
def fitted(agenda, context):
    return agenda_pack_document(agenda, context, PRODUCED)


@pytest.fixture(scope="module")
def pdf(fitted):
    return fitted.pdf


def test_the_pack_has_a_cover_and_one_page_per_view(pdf, agenda):
    reader = read(pdf)
    assert len(reader.pages) == 1 + len(agenda.views)
    texts = page_texts(reader)
    assert "Tendring local committee, December" in texts[0] and "Meeting of 3 December 2026" in texts[0]
    assert "the same data this agenda was made with" in texts[0]
    for number, view in enumerate(agenda.views, start=1):
        words = texts[number]
        assert f"{number}. {view.title}" in words
        assert "Speaker note" in words and view.note.split("\n")[0] in words
        assert f"Page {number + 1} of {len(reader.pages)}" in words


@pytest.mark.parametrize(("page", "expected"), [
    (1, ["Overview · Tendring", "Employment rate, Tendring: latest value", "(v England)"]),
    (2, ["Claimant count, Tendring: projection", "If past trends continue", "80% range"]),
    (3, ["Clacton West: priority rank", "1st of 70 (Highest priority)", "never replaces it"]),
    (4, ["Division profile · Clacton West", "No measure is clearly better in Clacton West than in Essex"]),
    (5, ["What each scenario assumes", "Faster growth", "not what will happen"]),
])
def test_each_view_page_shows_its_own_figures(pdf, page, expected):
    words = page_texts(read(pdf))[page]
    for phrase in expected:
        assert phrase in words, phrase


def test_the_agenda_pack_is_tagged_with_headings_and_alt_text(pdf, agenda):
    reader = read(pdf)
    assert "/StructTreeRoot" in reader.trailer["/Root"] and bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    elements = structure(reader)
    tags = [e.tag for e in elements]
    assert tags.count("H1") == 1 and tags.count("H2") >= 1 + len(agenda.views)
    figures = [e for e in elements if e.tag == "Figure"]
    assert figures and all(f.alt for f in figures)
    assert {f.page for f in figures} == {1, 2, 3, 4, 5}  # every view page has a chart


def test_a_crafted_title_and_note_print_as_literal_text(context):
    view = View(Page.OVERVIEW, "<b>Bold</b> & [link](https://evil.example)", ViewParams(districts=(TENDRING,)),
                note=CRAFTED_NOTE)
    agenda = Agenda("Agenda <i>title</i>", date(2026, 12, 3), VERSION, (view,))
    html = agenda_pack_html(agenda, context, PRODUCED)
    assert "<script>" not in html and "<b>Bold</b>" not in html and "<i>title</i>" not in html
    reader = read(render_pdf(html))
    texts = page_texts(reader)
    assert "Agenda <i>title</i>" in texts[0]
    assert CRAFTED_NOTE in texts[1] and "<b>Bold</b> & [link](https://evil.example)" in texts[1]
    for page in reader.pages:  # no live link was made from the text
        annotations = page.get("/Annots") or []
        assert not any(a.get_object().get("/A", {}).get("/URI") for a in annotations)


def test_every_page_fits_its_own_sheet(fitted, agenda):
    assert fitted.all_fit and fitted.sheets == 1 + len(agenda.views)
    assert all(page.level == 0 for page in fitted.pages)  # the sample needs no shortening


def test_no_text_is_smaller_than_8_pt(pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            sizes = [c["size"] if c["upright"] else c["width"] for c in page.chars if c["text"].strip()]
            assert min(sizes) >= 7.95, (number, min(sizes))


def test_each_view_page_opens_with_its_heading_and_keeps_headings_with_what_follows(pdf):
    headings, blocks = ("H1", "H2", "H3"), ("P", "Figure", "Table", "L", "Caption")
    elements = [e for e in structure(read(pdf)) if e.page is not None and e.tag in (*headings, *blocks)]
    for index, here in enumerate(elements):
        if here.tag in headings:
            after = next(e for e in elements[index + 1:] if e.tag in blocks)
            assert after.page == here.page, here
    first = {}
    for element in elements:
        first.setdefault(element.page, element.tag)
    assert list(first.values()) == ["H1", "H2", "H2", "H2", "H2", "H2"]


def test_the_cover_of_a_pack_opened_on_newer_data_says_what_changed(agenda, context):
    older = replace(agenda, version=VERSION)
    view = agenda.views[1]
    figures = tuple(replace(f, text="9.9%", value=9.9) if f.key.startswith("value:claimant_count:E07000076") else f
                    for f in view.figures)
    older = replace(older, views=(agenda.views[0], view.with_figures(figures), *agenda.views[2:]))
    fitted = agenda_pack_document(older, context, PRODUCED)
    assert fitted.all_fit
    texts = page_texts(read(fitted.pdf))
    assert "The agenda was made with data as of 25 November 2026" in texts[0]
    assert "figures have changed in 1 of 5 views since" in texts[0]
    assert "Item 2, Claimant count is rising in Tendring: 1 figure(s) changed" in texts[0]
    assert "Changed since the agenda was made" in texts[2]
    assert "Claimant count, Tendring: latest value: 4.0% (2025), was 9.9% (2025)." in texts[2]
    assert all("Changed since the agenda was made" not in texts[n] for n in (1, 3, 4, 5))


LONG_TITLE = ("A long title an officer might write, to say exactly what the committee should look at on this page "
              "and why it matters")[:MAX_TITLE_LENGTH]
LONG_NOTE = ("Read the range, not the central line; the committee asked about this last time. " * 40)[:MAX_NOTE_LENGTH]


def crowded_views(context) -> tuple[View, ...]:  # noqa: ANN001
    """The longest view of each page the agenda format allows: longest title and note, most areas, every
    priority measure, three scenarios."""
    districts = tuple(sorted(set(context.parents.values())))
    measures = pri.priority_candidates(context.dataset.indicators, "division")
    return (
        View(Page.OVERVIEW, LONG_TITLE, ViewParams(districts=(TENDRING,)), LONG_NOTE),
        View(Page.TRENDS, LONG_TITLE, ViewParams(districts=districts[:12], indicator="claimant_count", horizon=5),
             LONG_NOTE),
        View(Page.PRIORITY_MAP, LONG_TITLE, ViewParams(divisions=(CLACTON_WEST,), norm="zscore", top=70,
                                                       weights=tuple((m, 10) for m in measures)), LONG_NOTE),
        View(Page.DIVISION_PROFILE, LONG_TITLE, ViewParams(divisions=(CLACTON_WEST,)), LONG_NOTE),
        View(Page.SCENARIOS, LONG_TITLE, ViewParams(
            scn_data="open", scn_indicator="gdhi_per_head", scn_area=TENDRING, scn_horizon=5,
            scenarios="n:Faster growth,t:2,ts:2026-01~n:Slower growth,t:-2,ts:2026-01~n:A third longer-named "
                      "scenario,t:1,ts:2027-01"), LONG_NOTE),
    )


def every_figure_changed(agenda: Agenda) -> Agenda:
    """The agenda as if made on other data, with every frozen figure different from today's."""
    return replace(agenda, version=VERSION, views=tuple(
        v.with_figures(tuple(replace(f, text="9.9", value=9.9) for f in v.figures)) for v in agenda.views))


def test_a_crowded_agenda_still_gives_each_view_exactly_one_page(context):
    agenda = every_figure_changed(snapshot_agenda(Agenda(LONG_TITLE, date(2026, 12, 3), VERSION,
                                                         crowded_views(context)), context))
    fitted = agenda_pack_document(agenda, context, PRODUCED)
    assert fitted.all_fit and fitted.sheets == 1 + len(agenda.views), [(p.name, p.fill) for p in fitted.pages]
    texts = page_texts(read(fitted.pdf))
    for number in range(1, len(agenda.views) + 1):
        assert f"{number}. {LONG_TITLE}" in texts[number] and "Speaker note" in texts[number]
        assert "Changed since the agenda was made" in texts[number]
    assert any("(shortened to fit the page; the full note is in the agenda file)" in t for t in texts[1:])
    assert any("in the agenda file and the view's CSV download" in t for t in texts[1:])


def test_a_cover_of_the_most_items_with_the_longest_titles_fits_its_page(context):
    views = tuple(View(Page.DIVISION_PROFILE, LONG_TITLE, ViewParams(divisions=(CLACTON_WEST,)))
                  for _ in range(MAX_VIEWS))
    agenda = every_figure_changed(snapshot_agenda(Agenda(LONG_TITLE, date(2026, 12, 3), VERSION, views), context))
    cover = agenda_pack_pages(agenda, context, PRODUCED)[0]
    fitted = fit_pages([cover], agenda_wrap(agenda, context))
    assert fitted.all_fit
    words = page_texts(read(fitted.pdf))[0]
    assert "Changed: items 1–20." in words and f"{MAX_VIEWS} Division profile" in words


COLCHESTER = ROOT / "data" / "councils" / "colchester"


@pytest.mark.skipif(not (COLCHESTER / "areas.parquet").is_file(), reason="no Colchester dataset")
def test_a_colchester_agenda_pack_speaks_of_wards():
    context = load_context(COLCHESTER, load_config(ROOT / "insight" / "councils" / "colchester.toml"),
                           app_settings())
    ward = str(query.areas_at(context.dataset.areas, s.Level.DIVISION)[s.AREA_CODE].iloc[0])
    views = (View(Page.PRIORITY_MAP, "Where need is greatest", ViewParams(divisions=(ward,))),
             View(Page.DIVISION_PROFILE, "A ward profile", ViewParams(divisions=(ward,))))
    agenda = snapshot_agenda(Agenda("Colchester committee", date(2026, 12, 3), VERSION, views), context)
    fitted = agenda_pack_document(agenda, context, PRODUCED)
    assert fitted.all_fit
    texts = page_texts(read(fitted.pdf))
    everything = " ".join(texts)
    assert "2 Ward profile A ward profile" in texts[0] and "Ward profile ·" in texts[2]
    assert "Wards by priority class" in texts[1]
    assert "division" not in everything.lower() and "approximate" not in everything.lower()


def test_every_projection_chart_of_a_crowded_agenda_spans_the_page_with_its_legends_in_rows(context):
    """Seven areas on a trend, three long scenario names: laid out in one row (as on screen), the legends were
    wider than the page, so the chart ran off it (trends) or was drawn with a plot 40 px wide (scenarios)."""
    import base64
    import re

    html = agenda_pack_html(snapshot_agenda(Agenda("Charts", date(2026, 12, 3), VERSION, crowded_views(context)),
                                            context), context, PRODUCED)
    svgs = [base64.b64decode(data).decode() for data in re.findall(r"data:image/svg\+xml;base64,([^\"']+)", html)]
    charts = [svg for svg in svgs if "Projection →" in svg]
    assert len(charts) == 2  # the trend and the scenario view
    for chart in charts:
        width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', chart).group(1))
        x_axis = max(float(x) for x in re.findall(r'role-axis-domain[^>]*><line[^>]*\bx2="([\d.]+)"', chart))
        assert width <= CONTENT_WIDTH and x_axis >= 0.75 * width, (x_axis, width)
    assert "A third longer-named scenario" in charts[1] and "England" in charts[0]


def test_a_trends_view_prints_its_target_lines_on_the_chart_and_names_them_in_the_alt_text(context):
    """Target lines set on the Trends page travel with the view into the pack (they were dropped)."""
    import base64
    import re

    from insight.targets import Target, TargetDirection

    ceiling = Target("claimant_count", 3.5, TargetDirection.AT_MOST, "Council plan ceiling", "Policy team",
                     area_code=TENDRING)
    view = View(Page.TRENDS, "Claimant count in Tendring", ViewParams(districts=(TENDRING,),
                                                                     indicator="claimant_count", targets=(ceiling,)))
    html = agenda_pack_html(snapshot_agenda(Agenda("Targets", date(2026, 12, 3), VERSION, (view,)), context),
                            context, PRODUCED)
    svgs = [base64.b64decode(data).decode() for data in re.findall(r"data:image/svg\+xml;base64,([^\"']+)", html)]
    chart = next(svg for svg in svgs if "Projection →" in svg)
    assert "Target for Tendring: Council plan ceiling (at most 3.5%)" in chart
    assert re.search(r'alt="[^"]*Target for Tendring: Council plan ceiling \(at most 3\.5%\)\.', html)
    plain = agenda_pack_html(snapshot_agenda(Agenda("Targets", date(2026, 12, 3), VERSION,
                                                    (replace(view, params=replace(view.params, targets=())),)),
                                             context), context, PRODUCED)
    assert "Council plan ceiling" not in plain
