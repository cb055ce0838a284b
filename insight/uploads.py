"""Observations a user uploads: what a session holds, a summary per indicator and the rows of one indicator."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO

import pandas as pd

from insight import schema as s
from insight.errors import DataValidationError, Problem
from insight.upload_csv import UploadedObservations, read_uploaded_observations
from insight.upload_xlsx import is_workbook, read_uploaded_workbook


def summarise_upload(frame: pd.DataFrame, area_names: dict[str, str]) -> pd.DataFrame:
    """One row per uploaded indicator: areas, periods, first and last period."""
    ordered = frame.sort_values(s.PERIOD_START)
    summary = ordered.groupby(s.INDICATOR_ID, sort=True).agg(
        areas=(s.AREA_CODE, "nunique"), periods=(s.PERIOD_LABEL, "nunique"),
        first_period=(s.PERIOD_LABEL, "first"), last_period=(s.PERIOD_LABEL, "last"))
    summary["area_names"] = [", ".join(sorted({area_names.get(c, c) for c in part[s.AREA_CODE]}))[:120]
                             for _, part in ordered.groupby(s.INDICATOR_ID, sort=True)]
    return summary.reset_index()


CHART_MAX_AREAS = 10  # lines one chart can tell apart
CHART_MAX_POINTS = 5_000  # points sent to the browser for one chart


def chart_rows(rows: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """The rows of `upload_series` that one chart can show: the first CHART_MAX_AREAS areas (by name), and of
    those the latest CHART_MAX_POINTS points; with a sentence saying what was left out (None if nothing)."""
    names = list(dict.fromkeys(rows[s.AREA_NAME]))
    kept = rows[rows[s.AREA_NAME].isin(names[:CHART_MAX_AREAS])]
    if len(kept) > CHART_MAX_POINTS:
        kept = kept.sort_values(s.PERIOD_START, kind="stable").tail(CHART_MAX_POINTS)
        kept = kept.sort_values([s.AREA_NAME, s.PERIOD_START], kind="stable")
    if len(kept) == len(rows):
        return rows, None
    areas = len(set(kept[s.AREA_NAME]))
    return kept.reset_index(drop=True), (f"The chart shows {len(kept):,} of {len(rows):,} values ({areas} of "
                                         f"{len(names)} areas, latest periods first); the table above counts all.")


def upload_series(frame: pd.DataFrame, indicator_id: str, area_names: dict[str, str]) -> pd.DataFrame:
    """The uploaded rows of one indicator with area names, in time order, values present."""
    rows = frame[(frame[s.INDICATOR_ID] == indicator_id) & frame[s.VALUE].notna()].copy()
    rows[s.AREA_NAME] = rows[s.AREA_CODE].map(area_names).fillna(rows[s.AREA_CODE])
    return rows.sort_values([s.AREA_NAME, s.PERIOD_START]).reset_index(drop=True)


# ---- a session's uploads: validated once per file, the last good one kept, bounded in memory ----
UPLOAD_SESSION_BUDGET = 96 * 1024 * 1024  # bytes one session's loaded upload may hold in memory (a 20 MB,
# 300,000-row file holds about 40 MB as a typed frame)


@dataclass(frozen=True)
class LoadedUpload:
    """A validated upload held for one session."""

    file_name: str
    frame: pd.DataFrame
    encoding: str
    delimiter: str
    rows: int
    nbytes: int  # memory the typed frame holds
    summary: pd.DataFrame  # summarise_upload's table, made once when the file is loaded
    uploaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    metadata: tuple[dict[str, str], ...] = ()  # a workbook's metadata sheet rows (insight.upload_xlsx)
    sheet: str | None = None  # the workbook sheet the observations came from (None: a CSV file)


@dataclass(frozen=True)
class RefusedUpload:
    """A file that was checked and refused, with every problem found."""

    file_name: str
    problems: tuple[Problem, ...]


UploadOutcome = LoadedUpload | RefusedUpload


def frame_bytes(frame: pd.DataFrame) -> int:
    """Memory a frame holds: its arrays, plus each distinct text object once (the reader shares repeated text,
    which pandas' deep memory count would count once per row)."""
    total = int(frame.memory_usage(index=True, deep=False).sum())
    for column in frame.columns:
        if frame[column].dtype == object:
            total += sum(sys.getsizeof(v) for v in {id(v): v for v in frame[column]}.values())
    return total


class UploadShelf:
    """What one session holds of uploads: the loaded file (kept when a later file is refused) and the
    outcome of the last file checked, so a file is validated once however often the page reruns."""

    def __init__(self, budget_bytes: int = UPLOAD_SESSION_BUDGET) -> None:
        self.budget_bytes = budget_bytes
        self.loaded: LoadedUpload | None = None
        self.last_file_id: str | None = None
        self.last_outcome: UploadOutcome | None = None
        self.checks = 0  # files validated (a rerun with the same file does not count)

    def check(self, file_id: str, file_name: str, source: bytes | BinaryIO, known_areas: set[str] | None,
              known_indicators: set[str] | None = None, area_names: dict[str, str] | None = None,
              now: datetime | None = None) -> UploadOutcome:
        """Validate a file once (by its uploader id); a valid file replaces the loaded one, a refused one
        leaves it. The outcome is remembered and returned again for the same id without reading.
        `area_names` names the areas in the loaded file's summary; `now` is the upload time (default: now).
        A CSV file and an Excel workbook (.xlsx, by name or content) are both read."""
        if file_id == self.last_file_id and self.last_outcome is not None:
            return self.last_outcome
        self.checks += 1
        outcome: UploadOutcome
        metadata: tuple[dict[str, str], ...] = ()
        sheet: str | None = None
        try:
            stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
            head = stream.read(4)
            stream.seek(0)
            result: UploadedObservations
            if is_workbook(file_name, head):
                book = read_uploaded_workbook(stream, file_name, known_areas, known_indicators)
                result, metadata, sheet = book.observations, book.metadata, book.data_sheet
            else:
                result = read_uploaded_observations(stream, file_name, known_areas, known_indicators)
        except DataValidationError as error:
            outcome = RefusedUpload(file_name, tuple(error.problems))
        else:
            nbytes = frame_bytes(result.frame)
            if nbytes > self.budget_bytes:
                outcome = RefusedUpload(file_name, (Problem(
                    f"the file's {result.rows:,} rows would hold {nbytes / 2**20:.0f} MB in memory, more than the "
                    f"{self.budget_bytes / 2**20:.0f} MB one session may hold; upload fewer rows", file_name),))
            else:
                outcome = LoadedUpload(file_name, result.frame, result.encoding, result.delimiter, result.rows,
                                       nbytes, summarise_upload(result.frame, area_names or {}),
                                       now or datetime.now(UTC), metadata, sheet)
                self.loaded = outcome
        self.last_file_id, self.last_outcome = file_id, outcome
        return outcome

    def clear(self) -> None:
        """Forget the loaded file and the last outcome."""
        self.loaded = None
        self.last_file_id = self.last_outcome = None
