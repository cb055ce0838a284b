"""User input echoed in messages renders as typed: a code span (no Markdown, HTML or autolinks), one line,
bounded length."""

import pytest

from insight.text import ELLIPSIS, EMPTY, badge, literal_html, plain, shorten


@pytest.mark.parametrize("raw", [
    "[Re-login here](https://evil.example/x)",
    "![](http://127.0.0.1:9/p.png)",
    "<img src=x onerror=alert(1)>",
    ":red[alarm] $x^2$ **bold**",
    "www.evil.example x@y.example",
])
def test_plain_puts_the_value_in_a_code_span_as_typed(raw: str) -> None:
    assert plain(raw, limit=200) == f"`{raw}`"


@pytest.mark.parametrize(("raw", "expected"), [
    ("a`b", "``a`b``"),
    ("``x", "``` ``x ```"),
    ("x`", "`` x` ``"),
])
def test_plain_fences_backticks_so_the_span_cannot_be_closed_early(raw: str, expected: str) -> None:
    assert plain(raw) == expected


def test_plain_cuts_long_values_with_an_ellipsis_and_names_empty_ones() -> None:
    assert shorten("a" * 10_000, limit=20) == "a" * 19 + ELLIPSIS
    assert plain("x" * 10_000) == "`" + "x" * 59 + ELLIPSIS + "`"
    assert plain("   ") == EMPTY


def test_shorten_turns_line_breaks_and_control_characters_into_spaces() -> None:
    assert shorten("one\ntwo\r\nthree\u202efour\u200b") == "one two three four"


def test_literal_html_escapes_every_tag_and_keeps_the_words():
    value = '<img src=x onerror=alert(1)> [a](https://evil.example) & "q"'
    assert literal_html(value, 200) == ("&lt;img src=x onerror=alert(1)&gt; [a](https://evil.example) &amp; "
                                        "&quot;q&quot;")


def test_literal_html_keeps_lines_when_asked_and_shortens_to_the_limit():
    assert literal_html("one\ntwo <b>", 100, lines=True) == "one<br>two &lt;b&gt;"
    assert literal_html("one\ntwo", 100) == "one two"
    assert literal_html("abcdefgh\nijkl", 6, lines=True) == f"abcde{ELLIPSIS}"


def test_a_badge_escapes_brackets_as_st_badge_does():
    """A tile's rating and an attention item's direction share an element with other text, so no label may end
    the badge directive early."""
    assert badge("● Similar to [England](x) ", "gray") == r":gray-badge[● Similar to \[England\](x) ]"
