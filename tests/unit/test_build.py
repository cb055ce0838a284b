"""The build: the committed data/ is exactly what the build makes from the raw files, and it adds up."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from insight import schema as s
from insight.build.__main__ import build
from insight.config import load_config
from insight.loaders import load_dataset

ROOT = Path(__file__).resolve().parents[2]
RAW = Path(os.environ.get("ESSEX_RAW", ROOT.parent / "shared" / "essex-raw"))
ESSEX = "E10000012"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    if not RAW.exists():
        if os.environ.get("CI"):
            pytest.fail(f"raw data not found at {RAW}")
        pytest.skip(f"raw data not found at {RAW}")
    out = tmp_path_factory.mktemp("data")
    build(RAW, load_config(), out)
    return out


@pytest.mark.parametrize("name", ["areas.parquet", "observations.parquet", "illustrative_demand.parquet",
                                  "signals.parquet"])
def test_rebuild_equals_committed_parquet(rebuilt, name):
    pd.testing.assert_frame_equal(pd.read_parquet(rebuilt / name), pd.read_parquet(ROOT / "data" / name))


@pytest.mark.parametrize("name", ["indicators.csv", "lookups/lsoa_lookup.csv", "boundaries/divisions.geojson",
                                  "boundaries/districts.geojson", "boundaries/lsoas.geojson"])
def test_rebuild_equals_committed_text(rebuilt, name):
    assert (rebuilt / name).read_text(encoding="utf-8") == (ROOT / "data" / name).read_text(encoding="utf-8")


def test_division_populations_sum_to_essex_census_total(dataset):
    divisions = dataset.areas[dataset.areas[s.LEVEL] == s.Level.DIVISION]
    districts = dataset.areas[dataset.areas[s.LEVEL] == s.Level.DISTRICT]
    assert len(divisions) == 70 and len(districts) == 12
    assert divisions[s.POPULATION].sum() == 1_503_544
    assert districts[s.POPULATION].sum() == 1_503_544


def test_every_division_is_labelled_approximate(dataset):
    divisions = dataset.areas[dataset.areas[s.LEVEL] == s.Level.DIVISION]
    assert divisions[s.APPROXIMATE].all()
    assert divisions[s.SHARE_FROM_WHOLE_WARDS].between(0, 1).all()


def test_division_imd_scores_match_the_worked_example(dataset):
    example = pd.read_csv(RAW / "division_level" / "ced17_APPROX_imd2025_census2021_summary.csv") \
        if RAW.exists() else pytest.skip("raw data missing")
    ours = dataset.observations[dataset.observations[s.INDICATOR_ID] == "imd25_score"]
    merged = ours.merge(example, left_on=s.AREA_CODE, right_on="CED17CD")
    assert len(merged) == 70
    assert (merged[s.VALUE] - merged["IMD_score_popweighted"]).abs().max() < 0.001
    pops = dataset.areas.merge(example, left_on=s.AREA_CODE, right_on="CED17CD")
    assert (pops[s.POPULATION] == pops["pop2021_census"]).all()


def test_census_proportions_add_up_from_counts(dataset):
    obs = dataset.observations
    essex = obs[(obs[s.AREA_CODE] == ESSEX) & (obs[s.INDICATOR_ID] == "census21_disabled")].iloc[0]
    assert essex[s.VALUE] == pytest.approx(100 * essex[s.NUMERATOR] / essex[s.DENOMINATOR], rel=1e-3)
    assert essex[s.LOWER_95] < essex[s.VALUE] < essex[s.UPPER_95]


def test_small_counts_are_suppressed_not_zeroed(dataset):
    obs = dataset.observations
    suppressed = obs[obs[s.FLAG] == s.Flag.SUPPRESSED]
    assert len(suppressed) > 0
    assert suppressed[s.VALUE].isna().all() and suppressed[s.NUMERATOR].isna().all()
    census = obs[obs[s.INDICATOR_ID].str.startswith("census21_") & obs[s.NUMERATOR].notna()]
    assert not census[s.NUMERATOR].between(1, 7).any()
    assert (census[s.NUMERATOR] % 5 == 0).all()


def test_ons_status_markers_are_carried_as_flags(dataset):
    obs = dataset.observations
    unreliable = obs[obs[s.FLAG] == s.Flag.UNRELIABLE]
    assert len(unreliable) == 15
    assert unreliable[s.VALUE].isna().all()


def test_rolling_three_year_series_are_labelled_as_windows(dataset):
    obs = dataset.observations
    hle = obs[(obs[s.INDICATOR_ID] == "hle_female") & (obs[s.AREA_CODE] == ESSEX)]
    assert "2011–13" in set(hle[s.PERIOD_LABEL])
    catalogue = dataset.indicators.set_index(s.INDICATOR_ID)
    assert catalogue.loc["hle_female", s.FREQUENCY] == s.Frequency.ROLLING_3_YEAR


def test_imd_rank_trend_has_every_edition_for_every_division(dataset):
    obs = dataset.observations
    trend = obs[obs[s.INDICATOR_ID] == "imd_rank_percentile"]
    divisions = trend[trend[s.AREA_CODE].str.startswith("E58")]
    assert divisions.groupby(s.AREA_CODE)[s.PERIOD_LABEL].nunique().eq(6).all()
    assert divisions[s.VALUE].between(0, 100).all()


def test_load_dataset_is_what_the_app_reads(dataset):
    again = load_dataset(ROOT / "data")
    pd.testing.assert_frame_equal(again.observations, dataset.observations)


def test_official_division_file_is_a_drop_in_replacement(tmp_path):
    """An ONS CED file (CEDyyCD/CEDyyNM, ' ED' suffixes, other councils' divisions) builds and is marked exact."""
    import geopandas as gpd

    if not RAW.exists():
        pytest.skip("raw data missing")
    approx = gpd.read_file(RAW / "boundaries" / "essex_ced2017_APPROX_derived.geojson")
    official = gpd.GeoDataFrame({"CED25CD": approx["CED17CD"], "CED25NM": approx["CED17NM"] + " ED"},
                                geometry=approx.geometry, crs=approx.crs)
    elsewhere = official.iloc[[0]].assign(CED25CD="E58000001", CED25NM="Somewhere Else ED")
    elsewhere["geometry"] = elsewhere.geometry.translate(xoff=-2.0)  # another county's division
    official = pd.concat([official, elsewhere], ignore_index=True)
    path = tmp_path / "CED_MAY_2025_EN_BGC.geojson"
    official.to_file(path, driver="GeoJSON")
    out = tmp_path / "data"
    build(RAW, load_config(), out, divisions_file=path)
    areas = pd.read_parquet(out / "areas.parquet")
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION]
    assert len(divisions) == 70
    assert not divisions[s.APPROXIMATE].any()
    assert divisions[s.POPULATION].sum() == 1_503_544
    assert "Abbey" in set(divisions[s.AREA_NAME])
