"""Behaviour of the priority index (insight.priority)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from insight.errors import UnknownIndicatorError
from insight.priority import (
    CLASS_COLOURS,
    CLASS_NAMES,
    DRIVERS,
    HAS_MISSING,
    IN_TOP_N_SHARE,
    MEDIAN_RANK,
    MISSING,
    NOT_RANKED,
    PRIORITY_CLASS,
    RANK,
    RANK_P05,
    RANK_P95,
    RANKED,
    SCORE,
    SUPPRESSED,
    WEIGHT_USED,
    PriorityError,
    class_breaks,
    export_frame,
    normalise,
    normalise_weights,
    priority_candidates,
    priority_classes,
    rank_stability,
    score_priority,
)
from insight.schema import AREA_CODE, Polarity
from insight.stats import contrast_ratio

WORSE = Polarity.HIGHER_IS_WORSE
BETTER = Polarity.HIGHER_IS_BETTER
METHODS = ["zscore", "rank", "minmax"]


def random_areas(seed: int, n_areas: int = 70, n_indicators: int = 12) -> tuple[pd.DataFrame, dict, dict]:
    """A frame like the divisions' one: random values, mixed polarity, random weights."""
    rng = np.random.default_rng(seed)
    codes = [f"E58000{402 + i}" for i in range(n_areas)]
    ids = [f"ind_{j}" for j in range(n_indicators)]
    frame = pd.DataFrame(rng.gamma(2.0, 10.0, size=(n_areas, n_indicators)), index=codes, columns=ids)
    frame.index.name = AREA_CODE
    polarity = {k: (WORSE if j % 3 else BETTER) for j, k in enumerate(ids)}
    weights = {k: float(w) for k, w in zip(ids, rng.uniform(0.1, 3.0, n_indicators), strict=True)}
    return frame, polarity, weights


def small_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {"unemployment": [1.0, 2.0, 3.0], "income": [30.0, 20.0, 10.0]},
        index=pd.Index(["A", "B", "C"], name=AREA_CODE),
    )
    return frame


# ---- weights -----------------------------------------------------------------------------------
def test_weights_are_normalised_to_sum_to_one_keeping_proportions() -> None:
    assert normalise_weights({"a": 2, "b": 6, "c": 0}) == {"a": 0.25, "b": 0.75, "c": 0.0}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_result_weights_sum_to_one(seed: int) -> None:
    frame, polarity, weights = random_areas(seed)
    result = score_priority(frame, polarity, weights)
    assert math.isclose(sum(result.weights.values()), 1.0, rel_tol=1e-12)


def test_all_zero_weights_raise_a_clear_error() -> None:
    with pytest.raises(PriorityError, match="All weights are zero"):
        normalise_weights({"a": 0, "b": 0.0})


@pytest.mark.parametrize(
    ("weights", "message"),
    [({"a": -1.0}, "must be 0 or more"), ({"a": float("nan")}, "finite number"), ({}, "No indicators")],
)
def test_invalid_weights_are_rejected(weights: dict, message: str) -> None:
    with pytest.raises(PriorityError, match=message):
        normalise_weights(weights)


def test_scaling_all_weights_changes_nothing() -> None:
    frame, polarity, weights = random_areas(4)
    first = score_priority(frame, polarity, weights).table
    second = score_priority(frame, polarity, {k: 10 * v for k, v in weights.items()}).table
    pd.testing.assert_frame_equal(first, second, check_exact=False, rtol=1e-12)


# ---- normalisation and polarity ------------------------------------------------------------------
def test_zscore_uses_population_sd_and_polarity() -> None:
    out = normalise(small_frame(), "zscore", {"unemployment": WORSE, "income": BETTER})
    z = 1 / math.sqrt(2 / 3)  # (3 - 2) / population sd of 1, 2, 3
    np.testing.assert_allclose(out["unemployment"], [-z, 0.0, z])
    np.testing.assert_allclose(out["income"], [-z, 0.0, z])  # low income = more need


