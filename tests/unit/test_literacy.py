"""Data literacy content: reading age, worked examples from the committed data, and a complete glossary.

Reading age: Flesch-Kincaid grade (textstat) at most 9 for every explanation, definition, first-visit step and
worked example (grade 9 is a reading age of about 14; GOV.UK content aims for about 9 years of schooling).
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import textstat

from insight import schema as s
from insight.literacy import (
    FIRST_VISIT_STEPS,
    GLOSSARY,
    HOW_TO_READ,
    MAX_GRADE,
    ChartGuide,
    choropleth_guide,
    contribution_guide,
    define,
    fan_chart_guide,
    scenario_guide,
    spc_chart_guide,
    spine_chart_guide,
)
from insight.priority import score_priority
from insight.scenarios import Scenario, TrendChange, apply_scenario
from insight.signals import assess_series, series_info
from insight.stats import compare_to_benchmark, percentile_positions

ROOT = Path(__file__).resolve().parents[2]
CHART_TYPES = ("fan_chart", "spine_chart", "spc_chart", "choropleth", "contribution_chart", "scenario_comparison")
REQUIRED_TERMS = ("confidence interval", "projection", "calibrated range", "back-test", "MASE", "polarity",
                  "suppression", "z-score", "special cause")
# Words a councillor may not know. Any of them that the product's own text uses (string literals in pages/,
# components/, views/ and insight/, docstrings left out) must have a glossary entry.
TECHNICAL_TERMS = (
    "confidence interval", "projection", "calibrated", "back-test", "backtest", "MASE", "polarity", "suppressed",
    "suppression", "z-score", "special cause", "common cause", "process limit", "SPC", "percentile", "decile",
    "quintile", "median", "LSOA", "naive", "rolling", "illustrative", "priority index", "scenario", "comparator",
    "target", "threshold", "trend", "indicator", "signal", "standard deviation", "Wilson", "Byar", "Poisson",
    "Prophet", "logit", "imputed", "normalised", "min–max", "rank stability", "IMD", "seasonality", "baseline",
    "coverage", "model card", "approximate", "moving range", "sigma", "run chart", "control chart",
)


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def product_strings() -> str:
    """Every string literal in the product's code, except docstrings and this glossary itself."""
    found: list[str] = []
    for folder in ("pages", "components", "views", "insight"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "literacy.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                          and node.body and isinstance(node.body[0], ast.Expr)
                          and isinstance(node.body[0].value, ast.Constant)}
            found += [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                      and isinstance(node.value, str) and id(node) not in docstrings]
    return "\n".join(found)


# ---- reading age -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("chart", CHART_TYPES)
def test_every_chart_type_has_two_or_three_plain_sentences(chart):
    title, sentences = HOW_TO_READ[chart]
    assert title.startswith("How to read")
    assert 2 <= len(sentences) <= 3
    assert grade(" ".join(sentences)) <= MAX_GRADE


@pytest.mark.parametrize("entry", GLOSSARY, ids=lambda e: e.term)
def test_every_glossary_definition_is_plain(entry):
    assert grade(entry.definition) <= MAX_GRADE, entry.definition


@pytest.mark.parametrize(("title", "text"), FIRST_VISIT_STEPS, ids=[t for t, _ in FIRST_VISIT_STEPS])
def test_every_first_visit_step_is_plain(title, text):
    assert grade(text) <= MAX_GRADE


def test_the_first_visit_guide_has_three_to_five_steps():
    assert 3 <= len(FIRST_VISIT_STEPS) <= 5


# ---- glossary ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("term", REQUIRED_TERMS)
def test_the_terms_the_issue_names_are_defined(term):
    assert define(term) is not None


