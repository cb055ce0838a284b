"""The ONLY module that touches st.session_state and st.query_params.

Shared views live in the URL so that a copied link reopens the same view:
``?district=E07000066,E07000070&division=E58000405&theme=economy&indicator=claimant_count``.
Every value read from the URL is validated; anything unknown or malformed is dropped with a
message and a sane default is used instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from insight import schema as s

DEFAULT_THEME = "economy"
DEFAULT_INDICATOR = "claimant_count"
MAX_PARAM_LENGTH = 2000
_CODE = re.compile(r"^[A-Z]\d{8}$")

# Widget keys of the shared sidebar (declared once, here).
KEY_DISTRICTS = "filter_districts"
KEY_DIVISIONS = "filter_divisions"
KEY_THEME = "filter_theme"
KEY_INDICATOR = "filter_indicator"
KEY_USER_OBSERVATIONS = "user_observations"
KEY_USER_FILE = "user_file_name"


@dataclass(frozen=True)
class Filters:
    """The shared selection: districts, divisions, theme and indicator, plus messages about bad input."""

    districts: tuple[str, ...] = ()
    divisions: tuple[str, ...] = ()
    theme: str = DEFAULT_THEME
    indicator_id: str = DEFAULT_INDICATOR
    messages: tuple[str, ...] = field(default=())


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    if value is None:
        return None
    return str(value)[:MAX_PARAM_LENGTH]


def _codes_from_param(name: str, allowed: set[str], label: str, messages: list[str]) -> tuple[str, ...]:
    raw = _param(name)
    if raw is None or raw.strip() == "":
        return ()
    codes, rejected = [], []
    for part in raw.split(","):
        code = part.strip().upper()
        if code in allowed and code not in codes:
            codes.append(code)
        elif code:
            rejected.append(part.strip()[:20])
    if rejected:
        messages.append(f"Ignored unknown {label} code(s) in the link: {', '.join(rejected[:5])}"
                        + (" …" if len(rejected) > 5 else "") + ".")
    return tuple(codes)


def filters(areas: pd.DataFrame, indicators: pd.DataFrame) -> Filters:
    """The current shared selection, validated against the loaded areas and catalogue.

    Widget values win over the URL (they are the newer choice); the URL is the start point.
    """
    messages: list[str] = []
    district_codes = set(areas.loc[areas[s.LEVEL] == s.Level.DISTRICT, s.AREA_CODE])
    division_frame = areas[areas[s.LEVEL] == s.Level.DIVISION]
    division_codes = set(division_frame[s.AREA_CODE])
    themes = set(indicators[s.THEME])
    catalogue = indicators.set_index(s.INDICATOR_ID)

    if KEY_DISTRICTS in st.session_state:
        districts = tuple(c for c in st.session_state[KEY_DISTRICTS] if c in district_codes)
    else:
        districts = _codes_from_param("district", district_codes, "district", messages)
    if KEY_DIVISIONS in st.session_state:
        divisions = tuple(c for c in st.session_state[KEY_DIVISIONS] if c in division_codes)
    else:
        divisions = _codes_from_param("division", division_codes, "division", messages)

    theme = st.session_state.get(KEY_THEME) or _param("theme") or ""
    if theme not in themes:
        if theme:
            messages.append(f"Unknown theme '{theme[:40]}' in the link; showing '{DEFAULT_THEME}'.")
        theme = DEFAULT_THEME
    indicator_id = st.session_state.get(KEY_INDICATOR) or _param("indicator") or ""
    if indicator_id not in catalogue.index:
        if indicator_id:
            messages.append(f"Unknown indicator '{indicator_id[:40]}' in the link; showing the default.")
        indicator_id = _first_indicator(indicators, theme)
    elif catalogue.loc[indicator_id, s.THEME] != theme and KEY_THEME not in st.session_state:
        theme = str(catalogue.loc[indicator_id, s.THEME])
    return Filters(districts, divisions, theme, indicator_id, tuple(messages))


def _first_indicator(indicators: pd.DataFrame, theme: str) -> str:
    if theme == DEFAULT_THEME and DEFAULT_INDICATOR in set(indicators[s.INDICATOR_ID]):
        return DEFAULT_INDICATOR
    in_theme = indicators[(indicators[s.THEME] == theme) & (indicators[s.STATUS] != s.Status.ILLUSTRATIVE)]
    return str(in_theme[s.INDICATOR_ID].iloc[0]) if not in_theme.empty else DEFAULT_INDICATOR


def seed_sidebar(current: Filters) -> None:
    """Give the sidebar widgets their start values (from the URL) before they are drawn."""
    st.session_state.setdefault(KEY_DISTRICTS, list(current.districts))
    st.session_state.setdefault(KEY_DIVISIONS, list(current.divisions))
    st.session_state.setdefault(KEY_THEME, current.theme)
    st.session_state.setdefault(KEY_INDICATOR, current.indicator_id)


def chosen_districts() -> tuple[str, ...]:
    """Districts chosen in the sidebar widget right now."""
    return tuple(st.session_state.get(KEY_DISTRICTS, ()))


def keep_divisions_within(options: list[str]) -> None:
    """Drop chosen divisions that the district filter no longer offers (before the widget is drawn)."""
    chosen = [c for c in st.session_state.get(KEY_DIVISIONS, []) if c in options]
    if chosen != st.session_state.get(KEY_DIVISIONS):
        st.session_state[KEY_DIVISIONS] = chosen


def chosen_theme() -> str:
    """Theme chosen in the sidebar widget right now."""
    return str(st.session_state.get(KEY_THEME, DEFAULT_THEME))


def keep_indicator_within(options: list[str]) -> None:
    """Make the chosen indicator one of the offered ones (before the widget is drawn)."""
    if options and st.session_state.get(KEY_INDICATOR) not in options:
        st.session_state[KEY_INDICATOR] = options[0]


def on_theme_change(indicators: pd.DataFrame) -> None:
    """Keep the indicator consistent with a newly chosen theme."""
    theme = st.session_state.get(KEY_THEME, DEFAULT_THEME)
    st.session_state[KEY_INDICATOR] = _first_indicator(indicators, theme)


def write_filters_to_url(current: Filters) -> None:
    """Mirror the shared selection into the URL, leaving page-specific parameters alone."""
    _set_or_clear("district", ",".join(current.districts))
    _set_or_clear("division", ",".join(current.divisions))
    _set_or_clear("theme", current.theme)
    _set_or_clear("indicator", current.indicator_id)


def _set_or_clear(name: str, value: str) -> None:
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def user_observations() -> pd.DataFrame | None:
    """Observations the user uploaded this session (None if none)."""
    return st.session_state.get(KEY_USER_OBSERVATIONS)


def user_file_name() -> str | None:
    """The name of the file the user uploaded this session."""
    return st.session_state.get(KEY_USER_FILE)


def set_user_observations(frame: pd.DataFrame, file_name: str) -> None:
    """Keep a validated upload for this session (replaces the previous one only on success)."""
    st.session_state[KEY_USER_OBSERVATIONS] = frame
    st.session_state[KEY_USER_FILE] = file_name


def codes_param(name: str, allowed: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    """Codes in a comma-separated URL parameter, split into (valid, rejected)."""
    allowed_set = set(allowed)
    raw = _param(name) or ""
    valid, rejected = [], []
    for part in raw.split(","):
        code = part.strip().upper()
        if not code:
            continue
        (valid if code in allowed_set else rejected).append(code if _CODE.match(code) else part.strip()[:20])
    return tuple(valid), rejected

# ---- division profile ----
KEY_PROFILE_PICKER = "profile_division_picker"
KEY_PROFILE_COMPARE = "profile_compare"
KEY_PROFILE_COMPARE_FOR = "profile_compare_for"
KEY_PROFILE_TREND_THEME = "profile_trend_theme"
MAX_PROFILE_COMPARE = 3


@dataclass(frozen=True)
class ProfileChoice:
    """The division the profile shows (None when none is chosen) and what was wrong with the link."""

    division: str | None
    problem: str | None


def profile_division(areas: pd.DataFrame, indicators: pd.DataFrame) -> ProfileChoice:
    """The first division of the shared `division` selection; an unknown code in the link is reported."""
    division_codes = set(areas.loc[areas[s.LEVEL] == s.Level.DIVISION, s.AREA_CODE])
    current = filters(areas, indicators)
    _, rejected = codes_param("division", division_codes)
    problem = None
    if rejected:
        shown = ", ".join(f"'{code}'" for code in rejected[:3])
        problem = (f"The link asks for division {shown}, which is not one of the {len(division_codes)} Essex "
                   "county divisions. Choose a division from the list below.")
    return ProfileChoice(current.divisions[0] if current.divisions else None, problem)


def sync_profile_picker(division: str | None) -> None:
    """Show the current division in the profile's picker (call before the picker is drawn)."""
    if division and st.session_state.get(KEY_PROFILE_PICKER) != division:
        st.session_state[KEY_PROFILE_PICKER] = division
    elif not division:
        st.session_state.setdefault(KEY_PROFILE_PICKER, None)


