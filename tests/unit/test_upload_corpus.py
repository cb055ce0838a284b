"""A corpus of bad uploads: each is refused with its own message, never an exception, the file loaded before
stays loaded, and neither memory nor reading grows past the limits (counted, never timed)."""

from __future__ import annotations

import codecs
import gzip
import io
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insight.errors import DataValidationError
from insight.upload_csv import MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, read_uploaded_observations
from insight.uploads import LoadedUpload, RefusedUpload, UploadShelf

KNOWN = {"E07000066", "E07000067", "E10000012"}
HEADER = b"area_code,indicator_id,period,value\n"
GOOD = HEADER + b"E07000066,my_rate,2023,1.5\nE07000067,my_rate,2023,2\n"
PERIOD_HELP = ("not a period: use a year (2023), a financial year (2023/24), a quarter (2023 Q1), a month "
               "(2023-04), a date (2023-04-01) or an ISO 8601 interval (2023-04-01/P1Y)")
NOT_A_NUMBER = "not a number (use digits, a '.' for decimals, e.g. 1234.5)"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", GOOD)
    return buffer.getvalue()


CORPUS = {
    "empty": (b"", ["f.csv: the file is empty"]),
    "blank lines only": (b"\n\r\n  \n", ["f.csv: the file is empty"]),
    "header only": (HEADER, ["f.csv: the file has a header but no data rows"]),
    "more fields than the header": (HEADER + b"E07000066,x,2023,1,surplus\n",
                                    ["f.csv, line 2: this row has 5 field(s); the header has 4"]),
    "fewer fields than the header": (HEADER + b"E07000066,x,2023,1\nE07000066,x\n",
                                     ["f.csv, line 3: this row has 2 field(s); the header has 4"]),
    "a decimal comma in a semicolon file": (
        b"area_code;indicator_id;period;value\nE07000066;x;2023;1,5\n",
        ["f.csv, line 2, column 'value': not a number: this looks like a decimal comma; use a '.' for "
         "decimals (e.g. 1.5) (found '1,5')"]),
    "a delimiter that is none of comma, semicolon, tab": (
        b"area_code|indicator_id|period|value\nE07000066|x|2023|1\n",
        ["f.csv, line 1, column 'area_code': missing required column 'area_code'",
         "f.csv, line 1, column 'indicator_id': missing required column 'indicator_id'",
         "f.csv, line 1, column 'period': missing required column 'period'",
         "f.csv, line 1, column 'value': missing required column 'value'",
         "f.csv, line 1: the header read as 1 column(s): 'area_code|indicator_id|period…'; the file must be "
         "separated by commas, semicolons or tabs, with the column names area_code, indicator_id, period, value "
         "in the first line"]),
    "a header naming a column twice": (b"area_code,indicator_id,period,value,value\nE07000066,x,2023,1,2\n",
                                       ["f.csv, line 1: the header names column 'value' 2 times"]),
    "UTF-16 without a byte-order mark": (GOOD.decode().encode("utf-16-le"),
                                         ["f.csv: the file contains binary data (NUL bytes), not CSV text"]),
    "binary": (bytes(range(256)) * 4, ["f.csv: the file contains binary data (NUL bytes), not CSV text"]),
    "zip archive": (_zip(), ["f.csv: this is a ZIP archive (an .xlsx workbook is one): open it and save it as "
                             "CSV"]),
    "gzip archive": (gzip.compress(GOOD), ["f.csv: this is a gzip archive: unpack it first"]),
    "PDF": (b"%PDF-1.7\n...", ["f.csv: this is a PDF document, not a CSV file"]),
    "an unclosed quote": (HEADER + b'E07000066,x,2023,"1\n', [
        "f.csv: line 2 cannot be read as CSV (unexpected end of data); check its quotes"]),
    "formula text in a number": (HEADER + b"E07000066,x,2023,=cmd|' /C calc'!A0\n", [
        f"f.csv, line 2, column 'value': {NOT_A_NUMBER} (found \"=cmd|' /C calc'!A0\")"]),
    "script text in an id": (HEADER + b"E07000066,<script>alert(1)</script>,2023,1\n", [
        "f.csv, line 2, column 'indicator_id': indicator id must be 1-64 letters, digits, '_' or '-' "
        "(found '<script>alert(1)</script>')"]),
    "Markdown in an area code": (HEADER + b"[x](https://evil.example),x,2023,1\n", [
        "f.csv, line 2, column 'area_code': not an area code: use the ONS code, a letter and 8 digits "
        "(e.g. E07000066) (found '[x](https://evil.example)')"]),
    "unicode digits": (HEADER + "E07000066,x,2023,\u00b2\nE07000066,x,\u0662\u0660\u0662\u0663,1\n".encode(), [
        f"f.csv, line 2, column 'value': {NOT_A_NUMBER} (found '\u00b2')",
        f"f.csv, line 3, column 'period': {PERIOD_HELP} (found '\u0662\u0660\u0662\u0663')"]),
    "not-a-number and infinity": (HEADER + b"E07000066,x,2023,nan\nE07000066,x,2024,inf\nE07000066,x,2025,1e999\n", [
        f"f.csv, line 2, column 'value': {NOT_A_NUMBER} (found 'nan')",
        f"f.csv, line 3, column 'value': {NOT_A_NUMBER} (found 'inf')",
        f"f.csv, line 4, column 'value': {NOT_A_NUMBER} (found '1e999')"]),
    "periods outside 1900-2100": (
        HEADER + b"E07000066,x,0223,1\nE07000066,x,1500,1\nE07000066,x,9999,1\nE07000066,x,2023-04-01/P300Y,1\n"
        b"E07000066,x,2023-04-01/P99999999999999999999D,1\n",
        ["f.csv, line 2, column 'period': the period starts in 0223, outside the years this dashboard accepts "
         "(1900-2100) (found '0223')",
         "f.csv, line 3, column 'period': the period starts in 1500, outside the years this dashboard accepts "
         "(1900-2100) (found '1500')",
         "f.csv, line 4, column 'period': the period starts in 9999, outside the years this dashboard accepts "
         "(1900-2100) (found '9999')",
         "f.csv, line 5, column 'period': the period runs past 2100, outside the years this dashboard accepts "
         "(found '2023-04-01/P300Y')",
         "f.csv, line 6, column 'period': the period runs past 2100, outside the years this dashboard accepts "
         "(found '2023-04-01/P99999999999999999999D')"]),
    "an impossible date": (HEADER + b"E07000066,x,2023-02-30,1\n", [
        f"f.csv, line 2, column 'period': {PERIOD_HELP} (found '2023-02-30')"]),
    "duplicate rows": (HEADER + b"E07000066,x,2023,1\nE07000067,x,2023,1\ne07000066,x,2023,2\n", [
        "f.csv, line 4, column 'area_code': duplicate row: the same area, indicator and period as line 2 "
        "(found 'E07000066')"]),
    "a 10 kB cell": (HEADER + b"E07000066,x,2023," + b"9" * 10_000 + b"\n", [
        "f.csv, line 2, column 'value': the cell is longer than 1,000 characters (found '" + "9" * 39 + "…')"]),
}


