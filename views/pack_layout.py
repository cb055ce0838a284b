"""Page geometry of the printed packs, and fitting every page to exactly one A4 sheet (WeasyPrint).

Pure: no st.* calls. A pack is a list of ``PageSpec``: HTML with *flexible pictures* (charts whose height the
page decides) and, optionally, *compaction levels* (a shorter form of long content). ``fit_pages`` lays the
document out once with every flexible picture at its smallest height, reads how much of each page is left
(WeasyPrint's public ``Page.anchors``: every page and every measured column has a marker element), then:

* a page that overflows even with its pictures at their smallest is laid out again one compaction level
  shorter (``PageSpec.levels``), until it fits or has no shorter form;
* a page with room to spare grows its pictures, all by the same number of pixels, until the page is full or
  every picture has reached its largest height. A picture beside a column of text (a trend chart and its
  words) grows the row only once it is taller than the text.

Then every picture is drawn at its final size, at one SVG pixel per CSS pixel (so a chart's 11 px labels print
at 8.25 pt: nothing is scaled down to fit), and the document is laid out again (a page whose drawn pictures
came out taller than their boxes gives them less room and is laid out once more) and written as a tagged PDF. The
result says, per page, how full it is and whether it fitted (``PageFit``), so tests and the pack check script
can assert on the layout instead of trusting it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PDF_VARIANT = "pdf/ua-1"
PX_PER_MM = 96 / 25.4
PAGE_MM = (210.0, 297.0)  # A4, portrait
MARGIN_MM = (15.0, 14.0, 17.0, 14.0)  # top, right, bottom, left (the footer sits in the bottom margin)
CONTENT_WIDTH = int((PAGE_MM[0] - MARGIN_MM[1] - MARGIN_MM[3]) * PX_PER_MM)  # 687 px
CONTENT_HEIGHT = (PAGE_MM[1] - MARGIN_MM[0] - MARGIN_MM[2]) * PX_PER_MM  # 1001.6 px
SAFETY = 4.0  # px left free at the foot of a fitted page (sub-pixel line heights, rounding)
MIN_FONT_PX = 11  # the smallest text a chart draws: 11 CSS px = 8.25 pt at 1:1
FONT_FILES = {  # DejaVu Sans, the packs' one font (Debian: fonts-dejavu-core)
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"),
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
}
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(?:px)?"[^>]*?\bheight="([\d.]+)(?:px)?"')


def mm(px: float) -> float:
    """CSS pixels as millimetres."""
    return px / PX_PER_MM


def px(millimetres: float) -> float:
    """Millimetres as CSS pixels."""
    return millimetres * PX_PER_MM


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height an SVG document declares on its root element (px)."""
    found = _SVG_SIZE.search(svg)
    if found is None:
        raise ValueError("SVG without a width and height on its root element")
    return float(found.group(1)), float(found.group(2))


# ---- text widths (to size chart columns from the words they hold) ---------------------------------------

@lru_cache(maxsize=2)
def _font(bold: bool):  # noqa: ANN202 - (cmap, advance widths, units per em) or None
    from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

    for path in FONT_FILES[bold]:
        if Path(path).is_file():
            font = TTFont(path, lazy=True)
            return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    return None


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in px of one line of DejaVu Sans at ``size`` px (0.62 em a character when the font is not
    installed: wider than any DejaVu text but a few capitals, so columns err on the wide side)."""
    font = _font(bold)
    if font is None:
        return 0.62 * size * len(text)
    cmap, metrics, units = font
    total = 0
    for ch in text:
        glyph = cmap.get(ord(ch))
        total += metrics[glyph][0] if glyph in metrics else units * 0.62
    return total * size / units


def wrap_words(text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 2) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` px, at most ``max_lines`` lines (the last
    line keeps whatever is left: it may be wider)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines) <= max_lines and text_width(f"{lines[-1]} {word}", size, bold=bold) <= width:
            lines[-1] += f" {word}"
        elif len(lines) < max_lines:
            lines.append(word)
        else:
            lines[-1] += f" {word}"
    return lines or [""]


# ---- what a page is made of --------------------------------------------------------------------------

@dataclass(frozen=True)
class Flex:
    """A picture whose height its page decides, between ``low`` and ``high`` px (heights ``low + k * step``).

    ``draw(width, height)`` returns the picture's HTML at that size (an <img>, one SVG px per CSS px)."""

    key: str
    width: int
    low: int
    high: int
    draw: Callable[[int, int], str]
    step: int = 1
    row: str = ""  # pictures side by side in one row (small multiples) share a row key: the row grows once

    def height(self, extra: float) -> int:
        """The picture's height when its page gives it ``extra`` px more than its smallest."""
        grow = min(max(int(extra), 0), self.high - self.low)
        return self.low + grow // self.step * self.step


