"""The ONLY module that touches st.session_state and st.query_params.

The view people share lives in the URL through widgets bound to query parameters (``bind="query-params"``:
the widget key is the parameter name, the URL holds the option's label):
``?district=Tendring&division=Clacton+West&theme=Economy&indicator=Claimant+count``. Streamlit seeds bound
widgets from a link, keeps them across pages and restores them on browser back/forward. This module adds
the thin layer Streamlit leaves to the app:

* **Messages about the link.** Streamlit drops a value it cannot use without a word; ``begin_run`` reads the
  link's raw values first (``insight.params``: one strict parser per type) and says what was ignored.
* **Older links.** Links made before widgets were bound carry codes and comma lists
  (``?district=E07000066,E07000070&division=E58000405``); they are read the same way and turned into labels.
* **Choices made elsewhere.** A map click, the profile's picker or a theme change sets a bound widget from
  code. Streamlit writes such a value to the URL only when it is set in the script before the widget is drawn
  (not in a callback), so callbacks leave a *request* that ``begin_run`` applies at the top of the next run.

Every page also runs on its own (tests run pages in isolation): the accessors fall back to reading the link.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

from insight import params
from insight.agenda import Agenda, AgendaError, agenda_from_link, agenda_to_link
from insight.errors import DataValidationError, ScenarioError
from insight.query import FilterOptions
from insight.return_view import PendingReturns, View, browser_key, dropped_from_link, view_of, with_dropped
from insight.scenarios import Scenario, scenarios_from_query, scenarios_to_query
from insight.serving import REPLICA_COOKIE, REPLICA_NAME_ENV
from insight.serving import replica_move_notice as notice
from insight.targets import ALL_AREAS, Target, targets_from_json, validate_targets
from insight.text import plain
from insight.uploads import LoadedUpload, UploadOutcome, UploadShelf
from insight.your_data import YourData
from views.attention import ChartLink
from views.devices import phone_browser
from views.scenarios import AppliedScenarios
from views.targets import problem_lines, target_record, with_target, without_target
from views.trends import COMPARATOR_KINDS

T = TypeVar("T")

DEFAULT_THEME = "economy"
DEFAULT_INDICATOR = "claimant_count"

# Shared view: bound widget keys = URL parameter names (declared once, here).
DISTRICT = "district"
DIVISION = "division"
THEME = "theme"
INDICATOR = "indicator"
BIND: Final = "query-params"

_REQUESTS = "_requests"  # key -> value to give a bound widget before it is drawn (see the module docstring)
_LINK_MESSAGES = "_link_messages"  # messages kept over the extra run that turns an older link into labels
_TRANSLATED = "_link_translated"  # the raw link already turned into labels (so it is done once)


@dataclass(frozen=True)
class Filters:
    """The shared selection: districts, divisions, theme and indicator (codes and ids)."""

    districts: tuple[str, ...] = ()
    divisions: tuple[str, ...] = ()
    theme: str = DEFAULT_THEME
    indicator_id: str = DEFAULT_INDICATOR

    @property
    def division(self) -> str | None:
        """The chosen division (the first, when several are chosen)."""
        return self.divisions[0] if self.divisions else None

    @property
    def place(self) -> str | None:
        """The chosen place: the first division, else the first district, else None (the whole council)."""
        return self.division or (self.districts[0] if self.districts else None)


def indicator_labels(options: FilterOptions) -> dict[str, str]:
    """Indicator id -> the label its option shows (and the URL carries), for every non-illustrative indicator."""
    return {i: t for titles in options.titles_by_theme.values() for i, t in titles.items()}


def theme_label(theme: str) -> str:
    """The label a theme's option shows (and the URL carries)."""
    return theme.capitalize()


def _theme_labels(options: FilterOptions) -> dict[str, str]:
    return {theme: theme_label(theme) for theme in options.titles_by_theme}


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return None if value is None else str(value)[:params.MAX_VALUE_LENGTH]


def _raw(name: str) -> list[str]:
    return [str(v) for v in st.query_params.get_all(name)]


def first_indicator(options: FilterOptions, theme: str) -> str:
    """The indicator a theme opens on: the default one if it belongs to the theme, else its first."""
    titles = options.titles_by_theme.get(theme, {})
    return DEFAULT_INDICATOR if DEFAULT_INDICATOR in titles or not titles else next(iter(titles))


@dataclass(frozen=True)
class _LinkReading:
    values: dict[str, Any]  # key -> value read from the link (only keys the link gives usable values for)
    messages: tuple[str, ...]
    older_form: bool  # usable values that are not in the labels bound widgets read (codes, comma lists, case)


def _older_form(raw: Sequence[str], labels: Iterable[str]) -> bool:
    """True when a parameter's values are not all exact option labels, one per repeated parameter."""
    exact = set(labels)
    return any(value not in exact for value in raw)


def _read_link(options: FilterOptions) -> _LinkReading:
    """The shared parameters of the current link, parsed strictly (codes or labels, any case)."""
    values: dict[str, Any] = {}
    messages: list[str] = []
    older = False
    for key, choices in ((DISTRICT, options.district_names), (DIVISION, options.division_names)):
        raw = _raw(key)
        parsed = params.parse_many(raw, choices, label=key)
        if parsed.problem:
            messages.append(parsed.problem)
        if parsed.value:
            values[key] = list(parsed.value)
            older |= _older_form(raw, choices.values())
    indicators, themes = indicator_labels(options), _theme_labels(options)
    raw_indicator, raw_theme = _raw(INDICATOR), _raw(THEME)
    theme = params.parse_choice(raw_theme, themes, default=DEFAULT_THEME, label="theme")
    opens_on = first_indicator(options, theme.value)  # shown when the link's indicator cannot be
    indicator = params.parse_choice(raw_indicator, indicators, default=opens_on, label="indicator")
    messages.extend(p for p in (theme.problem, indicator.problem) if p)
    if raw_indicator and not (indicator.problem and indicator.value == opens_on):
        values[THEME] = options.indicator_themes[indicator.value]  # the indicator decides its theme
        values[INDICATOR] = indicator.value
        wanted_theme = [themes[values[THEME]]] if values[THEME] != DEFAULT_THEME else []
        older |= _older_form(raw_indicator, indicators.values()) or raw_theme not in ([], wanted_theme) \
            or (not raw_theme and bool(wanted_theme))
    elif raw_theme and not (theme.problem and theme.value == DEFAULT_THEME):
        values[THEME] = theme.value
        older |= _older_form(raw_theme, themes.values())
    return _LinkReading(values, tuple(messages), older)


