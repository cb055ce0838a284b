"""User input shown back to people as plain text: never Markdown, never HTML.

Streamlit's ``st.markdown``, ``st.warning``, ``st.error``, ``st.info`` and ``st.success`` render Markdown, so
a value from a link or a file (``[Re-login](https://evil.example)``, ``![](http://host/p.png)``,
``<img src=…>``, ``:red[…]``, ``$x$``) would become a live link, an outside request or styled text inside the
app's own message box. ``plain`` turns such a value into text that renders exactly as typed: every ASCII
punctuation character is backslash-escaped (CommonMark escapes any of them), line breaks and control
characters become spaces, and long values are cut with an ellipsis.
"""

from __future__ import annotations

import string
import unicodedata

DEFAULT_LIMIT = 60
ELLIPSIS = "…"
_PUNCTUATION = frozenset(string.punctuation)


def shorten(value: object, limit: int = DEFAULT_LIMIT) -> str:
    """``value`` as one line of at most ``limit`` characters (cut with an ellipsis), with control and
    format characters (newlines, bidi overrides, zero-width marks) replaced by spaces."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def plain(value: object, limit: int = DEFAULT_LIMIT) -> str:
    """``value`` shortened (see ``shorten``) and escaped so that Markdown renders it literally."""
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in shorten(value, limit))
