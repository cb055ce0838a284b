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
from streamlit.errors import StreamlitAPIException

from insight import schema as s
from insight.query import FilterOptions

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
    codes, rejected = codes_param(name, allowed)
    if rejected:
        messages.append(f"Ignored unknown {label} code(s) in the link: {', '.join(rejected[:5])}"
                        + (" …" if len(rejected) > 5 else "") + ".")
    return tuple(codes)


def filters(options: FilterOptions) -> Filters:
    """The current shared selection, validated against the loaded areas and catalogue.

    Widget values win over the URL (they are the newer choice); the URL is the start point.
    Get `options` from `components.data.filter_options()`.
    """
    messages: list[str] = []
    district_codes, division_codes = set(options.district_names), set(options.division_names)
    if KEY_DISTRICTS in st.session_state:
        districts = tuple(c for c in st.session_state[KEY_DISTRICTS] if c in district_codes)
    else:
        districts = _codes_from_param("district", district_codes, "district", messages)
    if KEY_DIVISIONS in st.session_state:
        divisions = tuple(c for c in st.session_state[KEY_DIVISIONS] if c in division_codes)
    else:
        divisions = _codes_from_param("division", division_codes, "division", messages)

    theme = st.session_state.get(KEY_THEME) or _param("theme") or ""
    if theme not in options.titles_by_theme:
        if theme:
            messages.append(f"Unknown theme '{theme[:40]}' in the link; showing '{DEFAULT_THEME}'.")
        theme = DEFAULT_THEME
    indicator_id = st.session_state.get(KEY_INDICATOR) or _param("indicator") or ""
    if indicator_id not in options.indicator_themes:
        if indicator_id:
            messages.append(f"Unknown indicator '{indicator_id[:40]}' in the link; showing the default.")
        indicator_id = _first_indicator(options, theme)
    elif options.indicator_themes[indicator_id] != theme and KEY_THEME not in st.session_state:
        theme = options.indicator_themes[indicator_id]
    return Filters(districts, divisions, theme, indicator_id, tuple(messages))


def _first_indicator(options: FilterOptions, theme: str) -> str:
    titles = options.titles_by_theme.get(theme, {})
    if DEFAULT_INDICATOR in titles or not titles:
        return DEFAULT_INDICATOR
    return next(iter(titles))


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


def widget_value(key: str, default: object = None) -> object:
    """The current value of a keyed widget (its default when it has not been drawn yet)."""
    return st.session_state.get(key, default)


def keep_indicator_within(options: list[str]) -> None:
    """Make the chosen indicator one of the offered ones (before the widget is drawn)."""
    if options and st.session_state.get(KEY_INDICATOR) not in options:
        st.session_state[KEY_INDICATOR] = options[0]


def on_theme_change(options: FilterOptions) -> None:
    """Keep the indicator consistent with a newly chosen theme."""
    theme = st.session_state.get(KEY_THEME, DEFAULT_THEME)
    st.session_state[KEY_INDICATOR] = _first_indicator(options, theme)


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


def page_link(page: str, label: str, icon: str | None = None, params: dict[str, str] | None = None) -> None:
    """st.page_link to another page of the app, carrying URL parameters (the session is kept).

    When a page runs on its own (tests run pages in isolation) the other pages are not registered;
    the link is then shown as plain text rather than failing.
    """
    try:
        st.page_link(page, label=label, icon=icon, query_params=params)
    except StreamlitAPIException:
        st.markdown(f"{icon or ''} {label}")


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
    return tuple(dict.fromkeys(valid)), rejected


# ---- priority map ----
# URL: ?weights=imd25_income:5,census21_disabled:3&norm=zscore&top=10&focus=E58000426&measure=score
KEY_PM_INDICATORS = "pm_indicators"
KEY_PM_METHOD = "pm_method"
KEY_PM_TOP_N = "pm_top_n"
KEY_PM_FOCUS = "pm_focus"
KEY_PM_MEASURE = "pm_measure"
PM_WEIGHT_PREFIX = "pm_weight_"
PM_MAX_WEIGHT = 10
PM_DEFAULT_WEIGHT = 5
PM_METHODS = ("zscore", "rank", "minmax")
PM_DEFAULT_TOP_N = 10
PM_SCORE_MEASURE = "score"


