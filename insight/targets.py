"""Targets and thresholds an officer sets per indicator: a small typed model, validation, and a JSON file.

None are set by default, so no chart or signal shows a line that nobody chose. A target is a line on one
indicator, for one area or for every area ("all"), with a direction: ``at_most`` (a ceiling: going above it
is a breach, e.g. "claimant count at most 3%") or ``at_least`` (a floor). It carries a label people read,
who set it and an optional note. An area-specific target replaces an "all areas" one of the same direction.

File format (UTF-8 JSON, at most ``MAX_FILE_BYTES``)::

    {"format": "insight-targets", "version": 1,
     "targets": [{"indicator_id": "claimant_count", "area_code": "all", "value": 3.5,
                  "direction": "at_most", "label": "Council plan ceiling", "set_by": "Policy team",
                  "note": "Agreed at Cabinet, March 2026"}]}

Every problem found is reported at once as a DataValidationError naming the target (1 = the first), the
field and the value, and what to do.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from insight import schema as s
from insight.errors import DataValidationError, Problem

ALL_AREAS = "all"
FILE_FORMAT = "insight-targets"
FILE_VERSION = 1
MAX_FILE_BYTES = 100_000
MAX_TARGETS = 500
MAX_LABEL, MAX_SET_BY, MAX_NOTE = 60, 60, 300
FIELDS = ("indicator_id", "area_code", "value", "direction", "label", "set_by", "note")
REQUIRED = ("indicator_id", "value", "direction", "label", "set_by")


class TargetDirection(StrEnum):
    """Which side of the line is a breach."""

    AT_MOST = "at_most"  # a ceiling: a value above it breaches
    AT_LEAST = "at_least"  # a floor: a value below it breaches


@dataclass(frozen=True)
class Target:
    """A line on one indicator, for one area or all areas (``area_code == "all"``)."""

    indicator_id: str
    value: float
    direction: TargetDirection
    label: str
    set_by: str
    area_code: str = ALL_AREAS
    note: str = ""

    def applies_to(self, indicator_id: str, area_code: str) -> bool:
        """True when the target is for this indicator and this area (or for all areas)."""
        return self.indicator_id == indicator_id and self.area_code in (ALL_AREAS, area_code)

    def breached_by(self, value: float) -> bool:
        """True when ``value`` is on the wrong side of the line (strictly; the line itself is met)."""
        if self.direction is TargetDirection.AT_MOST:
            return value > self.value
        return value < self.value

    @property
    def wording(self) -> str:
        """'at most' / 'at least'."""
        return "at most" if self.direction is TargetDirection.AT_MOST else "at least"


def targets_for(targets: Iterable[Target], indicator_id: str, area_code: str) -> tuple[Target, ...]:
    """The targets that apply to one series; an area's own target replaces an all-areas one (per direction)."""
    chosen: dict[TargetDirection, Target] = {}
    for target in targets:
        if not target.applies_to(indicator_id, area_code):
            continue
        current = chosen.get(target.direction)
        if current is None or (current.area_code == ALL_AREAS and target.area_code != ALL_AREAS):
            chosen[target.direction] = target
    return tuple(chosen[d] for d in TargetDirection if d in chosen)


def _text(value: object) -> bool:
    return isinstance(value, str) and not any(unicodedata.category(ch)[0] == "C" for ch in value)


def _check_one(index: int, raw: object, file: str, indicators: pd.DataFrame | None,
               areas: pd.DataFrame | None) -> tuple[Target | None, list[Problem]]:
    where = f"target {index}"
    if not isinstance(raw, dict):
        return None, [Problem(f"{where}: must be a JSON object with the fields {', '.join(FIELDS)}", file,
                              value=type(raw).__name__)]
    problems = [Problem(f"{where}: unknown field; allowed fields are {', '.join(FIELDS)}", file, column=str(k))
                for k in raw if k not in FIELDS]
    problems += [Problem(f"{where}: required field is missing", file, column=k) for k in REQUIRED if k not in raw]
    if problems:
        return None, problems
    indicator_id, area_code = raw["indicator_id"], raw.get("area_code", ALL_AREAS)
    value, direction = raw["value"], raw["direction"]
    if not (_text(indicator_id) and indicator_id):
        problems.append(Problem(f"{where}: give the indicator id as text", file, column="indicator_id",
                                value=indicator_id))
    elif indicators is not None and indicator_id not in set(indicators[s.INDICATOR_ID]):
        problems.append(Problem(f"{where}: not an indicator in the catalogue", file, column="indicator_id",
                                value=indicator_id))
    if not (_text(area_code) and area_code):
        problems.append(Problem(f"{where}: give an area code, or \"{ALL_AREAS}\" for every area", file,
                                column="area_code", value=area_code))
    elif areas is not None and area_code != ALL_AREAS and area_code not in set(areas[s.AREA_CODE]):
        problems.append(Problem(f"{where}: not one of the loaded areas", file, column="area_code", value=area_code))
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        problems.append(Problem(f"{where}: the value must be a finite number", file, column="value", value=value))
    elif indicators is not None and _is_percentage(indicators, indicator_id) and not 0 <= float(value) <= 100:
        problems.append(Problem(f"{where}: a percentage target must be between 0 and 100", file, column="value",
                                value=value))
    if direction not in {d.value for d in TargetDirection}:
        problems.append(Problem(f"{where}: direction must be \"at_most\" (a ceiling) or \"at_least\" (a floor)",
                                file, column="direction", value=direction))
    for name, limit in (("label", MAX_LABEL), ("set_by", MAX_SET_BY), ("note", MAX_NOTE)):
        text = raw.get(name, "")
        required = name != "note"
        if not _text(text) or (required and not text.strip()) or len(text) > limit:
            need = "one line of text" + (", not empty" if required else "")
            problems.append(Problem(f"{where}: {name} must be {need}, at most {limit} characters", file,
                                    column=name, value=text if isinstance(text, str) else type(text).__name__))
    if problems:
        return None, problems
    return Target(indicator_id=indicator_id, value=float(value), direction=TargetDirection(direction),
                  label=raw["label"].strip(), set_by=raw["set_by"].strip(), area_code=area_code,
                  note=raw.get("note", "").strip()), []