# The shelf reads a ZIP archive as an Excel workbook (insight.upload_xlsx), so it names what is missing inside.
SHELF_MESSAGES = {"zip archive": (CORPUS["zip archive"][0], [
    "f.csv: this ZIP archive is not an Excel workbook (.xlsx): it has no workbook inside. An .xls or .ods file must "
    "be saved as .xlsx or CSV first"])}


def refusal(data: bytes, name: str = "f.csv") -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        read_uploaded_observations(data, name, KNOWN)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_bad_file_is_refused_with_its_own_message(case):
    data, expected = CORPUS[case]
    assert refusal(data) == expected


@pytest.mark.parametrize("case", list(CORPUS))
def test_a_refused_file_leaves_the_loaded_one_and_is_checked_once(case):
    shelf = UploadShelf()
    loaded = shelf.check("id-good", "good.csv", GOOD, KNOWN)
    assert isinstance(loaded, LoadedUpload)
    data, expected = SHELF_MESSAGES.get(case, CORPUS[case])
    tracemalloc.start()
    outcome = shelf.check("id-bad", "f.csv", data, KNOWN)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    again = shelf.check("id-bad", "f.csv", io.BytesIO(b"never read"), KNOWN)
    assert isinstance(outcome, RefusedUpload) and [str(p) for p in outcome.problems] == expected
    assert again is outcome and shelf.checks == 2
    assert shelf.loaded is loaded and len(shelf.loaded.frame) == 2
    assert peak < 2 * 1024 * 1024  # every corpus file is small: checking it holds less than 2 MB