@pytest.mark.parametrize(("method", "expected"), [("rank", [0.0, 0.5, 1.0]), ("minmax", [0.0, 0.5, 1.0])])
def test_rank_and_minmax_map_to_zero_one(method: str, expected: list[float]) -> None:
    out = normalise(small_frame(), method, {"unemployment": WORSE, "income": BETTER})
    np.testing.assert_allclose(out["unemployment"], expected)


def test_rank_shares_tied_ranks() -> None:
    frame = pd.DataFrame({"x": [5.0, 5.0, 1.0]}, index=["A", "B", "C"])
    out = normalise(frame, "rank", {"x": WORSE})
    np.testing.assert_allclose(out["x"], [0.75, 0.75, 0.0])


@pytest.mark.parametrize("method", METHODS)
def test_polarity_flips_the_direction(method: str) -> None:
    frame = pd.DataFrame({"x": [1.0, 5.0, 3.0, 2.0]}, index=list("ABCD"))
    worse = score_priority(frame, {"x": WORSE}, {"x": 1.0}, method).table[RANK]
    better = score_priority(frame, {"x": BETTER}, {"x": 1.0}, method).table[RANK]
    assert worse.to_dict() == {"A": 4, "B": 1, "C": 2, "D": 3}
    assert better.to_dict() == {"A": 1, "B": 4, "C": 3, "D": 2}


def test_neither_polarity_indicators_are_excluded_and_listed() -> None:
    frame = small_frame().assign(age=[40.0, 30.0, 50.0])
    polarity = {"unemployment": WORSE, "income": BETTER, "age": Polarity.NEITHER}
    result = score_priority(frame, polarity, {"unemployment": 1, "income": 1, "age": 5})
    assert result.excluded == ("age",)
    assert "age" not in result.contributions.columns
    assert result.weights == {"unemployment": 0.5, "income": 0.5}


def test_only_neither_indicators_raise() -> None:
    frame = pd.DataFrame({"age": [1.0, 2.0]}, index=["A", "B"])
    with pytest.raises(PriorityError, match="direction of need"):
        score_priority(frame, {"age": Polarity.NEITHER}, {"age": 1.0})


