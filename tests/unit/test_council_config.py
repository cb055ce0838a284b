"""The council configuration: county and district councils, comparators, the old field names, which council a
dataset is, and the official ONS boundary files as drop-in replacements."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from insight import schema as s
from insight.build.__main__ import build
from insight.config import (
    COUNCIL_ENV,
    DATA_DIR_ENV,
    DEFAULT_CONFIG,
    ConfigError,
    check_dataset_council,
    council_path,
    load_config,
)

ROOT = Path(__file__).resolve().parents[2]
RAW = Path(os.environ.get("ESSEX_RAW", ROOT.parent / "shared" / "essex-raw"))
COUNCILS = ROOT / "insight" / "councils"
COLCHESTER_DATA = ROOT / "data" / "councils" / "colchester"

# essex.toml as it was before district councils: [council] county_code/region_code/..., [divisions].
OLD_LAYOUT = """
[council]
name = "Essex County Council"
short_name = "Essex"
county_code = "E10000012"
county_name = "Essex"
region_code = "E12000006"
region_name = "East of England"
england_code = "E92000001"
england_name = "England"
census_2021_population = 1503544

[districts]
{districts}

[divisions]
file = "boundaries/essex_ced2017_APPROX_derived.geojson"
approximate = true
code_prefix = "E58"