@dataclass(frozen=True)
class PriorityView:
    """The priority map's view: chosen indicators with slider weights (0-10), normalisation, top N,
    the division looked at closely (None for none) and what colours its LSOAs."""

    weights: tuple[tuple[str, int], ...]
    method: str = "zscore"
    top_n: int = PM_DEFAULT_TOP_N
    focus: str | None = None
    measure: str = PM_SCORE_MEASURE
    messages: tuple[str, ...] = field(default=())


def pm_weight_key(indicator_id: str) -> str:
    """Widget key of one indicator's weight slider."""
    return f"{PM_WEIGHT_PREFIX}{indicator_id}"


def _weights_from_param(candidates: list[str], messages: list[str]) -> list[tuple[str, int]]:
    raw = _param("weights")
    if not raw:
        return []
    out: list[tuple[str, int]] = []
    bad: list[str] = []
    for part in raw.split(","):
        name, _, number = part.strip().partition(":")
        if name not in candidates or name in dict(out):
            if name:
                bad.append(name[:40])
            continue
        try:
            weight = int(number) if number else PM_DEFAULT_WEIGHT
        except ValueError:
            weight = -1
        if not 0 <= weight <= PM_MAX_WEIGHT:
            messages.append(f"Weight '{number[:10]}' for {name} in the link is not 0 to {PM_MAX_WEIGHT}; "
                            f"using {PM_DEFAULT_WEIGHT}.")
            weight = PM_DEFAULT_WEIGHT
        out.append((name, weight))
    if bad:
        messages.append(f"Ignored indicator(s) in the link that cannot enter the index: {', '.join(bad[:5])}.")
    return out


def priority_view(candidates: list[str], defaults: tuple[str, ...], divisions: set[str]) -> PriorityView:
    """The current priority view, validated. Widget values win over the URL; the URL over defaults."""
    messages: list[str] = []
    if KEY_PM_INDICATORS in st.session_state:
        chosen = [i for i in st.session_state[KEY_PM_INDICATORS] if i in candidates]
        weights = [(i, int(st.session_state.get(pm_weight_key(i), PM_DEFAULT_WEIGHT))) for i in chosen]
    else:
        weights = _weights_from_param(candidates, messages)
        if not weights:
            weights = [(i, PM_DEFAULT_WEIGHT) for i in defaults if i in candidates]
    method = st.session_state.get(KEY_PM_METHOD) or _param("norm") or "zscore"
    if method not in PM_METHODS:
        messages.append(f"Unknown normalisation '{method[:20]}' in the link; using z-score.")
        method = "zscore"
    top_n = st.session_state.get(KEY_PM_TOP_N)
    if top_n is None:
        raw_top = _param("top") or str(PM_DEFAULT_TOP_N)
        top_n = int(raw_top) if raw_top.isdigit() else -1
        if not 1 <= top_n <= len(divisions):
            messages.append(f"Top N '{raw_top[:10]}' in the link is not 1 to {len(divisions)}; "
                            f"using {PM_DEFAULT_TOP_N}.")
            top_n = PM_DEFAULT_TOP_N
    focus = st.session_state[KEY_PM_FOCUS] if KEY_PM_FOCUS in st.session_state else _param("focus")
    if focus is not None and focus not in divisions:
        messages.append(f"Unknown division '{str(focus)[:20]}' in the link; none selected.")
        focus = None
    measure = st.session_state.get(KEY_PM_MEASURE) or _param("measure") or PM_SCORE_MEASURE
    if measure != PM_SCORE_MEASURE and measure not in candidates:
        messages.append(f"Unknown LSOA measure '{measure[:40]}' in the link; colouring by the score.")
        measure = PM_SCORE_MEASURE
    return PriorityView(tuple(weights), method, int(top_n), focus, measure, tuple(messages))


def seed_priority_widgets(view: PriorityView) -> None:
    """Give the page's widgets their start values (from the URL or defaults) before they are drawn."""
    st.session_state.setdefault(KEY_PM_INDICATORS, [i for i, _ in view.weights])
    for indicator_id, weight in view.weights:
        st.session_state.setdefault(pm_weight_key(indicator_id), weight)
    st.session_state.setdefault(KEY_PM_METHOD, view.method)
    st.session_state.setdefault(KEY_PM_TOP_N, view.top_n)
    st.session_state.setdefault(KEY_PM_FOCUS, view.focus)
    st.session_state.setdefault(KEY_PM_MEASURE, view.measure)


