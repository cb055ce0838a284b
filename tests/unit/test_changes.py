"""Changed since last meeting: between two dataset versions, and since an agenda's figures were frozen."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pandas as pd
import pytest

from insight import schema as s
from insight.agenda import Figure, Page, View, ViewParams, agenda_from_link, agenda_to_link
from insight.changes import (
    PREVIOUS_RANK,
    RANK,
    change_lines,
    changes_between,
    changes_since,
    compare_figures,
    figure_label,
)
from insight.config import load_config
from insight.loaders import Dataset, load_dataset
from insight.snapshot import snapshot_agenda
from tests.unit.agenda_helpers import (
    CLACTON_WEST,
    ROOT,
    TENDRING,
    app_settings,
    committed_context,
    sample_agenda,
)

NAMES = {"E07000076": "Tendring", "E92000001": "England", CLACTON_WEST: "Clacton West"}
TITLES = {"claimant_count": "Claimant count"}


# ---- comparing two snapshots of a view --------------------------------------------------------------

def test_identical_figures_have_no_changes():
    figures = (Figure("value:claimant_count:E07000076", "2025", 4.0, "4.0%"),)
    assert compare_figures(figures, figures, NAMES, TITLES) == ()


def test_each_kind_of_figure_change_is_named():
    before = (Figure("value:claimant_count:E07000076", "2024", 3.8, "3.8%"),
              Figure("rating:claimant_count:E07000076:E92000001", "2024", None, "Similar"),
              Figure("priority:" + CLACTON_WEST, "", 1.0, "1st of 70 (Highest priority)"),
              Figure("value:claimant_count:E92000001", "2024", 4.0, "4.0%"))
    after = (Figure("value:claimant_count:E07000076", "2025", 4.0, "4.0%"),
             Figure("rating:claimant_count:E07000076:E92000001", "2025", None, "Worse"),
             Figure("priority:" + CLACTON_WEST, "", 2.0, "2nd of 70 (Highest priority)"),
             Figure("value:claimant_count:E07000070", "2025", 4.1, "4.1%"))
    changes = {c.key: c for c in compare_figures(before, after, NAMES, TITLES)}
    assert changes["value:claimant_count:E07000076"].kind == "new period"
    assert changes["value:claimant_count:E07000076"].sentence == \
        "Claimant count, Tendring: latest value: 4.0% (2025), was 3.8% (2024)."
    assert changes["rating:claimant_count:E07000076:E92000001"].label == \
        "Claimant count, Tendring: rating against England"
    assert changes["priority:" + CLACTON_WEST].sentence == \
        "Clacton West: priority rank: 2nd of 70 (Highest priority), was 1st of 70 (Highest priority)."
    assert changes["value:claimant_count:E92000001"].kind == "no longer shown"
    assert changes["value:claimant_count:E07000070"].kind == "now shown"


def test_a_revised_value_for_the_same_period_is_a_revision():
    before = (Figure("value:claimant_count:E07000076", "2025", 4.0, "4.0%"),)
    after = (Figure("value:claimant_count:E07000076", "2025", 4.04, "4.0%"),)
    (change,) = compare_figures(before, after, NAMES, TITLES)
    assert change.kind == "revised"


def test_a_label_for_an_unknown_code_shows_the_code_as_it_is():
    assert figure_label("value:gone_measure:E07999999", NAMES, TITLES) == "gone_measure, E07999999: latest value"


# ---- two data versions --------------------------------------------------------------------------

def without_latest(dataset: Dataset, indicator_id: str) -> Dataset:
    """The dataset as it was before the latest release of one indicator."""
    obs = dataset.observations
    rows = obs[s.INDICATOR_ID] == indicator_id
    latest = obs.loc[rows, s.PERIOD_START].max()
    return Dataset(dataset.areas, dataset.indicators, obs[~(rows & (obs[s.PERIOD_START] == latest))]
                   .reset_index(drop=True))


def with_value(dataset: Dataset, indicator_id: str, area_code: str, value: float) -> Dataset:
    """The dataset with one area's latest value of an indicator replaced (interval kept centred on it)."""
    obs = dataset.observations.copy()
    rows = obs[(obs[s.INDICATOR_ID] == indicator_id) & (obs[s.AREA_CODE] == area_code) & obs[s.VALUE].notna()]
    index = rows[s.PERIOD_START].idxmax()
    shift = value - float(obs.loc[index, s.VALUE])
    obs.loc[index, s.VALUE] = value
    for column in (s.LOWER_95, s.UPPER_95):
        obs.loc[index, column] = obs.loc[index, column] + shift
    return Dataset(dataset.areas, dataset.indicators, obs)


LESS_DEPRIVED = {"imd25_income": 1.0, "imd25_employment": 1.0, "imd25_health": -2.0, "imd25_education": 1.0,
                 "imd25_crime": -2.0}


def less_deprived(dataset: Dataset, area_code: str) -> Dataset:
    """The dataset with one division's IMD domains revised to very little deprivation."""
    for indicator_id, value in LESS_DEPRIVED.items():
        dataset = with_value(dataset, indicator_id, area_code, value)
    return dataset


@pytest.fixture(scope="module")
def weights():
    return app_settings().default_weights


def test_the_committed_data_has_no_changes_against_itself(dataset, weights):
    assert changes_between(dataset, dataset, load_config(), weights).empty


