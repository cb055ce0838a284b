"""insight.return_view: the view kept across a sign-in is taken back once, by its own browser, within its time."""

from __future__ import annotations

from insight.return_view import (
    MAX_PARAMS,
    MAX_VALUE_CHARS,
    PendingReturns,
    View,
    browser_key,
    dropped_from_link,
    view_of,
    with_dropped,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_kept_view_is_taken_back_once_by_its_browser_only():
    store = PendingReturns()
    view = view_of("trends", {"indicator": ["claimant_count"], "district": ["E07000066", "E07000067"]})
    store.keep("browser-a", view)
    assert store.take("browser-b") is None
    assert store.take("browser-a") == view
    assert store.take("browser-a") is None  # once
    assert view.as_query() == {"indicator": ["claimant_count"], "district": ["E07000066", "E07000067"]}


def test_a_view_not_taken_in_time_is_forgotten():
    clock = Clock()
    store = PendingReturns(ttl_seconds=600, clock=clock)
    store.keep("a", view_of("trends", {}))
    clock.now = 599
    store.keep("b", view_of("scenarios", {}))
    clock.now = 601
    assert store.take("a") is None
    assert store.take("b") == View("scenarios", ())


def test_the_store_holds_at_most_its_limit_oldest_first_out():
    store = PendingReturns(max_pending=3)
    for name in "abcd":
        store.keep(name, view_of(name, {}))
    assert len(store) == 3
    assert store.take("a") is None and store.take("d") == View("d", ())
    store.keep("b", view_of("b2", {}))  # keeping again replaces and counts as new
    store.keep("e", view_of("e", {}))
    store.keep("f", view_of("f", {}))
    assert store.take("c") is None and store.take("b") == View("b2", ())


def test_a_crafted_link_cannot_make_a_view_hold_more_than_a_link_s_worth():
    view = view_of("p" * 10_000, {f"k{i}": ["v" * 10_000, "w"] for i in range(1_000)})
    assert len(view.page) <= 200 and len(view.params) == MAX_PARAMS
    assert all(len(v) <= MAX_VALUE_CHARS for _, values in view.params for v in values)


def test_the_key_is_a_digest_and_never_the_token():
    token = bytes(range(16))
    key = browser_key(token)
    assert token.hex() not in key and len(key) == 64
    assert key == browser_key(token) != browser_key(bytes(16))


def test_what_the_first_run_dropped_from_the_link_is_asked_for_again_on_signing_in():
    """A restricted indicator refused while signed out is removed from the link: signing in asks for it again,
    with whatever the person chose since, and only on the page the link opened."""
    opened = view_of("trends", {"indicator": ["restricted_x"], "district": ["E07000066"]})
    after_first_run = view_of("trends", {"district": ["Basildon"]})
    dropped = dropped_from_link(opened, after_first_run)
    assert dropped == view_of("trends", {"indicator": ["restricted_x"]})
    chosen_since = view_of("trends", {"district": ["Harlow"], "theme": ["Health"]})
    assert with_dropped(chosen_since, dropped).as_query() == {
        "district": ["Harlow"], "theme": ["Health"], "indicator": ["restricted_x"]}
    # a value chosen since for the same parameter wins; another page keeps its own link
    assert with_dropped(view_of("trends", {"indicator": ["adult_obesity"]}), dropped).as_query() == {
        "indicator": ["adult_obesity"]}
    assert with_dropped(view_of("overview", {"district": ["Harlow"]}), dropped).as_query() == {"district": ["Harlow"]}


def test_nothing_is_dropped_when_the_link_was_kept_or_the_session_moved_on():
    opened = view_of("trends", {"indicator": ["adult_obesity"]})
    assert dropped_from_link(opened, opened).params == ()
    assert dropped_from_link(opened, view_of("overview", {})).params == ()
    assert dropped_from_link(view_of("", {}), view_of("", {})).params == ()
    # a view with its dropped parameters is still bounded like any kept view
    many = view_of("trends", {f"p{i}": ["x"] for i in range(MAX_PARAMS)})
    extra = View("trends", (("late", ("y",)),))
    assert len(with_dropped(many, extra).params) == MAX_PARAMS
