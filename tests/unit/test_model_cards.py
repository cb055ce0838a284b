"""insight.model_cards: every model has a card with the ATRS fields; accuracy only from the leak-free file."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from insight.config import load_config
from insight.model_cards import (
    CARD_IDS,
    REVIEW_RECORD,
    ModelCardError,
    accuracy_rows,
    describe_evaluation,
    ethics_sections,
    load_evaluation,
    model_cards,
    parse_evaluation,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "evaluation.json"
COUNCIL = load_config()
ATRS_TEXT_FIELDS = ("purpose", "data", "method", "human_oversight", "challenge", "version", "name")


@pytest.fixture
def evaluation():
    return parse_evaluation(json.loads(FIXTURE.read_text(encoding="utf-8")))


def test_there_is_one_card_per_model_with_every_atrs_field_filled(evaluation):
    cards = model_cards(COUNCIL, evaluation)
    assert tuple(card.card_id for card in cards) == CARD_IDS == ("projection", "priority", "scenarios")
    for card in cards:
        for field in ATRS_TEXT_FIELDS:
            assert len(getattr(card, field).strip()) > 0, (card.card_id, field)
        assert card.limitations and all(len(item) > 20 for item in card.limitations)
        assert card.accuracy and all(len(item) > 20 for item in card.accuracy)


def test_no_card_claims_a_review_that_did_not_happen(evaluation):
    for card in model_cards(COUNCIL, evaluation):
        assert card.review.reviewed_by is None and card.review.reviewed_on is None
        assert card.review.status.startswith("Not yet reviewed by Essex County Council's data ethics committee")
        assert REVIEW_RECORD in card.review.record
    assert (ROOT / REVIEW_RECORD).is_file()


def test_without_the_evaluation_file_the_projection_card_gives_no_figure(tmp_path):
    assert load_evaluation(tmp_path) is None
    card = model_cards(COUNCIL, None)[0]
    assert card.accuracy == (
        "The leak-free evaluation has not been run for this dataset, so no accuracy figure is given here. "
        "Figures computed on the same errors that chose the method would flatter it and are never shown.",)
    assert not any(ch.isdigit() for ch in card.accuracy[0])


def test_the_projection_card_reads_the_leak_free_figures_with_their_targets(tmp_path):
    shutil.copy(FIXTURE, tmp_path / "evaluation.json")
    card = model_cards(COUNCIL, load_evaluation(tmp_path))[0]
    assert card.accuracy[0] == (
        "Annual series: 331 series, 4 origins (2019 to 2022). At each origin everything (method choice, "
        "calibration, any pooling) was fitted only on data up to it, then scored on what followed.")
    assert card.accuracy[1] == (
        "1 year ahead (1,290 outcomes): median MASE 1.21 for the method used against 1.42 for naive last value "
        "and 1.38 for drift on the same cells (0.85 times naive; target 0.90 or less: met); it beat naive on 58% "
        "of series. The 80% ranges held 79.0% of outcomes (within the 75–85% target) and the 95% ranges 94.0% "
        "(within 92–97%); ranges were 1.12 times as wide as naive's.")
    assert "(0.93 times naive; target 0.90 or less: not met)" in card.accuracy[3]
    assert "The 80% ranges held 74.0% of outcomes (outside the 75–85% target)" in card.accuracy[3]
    assert card.accuracy[-1] == "No monthly series were evaluated."


def test_accuracy_rows_are_formatted_per_horizon_then_overall(evaluation):
    rows = accuracy_rows(evaluation["annual"])
    assert [row["Ahead"] for row in rows] == ["1 year", "2 years", "3 years", "All horizons"]
    assert rows[-1]["80% range held"] == "78.5%" and rows[0]["Width vs naive"] == "1.12×"


def test_a_figure_is_shown_precisely_enough_to_agree_with_its_verdict(evaluation):
    """0.9024 times naive rounds to 0.90, which would read as meeting 'target 0.90 or less'; 74.96% rounds to
    75.0%, which would read as within 75-85%. Both are shown with one more decimal."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["annual"]["by_horizon"][0].update(mase_used=0.9024, mase_naive_last=1.0, coverage_80=0.7496)
    line = describe_evaluation(parse_evaluation(data)["annual"])[1]
    assert "(0.902 times naive; target 0.90 or less: not met)" in line
    assert "The 80% ranges held 74.96% of outcomes (outside the 75–85% target)" in line


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("annual"), "must be an object with 'annual'"),
    (lambda d: d["annual"]["by_horizon"][0].update(coverage_80=79.0), "'coverage_80' must be a share between 0 and 1"),
    (lambda d: d["annual"]["by_horizon"][1].update(mase_used="1.6"), r"annual \(horizon 2\): 'mase_used' must be a finite"),
    (lambda d: d["annual"].update(by_horizon=[]), "'by_horizon' must be a non-empty list"),
    (lambda d: d["annual"].update(n_series=-1), "'n_series' must be a whole number"),
])
def test_a_malformed_evaluation_is_refused_with_a_message_that_says_where(change, message):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(ModelCardError, match=message):
        parse_evaluation(data)


def test_an_unreadable_evaluation_file_says_how_to_fix_it(tmp_path):
    (tmp_path / "evaluation.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelCardError, match=r"could not be read .*make evaluate"):
        load_evaluation(tmp_path)


def test_the_card_figures_match_the_code_they_describe():
    """Numbers written into the cards' words are the ones the code uses."""
    from insight.forecast.project import BACKTEST_HORIZON
    from insight.forecast.series import MIN_HISTORY
    from insight.schema import Frequency

    projection, priority, scenarios = model_cards(COUNCIL, None)
    assert f"at least {MIN_HISTORY[Frequency.ANNUAL]} annual values" in projection.data
    assert f"More than {BACKTEST_HORIZON} periods ahead" in projection.limitations[2]
    assert "1,000 runs" in priority.method and "between 0.8 and 1.2 (seed 2025)" in priority.method
    assert "2,000 paired draws" in scenarios.method


def test_the_priority_card_names_the_measures_left_out():
    card = model_cards(COUNCIL, None, excluded=("Population aged 65+",))[1]
    assert "left out (here: Population aged 65+)." in card.method


def test_the_ethics_page_words_cover_review_residents_judgement_and_challenge():
    sections = ethics_sections(COUNCIL)
    assert [s.heading for s in sections] == ["How analytics are reviewed before use",
                                             "What residents are told and can see",
                                             "Insight supports judgement; it never replaces it",
                                             "How to challenge a figure"]
    text = " ".join(p for s in sections for p in s.paragraphs)
    assert "independent of the team that built the model" in text
    assert "none of the three models below has been reviewed by the committee yet" in text


def test_cards_are_immutable():
    card = model_cards(COUNCIL, None)[2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.purpose = "changed"  # type: ignore[misc]