def seed_weight(indicator_id: str) -> None:
    """A newly added indicator starts at the default weight."""
    st.session_state.setdefault(pm_weight_key(indicator_id), PM_DEFAULT_WEIGHT)


def keep_measure_valid(options: list[str]) -> None:
    """Reset the LSOA measure to the score when its indicator is no longer chosen (before the widget)."""
    if st.session_state.get(KEY_PM_MEASURE) not in options:
        st.session_state[KEY_PM_MEASURE] = PM_SCORE_MEASURE


def write_priority_view_to_url(view: PriorityView) -> None:
    """Mirror the priority view into the URL (leaving the shared filters alone)."""
    _set_or_clear("weights", ",".join(f"{i}:{w}" for i, w in view.weights))
    _set_or_clear("norm", view.method)
    _set_or_clear("top", str(view.top_n))
    _set_or_clear("focus", view.focus or "")
    _set_or_clear("measure", "" if view.measure == PM_SCORE_MEASURE else view.measure)


def focus_from_map(widget_key: str, layer_id: str) -> None:
    """on_select callback of the division map: the clicked division becomes the focus (cleared with it)."""
    event = st.session_state.get(widget_key) or {}
    objects = (event.get("selection") or {}).get("objects") or {}
    picked = objects.get(layer_id) or []
    if picked:
        code = (picked[0].get("properties") or picked[0]).get(s.AREA_CODE)
        if code:
            st.session_state[KEY_PM_FOCUS] = str(code)
    else:
        st.session_state[KEY_PM_FOCUS] = None


def focus_from_table(widget_key: str, codes: tuple[str, ...]) -> None:
    """on_select callback of the ranked table: the selected row's division becomes the focus."""
    event = st.session_state.get(widget_key) or {}
    rows = (event.get("selection") or {}).get("rows") or []
    st.session_state[KEY_PM_FOCUS] = codes[rows[0]] if rows and rows[0] < len(codes) else None


# ---- scenarios page ----
# Page parameters (all validated): scn_data ("open" | "illustrative"), scn_indicator, scn_area, scn_horizon,
# and `scenarios`, the compact scenario set of insight.scenarios (a malformed or crafted link is ignored with
# a message, never executed). Scenario widgets are keyed per version so that loading a link, a reset or an
# undo redraws them from the stored set.
from insight.errors import ScenarioError  # noqa: E402
from insight.scenarios import Scenario, scenarios_from_query, scenarios_to_query  # noqa: E402

KEY_SCN_DATA = "scn_data"
KEY_SCN_INDICATOR = "scn_indicator"
KEY_SCN_AREA = "scn_area"
KEY_SCN_HORIZON = "scn_horizon"
KEY_SCN_EDIT = "scn_edit"
SCN_VIEW_KEYS = (KEY_SCN_DATA, KEY_SCN_INDICATOR, KEY_SCN_AREA, KEY_SCN_HORIZON)
SCENARIOS_PARAM = "scenarios"
_KEY_SCN_SET = "scn_set"
_KEY_SCN_PREVIOUS = "scn_previous"
_KEY_SCN_VERSION = "scn_version"
_KEY_SCN_LINK_MESSAGE = "scn_link_message"
_SCN_REMEMBERED = "scn_remembered"


def seed_scenario_choice(key: str, options: list, default: object, label: str) -> str | None:
    """Make widget ``key`` hold one of ``options``: its own value, else this session's last choice, else the
    link's (URL parameter of the same name), else ``default``. Returns a message if the link's value was refused."""
    if key in st.session_state:
        if st.session_state[key] not in options:
            st.session_state[key] = default
        return None
    remembered = st.session_state.get(_SCN_REMEMBERED, {}).get(key)
    if remembered in options:
        st.session_state[key] = remembered
        return None
    raw = _param(key)
    st.session_state[key] = default
    if raw is None or raw.strip() == "":
        return None
    match = next((option for option in options if str(option) == raw.strip()), None)
    if match is not None:
        st.session_state[key] = match
        return None
    shown = "".join(ch for ch in raw if ch.isalnum() or ch in "._-")[:30]
    return f"Ignored {label} '{shown}' in the link: it is not available here, so the default is shown."


