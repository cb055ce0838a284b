"""Strict, streaming reader of an uploaded observations CSV. Pure: no Streamlit.

A file a person uploads is read once, row by row, with a byte limit (the server's upload limit) and a row
limit, so that neither a huge file nor a crafted one can hold the server: nothing is read past the limits,
and a refused file costs no more than reading it up to its first fatal problem. Every field is parsed by one
strict parser for its type; anything a parser cannot read becomes a `Problem` naming the file, line, column
and value, and the only exception raised is `DataValidationError`. Cell text is kept as literal text (a
formula such as ``=cmd|' /C calc'!A0`` or ``<script>`` is data, never evaluated or rendered).

Accepted: UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark, and Windows-1252 (what
Excel's plain "CSV" saves on Windows; named in the result so the page can say so); comma, semicolon or tab
delimiters (found from the header); area codes in any letter case (upper-cased).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, NoReturn

import numpy as np
import pandas as pd

from insight import schema as s
from insight.errors import DataValidationError, Problem
from insight.periods import PeriodParseError, label_period, parse_period
from insight.text import shorten

MAX_UPLOAD_MB = 20  # equals server.maxUploadSize in .streamlit/config.toml (a unit test checks)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UPLOAD_ROWS = MAX_UPLOAD_BYTES // 50  # 419,430: a file within the byte limit whose rows average 50 bytes
# or more (a row with every column filled has about 65) is within it; the built-in dataset has ~26,000 rows
FIRST_YEAR, LAST_YEAR = 1900, 2100  # plausible periods; pandas itself cannot hold years outside 1677-2262
MAX_LISTED_PER_KIND = 50  # problems listed per kind, so a wholly wrong file still gives a readable message
MAX_FIELD_CHARS = 1_000  # a longer cell is refused (csv's own limit, 131,072, would let 20 MB through)
MAX_FLAG_CHARS = 100
MAX_HEADER_CHARS = 10_000
VALUE_SHOWN_CHARS = 40  # a cell quoted in a message is cut to this, with an ellipsis
REQUIRED = (s.AREA_CODE, s.INDICATOR_ID, "period", s.VALUE)
OPTIONAL = (s.NUMERATOR, s.DENOMINATOR, s.LOWER_95, s.UPPER_95, s.FLAG)
NUMBER_COLUMNS = (s.VALUE, s.NUMERATOR, s.DENOMINATOR, s.LOWER_95, s.UPPER_95)
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}

_AREA_CODE = re.compile(r"[A-Z]\d{8}", re.ASCII)
_INDICATOR_ID = re.compile(r"[A-Za-z0-9_\-]{1,64}", re.ASCII)
# ASCII digits only ("²" and other unicode digits are not numbers here); optional thousands commas.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d{1,3})?|[+-]?\.\d+", re.ASCII)
_NAT = np.iinfo(np.int64).min  # numpy's NaT as int64
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+", re.ASCII)
_PERIOD_YEAR = re.compile(r"\s*(\d{4})", re.ASCII)
_INTERVAL = re.compile(r"\s*\d{4}-\d{2}-\d{2}/P(\d+)([YMD])\s*", re.IGNORECASE | re.ASCII)
_QUARTER = re.compile(r"\s*(\d{4})[ -]?Q([1-4])\s*", re.IGNORECASE | re.ASCII)  # calendar quarters: 2023 Q1
QUARTER_MONTHS = 3
_SIGNATURES = ((b"PK\x03\x04", "a ZIP archive (an .xlsx workbook is one): open it and save it as CSV"),
               (b"PK\x05\x06", "an empty ZIP archive, not a CSV file"),
               (b"\x1f\x8b", "a gzip archive: unpack it first"),
               (b"%PDF", "a PDF document, not a CSV file"),
               (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Office file: save it as CSV"),
               (b"\x89PNG", "a PNG image, not a CSV file"),
               (b"\xff\xd8\xff", "a JPEG image, not a CSV file"))


@dataclass(frozen=True)
class UploadedObservations:
    """A validated upload: typed observations (schema.OBSERVATION_COLUMNS) and how the file was read."""

    frame: pd.DataFrame
    encoding: str  # "UTF-8", "UTF-16" or "Windows-1252"
    delimiter: str  # "comma", "semicolon" or "tab"
    rows: int


def read_uploaded_observations(source: bytes | BinaryIO, file: str, known_areas: set[str] | None,
                               known_indicators: set[str] | None = None, *, max_bytes: int = MAX_UPLOAD_BYTES,
                               max_rows: int = MAX_UPLOAD_ROWS) -> UploadedObservations:
    """Read and validate an uploaded observations CSV (area_code, indicator_id, period, value, ...).

    `source` is the file's bytes or a seekable binary stream (read in chunks, never copied whole).
    Raises DataValidationError listing the problems found: a whole-file problem (too big, empty, binary,
    an archive, not text, no usable header, too many rows) alone, or every row problem with its line.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    size = _size(stream)
    if size > max_bytes:
        _refuse(f"the file is {size / 1024 / 1024:.1f} MB; the limit is {max_bytes / 1024 / 1024:.0f} MB. "
                "Split it into smaller files, or keep only the rows you need", file)
    head = stream.read(8192)
    _check_kind(head, size, file)
    encoding = _detect_encoding(stream, head, file)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        return _read_rows(text, file, encoding, known_areas, known_indicators, max_rows)
    finally:
        text.detach()  # leave the caller's stream open


