"""Every small area's pack comes out at its designed page count, each page on its own sheet and at least 85%
full, on both councils. Building all 70 Essex packs takes 3 to 5 minutes on this (shared) machine, too slow for
the unit suite, so the suite builds a stratified sample chosen from the data: whole packs for the divisions at
the extremes of everything whose length varies from one division to another, and the trend pages (which are
the district's) for one division of every other district. ``scripts/check_packs.py`` builds and checks all of
them (``--council colchester`` for the wards).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from insight import query
from insight import schema as s
from insight.config import load_config
from insight.snapshot import load_context
from tests.unit.agenda_helpers import ROOT, app_settings, committed_context
from tests.unit.pdf_checks import page_texts, read
from views.committee_pack import (
    build_division_pack,
    division_pack_document,
    division_pack_pages,
    division_pack_wrap,
    pack_inputs,
)
from views.pack_layout import fit_pages

PRODUCED = date(2026, 12, 1)
MIN_FILL = 0.85
COLCHESTER = ROOT / "data" / "councils" / "colchester"


def hardest_divisions(context) -> list[str]:  # noqa: ANN001 - FigureContext
    """Divisions whose packs are the hardest to fit: the longest and shortest name, the longest list of
    districts, the longest and shortest summary, the most and fewest profile rows, the most measures without
    a value in the priority index."""
    from insight import priority as pri
    from insight import profile as pr

    areas = query.areas_at(context.dataset.areas, s.Level.DIVISION).set_index(s.AREA_CODE)
    codes = list(areas.index)
    table = context.division_table
    summary = {c: len(pr.build_division_profile(table, c, context.config.short_name).summary.text) for c in codes}
    rows = table.groupby(s.AREA_CODE).size().reindex(codes, fill_value=0)
    missing = pack_inputs(context).result.table[pri.MISSING].fillna("").astype(str).str.len().reindex(
        codes, fill_value=0)
    chosen = [max(codes, key=lambda c: len(areas.loc[c, s.AREA_NAME])),
              min(codes, key=lambda c: len(areas.loc[c, s.AREA_NAME])),
              max(codes, key=lambda c: len(str(areas.loc[c, s.PARENT_CODES]))),
              max(codes, key=summary.__getitem__), min(codes, key=summary.__getitem__),
              max(codes, key=lambda c: rows[c]), min(codes, key=lambda c: rows[c]),
              max(codes, key=lambda c: missing[c])]
    return list(dict.fromkeys(chosen))


def other_districts(context, chosen: list[str]) -> list[str]:  # noqa: ANN001
    """One division (the longest-named) of each district that ``chosen`` does not cover."""
    areas = query.areas_at(context.dataset.areas, s.Level.DIVISION).set_index(s.AREA_CODE)
    covered = {areas.loc[c, s.PARENT_CODE] for c in chosen}
    return [max(group.index, key=lambda c: len(areas.loc[c, s.AREA_NAME]))
            for district, group in areas.groupby(s.PARENT_CODE, sort=True) if district not in covered]


@pytest.fixture(scope="module")
def essex():
    context = committed_context()
    return context, pack_inputs(context)


def _check(fitted, pack) -> None:  # noqa: ANN001
    assert fitted.sheets == pack.page_count, f"{pack.name}: {fitted.sheets} sheets for {pack.page_count} pages"
    for page in fitted.pages:
        assert page.fits, f"{pack.name}: page {page.index + 1} ({page.name}) does not fit its sheet"
        assert page.fill >= MIN_FILL, f"{pack.name}: page {page.index + 1} ({page.name}) is {page.fill:.0%} full"


def test_the_sample_covers_every_district_and_the_longest_names(essex):
    context, _ = essex
    hardest = hardest_divisions(context)
    sample = hardest + other_districts(context, hardest)
    areas = context.dataset.areas.set_index(s.AREA_CODE)
    divisions = query.areas_at(context.dataset.areas, s.Level.DIVISION)
    assert {areas.loc[c, s.PARENT_CODE] for c in sample} == set(divisions[s.PARENT_CODE])
    assert len(hardest) <= 8
    assert max(len(areas.loc[c, s.AREA_NAME]) for c in hardest) == divisions[s.AREA_NAME].str.len().max()


def test_the_hardest_essex_packs_are_six_pages_each_fitted_and_full(essex):
    context, inputs = essex
    for code in hardest_divisions(context):
        pack = build_division_pack(context, code, PRODUCED, inputs=inputs)
        assert pack.page_count == 6
        _check(division_pack_document(pack), pack)


def test_every_districts_trend_pages_fit_two_sheets(essex):
    context, inputs = essex
    for code in other_districts(context, hardest_divisions(context)):
        pack = build_division_pack(context, code, PRODUCED, inputs=inputs)
        trend_pages = division_pack_pages(pack)[3:-1]
        fitted = fit_pages(trend_pages, division_pack_wrap(pack))
        assert fitted.sheets == len(trend_pages) == 2, pack.districts
        for page in fitted.pages:
            assert page.fits and page.fill >= MIN_FILL, (pack.districts, page.name, page.fill)


@pytest.fixture(scope="module")
def colchester():
    config = load_config(ROOT / "insight" / "councils" / "colchester.toml")
    context = load_context(COLCHESTER, config, app_settings())
    return context, pack_inputs(context)


def _ward_with_the_longest_name(context) -> str:  # noqa: ANN001
    wards = query.areas_at(context.dataset.areas, s.Level.DIVISION)
    return str(wards.loc[wards[s.AREA_NAME].str.len().idxmax(), s.AREA_CODE])


@pytest.mark.skipif(not (COLCHESTER / "areas.parquet").is_file(), reason="no Colchester dataset")
def test_a_colchester_ward_pack_speaks_of_wards_and_of_colchester(colchester):
    context, inputs = colchester
    code = _ward_with_the_longest_name(context)
    pack = build_division_pack(context, code, PRODUCED, inputs=inputs)
    fitted = division_pack_document(pack)
    _check(fitted, pack)
    texts = page_texts(read(fitted.pdf))
    everything = " ".join(texts)
    assert f"{pack.name}: ward committee pack" in texts[0] and f"Ward {code}" in texts[0]
    assert "Where the ward is." in texts[0] and "approximate" not in everything.lower()
    assert f"How {pack.name} compares with the {inputs.words.count} wards and Colchester" in texts[1]
    assert "among the ranked wards" in texts[2] and "Wards by priority class" in texts[2]
    assert "not wards, so Colchester's series are shown, with Essex and England" in texts[3]
    assert "Ratings compare the ward's 95% confidence interval with the Colchester value" in texts[-1]
    assert "division" not in everything.lower()
    # Essex appears only as the county the trend charts compare with, never as the council
    for found in re.finditer(r"Essex", everything):
        around = everything[max(found.start() - 40, 0):found.end() + 40]
        assert re.search(r"with Essex and England|Colchester Essex England|Essex, England", around), around
    assert "against Colchester" in texts[0] and "against Essex" not in everything


@pytest.mark.skipif(not (COLCHESTER / "areas.parquet").is_file(), reason="no Colchester dataset")
def test_sampled_colchester_ward_packs_have_their_designed_page_count(colchester):
    context, inputs = colchester
    for code in hardest_divisions(context):
        pack = build_division_pack(context, code, PRODUCED, inputs=inputs)
        _check(division_pack_document(pack), pack)