@pytest.mark.parametrize(("encoding", "data"), [
    ("UTF-8", GOOD),
    ("UTF-8", codecs.BOM_UTF8 + GOOD),
    ("UTF-16", GOOD.decode().encode("utf-16")),
    ("Windows-1252", GOOD.replace(b"2\n", b"2\n").replace(b"value\n", b"value,flag\n")
     .replace(b"1.5\n", b"1.5,caf\xe9\n").replace(b"2023,2\n", b"2023,2,\x96\n")),
])
def test_utf8_with_or_without_bom_utf16_and_windows_1252_are_read_and_named(encoding, data):
    result = read_uploaded_observations(data, "f.csv", KNOWN)
    assert result.encoding == encoding
    assert result.frame["value"].tolist() == [1.5, 2.0]
    if encoding == "Windows-1252":
        assert result.frame["flag"].tolist() == ["café", "–"]


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), (",", "comma")])
def test_semicolon_and_tab_files_are_detected(delimiter, name):
    data = GOOD.replace(b",", delimiter.encode())
    result = read_uploaded_observations(data, "f.csv", KNOWN)
    assert (result.delimiter, result.frame["area_code"].tolist()) == (name, ["E07000066", "E07000067"])


def test_area_codes_are_case_insensitive():
    result = read_uploaded_observations(HEADER + b"e07000066,x,2023,1\n E07000067 ,x,2023,2\n", "f.csv", KNOWN)
    assert result.frame["area_code"].tolist() == ["E07000066", "E07000067"]


def test_formula_and_script_text_is_kept_as_literal_text():
    data = b"area_code,indicator_id,period,value,flag\nE07000066,x,2023,1,=HYPERLINK(\"http://x\")\n" \
           b"E07000067,x,2023,2,<script>alert(1)</script>\n"
    assert read_uploaded_observations(data, "f.csv", KNOWN).frame["flag"].tolist() == [
        '=HYPERLINK("http://x")', "<script>alert(1)</script>"]


def test_problems_of_one_kind_are_listed_fifty_times_then_counted():
    found = refusal(HEADER + b"".join(b"E07000066,x,%d,abc\n" % (1950 + i) for i in range(120)))
    assert len(found) == 51
    assert found[-1] == "f.csv: 70 more row(s) with the problem 'value not a number' are not listed"


