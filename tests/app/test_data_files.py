"""A missing or corrupt file of the processed dataset: every page names the file, says what is wrong and how to
rebuild it (never a generic error), and the pages that do not need that file still work."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ROOT, TIMEOUT

pytestmark = pytest.mark.usefixtures("embedded_files_only")  # every test here breaks a file in data/

PAGES = ["pages/overview.py", "pages/trends.py", "pages/priority_map.py", "pages/division_profile.py",
         "pages/scenarios.py", "pages/data_methods.py"]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/ that the app reads instead (components.data.DATA_DIR), restored after the test."""
    from components import data

    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setattr(data, "DATA_DIR", copy)
    yield copy


def corrupt(path: Path) -> None:
    """Keep the first 100 bytes only: what a truncated copy or an interrupted build leaves."""
    path.write_bytes(path.read_bytes()[:100])


def run(script: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize(("file", "what"), [
    ("observations.parquet", "cannot be read: it is not a valid Parquet file (it may be truncated or corrupt)"),
    ("areas.parquet", "is missing"),
    ("indicators.csv", "lacks"),
])
@pytest.mark.parametrize("script", ["app.py", *PAGES])
def test_a_broken_core_file_is_named_on_every_page_with_how_to_rebuild_it(data_copy, script, file, what):
    path = data_copy / file
    if what == "is missing":
        path.unlink()
    elif what == "lacks":
        path.write_text("indicator_id,title\nx,y\n")
    else:
        corrupt(path)
    at = run(script)
    assert not at.exception
    shown = " ".join(errors(at))
    if what == "lacks":  # a readable file of the wrong shape: every missing column is named
        assert f"{file}, column 'short_title': missing required column 'short_title'" in shown
    else:
        assert f"The data file data/{file} {what}. Rebuild the dataset with `make data`" in shown


def test_a_corrupt_projections_file_leaves_the_observed_trend_and_says_projections_are_unavailable(data_copy):
    corrupt(data_copy / "projections.parquet")
    at = run("pages/trends.py")
    assert not at.exception and not errors(at)
    notes = [i.value for i in at.info]
    assert ("Projections are unavailable: The data file data/projections.parquet cannot be read: it is not a "
            "valid Parquet file (it may be truncated or corrupt). Rebuild the projections with `make forecasts` "
            "(python -m insight.forecast --all)") in notes
    assert at.get("vega_lite_chart"), "the observed series is still drawn"


def test_a_corrupt_projections_file_does_not_touch_the_overview(data_copy):
    corrupt(data_copy / "projections.parquet")
    at = run("pages/overview.py")
    assert not at.exception and not errors(at)
    assert len(at.get("vega_lite_chart")) == 6  # six headline tiles with their sparklines


def test_a_corrupt_boundary_file_is_named_on_the_priority_map_and_the_ranking_still_shows(data_copy):
    corrupt(data_copy / "boundaries" / "divisions.geojson")
    at = run("pages/priority_map.py")
    assert not at.exception
    assert errors(at) == ["The map cannot be drawn: The data file boundaries/divisions.geojson cannot be read: it "
                          "is not a valid GeoJSON file (it may be truncated or corrupt). Rebuild the dataset with "
                          "`make data` (python -m insight.build --raw ../shared/essex-raw), or point "
                          "INSIGHT_DATA_DIR at a complete one"]
    assert at.dataframe, "the ranked table is still there"
