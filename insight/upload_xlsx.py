"""Strict reader of an uploaded Excel workbook (.xlsx): the observations sheet through the CSV reader's own
rules (insight.upload_csv.collect_rows), and an optional metadata sheet. Pure: no Streamlit.

A workbook is a ZIP archive of XML files, so before anything is parsed the archive's directory is checked: it
must be a real .xlsx (a workbook part), hold no more than MAX_XLSX_UNPACKED_BYTES once unpacked and no part may
be compressed more than MAX_XLSX_RATIO times (a "ZIP bomb" is refused before it is unpacked). openpyxl reads
it in read-only, streaming mode with defusedxml (no XML entity expansion), cached values only: a formula is
never evaluated, and a formula Excel never computed reads as an empty cell.

Sheets: observations come from the sheet named ``data`` (any case), else the first sheet whose first row names
the required columns; metadata from the sheet named ``metadata`` (columns indicator_id, title, short_title,
unit, polarity, source; any may be blank). Other sheets (the template's ``rules``) are ignored.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, NoReturn

from insight.errors import DataValidationError, Problem
from insight.upload_csv import (
    MAX_FIELD_CHARS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_ROWS,
    REQUIRED,
    UploadedObservations,
    collect_rows,
)

DATA_SHEET = "data"
METADATA_SHEET = "metadata"
METADATA_COLUMNS = ("indicator_id", "title", "short_title", "unit", "polarity", "source")
MAX_XLSX_UNPACKED_BYTES = 10 * MAX_UPLOAD_BYTES  # a 20 MB workbook of plain rows unpacks to about 150 MB
MAX_XLSX_RATIO = 200  # the largest compression ratio a part may have (XML rows compress about 10-30 times)
MAX_METADATA_ROWS = 200
MAX_COLUMNS = 50  # a row longer than this is cut (the reader needs at most 9 columns)
XLSX_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class UploadedWorkbook:
    """A validated workbook: its observations (as the CSV reader gives them) and its metadata rows."""

    observations: UploadedObservations
    metadata: tuple[dict[str, str], ...]  # one dict per metadata row (METADATA_COLUMNS, text), in sheet order
    data_sheet: str


def is_workbook(file_name: str, head: bytes) -> bool:
    """True for a file named .xlsx, or one that starts like a ZIP archive (what an .xlsx is)."""
    return file_name.lower().endswith(".xlsx") or head.startswith(XLSX_SIGNATURE)


def read_uploaded_workbook(source: bytes | BinaryIO, file: str, known_areas: set[str] | None,
                           known_indicators: set[str] | None = None, *, max_bytes: int = MAX_UPLOAD_BYTES,
                           max_rows: int = MAX_UPLOAD_ROWS) -> UploadedWorkbook:
    """Read and validate an uploaded .xlsx (its data sheet and optional metadata sheet).

    Raises DataValidationError: a whole-file problem alone (too big, not an .xlsx, a ZIP bomb, no data sheet),
    or every row problem with its sheet row number (row 1 is the header)."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > max_bytes:
        _refuse(f"the file is {size / 1024 / 1024:.1f} MB; the limit is {max_bytes / 1024 / 1024:.0f} MB", file)
    _check_archive(stream, file)
    import openpyxl  # ~0.3 s to import: only when a workbook is uploaded

    stream.seek(0)
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except _BROKEN as exc:
        _refuse(f"this is not an Excel workbook that can be read ({type(exc).__name__}); save it again as "
                "'Excel Workbook (.xlsx)' or as CSV", file)
    try:
        return _read_book(book, file, known_areas, known_indicators, max_rows)
    except _BROKEN as exc:  # a part that is not well-formed XML shows only when its rows are read
        _refuse(f"part of this workbook cannot be read ({type(exc).__name__}); save it again as 'Excel "
                "Workbook (.xlsx)' or as CSV", file)
    finally:
        book.close()


# What openpyxl raises for a damaged workbook: missing parts (KeyError), bad XML (xml.etree's ParseError is a
# SyntaxError; defusedxml's refusals are ValueErrors), bad numbers or styles (ValueError, TypeError, AttributeError).
_BROKEN = (KeyError, ValueError, TypeError, AttributeError, IndexError, SyntaxError, OSError, zipfile.BadZipFile,
           EOFError)