def test_every_technical_term_the_product_uses_is_in_the_glossary():
    text = product_strings()
    used = [t for t in TECHNICAL_TERMS if re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", text, re.I)]
    assert len(used) > 20  # the scan really reads the product
    assert [t for t in used if define(t) is None] == []


def test_lookup_ignores_case_and_finds_other_spellings():
    assert define("Z-SCORE") is define("standard deviation") is not None
    assert define("SPC chart") is define("control chart")
    assert define("nonsense") is None


def test_glossary_terms_are_unique_and_sorted():
    terms = [e.term for e in GLOSSARY]
    assert terms == sorted(terms, key=str.lower) and len(set(t.lower() for t in terms)) == len(terms)


# ---- worked examples from the committed data -----------------------------------------------------------------
@pytest.fixture(scope="module")
def examples(dataset) -> list[ChartGuide]:
    obs, catalogue, areas = dataset.observations, dataset.indicators, dataset.areas
    names = dict(zip(areas[s.AREA_CODE], areas[s.AREA_NAME], strict=True))
    county = "E10000012"
    guides = []

    projections = pd.read_parquet(ROOT / "data" / "projections.parquet")
    claimant = projections[(projections[s.AREA_CODE] == county)
                           & (projections[s.INDICATOR_ID] == "claimant_count")].sort_values(s.PERIOD_START)
    final = str(pd.Timestamp(claimant[s.PERIOD_START].iloc[-1]).year)
    guides.append(fan_chart_guide("the claimant count in Essex", claimant, unit="%", value_type="proportion",
                                  period_label=final))

    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION][s.AREA_CODE]
    disabled = obs[(obs[s.INDICATOR_ID] == "census21_disabled") & obs[s.AREA_CODE].isin(divisions)]
    positions = percentile_positions(disabled[s.VALUE], s.Polarity.HIGHER_IS_WORSE)
    row = disabled.sort_values(s.AREA_CODE).iloc[0]
    essex = float(obs[(obs[s.INDICATOR_ID] == "census21_disabled") & (obs[s.AREA_CODE] == county)][s.VALUE].iloc[0])
    rating = compare_to_benchmark(row[s.VALUE], row[s.LOWER_95], row[s.UPPER_95], essex, s.Polarity.HIGHER_IS_WORSE)
    guides.append(spine_chart_guide(names[row[s.AREA_CODE]], "Disabled residents", value=row[s.VALUE],
                                    worst=positions.worst, best=positions.best, unit="% of residents",
                                    value_type="proportion", rating_text=rating.describe("Essex")))

    demo = pd.read_parquet(ROOT / "data" / "illustrative_demand.parquet")
    code = str(demo[s.AREA_CODE].iloc[0])
    indicator = catalogue[catalogue[s.INDICATOR_ID] == "demo_asc_contacts"].iloc[0]
    info = series_info(indicator, areas[areas[s.AREA_CODE] == code].iloc[0])
    assessment = assess_series(info, demo[(demo[s.AREA_CODE] == code) & (demo[s.INDICATOR_ID] == "demo_asc_contacts")])
    assert assessment.xmr is not None
    guides.append(spc_chart_guide(info, assessment.xmr, assessment))

    latest = disabled.set_index(s.AREA_CODE)[s.VALUE]
    guides.append(choropleth_guide("Disabled residents", {names[c]: v for c, v in latest.items()},
                                   unit="% of residents", value_type="proportion"))

    ids = ["census21_disabled", "census21_overcrowded", "imd25_income"]
    wide = obs[obs[s.INDICATOR_ID].isin(ids) & obs[s.AREA_CODE].isin(divisions)].pivot(
        index=s.AREA_CODE, columns=s.INDICATOR_ID, values=s.VALUE)
    result = score_priority(wide, {i: s.Polarity.HIGHER_IS_WORSE for i in ids}, {i: 1.0 for i in ids})
    top = result.table["rank"].idxmin()
    titles = dict(zip(catalogue[s.INDICATOR_ID], catalogue[s.SHORT_TITLE], strict=True))
    guides.append(contribution_guide(names[top], {titles[i]: v for i, v in result.contributions.loc[top].items()},
                                     float(result.table.loc[top, "score"])))

    scenario = Scenario("Early help", trend=TrendChange(-5.0, date(2026, 1, 1)))
    applied = apply_scenario(claimant, scenario)
    guides.append(scenario_guide("the claimant count in Essex", scenario.name, period_label=final,
                                 baseline=float(applied["baseline_point"].iloc[-1]),
                                 scenario=float(applied["point"].iloc[-1]), unit="%", value_type="proportion"))
    return guides


def test_there_is_a_worked_example_for_every_chart_type(examples):
    assert sorted(g.chart for g in examples) == sorted(CHART_TYPES)
    for guide in examples:
        assert guide.example.startswith("For example, ")
        assert re.search(r"\d", guide.example), guide.example  # it quotes a figure from the data


def test_every_worked_example_is_plain(examples):
    for guide in examples:
        assert grade(guide.example) <= MAX_GRADE, guide.example


def test_the_fan_chart_example_quotes_the_final_80_percent_range():
    frame = pd.DataFrame({s.PERIOD_START: pd.to_datetime(["2026-01-01", "2027-01-01"]), "point": [3.0, 3.2],
                          "lower_80": [2.5, 2.4], "upper_80": [3.5, 4.0], "lower_95": [2.0, 1.9],
                          "upper_95": [4.0, 4.5]})
    guide = fan_chart_guide("the claimant count in Essex", frame, unit="%", value_type="proportion",
                            period_label="2027")
    assert guide.example == ("For example, for the claimant count in Essex in 2027, the dark band runs from 2.4% "
                             "to 4.0%. So the figure is likely to land between those two values.")


def test_empty_inputs_give_an_honest_example():
    assert "no area has a value" in choropleth_guide("X", {}, unit="%", value_type="proportion").example
    assert "no measure has a weight" in contribution_guide("A", {}, 0.0).example


def test_the_contribution_guide_never_says_a_push_when_every_measure_lowers_the_score():
    guide = contribution_guide("Rayleigh North", {"GCSE English & maths": -0.4, "Employment rate": -0.1}, -0.5)
    assert guide.example == ("For example, Rayleigh North has a score of -0.50. Every measure lowers it; "
                             "employment rate lowers it least (-0.10).")
    assert "GCSE English & maths" in contribution_guide("A", {"GCSE English & maths": 0.3}, 0.3).example