def begin_run(options: FilterOptions, page: Any) -> tuple[str, ...]:
    """Call at the top of app.py, before the sidebar: apply requests left by callbacks, read the link, and
    return what to say about it. An older link (codes, ids, comma lists, another case) is reopened once at the
    same page in the labels bound widgets read, so the address bar shows a link that can be shared; ``page``
    is the st.navigation page being shown."""
    messages = list(st.session_state.pop(_LINK_MESSAGES, ()))
    requests = st.session_state.pop(_REQUESTS, None)
    if requests:
        for key, value in requests.items():
            st.session_state[key] = value
        return tuple(messages)
    reading = _read_link(options)
    messages.extend(reading.messages)
    if reading.older_form and not st.session_state.get(_TRANSLATED):
        st.session_state[_TRANSLATED] = True  # once a session: a link that cannot be put right is not retried
        st.session_state[_LINK_MESSAGES] = tuple(messages)
        st.switch_page(page, query_params=_label_form(reading, options))
    return tuple(messages)


def _label_form(reading: _LinkReading, options: FilterOptions) -> dict[str, list[str]]:
    """The link with its shared values as the labels bound widgets read (other parameters kept as they are)."""
    labels = {DISTRICT: options.district_names, DIVISION: options.division_names, THEME: _theme_labels(options),
              INDICATOR: indicator_labels(options)}
    form = {key: [labels[key][v] for v in (value if isinstance(value, list) else [value])]
            for key, value in reading.values.items() if not (key == THEME and value == DEFAULT_THEME)}
    form.update({k: st.query_params.get_all(k) for k in st.query_params if k not in labels})
    return form


def request(values: Mapping[str, Any]) -> None:
    """Ask for bound widgets to take these values at the top of the next run (use from callbacks)."""
    st.session_state.setdefault(_REQUESTS, {}).update(values)


def choose_division(code: str, options: FilterOptions) -> None:
    """Make ``code`` the chosen division everywhere (sidebar, URL, every page). A district filter that does not
    hold it is replaced by the division's own district(s)."""
    if code not in options.division_names:
        return
    wanted: dict[str, Any] = {DIVISION: [code]}
    districts = list(st.session_state.get(DISTRICT) or [])
    if districts and code not in options.divisions_in(districts):
        wanted[DISTRICT] = [d for d, divisions in options.divisions_by_district.items() if code in divisions]
    request(wanted)


def clear_division() -> None:
    """No division chosen (the district filter stays)."""
    request({DIVISION: []})


def keep_divisions_within(allowed: Sequence[str]) -> None:
    """Drop chosen divisions that the district filter no longer offers (call before the widget is drawn)."""
    chosen = list(st.session_state.get(DIVISION) or [])
    kept = [c for c in chosen if c in allowed]
    if kept != chosen:
        st.session_state[DIVISION] = kept


def keep_indicator_within(allowed: Sequence[str], options: FilterOptions) -> None:
    """Make the chosen indicator one of the theme's (call before the indicator widget is drawn)."""
    if allowed and st.session_state.get(INDICATOR) not in allowed:
        st.session_state[INDICATOR] = first_indicator(options, str(st.session_state.get(THEME) or DEFAULT_THEME))


def chosen_districts() -> tuple[str, ...]:
    """Districts chosen in the sidebar right now."""
    return tuple(st.session_state.get(DISTRICT) or ())


def chosen_theme() -> str:
    """Theme chosen in the sidebar right now."""
    return str(st.session_state.get(THEME) or DEFAULT_THEME)


def filters(options: FilterOptions) -> Filters:
    """The current shared selection (codes, ids), valid against ``options``.

    In the app the sidebar's bound widgets hold it; a page run on its own reads the link instead, with any
    choice made since (a request no sidebar has applied yet) taking its place.
    """
    requested = st.session_state.get(_REQUESTS) or {}
    if DISTRICT in st.session_state or DIVISION in st.session_state or INDICATOR in st.session_state:
        districts = tuple(c for c in st.session_state.get(DISTRICT) or () if c in options.district_names)
        divisions = tuple(c for c in st.session_state.get(DIVISION) or () if c in options.division_names)
        theme = str(st.session_state.get(THEME) or DEFAULT_THEME)
        indicator = str(st.session_state.get(INDICATOR) or "")
    else:
        reading = _read_link(options)
        districts = tuple(reading.values.get(DISTRICT, ()))
        divisions = tuple(reading.values.get(DIVISION, ()))
        theme = str(reading.values.get(THEME, DEFAULT_THEME))
        indicator = str(reading.values.get(INDICATOR, ""))
    districts = tuple(requested.get(DISTRICT, districts))
    divisions = tuple(requested.get(DIVISION, divisions))
    if theme not in options.titles_by_theme:
        theme = DEFAULT_THEME
    if indicator not in options.indicator_themes:
        indicator = first_indicator(options, theme)
    return Filters(districts, divisions, theme, indicator)


def seed_widgets(values: Mapping[str, Any]) -> None:
    """Give page widgets their start values (read from the link, or defaults) when they have none yet; call
    before they are drawn. (A bound widget reads a link in its labels itself; this also covers older forms.)"""
    for key, value in values.items():
        st.session_state.setdefault(key, value)


def widget_value(key: str, default: Any = None) -> Any:
    """The current value of a keyed widget (its default when it has not been drawn yet)."""
    return st.session_state.get(key, default)


def page_link(page: str, label: str, icon: str | None = None, params: dict[str, str] | None = None) -> None:
    """st.page_link to another page of the app; the bound view (place, indicator) goes with it, and ``params``
    (never a bound parameter) are added.

    When a page runs on its own (tests run pages in isolation) the other pages are not registered;
    the link is then shown as plain text rather than failing.
    """
    try:
        st.page_link(page, label=label, icon=icon, query_params=params)
    except StreamlitAPIException:
        st.markdown(f"{icon or ''} {label}")


