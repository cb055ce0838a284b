"""The one-page committee summary of a division: an A4 SVG page rendered to PDF by vl-convert.

Pure (no st.* calls). The page is drawn at A4 size (595 x 842 pt) and everything on it is sized
to fit, so the PDF has exactly one A4 page by construction; `pdf_page_count` checks it.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import pandas as pd
import vl_convert as vlc

from insight import profile as pr
from insight.schema import APPROXIMATE_BOUNDARIES_NOTICE, OGL_ATTRIBUTION
from views.palette import ACCENT, INK
from views.profile_charts import build_spine_chart
from views.words import AreaWords

A4_WIDTH, A4_HEIGHT = 595, 842  # points
MARGIN = 34
MUTED = "#4A5563"
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
PRINT_WIDTHS = {"label": 206, "spine": 140, "gap": 8, "value": 66, "county": 62, "rank": 98, "rating": 84}
KEY_TEXT = ("Circle: the {word}, coloured by its rating against {c} (95% confidence). Black bar: {c}. "
            "Grey bar: range of {all} (darker: middle half; white line: median).")


@dataclass(frozen=True)
class ProfileHeader:
    """What the top of the page says about the division."""

    name: str
    code: str
    districts: str  # "Colchester" or "Basildon; Brentwood"
    population: float
    comparator_name: str
    produced: date
    words: AreaWords


def _wrap(text: str, font_size: float, width: float, bold: bool = False) -> list[str]:
    chars = max(20, int(width / (font_size * (0.62 if bold else 0.53))))
    return textwrap.wrap(text, chars) or [""]


class _Page:
    """A tiny SVG page writer that stacks blocks from the top margin down."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.y: float = MARGIN

    def text(self, text: str, size: float, *, bold: bool = False, colour: str = INK, italic: bool = False,
             gap: float = 4, width: float = A4_WIDTH - 2 * MARGIN, x: float = MARGIN) -> None:
        weight = ' font-weight="bold"' if bold else ""
        style = ' font-style="italic"' if italic else ""
        for line in _wrap(text, size, width, bold):
            self.y += size * 1.18
            self.parts.append(f'<text x="{x}" y="{self.y:.1f}" font-family="{FONT}" font-size="{size}"'
                              f' fill="{colour}"{weight}{style}>{escape(line)}</text>')
        self.y += gap

    def rule(self, colour: str = "#C9CFD6", gap: float = 6) -> None:
        self.parts.append(f'<line x1="{MARGIN}" x2="{A4_WIDTH - MARGIN}" y1="{self.y:.1f}" y2="{self.y:.1f}" '
                          f'stroke="{colour}" stroke-width="0.8"/>')
        self.y += gap

    def image(self, svg: str, max_height: float) -> None:
        width_match = re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg)
        height_match = re.search(r'<svg[^>]*\sheight="([\d.]+)"', svg)
        w = float(width_match.group(1)) if width_match else A4_WIDTH
        h = float(height_match.group(1)) if height_match else max_height
        scale = min((A4_WIDTH - 2 * MARGIN) / w, max_height / h, 1.0)
        body = re.sub(r"^<\?xml[^>]*>\s*", "", svg.strip())
        self.parts.append(f'<g transform="translate({MARGIN},{self.y:.1f}) scale({scale:.4f})">{body}</g>')
        self.y += h * scale + 6

    def svg(self) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{A4_WIDTH}" height="{A4_HEIGHT}" '
                f'viewBox="0 0 {A4_WIDTH} {A4_HEIGHT}"><rect width="100%" height="100%" fill="white"/>'
                + "".join(self.parts) + "</svg>")


def build_profile_svg(profile: pd.DataFrame, summary: pr.Summary, header: ProfileHeader) -> str:
    """The committee summary as one A4 SVG page."""
    page = _Page()
    words = header.words
    page.text(f"{header.name}: {words.word} profile", 19, bold=True, colour=ACCENT, gap=2)
    page.text(f"{words.council_full} {words.title} {header.code} · District: {header.districts}", 9.5,
              colour=MUTED, gap=0)
    page.text(f"Population (Census 2021): {header.population:,.0f} residents", 9.5, colour=MUTED, gap=2)
    if words.approximate:
        page.text(APPROXIMATE_BOUNDARIES_NOTICE, 7.5, italic=True, colour=MUTED, gap=6)
    page.rule()
    page.text("Summary", 11.5, bold=True, gap=1)
    page.text(summary.text, 9.5, gap=6)
    page.text(f"How {header.name} compares with {words.all_of_them} and {header.comparator_name}", 11.5,
              bold=True, gap=2)
    chart = build_spine_chart(profile, division_name=header.name, comparator_name=header.comparator_name,
                              words=words, row_height=19, font_size=10, widths=PRINT_WIDTHS)
    footer_lines = 9
    room = A4_HEIGHT - MARGIN - page.y - footer_lines * 9.5
    page.image(vlc.vegalite_to_svg(chart.to_dict(validate=False)), room)
    page.text(KEY_TEXT.format(c=header.comparator_name, all=words.all_of_them, word=words.word), 7.5, colour=MUTED, gap=4)
    page.rule(gap=2)
    page.text(pr.sources_sentence(profile), 6.8, colour=MUTED, gap=2)
    england = "" if profile[pr.ENGLAND_VALUE].notna().any() else (
        " England values are not published for these small-area measures.")
    page.text(f"Ratings compare the {words.word}'s 95% confidence interval with the {header.comparator_name} value "
              f"(Wilson score method); measures without an interval are not compared.{england}", 6.8,
              colour=MUTED, gap=2)
    page.text(f"Produced {header.produced:%-d %B %Y} from the {words.council} Insight Dashboard. {OGL_ATTRIBUTION}", 6.8,
              colour=MUTED, gap=0)
    return page.svg()


def build_profile_pdf(profile: pd.DataFrame, summary: pr.Summary, header: ProfileHeader) -> bytes:
    """The committee summary as a one-page A4 PDF."""
    return vlc.svg_to_pdf(build_profile_svg(profile, summary, header))


def pdf_page_count(pdf: bytes) -> int:
    """Number of pages in a PDF (counts page objects; vl-convert writes uncompressed object headers)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def pdf_page_size(pdf: bytes) -> tuple[float, float]:
    """Width and height in points of the first page's MediaBox."""
    match = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    if not match:
        return (0.0, 0.0)
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return (x1 - x0, y1 - y0)
