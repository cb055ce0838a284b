"""Agendas of saved views for a committee meeting: typed model, strict validation, a small JSON file and a link.

An agenda is a title, a meeting date, the data version it was made with (``insight.data_version``) and an
ordered list of views. A view is a page of the app with its parameters — codes and ids, never labels — a title
and a speaker note, and (in the file form) the figures the view showed when the agenda was made
(``insight.snapshot`` computes them; ``insight.changes`` compares them with newer data).

Two forms, both validated the same way before anything is used:

* **File** (``agenda_to_json`` / ``agenda_from_json``): ``{"format": "insight-agenda", "version": 1, ...}``,
  figures included.
* **Link** (``agenda_to_link`` / ``agenda_from_link``): the same JSON without the figures (each view keeps a
  12-character digest of them, so newer data can still say *which* views changed), compressed (zlib) and
  base64url-encoded into the one ``agenda=`` parameter, at most ``MAX_LINK_LENGTH`` characters.

Titles and notes are plain text: they are stored exactly as typed (line breaks allowed in notes only) and are
never interpreted — every renderer escapes them. Control and format characters (bidi overrides, zero-width
marks) are refused, so a title cannot be made to read differently from what it holds. Structure is checked
first (``agenda_from_dict``: known keys, types, lengths, ranges); codes are then checked against the loaded
data (``check_agenda``), which lists every unknown code at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from insight.data_version import DataVersion
from insight.errors import DataValidationError, InsightError, ScenarioError
from insight.scenarios import MAX_QUERY_LENGTH as MAX_SCENARIOS_LENGTH
from insight.scenarios import scenarios_from_query
from insight.targets import ALL_AREAS, Target, target_to_dict, validate_targets
from insight.text import plain

FORMAT = "insight-agenda"
SCHEMA_VERSION = 1
LINK_PARAM = "agenda"

MAX_VIEWS = 20
MAX_TITLE_LENGTH = 120
MAX_NOTE_LENGTH = 1500
MAX_FILE_LENGTH = 400_000  # characters of a JSON file (figures included)
MAX_LINK_LENGTH = 8000  # characters of the encoded link value
MAX_FIGURES = 80  # per view
MAX_FIGURE_TEXT = 160
MAX_PERIOD_LENGTH = 40
MAX_WEIGHTS = 30
MAX_WEIGHT = 10
MAX_COMPARE_DIVISIONS = 3
MAX_AREAS = 12  # districts or divisions named by one view
TREND_HORIZONS = range(1, 25)  # annual years or monthly months; the data check narrows it by frequency
SCENARIO_HORIZONS = range(1, 37)
MAX_TOP = 500
MAX_VIEW_TARGETS = 10  # target lines a trends view carries
FIRST_YEAR, LAST_YEAR = 2000, 2100
DIGEST_LENGTH = 12

_CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_KEY_RE = re.compile(r"^[a-z_]{1,20}(:[A-Za-z0-9_.-]{1,64}){0,4}$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_HEX_RE = re.compile(r"^[0-9a-f]+$")
_LINK_RE = re.compile(r"^[A-Za-z0-9_-]+$")


class AgendaError(InsightError):
    """An agenda (file, link or definition) is malformed or names something the data does not have.

    ``problems`` lists every problem found (the message joins them)."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__(" ".join(self.problems))


class Page(StrEnum):
    """The pages a view can show."""

    OVERVIEW = "overview"
    TRENDS = "trends"
    PRIORITY_MAP = "priority_map"
    DIVISION_PROFILE = "division_profile"
    SCENARIOS = "scenarios"


PAGE_LABELS: dict[Page, str] = {Page.OVERVIEW: "Overview", Page.TRENDS: "Trends & projections",
                                Page.PRIORITY_MAP: "Priority map", Page.DIVISION_PROFILE: "Division profile",
                                Page.SCENARIOS: "Scenarios"}
COMPARATOR_KINDS = ("county", "region", "england")
NORMALISATIONS = ("zscore", "rank", "minmax")
SCORE_MEASURE = "score"
SCENARIO_DATA = ("open", "illustrative")

