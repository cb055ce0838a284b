"""What-if scenarios on a projection: typed definitions, URL/JSON round-trip, application, target solver.

A scenario is a named set of levers applied to a baseline projection frame (the columns of
``insight.forecast.PROJECTION_COLUMNS``: period_start, point, lower_80, upper_80, lower_95, upper_95).
Time is counted in whole calendar months: ``n`` below is the number of years from a lever's start month
to a period's start month (months / 12); a lever never touches periods that start before its start month.
Levers, applied in this order to each projected period:

1. **Population growth** ``g`` (% a year, *beyond* the growth already implied by the past trend): a count
   indicator (demand rises with population at a constant rate per head) is multiplied by ``(1 + g)^n``;
   a per-head indicator (the total stays as projected, shared among more people) is divided by it.
2. **Trend change** ``r`` (% a year relative to the projection): the value is multiplied by ``(1 + r)^n``.
   A **target** ("reach X by year Y from month D") replaces the trend lever with the solved ``r``.
3. **Step change** ``s`` (indicator units, e.g. "-50 contacts a month"): added to every period from its
   start month. Its uncertainty is a range ``low..high``, read as an equal-tailed 95% range around ``s``.

The result is finally clipped to the indicator's bounds (e.g. counts never below 0).

Uncertainty. The baseline projection's distribution in each period is taken to be *piecewise normal*: its
quantile function is linear in the normal score between the five published quantiles (2.5%, 10%, 50%,
90%, 97.5% = lower_95, lower_80, point, upper_80, upper_95), with normal tails beyond the 95% limits. It
is exactly normal when the limits are symmetric and in the normal ratio, and honours every published limit
when they are not. The step's range is read the same way: ``s`` is its median and ``low..high`` its
equal-tailed 95% range (a two-piece normal: half the mass on each side of ``s``, 2.5% below ``low`` and
2.5% above ``high``; a range with ``low == s`` puts the lower half exactly at ``s``). When a scenario has
an uncertain step, scenario values ``Y = clip(B * f + S)`` are simulated from a seeded Latin hypercube
sample (``n_sims`` draws each of B and S, randomly paired; the same step draw applies to every period of
a simulation) and the 80/95% limits are the simulated quantiles. When no lever is uncertain, ``Y`` is an
increasing function of ``B``, so its limits are computed exactly from the baseline's limits, and a zero
lever reproduces the baseline exactly. The scenario ``point`` is always the baseline point with the levers
at their central values (so it does not jitter when a range changes). ``difference`` is scenario minus
baseline, with its range from the same draws (exact from the limits when it is a straight-line function
of the baseline, i.e. when no bound clips any draw).

Every range contains its centre. The centre (baseline median, step median) splits both inputs in half,
so at least about a quarter of the paired draws lie on each side of it and it sits between the 25% and
75% simulated quantiles. Clipping to a bound can make the *difference* a non-monotone function of the
baseline; if the equal-tailed interval would then leave the centre out, the range reported is the
interval holding the same share of the simulated values that starts (or ends) at the centre.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from insight.errors import ScenarioError
from insight.periods import PeriodLabeller
from insight.schema import (
    PERIOD_START,
    ValueType,
)

MAX_SCENARIOS = 3
MAX_NAME_LENGTH = 40
MAX_QUERY_LENGTH = 1000
MAX_JSON_LENGTH = 20_000
TREND_LIMIT_PCT = 50.0  # trend change and solved target rate: -50..+50 % a year
POPULATION_LIMIT_PCT = 10.0  # extra population growth: -10..+10 % a year
VALUE_LIMIT = 1e9  # |step size|, |low|, |high|
TARGET_LIMIT = 1e12  # |target value|
FIRST_YEAR, LAST_YEAR = 1990, 2100
DECIMALS = 6  # numbers are stored rounded to this many decimal places (so URLs round-trip exactly)

POINT, LOWER_80, UPPER_80, LOWER_95, UPPER_95 = "point", "lower_80", "upper_80", "lower_95", "upper_95"
LIMIT_COLUMNS = [POINT, LOWER_80, UPPER_80, LOWER_95, UPPER_95]
BASELINE_POINT = "baseline_point"
DIFFERENCE = "difference"
DIFFERENCE_LOWER_80, DIFFERENCE_UPPER_80 = "difference_lower_80", "difference_upper_80"
DIFFERENCE_LOWER_95, DIFFERENCE_UPPER_95 = "difference_lower_95", "difference_upper_95"
SCENARIO_COLUMNS = [PERIOD_START, *LIMIT_COLUMNS, BASELINE_POINT, DIFFERENCE, DIFFERENCE_LOWER_80,
                    DIFFERENCE_UPPER_80, DIFFERENCE_LOWER_95, DIFFERENCE_UPPER_95]

_Z80 = NormalDist().inv_cdf(0.90)
_Z95 = NormalDist().inv_cdf(0.975)

_KNOT_Z = np.array([-_Z95, -_Z80, 0.0, _Z80, _Z95])
_KNOT_COLUMNS = [LOWER_95, LOWER_80, POINT, UPPER_80, UPPER_95]  # in the order of _KNOT_Z
_NAME_PUNCTUATION = set(" -_'().")
RESERVED_NAMES = ("baseline", "baseline projection", "observed")


def _ndtri(p: np.ndarray) -> np.ndarray:
    """Inverse standard normal CDF, vectorised (scipy imported on first use: it costs ~0.15 s at app start)."""
    from scipy.special import ndtri

    return ndtri(p)


class PopulationEffect(StrEnum):
    """How extra population growth moves an indicator."""

    COUNT = "count"  # demand scales with population: multiplied by (1 + g)^n
    PER_HEAD = "per_head"  # a total shared among more people: divided by (1 + g)^n


def population_effect_for(value_type: ValueType | str, unit: str = "") -> PopulationEffect | None:
    """The population lever's effect for an indicator, or None when the lever does not apply."""
    kind = ValueType(value_type)
    if kind is ValueType.COUNT:
        return PopulationEffect.COUNT
    text = unit.lower()
    if kind is ValueType.RATE or (kind is ValueType.MEAN and ("per head" in text or "per person" in text)):
        return PopulationEffect.PER_HEAD
    return None


