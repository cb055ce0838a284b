"""The division committee pack: six tagged A4 pages of real text, charts with alt text, sources and notes, each
page fitted to its sheet by design (charts sized from the room the text leaves, text never below 8 pt)."""

from __future__ import annotations

import io
import math
from datetime import date

import pytest

from insight import schema as s
from insight.forecast import Backtest
from tests.unit.agenda_helpers import CLACTON_WEST, committed_context
from tests.unit.pdf_checks import page_texts, read, structure
from views.committee_pack import build_division_pack, division_pack_document, division_pack_html, pack_inputs
from views.pack_charts import compact_accuracy
from views.pack_layout import CONTENT_WIDTH

PRODUCED = date(2026, 12, 1)
MIN_FILL = 0.85  # no page more than 15% empty


@pytest.fixture(scope="module")
def context():
    return committed_context()


@pytest.fixture(scope="module")
def inputs(context):
    return pack_inputs(context)


@pytest.fixture(scope="module")
def pack(context, inputs):
    return build_division_pack(context, CLACTON_WEST, PRODUCED, inputs=inputs)


@pytest.fixture(scope="module")
def fitted(pack):
    return division_pack_document(pack)


@pytest.fixture(scope="module")
def pdf(fitted):
    return fitted.pdf


def test_the_pack_has_six_a4_pages_each_numbered(pdf, pack):
    reader = read(pdf)
    assert pack.page_count == 6
    assert len(reader.pages) == 6
    for number, (page, words) in enumerate(zip(reader.pages, page_texts(reader), strict=True), start=1):
        assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]
        assert f"Page {number} of 6" in words
        assert "Clacton West · Data as of" in words  # the footer stamp


@pytest.mark.parametrize(("page", "expected"), [
    (0, ["Clacton West: division committee pack", "County electoral division E58000426", "Summary",
         "Challenges against Essex", "Key figures", "Priority rank (default index) 1st of 70", "Deprivation over time",
         "APPROXIMATE", "never replaces it", "trends and projections for Tendring (pages 4 to 5)"]),
    (1, ["How Clacton West compares with the 70 divisions and Essex", "Circle: Clacton West", "Rank (of 70)"]),
    (2, ["Priority rank: 1st of 70", "stays in the top 10 in", "Measures and weights",
         "adds most to Clacton West's priority score", "among the ranked divisions"]),
    (3, ["Trends and projections for Tendring (1 of 2)", "with Essex and England", "If past trends continue",
         "Leak-free test (years", "of the naive method's"]),
    (4, ["Trends and projections for Tendring (2 of 2)", "The notes on page 6"]),
    (5, ["Sources and licences", "Every source is published under the Open Government Licence v3.0", "Notes",
         "suppressed", "Division boundaries are APPROXIMATE", "leak-free test", "as a share of the naive method's",
         "Data as of"]),
])
def test_each_page_says_what_it_is_for_in_real_text(pdf, page, expected):
    words = page_texts(read(pdf))[page]
    for phrase in expected:
        assert phrase in words, phrase


def test_every_page_fits_its_own_sheet_and_is_at_least_85_percent_full(fitted):
    assert fitted.all_fit and fitted.sheets == 6
    for page in fitted.pages:
        assert page.first_sheet == page.last_sheet == page.index, page.name
        assert MIN_FILL <= page.fill <= 1.0, (page.name, page.fill)


HEADINGS = ("H1", "H2", "H3")
BLOCKS = ("P", "Figure", "Table", "L", "Caption")  # what a heading introduces (its own Span children aside)


def headings_and_blocks(pdf: bytes) -> list:
    """The tagged headings and content blocks of a PDF, in reading order, each with its page."""
    return [e for e in structure(read(pdf)) if e.page is not None and e.tag in (*HEADINGS, *BLOCKS)]


def test_no_heading_is_separated_from_what_follows_it(pdf):
    elements = headings_and_blocks(pdf)
    for index, here in enumerate(elements):
        if here.tag in HEADINGS:
            after = next(e for e in elements[index + 1:] if e.tag in BLOCKS)
            assert after.page == here.page, f"{here.tag} on page {here.page + 1}; what follows is on {after.page + 1}"
    first_on_page = {}
    for element in elements:
        first_on_page.setdefault(element.page, element.tag)
    assert list(first_on_page.values()) == ["H1", "H2", "H2", "H2", "H2", "H2"]  # each page opens with its heading


