"""Static, accessible HTML tables for st.html: a real <table> with a caption, column and row headers.

Cheaper for the browser than the interactive data grid (no canvas, no deferred redraw), read cell by cell
by screen readers, and large and plain enough for a projector. Every cell is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import pandas as pd

from views.palette import INK

TABLE_CSS = (
    "<style>"
    ".ins-table-wrap{overflow-x:auto}"
    ".ins-table{border-collapse:collapse;width:100%;font-size:1rem;line-height:1.35;color:" + INK + "}"
    ".ins-table caption{caption-side:top;text-align:left;font-size:.875rem;color:#5F6B7A;padding:0 0 .4rem}"
    ".ins-table th,.ins-table td{padding:.3rem .6rem;border-bottom:1px solid #D5DAE0;text-align:left;"
    "vertical-align:top}"
    ".ins-table thead th{border-bottom:2px solid " + INK + ";vertical-align:bottom}"
    ".ins-table tbody th{font-weight:400;min-width:5.5em}"  # a short row label ("Dec 2026") is never split
    ".ins-table .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".ins-table thead th.num{white-space:normal}"  # long headings wrap, so a table fits at 1280x720
    ".ins-table .lead{font-weight:700}"
    ".ins-table .group th{background:#F1F3F6;font-weight:700;padding-top:.45rem}"
    ".ins-table-scroll{overflow:auto;border:1px solid #D5DAE0;border-radius:.5rem}"
    ".ins-table-scroll thead th{position:sticky;top:0;background:#FFFFFF;z-index:2}"
    ".ins-table-scroll tbody th{position:sticky;left:0;background:#FFFFFF;z-index:1}"
    ".ins-table-scroll .ins-table{width:max-content;min-width:100%}"
    ".ins-table-scroll td,.ins-table-scroll th{max-width:32rem}"
    "</style>"
)


def _cell(tag: str, value: object, classes: list[str], scope: str | None = None) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else escape(str(value))
    attributes = (f' scope="{scope}"' if scope else "") + (f' class="{" ".join(classes)}"' if classes else "")
    return f"<{tag}{attributes}>{text}</{tag}>"


def html_table(frame: pd.DataFrame, *, caption: str, row_header: str, group_by: str | None = None,
               numeric: Iterable[str] = (), lead: str | None = None, max_height: int | None = None) -> str:
    """The frame as an HTML table (with its CSS): `row_header` names each row, rows are grouped under a
    full-width heading per value of `group_by` (in order of appearance), `numeric` columns are right-aligned
    and `lead` (e.g. the profiled division) is bold. A narrow screen scrolls the table sideways. With
    `max_height` (px) a long or wide table scrolls inside its own frame, its column headings and row headings
    staying in view."""
    numeric = set(numeric)
    columns = [c for c in frame.columns if c != group_by]

    def classes(column: str) -> list[str]:
        return [name for name, on in (("num", column in numeric), ("lead", column == lead)) if on]

    head = "".join(_cell("th", c, classes(c), "col") for c in columns)
    body: list[str] = []
    previous = object()
    for record in frame.to_dict("records"):
        if group_by is not None and record[group_by] != previous:
            previous = record[group_by]
            body.append(f'<tr class="group"><th scope="colgroup" colspan="{len(columns)}">'
                        f"{escape(str(previous))}</th></tr>")
        body.append("<tr>" + "".join(
            _cell("th", record[c], classes(c), "row") if c == row_header else _cell("td", record[c], classes(c))
            for c in columns) + "</tr>")
    wrap = ('<div class="ins-table-wrap">' if max_height is None else
            f'<div class="ins-table-scroll" style="max-height:{int(max_height)}px" tabindex="0" role="region" '
            f'aria-label="{escape(caption)}">')
    return (f'{TABLE_CSS}{wrap}<table class="ins-table"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