SHARED_KEYS = ("district", "division", "theme", "indicator")
PAGE_KEYS: dict[Page, tuple[str, ...]] = {
    Page.OVERVIEW: SHARED_KEYS,
    Page.TRENDS: (*SHARED_KEYS, "horizon", "compare", "table", "targets"),
    Page.PRIORITY_MAP: (*SHARED_KEYS, "weights", "norm", "top", "measure"),
    Page.DIVISION_PROFILE: (*SHARED_KEYS, "vs"),
    Page.SCENARIOS: (*SHARED_KEYS, "scn_data", "scn_indicator", "scn_area", "scn_horizon", "scenarios"),
}


@dataclass(frozen=True)
class ViewParams:
    """A view's parameters, as codes and ids (URL names in comments). Unset values use the page's defaults."""

    districts: tuple[str, ...] = ()  # district
    divisions: tuple[str, ...] = ()  # division (the priority map's and the profile's chosen division)
    theme: str | None = None
    indicator: str | None = None
    horizon: int | None = None  # trends: years (annual) or months (monthly)
    compare: tuple[str, ...] | None = None  # trends: comparator kinds shown (None: the page's default, all)
    table: bool = False  # trends: table view
    targets: tuple[Target, ...] = ()  # trends: the target lines drawn (set on the Trends page, for its indicator)
    weights: tuple[tuple[str, int], ...] = ()  # priority map: (indicator id, weight 0-10), in order
    norm: str | None = None  # priority map: zscore | rank | minmax
    top: int | None = None  # priority map: divisions highlighted
    measure: str | None = None  # priority map: what colours the chosen division's LSOAs ("score" or an id)
    vs: tuple[str, ...] = ()  # profile: divisions compared with
    scn_data: str | None = None  # scenarios: open | illustrative
    scn_indicator: str | None = None
    scn_area: str | None = None
    scn_horizon: int | None = None
    scenarios: str = ""  # scenarios: the compact scenario set (insight.scenarios)

    @property
    def division(self) -> str | None:
        """The chosen division (the first named)."""
        return self.divisions[0] if self.divisions else None

    @property
    def place(self) -> str | None:
        """The first division, else the first district, else None (the whole council) — as the app reads it."""
        return self.division or (self.districts[0] if self.districts else None)


@dataclass(frozen=True)
class Figure:
    """One figure a view showed: a stable key (e.g. ``value:claimant_count:E07000076``), the period it is for,
    its number (None for a word such as a rating) and the text shown."""

    key: str
    period: str = ""
    value: float | None = None
    text: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.value, int | float) and not isinstance(self.value, bool):
            # 12 significant digits: what a file keeps, so a figure equals itself after a round trip
            object.__setattr__(self, "value", float(f"{float(self.value):.12g}"))


@dataclass(frozen=True)
class View:
    """One saved view: a page, its parameters, a title and a speaker note, and the figures it showed.

    ``digest`` fingerprints the figures (``figures_digest``); a view read from a link has no figures, only it.
    """

    page: Page
    title: str
    params: ViewParams = field(default_factory=ViewParams)
    note: str = ""
    figures: tuple[Figure, ...] = ()
    digest: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "figures", tuple(self.figures))
        if self.figures:
            object.__setattr__(self, "digest", figures_digest(self.figures))

    def with_figures(self, figures: Sequence[Figure]) -> View:
        """The same view holding ``figures`` (its digest follows them)."""
        return replace(self, figures=tuple(figures))


@dataclass(frozen=True)
class Agenda:
    """An ordered list of views for one meeting, made with one data version."""

    title: str
    meeting: date
    version: DataVersion
    views: tuple[View, ...]

    def __post_init__(self) -> None:
        validate_agenda(self)


# ---- validation of text and values ---------------------------------------------------------------