def _read_book(book: Any, file: str, known_areas: set[str] | None, known_indicators: set[str] | None,
               max_rows: int) -> UploadedWorkbook:
    """The data and metadata sheets of an opened workbook."""
    sheet_name = _data_sheet(book, file)
    where = f"{file}, sheet '{sheet_name}'"
    rows = _rows(book[sheet_name])
    header_row = next(rows, None)
    if header_row is None:
        _refuse("the data sheet is empty", where)
    header = [_text(v).strip().lower() for v in header_row[1]]
    while header and not header[-1]:
        header.pop()
    period_at = header.index("period") if "period" in header else None
    records = ((n, _record(cells, len(header), period_at)) for n, cells in rows)
    frame, count = collect_rows(header, _non_blank(records), where, known_areas, known_indicators, max_rows,
                                thousands=True)
    metadata = _metadata(book, file)
    return UploadedWorkbook(UploadedObservations(frame, "Excel workbook", "sheet", count), metadata, sheet_name)


def _check_archive(stream: BinaryIO, file: str) -> None:
    """Refuse what is not an .xlsx, or would unpack into far more than its size (before unpacking it)."""
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        _refuse("this is not an Excel workbook (.xlsx) nor a ZIP archive; save it as .xlsx or as CSV", file)
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            _refuse("this ZIP archive is not an Excel workbook (.xlsx): it has no workbook inside. An .xls or "
                    ".ods file must be saved as .xlsx or CSV first", file)
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            _refuse(f"the workbook would unpack to {unpacked / 2**20:,.0f} MB, more than the "
                    f"{MAX_XLSX_UNPACKED_BYTES / 2**20:.0f} MB allowed; split it or save it as CSV", file)
        for member in members:
            if member.file_size > 1_000_000 and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1):
                _refuse(f"part {member.filename[:60]!r} of the workbook is compressed more than "
                        f"{MAX_XLSX_RATIO} times (a 'ZIP bomb'?); it was not unpacked", file)


def _data_sheet(book: Any, file: str) -> str:
    names = list(book.sheetnames)
    named = [n for n in names if n.strip().lower() == DATA_SHEET]
    if named:
        return named[0]
    for name in names:
        if name.strip().lower() == METADATA_SHEET:
            continue
        first = next(_rows(book[name]), None)
        if first is not None and set(REQUIRED) <= {_text(v).strip().lower() for v in first[1]}:
            return name
    _refuse(f"no sheet holds the observations: name the sheet '{DATA_SHEET}', with the columns "
            f"{', '.join(REQUIRED)} in its first row", file)


def _rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cell values) of a sheet, at most MAX_COLUMNS cells each."""
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        yield number, tuple(values)


def _non_blank(records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for number, record in records:
        if any(cell.strip() for cell in record):
            yield number, record


def _record(cells: tuple[Any, ...], width: int, period_at: int | None) -> list[str]:
    """A row's cells as text, padded or cut to the header's width (trailing blank cells are not a ragged row;
    cells beyond the header that hold something are kept, so the row is refused as ragged)."""
    texts = [_text(v, period=i == period_at) for i, v in enumerate(cells)]
    while len(texts) > width and not texts[-1].strip():
        texts.pop()
    return texts + [""] * (width - len(texts))


def _text(value: Any, *, period: bool = False) -> str:
    """A cell as the text the CSV reader parses: numbers without float noise; a date in the period column as
    the month it starts (Excel turns a typed '2023-04' into 1 April 2023); any other date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m}" if period and value.day == 1 else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    text = str(value)
    return text if len(text) <= MAX_FIELD_CHARS + 1 else text[:MAX_FIELD_CHARS + 1]


def _metadata(book: Any, file: str) -> tuple[dict[str, str], ...]:
    named = [n for n in book.sheetnames if n.strip().lower() == METADATA_SHEET]
    if not named:
        return ()
    rows = _rows(book[named[0]])
    first = next(rows, None)
    if first is None:
        return ()
    header = [_text(v).strip().lower() for v in first[1]]
    if "indicator_id" not in header:
        raise DataValidationError([Problem("the metadata sheet needs a column 'indicator_id' in its first row "
                                           f"(and any of {', '.join(METADATA_COLUMNS[1:])})",
                                           f"{file}, sheet '{named[0]}'", 1)])
    out: list[dict[str, str]] = []
    for number, cells in rows:
        values = {name: _text(cells[i]).strip() if i < len(cells) else "" for i, name in enumerate(header)
                  if name in METADATA_COLUMNS}
        if not any(values.values()):
            continue
        if len(out) >= MAX_METADATA_ROWS:
            raise DataValidationError([Problem(f"the metadata sheet has more than {MAX_METADATA_ROWS} rows",
                                               f"{file}, sheet '{named[0]}'", number)])
        out.append({**{c: "" for c in METADATA_COLUMNS}, **values, "row": str(number)})
    return tuple(out)


def _refuse(message: str, file: str) -> NoReturn:
    raise DataValidationError([Problem(message, file)])