def _size(stream: BinaryIO) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _check_kind(head: bytes, size: int, file: str) -> None:
    """Refuse what is not text at all: empty, binary, an archive or document."""
    if size == 0 or not head.strip():
        _refuse("the file is empty", file)
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            _refuse(f"this is {what}", file)
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in head:
        _refuse("the file contains binary data (NUL bytes), not CSV text", file)


def _detect_encoding(stream: BinaryIO, head: bytes, file: str) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as UTF-8; UTF-16 with a BOM; else Windows-1252."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        failure = _decode_failure(stream, encoding)
        if failure is None:
            return encoding
    _refuse(f"the file is not text in a known encoding (byte {failure} cannot be read as "
            f"{ENCODING_NAMES[candidates[-1]]}); save it as 'CSV UTF-8' and try again", file)


def _decode_failure(stream: BinaryIO, encoding: str, chunk: int = 1 << 20) -> int | None:
    """The offset of the first byte that does not decode, or None; streams the file without keeping text."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    while True:
        block = stream.read(chunk)
        try:
            decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            return offset + exc.start
        if not block:
            return None
        offset += len(block)


def _read_rows(text: io.TextIOWrapper, file: str, encoding: str, known_areas: set[str] | None,
               known_indicators: set[str] | None, max_rows: int) -> UploadedObservations:
    header_line = text.readline(MAX_HEADER_CHARS)
    if len(header_line) >= MAX_HEADER_CHARS and not header_line.endswith("\n"):
        _refuse(f"the first line is longer than {MAX_HEADER_CHARS:,} characters; it must be the header "
                f"({', '.join(REQUIRED)}, ...)", file)
    delimiter = _delimiter(header_line)
    header = [name.strip().lower() for name in _split(header_line, delimiter)]
    reader = csv.reader(text, delimiter=delimiter, strict=True)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            for record in _records(reader):
                yield reader.line_num + 1, record  # the header is line 1 and was read before the reader started
        except csv.Error as exc:
            _refuse(f"line {reader.line_num + 1} cannot be read as CSV ({exc}); check its quotes", file)

    frame, count = collect_rows(header, numbered(), file, known_areas, known_indicators, max_rows,
                                thousands=delimiter == ",", delimiter=delimiter)
    return UploadedObservations(frame, ENCODING_NAMES[encoding], DELIMITERS[delimiter], count)


def collect_rows(header: list[str], records: Iterator[tuple[int, list[str]]], file: str,
                 known_areas: set[str] | None, known_indicators: set[str] | None, max_rows: int, *,
                 thousands: bool, delimiter: str = ",") -> tuple[pd.DataFrame, int]:
    """Check a header (lower-cased names) and every (line, cells) record with the reader's parsers: the typed
    observations and the number of data rows, or DataValidationError with every problem. Shared by the CSV
    reader and the workbook reader (insight.upload_xlsx), so both apply exactly the same rules."""
    _check_header(header, delimiter, file)
    index = {name: i for i, name in enumerate(header)}
    rows = _Columns(file, index, known_areas, known_indicators, thousands=thousands)
    seen = 0
    for line, record in records:
        seen += 1
        if seen > max_rows:
            _refuse(f"the file has more than {max_rows:,} data rows, the most one upload can hold; split "
                    "it into smaller files", file)
        if len(record) != len(header):
            rows.problem("ragged", f"this row has {len(record)} field(s); the header has {len(header)}",
                         line, None, None)
            continue
        rows.add(record, line)
    if rows.count == 0 and not rows.problems:
        _refuse("the file has a header but no data rows", file)
    frame = rows.frame()
    problems = rows.all_problems() + _duplicate_keys(frame, rows.lines, file)
    if problems:
        raise DataValidationError(problems)
    return frame, rows.count


def _records(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """Non-blank records (blank lines and rows of empty fields, as spreadsheets leave, are skipped)."""
    for record in reader:
        if any(field.strip() for field in record):
            yield record


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return [line]


def _delimiter(header_line: str) -> str:
    """The delimiter whose split of the header finds the most required columns (comma on a tie)."""
    def found(delimiter: str) -> tuple[int, int]:
        names = {n.strip().lower() for n in _split(header_line, delimiter)}
        return sum(c in names for c in REQUIRED), len(names)
    return max(DELIMITERS, key=found)


def _check_header(header: list[str], delimiter: str, file: str) -> None:
    problems: list[Problem] = []
    for name, count in Counter(header).items():
        if name and count > 1:
            problems.append(Problem(f"the header names column '{shorten(name, 40)}' {count} times", file, 1))
    missing = [c for c in REQUIRED if c not in header]
    for column in missing:
        problems.append(Problem(f"missing required column '{column}'", file, 1, column))
    if missing:
        shown = ", ".join(f"'{shorten(n, 30)}'" for n in header[:8]) + (" …" if len(header) > 8 else "")
        hint = f"the header read as {len(header)} column(s): {shown}"
        if len(header) <= 1:
            hint += ("; the file must be separated by commas, semicolons or tabs, with the column names "
                     f"{', '.join(REQUIRED)} in the first line")
        problems.append(Problem(hint, file, 1))
    if problems:
        raise DataValidationError(problems)


class _Columns:
    """Typed columns built row by row, with problems counted per kind (the first few listed)."""

    def __init__(self, file: str, index: dict[str, int], known_areas: set[str] | None,
                 known_indicators: set[str] | None, *, thousands: bool) -> None:
        self.file, self.index, self.thousands = file, index, thousands
        self.known_areas, self.known_indicators = known_areas, known_indicators
        self.count = 0
        self.lines = array("l")
        self.areas: list[str] = []
        self.ids: list[str] = []
        # compact columns: numbers and nanosecond dates in typed arrays, repeated text shared (interned)
        self.starts, self.ends = array("q"), array("q")
        self.labels: list[str] = []
        self.numbers: dict[str, array] = {c: array("d") for c in NUMBER_COLUMNS}
        self._texts: dict[str, str] = {}
        self.flags: list[str] = []
        self.problems: list[Problem] = []
        self.kinds: Counter[str] = Counter()
        self._periods: dict[str, tuple[int, int, str] | str] = {}
        self._good_areas: dict[str, str] = {}  # cell text -> its valid code (upper-cased)
        self._good_ids: dict[str, str] = {}
        self._at = [index[c] for c in (s.AREA_CODE, s.INDICATOR_ID, "period")]
        self._number_at = [(c, index[c]) for c in NUMBER_COLUMNS if c in index]
        self._flag_at = index.get(s.FLAG)

    def problem(self, kind: str, message: str, line: int, column: str | None, value: object) -> None:
        self.kinds[kind] += 1
        if self.kinds[kind] <= MAX_LISTED_PER_KIND:
            shown = None if value is None else shorten(value, VALUE_SHOWN_CHARS)
            self.problems.append(Problem(message, self.file, line, column, shown))

    def all_problems(self) -> list[Problem]:
        more = [Problem(f"{n - MAX_LISTED_PER_KIND:,} more row(s) with the problem '{kind}' are not listed",
                        self.file) for kind, n in self.kinds.items() if n > MAX_LISTED_PER_KIND]
        return self.problems + more

    def add(self, record: list[str], line: int) -> None:
        self.count += 1
        self.lines.append(line)
        if max(map(len, record)) > MAX_FIELD_CHARS:
            for column, i in self.index.items():
                if len(record[i]) > MAX_FIELD_CHARS:
                    self.problem("too long", f"the cell is longer than {MAX_FIELD_CHARS:,} characters", line,
                                 column, record[i])
                    record[i] = ""
        area, indicator = record[self._at[0]].strip(), record[self._at[1]].strip()
        self.areas.append(self._good_areas.get(area) or self._shared(self._area(area, line)))
        self.ids.append(self._good_ids.get(indicator) or self._shared(self._indicator(indicator, line)))
        start, end, label = self._period(record[self._at[2]].strip(), line)
        self.starts.append(start)
        self.ends.append(end)
        self.labels.append(label)
        for column, i in self._number_at:
            self.numbers[column].append(self._number(record[i].strip(), column, line))
        flag = record[self._flag_at].strip() if self._flag_at is not None else ""
        self.flags.append(self._shared(self._flag(flag, line)))

    def _shared(self, text: str) -> str:
        """One copy of each repeated text (area codes, ids and flags repeat on most rows)."""
        if len(self._texts) >= 10_000:
            return text
        return self._texts.setdefault(text, text)

    def _area(self, text: str, line: int) -> str:
        code = text.upper()
        if not code:
            self.problem("area code empty", "area code is empty", line, s.AREA_CODE, text)
        elif not _AREA_CODE.fullmatch(code):
            self.problem("area code form", "not an area code: use the ONS code, a letter and 8 digits "
                         "(e.g. E07000066)", line, s.AREA_CODE, text)
        elif self.known_areas is not None and code not in self.known_areas:
            self.problem("unknown area", "unknown area code: not one of the loaded areas", line, s.AREA_CODE,
                         text)
        elif len(self._good_areas) < 10_000:
            self._good_areas[text] = code
        return code

    def _indicator(self, text: str, line: int) -> str:
        if not _INDICATOR_ID.fullmatch(text):
            self.problem("indicator id form", "indicator id must be 1-64 letters, digits, '_' or '-'", line,
                         s.INDICATOR_ID, text)
        elif self.known_indicators is not None and text not in self.known_indicators:
            self.problem("unknown indicator", "unknown indicator id: not in the catalogue", line,
                         s.INDICATOR_ID, text)
        elif len(self._good_ids) < 10_000:
            self._good_ids[text] = text
        return text

    def _period(self, text: str, line: int) -> tuple[int, int, str]:
        parsed = self._periods.get(text)
        if parsed is None:
            parsed = parse_upload_period(text)
            if len(self._periods) < 100_000:
                self._periods[text] = parsed
        if isinstance(parsed, str):
            self.problem("period", parsed, line, "period", text)
            return _NAT, _NAT, ""
        return parsed

    def _number(self, text: str, column: str, line: int) -> float:
        if not text:
            return np.nan
        number = parse_number(text, thousands=self.thousands)
        if number is None and not self.thousands and _DECIMAL_COMMA.fullmatch(text):
            self.problem(f"{column} decimal comma", "not a number: this looks like a decimal comma; use a '.' "
                         "for decimals (e.g. 1.5)", line, column, text)
            return np.nan
        if number is None:
            self.problem(f"{column} not a number", "not a number (use digits, a '.' for decimals, e.g. 1234.5)",
                         line, column, text)
            return np.nan
        if column in (s.NUMERATOR, s.DENOMINATOR) and number < 0:
            self.problem("negative count", "counts cannot be negative", line, column, text)
        return number

    def _flag(self, text: str, line: int) -> str:
        if len(text) > MAX_FLAG_CHARS:
            self.problem("flag too long", f"a flag is at most {MAX_FLAG_CHARS} characters", line, s.FLAG, text)
            return ""
        return text

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({
            s.AREA_CODE: pd.Series(self.areas, dtype=object),
            s.INDICATOR_ID: pd.Series(self.ids, dtype=object),
            s.PERIOD_START: np.frombuffer(self.starts, dtype="int64").view("datetime64[ns]").copy(),
            s.PERIOD_END: np.frombuffer(self.ends, dtype="int64").view("datetime64[ns]").copy(),
            s.PERIOD_LABEL: pd.Series(self.labels, dtype=object),
            **{c: np.frombuffer(v, dtype="float64").copy() if c in self.index else np.full(self.count, np.nan)
               for c, v in self.numbers.items()},
            s.FLAG: pd.Series(self.flags, dtype=object),
        })
        checks = (("numerator over denominator", "numerator is larger than its denominator", s.NUMERATOR,
                   frame[s.NUMERATOR] > frame[s.DENOMINATOR]),
                  ("crossed limits", "lower 95% limit is above the upper limit", s.LOWER_95,
                   frame[s.LOWER_95] > frame[s.UPPER_95]))
        for kind, message, column, mask in checks:
            for position in np.flatnonzero(mask.to_numpy()).tolist():
                self.problem(kind, message, self.lines[position], column, f"{frame[column].iat[position]:g}")
        return frame[s.OBSERVATION_COLUMNS]


def parse_number(text: str, *, thousands: bool = True) -> float | None:
    """A finite number written with ASCII digits (thousands commas allowed when `thousands`), or None."""
    if not _NUMBER.fullmatch(text) or (not thousands and "," in text):
        return None
    number = float(text.replace(",", ""))
    return number if np.isfinite(number) else None


PERIOD_FORMS = (("2023", "a calendar year"), ("2023/24", "a financial year, from 1 April"),
                ("2023 Q1", "a calendar quarter (Q1 is January to March; also 2023-Q1)"),
                ("2023-04", "a month"), ("2023-04-01", "a date"),
                ("2023-04-01/P1Y", "an ISO 8601 interval: a start date and a length in years, months or days"))
_PERIOD_HELP = ("not a period: use a year (2023), a financial year (2023/24), a quarter (2023 Q1), a month "
                "(2023-04), a date (2023-04-01) or an ISO 8601 interval (2023-04-01/P1Y)")


def parse_upload_period(text: str) -> tuple[int, int, str] | str:
    """(start, end, label) of a period between FIRST_YEAR and LAST_YEAR, or the reason it is refused;
    start and end in nanoseconds since 1970 (numpy's datetime64[ns])."""
    if not text:
        return "period is empty"
    if not text.isascii():
        return _PERIOD_HELP
    year = _PERIOD_YEAR.match(text)
    if year and not FIRST_YEAR <= int(year.group(1)) <= LAST_YEAR:
        return (f"the period starts in {year.group(1)}, outside the years this dashboard accepts "
                f"({FIRST_YEAR}-{LAST_YEAR})")
    quarter = _QUARTER.fullmatch(text)
    if quarter:
        start = pd.Timestamp(year=int(quarter.group(1)), month=QUARTER_MONTHS * (int(quarter.group(2)) - 1) + 1,
                             day=1)
        return _span_of(start, start + pd.DateOffset(months=QUARTER_MONTHS) - pd.Timedelta(days=1))
    interval = _INTERVAL.fullmatch(text)
    if interval and year:
        amount, unit = int(interval.group(1)), interval.group(2).upper()
        years = {"Y": amount, "M": amount / 12, "D": amount / 365.25}[unit]
        if int(year.group(1)) + years > LAST_YEAR + 1:
            return f"the period runs past {LAST_YEAR}, outside the years this dashboard accepts"
    try:
        period = parse_period(text)
    except PeriodParseError:
        return _PERIOD_HELP
    except (ValueError, OverflowError):
        return "not a possible date"
    if period.duration == f"P{QUARTER_MONTHS}M":
        return _span_of(period.start, period.end)
    return (int(period.start.as_unit("ns").value), int(period.end.as_unit("ns").value),
            label_period(period.start, period.duration))


def quarter_label(start: pd.Timestamp) -> str:
    """'2023 Q1' for a calendar quarter, else the months it spans ('Feb–Apr 2023')."""
    if start.month % QUARTER_MONTHS == 1:
        return f"{start.year} Q{start.month // QUARTER_MONTHS + 1}"
    end = start + pd.DateOffset(months=QUARTER_MONTHS - 1)
    return f"{start:%b}–{end:%b %Y}" if start.year == end.year else f"{start:%b %Y}–{end:%b %Y}"


def _span_of(start: pd.Timestamp, end: pd.Timestamp) -> tuple[int, int, str]:
    """A three-month period as (start, end, label) in nanoseconds."""
    return int(start.as_unit("ns").value), int(end.as_unit("ns").value), quarter_label(start)


def _duplicate_keys(frame: pd.DataFrame, lines: array, file: str) -> list[Problem]:
    """Rows whose (area, indicator, period start) repeats an earlier row's, with both lines."""
    key = frame[s.OBSERVATION_KEY]
    valid = key.notna().all(axis=1).to_numpy() & (frame[s.AREA_CODE] != "").to_numpy()
    dupes = np.flatnonzero(frame.duplicated(s.OBSERVATION_KEY, keep="first").to_numpy() & valid)
    if not len(dupes):
        return []
    first_line: dict[tuple, int] = {}
    for position, row in enumerate(key.itertuples(index=False, name=None)):
        first_line.setdefault(row, lines[position])
    problems = []
    for position in dupes[:MAX_LISTED_PER_KIND]:
        row = tuple(key.iloc[position])
        problems.append(Problem(f"duplicate row: the same area, indicator and period as line {first_line[row]}",
                                file, lines[position], s.AREA_CODE, shorten(row[0], VALUE_SHOWN_CHARS)))
    if len(dupes) > MAX_LISTED_PER_KIND:
        problems.append(Problem(f"{len(dupes) - MAX_LISTED_PER_KIND:,} more duplicate row(s) are not listed",
                                file))
    return problems


def _refuse(message: str, file: str) -> NoReturn:
    raise DataValidationError([Problem(message, file)])