def choose_profile_division() -> None:
    """Picker callback: make the picked division the shared selection (sidebar and URL)."""
    code = st.session_state.get(KEY_PROFILE_PICKER)
    if not code:
        return
    others = [c for c in st.session_state.get(KEY_DIVISIONS, []) if c != code]
    st.session_state[KEY_DIVISIONS] = [code, *others]
    st.query_params["division"] = ",".join([code, *others])
    st.session_state.pop(KEY_PROFILE_COMPARE, None)
    if "compare" in st.query_params:
        del st.query_params["compare"]


def profile_compare(division: str, allowed: Iterable[str], default: tuple[str, ...]) -> tuple[str, ...]:
    """Divisions to compare with (at most 3): the widget's value, else the `compare` link parameter, else default."""
    allowed_set = set(allowed) - {division}
    switched = st.session_state.get(KEY_PROFILE_COMPARE_FOR) not in (None, division)
    if switched:
        st.session_state.pop(KEY_PROFILE_COMPARE, None)  # another division: start from its own default
    st.session_state[KEY_PROFILE_COMPARE_FOR] = division
    if KEY_PROFILE_COMPARE in st.session_state:
        chosen = tuple(st.session_state[KEY_PROFILE_COMPARE])
    elif "compare" in st.query_params and not switched:
        chosen, _ = codes_param("compare", allowed_set)
    else:
        chosen = default
    chosen = tuple(c for c in dict.fromkeys(chosen) if c in allowed_set)[:MAX_PROFILE_COMPARE]
    st.session_state[KEY_PROFILE_COMPARE] = list(chosen)
    return chosen


def write_profile_compare(codes: tuple[str, ...], default: tuple[str, ...]) -> None:
    """Keep a chosen comparison in the link (the default 'most similar' set needs no parameter)."""
    _set_or_clear("compare", "" if tuple(codes) == tuple(default) else ",".join(codes))