def _page_messages(key: str, messages: Iterable[str | None]) -> tuple[str, ...]:
    """Messages about a page's own link parameters, said once per distinct link."""
    kept = tuple(m for m in messages if m)
    link = repr(sorted((k, tuple(st.query_params.get_all(k))) for k in st.query_params))
    seen_key = f"_said_{key}"
    if not kept or st.session_state.get(seen_key) == link:
        return ()
    st.session_state[seen_key] = link
    return kept


ETHICS_PAGE = "pages/ethics.py"
CARD_PARAM = "card"  # ?card=projection opens that model card on the Ethics & transparency page


def requested_card(allowed: Iterable[str]) -> tuple[str | None, str | None]:
    """(the model card a link asks for, a message when the link names an unknown one); (None, None) if none."""
    value = _param(CARD_PARAM)
    if value is None or value == "":
        return None, None
    if value in set(allowed):
        return value, None
    return None, "The link asked for a model card that does not exist; all the cards are shown."


def card_link(card_id: str, label: str) -> None:
    """A link to one model card on the Ethics & transparency page (the session is kept)."""
    page_link(ETHICS_PAGE, label, "🗂️", {CARD_PARAM: card_id})




# ---- trends page ----
# Bound: ?compare=Essex&compare=England, ?table=true. Hand-written: ?years=3 (annual) or ?months=12 (monthly)
# (Streamlit reads "5.5" or "٣" in a bound number as 5 or 3; one strict parser reads the link's numbers instead).
TR_COMPARATORS = COMPARATOR_KINDS
KEY_TR_YEARS = "years"
KEY_TR_MONTHS = "months"
KEY_TR_COMPARE = "compare"
KEY_TR_TABLE = "table"
_OLDER_TRENDS = {"horizon": "years or months", "comparators": "compare"}


@dataclass(frozen=True)
class TrendsView:
    """The trends page's own choices: projection horizon (periods), comparator kinds shown, table on/off."""

    horizon: int
    comparators: tuple[str, ...] = TR_COMPARATORS
    show_table: bool = False


def tr_horizon_key(frequency: str) -> str:
    """The horizon slider's key (and URL parameter) for a frequency: 'years' or 'months'."""
    return KEY_TR_MONTHS if frequency == "monthly" else KEY_TR_YEARS


def trends_link_messages(frequency: str, max_horizon: int, default_horizon: int,
                         comparator_names: Mapping[str, str]) -> tuple[str, ...]:
    """What the link's trends parameters ask for that cannot be shown (call before the page's widgets)."""
    key = tr_horizon_key(frequency)
    messages = [params.parse_whole(st.query_params.get(key), low=1, high=max(max_horizon, 1), default=default_horizon,
                                   label=f"projection horizon ({key})").problem if max_horizon else None,
                params.parse_many(_raw(KEY_TR_COMPARE), comparator_names, label="comparator").problem,
                params.parse_flag(st.query_params.get(KEY_TR_TABLE), default=False, label="table view").problem,
                params.parse_flag(st.query_params.get(KEY_TR_SPC), default=False, label="control chart (spc)").problem]
    messages += [f"The link's '{old}' setting is from an older version of the dashboard and was ignored (it is "
                 f"now '{new}')." for old, new in _OLDER_TRENDS.items() if old in st.query_params]
    return _page_messages("trends", messages)


def trends_view(frequency: str, max_horizon: int, default_horizon: int,
                comparator_names: Mapping[str, str]) -> TrendsView:
    """The trends page's choices, from its bound widgets (or the link, when the page runs on its own)."""
    key = tr_horizon_key(frequency)
    if max_horizon <= 0:
        horizon = 0
    elif key in st.session_state:
        horizon = min(max(int(st.session_state[key]), 1), max_horizon)
    else:
        horizon = params.parse_whole(st.query_params.get(key), low=1, high=max_horizon, default=default_horizon,
                                     label=key).value
    if KEY_TR_COMPARE in st.session_state:
        comparators = tuple(k for k in TR_COMPARATORS if k in (st.session_state[KEY_TR_COMPARE] or ()))
    elif _raw(KEY_TR_COMPARE):
        comparators = params.parse_many(_raw(KEY_TR_COMPARE), comparator_names, label="comparator").value
    else:
        comparators = TR_COMPARATORS
    if KEY_TR_TABLE in st.session_state:
        show_table = bool(st.session_state[KEY_TR_TABLE])
    else:
        show_table = params.parse_flag(st.query_params.get(KEY_TR_TABLE), default=False, label="table").value
    return TrendsView(horizon, comparators, show_table)


def write_trends_horizon_to_url(frequency: str, horizon: int, default: int) -> None:
    """Mirror the horizon into the link (not bound: one strict parser reads the link's number)."""
    _set_or_clear(tr_horizon_key(frequency), str(horizon) if horizon and horizon != default else "")


# ---- priority map ----
# Bound: ?norm=rank&measure=Income+deprivation. Hand-written: ?top=5 (a number) and
# ?weights=imd25_income:5,census21_disabled:3 (a compound value). The division looked at closely is the shared
# `division`.
KEY_PM_INDICATORS = "pm_indicators"
KEY_PM_METHOD = "norm"
KEY_PM_TOP_N = "top"
KEY_PM_MEASURE = "measure"
PM_WEIGHTS_PARAM = "weights"
PM_WEIGHT_PREFIX = "pm_weight_"
PM_MAX_WEIGHT = 10
PM_DEFAULT_WEIGHT = 5
PM_METHODS = ("zscore", "rank", "minmax")
PM_DEFAULT_TOP_N = 10
PM_SCORE_MEASURE = "score"
_KEY_PM_WEIGHTS_READ = "_pm_weights_read"


@dataclass(frozen=True)
class PriorityView:
    """The priority map's view: chosen indicators with slider weights (0-10), normalisation, top N and what
    colours the chosen division's LSOAs."""

    weights: tuple[tuple[str, int], ...]
    method: str = "zscore"
    top_n: int = PM_DEFAULT_TOP_N
    measure: str = PM_SCORE_MEASURE


def pm_weight_key(indicator_id: str) -> str:
    """Widget key of one indicator's weight slider."""
    return f"{PM_WEIGHT_PREFIX}{indicator_id}"


