"""The agenda pack: a cover and one tagged page per view, with its chart, figures and speaker note."""

from __future__ import annotations

from datetime import date

import pytest

from insight.agenda import Agenda, Page, View, ViewParams
from insight.snapshot import snapshot_agenda
from tests.unit.agenda_helpers import TENDRING, VERSION, committed_context, sample_agenda
from tests.unit.pdf_checks import page_texts, read, structure
from views.agenda_pack import agenda_pack_html
from views.committee_pack import render_pdf

PRODUCED = date(2026, 12, 1)
CRAFTED_NOTE = "<script>alert(1)</script> [Re-login](https://evil.example) {{ 7*7 }}"


@pytest.fixture(scope="module")
def context():
    return committed_context()


@pytest.fixture(scope="module")
def agenda(context):
    return snapshot_agenda(sample_agenda(), context)


@pytest.fixture(scope="module")
def pdf(agenda, context):
    return render_pdf(agenda_pack_html(agenda, context, PRODUCED))


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


def test_a_pack_on_other_data_says_so_on_the_cover(agenda, context):
    from dataclasses import replace

    older = replace(agenda, version=VERSION)  # as if made with another data version; figures as frozen
    changed_view = agenda.views[1]
    figures = tuple(replace(f, text="9.9%", value=9.9) if f.key.startswith("value:claimant_count:E07000076") else f
                    for f in changed_view.figures)
    older = replace(older, views=(agenda.views[0], changed_view.with_figures(figures), *agenda.views[2:]))
    html = agenda_pack_html(older, context, PRODUCED)
    assert "The agenda was made with data as of 25 November 2026" in html
    assert "Item 2, Claimant count is rising in Tendring: 1 figure(s) changed" in html
    assert "Claimant count, Tendring: latest value: 4.0% (2025), was 9.9% (2025)." in html