def test_unknown_indicator_in_weights_raises() -> None:
    with pytest.raises(UnknownIndicatorError):
        score_priority(small_frame(), {"unemployment": WORSE}, {"crime": 1.0})


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"x": [1.0, np.inf]}, index=["A", "B"]), "Found infinity in column 'x'"),
        (pd.DataFrame({"x": [1.0, 2.0]}, index=["A", "A"]), "Area codes repeat"),
        (pd.DataFrame({"x": ["a", "b"]}, index=["A", "B"]), "not numeric"),
        (pd.DataFrame({"x": []}, dtype=float), "no rows"),
    ],
)
def test_bad_frames_raise_specific_errors(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(PriorityError, match=message):
        score_priority(frame, {"x": WORSE}, {"x": 1.0})


# ---- scores, contributions, ranks -------------------------------------------------------------------
def test_small_example_scores_exactly() -> None:
    result = score_priority(small_frame(), {"unemployment": WORSE, "income": BETTER},
                            {"unemployment": 3, "income": 1}, "minmax")
    np.testing.assert_allclose(result.table[SCORE], [0.0, 0.5, 1.0])
    np.testing.assert_allclose(result.contributions.loc["C"], [0.75, 0.25])
    assert result.table[RANK].tolist() == [3, 2, 1]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_contributions_sum_to_the_score(method: str, seed: int) -> None:
    frame, polarity, weights = random_areas(seed)
    frame.iloc[3, 2] = np.nan
    result = score_priority(frame, polarity, weights, method)
    assert (result.contributions.sum(axis=1) == result.table[SCORE]).all()
    present = result.normalised.notna().to_numpy()
    w = np.array(list(result.weights.values()))
    expected = (result.normalised.fillna(0.0).to_numpy() @ w) / (present @ w)  # each area over what it has
    np.testing.assert_allclose(result.table[SCORE], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_an_all_equal_indicator_contributes_nothing(method: str) -> None:
    frame, polarity, weights = random_areas(21)
    frame["flat"] = 7.5
    polarity["flat"] = WORSE
    with_flat = score_priority(frame, polarity, {**weights, "flat": 2.0}, method)
    assert (with_flat.contributions["flat"] == 0).all()
    without = score_priority(frame, polarity, weights, method)
    assert with_flat.table[RANK].tolist() == without.table[RANK].tolist()


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("method", METHODS)
def test_raising_a_weight_never_lowers_the_rank_of_the_area_worst_on_it(seed: int, method: str) -> None:
    frame, polarity, weights = random_areas(seed)
    rng = np.random.default_rng(100 + seed)
    for indicator in rng.choice(list(weights), size=4, replace=False):
        base = score_priority(frame, polarity, weights, method)
        worst = base.normalised[indicator].idxmax()
        for factor in (1.1, 1.5, 3.0, 10.0, 100.0):
            raised = score_priority(frame, polarity, {**weights, indicator: weights[indicator] * factor}, method)
            assert raised.table.loc[worst, RANK] <= base.table.loc[worst, RANK]


def test_rank_one_is_the_highest_score_and_ties_share_the_best_rank() -> None:
    frame = pd.DataFrame({"x": [2.0, 9.0, 9.0, 1.0]}, index=list("ABCD"))
    table = score_priority(frame, {"x": WORSE}, {"x": 1.0}).table
    assert table[RANK].to_dict() == {"A": 3, "B": 1, "C": 1, "D": 4}


def test_drivers_are_the_indicators_pushing_the_score_up_strongest_first() -> None:
    frame = pd.DataFrame(
        {"a": [10.0, 0.0, 0.0, 0.0], "b": [5.0, 0.0, 0.0, 0.0], "c": [0.0, 1.0, 0.0, 0.0]},
        index=list("WXYZ"),
    )
    result = score_priority(frame, {"a": WORSE, "b": WORSE, "c": WORSE}, {"a": 1, "b": 3, "c": 1})
    assert result.table.loc["W", DRIVERS] == "b;a"
    assert result.table.loc["X", DRIVERS] == "c"


def test_zero_weight_indicators_are_not_drivers_and_do_not_flag_missing() -> None:
    frame = small_frame().assign(crime=[np.nan, 1.0, 9.0])
    result = score_priority(frame, {"unemployment": WORSE, "income": BETTER, "crime": WORSE},
                            {"unemployment": 1, "income": 1, "crime": 0})
    assert not result.table[HAS_MISSING].any()
    assert "crime" not in ";".join(result.table[DRIVERS])


# ---- missing and suppressed values: never imputed -----------------------------------------------
def test_a_gap_is_not_imputed_the_area_is_scored_on_what_it_has_and_flagged() -> None:
    frame = small_frame().assign(crime=[np.nan, 1.0, 9.0])
    polarity = {"unemployment": WORSE, "income": BETTER, "crime": WORSE}
    result = score_priority(frame, polarity, {"unemployment": 1, "income": 1, "crime": 2})
    assert math.isnan(result.contributions.loc["A", "crime"])
    z = result.normalised.loc["A"]
    assert math.isclose(result.table.loc["A", SCORE], (z["unemployment"] + z["income"]) / 2)  # 1:1 rescaled
    assert result.table[HAS_MISSING].to_dict() == {"A": True, "B": False, "C": False}
    assert result.table[MISSING].to_dict() == {"A": "crime", "B": "", "C": ""}
    assert result.table[WEIGHT_USED].to_dict() == {"A": 0.5, "B": 1.0, "C": 1.0}
    assert result.table[RANKED].all() and len(result.table) == 3


def test_normalisation_uses_only_the_areas_that_have_a_value() -> None:
    frame = pd.DataFrame({"x": [np.nan, 1.0, 9.0], "y": [1.0, 2.0, 3.0]}, index=list("ABC"))
    result = score_priority(frame, {"x": WORSE, "y": WORSE}, {"x": 1, "y": 1}, "zscore")
    assert result.normalised["x"].tolist()[1:] == [-1.0, 1.0] and math.isnan(result.normalised.loc["A", "x"])


def test_an_area_resting_on_less_than_half_the_weight_is_not_ranked() -> None:
    frame = pd.DataFrame({"x": [np.nan, 1.0, 9.0, 4.0], "y": [5.0, 2.0, 3.0, 1.0]}, index=list("ABCD"))
    result = score_priority(frame, {"x": WORSE, "y": WORSE}, {"x": 3, "y": 1})
    table = result.table
    assert not table.loc["A", RANKED] and math.isnan(table.loc["A", SCORE]) and pd.isna(table.loc["A", RANK])
    assert table.loc["A", PRIORITY_CLASS] == NOT_RANKED
    assert sorted(table[RANK].dropna().tolist()) == [1, 2, 3]  # ranks among the ranked areas only
    stability = rank_stability(frame, {"x": WORSE, "y": WORSE}, {"x": 3, "y": 1}, top_n=2, n_draws=20)
    assert stability.loc["A"].isna().all() and stability.drop(index="A").notna().all().all()
    assert math.isclose(stability[IN_TOP_N_SHARE].sum(), 2.0)


def test_a_single_measure_index_leaves_suppressed_areas_unranked_and_says_suppressed() -> None:
    frame = pd.DataFrame({"x": [np.nan, 1.0, 9.0]}, index=list("ABC"))
    hidden = pd.DataFrame({"x": [True, False, False]}, index=list("ABC"))
    result = score_priority(frame, {"x": WORSE}, {"x": 1}, suppressed=hidden)
    assert result.table[SUPPRESSED].to_dict() == {"A": "x", "B": "", "C": ""}
    assert result.table[PRIORITY_CLASS].to_dict()["A"] == NOT_RANKED
    assert result.table[RANK].tolist()[1:] == [2, 1]


def test_classes_are_quintiles_of_the_ranked_areas() -> None:
    frame, polarity, weights = random_areas(4, n_areas=75, n_indicators=1)
    frame.iloc[:5, 0] = np.nan
    result = score_priority(frame, polarity, {"ind_0": 1.0})
    counts = result.table[PRIORITY_CLASS].value_counts()
    assert counts[NOT_RANKED] == 5 and [counts[name] for name in CLASS_NAMES] == [14] * 5


# ---- classes and palette ----------------------------------------------------------------------------
def test_quintile_classes_are_equal_sized_for_seventy_areas() -> None:
    classes = priority_classes(np.arange(1, 71))
    assert classes[0] == "Highest priority" and classes[13] == "Highest priority"
    assert classes[14] == "High priority" and classes[69] == "Lowest priority"
    assert [classes.count(name) for name in CLASS_NAMES] == [14] * 5


def test_class_breaks_cover_every_area_in_descending_score_order() -> None:
    frame, polarity, weights = random_areas(5)
    result = score_priority(frame, polarity, weights)
    breaks = class_breaks(result)
    assert breaks[PRIORITY_CLASS].tolist() == list(CLASS_NAMES)
    assert breaks["areas"].sum() == 70
    assert (breaks["score_min"].to_numpy()[:-1] > breaks["score_max"].to_numpy()[1:]).all()


def test_palette_gets_lighter_step_by_step_with_about_two_to_one_contrast() -> None:
    ratios = [contrast_ratio(a, b) for a, b in zip(CLASS_COLOURS, CLASS_COLOURS[1:], strict=False)]
    assert all(1.9 <= r <= 2.14 for r in ratios)  # 2.14 is the most five steps can achieve (21 ** 0.25)
    assert math.isclose(contrast_ratio("#000000", "#ffffff"), 21.0)


# ---- rank stability ----------------------------------------------------------------------------------
def test_stability_is_deterministic_for_a_seed() -> None:
    frame, polarity, weights = random_areas(8)
    first = rank_stability(frame, polarity, weights, n_draws=200, seed=7)
    second = rank_stability(frame, polarity, weights, n_draws=200, seed=7)
    pd.testing.assert_frame_equal(first, second)
    other = rank_stability(frame, polarity, weights, n_draws=200, seed=8)
    assert not first.equals(other)


def test_stability_with_no_spread_reproduces_the_ranks() -> None:
    frame, polarity, weights = random_areas(9)
    ranks = score_priority(frame, polarity, weights).table[RANK]
    stable = rank_stability(frame, polarity, weights, top_n=10, n_draws=50, spread=0.0)
    assert (stable[MEDIAN_RANK] == ranks).all()
    assert (stable[RANK_P05] == ranks).all() and (stable[RANK_P95] == ranks).all()
    assert stable[IN_TOP_N_SHARE].to_dict() == {k: float(r <= 10) for k, r in ranks.items()}


@pytest.mark.parametrize("seed", [1, 2])
def test_stability_shares_are_bounded_and_sum_to_top_n(seed: int) -> None:
    frame, polarity, weights = random_areas(seed)
    stable = rank_stability(frame, polarity, weights, top_n=10, n_draws=300)
    assert stable[IN_TOP_N_SHARE].between(0, 1).all()
    assert math.isclose(stable[IN_TOP_N_SHARE].sum(), 10.0)  # no ties in continuous random data
    assert (stable[RANK_P05] <= stable[MEDIAN_RANK]).all() and (stable[MEDIAN_RANK] <= stable[RANK_P95]).all()


def test_a_single_indicator_index_is_perfectly_stable() -> None:
    frame, polarity, _ = random_areas(3, n_indicators=1)
    stable = rank_stability(frame, polarity, {"ind_0": 1.0}, top_n=5, n_draws=100)
    assert set(stable[IN_TOP_N_SHARE]) == {0.0, 1.0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"spread": 1.0}, "Spread"), ({"n_draws": 0}, "draws"), ({"top_n": 0}, "Top N"), ({"top_n": 71}, "Top N")],
)
def test_stability_rejects_bad_settings(kwargs: dict, message: str) -> None:
    frame, polarity, weights = random_areas(1)
    with pytest.raises(PriorityError, match=message):
        rank_stability(frame, polarity, weights, **kwargs)