@dataclass(frozen=True)
class PageSpec:
    """One A4 page: ``html(pictures, level)`` is the page's HTML with each flexible picture's HTML (by key)
    in place, at compaction ``level`` (0: everything; up to ``levels``: ever shorter forms)."""

    html: Callable[[Mapping[str, str], int], str]
    flexes: tuple[Flex, ...] = ()
    levels: int = 0
    name: str = ""  # what the page is, for reports ("cover", "trends 1 of 2")


def column(key: str, role: str, inner: str, css_class: str = "") -> str:
    """A measured column: its top and the end of its content are markers the fitting reads. ``role`` is
    "own" (the column holding the picture ``key``) or "beside" (text in the same row)."""
    cls = f' class="{css_class}"' if css_class else ""
    return f'<div{cls} id="{role}-{key}">{inner}<div class="mark" id="{role}-{key}-end"></div></div>'


def placeholder(width: int, height: int) -> str:
    """An empty box the size of a picture (the first layout does not draw charts)."""
    return f'<div class="placeholder" style="width:{width}px;height:{height}px"></div>'


# ---- fitting -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageFit:
    """How one page came out: the sheets it used (both 0-based), the height of its content, its compaction
    level and the height given to each flexible picture."""

    index: int
    name: str
    first_sheet: int
    last_sheet: int
    used: float  # px of content, from the top of the page's content area
    level: int
    heights: Mapping[str, int] = field(default_factory=dict)

    @property
    def fits(self) -> bool:
        """True when the page is one sheet, its own, and its content ends above the footer."""
        return self.first_sheet == self.last_sheet == self.index and self.used <= CONTENT_HEIGHT

    @property
    def fill(self) -> float:
        """The share of the content area the page's content uses (above 1 when it overflows)."""
        return self.used / CONTENT_HEIGHT


@dataclass(frozen=True)
class FittedDocument:
    """A laid-out pack: the HTML it was written from, the tagged PDF and how each page came out."""

    html: str
    pdf: bytes
    pages: tuple[PageFit, ...]
    sheets: int

    @property
    def all_fit(self) -> bool:
        return self.sheets == len(self.pages) and all(p.fits for p in self.pages)


@dataclass(frozen=True)
class _Measure:
    first_sheet: int
    last_sheet: int
    bottom: float  # y of its end marker on its last sheet
    columns: dict[str, float]  # "own-<key>" / "beside-<key>" -> height (inf when split over sheets)

    @property
    def used(self) -> float:
        """From the top of the content area (a heading's collapsed margin counts as used)."""
        return (self.last_sheet - self.first_sheet) * CONTENT_HEIGHT + self.bottom - px(MARGIN_MM[0])

    @property
    def free(self) -> float:
        return CONTENT_HEIGHT - SAFETY - self.used


def _anchor_sheets(document) -> dict[str, tuple[int, float]]:  # noqa: ANN001 - weasyprint.Document
    found: dict[str, tuple[int, float]] = {}
    for number, sheet in enumerate(document.pages):
        for name, box in sheet.anchors.items():  # (x, y) or (x0, y0, x1, y1) in CSS px from the sheet's corner
            found.setdefault(name, (number, float(box[1])))
    return found


