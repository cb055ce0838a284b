"""The upload template and its rules in words: the template uploads as it is, every rule that refuses a row is
shown refusing it, and the workbook reader applies the CSV reader's rules (insight.upload_template, upload_xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from insight import schema as s
from insight.config import load_config
from insight.errors import DataValidationError
from insight.loaders import load_areas
from insight.upload_csv import MAX_UPLOAD_MB, MAX_UPLOAD_ROWS, read_uploaded_observations
from insight.upload_template import (
    EXAMPLE_ID,
    TEMPLATE_COLUMNS,
    example_areas,
    rules_markdown,
    template_csv,
    template_xlsx,
    upload_rules,
)
from insight.upload_xlsx import MAX_XLSX_RATIO, read_uploaded_workbook
from insight.uploads import LoadedUpload, UploadShelf
from tests.conftest import ROOT

COUNCILS = {"essex": (ROOT / "insight/councils/essex.toml", ROOT / "data"),
            "colchester": (ROOT / "insight/councils/colchester.toml", ROOT / "data/councils/colchester")}


@pytest.fixture(params=list(COUNCILS), scope="module")
def council_areas(request):
    toml, folder = COUNCILS[request.param]
    return load_config(toml), load_areas(folder)


def test_the_csv_template_has_one_worked_row_per_area_level_and_uploads_as_it_is(council_areas):
    council, areas = council_areas
    outcome = UploadShelf().check("t", "template.csv", template_csv(areas, council), set(areas[s.AREA_CODE]))
    assert isinstance(outcome, LoadedUpload), outcome
    levels = dict(zip(areas[s.AREA_CODE], areas[s.LEVEL], strict=True))
    own = [] if council.is_district_council else ["district"]  # a district council's own area is its district
    assert [levels[c] for c in outcome.frame[s.AREA_CODE]][1:] == [*own, "division", "lsoa"]
    assert outcome.frame[s.AREA_CODE].iloc[0] == council.county_code
    assert [w for w, _, _ in example_areas(areas, council)] == ["council", *own, council.area_word, "LSOA"]
    assert template_csv(areas, council).decode().splitlines()[0] == ",".join(TEMPLATE_COLUMNS)


def test_the_excel_template_uploads_with_its_metadata_and_the_rules_sheet_is_ignored(council_areas):
    council, areas = council_areas
    outcome = UploadShelf().check("t", "template.xlsx", template_xlsx(areas, council), set(areas[s.AREA_CODE]))
    assert isinstance(outcome, LoadedUpload), outcome
    assert outcome.sheet == "data" and outcome.frame[s.PERIOD_LABEL].unique().tolist() == ["2024/25"]
    assert [m["polarity"] for m in outcome.metadata] == ["higher is better"]
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(areas, council)), read_only=True)
    assert book.sheetnames == ["data", "metadata", "rules"]
    assert [r[0] for r in book["rules"].iter_rows(min_row=2, values_only=True)] == \
        [rule.topic for rule in upload_rules(council)]


@pytest.mark.parametrize("topic", [r.topic for r in upload_rules(load_config()) if r.breaks])
def test_every_rule_in_words_is_one_the_reader_applies(topic):
    council, areas = load_config(), load_areas()
    [rule] = [r for r in upload_rules(council) if r.topic == topic]
    rows = [line + "," * (len(TEMPLATE_COLUMNS) - 1 - line.count(",")) for line in rule.breaks.split("\n")]
    data = (",".join(TEMPLATE_COLUMNS) + "\n" + "\n".join(rows) + "\n").encode()
    with pytest.raises(DataValidationError) as caught:
        read_uploaded_observations(data, "f.csv", set(areas[s.AREA_CODE]))
    assert len(caught.value.problems) == 1  # refused for this rule alone


def test_the_rules_name_the_readers_own_limits_and_the_councils_words():
    text = rules_markdown(load_config(COUNCILS["colchester"][0]))
    for fact in (f"{MAX_UPLOAD_MB} MB", f"{MAX_UPLOAD_ROWS:,} data rows", "2023 Q1", "1900 to 2100", "wards",
                 "E07000071", "Essex, East of England, England", "counts of 1–7 suppressed"):
        assert fact in text


def workbook(rows: list[list[object]], sheet: str = "data", extra: dict[str, list[list[object]]] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    for name, more in (extra or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEAD = ["area_code", "indicator_id", "period", "value"]


def test_a_workbook_is_read_with_the_csv_readers_rules_and_its_rows_numbered():
    data = workbook([HEAD, ["E07000066", "x", dt.datetime(2024, 4, 1), 1.5], ["E07000066", "x", "2024-05", "two"]])
    with pytest.raises(DataValidationError) as caught:
        read_uploaded_workbook(data, "b.xlsx", {"E07000066"})
    assert [str(p) for p in caught.value.problems] == [
        "b.xlsx, sheet 'data', line 3, column 'value': not a number (use digits, a '.' for decimals, e.g. 1234.5) "
        "(found 'two')"]


def test_a_date_in_the_period_column_is_the_month_and_numbers_lose_no_precision():
    data = workbook([HEAD, ["e07000066", "x", dt.datetime(2024, 4, 1), 1234.5], ["E07000066", "x", 2023, 7]],
                    sheet="Sheet 1")  # not named 'data': found by its header
    book = read_uploaded_workbook(data, "b.xlsx", {"E07000066"})
    frame = book.observations.frame
    assert frame[s.PERIOD_LABEL].tolist() == ["Apr 2024", "2023"] and frame[s.VALUE].tolist() == [1234.5, 7.0]
    assert book.data_sheet == "Sheet 1" and book.metadata == ()


def test_a_formula_is_never_evaluated():
    data = workbook([HEAD, ["E07000066", "x", "2023", "=1+1"], ["E07000066", "x", "2024", 2]])
    frame = read_uploaded_workbook(data, "b.xlsx", {"E07000066"}).observations.frame
    assert frame[s.VALUE].isna().tolist() == [True, False]  # never computed by Excel: no cached value, a gap


def test_a_metadata_sheet_without_indicator_id_is_refused():
    data = workbook([HEAD, ["E07000066", "x", "2023", 1]], extra={"metadata": [["title"], ["T"]]})
    with pytest.raises(DataValidationError, match="needs a column 'indicator_id'"):
        read_uploaded_workbook(data, "b.xlsx", {"E07000066"})


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)
    with pytest.raises(DataValidationError, match=f"compressed more than {MAX_XLSX_RATIO} times"):
        read_uploaded_workbook(out.getvalue(), "bomb.xlsx", None)


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04not really", "not an Excel workbook (.xlsx) nor a ZIP archive"),
    (b"hello", "not an Excel workbook (.xlsx) nor a ZIP archive"),
])
def test_a_file_named_xlsx_that_is_not_one_is_refused(data, message):
    outcome = UploadShelf().check("x", "book.xlsx", data, None)
    assert message in outcome.problems[0].message


def test_the_example_indicator_is_a_percentage_with_its_own_intervals():
    council, areas = load_config(), load_areas()
    frame = UploadShelf().check("t", "t.csv", template_csv(areas, council), None).frame
    assert set(frame[s.INDICATOR_ID]) == {EXAMPLE_ID}
    assert ((frame[s.LOWER_95] < frame[s.VALUE]) & (frame[s.VALUE] < frame[s.UPPER_95])).all()
