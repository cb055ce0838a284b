"""Ethics & transparency page, as a resident, councillor or analyst reads it (AppTest, page run on its own)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insight.config import load_config
from tests.app import helpers

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/ethics.py"
FIXTURE = ROOT / "tests" / "fixtures" / "evaluation.json"
FIELDS = ("**Purpose.**", "**Data.**", "**Method.**", "**Limitations.**", "**Accuracy.**",
          "**Human oversight.**", "**Who reviewed it, and when.**", "**How to challenge it.**")
NAMES = ["Model card: Projections of published series", "Model card: Priority index of small areas",
         "Model card: What-if scenarios on a projection"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A dataset folder the page reads its evaluation from (components.data.DATA_DIR, as INSIGHT_DATA_DIR sets)."""
    import components.data

    monkeypatch.setattr(components.data, "DATA_DIR", tmp_path)
    return tmp_path


def run_page(**params: str) -> AppTest:
    return helpers.run_page(PAGE, **params)


def card_text(at: AppTest, index: int) -> str:
    expander = at.expander[index]
    return " ".join([m.value for m in expander.markdown] + [c.value for c in expander.caption])


def test_the_page_explains_review_residents_judgement_and_challenge(data_dir):
    at = run_page()
    assert not at.exception
    assert at.title[0].value == "Ethics & transparency"
    assert [h.value for h in at.subheader] == ["How analytics are reviewed before use",
                                               "What residents are told and can see",
                                               "Insight supports judgement; it never replaces it",
                                               "How to challenge a figure", "Model cards"]
    text = " ".join(m.value for m in at.markdown)
    assert f"{load_config().name}'s data ethics committee, which is independent of the team that built the model" \
        in text
    assert "none of the three models below has been reviewed by the committee yet" in text
    assert "It uses no record about any person" in text
    assert "No figure here allocates money or services, or triggers any action, by itself." in text
    assert "send the page address (it holds the exact view), the figure and why it looks wrong" in text


def test_every_model_has_a_card_with_every_field(data_dir):
    at = run_page()
    assert [e.label for e in at.expander] == NAMES
    for index in range(3):
        text = card_text(at, index)
        for field in FIELDS:
            assert field in text, (NAMES[index], field)
        assert f"Not yet reviewed by {load_config().name}'s data ethics committee" in text
        assert "docs/model-reviews.md" in text
        assert "Model card version 1.0." in text


@pytest.mark.usefixtures("embedded_files_only")
def test_without_a_leak_free_evaluation_the_projection_card_gives_no_accuracy_figure(data_dir):
    at = run_page()
    text = card_text(at, 0)
    assert "The leak-free evaluation has not been run for this dataset, so no accuracy figure is given here." in text
    assert "MASE" not in text and not [e for e in at.expander[0].get("html") if "<table" in e.proto.body]


@pytest.mark.usefixtures("embedded_files_only")
def test_the_projection_card_shows_the_leak_free_figures_from_the_evaluation_file(data_dir):
    shutil.copy(FIXTURE, data_dir / "evaluation.json")
    at = run_page()
    assert not at.exception
    text = card_text(at, 0)
    assert "Annual series: 331 series, 4 origins (2019 to 2022)." in text
    assert ("1 year ahead (1,290 outcomes): median MASE 1.21 for the method used against 1.42 for naive last value "
            "and 1.38 for drift on the same cells (0.85 times naive; target 0.90 or less: met)") in text
    assert "The 80% ranges held 74.0% of outcomes (outside the 75–85% target)" in text
    table = helpers.html_table_frame(at.expander[0], 0)
    assert list(table["Ahead"]) == ["1 year", "2 years", "3 years", "All horizons"]
    assert list(table["80% range held"]) == ["79.0%", "81.0%", "74.0%", "78.5%"]
    assert list(table["Median MASE, method used"]) == ["1.21", "1.60", "2.05", "1.49"]


@pytest.mark.usefixtures("embedded_files_only")
def test_a_malformed_evaluation_file_is_reported_not_shown(data_dir):
    (data_dir / "evaluation.json").write_text('{"annual": {"n_series": 3}}', encoding="utf-8")
    at = run_page()
    assert not at.exception
    assert "The model cards could not be shown: evaluation.json: annual: 'by_horizon' must be a non-empty list." \
        in at.error[0].value
    assert not at.expander


def test_a_link_to_one_card_opens_that_card(data_dir):
    at = run_page(card="scenarios")
    assert [e.proto.expanded for e in at.expander] == [False, False, True]
    assert not at.warning


def test_a_link_to_an_unknown_card_says_so_and_shows_them_all(data_dir):
    at = run_page(card="<b>nope</b>")
    assert at.warning[0].value == "The link asked for a model card that does not exist; all the cards are shown."
    assert [e.proto.expanded for e in at.expander] == [True, True, True]
    assert "<b>" not in at.warning[0].value


@pytest.mark.parametrize(("page", "params", "expected"), [
    ("pages/trends.py", {"indicator": "claimant_count"}, ["projection"]),
    ("pages/scenarios.py", {}, ["scenarios", "projection"]),
    ("pages/priority_map.py", {}, ["priority", "priority"]),  # under the map, and inside its model card
])
def test_every_chart_resting_on_a_model_links_to_its_card(page, params, expected):
    at = helpers.run_page(page, **params)
    assert not at.exception
    labels = {"Projection model card": "projection", "Scenarios model card": "scenarios",
              "Priority index model card": "priority"}
    links = [m.value.replace("🗂️", "").strip() for m in at.markdown if m.value.startswith("🗂️")]
    assert [labels[link] for link in links] == expected