def _text(value: object, where: str, limit: int, *, lines: bool = False, required: bool = True) -> str:
    if not isinstance(value, str):
        raise AgendaError(f"{where} must be text, not {type(value).__name__}.")
    text = value.replace("\r\n", "\n") if lines else value
    if required and not text.strip():
        raise AgendaError(f"{where} is empty: give it a few words.")
    if len(text) > limit:
        raise AgendaError(f"{where} is too long ({len(text):,} characters; at most {limit:,}).")
    for ch in text:
        if ch == "\n" and lines:
            continue
        if unicodedata.category(ch)[0] == "C":
            kind = "line breaks" if ch in "\n\r" else f"control or format characters (U+{ord(ch):04X})"
            raise AgendaError(f"{where} cannot contain {kind}.")
    return text


def _code(value: object, where: str) -> str:
    if not isinstance(value, str) or not _CODE_RE.match(value):
        raise AgendaError(f"{where} must be a code or id of letters, digits and underscores "
                          f"(found {plain(value, 40)}).")
    return value


def _codes(value: object, where: str, most: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise AgendaError(f"{where} must be a list of codes.")
    if len(value) > most:
        raise AgendaError(f"{where} names {len(value)} areas or ids; at most {most}.")
    codes = tuple(_code(v, where) for v in value)
    if len(set(codes)) != len(codes):
        raise AgendaError(f"{where} names the same code twice.")
    return codes


def _whole(value: object, where: str, allowed: range) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AgendaError(f"{where} must be a whole number (found {plain(value, 20)}).")
    if value not in allowed:
        raise AgendaError(f"{where} must be from {allowed.start} to {allowed.stop - 1} (found {value}).")
    return value


def _choice(value: object, where: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise AgendaError(f"{where} must be one of {', '.join(choices)} (found {plain(value, 30)}).")
    return value


def _check_keys(data: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise AgendaError(f"{where}: unknown setting {plain(unknown[0], 30)} (allowed: {', '.join(allowed)}).")


def _date(value: object, where: str) -> date:
    match = _DATE_RE.match(value) if isinstance(value, str) else None
    if match is None:
        raise AgendaError(f"{where} must be a date written YYYY-MM-DD (e.g. 2026-12-03).")
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise AgendaError(f"{where}: {value} is not a calendar date.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise AgendaError(f"{where} must fall between {FIRST_YEAR} and {LAST_YEAR}.")
    return day


def _finite(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AgendaError(f"{where} must be a number or null.")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise AgendaError(f"{where} must be a finite number.")
    return number


# ---- params ----------------------------------------------------------------------------------------

def params_from_dict(page: Page, data: object, where: str) -> ViewParams:
    """A view's parameters from the JSON object, refusing keys the page does not take and wrong types."""
    if not isinstance(data, dict):
        raise AgendaError(f"{where}: 'params' must be a JSON object.")
    _check_keys(data, PAGE_KEYS[page], f"{where} ({PAGE_LABELS[page]})")
    out: dict[str, Any] = {}
    if "district" in data:
        out["districts"] = _codes(data["district"], f"{where}: district", MAX_AREAS)
    if "division" in data:
        out["divisions"] = _codes(data["division"], f"{where}: division", MAX_AREAS)
    for key in ("theme", "indicator", "scn_indicator", "scn_area"):
        if data.get(key) is not None:
            out[key] = _code(data[key], f"{where}: {key}")
    if data.get("horizon") is not None:
        out["horizon"] = _whole(data["horizon"], f"{where}: horizon", TREND_HORIZONS)
    if data.get("compare") is not None:
        kinds = data["compare"]
        if not isinstance(kinds, list) or len(kinds) > len(COMPARATOR_KINDS):
            raise AgendaError(f"{where}: compare must be a list of {', '.join(COMPARATOR_KINDS)}.")
        chosen = tuple(_choice(k, f"{where}: compare", COMPARATOR_KINDS) for k in kinds)
        if len(set(chosen)) != len(chosen):
            raise AgendaError(f"{where}: compare names a comparator twice.")
        out["compare"] = chosen
    if "table" in data:
        if not isinstance(data["table"], bool):
            raise AgendaError(f"{where}: table must be true or false.")
        out["table"] = data["table"]
    if "targets" in data:
        out["targets"] = _targets(data["targets"], out.get("indicator"), f"{where}: targets")
    if "weights" in data:
        out["weights"] = _weights(data["weights"], f"{where}: weights")
    if data.get("norm") is not None:
        out["norm"] = _choice(data["norm"], f"{where}: norm", NORMALISATIONS)
    if data.get("top") is not None:
        out["top"] = _whole(data["top"], f"{where}: top", range(1, MAX_TOP + 1))
    if data.get("measure") is not None:
        out["measure"] = _code(data["measure"], f"{where}: measure")
    if "vs" in data:
        out["vs"] = _codes(data["vs"], f"{where}: vs", MAX_COMPARE_DIVISIONS)
    if data.get("scn_data") is not None:
        out["scn_data"] = _choice(data["scn_data"], f"{where}: scn_data", SCENARIO_DATA)
    if data.get("scn_horizon") is not None:
        out["scn_horizon"] = _whole(data["scn_horizon"], f"{where}: scn_horizon", SCENARIO_HORIZONS)
    if data.get("scenarios"):
        text = _text(data["scenarios"], f"{where}: scenarios", MAX_SCENARIOS_LENGTH)
        try:
            scenarios_from_query(text)
        except ScenarioError as error:
            raise AgendaError(f"{where}: the scenarios cannot be read: {error}") from None
        out["scenarios"] = text
    return ViewParams(**out)


def _targets(value: object, indicator_id: str | None, where: str) -> tuple[Target, ...]:
    """A trends view's target lines: as in a targets file (insight.targets), each for the view's indicator."""
    if not isinstance(value, list) or not value:
        raise AgendaError(f"{where} must be a non-empty list of targets.")
    if len(value) > MAX_VIEW_TARGETS:
        raise AgendaError(f"{where} has {len(value)} targets; a view carries at most {MAX_VIEW_TARGETS}.")
    try:
        targets = validate_targets(value, file=where)
    except DataValidationError as error:
        raise AgendaError(f"{where} cannot be read: " + "; ".join(str(p) for p in error.problems)) from None
    if indicator_id is None or any(t.indicator_id != indicator_id for t in targets):
        raise AgendaError(f"{where} must all be for the view's indicator (and the view must name it).")
    return targets


def _weights(value: object, where: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, list) or not value:
        raise AgendaError(f"{where} must be a non-empty list of [indicator id, weight] pairs.")
    if len(value) > MAX_WEIGHTS:
        raise AgendaError(f"{where} has {len(value)} measures; at most {MAX_WEIGHTS}.")
    pairs = []
    for item in value:
        if not isinstance(item, list) or len(item) != 2:
            raise AgendaError(f"{where} must hold [indicator id, weight] pairs.")
        pairs.append((_code(item[0], where), _whole(item[1], f"{where} for {item[0]}", range(0, MAX_WEIGHT + 1))))
    ids = [i for i, _ in pairs]
    if len(set(ids)) != len(ids):
        raise AgendaError(f"{where} gives one measure twice.")
    if not any(w > 0 for _, w in pairs):
        raise AgendaError(f"{where} are all zero: give at least one measure a weight above 0.")
    return tuple(pairs)


def _set_params(params: ViewParams) -> dict[str, Any]:
    """Every parameter that is set, under its JSON (URL) name."""
    full: dict[str, Any] = {
        "district": list(params.districts) or None, "division": list(params.divisions) or None,
        "theme": params.theme, "indicator": params.indicator, "horizon": params.horizon,
        "compare": None if params.compare is None else list(params.compare), "table": params.table or None,
        "targets": [target_to_dict(t) for t in params.targets] or None,
        "weights": [[i, w] for i, w in params.weights] or None, "norm": params.norm, "top": params.top,
        "measure": params.measure, "vs": list(params.vs) or None, "scn_data": params.scn_data,
        "scn_indicator": params.scn_indicator, "scn_area": params.scn_area, "scn_horizon": params.scn_horizon,
        "scenarios": params.scenarios or None,
    }
    return {k: v for k, v in full.items() if v is not None}


def params_to_dict(page: Page, params: ViewParams) -> dict[str, Any]:
    """The JSON object of a view's parameters: the keys the page takes that are set."""
    return {k: v for k, v in _set_params(params).items() if k in PAGE_KEYS[page]}


# ---- figures -------------------------------------------------------------------------------------

def figures_digest(figures: Sequence[Figure]) -> str:
    """A 12-character fingerprint of a view's figures (the same figures always give the same digest)."""
    canonical = json.dumps([_figure_to_dict(f) for f in figures], sort_keys=True, ensure_ascii=True,
                           allow_nan=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:DIGEST_LENGTH]


def _figure_to_dict(figure: Figure) -> dict[str, Any]:
    return {"key": figure.key, "period": figure.period, "value": figure.value, "text": figure.text}


def figure_from_dict(data: object, where: str) -> Figure:
    """A figure from its JSON object (key, period, value, text), strictly."""
    if not isinstance(data, dict):
        raise AgendaError(f"{where} must be a JSON object.")
    _check_keys(data, ("key", "period", "value", "text"), where)
    key = data.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise AgendaError(f"{where}: key {plain(key, 40)} is not a figure key.")
    period = _text(data.get("period", ""), f"{where}: period", MAX_PERIOD_LENGTH, required=False)
    text = _text(data.get("text", ""), f"{where}: text", MAX_FIGURE_TEXT, required=False)
    return Figure(key, period, _finite(data.get("value"), f"{where}: value"), text)


def validate_figure(figure: Figure, where: str) -> None:
    """Refuse a figure built in code that a file could not hold."""
    figure_from_dict(_figure_to_dict(figure), where)


# ---- views and agendas --------------------------------------------------------------------------

def view_to_dict(view: View, *, figures: bool = True) -> dict[str, Any]:
    """A view's JSON object: with its figures (file) or only their digest (link)."""
    out: dict[str, Any] = {"page": str(view.page), "title": view.title}
    if view.note:
        out["note"] = view.note
    out["params"] = params_to_dict(view.page, view.params)
    if figures and view.figures:
        out["figures"] = [_figure_to_dict(f) for f in view.figures]
    elif view.digest:
        out["digest"] = view.digest
    return out


def view_from_dict(data: object, where: str) -> View:
    """A view from its JSON object, strictly."""
    if not isinstance(data, dict):
        raise AgendaError(f"{where} must be a JSON object.")
    _check_keys(data, ("page", "title", "note", "params", "figures", "digest"), where)
    page_text = data.get("page")
    if not isinstance(page_text, str) or page_text not in {p.value for p in Page}:
        raise AgendaError(f"{where}: unknown page {plain(page_text, 30)} (pages: {', '.join(p.value for p in Page)}).")
    page = Page(page_text)
    title = _text(data.get("title"), f"{where}: title", MAX_TITLE_LENGTH)
    note = _text(data.get("note", ""), f"{where}: speaker note", MAX_NOTE_LENGTH, lines=True, required=False)
    params = params_from_dict(page, data.get("params", {}), where)
    raw_figures = data.get("figures", [])
    if not isinstance(raw_figures, list):
        raise AgendaError(f"{where}: figures must be a list.")
    if len(raw_figures) > MAX_FIGURES:
        raise AgendaError(f"{where} holds {len(raw_figures)} figures; at most {MAX_FIGURES}.")
    figures = tuple(figure_from_dict(f, f"{where}, figure {i}") for i, f in enumerate(raw_figures, start=1))
    digest = data.get("digest", "")
    if digest and (not isinstance(digest, str) or len(digest) != DIGEST_LENGTH or not _HEX_RE.match(digest)):
        raise AgendaError(f"{where}: digest must be {DIGEST_LENGTH} hexadecimal characters.")
    if figures:
        computed = figures_digest(figures)
        if digest and digest != computed:
            raise AgendaError(f"{where}: the figures do not match their digest (the file was edited).")
        digest = computed
    return View(page, title, params, note, figures, str(digest))


def validate_agenda(agenda: Agenda) -> None:
    """Check an agenda built in code against the same rules a file is read with (AgendaError if not)."""
    _text(agenda.title, "The agenda's title", MAX_TITLE_LENGTH)
    if not isinstance(agenda.meeting, date) or not FIRST_YEAR <= agenda.meeting.year <= LAST_YEAR:
        raise AgendaError(f"The meeting date must be a date between {FIRST_YEAR} and {LAST_YEAR}.")
    if not isinstance(agenda.version, DataVersion):
        raise AgendaError("The agenda needs the data version it was made with.")
    if not agenda.views:
        raise AgendaError("An agenda needs at least one view.")
    if len(agenda.views) > MAX_VIEWS:
        raise AgendaError(f"An agenda can hold at most {MAX_VIEWS} views ({len(agenda.views)} were given).")
    for number, view in enumerate(agenda.views, start=1):
        if not isinstance(view, View):
            raise AgendaError(f"View {number} is not a View.")
        # a round trip through the file form checks every field as a file would be checked
        view_from_dict(json.loads(json.dumps(view_to_dict(view), allow_nan=False)), f"View {number}")
        unused = [k for k in _set_params(view.params) if k not in PAGE_KEYS[view.page]]
        if unused:
            raise AgendaError(f"View {number} ({PAGE_LABELS[view.page]}) sets {', '.join(unused)}, which that "
                              "page does not take.")


def agenda_to_dict(agenda: Agenda, *, figures: bool = True) -> dict[str, Any]:
    """The agenda's JSON object (versioned)."""
    return {"format": FORMAT, "version": SCHEMA_VERSION, "title": agenda.title,
            "meeting_date": agenda.meeting.isoformat(),
            "data_version": {"digest": agenda.version.digest, "built": agenda.version.built.isoformat()},
            "views": [view_to_dict(v, figures=figures) for v in agenda.views]}


def agenda_from_dict(data: object) -> Agenda:
    """An agenda from its JSON object, checking every key, type, length and range (not yet the codes:
    see ``check_agenda``)."""
    if not isinstance(data, dict):
        raise AgendaError("An agenda must be a JSON object with 'format', 'version', 'title', 'meeting_date', "
                          "'data_version' and 'views'.")
    _check_keys(data, ("format", "version", "title", "meeting_date", "data_version", "views"), "Agenda")
    if data.get("format") != FORMAT:
        raise AgendaError(f"This is not an agenda file (its 'format' is not '{FORMAT}').")
    if data.get("version") != SCHEMA_VERSION:
        raise AgendaError(f"Agenda version {plain(data.get('version'), 10)} is not supported "
                          f"(this dashboard reads version {SCHEMA_VERSION}).")
    title = _text(data.get("title"), "The agenda's title", MAX_TITLE_LENGTH)
    meeting = _date(data.get("meeting_date"), "The meeting date")
    raw_version = data.get("data_version")
    if not isinstance(raw_version, dict):
        raise AgendaError("The agenda's data_version must be an object with 'digest' and 'built'.")
    _check_keys(raw_version, ("digest", "built"), "data_version")
    try:
        version = DataVersion(str(raw_version.get("digest")), _date(raw_version.get("built"), "data_version built"))
    except ValueError as error:
        raise AgendaError(f"The agenda's data version: {error}") from None
    views = data.get("views")
    if not isinstance(views, list) or not views:
        raise AgendaError("The agenda's views must be a non-empty list.")
    if len(views) > MAX_VIEWS:
        raise AgendaError(f"An agenda can hold at most {MAX_VIEWS} views ({len(views)} were given).")
    return Agenda(title, meeting, version,
                  tuple(view_from_dict(v, f"View {i}") for i, v in enumerate(views, start=1)))


def _reject_constant(token: str) -> float:
    raise AgendaError(f"The agenda contains {token}: only finite numbers are allowed.")


def _loads(text: str, what: str) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise AgendaError(f"The {what} is not valid JSON (line {exc.lineno}, column {exc.colno}).") from None
    except RecursionError:
        raise AgendaError(f"The {what} is nested too deeply to be an agenda.") from None


# ---- file form --------------------------------------------------------------------------------

def agenda_to_json(agenda: Agenda) -> str:
    """The agenda file's text (UTF-8 JSON, figures included)."""
    return json.dumps(agenda_to_dict(agenda), ensure_ascii=False, allow_nan=False, indent=1)


def agenda_from_json(text: str | bytes) -> Agenda:
    """Read an agenda file (AgendaError with a specific message when it is not a valid agenda)."""
    if isinstance(text, bytes):
        if len(text) > 4 * MAX_FILE_LENGTH:
            raise AgendaError(f"The agenda file is too large (at most {MAX_FILE_LENGTH:,} characters).")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AgendaError("The agenda file is not UTF-8 text.") from None
    if not isinstance(text, str):
        raise AgendaError("The agenda file is not text.")
    if len(text) > MAX_FILE_LENGTH:
        raise AgendaError(f"The agenda file is too large ({len(text):,} characters; at most {MAX_FILE_LENGTH:,}).")
    return agenda_from_dict(_loads(text, "agenda file"))


# ---- link form -------------------------------------------------------------------------------------

def agenda_to_link(agenda: Agenda) -> str:
    """The value of the ``agenda=`` link parameter: compact JSON without figures, zlib, base64url (no padding).

    AgendaError when it would be longer than MAX_LINK_LENGTH (save the agenda as a file instead)."""
    payload = json.dumps(agenda_to_dict(agenda, figures=False), ensure_ascii=False, allow_nan=False,
                         separators=(",", ":")).encode("utf-8")
    value = base64.urlsafe_b64encode(zlib.compress(payload, 9)).decode("ascii").rstrip("=")
    if len(value) > MAX_LINK_LENGTH:
        raise AgendaError(f"This agenda is too long for a link ({len(value):,} characters; at most "
                          f"{MAX_LINK_LENGTH:,}): shorten its notes or save it as a file.")
    return value


def agenda_from_link(value: str) -> Agenda:
    """Read the ``agenda=`` link parameter (AgendaError with a specific message when it cannot be read)."""
    if not isinstance(value, str) or not value.strip():
        raise AgendaError("The agenda link is empty.")
    value = value.strip()
    if len(value) > MAX_LINK_LENGTH:
        raise AgendaError(f"The agenda link is too long ({len(value):,} characters; at most {MAX_LINK_LENGTH:,}).")
    if not _LINK_RE.match(value):
        raise AgendaError("The agenda link holds characters an agenda link never has: it may have been cut or "
                          "changed. Copy the whole link again.")
    try:
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        inflater = zlib.decompressobj()
        payload = inflater.decompress(packed, MAX_FILE_LENGTH + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise AgendaError("The agenda link cannot be read: it may have been cut or changed. Copy the whole "
                          "link again.") from None
    if len(payload) > MAX_FILE_LENGTH or inflater.unconsumed_tail:
        raise AgendaError("The agenda link unpacks to more than an agenda can hold.")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise AgendaError("The agenda link cannot be read: it is not UTF-8 text inside.") from None
    agenda = agenda_from_dict(_loads(text, "agenda link"))
    if any(v.figures for v in agenda.views):
        raise AgendaError("An agenda link carries no figures (only the file form does).")
    return agenda


# ---- codes against the data ---------------------------------------------------------------------

@dataclass(frozen=True)
class AgendaOptions:
    """What views may name, from the loaded data (``insight.snapshot.agenda_options`` builds it)."""

    district_names: Mapping[str, str]
    division_names: Mapping[str, str]
    divisions_by_district: Mapping[str, tuple[str, ...]]
    indicator_themes: Mapping[str, str]  # every shared-filter indicator id -> theme
    frequencies: Mapping[str, str]  # every indicator id -> frequency
    priority_candidates: tuple[str, ...]
    scenario_series: Mapping[str, Mapping[str, tuple[str, ...]]]  # "open"/"illustrative" -> indicator -> areas
    trend_max_horizon: Mapping[str, int]  # frequency -> most periods a trends view projects
    scenario_horizons: Mapping[str, tuple[int, ...]]  # frequency -> horizons the scenarios page offers
    council_code: str = ""  # the council's own area (a target line may be for it, as for a district or division)


def check_agenda(agenda: Agenda, options: AgendaOptions) -> None:
    """Check every code and id an agenda names against the data; AgendaError lists every problem."""
    problems: list[str] = []
    for number, view in enumerate(agenda.views, start=1):
        problems += [f"View {number} ({plain(view.title, 40)}): {p}" for p in view_problems(view, options)]
    if problems:
        raise AgendaError(problems)


def _unknown(codes: Sequence[str], known: Mapping[str, Any] | Sequence[str], what: str) -> list[str]:
    missing = [c for c in codes if c not in known]
    return [f"unknown {what} {', '.join(plain(c, 30) for c in missing[:3])}"
            + (f" and {len(missing) - 3} more" if len(missing) > 3 else "") + "."] if missing else []


def view_problems(view: View, options: AgendaOptions) -> list[str]:
    """What in one view the data does not have (empty when it can be shown)."""
    p = view.params
    problems = _unknown(p.districts, options.district_names, "district")
    problems += _unknown(p.divisions, options.division_names, "division")
    if p.districts and p.divisions:
        allowed = {c for d in p.districts for c in options.divisions_by_district.get(d, ())}
        outside = [c for c in p.divisions if c in options.division_names and c not in allowed]
        if outside:
            problems.append(f"division {plain(outside[0], 30)} is not in the chosen districts.")
    themes = set(options.indicator_themes.values())
    if p.theme is not None and p.theme not in themes:
        problems.append(f"unknown theme {plain(p.theme, 30)}.")
    if p.indicator is not None:
        if p.indicator not in options.indicator_themes:
            problems.append(f"unknown indicator {plain(p.indicator, 40)}.")
        elif p.theme is not None and options.indicator_themes[p.indicator] != p.theme:
            problems.append(f"indicator {plain(p.indicator, 40)} is not in theme {plain(p.theme, 30)}.")
    known = {ALL_AREAS, options.council_code, *options.district_names, *options.division_names}
    strangers = [t.area_code for t in p.targets if t.area_code not in known]
    if strangers:
        problems.append(f"a target is for area {plain(strangers[0], 30)}, which is not in this data.")
    if view.page is Page.TRENDS and p.horizon is not None:
        frequency = options.frequencies.get(p.indicator or "", "")
        most = options.trend_max_horizon.get(frequency, 0)
        if most == 0:
            problems.append("this indicator is not projected, so it takes no horizon.")
        elif p.horizon > most:
            problems.append(f"a horizon of {p.horizon} is more than the {most} this indicator is projected for.")
    if view.page is Page.PRIORITY_MAP:
        ids = [i for i, _ in p.weights]
        problems += _unknown(ids, options.priority_candidates, "priority measure")
        if p.top is not None and p.top > len(options.division_names):
            problems.append(f"top {p.top} is more than the {len(options.division_names)} divisions.")
        if p.measure is not None and p.measure != SCORE_MEASURE and p.measure not in ids:
            problems.append(f"the LSOA measure {plain(p.measure, 40)} is not one of the view's weighted measures.")
    if view.page is Page.DIVISION_PROFILE:
        if p.division is None:
            problems.append("a division profile view needs a division.")
        problems += _unknown(p.vs, options.division_names, "division to compare with")
        if p.division is not None and p.division in p.vs:
            problems.append("a division cannot be compared with itself.")
    if view.page is Page.SCENARIOS:
        problems += _scenario_problems(p, options)
    return problems


def _scenario_problems(p: ViewParams, options: AgendaOptions) -> list[str]:
    series = options.scenario_series.get(p.scn_data or "open", {})
    if p.scn_indicator is not None and p.scn_indicator not in series:
        return [f"indicator {plain(p.scn_indicator, 40)} has no series long enough to project in the "
                f"{p.scn_data or 'open'} data."]
    problems = []
    if p.scn_area is not None and p.scn_indicator is not None and p.scn_area not in series[p.scn_indicator]:
        problems.append(f"area {plain(p.scn_area, 30)} has no projectable series of {plain(p.scn_indicator, 40)}.")
    if p.scn_horizon is not None and p.scn_indicator is not None:
        allowed = options.scenario_horizons.get(options.frequencies.get(p.scn_indicator, ""), ())
        if p.scn_horizon not in allowed:
            problems.append(f"a horizon of {p.scn_horizon} is not one the scenarios page offers "
                            f"({', '.join(str(h) for h in allowed)}).")
    return problems
