"""User input echoed in messages renders as typed: no Markdown, no HTML, one line, bounded length."""

import pytest

from insight.text import ELLIPSIS, plain, shorten


@pytest.mark.parametrize("raw", [
    "[Re-login here](https://evil.example/x)",
    "![](http://127.0.0.1:9/p.png)",
    "<img src=x onerror=alert(1)>",
    ":red[alarm] $x^2$ **bold** `code`",
])
def test_plain_escapes_every_markdown_and_html_character(raw: str) -> None:
    escaped = plain(raw, limit=200)
    unescaped = [ch for i, ch in enumerate(escaped) if ch in "[]()!<>*`:$" and (i == 0 or escaped[i - 1] != "\\")]
    assert unescaped == []
    assert escaped.replace("\\", "") == raw


def test_plain_cuts_long_values_with_an_ellipsis() -> None:
    assert shorten("a" * 10_000, limit=20) == "a" * 19 + ELLIPSIS
    assert len(plain("x" * 10_000)) == 60


def test_shorten_turns_line_breaks_and_control_characters_into_spaces() -> None:
    assert shorten("one\ntwo\r\nthree\u202efour\u200b") == "one two three four"
