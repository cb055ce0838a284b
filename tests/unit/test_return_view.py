"""insight.return_view: the view kept across a sign-in is taken back once, by its own browser, within its time."""

from __future__ import annotations

from insight.return_view import MAX_PARAMS, MAX_VALUE_CHARS, PendingReturns, View, browser_key, view_of


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
