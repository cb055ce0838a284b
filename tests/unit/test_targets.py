"""Targets: the typed model, its JSON file round trip, and validation that names every problem."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from insight import schema as s
from insight.errors import DataValidationError
from insight.targets import (
    ALL_AREAS,
    Target,
    TargetDirection,
    load_targets,
    save_targets,
    targets_for,
    targets_from_json,
    targets_to_json,
    validate_targets,
)

INDICATORS = pd.DataFrame({s.INDICATOR_ID: ["claimant_count", "pay"], s.VALUE_TYPE: ["proportion", "mean"]})
AREAS = pd.DataFrame({s.AREA_CODE: ["E10000012", "E07000066"]})
GOOD = {"indicator_id": "claimant_count", "area_code": "all", "value": 3.5, "direction": "at_most",
        "label": "Council plan ceiling", "set_by": "Policy team", "note": "Agreed March 2026"}


def problems(items: list[object]) -> list[str]:
    with pytest.raises(DataValidationError) as err:
        validate_targets(items, indicators=INDICATORS, areas=AREAS)
    return [str(p) for p in err.value.problems]


def test_a_file_round_trips_exactly(tmp_path):
    targets = (Target("claimant_count", 3.5, TargetDirection.AT_MOST, "Ceiling", "Policy team"),
               Target("pay", 700.0, TargetDirection.AT_LEAST, "Floor £", "Ana Ng", "E07000066", "Basildon — only"))
    path = tmp_path / "targets.json"
    save_targets(path, targets)
    assert load_targets(path, indicators=INDICATORS, areas=AREAS) == targets
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "insight-targets" and doc["version"] == 1
    assert list(doc["targets"][0]) == ["indicator_id", "area_code", "value", "direction", "label", "set_by", "note"]
    assert targets_from_json(targets_to_json(targets)) == targets


def test_no_targets_is_a_valid_empty_file():
    assert targets_from_json(targets_to_json(())) == ()


@pytest.mark.parametrize(("change", "expected"), [
    ({"value": float("nan")}, "column 'value': target 1: the value must be a finite number"),
    ({"value": True}, "the value must be a finite number"),
    ({"value": "3.5"}, "the value must be a finite number"),
    ({"value": 140}, "a percentage target must be between 0 and 100"),
    ({"direction": "below"}, "direction must be \"at_most\" (a ceiling) or \"at_least\" (a floor)"),
    ({"indicator_id": "nope"}, "column 'indicator_id': target 1: not an indicator in the catalogue"),
    ({"area_code": "E99999999"}, "column 'area_code': target 1: not one of the loaded areas"),
    ({"label": ""}, "label must be one line of text, not empty"),
    ({"label": "x" * 61}, "label must be one line of text, not empty, at most 60 characters"),
    ({"set_by": "a\nb"}, "set_by must be one line of text"),
    ({"note": 5}, "note must be one line of text, at most 300 characters"),
    ({"colour": "red"}, "column 'colour': target 1: unknown field"),
])
def test_each_bad_field_is_named(change, expected):
    found = problems([GOOD | change])
    assert any(expected in p for p in found), found


def test_a_missing_required_field_is_named():
    item = {k: v for k, v in GOOD.items() if k != "set_by"}
    assert problems([item]) == ["targets, column 'set_by': target 1: required field is missing"]


def test_every_problem_is_reported_at_once():
    found = problems([GOOD | {"value": "x"}, GOOD | {"direction": "up", "label": ""}])
    assert len(found) == 3


def test_a_repeated_target_is_refused():
    assert problems([GOOD, GOOD | {"value": 4.0}]) == [
        "targets: target 2: repeats target 1 (same indicator, area and direction); keep one "
        "(found 'Council plan ceiling')"]


def test_a_floor_and_a_ceiling_on_one_indicator_are_allowed():
    both = validate_targets([GOOD, GOOD | {"direction": "at_least", "value": 1.0}], indicators=INDICATORS)
    assert [t.direction for t in both] == [TargetDirection.AT_MOST, TargetDirection.AT_LEAST]


@pytest.mark.parametrize(("text", "expected"), [
    ("{not json", "not a readable UTF-8 JSON file"),
    ('{"format": "other", "version": 1, "targets": []}', "not a targets file"),
    ('{"format": "insight-targets", "version": 2, "targets": []}', "unsupported version"),
    ('{"format": "insight-targets", "version": 1, "targets": {}}', "expected exactly the keys"),
    ('{"format": "insight-targets", "version": 1, "targets": [], "x": 1}', "expected exactly the keys"),
    ('{"format": "insight-targets", "version": 1, "targets": [5]}', "target 1: must be a JSON object"),
])
def test_a_malformed_file_says_what_is_wrong(text, expected):
    with pytest.raises(DataValidationError, match=expected.replace("(", r"\(")):
        targets_from_json(text)


def test_a_file_that_is_too_large_is_refused():
    with pytest.raises(DataValidationError, match="larger than 100,000 bytes"):
        targets_from_json(" " * 100_001)


def test_a_missing_file_is_a_validation_error(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        load_targets(tmp_path / "none.json")


def test_an_areas_own_target_replaces_the_all_areas_one():
    everywhere = Target("x", 5.0, TargetDirection.AT_MOST, "All", "Me")
    basildon = Target("x", 4.0, TargetDirection.AT_MOST, "Basildon", "Me", "E07000066")
    floor = Target("x", 1.0, TargetDirection.AT_LEAST, "Floor", "Me")
    assert targets_for([basildon, everywhere, floor], "x", "E07000066") == (basildon, floor)
    assert targets_for([basildon, everywhere, floor], "x", "E07000067") == (everywhere, floor)
    assert targets_for([everywhere], "y", "E07000066") == ()
    assert everywhere.area_code == ALL_AREAS


@pytest.mark.parametrize(("direction", "value", "breached"), [
    (TargetDirection.AT_MOST, 5.0, False), (TargetDirection.AT_MOST, 5.01, True),
    (TargetDirection.AT_LEAST, 5.0, False), (TargetDirection.AT_LEAST, 4.99, True),
])
def test_the_line_itself_meets_the_target(direction, value, breached):
    assert Target("x", 5.0, direction, "L", "Me").breached_by(value) is breached
