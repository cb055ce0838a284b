"""Fitting pack pages to A4 sheets: pictures grow to fill a page, stop at their largest, and a page that would
overflow takes its shorter form (views.pack_layout, laid out by WeasyPrint)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from views.pack_layout import (
    CONTENT_HEIGHT,
    CONTENT_WIDTH,
    SAFETY,
    Flex,
    PageSpec,
    column,
    fit_pages,
    text_width,
    wrap_words,
)

CSS = ("<style>@page { size: A4; margin: 15mm 14mm 17mm 14mm; } body { margin: 0; font: 10pt 'DejaVu Sans'; } "
       "section.page { break-after: page; } section.page:last-of-type { break-after: auto; } p { margin: 0; } "
       ".mark { height: 0; } .row { display: table; width: 100%; } .row > div { display: table-cell; "
       "vertical-align: top; }</style>")


def wrap(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en-GB"><head><title>t</title>{CSS}</head><body>{body}</body></html>'


def box(width: int, height: int) -> str:
    return f'<div style="width:{width}px;height:{height}px;background:#123"></div>'


def picture(key: str, low: int, high: int, *, row: str = "", step: int = 1) -> Flex:
    return Flex(key, 300, low, high, lambda w, h: box(w, h), step=step, row=row)


def fixed(height: int) -> PageSpec:
    return PageSpec(lambda pictures, level: box(100, height), name=f"fixed {height}")


def test_a_picture_grows_until_its_page_is_full():
    page = PageSpec(lambda pictures, level: box(100, 300) + pictures["a"], (picture("a", 100, 2000),))
    fitted = fit_pages([page], wrap)
    assert fitted.sheets == 1 and fitted.all_fit
    assert fitted.pages[0].heights["a"] == pytest.approx(CONTENT_HEIGHT - SAFETY - 300, abs=1.5)
    assert fitted.pages[0].fill == pytest.approx(1.0, abs=0.01)


def test_a_picture_stops_at_its_largest_height():
    page = PageSpec(lambda pictures, level: pictures["a"], (picture("a", 100, 250),))
    fitted = fit_pages([page], wrap)
    assert fitted.pages[0].heights["a"] == 250
    assert fitted.pages[0].fill == pytest.approx(250 / CONTENT_HEIGHT, abs=0.01)


def test_pictures_share_the_room_and_heights_keep_to_their_step():
    page = PageSpec(lambda pictures, level: pictures["a"] + pictures["b"],
                    (picture("a", 100, 2000, step=7), picture("b", 100, 2000, step=7)))
    heights = fit_pages([page], wrap).pages[0].heights
    assert heights["a"] == heights["b"] and (heights["a"] - 100) % 7 == 0
    assert CONTENT_HEIGHT - SAFETY - 14 <= 2 * heights["a"] <= CONTENT_HEIGHT - SAFETY


def test_pictures_in_one_row_grow_the_row_once():
    def html(pictures: Mapping[str, str], level: int) -> str:
        return '<div class="row"><div>' + pictures["a"] + "</div><div>" + pictures["b"] + "</div></div>"

    page = PageSpec(html, (picture("a", 100, 2000, row="r"), picture("b", 100, 2000, row="r")))
    fitted = fit_pages([page], wrap)
    assert fitted.pages[0].heights["a"] == pytest.approx(CONTENT_HEIGHT - SAFETY, abs=1.5)
    assert fitted.all_fit


def test_a_picture_beside_taller_text_grows_the_row_only_past_the_text():
    def html(pictures: Mapping[str, str], level: int) -> str:
        return ('<div class="row"><div style="width:300px">' + column("a", "own", pictures["a"]) + "</div><div>"
                + column("a", "beside", box(100, 400)) + "</div></div>" + box(100, 300))

    fitted = fit_pages([PageSpec(html, (picture("a", 100, 2000),))], wrap)
    assert fitted.pages[0].heights["a"] == pytest.approx(CONTENT_HEIGHT - SAFETY - 300, abs=1.5)
    assert fitted.all_fit


def test_a_page_too_long_takes_its_shorter_form_and_every_page_keeps_its_own_sheet():
    long_page = PageSpec(lambda pictures, level: box(100, 1400 if level == 0 else 600), levels=1, name="long")
    fitted = fit_pages([fixed(200), long_page, fixed(500)], wrap)
    assert [p.level for p in fitted.pages] == [0, 1, 0]
    assert fitted.sheets == 3 and fitted.all_fit
    assert [p.first_sheet for p in fitted.pages] == [0, 1, 2]


def test_a_page_with_no_shorter_form_is_reported_as_not_fitting():
    fitted = fit_pages([PageSpec(lambda pictures, level: box(100, 600) + box(100, 600)), fixed(100)], wrap)
    assert not fitted.all_fit
    assert not fitted.pages[0].fits and fitted.pages[0].fill > 1
    assert fitted.sheets == 3


def test_text_widths_are_measured_in_the_print_font():
    assert text_width("Not compared", 11, bold=True) == pytest.approx(87.4, abs=0.1)  # DejaVu Sans Bold
    assert text_width("iiii", 11) < text_width("WWWW", 11)
    assert text_width("", 11) == 0


def test_words_wrap_at_spaces_to_a_width():
    lines = wrap_words("Households deprived (2+ dimensions)", 160, 11)
    assert lines == ["Households deprived (2+", "dimensions)"]
    assert all(text_width(line, 11) <= 160 for line in lines)
    assert wrap_words("Crime", 160, 11) == ["Crime"]


def test_the_content_area_is_a4_less_the_margins():
    assert CONTENT_WIDTH == 687
    assert round(CONTENT_HEIGHT, 1) == 1001.6  # 265 mm at 96 px to the inch
