"""Restricted indicators: who sees what (insight.access), and that nothing restricted reaches the data layer."""

from __future__ import annotations

import pandas as pd
import pytest

from deploy.restricted_demo import GROUP, RESTRICTED_ID, RESTRICTED_TITLE, make_restricted_dataset
from insight import schema as s
from insight.access import (
    ANONYMOUS,
    Viewer,
    access_scope,
    restrict_dataset,
    restricting_groups,
    viewer_from_claims,
    visible_indicator_ids,
)
from insight.catalogue import catalogue_table
from insight.errors import DataValidationError, UnknownIndicatorError
from insight.loaders import get_indicator, load_dataset
from insight.query import filter_options
from insight.validate import validate_indicators

NOW = 1_800_000_000.0


@pytest.fixture(scope="module")
def restricted(tmp_path_factory):
    return load_dataset(make_restricted_dataset(tmp_path_factory.mktemp("restricted") / "data"))


@pytest.mark.parametrize(("claims", "expected"), [
    ({}, ANONYMOUS),
    ({"is_logged_in": False, "groups": [GROUP]}, ANONYMOUS),
    ({"is_logged_in": True, "name": "Ana", "exp": NOW + 60, "groups": [GROUP, "finance"]},
     Viewer(signed_in=True, name="Ana", groups=("finance", GROUP))),
    ({"is_logged_in": True, "email": "b@x.example", "exp": NOW + 60, "groups": "finance, public-health"},
     Viewer(signed_in=True, name="b@x.example", groups=("finance", GROUP))),
    ({"is_logged_in": True, "name": "Old", "exp": NOW - 1, "groups": [GROUP]}, Viewer(name="Old", expired=True)),
    ({"is_logged_in": True, "name": "NoExp", "groups": [GROUP]}, Viewer(name="NoExp", expired=True)),
    ({"is_logged_in": True, "name": "Odd", "exp": NOW + 60, "groups": ["ok", "<script>", 7, "a b"]},
     Viewer(signed_in=True, name="Odd", groups=("ok",))),
])
def test_a_viewer_is_signed_in_only_while_the_identity_token_is_unexpired(claims, expected):
    assert viewer_from_claims(claims, NOW) == expected


def test_the_groups_claim_can_be_named():
    claims = {"is_logged_in": True, "name": "R", "exp": NOW + 1, "roles": [GROUP]}
    assert viewer_from_claims(claims, NOW, groups_claim="roles").groups == (GROUP,)


def test_a_catalogue_without_the_access_column_is_wholly_public(dataset):
    assert (dataset.indicators[s.ACCESS] == s.ACCESS_PUBLIC).all()
    assert restrict_dataset(dataset, ()) is dataset


@pytest.mark.parametrize(("groups", "sees_restricted"), [((), False), (("finance",), False), ((GROUP,), True),
                                                         (("finance", GROUP), True)])
def test_only_members_of_the_named_group_see_a_restricted_indicator(restricted, groups, sees_restricted):
    visible = visible_indicator_ids(restricted.indicators, groups)
    assert (RESTRICTED_ID in visible) is sees_restricted
    assert len(visible) == 100 + sees_restricted  # every public indicator, always
    view = restrict_dataset(restricted, groups)
    assert (RESTRICTED_ID in set(view.observations[s.INDICATOR_ID])) is sees_restricted
    assert len(view.areas) == len(restricted.areas)


def test_results_are_cached_by_the_groups_that_matter_only(restricted):
    assert restricting_groups(restricted.indicators) == {GROUP}
    assert access_scope(("finance", "zz"), restricted.indicators) == ()  # shares the signed-out copy
    assert access_scope(("finance", GROUP), restricted.indicators) == (GROUP,)


def test_signed_out_a_restricted_indicator_is_indistinguishable_from_one_that_does_not_exist(restricted):
    public = restrict_dataset(restricted, ())
    with pytest.raises(UnknownIndicatorError) as hidden:
        get_indicator(public.indicators, RESTRICTED_ID)
    with pytest.raises(UnknownIndicatorError) as missing:
        get_indicator(public.indicators, "demo_restricted_waiting_lisx")
    assert str(hidden.value).replace(RESTRICTED_ID, "<id>") == str(missing.value).replace(
        "demo_restricted_waiting_lisx", "<id>")
    assert RESTRICTED_TITLE not in catalogue_table(public.indicators, public.observations).to_string()
    options = filter_options(public.areas, public.indicators)
    assert all(RESTRICTED_ID not in titles for titles in options.titles_by_theme.values())


@pytest.mark.parametrize("value", ["private", "restricted:", "restricted:a b", "Restricted:x"])
def test_the_access_column_accepts_only_public_or_restricted_to_a_group(restricted, value):
    indicators = restricted.indicators.copy()
    indicators.loc[0, s.ACCESS] = value
    with pytest.raises(DataValidationError, match="must be 'public' or 'restricted:<group>'"):
        validate_indicators(indicators, "indicators.csv")


def test_frames_without_indicators_pass_through_unchanged():
    from insight.access import only_indicators

    empty = pd.DataFrame(columns=[s.AREA_CODE, s.INDICATOR_ID])
    assert only_indicators(empty, {"x"}).empty