def _is_percentage(indicators: pd.DataFrame, indicator_id: object) -> bool:
    rows = indicators[indicators[s.INDICATOR_ID] == indicator_id]
    return not rows.empty and str(rows[s.VALUE_TYPE].iloc[0]) == s.ValueType.PROPORTION.value


def validate_targets(items: Sequence[object], *, indicators: pd.DataFrame | None = None,
                     areas: pd.DataFrame | None = None, file: str = "targets") -> tuple[Target, ...]:
    """Targets from plain dicts (as in the file), checked; DataValidationError lists every problem."""
    if len(items) > MAX_TARGETS:
        raise DataValidationError([Problem(f"at most {MAX_TARGETS} targets per file", file, value=len(items))])
    targets: list[Target] = []
    problems: list[Problem] = []
    for index, raw in enumerate(items, start=1):
        target, found = _check_one(index, raw, file, indicators, areas)
        problems += found
        if target is not None:
            targets.append(target)
    seen: dict[tuple[str, str, TargetDirection], int] = {}
    for index, target in enumerate(targets, start=1):
        key = (target.indicator_id, target.area_code, target.direction)
        if key in seen:
            problems.append(Problem(f"target {index}: repeats target {seen[key]} (same indicator, area and "
                                    "direction); keep one", file, value=target.label))
        seen.setdefault(key, index)
    if problems:
        raise DataValidationError(problems)
    return tuple(targets)


def target_to_dict(target: Target) -> dict[str, Any]:
    """One target as the file writes it (every field, in the file's order)."""
    item = {k: (str(v) if isinstance(v, StrEnum) else v) for k, v in asdict(target).items()}
    return {k: item[k] for k in FIELDS}


def targets_to_json(targets: Iterable[Target]) -> str:
    """The file text for ``targets`` (stable key order, UTF-8 characters kept)."""
    items = [target_to_dict(t) for t in targets]
    return json.dumps({"format": FILE_FORMAT, "version": FILE_VERSION, "targets": items}, ensure_ascii=False,
                      indent=2) + "\n"


def targets_from_json(text: str | bytes, *, indicators: pd.DataFrame | None = None,
                      areas: pd.DataFrame | None = None, file: str = "targets.json") -> tuple[Target, ...]:
    """Read and validate a targets file's text; DataValidationError says what is wrong and where."""
    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if len(raw) > MAX_FILE_BYTES:
        raise DataValidationError([Problem(f"the file is larger than {MAX_FILE_BYTES:,} bytes", file)])
    try:
        doc: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError([Problem(f"not a readable UTF-8 JSON file ({exc})", file)]) from exc
    if not isinstance(doc, dict) or doc.get("format") != FILE_FORMAT:
        raise DataValidationError([Problem(f"not a targets file: expected an object with \"format\": "
                                           f"\"{FILE_FORMAT}\"", file)])
    if doc.get("version") != FILE_VERSION:
        raise DataValidationError([Problem(f"unsupported version; this app reads version {FILE_VERSION}", file,
                                           value=doc.get("version"))])
    extra = sorted(set(doc) - {"format", "version", "targets"})
    if extra or not isinstance(doc.get("targets"), list):
        raise DataValidationError([Problem("expected exactly the keys format, version and targets (a list)", file,
                                           value=", ".join(extra) or type(doc.get("targets")).__name__)])
    return validate_targets(doc["targets"], indicators=indicators, areas=areas, file=file)


def save_targets(path: Path, targets: Iterable[Target]) -> None:
    """Write a targets file."""
    Path(path).write_text(targets_to_json(targets), encoding="utf-8")


def load_targets(path: Path, *, indicators: pd.DataFrame | None = None,
                 areas: pd.DataFrame | None = None) -> tuple[Target, ...]:
    """Read and validate a targets file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataValidationError([Problem("file not found", str(path))]) from exc
    return targets_from_json(data, indicators=indicators, areas=areas, file=path.name)