def write_scenario_view_to_url() -> None:
    """Mirror the chosen series (data set, indicator, area, horizon) into the URL and remember it."""
    remembered = st.session_state.setdefault(_SCN_REMEMBERED, {})
    for key in SCN_VIEW_KEYS:
        if key in st.session_state:
            remembered[key] = st.session_state[key]
            _set_or_clear(key, str(st.session_state[key]))


def scenario_set() -> tuple[Scenario, ...]:
    """The session's scenarios. On the first run they come from the link; a bad link is ignored."""
    if _KEY_SCN_SET not in st.session_state:
        raw = _param(SCENARIOS_PARAM) or ""
        try:
            loaded = scenarios_from_query(raw)
        except ScenarioError as error:
            st.session_state[_KEY_SCN_LINK_MESSAGE] = (
                f"The scenarios in this link were ignored because they could not be read safely: {error} "
                "The page shows the baseline projection instead.")
            loaded = ()
            if SCENARIOS_PARAM in st.query_params:
                del st.query_params[SCENARIOS_PARAM]
        st.session_state[_KEY_SCN_SET] = loaded
    return st.session_state[_KEY_SCN_SET]


def scenario_link_message() -> str | None:
    """The message about a refused scenario link, given once."""
    return st.session_state.pop(_KEY_SCN_LINK_MESSAGE, None)


def set_scenario_set(scenarios: tuple[Scenario, ...], *, redraw: bool = False) -> None:
    """Store the scenarios and write them to the URL; ``redraw`` re-creates the lever widgets from them."""
    st.session_state[_KEY_SCN_SET] = tuple(scenarios)
    _set_or_clear(SCENARIOS_PARAM, scenarios_to_query(scenarios))
    if redraw:
        st.session_state[_KEY_SCN_VERSION] = st.session_state.get(_KEY_SCN_VERSION, 0) + 1


def reset_scenarios() -> None:
    """Back to the baseline in one click (the removed scenarios can be brought back once)."""
    current = scenario_set()
    if current:
        st.session_state[_KEY_SCN_PREVIOUS] = current
    set_scenario_set((), redraw=True)
    st.session_state[KEY_SCN_EDIT] = 0


def previous_scenarios() -> tuple[Scenario, ...]:
    """The scenarios removed by the last reset (empty when there is nothing to undo)."""
    return st.session_state.get(_KEY_SCN_PREVIOUS, ())


def undo_reset_scenarios() -> None:
    """Bring back the scenarios removed by the last reset."""
    set_scenario_set(st.session_state.pop(_KEY_SCN_PREVIOUS, ()), redraw=True)
    st.session_state[KEY_SCN_EDIT] = 0


def editing_slot(count: int) -> int:
    """Which scenario (0-based) the lever panel edits."""
    slot = st.session_state.get(KEY_SCN_EDIT, 0)
    slot = slot if isinstance(slot, int) else 0
    return min(max(slot, 0), max(count - 1, 0))


def set_editing_slot(slot: int) -> None:
    """Choose the scenario the lever panel edits (call from a callback or before the selector is drawn)."""
    st.session_state[KEY_SCN_EDIT] = int(slot)


def scenario_widget_key(slot: int, name: str) -> str:
    """The key of one lever widget of one scenario slot (changes when the set is redrawn)."""
    return f"scn_w.{st.session_state.get(_KEY_SCN_VERSION, 0)}.{slot}.{name}"


# ---- division profile ----
KEY_PROFILE_PICKER = "profile_division_picker"
KEY_PROFILE_COMPARE = "profile_compare"
KEY_PROFILE_COMPARE_FOR = "profile_compare_for"
KEY_PROFILE_TREND_THEME = "profile_trend_theme"
KEY_PROFILE_SPINE_TABLE = "profile_spine_table"
MAX_PROFILE_COMPARE = 3


@dataclass(frozen=True)
class ProfileChoice:
    """The division the profile shows (None when none is chosen) and what was wrong with the link."""

    division: str | None
    problem: str | None


def profile_division(options: FilterOptions) -> ProfileChoice:
    """The first division of the shared `division` selection; an unknown code in the link is reported."""
    division_codes = set(options.division_names)
    current = filters(options)
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