def _measure(document, count: int, specs: Sequence[PageSpec]) -> list[_Measure]:  # noqa: ANN001
    anchors = _anchor_sheets(document)
    out = []
    for index in range(count):
        first, top = anchors.get(f"page-{index}", (index, px(MARGIN_MM[0])))
        last, bottom = anchors.get(f"page-{index}-end", (first, top))
        columns = {}
        for flex in specs[index].flexes:
            for role in ("own", "beside"):
                start, end = anchors.get(f"{role}-{flex.key}"), anchors.get(f"{role}-{flex.key}-end")
                if start is not None and end is not None:
                    columns[f"{role}-{flex.key}"] = end[1] - start[1] if start[0] == end[0] else float("inf")
        out.append(_Measure(first, last, bottom, columns))
    return out


def _growth(spec: PageSpec, measure: _Measure, extra: int) -> float:
    """How much taller the page gets when every picture on it is given ``extra`` px (pictures in one row
    grow that row once, by the most any of them grows it)."""
    rows: dict[str, float] = {}
    for flex in spec.flexes:
        grow: float = flex.height(extra) - flex.low
        own, beside = measure.columns.get(f"own-{flex.key}"), measure.columns.get(f"beside-{flex.key}")
        if own is not None and beside is not None:
            grow = max(own + grow, beside) - max(own, beside)
        row = flex.row or flex.key
        rows[row] = max(rows.get(row, 0.0), grow)
    return sum(rows.values())


def _extra(spec: PageSpec, measure: _Measure) -> int:
    """The largest common extra height whose growth still fits the page's free space (0 when it overflows)."""
    if not spec.flexes or measure.free <= 0:
        return 0
    low, high = 0, max(f.high - f.low for f in spec.flexes)
    while low < high:
        mid = (low + high + 1) // 2
        if _growth(spec, measure, mid) <= measure.free:
            low = mid
        else:
            high = mid - 1
    return low


def _body(index: int, inner: str) -> str:
    return f'<section class="page" id="page-{index}">{inner}<div class="mark" id="page-{index}-end"></div></section>'


def fit_pages(specs: Sequence[PageSpec], wrap: Callable[[str], str]) -> FittedDocument:
    """Lay ``specs`` out as one document (``wrap(body)`` -> the whole HTML), fitted as the module says."""
    import weasyprint  # imported here, so the app starts without it

    levels = [0] * len(specs)

    def layout(pictures: Callable[[int, Flex], str]):  # noqa: ANN202 - weasyprint.Document
        body = "".join(_body(i, spec.html({f.key: pictures(i, f) for f in spec.flexes}, levels[i]))
                       for i, spec in enumerate(specs))
        html = wrap(body)
        return html, weasyprint.HTML(string=html).render(pdf_variant=PDF_VARIANT)

    while True:
        _, document = layout(lambda _i, f: placeholder(f.width, f.low))
        measures = _measure(document, len(specs), specs)
        shorter = [i for i, m in enumerate(measures) if m.free < 0 and levels[i] < specs[i].levels]
        if not shorter:
            break
        for i in shorter:
            levels[i] += 1
    extras = [_extra(spec, m) for spec, m in zip(specs, measures, strict=True)]
    for _ in range(3):  # a drawn picture may come out a little taller than its box: then give it less room
        heights = [{f.key: f.height(e) for f in spec.flexes} for spec, e in zip(specs, extras, strict=True)]

        def drawn(i: int, f: Flex, heights: list[dict[str, int]] = heights) -> str:
            return f.draw(f.width, heights[i][f.key])

        html, document = layout(drawn)
        final = _measure(document, len(specs), specs)
        over = [i for i, m in enumerate(final) if m.free < 0 and extras[i] > 0]
        if not over:
            break
        for i in over:
            rows = len({f.row or f.key for f in specs[i].flexes})
            extras[i] = max(0, extras[i] - math.ceil(-final[i].free / rows))
    pages = tuple(PageFit(i, spec.name, m.first_sheet, m.last_sheet, m.used, levels[i], heights[i])
                  for i, (spec, m) in enumerate(zip(specs, final, strict=True)))
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return FittedDocument(html, pdf, pages, len(document.pages))