def priority_link_messages(candidates: Mapping[str, str], methods: Mapping[str, str], n_areas: int,
                           measures: Mapping[str, str]) -> tuple[str, ...]:
    """What the link's priority-map parameters ask for that cannot be used (call before the page's widgets)."""
    messages = [
        params.parse_weights(st.query_params.get(PM_WEIGHTS_PARAM), candidates, most=PM_MAX_WEIGHT,
                             default_weight=PM_DEFAULT_WEIGHT).problem,
        params.parse_choice(_raw(KEY_PM_METHOD), methods, default="zscore", label="normalisation").problem
        if _raw(KEY_PM_METHOD) else None,
        params.parse_whole(st.query_params.get(KEY_PM_TOP_N), low=1, high=n_areas, default=PM_DEFAULT_TOP_N,
                           label="number of divisions to highlight (top)").problem,
        params.parse_choice(_raw(KEY_PM_MEASURE), measures, default=PM_SCORE_MEASURE,
                            label="LSOA colouring measure").problem if _raw(KEY_PM_MEASURE) else None,
        ("The link's 'focus' setting is from an older version of the dashboard: the division is now chosen with "
         "'division'." if "focus" in st.query_params else None),
    ]
    return _page_messages("priority", messages)


def seed_priority_weights(candidates: Mapping[str, str], defaults: Sequence[str]) -> None:
    """Give the index's measures and weights their start values from the link (or the defaults), once."""
    if _KEY_PM_WEIGHTS_READ in st.session_state and KEY_PM_INDICATORS in st.session_state:
        return
    st.session_state[_KEY_PM_WEIGHTS_READ] = True
    weights = params.parse_weights(st.query_params.get(PM_WEIGHTS_PARAM), candidates, most=PM_MAX_WEIGHT,
                                   default_weight=PM_DEFAULT_WEIGHT).value
    if not weights:
        weights = tuple((i, PM_DEFAULT_WEIGHT) for i in defaults if i in candidates)
    st.session_state[KEY_PM_INDICATORS] = [i for i, _ in weights]
    for indicator_id, weight in weights:
        st.session_state[pm_weight_key(indicator_id)] = weight


def seed_weight(indicator_id: str) -> None:
    """A newly added indicator starts at the default weight."""
    st.session_state.setdefault(pm_weight_key(indicator_id), PM_DEFAULT_WEIGHT)


def priority_view(candidates: Mapping[str, str], defaults: Sequence[str], n_areas: int,
                  methods: Mapping[str, str], measures: Mapping[str, str]) -> PriorityView:
    """The current priority view, from the page's widgets (or the link and defaults before they are drawn)."""
    if KEY_PM_INDICATORS in st.session_state:
        chosen = [i for i in st.session_state[KEY_PM_INDICATORS] if i in candidates]
        weights = tuple((i, int(st.session_state.get(pm_weight_key(i), PM_DEFAULT_WEIGHT))) for i in chosen)
    else:
        weights = params.parse_weights(st.query_params.get(PM_WEIGHTS_PARAM), candidates, most=PM_MAX_WEIGHT,
                                       default_weight=PM_DEFAULT_WEIGHT).value \
            or tuple((i, PM_DEFAULT_WEIGHT) for i in defaults if i in candidates)
    method = st.session_state.get(KEY_PM_METHOD) or params.parse_choice(
        _raw(KEY_PM_METHOD), methods, default="zscore", label="normalisation").value
    top_n = st.session_state.get(KEY_PM_TOP_N) or params.parse_whole(
        st.query_params.get(KEY_PM_TOP_N), low=1, high=n_areas, default=PM_DEFAULT_TOP_N, label="top").value
    measure = st.session_state.get(KEY_PM_MEASURE) or params.parse_choice(
        _raw(KEY_PM_MEASURE), measures, default=PM_SCORE_MEASURE, label="measure").value
    if measure != PM_SCORE_MEASURE and measure not in dict(weights):
        measure = PM_SCORE_MEASURE
    return PriorityView(weights, str(method), int(top_n), str(measure))


def keep_measure_valid(allowed: Sequence[str]) -> None:
    """Reset the LSOA measure to the score when its indicator is no longer chosen (before the widget)."""
    if KEY_PM_MEASURE in st.session_state and st.session_state[KEY_PM_MEASURE] not in allowed:
        st.session_state[KEY_PM_MEASURE] = PM_SCORE_MEASURE


def write_priority_weights_to_url(view: PriorityView, defaults: Sequence[str]) -> None:
    """Mirror the index's measures and weights into the link (the default set needs no parameter)."""
    default = tuple((i, PM_DEFAULT_WEIGHT) for i in defaults)
    _set_or_clear(PM_WEIGHTS_PARAM, "" if view.weights == default else ",".join(f"{i}:{w}" for i, w in view.weights))
    _set_or_clear(KEY_PM_TOP_N, "" if view.top_n == PM_DEFAULT_TOP_N else str(view.top_n))
    if "focus" in st.query_params:
        del st.query_params["focus"]


def _set_or_clear(name: str, value: str) -> None:
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _map_pick(widget_key: str, layer_id: str) -> str | None:
    """The area code a clickable map's own selection holds (None when nothing is selected)."""
    event = st.session_state.get(widget_key) or {}
    objects = (event.get("selection") or {}).get("objects") or {}
    picked = objects.get(layer_id) or []
    code = (picked[0].get("properties") or picked[0]).get("area_code") if picked else None
    return str(code) if code else None


def division_from_map(widget_key: str, layer_id: str, options: FilterOptions) -> None:
    """on_select callback of the division map: the clicked division becomes the chosen division."""
    code = _map_pick(widget_key, layer_id)
    if code:
        choose_division(code, options)


def map_widget_key(prefix: str, chosen: str | None, layer_id: str) -> str:
    """The widget key of a clickable map. Kept while the map's own selection is the chosen area (a click on the
    map chose it): the map then updates in place. Renewed when something else chose (the table, a picker, a
    link), so the map drops its old highlight and a click on the area it last picked is a new event; a new key
    draws a new map (a new WebGL context: about 2 s of a click in headless Chromium when it was renewed on every
    choice)."""
    counter = f"_{prefix}_generation"
    generation = int(st.session_state.get(counter, 0))
    if _map_pick(f"{prefix}_{generation}", layer_id) != chosen:
        generation += 1
        st.session_state[counter] = generation
    return f"{prefix}_{generation}"


