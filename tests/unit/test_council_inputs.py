"""What another council sees when its configuration or a raw file is wrong: one message per problem, naming the
file (and the TOML key that names it), the column, what is wrong and what to do (docs/new-council.md)."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from insight.build.__main__ import build, main
from insight.config import ConfigError, load_config
from insight.errors import DataValidationError

ROOT = Path(__file__).resolve().parents[2]
RAW = Path(os.environ.get("ESSEX_RAW", ROOT.parent / "shared" / "essex-raw"))
COUNCILS = ROOT / "insight" / "councils"
CENSUS = "indicators/census2021_lsoa21_essex_long.csv"
WARDS = "boundaries/essex_wards_may2024_ukmaps.geojson"
WARD_LOOKUP = "lookups/lsoa21_ward24_lad24_essex_geographr.csv"


@pytest.fixture(autouse=True)
def _raw() -> None:
    if not RAW.exists():
        if os.environ.get("CI"):
            pytest.fail(f"raw data not found at {RAW}")
        pytest.skip(f"raw data not found at {RAW}")


def _toml(tmp_path: Path, council: str, *replacements: tuple[str, str]) -> Path:
    """A copy of a council's TOML with some lines changed."""
    text = (COUNCILS / f"{council}.toml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"{council}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _raw_with(tmp_path: Path, **files: pd.DataFrame | gpd.GeoDataFrame) -> Path:
    """A raw folder that links to the real files, with some replaced (keyword: relative path, '/' as '__')."""
    raw = tmp_path / "raw"
    for source in RAW.rglob("*"):
        if source.is_file():
            target = raw / source.relative_to(RAW)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
    for key, frame in files.items():
        target = raw / key.replace("__", "/")
        target.unlink()
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(target, driver="GeoJSON")
        else:
            frame.to_csv(target, index=False)
    return raw


def _problems(excinfo: pytest.ExceptionInfo[DataValidationError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_a_missing_column_names_the_file_its_toml_key_and_the_columns_the_build_reads(tmp_path):
    census = pd.read_csv(RAW / CENSUS, nrows=20).drop(columns=["denominator_type"])
    raw = _raw_with(tmp_path, **{CENSUS.replace("/", "__"): census})
    with pytest.raises(DataValidationError) as excinfo:
        build(raw, load_config(COUNCILS / "colchester.toml"), tmp_path / "out")
    assert _problems(excinfo) == [
        f"{CENSUS} ([raw] census2021_lsoa), column 'denominator_type': missing column; the build reads "
        "lsoa21_code, table, category, n, denominator, denominator_type (the file has lsoa21_code, table, "
        "category, n, denominator, prop). Rename the column or use the ONS file described in docs/new-council.md"]
    assert not (tmp_path / "out").exists()


def test_a_boundary_file_of_the_wrong_kind_of_area_says_which_kind_it_is(tmp_path):
    """Colchester (wards, E05) given the county division file (E58) through --divisions."""
    divisions = RAW / "boundaries" / "essex_ced2017_APPROX_derived.geojson"
    with pytest.raises(DataValidationError) as excinfo:
        build(RAW, load_config(COUNCILS / "colchester.toml"), tmp_path / "out", divisions_file=divisions)
    assert _problems(excinfo) == [
        "essex_ced2017_APPROX_derived.geojson ([small_areas] file or --divisions), column 'CED17CD': no code "
        "starts with 'E05' (ward); the codes start with E58 (county electoral division). Use the ward boundary "
        "file, or set [small_areas] code_prefix (found 'E58000402')"]


def test_a_population_that_does_not_match_the_census_says_both_figures_and_what_to_check(tmp_path):
    toml = _toml(tmp_path, "colchester", ("census_2021_population = 192713", "census_2021_population = 192700"))
    with pytest.raises(DataValidationError) as excinfo:
        build(RAW, load_config(toml), tmp_path / "out")
    assert _problems(excinfo) == [
        f"{toml}, column '[council] census_2021_population': the Census 2021 residents of the council's 117 "
        "LSOAs (in 1 district(s): E07000071) sum to 192,713, not the configured census_2021_population 192,700. "
        "Check [districts] and the Census file; if they are right, correct the figure (ONS Census 2021 TS001, "
        "usual residents) (found 192700)"]


def test_a_file_that_is_not_there_is_named_with_its_toml_key(tmp_path):
    toml = _toml(tmp_path, "colchester", (f'file = "{WARDS}"', 'file = "boundaries/wards_2024.geojson"'))
    with pytest.raises(DataValidationError) as excinfo:
        build(RAW, load_config(toml), tmp_path / "out")
    assert _problems(excinfo) == [
        f"boundaries/wards_2024.geojson ([small_areas] file): file not found in {RAW}; check the file name in "
        f"{toml} or the --raw folder"]


def test_a_lookup_of_another_ward_vintage_is_refused(tmp_path):
    lookup = pd.read_csv(RAW / WARD_LOOKUP)
    lookup.loc[lookup["ward24_name"] == "Wivenhoe", "ward24_code"] = "E05004099"  # a 2015 code
    raw = _raw_with(tmp_path, **{WARD_LOOKUP.replace("/", "__"): lookup})
    with pytest.raises(DataValidationError) as excinfo:
        build(raw, load_config(COUNCILS / "colchester.toml"), tmp_path / "out")
    assert _problems(excinfo) == [
        "lsoa21_ward24_lad24_essex_geographr.csv ([small_areas] lsoa_lookup), column 'ward24_code': 1 ward code(s) "
        "are not in the boundary file (first: E05004099); the lookup and the boundaries must be the same vintage "
        "(e.g. both May 2024)"]


def test_a_district_missing_from_the_boundaries_is_named(tmp_path):
    toml = _toml(tmp_path, "essex", ('E07000077 = "Uttlesford"', 'E07000077 = "Uttlesford"\nE07000099 = "Nowhere"'))
    with pytest.raises(DataValidationError) as excinfo:
        build(RAW, load_config(toml), tmp_path / "out")
    assert _problems(excinfo) == [
        "essex_lad24_geographr.geojson ([raw] district_boundaries), column 'ltla24_code': no boundary for district "
        "E07000099 (Nowhere), listed in [districts]; use a district file that covers the council, or correct the "
        "code"]


def test_every_missing_raw_entry_is_listed_at_once(tmp_path):
    toml = _toml(tmp_path, "colchester", ('imd2025_lsoa = "indicators/imd2025_lsoa21_essex.csv"\n', ""),
                 ('population_lsoa11 = "indicators/population_lsoa11_essex_mid2017_2019_2020.csv"\n', ""))
    with pytest.raises(DataValidationError) as excinfo:
        build(RAW, load_config(toml), tmp_path / "out")
    assert _problems(excinfo) == [
        f"{toml}: [raw] has no 'imd2025_lsoa' entry; add imd2025_lsoa = \"path/inside/the/raw/folder\"",
        f"{toml}: [raw] has no 'population_lsoa11' entry; add population_lsoa11 = \"path/inside/the/raw/folder\""]


def test_the_command_line_prints_the_problem_and_writes_nothing(tmp_path, capsys):
    toml = _toml(tmp_path, "colchester", ("census_2021_population = 192713", "census_2021_population = 1"))
    out = tmp_path / "out"
    assert main(["--config", str(toml), "--raw", str(RAW), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the build stopped; nothing was written.\n1 problem(s) found:\n- ")
    assert "sum to 192,713, not the configured census_2021_population 1." in err
    assert not out.exists()


@pytest.mark.parametrize(("replacement", "message"), [
    (('code = "E07000071"', 'code = "Colchester"'),
     "[council] code = 'Colchester' is not an ONS area code such as 'E07000071'"),
    (('level = "district"', 'level = "borough"'), "[council] level = 'borough'; use 'county' or 'district'"),
    (('[comparators]', '[comparators]\nward = { code = "E05010843", name = "Wivenhoe" }'),
     "[comparators] has ward; use at most three of county, region, england"),
    (('E07000071 = "Colchester"\n', 'E07000076 = "Tendring"\n'),
     'a district council lists itself in [districts] (E07000071 = "...")'),
    (("approximate = false", "approximate = 0"),
     "[small_areas] approximate must be true or false (true labels every small_areas view as approximate: use "
     "it for boundaries you derived yourself)"),
    (("census_2021_population = 192713", "census_2021_population = \"192,713\""),
     "[council] census_2021_population must be a whole number of residents (Census 2021 usual residents of the "
     "council's area), not '192,713'"),
])
def test_a_wrong_configuration_value_says_which_field_and_what_to_use(tmp_path, replacement, message):
    toml = _toml(tmp_path, "colchester", replacement)
    with pytest.raises(ConfigError) as excinfo:
        load_config(toml)
    assert str(excinfo.value) == f"{toml}: {message}"