[raw]
{raw}
"""


def _old_layout(tmp_path: Path) -> Path:
    new = load_config(COUNCILS / "essex.toml")
    path = tmp_path / "old.toml"
    path.write_text(OLD_LAYOUT.format(districts="\n".join(f'{k} = "{v}"' for k, v in new.districts.items()),
                                      raw="\n".join(f'{k} = "{v}"' for k, v in new.raw.items())), encoding="utf-8")
    return path


def _raw_or_skip() -> None:
    if not RAW.exists():
        if os.environ.get("CI"):
            pytest.fail(f"raw data not found at {RAW}")
        pytest.skip(f"raw data not found at {RAW}")


def test_the_old_field_names_give_the_same_configuration(tmp_path):
    old = load_config(_old_layout(tmp_path))
    assert old == load_config(COUNCILS / "essex.toml")
    assert old.county_code == old.council_code == "E10000012"


def test_a_county_council_is_its_own_county_comparator():
    essex = load_config(COUNCILS / "essex.toml")
    assert not essex.is_district_council
    assert essex.comparator_codes == ("E10000012", "E12000006", "E92000001")
    assert essex.comparator_names == {"county": "Essex", "region": "East of England", "england": "England"}
    assert (essex.area_word, essex.area_word_plural, essex.area_title) == ("division", "divisions",
                                                                          "county electoral division")


def test_a_district_council_has_its_county_as_an_extra_comparator():
    colchester = load_config(COUNCILS / "colchester.toml")
    assert colchester.is_district_council
    assert colchester.county_code == colchester.council_code == "E07000071"  # the old name: the council's area
    assert colchester.comparator_codes == ("E10000012", "E12000006", "E92000001")
    assert colchester.comparator_names == {"county": "Essex", "region": "East of England", "england": "England"}
    assert colchester.districts == {"E07000071": "Colchester"}
    assert (colchester.area_word, colchester.area_word_plural, colchester.area_title) == ("ward", "wards", "ward")
    assert colchester.area_help == "Colchester City Council's wards."
    assert not colchester.divisions_approximate


def test_a_county_council_cannot_name_another_county(tmp_path):
    path = tmp_path / "essex.toml"
    path.write_text((COUNCILS / "essex.toml").read_text(encoding="utf-8").replace(
        "[comparators]\n", '[comparators]\ncounty = { code = "E10000015", name = "Hertfordshire" }\n'),
        encoding="utf-8")
    with pytest.raises(ConfigError, match="a county council is its own 'county' comparator"):
        load_config(path)


def test_the_app_reads_the_council_from_the_environment_then_the_dataset(monkeypatch, tmp_path):
    monkeypatch.delenv(COUNCIL_ENV, raising=False)
    monkeypatch.setenv(DATA_DIR_ENV, str(COLCHESTER_DATA))
    assert council_path() == COLCHESTER_DATA / "council.toml"
    assert load_config().short_name == "Colchester"
    monkeypatch.setenv(COUNCIL_ENV, str(COUNCILS / "essex.toml"))
    assert load_config().short_name == "Essex"
    monkeypatch.delenv(COUNCIL_ENV)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))  # a dataset without council.toml
    assert council_path() == DEFAULT_CONFIG


def test_a_dataset_built_for_another_council_is_refused():
    essex = load_config(COUNCILS / "essex.toml")
    check_dataset_council(load_config(COUNCILS / "colchester.toml"), COLCHESTER_DATA)
    with pytest.raises(ConfigError) as excinfo:
        check_dataset_council(essex, COLCHESTER_DATA)
    assert str(excinfo.value) == (
        f"The dataset in {COLCHESTER_DATA} was built for Colchester (E07000071), but the council configuration in "
        "use is Essex (E10000012): set INSIGHT_COUNCIL and INSIGHT_DATA_DIR to the same council "
        "(make run COUNCIL=...).")


def test_official_division_file_stays_a_drop_in_and_the_dataset_records_it(tmp_path):
    """An ONS CED file (CEDyyCD/CEDyyNM, ' ED' suffixes, other councils' divisions) passed as --divisions builds,
    is marked exact, and the dataset's council.toml says so."""
    _raw_or_skip()
    approx = gpd.read_file(RAW / "boundaries" / "essex_ced2017_APPROX_derived.geojson")
    official = gpd.GeoDataFrame({"CED25CD": approx["CED17CD"], "CED25NM": approx["CED17NM"] + " ED"},
                                geometry=approx.geometry, crs=approx.crs)
    elsewhere = official.iloc[[0]].assign(CED25CD="E58000001", CED25NM="Somewhere Else ED")
    elsewhere["geometry"] = elsewhere.geometry.translate(xoff=-2.0)  # another county's division
    path = tmp_path / "CED_MAY_2025_EN_BGC.geojson"
    pd.concat([official, elsewhere], ignore_index=True).to_file(path, driver="GeoJSON")
    out = tmp_path / "data"
    build(RAW, load_config(COUNCILS / "essex.toml"), out, divisions_file=path)
    divisions = pd.read_parquet(out / "areas.parquet").query(f"{s.LEVEL} == 'division'")
    assert len(divisions) == 70 and not divisions[s.APPROXIMATE].any()
    written = load_config(out / "council.toml")
    assert not written.divisions_approximate and written.division_file == "CED_MAY_2025_EN_BGC.geojson"
    assert dataclasses.replace(written, divisions_approximate=True, division_file="x", source=None) == \
        dataclasses.replace(load_config(COUNCILS / "essex.toml"), division_file="x", source=None)


def test_official_ward_file_is_a_drop_in_for_a_ward_council(tmp_path):
    """ONS Wards (WDyyCD/WDyyNM, every ward in England) for Colchester: the same 17 wards and residents."""
    _raw_or_skip()
    wards = gpd.read_file(RAW / "boundaries" / "essex_wards_may2024_ukmaps.geojson")
    official = gpd.GeoDataFrame({"WD24CD": wards["ward_code"], "WD24NM": wards["ward_name"],
                                 "LAD24CD": wards["lad_code"]}, geometry=wards.geometry, crs=wards.crs)
    path = tmp_path / "WD_MAY_2024_UK_BSC.geojson"
    official.to_file(path, driver="GeoJSON")
    out = tmp_path / "data"
    build(RAW, load_config(COUNCILS / "colchester.toml"), out, divisions_file=path)
    areas = pd.read_parquet(out / "areas.parquet")
    committed = pd.read_parquet(COLCHESTER_DATA / "areas.parquet")
    pd.testing.assert_frame_equal(areas, committed)
