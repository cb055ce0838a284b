"""docs/new-council.md documents every raw file, column and TOML field a council supplies (it fails when one is
added without documentation)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from insight.build.inputs import REQUIRED_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "new-council.md").read_text(encoding="utf-8")
COUNCILS = sorted((ROOT / "insight" / "councils").glob("*.toml"))


@pytest.mark.parametrize("key", sorted(REQUIRED_COLUMNS))
def test_every_raw_file_and_its_columns_are_documented(key):
    assert f"`[raw] {key}`" in DOC
    for column in REQUIRED_COLUMNS[key]:
        assert f"`{column}`" in DOC, column


@pytest.mark.parametrize("path", COUNCILS, ids=lambda p: p.name)
def test_every_field_of_the_shipped_councils_is_documented(path):
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    for table, fields in doc.items():
        if table == "districts" or table == "raw":
            assert f"`[{table}]" in DOC
            continue
        for field in fields:
            assert f"`[{table}] {field}`" in DOC or f"`{field}`" in DOC, f"[{table}] {field}"
