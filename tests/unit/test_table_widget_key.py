"""The ranked table's widget key (components.state.table_widget_key): kept while the table can update in place,
renewed whenever a highlighted row would name the wrong area."""

from __future__ import annotations

import pytest

from components import state

ROWS = ("E1", "E2", "E3")


@pytest.fixture
def session(monkeypatch):
    fake: dict = {}
    monkeypatch.setattr(state.st, "session_state", fake)
    return fake


def select(session: dict, key: str, row: int | None) -> None:
    session[key] = {"selection": {"rows": [] if row is None else [row]}}


def test_without_a_selection_the_key_is_kept_when_the_rows_or_the_choice_change(session):
    key = state.table_widget_key("t", ROWS, None)
    assert state.table_widget_key("t", ROWS, "E2") == key  # chosen on the map
    assert state.table_widget_key("t", ROWS[::-1], "E2") == key  # re-ranked by a weight change


def test_a_selection_of_the_chosen_area_keeps_the_key(session):
    key = state.table_widget_key("t", ROWS, None)
    select(session, key, 1)
    assert state.table_widget_key("t", ROWS, "E2") == key


def test_another_area_chosen_elsewhere_renews_the_key(session):
    key = state.table_widget_key("t", ROWS, None)
    select(session, key, 1)
    assert state.table_widget_key("t", ROWS, "E3") != key


def test_re_ranking_under_a_selection_renews_the_key(session):
    key = state.table_widget_key("t", ROWS, None)
    select(session, key, 1)  # E2, which is also the chosen division
    assert state.table_widget_key("t", ("E2", "E1", "E3"), "E2") != key  # row 1 would now be E1