# ---- catalogue and export ---------------------------------------------------------------------------
def test_candidates_are_division_measures_with_a_direction_of_need(dataset) -> None:
    candidates = priority_candidates(dataset.indicators, "division")
    assert {"imd25_income", "census21_disabled", "imd_rank_percentile"} <= set(candidates)
    assert not {"pop_aged_65_plus", "census21_social_rented", "demo_asc_contacts"} & set(candidates)
    assert "claimant_count" not in candidates  # published for districts only


def test_export_records_rank_contributions_and_the_weights_on_every_row() -> None:
    frame, polarity, weights = random_areas(6, n_areas=5, n_indicators=2)
    result = score_priority(frame, polarity, {"ind_0": 3.0, "ind_1": 1.0})
    stability = rank_stability(frame, polarity, {"ind_0": 3.0, "ind_1": 1.0}, top_n=2, n_draws=20)
    out = export_frame(result, stability, {c: f"Area {c}" for c in frame.index}, {}, {"ind_0": "Zero"}, top_n=2)
    assert out[RANK].tolist() == [1, 2, 3, 4, 5]
    assert (out["weight: ind_0"] == 0.75).all() and (out["weight: ind_1"] == 0.25).all()
    assert (out["normalisation"] == "zscore").all()
    contributions = out[["contribution: ind_0", "contribution: ind_1"]].sum(axis=1)
    np.testing.assert_allclose(contributions, out[SCORE], atol=2e-6)
    assert {"in_top_2_share", MEDIAN_RANK, RANK_P05, RANK_P95, DRIVERS, MISSING, AREA_CODE} <= set(out.columns)


def test_legend_swatches_are_as_solid_as_the_map_fills() -> None:
    """Vega-Lite draws square marks at 70% opacity unless told: the legend looked paler than the map."""
    from insight.config import load_config
    from views.priority import FILL_ALPHA, build_gap_legend, build_legend
    from views.words import AreaWords

    frame, polarity, weights = random_areas(5)
    legend = build_legend(class_breaks(score_priority(frame, polarity, weights)), "zscore",
                          AreaWords.of(load_config(), 70))
    for spec in (legend, build_gap_legend(3, "division")):
        square = next(layer["mark"] for layer in spec["layer"] if layer["mark"]["type"] == "square")
        assert square["filled"] and square["opacity"] == 1
    assert FILL_ALPHA >= 230  # the map's fills are nearly opaque too