def table_widget_key(prefix: str, rows: tuple[str, ...], chosen: str | None) -> str:
    """The widget key of a selectable table whose rows are areas (``rows``, in order). Kept while the table has no
    selection of its own, or its selection is the chosen area and its rows are unchanged: the table then updates
    in place (a new key draws a new grid: about 0.5 s of a map click). Renewed when a selected row would name
    another area (a selection is a row position, and the rows were re-ranked) or another area was chosen
    elsewhere, so the table drops its old highlight."""
    counter, shown = f"_{prefix}_generation", f"_{prefix}_rows"
    generation = int(st.session_state.get(counter, 0))
    previous = st.session_state.get(shown)
    selected = _table_pick(f"{prefix}_{generation}", previous or ())
    if selected is not None and (previous != rows or selected != chosen):
        generation += 1
        st.session_state[counter] = generation
    st.session_state[shown] = rows
    return f"{prefix}_{generation}"


def _table_pick(widget_key: str, rows: tuple[str, ...]) -> str | None:
    """The area code a selectable table's own selection holds (None when nothing is selected)."""
    event = st.session_state.get(widget_key) or {}
    picked = (event.get("selection") or {}).get("rows") or []
    return rows[picked[0]] if picked and picked[0] < len(rows) else None


def division_from_table(widget_key: str, codes: tuple[str, ...], options: FilterOptions) -> None:
    """on_select callback of the ranked table: the selected row's division becomes the chosen division."""
    code = _table_pick(widget_key, codes)
    if code:
        choose_division(code, options)


def show_in_picker(widget_key: str, code: str | None) -> None:
    """Make a division picker show the chosen division (call before the picker is drawn)."""
    if widget_key not in st.session_state or st.session_state[widget_key] != code:
        st.session_state[widget_key] = code


def division_from_picker(widget_key: str, options: FilterOptions) -> None:
    """on_change callback of a division picker (profile, priority map): the picked division is chosen."""
    code = st.session_state.get(widget_key)
    if code:
        choose_division(str(code), options)
    else:
        clear_division()


# ---- division profile ----
# The division shown is the shared `division`. Hand-written: ?vs=E58000401,E58000402 (the divisions compared
# with, when not the default "most similar").
KEY_PROFILE_PICKER = "profile_division_picker"
KEY_PROFILE_COMPARE = "profile_compare"
KEY_PROFILE_COMPARE_FOR = "profile_compare_for"
KEY_PROFILE_TREND_THEME = "profile_trend_theme"
KEY_PROFILE_SPINE_TABLE = "profile_spine_table"
PROFILE_COMPARE_PARAM = "vs"
MAX_PROFILE_COMPARE = 3


def profile_compare(division: str, allowed: Mapping[str, str], default: tuple[str, ...]) -> tuple[str, ...]:
    """Divisions to compare with (at most 3): the widget's value, else the `vs` link parameter, else default.
    Call before the comparison widget is drawn."""
    allowed_codes = {c: n for c, n in allowed.items() if c != division}
    switched = st.session_state.get(KEY_PROFILE_COMPARE_FOR) not in (None, division)
    if switched:
        st.session_state.pop(KEY_PROFILE_COMPARE, None)  # another division: start from its own default
    st.session_state[KEY_PROFILE_COMPARE_FOR] = division
    if KEY_PROFILE_COMPARE in st.session_state:
        chosen = tuple(st.session_state[KEY_PROFILE_COMPARE])
    elif _raw(PROFILE_COMPARE_PARAM) and not switched:
        chosen = params.parse_many(_raw(PROFILE_COMPARE_PARAM), allowed_codes, label="division to compare with",
                                   most=MAX_PROFILE_COMPARE).value
    else:
        chosen = default
    chosen = tuple(c for c in dict.fromkeys(chosen) if c in allowed_codes)[:MAX_PROFILE_COMPARE]
    st.session_state[KEY_PROFILE_COMPARE] = list(chosen)
    return chosen


def profile_link_messages(allowed: Mapping[str, str]) -> tuple[str, ...]:
    """What the link's `vs` parameter asks for that cannot be compared."""
    return _page_messages("profile", [params.parse_many(_raw(PROFILE_COMPARE_PARAM), allowed,
                                                        label="division to compare with",
                                                        most=MAX_PROFILE_COMPARE).problem])


def write_profile_compare(codes: tuple[str, ...], default: tuple[str, ...]) -> None:
    """Keep a chosen comparison in the link (the default 'most similar' set needs no parameter)."""
    _set_or_clear(PROFILE_COMPARE_PARAM, "" if tuple(codes) == tuple(default) else ",".join(codes))


# ---- scenarios page ----
# Page parameters (all validated): scn_data ("open" | "illustrative"), scn_indicator, scn_area, scn_horizon,
# and `scenarios`, the compact scenario set of insight.scenarios (a malformed or crafted link is ignored with
# a message, never executed). Scenario widgets are keyed per version so that loading a link, a reset or an
# undo redraws them from the stored set.

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
_KEY_SCN_APPLIED = "_scn_applied"  # views.scenarios.AppliedScenarios of the baseline on screen
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
    return f"Ignored {label} {plain(raw, 30)} in the link: it is not available here, so the default is shown."


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


def applied_scenarios(baseline: pd.DataFrame) -> AppliedScenarios:
    """The scenarios already applied to this baseline in this session (a new, empty store for a new baseline)."""
    applied = st.session_state.get(_KEY_SCN_APPLIED)
    if not isinstance(applied, AppliedScenarios) or applied.baseline is not baseline:
        applied = AppliedScenarios(baseline)
        st.session_state[_KEY_SCN_APPLIED] = applied
    return applied


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


