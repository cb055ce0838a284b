"""The targets form on Trends: choices, the new target as the file format has it, the list in words (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from insight.errors import DataValidationError
from insight.formatting import format_value
from insight.loaders import Indicator
from insight.targets import ALL_AREAS, Target, TargetDirection
from insight.text import plain

DIRECTION_LABELS = {TargetDirection.AT_MOST.value: "At most (a ceiling: above it is off target)",
                    TargetDirection.AT_LEAST.value: "At least (a floor: below it is off target)"}
FILE_NAME = "targets.json"
NONE_SET = ("No targets are set. None are set by default, so no chart shows a line and no signal is raised "
            "against a line that nobody chose.")


def target_record(indicator_id: str, area_code: str, value: float | None, direction: str, label: str,
                  set_by: str, note: str = "") -> dict[str, object]:
    """A target as one item of the file's list (insight.targets.validate_targets checks it)."""
    return {"indicator_id": indicator_id, "area_code": area_code or ALL_AREAS, "value": value,
            "direction": direction, "label": label, "set_by": set_by, "note": note}


def with_target(targets: Iterable[Target], new: Target) -> tuple[Target, ...]:
    """The targets with ``new`` added; it replaces one for the same indicator, area and direction."""
    key = (new.indicator_id, new.area_code, new.direction)
    kept = [t for t in targets if (t.indicator_id, t.area_code, t.direction) != key]
    return (*kept, new)


def without_target(targets: Iterable[Target], gone: Target) -> tuple[Target, ...]:
    """The targets without ``gone``."""
    return tuple(t for t in targets if t != gone)


def target_line(target: Target, entry: Indicator, names: Mapping[str, str]) -> str:
    """'**At most 3.5%** for every area: Council plan ceiling (set by Policy team)'; typed words are quoted
    literally (insight.text.plain), never read as Markdown."""
    where = "every area" if target.area_code == ALL_AREAS else names.get(target.area_code, target.area_code)
    value = format_value(target.value, entry.unit, entry.value_type)
    note = f" — {plain(target.note, 120)}" if target.note else ""
    return (f"**{target.wording.capitalize()} {value}** for {where}: {plain(target.label)} "
            f"(set by {plain(target.set_by)}){note}")


def problem_lines(error: DataValidationError) -> str:
    """Every problem of a refused target or file, as a Markdown list with typed values quoted literally."""
    lines = []
    for problem in error.problems[:10]:
        where = f" (field {plain(problem.column, 30)})" if problem.column else ""
        found = f": found {plain(problem.value, 40)}" if problem.value is not None else ""
        lines.append(f"- {problem.message}{where}{found}")
    more = len(error.problems) - 10
    return "\n".join(lines + ([f"- … and {more} more"] if more > 0 else []))
