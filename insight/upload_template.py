"""The template for uploads (CSV and .xlsx) and the reader's rules in words. Pure: no Streamlit.

Every rule is written from the constants the readers use (insight.upload_csv, insight.upload_xlsx,
insight.your_data), and each rule that refuses a row carries a row that breaks it: a unit test feeds each of
those rows to the reader and checks it is refused, and uploads the template itself, so the words cannot drift
from what the reader does. The template has one worked row per area level of the council.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandas as pd

from insight import schema as s
from insight.config import CouncilConfig
from insight.stats import wilson_interval
from insight.upload_csv import (
    DELIMITERS,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_FIELD_CHARS,
    MAX_FLAG_CHARS,
    MAX_UPLOAD_MB,
    MAX_UPLOAD_ROWS,
    OPTIONAL,
    PERIOD_FORMS,
    REQUIRED,
)
from insight.upload_xlsx import DATA_SHEET, MAX_XLSX_UNPACKED_BYTES, METADATA_COLUMNS, METADATA_SHEET
from insight.your_data import KNOWN_FLAGS, MAX_SHORT_TITLE, MAX_SOURCE, MAX_TITLE, MAX_UNIT, SAFE_RULE

TEMPLATE_COLUMNS = (*REQUIRED, *OPTIONAL)
EXAMPLE_ID = "residents_satisfied"
EXAMPLE_PERIOD = "2024/25"
RULES_SHEET = "rules"


@dataclass(frozen=True)
class Rule:
    """One rule in words; ``breaks`` is a CSV data row (after the template's header) that the reader refuses
    because of it, or None for a rule about the whole file or about what happens after reading."""

    topic: str
    text: str
    breaks: str | None = None


def example_areas(areas: pd.DataFrame, council: CouncilConfig) -> list[tuple[str, str, str]]:
    """(level word, code, name) of one area per level the council's data has: the council, a district, a small
    area and an LSOA (the first of each by name)."""
    out = [("council", council.county_code, council.short_name)]
    for level, word in ((s.Level.DISTRICT, "district"), (s.Level.DIVISION, council.area_word),
                        (s.Level.LSOA, "LSOA")):
        rows = areas[areas[s.LEVEL] == level].sort_values(s.AREA_NAME)
        rows = rows[rows[s.AREA_CODE] != council.county_code]
        if not rows.empty:
            out.append((word, str(rows[s.AREA_CODE].iloc[0]), str(rows[s.AREA_NAME].iloc[0])))
    return out


def template_rows(areas: pd.DataFrame, council: CouncilConfig) -> list[dict[str, str]]:
    """One worked row per area level: a share of residents with its numerator, denominator and Wilson 95%
    interval (a made-up survey result, so the file shows every column)."""
    rows = []
    for number, (_, code, _) in enumerate(example_areas(areas, council)):
        denominator = 400 - 60 * number
        numerator = round(denominator * (0.62 - 0.03 * number))
        low, high = wilson_interval(numerator, denominator)
        rows.append({s.AREA_CODE: code, s.INDICATOR_ID: EXAMPLE_ID, "period": EXAMPLE_PERIOD,
                     s.VALUE: f"{100 * numerator / denominator:.2f}", s.NUMERATOR: str(numerator),
                     s.DENOMINATOR: str(denominator), s.LOWER_95: f"{100 * low:.2f}", s.UPPER_95: f"{100 * high:.2f}",
                     s.FLAG: ""})
    return rows


def template_csv(areas: pd.DataFrame, council: CouncilConfig) -> bytes:
    """The CSV template: the header and one worked row per area level (it uploads as it is)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(TEMPLATE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(template_rows(areas, council))
    return out.getvalue().encode("utf-8")


def template_metadata() -> dict[str, str]:
    """The example indicator's metadata row."""
    return {"indicator_id": EXAMPLE_ID, "title": "Residents satisfied with their local area (example survey)",
            "short_title": "Residents satisfied", "unit": "%", "polarity": "higher is better",
            "source": "Example residents survey 2024/25"}


def template_xlsx(areas: pd.DataFrame, council: CouncilConfig) -> bytes:
    """The Excel template: sheets 'data' (the rows, periods as text), 'metadata' and 'rules'."""
    from openpyxl import Workbook  # imported only when the template is downloaded
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet is a worksheet (openpyxl types it loosely)
    sheet.title = DATA_SHEET
    sheet.append(list(TEMPLATE_COLUMNS))
    numbers = {s.VALUE, s.NUMERATOR, s.DENOMINATOR, s.LOWER_95, s.UPPER_95}
    for row in template_rows(areas, council):
        sheet.append([float(row[c]) if c in numbers and row[c] else row[c] for c in TEMPLATE_COLUMNS])
    for cell in sheet["C"]:
        cell.number_format = "@"  # periods stay text: Excel would turn 2024-04 into a date
    meta = book.create_sheet(METADATA_SHEET)
    meta.append(list(METADATA_COLUMNS))
    example = template_metadata()
    meta.append([example[c] for c in METADATA_COLUMNS])
    rules = book.create_sheet(RULES_SHEET)
    rules.append(["topic", "rule"])
    for rule in upload_rules(council):
        rules.append([rule.topic, rule.text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload_rules(council: CouncilConfig) -> tuple[Rule, ...]:
    """The rules an uploaded file must follow, in words, from the readers' own constants."""
    code = council.county_code
    forms = "; ".join(f"{form} ({what})" for form, what in PERIOD_FORMS)
    delimiters = ", ".join(DELIMITERS.values())
    return (
        Rule("File", f"A CSV file ({delimiters}-separated; UTF-8, UTF-16 with a byte-order mark, or Windows-1252) "
             f"or an Excel workbook (.xlsx) with the rows on a sheet named '{DATA_SHEET}' and, optionally, a "
             f"sheet '{METADATA_SHEET}'. At most {MAX_UPLOAD_MB} MB and {MAX_UPLOAD_ROWS:,} data rows; a "
             f"workbook may unpack to at most {MAX_XLSX_UNPACKED_BYTES // 2**20} MB. Formulas are not worked "
             "out: a cell shows the value Excel last saved."),
        Rule("Columns", f"The first row names the columns, in any order and any case: {', '.join(REQUIRED)} are "
             f"required; {', '.join(OPTIONAL)} are optional. Each column is named once."),
        Rule("area_code", f"The ONS code of an area this dashboard holds: a letter and 8 digits, for the council "
             f"({code}), its districts, its {council.area_word_plural}, their LSOAs (2021), or the comparators "
             f"{', '.join(council.comparator_names.values())}.", f"X1234,{EXAMPLE_ID},2024,1"),
        Rule("indicator_id", "1 to 64 letters, digits, '_' or '-'. One file may hold many indicators.",
             f"{code},my indicator!,2024,1"),
        Rule("period", f"One of: {forms}. Years {FIRST_YEAR} to {LAST_YEAR}. Give one kind of period per "
             "indicator (all years, all quarters or all months); in Excel, a date in the period column is read "
             f"as the month it starts.", f"{code},{EXAMPLE_ID},{FIRST_YEAR - 1},1"),
        Rule("Numbers", "value, numerator, denominator, lower_95 and upper_95 are written with digits and a '.' for "
             "decimals (thousands commas are allowed in a comma-separated file when the cell is quoted, and in "
             "Excel). A blank cell is a missing value, never a zero.", f"{code},{EXAMPLE_ID},2024,about 5"),
        Rule("Counts", "numerator and denominator are never negative and the numerator is never larger than the "
             "denominator. Where every row of an indicator has both, the value must be numerator ÷ denominator "
             "× one constant (100 for a percentage, 1,000 for a rate per 1,000), or they are not used.",
             f"{code},{EXAMPLE_ID},2024,150,3,2"),
        Rule("Intervals", "lower_95 is not above upper_95.", f"{code},{EXAMPLE_ID},2024,5,,,6,4"),
        Rule("Cells", f"A cell holds at most {MAX_FIELD_CHARS:,} characters; a flag at most {MAX_FLAG_CHARS}. "
             f"Flags the dashboard knows are kept ({', '.join(sorted(f for f in KNOWN_FLAGS if f))}); other flags "
             "are dropped.", f"{code},{EXAMPLE_ID},2024,1,,,,,{'x' * (MAX_FLAG_CHARS + 1)}"),
        Rule("Duplicates", "One row per area, indicator and period.",
             f"{code},{EXAMPLE_ID},2024,1\n{code},{EXAMPLE_ID},2024,2"),
        Rule("Metadata", f"Per indicator (the '{METADATA_SHEET}' sheet, or the form after uploading): title (at most "
             f"{MAX_TITLE} characters), short_title ({MAX_SHORT_TITLE}), unit ({MAX_UNIT}), polarity ('higher is "
             f"better', 'higher is worse' or 'neither') and source ({MAX_SOURCE}); text uses {SAFE_RULE}. "
             "Anything not given takes a default, and the pages say which."),
        Rule("Disclosure", "Where values are counts (whole numbers, or numerators with denominators) you are offered "
             "the published data's rule before anything is shown: counts of 1–7 suppressed, others rounded to the "
             "nearest 5, values and intervals worked out from the rounded counts."),
        Rule("Privacy", "Your file is held only for this browser session: never saved, never shared with another "
             "session, gone when the session ends or the server restarts."),
    )


def rules_markdown(council: CouncilConfig) -> str:
    """The rules as a Markdown list (they hold no user input)."""
    return "\n".join(f"- **{rule.topic}.** {rule.text}" for rule in upload_rules(council))