class CountingStream(io.BytesIO):
    """A file-like upload that counts the bytes read since the last rewind."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_since_rewind = 0
        self.total_read = 0

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) == (0, 0):
            self.read_since_rewind = 0
        return super().seek(offset, whence)

    def read(self, size: int | None = -1) -> bytes:
        block = super().read(size)
        self.read_since_rewind += len(block)
        self.total_read += len(block)
        return block

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readinto(self, buffer) -> int:
        block = self.read(len(buffer))
        buffer[: len(block)] = block
        return len(block)

    readinto1 = readinto


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    stream = CountingStream(b"x" * (MAX_UPLOAD_BYTES + 1))
    tracemalloc.start()
    with pytest.raises(DataValidationError) as caught:
        read_uploaded_observations(stream, "big.csv", KNOWN)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [str(p) for p in caught.value.problems] == [
        "big.csv: the file is 20.0 MB; the limit is 20 MB. Split it into smaller files, or keep only the rows "
        "you need"]
    assert stream.total_read == 0 and peak < 64 * 1024


def test_the_reader_stops_at_the_row_limit():
    row = b"E07000066,x,2023-04-01,1\n"
    stream = CountingStream(HEADER + row * 20_000)
    with pytest.raises(DataValidationError) as caught:
        read_uploaded_observations(stream, "many.csv", KNOWN, max_rows=1_000)
    assert [str(p) for p in caught.value.problems] == [
        "many.csv: the file has more than 1,000 data rows, the most one upload can hold; split it into smaller "
        "files"]
    # the parsing pass read the header, 1,001 rows and at most one read-ahead buffer (8 KB) more
    assert stream.read_since_rewind <= len(HEADER) + 1_001 * len(row) + 8192


def test_the_row_limit_fits_a_full_upload():
    row = b"E07000066,claimant_count,2023-04-01/P1Y,12345.6,123,4567,1.2,3.4,\n"  # every column filled
    assert MAX_UPLOAD_ROWS * len(row) > MAX_UPLOAD_BYTES  # a file within the byte limit is within the row limit


def test_a_big_file_with_one_bad_cell_at_the_end_is_read_once_and_bounded_in_memory():
    days = [b"%d-%02d-%02d" % (y, m, d) for y in range(1950, 2050) for m in range(1, 13) for d in range(1, 29)]
    rows = [b"%s,rate_%d,%s,%d.5\n" % (area, i % 5, day, i) for i, (area, day) in
            enumerate((a, d) for a in (b"E07000066", b"e07000067") for d in days for _ in range(5))][:150_000]
    data = HEADER + b"".join(rows) + b"E07000067,x,2023,abc\n"
    shelf = UploadShelf()
    tracemalloc.start()
    outcome = shelf.check("id-big", "big.csv", data, KNOWN)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(outcome, RefusedUpload)
    assert [str(p) for p in outcome.problems][-1] == (
        f"big.csv, line {len(rows) + 2}, column 'value': {NOT_A_NUMBER} (found 'abc')")
    stream = CountingStream(data)
    for _ in range(3):  # later reruns with the same file: the refusal is remembered, nothing is read
        assert shelf.check("id-big", "big.csv", stream, KNOWN) is outcome
    assert stream.total_read == 0 and shelf.checks == 1
    assert peak < 10 * len(data), f"peak {peak / 2**20:.1f} MB for a {len(data) / 2**20:.1f} MB file"


CELLS = st.one_of(
    st.sampled_from(["E07000066", "e07000067", "E99999999", "2023", "2023/24", "2023-04", "2023-04-01/P1Y",
                     "0223", "9999", "2023-04-01/P300Y", "1,234", "1e999", "nan", "-inf", "=cmd|' /C calc'!A0",
                     "<script>x</script>", "[a](http://e.x)", "\u00b2", "\u0662\u0660\u0662\u0663", '"', "", " "]),
    st.text(max_size=12))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=7), max_size=8),
       delimiter=st.sampled_from([",", ";", "\t", "|"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252",
                                                                                  "utf-16", "latin-1"]))
def test_any_table_of_cells_is_read_or_refused_with_problems_never_an_exception(rows, delimiter, encoding):
    header = delimiter.join(["area_code", "indicator_id", "period", "value", "flag"])
    text = "\n".join([header, *(delimiter.join(row) for row in rows)])
    data = text.encode(encoding, errors="replace")
    try:
        result = read_uploaded_observations(data, "f.csv", KNOWN)
    except DataValidationError as error:
        assert error.problems and all(p.file == "f.csv" for p in error.problems)
    else:
        assert set(result.frame["area_code"]) <= KNOWN
        assert result.frame["period_start"].dt.year.between(1900, 2100).all()


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=600))
def test_any_bytes_are_read_or_refused_with_problems_never_an_exception(data):
    try:
        read_uploaded_observations(HEADER + data, "f.csv", KNOWN)
    except DataValidationError as error:
        assert error.problems