# ---- trends page ----
# URL: ?horizon=5&comparators=county,england&table=1 (each validated; a bad value -> message + default).
# The horizon slider is keyed per frequency, so switching between annual and monthly indicators never
# leaves a value outside the slider's range.
TR_COMPARATORS = ("county", "region", "england")
KEY_TR_TABLE = "tr_table"
_TR_HORIZON_PREFIX = "tr_horizon_"
_TR_COMPARATOR_PREFIX = "tr_cmp_"


@dataclass(frozen=True)
class TrendsView:
    """The trends page's own choices: projection horizon (periods), comparator kinds shown, table on/off."""

    horizon: int
    comparators: tuple[str, ...] = TR_COMPARATORS
    show_table: bool = False
    messages: tuple[str, ...] = field(default=())


def tr_horizon_key(frequency: str) -> str:
    """Widget key of the horizon slider for one frequency ("annual", "monthly")."""
    return f"{_TR_HORIZON_PREFIX}{frequency}"


def tr_comparator_key(kind: str) -> str:
    """Widget key of one comparator checkbox ("county", "region", "england")."""
    return f"{_TR_COMPARATOR_PREFIX}{kind}"


def trends_view(frequency: str, max_horizon: int, default_horizon: int) -> TrendsView:
    """The current trends view. Widget values win over the URL; the URL over the defaults."""
    messages: list[str] = []
    key = tr_horizon_key(frequency)
    if max_horizon <= 0:
        horizon = 0
    elif key in st.session_state:
        horizon = min(max(int(st.session_state[key]), 1), max_horizon)
    else:
        raw = (_param("horizon") or "").strip()
        horizon = default_horizon
        if raw:
            if raw.isdigit() and 1 <= int(raw) <= max_horizon:
                horizon = int(raw)
            else:
                messages.append(f"Projection horizon '{raw[:10]}' in the link is not 1 to {max_horizon} for this "
                                f"{frequency} indicator; using {default_horizon}.")
    if any(tr_comparator_key(k) in st.session_state for k in TR_COMPARATORS):
        comparators = tuple(k for k in TR_COMPARATORS if st.session_state.get(tr_comparator_key(k), True))
    else:
        raw = _param("comparators")
        if raw is None:
            comparators = TR_COMPARATORS
        else:
            asked = [part.strip().lower() for part in raw.split(",") if part.strip()]
            unknown = [a[:20] for a in asked if a not in (*TR_COMPARATORS, "none")]
            if unknown:
                messages.append(f"Ignored unknown comparator(s) in the link: {', '.join(unknown[:3])}.")
            comparators = tuple(k for k in TR_COMPARATORS if k in asked)
    if KEY_TR_TABLE in st.session_state:
        show_table = bool(st.session_state[KEY_TR_TABLE])
    else:
        show_table = (_param("table") or "").strip().lower() in ("1", "true", "yes")
    return TrendsView(horizon, comparators, show_table, tuple(messages))


def seed_trends_widgets(view: TrendsView, frequency: str) -> None:
    """Give the page's widgets their start values (from the URL or defaults) before they are drawn."""
    if view.horizon > 0:
        st.session_state.setdefault(tr_horizon_key(frequency), view.horizon)
    for kind in TR_COMPARATORS:
        st.session_state.setdefault(tr_comparator_key(kind), kind in view.comparators)
    st.session_state.setdefault(KEY_TR_TABLE, view.show_table)


def write_trends_view_to_url(view: TrendsView) -> None:
    """Mirror the trends view into the URL (defaults leave no parameter)."""
    _set_or_clear("horizon", str(view.horizon) if view.horizon > 0 else "")
    _set_or_clear("comparators", "" if view.comparators == TR_COMPARATORS else ",".join(view.comparators) or "none")
    _set_or_clear("table", "1" if view.show_table else "")


# ---- serving behind a load balancer ----
KEY_REPLICA_NOTICE = "_replica_notice_shown"


def replica_move_notice() -> str | None:
    """Once per session: why the page reconnected, when HAProxy moved it here from a replica that went away."""
    import os

    from insight.serving import REPLICA_COOKIE, REPLICA_NAME_ENV
    from insight.serving import replica_move_notice as notice

    if st.session_state.get(KEY_REPLICA_NOTICE):
        return None
    st.session_state[KEY_REPLICA_NOTICE] = True
    return notice(st.context.cookies.get(REPLICA_COOKIE), os.environ.get(REPLICA_NAME_ENV))