def test_no_text_is_smaller_than_8_pt_charts_included(pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            sizes = [c["size"] if c["upright"] else c["width"] for c in page.chars if c["text"].strip()]
            assert sizes and min(sizes) >= 7.95, (number, min(sizes))


def test_charts_are_printed_at_their_own_size_within_the_page(fitted):
    import re

    images = re.findall(r'<img[^>]*style="width:([\d.]+)px;height:([\d.]+)px"', fitted.html)
    assert len(images) == 11
    assert all(float(w) <= CONTENT_WIDTH for w, _ in images)  # an SVG px is a CSS px: no chart is scaled


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


def test_the_accuracy_line_is_compact_and_only_leak_free(pack):
    projected = [p for p in pack.trends if p.projection]
    assert len(projected) >= 4
    for panel in projected:
        assert panel.accuracy.startswith("Leak-free test (years ")
        assert len(panel.accuracy) <= 300, panel.accuracy
        assert "in-sample" not in panel.accuracy.lower() and "back-test that chose" not in panel.accuracy
        assert panel.projection.startswith("If past trends continue, in ")


def _backtest(**changes) -> Backtest:
    base = dict(chosen_method="theta", origins=("2019", "2020", "2021", "2022"), series_tested=True,
                horizons=(1, 2, 3), n_tests=(4, 3, 2), error_ratio=(0.94, 1.16, 1.28), methods_used="theta",
                pooled_label="the 15 series of this indicator", pooled_n_series=15, pooled_n_cells=135,
                pooled_coverage_80=0.86, pooled_coverage_95=0.98, summary="")
    return Backtest(**{**base, **changes})


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, "Leak-free test (years 2019–2022): this series' errors were 94%, 116% and 128% of the naive method's "
         "1, 2 and 3 years ahead (4, 3 and 2 tests). Pooled across the 15 series of this indicator: 80% ranges "
         "held 86% and 95% ranges 98% of 135 outcomes."),
    ({"methods_used": "naive_last"}, "Leak-free test (years 2019–2022): for this series the naive method was used "
                                     "at every point. Pooled across the 15 series of this indicator: 80% ranges "
                                     "held 86% and 95% ranges 98% of 135 outcomes."),
    ({"series_tested": False, "horizons": (), "n_tests": (), "error_ratio": (), "pooled_n_cells": 0},
     "Leak-free test (years 2019–2022): this series itself was not in the test."),
    ({"horizons": (1,), "n_tests": (1,), "error_ratio": (0.5,), "pooled_n_cells": 0},
     "Leak-free test (years 2019–2022): this series' errors were 50% of the naive method's 1 year ahead (1 test)."),
    ({"error_ratio": (math.nan, math.nan, math.nan), "pooled_n_cells": 0},
     "Leak-free test (years 2019–2022): no error of this series could be compared with the naive method's."),
    ({"origins": ()}, "No leak-free test of this projection is available."),
])
def test_the_compact_accuracy_sentence_says_whose_errors_they_are(changes, expected):
    assert compact_accuracy(_backtest(**changes), s.Frequency.ANNUAL) == expected


def test_the_sources_name_every_measure_shown_with_its_licence(pack):
    listed = " ".join(measures for _, measures, _ in pack.sources)
    for title in pack.profile.frame[s.SHORT_TITLE]:
        assert title in listed
    assert {licence for _, _, licence in pack.sources} == {s.OGL}
    assert "Claimant count (dataset claimant-count; 2001 to 2025)" in listed


def test_the_footer_stamp_cannot_break_out_of_its_css_string():
    from views.committee_pack import css_string

    assert css_string('a"b\\c</style><script>') == '"a\\22 b\\5c c\\3c /style\\3e \\3c script\\3e "'


def test_a_division_name_and_figures_are_escaped_in_the_html(pack):
    from dataclasses import replace

    crafted = replace(pack, name="<script>alert(1)</script>", districts="A & B")
    html = division_pack_html(crafted)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B" in html
