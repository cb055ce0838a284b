"""Typed errors raised by the insight package. Pages catch exactly these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found while validating a file: what, and exactly where."""

    message: str
    file: str = ""
    row: int | None = None  # line number in the file (the header is line 1); None for whole-file problems
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = [self.file or "<data>"]
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.message}"
        if self.value is not None:
            text += f" (found {self.value!r})"
        return text


class InsightError(Exception):
    """Base class of every error the insight package raises on purpose."""


class DataValidationError(InsightError):
    """A data file failed validation; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"- {p}" for p in self.problems[:20])
        more = f"\n- … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s) found:\n{shown}{more}")


class UnknownAreaError(InsightError, KeyError):
    """An area code is not in the loaded geography."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:
        return f"Unknown area code '{self.code}': it is not one of the loaded areas."


class UnknownIndicatorError(InsightError, KeyError):
    """An indicator id is not in the catalogue."""

    def __init__(self, indicator_id: str) -> None:
        self.indicator_id = indicator_id
        super().__init__(indicator_id)

    def __str__(self) -> str:
        return f"Unknown indicator '{self.indicator_id}': it is not in the indicator catalogue."


class ForecastError(InsightError):
    """A series cannot be projected (too short, irregular, ...); the message says why."""


class ScenarioError(InsightError):
    """A scenario definition is malformed or cannot be applied."""


class DataFileError(DataValidationError):
    """A file of the processed dataset is missing, unreadable or of the wrong shape. The message names the
    file, says what is wrong and how to rebuild it (``make data`` or ``make forecasts``)."""

    def __init__(self, file: str, problem: str, remedy: str) -> None:
        self.file, self.problem, self.remedy = file, problem, remedy
        super().__init__([Problem(f"{problem}. {remedy}", file)])

    def __str__(self) -> str:
        return f"The data file {self.file} {self.problem}. {self.remedy}"