# ==== uploads (issue 11) ====================================================================================
# One insight.uploads.UploadShelf per session holds the loaded upload and the outcome of the last file checked;
# it lives in st.session_state only, so it goes when Streamlit drops the session. A file is read once: its
# bytes are then dropped from Streamlit's upload store and the uploader is redrawn empty (a new key), so a
# large or refused file is never held, or validated again, on later reruns. While an upload is loaded the URL
# carries `upload=1`; a session that opens such a link without holding one (a server restart, a closed
# session, a link from someone else) is told its upload must be loaded again.
KEY_UPLOAD_SHELF = "upload_shelf"
KEY_UPLOAD_VERSION = "upload_widget_version"
KEY_UPLOAD_LOST = "upload_lost"
UPLOAD_MARKER = "upload"


def upload_shelf() -> UploadShelf:
    """This session's uploads (created empty on first use)."""
    shelf = st.session_state.get(KEY_UPLOAD_SHELF)
    if not isinstance(shelf, UploadShelf):
        shelf = UploadShelf()
        st.session_state[KEY_UPLOAD_SHELF] = shelf
    return shelf


def upload_widget_key() -> str:
    """The key of the file uploader; it changes after each file is read, which redraws the uploader empty."""
    return f"upload_observations_{st.session_state.get(KEY_UPLOAD_VERSION, 0)}"


def check_upload(file: object, area_names: dict[str, str]) -> UploadOutcome:
    """Validate an uploaded file once (st.file_uploader's UploadedFile) against the loaded areas (code ->
    name), keep the outcome in the session, drop the file's bytes from Streamlit's upload store and make the
    next rerun draw an empty uploader."""
    file_id, name = str(getattr(file, "file_id", "")), str(getattr(file, "name", ""))
    outcome = upload_shelf().check(file_id, name, file, set(area_names), area_names=area_names)  # type: ignore[arg-type]
    if isinstance(outcome, LoadedUpload):
        st.session_state[KEY_UPLOAD_LOST] = False
        st.session_state.pop(KEY_YOUR_DATA, None)  # a new file: its indicators are described and protected anew
        st.session_state.pop(_KEY_UPLOAD_DERIVED, None)
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "uploaded_file_mgr", None)
    if ctx is not None and manager is not None and hasattr(manager, "remove_file"):
        manager.remove_file(session_id=ctx.session_id, file_id=file_id)
    st.session_state[KEY_UPLOAD_VERSION] = int(st.session_state.get(KEY_UPLOAD_VERSION, 0)) + 1
    return outcome


def sync_upload_marker() -> bool:
    """Keep `upload=1` in the URL while this session holds an upload; True when the link (or an earlier run
    of this session) implies an upload that this session does not hold."""
    loaded = upload_shelf().loaded is not None
    if loaded:
        if st.query_params.get(UPLOAD_MARKER) != "1":
            st.query_params[UPLOAD_MARKER] = "1"
        return False
    if UPLOAD_MARKER in st.query_params:
        del st.query_params[UPLOAD_MARKER]
        st.session_state[KEY_UPLOAD_LOST] = True
    return bool(st.session_state.get(KEY_UPLOAD_LOST, False))


# ---- your data (issue 15): the loaded upload's indicators on every page, for this session ----
# Once the person has said how the upload's indicators are described and whether the disclosure rule applies
# (the form on Data & methods), the insight.your_data.YourData built from it is kept here, beside the upload it
# came from; pages pass it to components.data. A newer file, or none, drops it.
KEY_YOUR_DATA = "your_data"
_KEY_UPLOAD_DERIVED = "_upload_derived"
_KEY_YOUR_MESSAGES = "_your_messages"
KEY_YOUR_FORM_PREFIX = "yours"


def your_data() -> YourData | None:
    """The session's uploaded indicators, when the loaded upload has been described (None otherwise)."""
    yours = st.session_state.get(KEY_YOUR_DATA)
    loaded = upload_shelf().loaded
    if not isinstance(yours, YourData) or loaded is None or (yours.file_name, yours.uploaded_at) != (
            loaded.file_name, loaded.uploaded_at):
        return None
    return yours


def keep_your_data(yours: YourData, messages: tuple[str, ...] = ()) -> None:
    """Hold the session's uploaded indicators (replacing earlier choices about the same upload), with what to
    say about the choices once, on the next run."""
    st.session_state[KEY_YOUR_DATA] = yours
    st.session_state[_KEY_YOUR_MESSAGES] = tuple(messages)


def your_data_messages() -> tuple[str, ...]:
    """What was said about the last choices made on the form (given once)."""
    return tuple(st.session_state.pop(_KEY_YOUR_MESSAGES, ()))


def upload_derived(name: str, make: Any) -> Any:
    """Something computed once from the loaded upload (its indicators' shapes), kept with it in the session."""
    loaded = upload_shelf().loaded
    store = st.session_state.setdefault(_KEY_UPLOAD_DERIVED, {})
    key = (name, None if loaded is None else (loaded.file_name, loaded.uploaded_at))
    if key not in store:
        if len(store) > 8:
            store.clear()
        store[key] = make()
    return store[key]


def your_form_key(upload_id: str, name: str) -> str:
    """The key of one field of the form about an uploaded indicator (new for each uploaded file)."""
    return f"{KEY_YOUR_FORM_PREFIX}.{st.session_state.get(KEY_UPLOAD_VERSION, 0)}.{upload_id}.{name}"


def dismiss_lost_upload() -> None:
    """Button callback: stop telling the user that an earlier upload is gone."""
    st.session_state[KEY_UPLOAD_LOST] = False


# ---- serving behind a load balancer ----
KEY_REPLICA_NOTICE = "_replica_notice_shown"


def replica_move_notice() -> str | None:
    """Once per session: why the page reconnected, when HAProxy moved it here from a replica that went away."""
    if st.session_state.get(KEY_REPLICA_NOTICE):
        return None
    st.session_state[KEY_REPLICA_NOTICE] = True
    return notice(st.context.cookies.get(REPLICA_COOKIE), os.environ.get(REPLICA_NAME_ENV))


def on_a_phone() -> bool:
    """True when this session's browser says it is a phone's (views.devices.phone_browser): maps are fitted to
    a phone's width."""
    return phone_browser(st.context.headers.get("User-Agent"))


# ---- signing in keeps the view (insight.return_view) ----
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's XSRF cookie: absent when server.enableXsrfProtection is off
KEY_RETURN_CHECKED = "_sign_in_return_checked"
KEY_OPENED_LINK = "_opened_link"  # the view (return_view.View) the session's first run opened on
KEY_DROPPED_FROM_LINK = "_dropped_from_link"  # what of it the first run dropped (return_view.dropped_from_link)


