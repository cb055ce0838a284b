"""User input shown back to people as literal text: never Markdown, never HTML, never a link.

Streamlit's ``st.markdown``, ``st.warning``, ``st.error``, ``st.info`` and ``st.success`` render Markdown (with
GitHub's extensions), so a value from a link or a file (``[Re-login](https://evil.example)``,
``![](http://host/p.png)``, ``<img src=…>``, ``:red[…]``, ``$x$``, even a bare ``www.evil.example``, which
GitHub-flavoured Markdown turns into a link however it is backslash-escaped) would become a live link, an
outside request or styled text inside the app's own message box. ``plain`` puts such a value in a code span:
inside one nothing is interpreted — no emphasis, links, autolinks, HTML, emoji codes or maths — and the value
reads exactly as typed. Line breaks and control characters become spaces; long values are cut with an
ellipsis.

Where a code span would look wrong (a slide's title in large type, a speaker note), ``literal_html`` gives the
value as escaped HTML text for ``st.html``, which never reads Markdown: nothing in it is a tag, a link or an
autolink either.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

DEFAULT_LIMIT = 60
ELLIPSIS = "…"
EMPTY = "(empty)"
_BACKTICKS = re.compile(r"`+")
_BRACKETS = str.maketrans({"[": r"\[", "]": r"\]"})


def shorten(value: object, limit: int = DEFAULT_LIMIT) -> str:
    """``value`` as one line of at most ``limit`` characters (cut with an ellipsis), with control and
    format characters (newlines, bidi overrides, zero-width marks) replaced by spaces."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def plain(value: object, limit: int = DEFAULT_LIMIT) -> str:
    """``value`` shortened (see ``shorten``) as a Markdown code span, so that it renders literally."""
    text = shorten(value, limit)
    if not text:
        return EMPTY
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def literal_html(value: object, limit: int = DEFAULT_LIMIT, *, lines: bool = False) -> str:
    """``value`` shortened (see ``shorten``) and HTML-escaped, to show as text inside ``st.html``; with ``lines``,
    each line is kept (as ``<br>``) and shortened on its own, ``limit`` counting the whole."""
    if not lines:
        return escape(shorten(value, limit))
    kept, left = [], limit
    for line in str(value).splitlines():
        if left <= 0:
            break
        text = shorten(line, left)
        left -= len(text) + 1
        kept.append(escape(text))
    return "<br>".join(kept)


def badge(label: str, colour: str) -> str:
    """The Markdown ``st.badge`` writes, so a badge can share an element with other text: brackets in ``label``
    escaped as ``st.badge`` escapes them, so no label can end the directive early."""
    return f":{colour}-badge[{label.translate(_BRACKETS)}]"
