"""Both council configurations build from the same raw files with the same code, and their committed datasets are
exactly what the build makes: Essex County Council (70 divisions) and Colchester City Council (17 wards)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from insight import schema as s
from insight.build.__main__ import build
from insight.config import load_config

ROOT = Path(__file__).resolve().parents[2]
RAW = Path(os.environ.get("ESSEX_RAW", ROOT.parent / "shared" / "essex-raw"))
COUNCILS = ROOT / "insight" / "councils"


@dataclass(frozen=True)
class Expected:
    """What one council's dataset must hold (published figures, not read back from the build)."""

    toml: str
    data_dir: Path
    council_code: str
    council_level: s.Level
    small_areas: int
    districts: int
    lsoas: int
    residents: int  # Census 2021 usual residents (Essex: as published; Colchester: ONS rounds it to 192,700)
    comparators: tuple[str, ...]  # every area above the council that the dataset holds
    approximate: bool
    code_prefix: str


EXPECTED = {
    "essex": Expected("essex.toml", ROOT / "data", "E10000012", s.Level.COUNTY, 70, 12, 903, 1_503_544,
                      ("E12000006", "E92000001"), True, "E58"),
    "colchester": Expected("colchester.toml", ROOT / "data" / "councils" / "colchester", "E07000071",
                           s.Level.DISTRICT, 17, 1, 117, 192_713, ("E10000012", "E12000006", "E92000001"), False,
                           "E05"),
}
PARQUET = ["areas.parquet", "observations.parquet", "illustrative_demand.parquet"]
TEXT = ["indicators.csv", "council.toml", "lookups/lsoa_lookup.csv", "boundaries/divisions.geojson",
        "boundaries/districts.geojson", "boundaries/lsoas.geojson"]


def _raw_or_skip() -> None:
    if not RAW.exists():
        if os.environ.get("CI"):
            pytest.fail(f"raw data not found at {RAW}")
        pytest.skip(f"raw data not found at {RAW}")


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def built(request, tmp_path_factory) -> tuple[Expected, Path]:
    """(expectations, a fresh build of that council into a temporary folder)."""
    _raw_or_skip()
    expected = EXPECTED[request.param]
    out = tmp_path_factory.mktemp(request.param)
    build(RAW, load_config(COUNCILS / expected.toml), out)
    return expected, out


def _areas(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "areas.parquet")


def test_the_council_is_one_area_at_its_own_level(built):
    expected, out = built
    areas = _areas(out).set_index(s.AREA_CODE)
    council = areas.loc[expected.council_code]
    assert council[s.LEVEL] == expected.council_level
    assert council[s.POPULATION] == expected.residents


def test_the_small_areas_are_the_councils_own_with_the_right_count(built):
    expected, out = built
    areas = _areas(out)
    small = areas[areas[s.LEVEL] == s.Level.DIVISION]
    assert len(small) == expected.small_areas
    assert small[s.AREA_CODE].str.startswith(expected.code_prefix).all()
    assert (small[s.APPROXIMATE] == expected.approximate).all()
    assert len(areas[areas[s.LEVEL] == s.Level.DISTRICT]) == expected.districts
    assert len(areas[areas[s.LEVEL] == s.Level.LSOA]) == expected.lsoas


def test_comparators_are_the_areas_above_the_council(built):
    expected, out = built
    areas = _areas(out)
    above = areas[areas[s.LEVEL].isin([s.Level.ENGLAND, s.Level.REGION, s.Level.COUNTY])]
    assert set(above[s.AREA_CODE]) - {expected.council_code} == set(expected.comparators)
    config = load_config(COUNCILS / expected.toml)
    assert set(config.comparator_codes) - {expected.council_code} == set(expected.comparators)


def test_small_areas_districts_and_lsoas_sum_to_the_councils_census_total(built):
    expected, out = built
    areas = _areas(out)
    for level in (s.Level.DIVISION, s.Level.DISTRICT, s.Level.LSOA):
        assert areas.loc[areas[s.LEVEL] == level, s.POPULATION].sum() == expected.residents


def test_every_small_area_and_lsoa_has_a_parent_in_the_council(built):
    expected, out = built
    areas = _areas(out)
    districts = set(areas.loc[areas[s.LEVEL] == s.Level.DISTRICT, s.AREA_CODE])
    small = areas[areas[s.LEVEL] == s.Level.DIVISION]
    assert small[s.PARENT_CODE].isin(districts).all()
    lsoas = areas[areas[s.LEVEL] == s.Level.LSOA]
    assert lsoas[s.PARENT_CODES].str.split(";").str[1].isin(set(small[s.AREA_CODE])).all()


def test_no_indicator_claims_a_level_it_has_no_figures_for(built):
    _, out = built
    areas = _areas(out).set_index(s.AREA_CODE)[s.LEVEL]
    obs = pd.concat([pd.read_parquet(out / "observations.parquet"),
                     pd.read_parquet(out / "illustrative_demand.parquet")])
    present = obs[s.AREA_CODE].map(areas).groupby(obs[s.INDICATOR_ID]).agg(set)
    catalogue = pd.read_csv(out / "indicators.csv", keep_default_na=False)
    for ind, levels in zip(catalogue[s.INDICATOR_ID], catalogue[s.LEVELS], strict=True):
        assert set(levels.split(";")) == present[ind], ind


def test_the_dataset_says_which_council_it_is(built):
    expected, out = built
    assert load_config(out / "council.toml").council_code == expected.council_code


@pytest.mark.parametrize("name", PARQUET)
def test_committed_parquet_equals_a_fresh_build(built, name):
    expected, out = built
    pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(expected.data_dir / name))


@pytest.mark.parametrize("name", TEXT)
def test_committed_text_files_equal_a_fresh_build(built, name):
    expected, out = built
    assert (out / name).read_text(encoding="utf-8") == (expected.data_dir / name).read_text(encoding="utf-8")


def test_a_district_councils_own_figures_are_the_same_in_the_county_dataset():
    """Colchester's district figures (ONS series, Census counts after disclosure control, IMD) do not depend on
    which council's dataset they were built into."""
    _raw_or_skip()
    essex = pd.read_parquet(EXPECTED["essex"].data_dir / "observations.parquet")
    colchester = pd.read_parquet(EXPECTED["colchester"].data_dir / "observations.parquet")
    code = EXPECTED["colchester"].council_code
    key = [s.INDICATOR_ID, s.PERIOD_START]
    mine = colchester[colchester[s.AREA_CODE] == code].sort_values(key).reset_index(drop=True)
    theirs = essex[essex[s.AREA_CODE] == code].sort_values(key).reset_index(drop=True)
    assert len(mine) > 600
    pd.testing.assert_frame_equal(mine, theirs)


def test_a_ward_councils_lsoas_are_placed_by_the_ons_best_fit_lookup():
    _raw_or_skip()
    lookup = pd.read_csv(EXPECTED["colchester"].data_dir / "lookups" / "lsoa_lookup.csv")
    ons = pd.read_csv(RAW / "lookups" / "lsoa21_ward24_lad24_essex_geographr.csv")
    ons = ons[ons["ltla24_code"] == "E07000071"].set_index("lsoa21_code")["ward24_code"]
    assert lookup.set_index(s.AREA_CODE)["division_code"].sort_index().equals(ons.sort_index().rename(
        "division_code").rename_axis(s.AREA_CODE))