def _browser_key() -> str | None:
    raw = st.context.cookies.get(XSRF_COOKIE)
    token = decode_xsrf_token_string(raw)[0] if raw else None
    return browser_key(token) if token else None


def _current_view(page_url_path: str) -> View:
    return view_of(page_url_path, {k: st.query_params.get_all(k) for k in st.query_params})


def remember_what_the_link_dropped(url_path: str) -> None:
    """The session's first run notes the link it opened on; the next run notes what of it the first run dropped
    (a restricted indicator refused while signed out), so that signing in asks for it again. Later runs: nothing."""
    if KEY_DROPPED_FROM_LINK in st.session_state:
        return
    opened = st.session_state.pop(KEY_OPENED_LINK, None)  # needed only until what it lost is known
    if opened is None:
        st.session_state[KEY_OPENED_LINK] = _current_view(url_path)
    else:
        st.session_state[KEY_DROPPED_FROM_LINK] = dropped_from_link(opened, _current_view(url_path))


def sign_in_keeping_view(page_url_path: str, pending: PendingReturns) -> None:
    """Keep this browser's page and link in ``pending`` (with what the opening link asked for and was refused),
    then start the sign-in (st.login)."""
    key = _browser_key()
    if key is not None:
        view = _current_view(page_url_path)
        dropped = st.session_state.get(KEY_DROPPED_FROM_LINK)
        pending.keep(key, with_dropped(view, dropped) if isinstance(dropped, View) else view)
    st.login()


def return_to_view_after_sign_in(pages: Iterable[Any], url_path: str, signed_in: bool,
                                 pending: PendingReturns) -> None:
    """On a session's first run, signed in and on the first page with no link (where st.login comes back to):
    open the view this browser signed in from, as a link is opened. Does nothing on any later run."""
    if st.session_state.get(KEY_RETURN_CHECKED):
        return
    st.session_state[KEY_RETURN_CHECKED] = True
    if not signed_in or url_path != "" or len(st.query_params) > 0:
        return
    key = _browser_key()
    view = pending.take(key) if key is not None else None
    if view is None or (view.page == "" and not view.params):
        return
    page = next((p for p in pages if p.url_path == view.page), None)
    if page is not None:  # a page this app has (the kept path is never used as a file name)
        st.switch_page(page, query_params=view.as_query())


# ---- committee mode ----
# Hand-written: ?mode=present (committee mode), ?slide=3 (1-based), ?agenda=<link form of insight.agenda>.
MODE_PARAM = "mode"
PRESENT = "present"
SLIDE_PARAM = "slide"
AGENDA_PARAM = "agenda"
_KEY_AGENDA = "committee_agenda"  # the agenda being presented or edited (insight.agenda.Agenda)
_KEY_AGENDA_LINK = "_committee_agenda_link"  # the link value it was read from (read once per value)
_KEY_AGENDA_MESSAGE = "_committee_agenda_message"
KEY_AGENDA_TITLE = "committee_agenda_title"
KEY_AGENDA_DATE = "committee_agenda_date"
KEY_SHOW_NOTES = "committee_show_notes"


def present_mode() -> bool:
    """True when the link asks for committee mode (?mode=present)."""
    return (_param(MODE_PARAM) or "").strip().lower() == PRESENT


def start_presenting(slide: int = 1) -> None:
    """Callback: switch to committee mode at a slide (the sidebar and Streamlit's chrome go away)."""
    st.query_params[MODE_PARAM] = PRESENT
    st.query_params[SLIDE_PARAM] = str(slide)


def stop_presenting() -> None:
    """Callback: back to the dashboard (the page and filters are as they were)."""
    for name in (MODE_PARAM, SLIDE_PARAM):
        if name in st.query_params:
            del st.query_params[name]


def slide_number(count: int) -> tuple[int, str | None]:
    """The slide shown (1..count) and a message when the link's slide number was not one of them."""
    parsed = params.parse_whole(_param(SLIDE_PARAM), low=1, high=max(count, 1), default=1, label="slide")
    return parsed.value, parsed.problem


def step_slide(delta: int, count: int) -> None:
    """Callback of the previous/next buttons and their keyboard shortcuts."""
    current, _ = slide_number(count)
    st.query_params[SLIDE_PARAM] = str(min(max(current + delta, 1), max(count, 1)))


def go_to_slide(number: int) -> None:
    """Callback: show slide ``number`` (1-based)."""
    st.query_params[SLIDE_PARAM] = str(max(int(number), 1))


def agenda() -> Agenda | None:
    """The agenda of this session: read once from the link's ?agenda= value when it changes, else the one loaded
    or built here. A malformed link leaves the previous agenda and a message (see agenda_message)."""
    raw = _param(AGENDA_PARAM)
    if raw and st.session_state.get(_KEY_AGENDA_LINK) != raw:
        st.session_state[_KEY_AGENDA_LINK] = raw
        try:
            st.session_state[_KEY_AGENDA] = agenda_from_link(raw)
        except AgendaError as error:
            st.session_state[_KEY_AGENDA_MESSAGE] = ("The agenda in this link could not be read, so it was not "
                                                     f"opened: {error}")
    return st.session_state.get(_KEY_AGENDA)


def set_agenda(value: Agenda | None) -> None:
    """Keep an agenda for this session (None drops it) and put its link form in the address bar."""
    st.session_state[_KEY_AGENDA] = value
    if value is None:
        st.session_state.pop(_KEY_AGENDA_LINK, None)
        if AGENDA_PARAM in st.query_params:
            del st.query_params[AGENDA_PARAM]
        return
    link = agenda_to_link(value)
    st.session_state[_KEY_AGENDA_LINK] = link
    st.query_params[AGENDA_PARAM] = link


def agenda_message() -> str | None:
    """The message about a refused agenda link or file, given once."""
    return st.session_state.pop(_KEY_AGENDA_MESSAGE, None)


def say_about_agenda(message: str) -> None:
    """Keep a message about an agenda file for the next run (from a callback)."""
    st.session_state[_KEY_AGENDA_MESSAGE] = message


