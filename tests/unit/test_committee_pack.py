"""The division committee pack: six tagged A4 pages of real text, charts with alt text, sources and notes."""

from __future__ import annotations

from datetime import date

import pytest

from insight import schema as s
from tests.unit.agenda_helpers import CLACTON_WEST, committed_context
from tests.unit.pdf_checks import page_texts, read, structure
from views.committee_pack import build_division_pack, division_pack_html, render_pdf

PRODUCED = date(2026, 12, 1)


@pytest.fixture(scope="module")
def context():
    return committed_context()


@pytest.fixture(scope="module")
def pack(context):
    return build_division_pack(context, CLACTON_WEST, PRODUCED)


@pytest.fixture(scope="module")
def pdf(pack):
    return render_pdf(division_pack_html(pack))


def test_the_pack_has_six_a4_pages_each_numbered(pdf):
    reader = read(pdf)
    assert len(reader.pages) == 6
    for number, (page, words) in enumerate(zip(reader.pages, page_texts(reader), strict=True), start=1):
        assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]
        assert f"Page {number} of 6" in words
        assert "Clacton West · Data as of" in words  # the footer stamp


@pytest.mark.parametrize(("page", "expected"), [
    (0, ["Clacton West: division committee pack", "Summary", "Challenges against Essex", "Key figures",
         "Priority rank (default index) 1st of 70", "Deprivation over time", "APPROXIMATE",
         "never replaces it"]),
    (1, ["How Clacton West compares with the 70 divisions and Essex", "Circle: Clacton West"]),
    (2, ["Priority rank: 1st of 70", "stays in the top 10 in", "Measures and weights",
         "adds most to Clacton West's priority score"]),
    (3, ["Trends and projections for Tendring (1 of 2)", "If past trends continue", "back-test"]),
    (4, ["Trends and projections for Tendring (2 of 2)", "About these projections"]),
    (5, ["Sources and licences", "Open Government Licence v3.0", "Notes", "suppressed",
         "Division boundaries are APPROXIMATE", "Data as of"]),
])
def test_each_page_says_what_it_is_for_in_real_text(pdf, page, expected):
    words = page_texts(read(pdf))[page]
    for phrase in expected:
        assert phrase in words, phrase


def test_the_pdf_is_tagged_with_a_language_headings_and_alt_text_on_every_chart(pdf):
    reader = read(pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    elements = structure(reader)
    tags = [e.tag for e in elements]
    assert tags.count("H1") == 1 and tags.count("H2") >= 6 and "H3" in tags
    figures = [e for e in elements if e.tag == "Figure"]
    assert len(figures) == 11  # locator, IMD trend, spine, priority map, contributions, six trend charts
    assert all(f.alt and len(f.alt) > 40 for f in figures)
    assert {f.page for f in figures} == {0, 1, 2, 3, 4}  # every page but the sources has a chart


def test_the_pages_draw_their_charts_as_vector_pictures(pdf):
    reader = read(pdf)
    for index in range(5):
        content = reader.pages[index].get_contents().get_data()
        assert b" Do" in content  # each chart is a form XObject drawn on the page


def test_alt_text_states_the_finding_not_just_the_chart_type(pack):
    assert pack.spine.alt.startswith("Spine chart of 21 indicators for Clacton West")
    assert "worse" in pack.spine.alt
    assert "Clacton West is outlined in black, in the class Highest priority" in pack.priority_map.alt
    employment = next(p for p in pack.trends if p.indicator_id == "employment_rate")
    assert employment.figure.alt.startswith("Line chart of Employment rate (%) for Tendring against Essex, England")
    assert "projection" in employment.figure.alt


def test_the_sources_name_every_measure_shown_with_its_licence(pack):
    listed = " ".join(measures for _, measures, _ in pack.sources)
    for title in pack.profile.frame[s.SHORT_TITLE]:
        assert title in listed
    assert {licence for _, _, licence in pack.sources} == {s.OGL}


def test_the_footer_stamp_cannot_break_out_of_its_css_string():
    from views.committee_pack import css_string

    assert css_string('a"b\\c</style><script>') == '"a\\22 b\\5c c\\3c /style\\3e \\3c script\\3e "'


def test_a_division_name_and_figures_are_escaped_in_the_html(context):
    from dataclasses import replace

    pack = build_division_pack(context, CLACTON_WEST, PRODUCED)
    crafted = replace(pack, name="<script>alert(1)</script>", districts="A & B")
    html = division_pack_html(crafted)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B" in html