def test_a_new_release_is_listed_for_every_area_it_covers(dataset, weights):
    previous = without_latest(dataset, "claimant_count")
    changes = changes_between(previous, dataset, load_config(), weights)
    released = changes.diff.new_releases
    assert set(released[s.INDICATOR_ID]) == {"claimant_count"}
    covered = set(dataset.observations.loc[dataset.observations[s.INDICATOR_ID] == "claimant_count", s.AREA_CODE])
    assert set(released[s.AREA_CODE]) == covered
    tendring = changes.for_area(TENDRING)
    assert list(tendring.diff.moved_values["kind"]) == ["new period"]
    assert changes.ranks.empty  # claimant count is not in the default priority index
    lines = change_lines(changes, TENDRING, dataset)
    assert any(line.startswith("Claimant count: 4.0% (2025), was ") for line in lines)
    assert any(line == "Claimant count: new release for 2025." for line in lines)


def test_moved_division_values_change_its_priority_rank(dataset, weights):
    table = dataset.observations
    income = table[(table[s.INDICATOR_ID] == "imd25_income") & (table[s.AREA_CODE] == CLACTON_WEST)]
    assert not income.empty
    current = less_deprived(dataset, CLACTON_WEST)
    changes = changes_between(dataset, current, load_config(), weights).for_area(CLACTON_WEST)
    assert set(changes.diff.moved_values["kind"]) == {"revised"}
    assert set(changes.diff.moved_values[s.INDICATOR_ID]) == set(LESS_DEPRIVED)
    ranks = changes.ranks.iloc[0]
    assert ranks[PREVIOUS_RANK] == 1 and ranks[RANK] > 1
    lines = change_lines(changes, CLACTON_WEST, current)
    assert lines[0].startswith("Priority rank (default index): 1st (Highest priority) → ")


# ---- since an agenda was made -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def frozen():
    context = committed_context()
    return snapshot_agenda(sample_agenda(), context), context


@pytest.fixture(scope="module")
def newer(tmp_path_factory):
    """A copy of the committed data with a new claimant-count year for Tendring and Clacton West's IMD
    domains revised."""
    folder = tmp_path_factory.mktemp("newer") / "data"
    shutil.copytree(ROOT / "data", folder)
    dataset = load_dataset(folder)
    obs = less_deprived(dataset, CLACTON_WEST).observations
    claimant = obs[(obs[s.INDICATOR_ID] == "claimant_count") & (obs[s.AREA_CODE] == TENDRING)]
    last = claimant.loc[claimant[s.PERIOD_START].idxmax()].copy()
    last[s.PERIOD_START] = last[s.PERIOD_START] + pd.DateOffset(years=1)
    last[s.PERIOD_END] = last[s.PERIOD_END] + pd.DateOffset(years=1)
    last[s.PERIOD_LABEL] = "2026"
    last[s.VALUE] = 4.6
    obs = pd.concat([obs, last.to_frame().T.astype(obs.dtypes.to_dict())], ignore_index=True)
    obs.to_parquet(folder / "observations.parquet", index=False)
    return committed_context(folder)


def test_an_agenda_opened_on_its_own_data_has_no_changes(frozen):
    agenda, context = frozen
    changes = changes_since(agenda, context)
    assert changes.same_data and not changes.any_changed
    assert "the same data this agenda was made with" in changes.summary


def test_an_agenda_opened_on_newer_data_says_what_changed_in_each_view(frozen, newer):
    agenda, _ = frozen
    changes = changes_since(agenda, newer)
    assert not changes.same_data
    by_page = {agenda.views[v.number - 1].page: v for v in changes.views}
    trends = {c.key: c for c in by_page[Page.TRENDS].details}
    assert trends[f"value:claimant_count:{TENDRING}"].kind == "new period"
    assert trends[f"value:claimant_count:{TENDRING}"].sentence.startswith(
        "Claimant count, Tendring: latest value: 4.6% (2026), was 4.0% (2025)")
    assert f"projection:claimant_count:{TENDRING}:3" not in trends or \
        trends[f"projection:claimant_count:{TENDRING}:3"].kind in ("changed", "new period")
    priority = {c.key: c for c in by_page[Page.PRIORITY_MAP].details}
    assert priority[f"priority:{CLACTON_WEST}"].before.text.startswith("1st of 70")
    assert not priority[f"priority:{CLACTON_WEST}"].after.text.startswith("1st of 70")
    profile = {c.key for c in by_page[Page.DIVISION_PROFILE].details}
    assert f"value:imd25_income:{CLACTON_WEST}" in profile
    assert not by_page[Page.SCENARIOS].changed  # GDHI was not touched
    assert "figures have changed in" in changes.summary


def test_an_agenda_from_a_link_can_say_which_views_changed_but_not_how(frozen, newer):
    agenda, _ = frozen
    from_link = agenda_from_link(agenda_to_link(agenda))
    changes = changes_since(from_link, newer)
    flags = {agenda.views[v.number - 1].page: (v.changed, v.detailed, v.details) for v in changes.views}
    assert flags[Page.TRENDS] == (True, False, ())
    assert flags[Page.SCENARIOS] == (False, False, ())


def test_a_view_the_agenda_added_later_without_figures_reports_nothing(frozen):
    agenda, context = frozen
    extra = View(Page.OVERVIEW, "Added by hand", ViewParams())
    changes = changes_since(replace(agenda, views=(*agenda.views, extra)), context)
    assert changes.views[-1].changed is False