def current_view_params() -> dict[str, list[str]]:
    """Every parameter of the link as it stands (for saving the view on screen into an agenda)."""
    return {key: st.query_params.get_all(key) for key in st.query_params if key not in (MODE_PARAM, SLIDE_PARAM,
                                                                                        AGENDA_PARAM)}


# ---- signals, targets and the first-visit guide (issue 17) ----
# A "Needs attention" item opens Trends on its series: the indicator and place are bound widgets, so they are
# asked for with a request, as are the control-chart toggle (bound: ?spc=true) and the horizon. Targets an
# officer sets live in the session (none by default); they are saved and loaded as a small JSON file.
TRENDS_PAGE = "pages/trends.py"
GLOSSARY_PAGE = "pages/glossary.py"
KEY_TR_SPC = "spc"
KEY_TG_VALUE, KEY_TG_DIRECTION, KEY_TG_LABEL = "tg_value", "tg_direction", "tg_label"
KEY_TG_SET_BY, KEY_TG_AREA, KEY_TG_FILE = "tg_set_by", "tg_area", "tg_file"
_KEY_TARGETS = "_targets"
_KEY_TARGETS_MESSAGE = "_targets_message"
KEY_TARGETS_OPEN = "tg_open"  # whether the targets panel is open (its form is drawn only then)
_KEY_GUIDE_HIDDEN = "_first_visit_hidden"


def follow_chart_link(link: ChartLink) -> None:
    """Open Trends on a signal's series: its indicator and place chosen, the control chart on for an SPC signal,
    the projection to the horizon a target crossing needs. (A page run on its own keeps the request.)"""
    wanted: dict[str, Any] = {THEME: link.theme, INDICATOR: link.indicator_id, DISTRICT: list(link.districts),
                              DIVISION: list(link.divisions)}
    page_params: dict[str, str] = {}  # the Trends page's own: in the link too (a widget not drawn on this page
    if link.spc:                       # is written to the URL only from a link)
        wanted[KEY_TR_SPC], page_params[KEY_TR_SPC] = True, "true"
    if link.horizon:
        key = tr_horizon_key(link.frequency)
        wanted[key], page_params[key] = int(link.horizon), str(link.horizon)
    request(wanted)
    for query in (page_params, {}):  # never None: switch_page would then try to clear the bound parameters
        with suppress(StreamlitAPIException):
            st.switch_page(TRENDS_PAGE, query_params=query)


def targets() -> tuple[Target, ...]:
    """The targets set this session (none by default)."""
    return tuple(st.session_state.get(_KEY_TARGETS, ()))


def _set_targets(chosen: tuple[Target, ...], message: tuple[str, str] | None = None) -> None:
    st.session_state[_KEY_TARGETS] = tuple(chosen)
    if message:
        st.session_state[_KEY_TARGETS_MESSAGE] = message


def seed_targets_panel(open_now: bool) -> None:
    """Before the targets panel is drawn: open as the officer left it, or open when ``open_now`` (the outcome of
    an action is shown). Its state is written back because a new label (another indicator's count of targets)
    makes a new widget, which would otherwise start closed."""
    st.session_state[KEY_TARGETS_OPEN] = open_now or bool(st.session_state.get(KEY_TARGETS_OPEN, False))


def targets_message() -> tuple[str, str] | None:
    """('success' | 'error', Markdown text) about the last change to the targets, said once."""
    return st.session_state.pop(_KEY_TARGETS_MESSAGE, None)


def add_target_from_form(indicator_id: str, indicators: pd.DataFrame, areas: pd.DataFrame) -> None:
    """on_click of the targets form: check the typed target and add it (replacing one for the same indicator,
    area and direction)."""
    record = target_record(indicator_id, str(st.session_state.get(KEY_TG_AREA) or ALL_AREAS),
                           st.session_state.get(KEY_TG_VALUE), str(st.session_state.get(KEY_TG_DIRECTION) or ""),
                           str(st.session_state.get(KEY_TG_LABEL) or ""), str(st.session_state.get(KEY_TG_SET_BY) or ""))
    try:
        (new,) = validate_targets([record], indicators=indicators, areas=areas, file="the form")
    except DataValidationError as error:
        st.session_state[_KEY_TARGETS_MESSAGE] = ("error", "The target was not added:\n\n" + problem_lines(error))
        return
    _set_targets(with_target(targets(), new), ("success", f"Target added: {plain(new.label)}."))


def remove_target(target: Target) -> None:
    """on_click of a target's remove button."""
    _set_targets(without_target(targets(), target), ("success", f"Target removed: {plain(target.label)}."))


def load_targets_file(indicators: pd.DataFrame, areas: pd.DataFrame) -> None:
    """on_change of the targets file uploader: a valid file replaces the session's targets; a bad one is
    explained and changes nothing."""
    upload = st.session_state.get(KEY_TG_FILE)
    if upload is None:
        return
    try:
        loaded = targets_from_json(upload.getvalue(), indicators=indicators, areas=areas, file=upload.name)
    except DataValidationError as error:
        st.session_state[_KEY_TARGETS_MESSAGE] = (
            "error", f"{plain(upload.name)} was not loaded; the targets set before are kept.\n\n"
                     + problem_lines(error))
        return
    _set_targets(loaded, ("success", f"Loaded {len(loaded)} target{'s' if len(loaded) != 1 else ''} from "
                                     f"{plain(upload.name)}; they replace the targets set before."))


def first_visit_open() -> bool:
    """True until the first-visit guide is hidden this session."""
    return not st.session_state.get(_KEY_GUIDE_HIDDEN, False)


def hide_first_visit() -> None:
    """Hide the first-visit guide (it can be opened again from the sidebar or the glossary)."""
    st.session_state[_KEY_GUIDE_HIDDEN] = True


def show_first_visit() -> None:
    """Show the first-visit guide again."""
    st.session_state[_KEY_GUIDE_HIDDEN] = False


def once_per_session(key: str, basis: object, make: Callable[[], T]) -> T:
    """``make()``, made once per session and made again only when ``basis`` changes (for objects that are costly
    to make on every rerun and are the session's own, such as the navigation's pages)."""
    made = st.session_state.get(key)
    if made is None or made[0] != basis:
        made = (basis, make())
        st.session_state[key] = made
    return made[1]
