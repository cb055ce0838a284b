"""Who may see which indicator: the catalogue's access column against the signed-in user's groups.

An indicator is ``public`` (the default, and every indicator of a catalogue without the column) or
``restricted:<group>``: only a signed-in member of that group sees it. Everything a restricted indicator
has — its catalogue row, observations, projections and back-tests — is removed from the tables before
anything else reads them, so no page, download, PDF, URL check or error message can tell a restricted
indicator from one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from insight import schema as s
from insight.loaders import Dataset

DEFAULT_GROUPS_CLAIM = "groups"
GROUP_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


@dataclass(frozen=True)
class Viewer:
    """The person using a session, as far as access goes."""

    signed_in: bool = False
    name: str = ""
    groups: tuple[str, ...] = ()
    expired: bool = False  # signed in once, but the identity token has expired: treated as signed out


ANONYMOUS = Viewer()


def viewer_from_claims(claims: Mapping[str, Any], now: float,
                       groups_claim: str = DEFAULT_GROUPS_CLAIM) -> Viewer:
    """A Viewer from the identity token's claims (st.user): signed in only while the token is unexpired.

    A token without an ``exp`` claim is not trusted; groups may be a list or a comma/space separated string,
    and names that are not plain group names are ignored."""
    if not claims.get("is_logged_in"):
        return ANONYMOUS
    name = str(claims.get("name") or claims.get("email") or claims.get("sub") or "")
    try:
        expires = float(claims["exp"])
    except (KeyError, TypeError, ValueError):
        return Viewer(expired=True, name=name)
    if now >= expires:
        return Viewer(expired=True, name=name)
    raw = claims.get(groups_claim) or []
    items = re.split(r"[,\s]+", raw) if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
    groups = tuple(sorted({str(g) for g in items if isinstance(g, str) and GROUP_PATTERN.fullmatch(g)}))
    return Viewer(signed_in=True, name=name, groups=groups)


def groups_claim(env: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> str:
    """The claim listing a user's groups: $INSIGHT_GROUPS_CLAIM, else [insight] groups_claim, else 'groups'."""
    section = dict((secrets or {}).get("insight", {}) or {})
    return str(env.get("INSIGHT_GROUPS_CLAIM") or section.get("groups_claim") or DEFAULT_GROUPS_CLAIM)


def _access(indicators: pd.DataFrame) -> pd.Series:
    if s.ACCESS not in indicators:
        return pd.Series(s.ACCESS_PUBLIC, index=indicators.index, dtype="str")
    return indicators[s.ACCESS].fillna(s.ACCESS_PUBLIC).astype(str)


def restricting_groups(indicators: pd.DataFrame) -> frozenset[str]:
    """Every group named by a restricted indicator of the catalogue."""
    access = _access(indicators)
    restricted = access[access.str.startswith(s.ACCESS_RESTRICTED)]
    return frozenset(restricted.str.removeprefix(s.ACCESS_RESTRICTED))


def access_scope(groups: Iterable[str], indicators: pd.DataFrame) -> tuple[str, ...]:
    """The viewer's groups that matter for this catalogue (sorted): what results are cached by, so everyone
    signed out, and everyone in no restricting group, shares one copy."""
    return tuple(sorted(set(groups) & restricting_groups(indicators)))


def visible_indicator_ids(indicators: pd.DataFrame, groups: Iterable[str]) -> set[str]:
    """Ids of the indicators members of `groups` may see (public ones plus their groups' restricted ones)."""
    allowed = {s.ACCESS_PUBLIC, *(s.ACCESS_RESTRICTED + g for g in groups)}
    return set(indicators.loc[_access(indicators).isin(allowed), s.INDICATOR_ID])


def only_indicators(frame: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """The rows of a frame with an indicator_id column whose indicator is in `ids` (a copy, index reset)."""
    if frame.empty or s.INDICATOR_ID not in frame:
        return frame.copy()
    return frame[frame[s.INDICATOR_ID].isin(ids)].reset_index(drop=True)


def restrict_dataset(dataset: Dataset, groups: Iterable[str]) -> Dataset:
    """The dataset as members of `groups` may see it (signed out: groups=())."""
    ids = visible_indicator_ids(dataset.indicators, groups)
    if ids == set(dataset.indicators[s.INDICATOR_ID]):
        return dataset
    return Dataset(dataset.areas, only_indicators(dataset.indicators, ids),
                   only_indicators(dataset.observations, ids))