# ---- validation helpers -------------------------------------------------------------------------

def _safe(text: object, limit: int = 20) -> str:
    """A harmless echo of user input for messages: only letters, digits and . _ -, truncated."""
    kept = "".join(ch for ch in str(text) if ch.isascii() and (ch.isalnum() or ch in "._-"))
    return kept[:limit] + ("…" if len(kept) > limit else "")


def _number(value: object, what: str, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{what} must be a number, not {type(value).__name__}.")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(f"{what} must be a finite number (NaN and infinity are not allowed).")
    if abs(number) > limit:
        raise ScenarioError(f"{what} must be between {-limit:,.0f} and {limit:,.0f}.")
    return round(number, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _month(value: object, what: str) -> date:
    if not isinstance(value, date):
        raise ScenarioError(f"{what} must be a date, not {type(value).__name__}.")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ScenarioError(f"{what} must be between {FIRST_YEAR} and {LAST_YEAR}.")
    return date(value.year, value.month, 1)


def _year(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{what} must be a whole year, not {type(value).__name__}.")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ScenarioError(f"{what} must be between {FIRST_YEAR} and {LAST_YEAR}.")
    return value


def validate_name(value: object) -> str:
    """A scenario name: 1-40 letters, digits, spaces and - _ ' ( ) . starting with a letter or digit
    (so it can never be read as markup or as a spreadsheet formula); anything else is refused."""
    if not isinstance(value, str):
        raise ScenarioError(f"A scenario name must be text, not {type(value).__name__}.")
    name = " ".join(value.split())
    if not name:
        raise ScenarioError("A scenario name cannot be empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise ScenarioError(f"A scenario name can have at most {MAX_NAME_LENGTH} characters.")
    if not all(ch.isalnum() or ch in _NAME_PUNCTUATION for ch in name):
        raise ScenarioError("A scenario name can only contain letters, digits, spaces and - _ ' ( ) .")
    if not name[0].isalnum():
        raise ScenarioError("A scenario name must start with a letter or a digit.")
    if name.casefold() in RESERVED_NAMES:
        raise ScenarioError(f"'{name}' is reserved for the chart's own lines: choose another scenario name.")
    return name


# ---- definitions ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendChange:
    """Change the projected trend by ``pct_per_year`` % a year (compounding) from ``start``."""

    pct_per_year: float
    start: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "pct_per_year",
                           _number(self.pct_per_year, "Trend change (% a year)", TREND_LIMIT_PCT))
        object.__setattr__(self, "start", _month(self.start, "Trend change start"))

    @property
    def is_zero(self) -> bool:
        return self.pct_per_year == 0.0


@dataclass(frozen=True)
class StepChange:
    """Add ``size`` (indicator units) from ``start``; ``size`` is the effect's central (median) value and
    ``low..high`` its equal-tailed 95% range (default: no range)."""

    size: float
    start: date
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        size = _number(self.size, "Step change size", VALUE_LIMIT)
        low = size if self.low is None else _number(self.low, "Step change low", VALUE_LIMIT)
        high = size if self.high is None else _number(self.high, "Step change high", VALUE_LIMIT)
        if not low <= size <= high:
            raise ScenarioError("Step change range must satisfy low ≤ size ≤ high "
                                f"(got low {low:g}, size {size:g}, high {high:g}).")
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        object.__setattr__(self, "start", _month(self.start, "Step change start"))

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high) as numbers: construction fills a missing end with the size, so neither is None."""
        return (self.size if self.low is None else self.low, self.size if self.high is None else self.high)

    @property
    def is_zero(self) -> bool:
        return self.size == 0.0 and self.low == 0.0 and self.high == 0.0

    @property
    def is_uncertain(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class PopulationGrowth:
    """Population grows ``pct_per_year`` % a year faster than the past trend implies, from ``start``."""

    pct_per_year: float
    start: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "pct_per_year",
                           _number(self.pct_per_year, "Population growth (% a year)", POPULATION_LIMIT_PCT))
        object.__setattr__(self, "start", _month(self.start, "Population growth start"))

    @property
    def is_zero(self) -> bool:
        return self.pct_per_year == 0.0


@dataclass(frozen=True)
class Target:
    """Reach ``value`` in ``year`` by a constant % change a year from ``start`` (solved, see solve_target)."""

    value: float
    year: int
    start: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _number(self.value, "Target value", TARGET_LIMIT))
        object.__setattr__(self, "year", _year(self.year, "Target year"))
        object.__setattr__(self, "start", _month(self.start, "Target start"))
        if self.year < self.start.year:
            raise ScenarioError(f"Target year {self.year} is before its start ({self.start:%b %Y}).")


@dataclass(frozen=True)
class Scenario:
    """A named set of levers. A scenario sets a trend change or a target, not both."""

    name: str
    trend: TrendChange | None = None
    step: StepChange | None = None
    population: PopulationGrowth | None = None
    target: Target | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", validate_name(self.name))
        for attr, kind in (("trend", TrendChange), ("step", StepChange), ("population", PopulationGrowth),
                           ("target", Target)):
            value = getattr(self, attr)
            if value is not None and not isinstance(value, kind):
                raise ScenarioError(f"Scenario '{self.name}': {attr} must be a {kind.__name__}.")
        if self.trend is not None and self.target is not None:
            raise ScenarioError(f"Scenario '{self.name}' sets both a trend change and a target: "
                                "choose one (a target is met by solving for the trend change).")

    @property
    def is_uncertain(self) -> bool:
        """True when a lever carries a range, so the scenario's limits are simulated."""
        return self.step is not None and self.step.is_uncertain


def validate_scenarios(scenarios: Sequence[Scenario]) -> tuple[Scenario, ...]:
    """At most MAX_SCENARIOS scenarios with distinct names."""
    items = tuple(scenarios)
    if len(items) > MAX_SCENARIOS:
        raise ScenarioError(f"At most {MAX_SCENARIOS} scenarios can be compared at once "
                            f"({len(items)} were given).")
    for item in items:
        if not isinstance(item, Scenario):
            raise ScenarioError(f"Expected a Scenario, not {type(item).__name__}.")
    names = [item.name.casefold() for item in items]
    if len(set(names)) != len(names):
        raise ScenarioError("Each scenario needs a different name.")
    return items


# ---- JSON -------------------------------------------------------------------------------------

def _month_text(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_month(text: object, what: str) -> date:
    match = _MONTH_RE.match(text) if isinstance(text, str) else None
    if match is None:
        raise ScenarioError(f"{what} must be a month written YYYY-MM (e.g. 2026-01).")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ScenarioError(f"{what} has no month {month:02d}: months run 01-12.")
    return _month(date(year, month, 1), what)


def _lever_dict(scenario: Scenario) -> dict[str, object]:
    out: dict[str, object] = {"name": scenario.name}
    if scenario.trend is not None:
        out["trend"] = {"pct_per_year": scenario.trend.pct_per_year,
                        "start": _month_text(scenario.trend.start)}
    if scenario.step is not None:
        out["step"] = {"size": scenario.step.size, "low": scenario.step.low, "high": scenario.step.high,
                       "start": _month_text(scenario.step.start)}
    if scenario.population is not None:
        out["population"] = {"pct_per_year": scenario.population.pct_per_year,
                             "start": _month_text(scenario.population.start)}
    if scenario.target is not None:
        out["target"] = {"value": scenario.target.value, "year": scenario.target.year,
                         "start": _month_text(scenario.target.start)}
    return out


def scenario_to_dict(scenario: Scenario) -> dict[str, object]:
    """A JSON-ready dict; levers that are not set are left out."""
    return _lever_dict(scenario)


_LEVER_FIELDS: dict[str, tuple[str, ...]] = {
    "trend": ("pct_per_year", "start"),
    "step": ("size", "low", "high", "start"),
    "population": ("pct_per_year", "start"),
    "target": ("value", "year", "start"),
}


def _check_keys(data: dict, allowed: Sequence[str], where: str) -> None:
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise ScenarioError(f"{where}: unknown setting '{_safe(unknown[0])}' (allowed: {', '.join(allowed)}).")


def scenario_from_dict(data: object) -> Scenario:
    """Build a Scenario from a JSON-style dict, refusing unknown keys and wrong types."""
    if not isinstance(data, dict):
        raise ScenarioError(f"A scenario must be a JSON object, not {type(data).__name__}.")
    _check_keys(data, ["name", *_LEVER_FIELDS], "Scenario")
    if "name" not in data:
        raise ScenarioError("Scenario: 'name' is missing.")
    name = validate_name(data["name"])
    levers: dict[str, object] = {}
    for lever, fields in _LEVER_FIELDS.items():
        raw = data.get(lever)
        if raw is None:
            continue
        where = f"Scenario '{name}', {lever}"
        if not isinstance(raw, dict):
            raise ScenarioError(f"{where} must be a JSON object.")
        _check_keys(raw, fields, where)
        required = [f for f in fields if f not in ("low", "high")]
        missing = [f for f in required if f not in raw]
        if missing:
            raise ScenarioError(f"{where}: '{missing[0]}' is missing.")
        values = {key: (_parse_month(raw[key], f"{where} start") if key == "start" else raw[key])
                  for key in fields if key in raw}
        levers[lever] = {"trend": TrendChange, "step": StepChange, "population": PopulationGrowth,
                         "target": Target}[lever](**values)
    return Scenario(name=name, **levers)  # type: ignore[arg-type]


def _reject_constant(token: str) -> float:
    raise ScenarioError(f"Scenario JSON contains {token}: only finite numbers are allowed.")


def scenarios_to_json(scenarios: Sequence[Scenario]) -> str:
    """``{"version": 1, "scenarios": [...]}`` as a JSON string."""
    items = validate_scenarios(scenarios)
    return json.dumps({"version": 1, "scenarios": [scenario_to_dict(s) for s in items]},
                      ensure_ascii=False, allow_nan=False)


def scenarios_from_json(text: str) -> tuple[Scenario, ...]:
    """Parse and validate the output of scenarios_to_json."""
    if not isinstance(text, str):
        raise ScenarioError("Scenario JSON must be text.")
    if len(text) > MAX_JSON_LENGTH:
        raise ScenarioError(f"Scenario JSON is too long ({len(text):,} characters; at most {MAX_JSON_LENGTH:,}).")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"Scenario JSON is not valid JSON (line {exc.lineno}, column {exc.colno}).") from None
    if not isinstance(data, dict):
        raise ScenarioError("Scenario JSON must be an object with 'version' and 'scenarios'.")
    _check_keys(data, ["version", "scenarios"], "Scenario JSON")
    if data.get("version") != 1:
        raise ScenarioError("Scenario JSON: unsupported 'version' (expected 1).")
    raw = data.get("scenarios")
    if not isinstance(raw, list):
        raise ScenarioError("Scenario JSON: 'scenarios' must be a list.")
    if len(raw) > MAX_SCENARIOS:
        raise ScenarioError(f"At most {MAX_SCENARIOS} scenarios can be compared at once ({len(raw)} were given).")
    return validate_scenarios([scenario_from_dict(item) for item in raw])


# ---- compact URL form ----------------------------------------------------------------------------
# One query-parameter value: scenarios separated by "~", fields by ",", key and value by ":". E.g.
#   n:Early help,t:-2,ts:2026-01~n:New hub,s:-50,sl:-80,sh:-20,ss:2026-04
# Keys: n name; t/ts trend %/start; s/sl/sh/ss step size/low/high/start; p/ps population %/start;
# g/gy/gs target value/year/start. Numbers are plain decimals (no exponent, NaN or infinity).

_URL_KEYS = {
    "n": "name", "t": "trend change", "ts": "trend start", "s": "step size", "sl": "step low",
    "sh": "step high", "ss": "step start", "p": "population growth", "ps": "population start",
    "g": "target value", "gy": "target year", "gs": "target start",
}
_NUMBER_RE = re.compile(r"^-?\d{1,13}(\.\d{1,6})?$")
_YEAR_RE = re.compile(r"^\d{4}$")


def _fmt(number: float) -> str:
    text = f"{number:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def scenario_to_query(scenario: Scenario) -> str:
    """The compact URL form of one scenario."""
    parts = [f"n:{scenario.name}"]
    if scenario.trend is not None:
        parts += [f"t:{_fmt(scenario.trend.pct_per_year)}", f"ts:{_month_text(scenario.trend.start)}"]
    if scenario.step is not None:
        step = scenario.step
        parts += [f"s:{_fmt(step.size)}", f"sl:{_fmt(step.low)}", f"sh:{_fmt(step.high)}",  # type: ignore[arg-type]
                  f"ss:{_month_text(step.start)}"]
    if scenario.population is not None:
        parts += [f"p:{_fmt(scenario.population.pct_per_year)}", f"ps:{_month_text(scenario.population.start)}"]
    if scenario.target is not None:
        parts += [f"g:{_fmt(scenario.target.value)}", f"gy:{scenario.target.year}",
                  f"gs:{_month_text(scenario.target.start)}"]
    return ",".join(parts)


def scenarios_to_query(scenarios: Sequence[Scenario]) -> str:
    """The compact URL form of a scenario set (see the format note above)."""
    return "~".join(scenario_to_query(s) for s in validate_scenarios(scenarios))


def _url_number(text: str, where: str, key: str) -> float:
    if not _NUMBER_RE.match(text):
        raise ScenarioError(f"{where}: {_URL_KEYS[key]} ('{key}') must be a plain decimal number "
                            "such as -2 or 1.5.")
    return float(text)


def _scenario_from_query(text: str, position: int) -> Scenario:
    where = f"Scenario {position}"
    fields: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition(":")
        key = key.strip()
        if not sep:
            raise ScenarioError(f"{where}: '{_safe(part)}' is not a key:value setting.")
        if key not in _URL_KEYS:
            raise ScenarioError(f"{where}: unknown setting '{_safe(key)}' "
                                f"(allowed: {', '.join(_URL_KEYS)}).")
        if key in fields:
            raise ScenarioError(f"{where}: setting '{key}' appears twice.")
        fields[key] = value.strip()
    if "n" not in fields:
        raise ScenarioError(f"{where}: the name ('n') is missing.")
    name = validate_name(fields["n"])
    where = f"Scenario {position} ('{name}')"

    def need(key: str) -> str:
        if key not in fields:
            raise ScenarioError(f"{where}: {_URL_KEYS[key]} ('{key}') is missing.")
        return fields[key]

    def month(key: str) -> date:
        return _parse_month(need(key), f"{where}: {_URL_KEYS[key]} ('{key}')")

    def number(key: str) -> float:
        return _url_number(need(key), where, key)

    groups = {"trend": ("t", "ts"), "step": ("s", "sl", "sh", "ss"), "population": ("p", "ps"),
              "target": ("g", "gy", "gs")}
    present = {lever for lever, keys in groups.items() if any(k in fields for k in keys)}
    trend = TrendChange(number("t"), month("ts")) if "trend" in present else None
    step = None
    if "step" in present:
        low = number("sl") if "sl" in fields else None
        high = number("sh") if "sh" in fields else None
        step = StepChange(number("s"), month("ss"), low, high)
    population = PopulationGrowth(number("p"), month("ps")) if "population" in present else None
    target = None
    if "target" in present:
        year_text = need("gy")
        if not _YEAR_RE.match(year_text):
            raise ScenarioError(f"{where}: target year ('gy') must be a four-digit year.")
        target = Target(number("g"), int(year_text), month("gs"))
    try:
        return Scenario(name=name, trend=trend, step=step, population=population, target=target)
    except ScenarioError as exc:
        raise ScenarioError(f"{where}: {exc}") from None


def scenarios_from_query(text: str) -> tuple[Scenario, ...]:
    """Parse the compact URL form, validating everything; raises ScenarioError with a specific message."""
    if not isinstance(text, str):
        raise ScenarioError("The scenario link is not text.")
    if len(text) > MAX_QUERY_LENGTH:
        raise ScenarioError(f"The scenario link is too long ({len(text):,} characters; "
                            f"at most {MAX_QUERY_LENGTH:,}).")
    if not text.strip():
        return ()
    chunks = text.split("~")
    if len(chunks) > MAX_SCENARIOS:
        raise ScenarioError(f"The link holds {len(chunks)} scenarios; at most {MAX_SCENARIOS} can be compared.")
    scenarios = []
    for position, chunk in enumerate(chunks, start=1):
        try:
            scenarios.append(_scenario_from_query(chunk, position))
        except ScenarioError as exc:
            message = str(exc)
            if not message.startswith(f"Scenario {position}"):
                message = f"Scenario {position}: {message}"
            raise ScenarioError(message) from None
    return validate_scenarios(scenarios)


# ---- applying a scenario --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Checked:
    """A validated projection: period starts (sorted) and its five quantiles per period (knot order)."""

    periods: pd.DatetimeIndex
    quantiles: np.ndarray  # periods x 5: lower_95, lower_80, point, upper_80, upper_95


def _check_projection(frame: pd.DataFrame) -> _Checked:
    missing = [c for c in (PERIOD_START, *LIMIT_COLUMNS) if c not in frame.columns]
    if missing:
        raise ScenarioError(f"The projection frame lacks column(s) {', '.join(missing)}.")
    if frame.empty:
        raise ScenarioError("The projection frame is empty: there is nothing to apply a scenario to.")
    values = np.column_stack([frame[column].to_numpy(dtype=float) for column in _KNOT_COLUMNS])
    if not np.isfinite(values).all():
        raise ScenarioError("The projection frame has missing or infinite values in its limits.")
    tolerance = 1e-9 * np.maximum(1.0, np.abs(values).max())
    if (np.diff(values, axis=1) < -tolerance).any():
        raise ScenarioError("The projection frame's limits are out of order "
                            "(need lower_95 ≤ lower_80 ≤ point ≤ upper_80 ≤ upper_95).")
    periods = pd.DatetimeIndex(frame[PERIOD_START])
    if not periods.is_monotonic_increasing:
        order = np.argsort(periods.to_numpy(), kind="stable")
        periods, values = periods[order], values[order]
    return _Checked(periods, values)


def _years_since(periods: pd.DatetimeIndex, start: date) -> np.ndarray:
    """Years (whole months / 12) from ``start`` to each period's start month; negative before it."""
    months = (np.asarray(periods.year) - start.year) * 12 + (np.asarray(periods.month) - start.month)
    return months.astype(float) / 12.0


@dataclass(frozen=True)
class TargetSolution:
    """The constant % change a year from ``start`` that reaches ``target_value`` in ``period_start``."""

    pct_per_year: float
    start: date
    period_start: pd.Timestamp
    target_value: float
    baseline_value: float  # the projection's point in that period, before any lever


Label = Callable[[date], str]  # names a period (or a lever's start month) for people: see insight.periods


def _month_label(start: date) -> str:
    return f"{start:%b %Y}"


def _target_period(periods: pd.DatetimeIndex, target: Target, label: Label) -> int:
    in_year = np.flatnonzero(np.asarray(periods.year) == target.year)
    if in_year.size == 0:
        raise ScenarioError(f"Target year {target.year} is outside the projection "
                            f"({label(periods[0])} to {label(periods[-1])}): pick a year inside it or change "
                            "the horizon.")
    return int(in_year[-1])


def solve_target(frame: pd.DataFrame, scenario: Scenario, *,
                 population_effect: PopulationEffect | None = None,
                 labeller: Label | None = None) -> TargetSolution:
    """Solve (closed form) the % change a year from the target's start that makes the scenario's point
    equal the target in the last projected period of the target year, given its other levers.
    ``labeller`` names periods in messages (default: 'Jan 2027')."""
    return _solve_target(_check_projection(frame), scenario, population_effect, labeller or _month_label)


def _solve_target(data: _Checked, scenario: Scenario, population_effect: PopulationEffect | None,
                  label: Label) -> TargetSolution:
    if scenario.target is None:
        raise ScenarioError(f"Scenario '{scenario.name}' has no target to solve.")
    target = scenario.target
    row = _target_period(data.periods, target, label)
    here = data.periods[[row]]
    years = float(_years_since(here, target.start)[0])
    period = data.periods[row]
    if years <= 0:
        raise ScenarioError(f"The target's start ({label(target.start)}) must be before the target period "
                            f"({label(period)}).")
    base = float(data.quantiles[row, 2])
    factor = float(_population_factor(here, scenario, population_effect)[0])
    shift = 0.0
    if scenario.step is not None and _years_since(here, scenario.step.start)[0] >= 0:
        shift = scenario.step.size
    ratio = (target.value - shift) / (base * factor) if base * factor != 0 else math.nan
    if not math.isfinite(ratio) or ratio <= 0:
        raise ScenarioError(f"A constant % change cannot turn the projected {base:,.4g} into {target.value:,.4g} "
                            f"in {label(period)} (it cannot change sign or start from zero).")
    pct = (ratio ** (1.0 / years) - 1.0) * 100.0
    if abs(pct) > TREND_LIMIT_PCT:
        raise ScenarioError(f"Reaching {target.value:,.4g} by {label(period)} would need {pct:+.1f}% a year, "
                            f"beyond the ±{TREND_LIMIT_PCT:.0f}% a year this tool allows.")
    return TargetSolution(pct_per_year=pct, start=target.start, period_start=period,
                          target_value=target.value, baseline_value=base)


def _population_factor(periods: pd.DatetimeIndex, scenario: Scenario,
                       effect: PopulationEffect | None) -> np.ndarray:
    lever = scenario.population
    if lever is None or lever.is_zero:
        return np.ones(len(periods))
    if effect is None:
        raise ScenarioError(f"Scenario '{scenario.name}': the population growth lever does not apply to "
                            "this indicator (it is neither a count nor a per-head figure).")
    years = np.maximum(_years_since(periods, lever.start), 0.0)
    growth = (1.0 + lever.pct_per_year / 100.0) ** years
    return growth if effect is PopulationEffect.COUNT else 1.0 / growth


def _multiplier(periods: pd.DatetimeIndex, scenario: Scenario, trend_pct: float | None,
                trend_start: date | None, effect: PopulationEffect | None) -> np.ndarray:
    factor = _population_factor(periods, scenario, effect)
    if trend_pct is not None and trend_pct != 0.0 and trend_start is not None:
        years = np.maximum(_years_since(periods, trend_start), 0.0)
        factor = factor * (1.0 + trend_pct / 100.0) ** years
    return factor


def _baseline_draws(quantiles: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Draws (periods x sims) from the piecewise-normal distribution through the five quantiles."""
    inner = np.clip(z, _KNOT_Z[0], _KNOT_Z[-1])
    seg = np.clip(np.searchsorted(_KNOT_Z, inner, side="right") - 1, 0, len(_KNOT_Z) - 2)
    z0, z1 = _KNOT_Z[seg], _KNOT_Z[seg + 1]
    q0, q1 = quantiles[:, seg], quantiles[:, seg + 1]
    draws = q0 + (q1 - q0) * ((inner - z0) / (z1 - z0))
    lower_slope = (quantiles[:, [2]] - quantiles[:, [0]]) / _Z95
    upper_slope = (quantiles[:, [4]] - quantiles[:, [2]]) / _Z95
    below, above = np.minimum(z + _Z95, 0.0), np.maximum(z - _Z95, 0.0)
    return draws + lower_slope * below + upper_slope * above


def _step_draws(step: StepChange, u: np.ndarray) -> np.ndarray:
    """Two-piece normal draws: median ``size``, 2.5% quantile ``low``, 97.5% quantile ``high``."""
    sd_low = (step.size - step.low) / _Z95  # type: ignore[operator]
    sd_high = (step.high - step.size) / _Z95  # type: ignore[operator]
    z = _ndtri(u)
    return step.size + np.where(z < 0, sd_low, sd_high) * z


_TAIL_LEVELS = (0.025, 0.10, 0.90, 0.975)  # lower_95, lower_80, upper_80, upper_95


def _quantile_at(ordered: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Each sorted row's quantile at its own level (numpy's default 'linear' method)."""
    position = np.clip(levels, 0.0, 1.0) * (ordered.shape[1] - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, ordered.shape[1] - 1)
    weight = position - low
    rows = np.arange(ordered.shape[0])
    below, above = ordered[rows, low], ordered[rows, high]
    # Kept inside its segment, so rounding can never put a higher level's quantile below a lower one's.
    return np.clip(below + (above - below) * weight, below, above)


def _ranges_containing(values: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, ...]:
    """(lower_95, lower_80, upper_80, upper_95) of simulated ``values`` (periods x sims): the equal-tailed
    intervals or, where one would leave ``centre`` out, the interval holding the same share of the values
    that starts (or ends) at the centre (see the module docstring)."""
    ordered = np.sort(values, axis=1)
    n_rows, n_sims = ordered.shape
    share_below = (ordered <= centre[:, None]).sum(axis=1) / n_sims  # empirical CDF at the centre
    share_above = (ordered >= centre[:, None]).sum(axis=1) / n_sims
    limits = []
    for level in _TAIL_LEVELS:
        tail = min(level, 1.0 - level)
        coverage = 1.0 - 2.0 * tail
        lower = _quantile_at(ordered, np.full(n_rows, tail))
        upper = _quantile_at(ordered, np.full(n_rows, 1.0 - tail))
        if level < 0.5:  # a lower limit: when the centre is below the interval, the interval starts there
            limit = np.where(lower > centre, centre, lower)
            moved = _quantile_at(ordered, 1.0 - share_above - coverage)  # centre above: the interval ends there
            limit = np.where(upper < centre, np.minimum(moved, centre), limit)
        else:
            limit = np.where(upper < centre, centre, upper)
            moved = _quantile_at(ordered, share_below + coverage)
            limit = np.where(lower > centre, np.maximum(moved, centre), limit)
        limits.append(limit)
    return tuple(limits)


def _clip(values: np.ndarray, lower_bound: float | None, upper_bound: float | None) -> np.ndarray:
    if lower_bound is None and upper_bound is None:
        return values
    return np.clip(values, lower_bound, upper_bound)


def _is_clipped(values: np.ndarray, lower_bound: float | None, upper_bound: float | None) -> bool:
    return bool((lower_bound is not None and (values < lower_bound).any())
                or (upper_bound is not None and (values > upper_bound).any()))


def apply_scenario(projection_frame: pd.DataFrame, scenario: Scenario, *, n_sims: int = 2000,
                   seed: int = 2025, population_effect: PopulationEffect | None = None,
                   lower_bound: float | None = None, upper_bound: float | None = None,
                   labeller: Label | None = None) -> pd.DataFrame:
    """Apply ``scenario`` to a baseline projection: point, 80/95% limits and the difference from baseline
    (with its 80/95% range) per period, in SCENARIO_COLUMNS. Every range contains its centre
    (lower_95 <= lower_80 <= centre <= upper_80 <= upper_95). See the module docstring for the method.
    ``labeller`` names periods in messages (default: 'Jan 2027')."""
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"Expected a Scenario, not {type(scenario).__name__}.")
    if isinstance(n_sims, bool) or not isinstance(n_sims, int) or not 100 <= n_sims <= 100_000:
        raise ScenarioError("n_sims must be a whole number between 100 and 100,000.")
    data = _check_projection(projection_frame)
    periods = data.periods
    trend_pct, trend_start = None, None
    if scenario.target is not None:
        solution = _solve_target(data, scenario, population_effect, labeller or _month_label)
        trend_pct, trend_start = solution.pct_per_year, solution.start
    elif scenario.trend is not None:
        trend_pct, trend_start = scenario.trend.pct_per_year, scenario.trend.start
    factor = _multiplier(periods, scenario, trend_pct, trend_start, population_effect)
    step = scenario.step
    in_step = (np.zeros(len(periods), dtype=bool) if step is None
               else _years_since(periods, step.start) >= 0)
    shift = np.where(in_step, step.size if step is not None else 0.0, 0.0)

    quantiles = data.quantiles  # periods x 5
    base_q = _clip(quantiles, lower_bound, upper_bound)
    scen_q = _clip(quantiles * factor[:, None] + shift[:, None], lower_bound, upper_bound)
    point, difference = scen_q[:, 2], scen_q[:, 2] - base_q[:, 2]
    columns: dict[str, object] = {PERIOD_START: periods, POINT: point, BASELINE_POINT: base_q[:, 2],
                                  DIFFERENCE: difference}
    z = _ndtri((np.arange(n_sims) + 0.5) / n_sims)  # Latin hypercube normal scores
    base = _baseline_draws(quantiles, z)
    if not scenario.is_uncertain:
        # Y = clip(B * f + s) is increasing in B: its quantiles are the transformed baseline quantiles.
        columns.update({LOWER_95: scen_q[:, 0], LOWER_80: scen_q[:, 1], UPPER_80: scen_q[:, 3],
                        UPPER_95: scen_q[:, 4]})
        moved = base * factor[:, None] + shift[:, None]
        if _is_clipped(base, lower_bound, upper_bound) or _is_clipped(moved, lower_bound, upper_bound):
            # A bound clips some draws, so the difference need not be monotone in B: take it from the draws.
            diff_limits = _ranges_containing(_clip(moved, lower_bound, upper_bound)
                                             - _clip(base, lower_bound, upper_bound), difference)
        else:
            # The difference B * (f - 1) + s is a straight line in B: exact from the limits (the min/max
            # with the centre only absorbs floating-point rounding).
            diff_q = scen_q - base_q
            lo80 = np.minimum(np.minimum(diff_q[:, 1], diff_q[:, 3]), difference)
            hi80 = np.maximum(np.maximum(diff_q[:, 1], diff_q[:, 3]), difference)
            diff_limits = (np.minimum(np.minimum(diff_q[:, 0], diff_q[:, 4]), lo80), lo80, hi80,
                           np.maximum(np.maximum(diff_q[:, 0], diff_q[:, 4]), hi80))
    else:
        rng = np.random.default_rng(seed)
        u_step = (rng.permutation(n_sims) + 0.5) / n_sims
        steps = _step_draws(step, u_step)  # type: ignore[arg-type]
        scen = _clip(base * factor[:, None] + np.where(in_step[:, None], steps[None, :], 0.0),
                     lower_bound, upper_bound)
        lo95, lo80, hi80, hi95 = _ranges_containing(scen, point)
        columns.update({LOWER_95: lo95, LOWER_80: lo80, UPPER_80: hi80, UPPER_95: hi95})
        diff_limits = _ranges_containing(scen - _clip(base, lower_bound, upper_bound), difference)
    d_lo95, d_lo80, d_hi80, d_hi95 = diff_limits
    columns.update({DIFFERENCE_LOWER_80: d_lo80, DIFFERENCE_UPPER_80: d_hi80,
                    DIFFERENCE_LOWER_95: d_lo95, DIFFERENCE_UPPER_95: d_hi95})
    return pd.DataFrame({column: columns[column] for column in SCENARIO_COLUMNS})


def describe_scenario(scenario: Scenario, solution: TargetSolution | None = None, *, unit: str = "",
                      labeller: Label | None = None) -> str:
    """The scenario's assumptions in one plain-English sentence (for tables, CSV and captions). ``labeller``
    names the periods levers start from and the target period (default: months, 'Jan 2027')."""
    label = labeller or _month_label
    parts: list[str] = []
    unit_text = f" {unit}" if unit else ""
    if scenario.trend is not None and not scenario.trend.is_zero:
        parts.append(f"trend {scenario.trend.pct_per_year:+g}% a year relative to the projection from "
                     f"{label(scenario.trend.start)}")
    if scenario.target is not None:
        when = str(scenario.target.year)
        if solution is not None and labeller is not None:
            when = label(solution.period_start)
        elif isinstance(labeller, PeriodLabeller) and not labeller.monthly:  # one period a year: its name
            when = labeller(date(scenario.target.year, 1, 1))
        text = f"target {scenario.target.value:,.6g}{unit_text} in {when} from {label(scenario.target.start)}"
        if solution is not None:
            text += f" (needs {solution.pct_per_year:+.2f}% a year relative to the projection)"
        parts.append(text)
    if scenario.step is not None and not scenario.step.is_zero:
        step = scenario.step
        text = f"step change of {step.size:+,.6g}{unit_text} from {label(step.start)}"
        if step.is_uncertain:
            text += f" (95% range {step.low:+,.6g} to {step.high:+,.6g})"
        parts.append(text)
    if scenario.population is not None and not scenario.population.is_zero:
        parts.append(f"population growing {scenario.population.pct_per_year:+g}% a year beyond past trend "
                     f"from {label(scenario.population.start)}")
    body = "; ".join(parts) if parts else "no change from the baseline projection"
    return f"{scenario.name}: {body}."


# ---- table and export --------------------------------------------------------------------------

BASELINE_NAME = "Baseline"
TABLE_COLUMNS = ["period", "scenario", POINT, LOWER_80, UPPER_80, LOWER_95, UPPER_95, DIFFERENCE,
                 DIFFERENCE_LOWER_95, DIFFERENCE_UPPER_95]
METHOD_NOTE = ("Scenario ranges combine the projection's own uncertainty with each lever's range by seeded "
               "simulation (piecewise-normal projection quantiles; a step's size read as its median and its "
               "range as an equal-tailed 95% range; Latin hypercube sample); without a lever range they are "
               "computed exactly from the projection's limits. Every range contains its central value.")


def tabulate_scenarios(baseline: pd.DataFrame, results: Sequence[tuple[str, pd.DataFrame]], *,
                       monthly: bool, labeller: PeriodLabeller | None = None) -> pd.DataFrame:
    """One row per (year, scenario), baseline first: the last projected period of each calendar year
    (December for monthly series), with 80/95% limits and the difference from baseline with its 95% range.
    ``period`` is named by ``labeller`` (the series' own style, e.g. '2029/30'; default '2029' or
    'Dec 2029'), the same labels as the chart, the levers and the finding sentence."""
    labeller = labeller or PeriodLabeller(monthly=monthly)
    base = _check_projection(baseline)
    years = np.asarray(base.periods.year)
    last_in_year = np.r_[years[1:] != years[:-1], True]
    wanted = base.periods[last_in_year]
    labels = labeller.labels(wanted)
    zeros = np.zeros(len(wanted))
    q = base.quantiles[last_in_year]
    blocks: list[dict[str, Any]] = [{"scenario": BASELINE_NAME, POINT: q[:, 2], LOWER_80: q[:, 1], UPPER_80: q[:, 3],
               LOWER_95: q[:, 0], UPPER_95: q[:, 4], DIFFERENCE: zeros, DIFFERENCE_LOWER_95: zeros,
               DIFFERENCE_UPPER_95: zeros}]
    for name, frame in results:
        rows = pd.DatetimeIndex(pd.to_datetime(frame[PERIOD_START])).get_indexer(wanted)
        if (rows < 0).any():
            raise ScenarioError(f"Scenario '{name}' does not cover every projected period of the baseline.")
        blocks.append({"scenario": name, **{c: frame[c].to_numpy(dtype=float)[rows] for c in TABLE_COLUMNS[2:]}})
    n, k = len(wanted), len(blocks)
    table = {"period": np.repeat(np.asarray(labels, dtype=object), k),
             "scenario": np.tile(np.array([block["scenario"] for block in blocks], dtype=object), n)}
    for column in TABLE_COLUMNS[2:]:
        table[column] = np.column_stack([block[column] for block in blocks]).ravel()
    return pd.DataFrame(table)[TABLE_COLUMNS]


def scenarios_csv(table: pd.DataFrame, *, title: str, source: str, licence: str,
                  assumptions: Sequence[str], extra_notes: Sequence[str] = ()) -> str:
    """CSV text: '#'-prefixed notes (what, source, licence, every assumption, method), then the table."""
    notes = [title, f"Source: {source}", f"Licence: {licence}", *[f"Assumption - {a}" for a in assumptions],
             METHOD_NOTE, *extra_notes]
    header = "".join("# " + " ".join(str(note).split()) + "\n" for note in notes)
    return header + table.to_csv(index=False, float_format="%.6g", lineterminator="\n")


# ---- choosing a series and describing the result ---------------------------------------------------

def _fmt_number(value: float) -> str:
    magnitude = abs(value)
    digits = 0 if magnitude >= 100 else (1 if magnitude >= 10 else 2)
    return f"{value:,.{digits}f}"


def headline_finding(table: pd.DataFrame, *, unit: str = "") -> str:
    """A chart title of ten words or fewer stating the main finding, from a tabulate_scenarios table:
    the final period's baseline value, or the scenario furthest from it and by how much."""
    last_period = table["period"].iloc[-1]
    final = table[table["period"] == last_period]
    base = float(final.loc[final["scenario"] == BASELINE_NAME, POINT].iloc[0])
    others = final[final["scenario"] != BASELINE_NAME]
    unit_text = "" if not unit or len(unit) > 12 else (unit if unit.startswith("%") else f" {unit}")
    if others.empty:
        return f"Projected {_fmt_number(base)}{unit_text} by {last_period} if trends continue"
    row = others.loc[others[DIFFERENCE].abs().idxmax()]
    difference = float(row[DIFFERENCE])
    if base == 0 or abs(difference) < 1e-12:
        return f"{row['scenario']}: no change from baseline by {last_period}"
    pct = abs(difference) / abs(base) * 100
    size = f"{pct:.0f}%" if pct >= 1 else "under 1%"
    side = "above" if difference > 0 else "below"
    lead = str(row["scenario"]) if len(others) == 1 else f"{row['scenario']} moves most"
    return f"{lead}: {size} {side} baseline by {last_period}"
