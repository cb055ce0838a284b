"""A user's uploaded indicators as first-class, session-only catalogue rows and observations. Pure: no Streamlit.

``build_your_data`` turns a validated upload (insight.uploads.LoadedUpload's frame) and the choices made on
Data & methods (each indicator's title, unit, polarity and source; whether to apply the disclosure rule) into
``YourData``: catalogue rows in the schema's columns (theme "your data", status "uploaded", ids prefixed
``yours_`` so they never collide with a published id) and observations in the schema's columns, with the
disclosure rule applied by insight.disclosure when chosen. The pages merge these with the published tables
(``merge_filter_options``, ``with_yours``) for the session that uploaded them only.

Text a person gives (a title, a unit, a source) is kept only if it is "safe text": letters, digits, spaces and
``, . ( ) % / & ' + ; -``, starting with a letter or digit, and never ``www.``; such text cannot form Markdown,
HTML, a link or a spreadsheet formula wherever a page or an export shows it. The file's name is never put in
a catalogue field: pages show it through insight.text.plain().
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from insight import schema as s
from insight.disclosure import apply_disclosure_rules
from insight.formatting import lower_first
from insight.query import FilterOptions

YOUR_THEME = "your data"
YOUR_PREFIX = "yours_"
YOUR_LABEL = "Your data — not published"
SHORT_SUFFIX = " (your data)"
YOUR_LICENCE = "Your own data, not published (not checked by the Insight team)"
UK_TIME = ZoneInfo("Europe/London")
MAX_TITLE, MAX_SHORT_TITLE, MAX_UNIT, MAX_SOURCE = 120, 50, 40, 160
SAFE_PUNCTUATION = " .,()%/&'+;-–—£€’"
SAFE_START = "%£€"  # besides letters and digits (never = + - @, which start a spreadsheet formula)
SAFE_RULE = ("letters, digits, spaces and `, . ( ) % / & ' + ; - £ €` only, starting with a letter, a digit, `%` "
             "or `£` (no links: never `www.`)")  # code spans: the words are shown as Markdown
POLARITY_WORDS = {"higher is better": s.Polarity.HIGHER_IS_BETTER, "higher_is_better": s.Polarity.HIGHER_IS_BETTER,
                  "higher is worse": s.Polarity.HIGHER_IS_WORSE, "higher_is_worse": s.Polarity.HIGHER_IS_WORSE,
                  "lower is better": s.Polarity.HIGHER_IS_WORSE, "neither": s.Polarity.NEITHER,
                  "none": s.Polarity.NEITHER}
POLARITY_TEXT = {s.Polarity.HIGHER_IS_BETTER: "Higher is better", s.Polarity.HIGHER_IS_WORSE: "Higher is worse",
                 s.Polarity.NEITHER: "Neither (context)"}
KNOWN_FLAGS = {f.value for f in s.Flag}
_FREQUENCY_OF_SPAN = {(1, 0): s.Frequency.ANNUAL, (0, 1): s.Frequency.MONTHLY, (0, 3): s.Frequency.QUARTERLY,
                      (3, 0): s.Frequency.ROLLING_3_YEAR, (5, 0): s.Frequency.ROLLING_5_YEAR}
_SPAN_WORDS = {(1, 0): "annual", (0, 1): "monthly", (0, 3): "quarterly", (3, 0): "3-year", (5, 0): "5-year",
               (0, 0): "single-day"}
_RATE_UNITS = {1_000: "per 1,000", 10_000: "per 10,000", 100_000: "per 100,000"}
MEMO_ENTRIES = 24  # derived results one session keeps for its upload (a trend view, a priority index, ...)


def is_safe_text(text: str) -> bool:
    """True when ``text`` is safe text (see the module docstring): inert in Markdown, HTML and spreadsheets."""
    if not text or not (text[0].isalnum() or text[0] in SAFE_START) or "www." in text.lower():
        return False
    return all(ch.isalnum() or ch in SAFE_PUNCTUATION for ch in text)


def session_id(upload_id: str) -> str:
    """The id an uploaded indicator has in the session (never a published id)."""
    return f"{YOUR_PREFIX}{upload_id}"


def default_title(upload_id: str) -> str:
    """'food_bank-referrals' -> 'Food bank referrals' (ids are letters, digits, '_' and '-': always safe text)."""
    words = " ".join(re.split(r"[_\-]+", upload_id)).strip() or upload_id
    text = words[0].upper() + words[1:]
    return text if is_safe_text(text) else f"Indicator {text}"


# ---- what the file says about each indicator ------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorShape:
    """What an uploaded indicator's rows say: periods, levels, kind of value, and whether pages can use it."""

    upload_id: str
    frequency: s.Frequency | None  # None: the pages cannot place its periods on one series (said in `problem`)
    levels: tuple[s.Level, ...]
    n_areas: int
    n_periods: int
    first_period: str
    last_period: str
    value_type: s.ValueType
    unit: str  # the unit the values imply ("%", "per 1,000", "Number", "Value")
    multiplier: float | None  # value = multiplier x numerator / denominator (None: no usable numerator)
    counts: bool  # whole-number counts or numerators: the disclosure rule applies
    has_intervals: bool
    notes: tuple[str, ...] = ()
    problem: str | None = None


def _span(start: pd.Timestamp, end: pd.Timestamp) -> tuple[int, int]:
    """(years, months) a period covers: (1, 0) a year, (0, 1) a month, (0, 3) a quarter, (0, 0) a day."""
    after = end + pd.Timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day != start.day or start == end:
        return (0, 0)
    return (months // 12, 0) if months % 12 == 0 else (0, months)


def describe_indicator(rows: pd.DataFrame, levels_of: Mapping[str, str]) -> IndicatorShape:
    """The shape of one uploaded indicator's rows (schema observation columns)."""
    upload_id = str(rows[s.INDICATOR_ID].iloc[0])
    notes: list[str] = []
    spans = {_span(a, b) for a, b in zip(rows[s.PERIOD_START], rows[s.PERIOD_END], strict=True)}
    starts = rows[s.PERIOD_START].nunique()
    problem = None
    frequency: s.Frequency | None
    if starts == 1:
        frequency = s.Frequency.SNAPSHOT
    elif len(spans) > 1:
        frequency = None
        kinds = " and ".join(sorted(_SPAN_WORDS.get(k, "other") for k in spans))
        problem = f"its periods mix {kinds} periods; give one kind of period per indicator"
    else:
        frequency = _FREQUENCY_OF_SPAN.get(next(iter(spans)))
        if frequency is None:
            problem = ("its periods are single days (or spans the pages do not use): give years (2023), "
                       "quarters (2023 Q1) or months (2023-04)")
    level_order = list(s.Level)
    present = sorted({s.Level(levels_of[c]) for c in rows[s.AREA_CODE] if c in levels_of}, key=level_order.index)
    valued = rows[rows[s.VALUE].notna()]
    value_type, unit, multiplier = _value_kind(valued, notes)
    counts = multiplier is not None or value_type == s.ValueType.COUNT
    ordered = valued.sort_values(s.PERIOD_START)
    return IndicatorShape(
        upload_id, frequency, tuple(present), int(rows[s.AREA_CODE].nunique()), int(starts),
        str(ordered[s.PERIOD_LABEL].iloc[0]) if not ordered.empty else "",
        str(ordered[s.PERIOD_LABEL].iloc[-1]) if not ordered.empty else "",
        value_type, unit, multiplier, counts,
        bool(valued[s.LOWER_95].notna().any() and valued[s.UPPER_95].notna().any()), tuple(notes),
        problem if not valued.empty else "it has no values")


def _value_kind(valued: pd.DataFrame, notes: list[str]) -> tuple[s.ValueType, str, float | None]:
    """(value type, unit, multiplier) from the values and, where every row has them, numerator/denominator."""
    both = valued[s.NUMERATOR].notna() & valued[s.DENOMINATOR].notna() & (valued[s.DENOMINATOR] > 0)
    if len(valued) and both.all():
        ratio = valued[s.NUMERATOR] / valued[s.DENOMINATOR]
        positive = ratio > 0
        zero_ok = bool((valued.loc[~positive, s.VALUE] == 0).all())
        k = (valued.loc[positive, s.VALUE] / ratio[positive]).to_numpy(dtype=float)
        if positive.any() and zero_ok and np.all(np.abs(k / np.median(k) - 1) < 0.005):
            multiplier = float(np.median(k))
            nearest = min((1, 100, 1_000, 10_000, 100_000), key=lambda m: abs(np.log(multiplier / m)))
            if abs(multiplier / nearest - 1) < 0.005:
                if nearest == 100:
                    return s.ValueType.PROPORTION, "%", 100.0
                if nearest in _RATE_UNITS:
                    return s.ValueType.RATE, _RATE_UNITS[nearest], float(nearest)
                return s.ValueType.RATE, "share (0 to 1)", 1.0
            return s.ValueType.MEAN, "Value", multiplier
        notes.append("Its values are not numerator ÷ denominator × one constant, so its numerators and "
                     "denominators are not used.")
    elif both.any():
        notes.append("Only some rows have a numerator and a denominator, so they are not used.")
    values = valued[s.VALUE].to_numpy(dtype=float)
    if len(values) and np.all(values >= 0) and np.all(values == np.round(values)):
        return s.ValueType.COUNT, COUNT_UNIT, None
    if len(values) and np.any(values < 0):
        return s.ValueType.SCORE, "Value", None
    return s.ValueType.MEAN, "Value", None


def describe_upload(frame: pd.DataFrame, areas: pd.DataFrame) -> dict[str, IndicatorShape]:
    """Upload id -> its shape, for every indicator in an upload."""
    levels_of = dict(zip(areas[s.AREA_CODE], areas[s.LEVEL], strict=True))
    return {str(i): describe_indicator(part, levels_of) for i, part in frame.groupby(s.INDICATOR_ID, sort=True)}


# ---- what people say about each indicator (metadata sheet or form) ----------------------------------------
@dataclass(frozen=True)
class IndicatorMeta:
    """Title, short title, unit, polarity and source of one uploaded indicator, and which were defaulted."""

    upload_id: str
    title: str
    short_title: str
    unit: str
    polarity: s.Polarity
    source: str
    defaulted: tuple[str, ...] = ()  # the fields not given, filled with defaults

    def defaults_sentence(self) -> str:
        """'Not given, so defaulted: unit (number), polarity (neither).' or ''."""
        if not self.defaulted:
            return ""
        shown = {"title": self.title, "short title": self.short_title, "unit": self.unit,
                 "polarity": self.polarity.value.replace("_", " "), "source": self.source}
        return "Not given, so defaulted: " + ", ".join(f"{f} ({shown[f]})" for f in self.defaulted) + "."


COUNT_UNIT = "Number"


def default_unit(shape: IndicatorShape, title: str) -> str:
    """The unit the values imply; for counts 'Number of <title>' (sentences then read '3,000 food bank
    referrals'), or 'Number' when that would be too long."""
    if shape.unit != COUNT_UNIT:
        return shape.unit
    unit = f"Number of {lower_first(title)}"
    return unit if len(unit) <= MAX_UNIT and is_safe_text(unit) else COUNT_UNIT


def default_meta(shape: IndicatorShape) -> IndicatorMeta:
    """The defaults when nothing is said: a title from the id, the unit the values imply, polarity 'neither'
    (rated Higher/Lower, never Better/Worse, and kept out of the priority index), source 'your own data'."""
    title = default_title(shape.upload_id)
    return IndicatorMeta(shape.upload_id, title, title[:MAX_SHORT_TITLE], default_unit(shape, title), s.Polarity.NEITHER,
                         "Your own data", ("title", "unit", "polarity", "source"))


def parse_polarity(text: str) -> s.Polarity | None:
    """A polarity from its words ('higher is better', 'higher_is_worse', 'neither', ...), or None."""
    return POLARITY_WORDS.get(" ".join(text.strip().lower().split()))


def read_meta(given: Mapping[str, str], shape: IndicatorShape) -> tuple[IndicatorMeta, tuple[str, ...]]:
    """An indicator's metadata from what a sheet row or the form gives (title, short_title, unit, polarity,
    source; blank = default), with a sentence for each value refused (the default is used instead)."""
    base = default_meta(shape)
    problems: list[str] = []
    defaulted: list[str] = []
    values: dict[str, Any] = {}
    for name, limit in (("title", MAX_TITLE), ("short_title", MAX_SHORT_TITLE), ("unit", MAX_UNIT),
                        ("source", MAX_SOURCE)):
        text = " ".join(str(given.get(name, "") or "").split())
        if text and (len(text) > limit or not is_safe_text(text)):
            problems.append(f"the {name.replace('_', ' ')} was not used: it must be at most {limit} characters "
                            f"of {SAFE_RULE}")
            text = ""
        values[name] = text
    raw_polarity = str(given.get("polarity", "") or "")
    polarity = parse_polarity(raw_polarity) if raw_polarity.strip() else None
    if raw_polarity.strip() and polarity is None:
        problems.append("the polarity was not used: say 'higher is better', 'higher is worse' or 'neither'")
    title = values["title"] or base.title
    short = values["short_title"] or (values["title"][:MAX_SHORT_TITLE].rstrip() if values["title"] else base.short_title)
    for name, got in (("title", values["title"]), ("unit", values["unit"]), ("polarity", polarity),
                      ("source", values["source"])):
        if not got:
            defaulted.append(name)
    return IndicatorMeta(shape.upload_id, title, short, values["unit"] or default_unit(shape, title),
                         polarity or base.polarity,
                         values["source"] or base.source, tuple(defaulted)), tuple(problems)


def metadata_rows(rows: tuple[dict[str, str], ...]) -> dict[str, dict[str, str]]:
    """A workbook's metadata sheet rows by indicator id (the first row of an id wins)."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(str(row.get("indicator_id", "")).strip(), row)
    return out


# ---- the session's indicators -----------------------------------------------------------------------------
class SessionMemo:
    """A small least-recently-used store of results derived from one session's upload (held with it in the
    session, so it goes when the session or the upload goes; never shared between sessions)."""

    def __init__(self, max_entries: int = MEMO_ENTRIES) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The stored result for ``key``, made (and stored) the first time."""
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = make()
        self._items[key] = value
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class YourData:
    """A session's uploaded indicators, ready to merge with the published tables."""

    file_name: str
    uploaded_at: datetime
    indicators: pd.DataFrame  # schema.INDICATOR_COLUMNS + access: one row per usable indicator
    observations: pd.DataFrame  # schema.OBSERVATION_COLUMNS, session ids, disclosure applied where chosen
    shapes: dict[str, IndicatorShape]  # by upload id (every indicator in the file)
    meta: dict[str, IndicatorMeta]  # by upload id
    notes: dict[str, tuple[str, ...]]  # by session id: what was defaulted, what the disclosure rule did
    disclosure: bool  # the rule was applied to the indicators with counts
    unusable: dict[str, str] = field(default_factory=dict)  # upload id -> why the pages cannot show it
    memo: SessionMemo = field(default_factory=SessionMemo, compare=False, repr=False)

    @property
    def ids(self) -> tuple[str, ...]:
        """Session ids of the usable indicators, in title order."""
        return tuple(self.indicators.sort_values(s.SHORT_TITLE)[s.INDICATOR_ID])

    def has(self, indicator_id: str | None) -> bool:
        """True when ``indicator_id`` is one of this session's uploaded indicators."""
        return indicator_id is not None and indicator_id in set(self.indicators[s.INDICATOR_ID])

    def touches(self, indicator_ids: object) -> bool:
        """True when any of the ids is one of this session's uploaded indicators."""
        return any(self.has(str(i)) for i in indicator_ids)  # type: ignore[attr-defined]

    @property
    def when(self) -> str:
        """The upload time as people read it: '14:02 on 1 Dec 2026' (UK time)."""
        local = self.uploaded_at.astimezone(UK_TIME)
        return f"{local:%H:%M} on {local.day} {local:%b %Y}"

    def label(self, file_text: str) -> str:
        """'Your data — not published · <file> · uploaded 14:02 on 1 Dec 2026'; ``file_text`` is the file name
        as the caller shows it (insight.text.plain() in Markdown, shortened text in a chart)."""
        return f"{YOUR_LABEL} · {file_text} · uploaded {self.when}"


def build_your_data(frame: pd.DataFrame, file_name: str, uploaded_at: datetime, areas: pd.DataFrame,
                    meta: Mapping[str, IndicatorMeta], *, disclosure: bool, council_code: str,
                    shapes: Mapping[str, IndicatorShape] | None = None) -> YourData:
    """The session's catalogue rows and observations of an upload (see the module docstring)."""
    shapes = dict(shapes or describe_upload(frame, areas))
    rows, frames, notes, unusable = [], [], {}, {}
    for upload_id, shape in shapes.items():
        if shape.problem or shape.frequency is None:
            unusable[upload_id] = shape.problem or "its periods cannot be placed on a series"
            continue
        info = meta.get(upload_id) or default_meta(shape)
        ident = session_id(upload_id)
        part = frame[frame[s.INDICATOR_ID] == upload_id].copy()
        part[s.INDICATOR_ID] = ident
        part[s.FLAG] = _flags(part[s.FLAG])
        said = [*shape.notes]
        if shape.multiplier is None:
            part[s.NUMERATOR] = np.nan
            part[s.DENOMINATOR] = np.nan
        value_type = s.ValueType.PROPORTION if info.unit.strip() == "%" and shape.value_type in (
            s.ValueType.MEAN, s.ValueType.COUNT) and bool(part[s.VALUE].dropna().between(0, 100).all()) \
            else shape.value_type
        rule = s.DISCLOSURE_SMALL_COUNTS if disclosure and shape.counts else s.DISCLOSURE_NONE
        if rule == s.DISCLOSURE_SMALL_COUNTS:
            part, rule_notes = _disclose(part, shape, areas, council_code)
            said.extend(rule_notes)
        if info.defaults_sentence():
            said.insert(0, info.defaults_sentence())
        notes[ident] = tuple(said)
        frames.append(part)
        rows.append({
            s.INDICATOR_ID: ident, s.TITLE: info.title, s.SHORT_TITLE: info.short_title + SHORT_SUFFIX,
            s.UNIT: info.unit, s.VALUE_TYPE: str(value_type), s.POLARITY: str(info.polarity),
            s.FREQUENCY: str(shape.frequency), s.THEME: YOUR_THEME,
            s.LEVELS: ";".join(str(v) for v in shape.levels), s.SOURCE: f"{YOUR_LABEL}. {info.source}",
            s.LICENCE: YOUR_LICENCE,
            s.DEFINITION: (f"{info.title}: uploaded by you for this browser session, {shape.n_areas} area(s), "
                           f"{shape.first_period} to {shape.last_period}. Not published and not checked by the "
                           "Insight team."),
            s.DISCLOSURE_RULE: rule, s.STATUS: str(s.Status.UPLOADED), s.ACCESS: s.ACCESS_PUBLIC})
    indicators = pd.DataFrame(rows, columns=[*s.INDICATOR_COLUMNS, s.ACCESS])
    observations = pd.concat(frames, ignore_index=True)[s.OBSERVATION_COLUMNS] if frames else \
        frame.iloc[0:0][s.OBSERVATION_COLUMNS]
    return YourData(file_name, uploaded_at, indicators, observations.reset_index(drop=True), shapes,
                    {k: meta.get(k) or default_meta(v) for k, v in shapes.items()}, notes, disclosure, unusable)


def _flags(flags: pd.Series) -> pd.Series:
    """The file's flags in the dashboard's vocabulary (unreliable, not available, suppressed, provisional);
    any other text is dropped (it would otherwise reach exports and screens as free text)."""
    lowered = flags.fillna("").astype(str).str.strip().str.lower()
    return lowered.where(lowered.isin(KNOWN_FLAGS), "")


def _disclose(part: pd.DataFrame, shape: IndicatorShape, areas: pd.DataFrame,
              council_code: str) -> tuple[pd.DataFrame, list[str]]:
    """Suppress counts 1-7 and round the rest to 5 (insight.disclosure: values and intervals published from the
    rounded counts, secondary suppression against the area sums the file is additive over)."""
    ident = str(part[s.INDICATOR_ID].iloc[0])
    has_count = part[s.NUMERATOR].notna() if shape.multiplier is not None else part[s.VALUE].notna()
    ruled, kept = part[has_count].copy(), part[~has_count]
    scale = shape.multiplier
    kind = s.ValueType.COUNT if scale is None else s.ValueType.PROPORTION
    if scale is not None:
        ruled[s.VALUE] = 100 * ruled[s.NUMERATOR] / ruled[s.DENOMINATOR]
    catalogue = pd.DataFrame([{s.INDICATOR_ID: ident, s.VALUE_TYPE: str(kind),
                               s.DISCLOSURE_RULE: s.DISCLOSURE_SMALL_COUNTS}])
    edges = additive_edges(ruled, areas, council_code, numerator=scale is not None)
    out = apply_disclosure_rules(ruled, catalogue, edges)
    if scale is not None and scale != 100:
        for column in (s.VALUE, s.LOWER_95, s.UPPER_95):
            out[column] = out[column] * scale / 100
    hidden = int((out[s.FLAG] == s.Flag.SUPPRESSED.value).sum())
    notes = [f"Disclosure rule applied: counts of 1–7 suppressed ({hidden} value(s) hidden, with any needed so "
             "that they cannot be worked out from totals), other counts rounded to the nearest 5."]
    if shape.has_intervals:
        notes.append("Your 95% intervals were replaced: intervals from unrounded counts could give those counts "
                     "back." + (" Wilson intervals from the rounded counts are shown instead." if scale is not None
                                else " Counts are shown without intervals."))
    return pd.concat([out, kept]).sort_values([s.AREA_CODE, s.PERIOD_START]).reset_index(drop=True), notes


def additive_edges(rows: pd.DataFrame, areas: pd.DataFrame, council_code: str, *, numerator: bool) -> pd.DataFrame:
    """The area sums (child, parent, hierarchy) an attacker could difference in these rows: LSOA -> small area,
    district and council; small areas and districts -> council, each kept only where every parent in the rows
    is exactly the sum of its children in the rows, in every period (a sum that does not hold is no identity:
    insight.disclosure.sum_constraints links a parent to the children that have cells)."""
    count = s.NUMERATOR if numerator else s.VALUE
    lsoa = areas[areas[s.LEVEL] == s.Level.LSOA]
    parts = lsoa[s.PARENT_CODES].astype(str).str.split(";")
    level_of = dict(zip(areas[s.AREA_CODE], areas[s.LEVEL], strict=True))
    division = [next((p for p in ps if level_of.get(p) == s.Level.DIVISION), "") for ps in parts]
    district = [next((p for p in ps if level_of.get(p) == s.Level.DISTRICT), "") for ps in parts]
    links = [pd.DataFrame({"child": lsoa[s.AREA_CODE], "parent": division, "hierarchy": "lsoa->division"}),
             pd.DataFrame({"child": lsoa[s.AREA_CODE], "parent": district, "hierarchy": "lsoa->district"}),
             pd.DataFrame({"child": lsoa[s.AREA_CODE], "parent": council_code, "hierarchy": "lsoa->county"})]
    for level, name in ((s.Level.DIVISION, "division->county"), (s.Level.DISTRICT, "district->county")):
        codes = areas.loc[areas[s.LEVEL] == level, s.AREA_CODE]
        links.append(pd.DataFrame({"child": codes, "parent": council_code, "hierarchy": name}))
    edges = pd.concat(links, ignore_index=True)
    edges = edges[(edges["parent"] != "") & (edges["child"] != edges["parent"])]
    values = rows.set_index([s.PERIOD_START, s.AREA_CODE])[count]
    kept = []
    for _, group in edges.groupby("hierarchy", sort=True):
        children = group.groupby("parent")["child"].agg(list)
        holds, used = True, False
        for period in rows[s.PERIOD_START].unique():
            at = values.xs(period, level=0)
            for parent, kids in children.items():
                if parent not in at.index:
                    continue
                present = [k for k in kids if k in at.index]
                if not present:
                    continue
                used = True
                if not np.isclose(float(at[str(parent)]), float(at[present].sum())):
                    holds = False
                    break
            if not holds:
                break
        if holds and used:
            kept.append(group)
    return pd.concat(kept, ignore_index=True) if kept else edges.iloc[0:0]


# ---- merging with the published tables --------------------------------------------------------------------
def merge_filter_options(options: FilterOptions, yours: YourData | None) -> FilterOptions:
    """The shared filters' lookups with the session's indicators added, in their own last theme 'your data'."""
    if yours is None or yours.indicators.empty:
        return options
    titles = dict(zip(yours.indicators[s.INDICATOR_ID], yours.indicators[s.SHORT_TITLE], strict=True))
    ordered = dict(sorted(titles.items(), key=lambda item: item[1].lower()))
    return replace(options, indicator_themes={**options.indicator_themes, **{i: YOUR_THEME for i in ordered}},
                   titles_by_theme={**options.titles_by_theme, YOUR_THEME: ordered})


def with_yours(indicators: pd.DataFrame, observations: pd.DataFrame,
               yours: YourData | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The published catalogue and observations with the session's added (the published tables unchanged)."""
    if yours is None or yours.indicators.empty:
        return indicators, observations
    extra = yours.indicators.reindex(columns=indicators.columns, fill_value=s.ACCESS_PUBLIC)
    return (pd.concat([indicators, extra], ignore_index=True),
            pd.concat([observations, yours.observations], ignore_index=True))


def replace_meta(yours: YourData, frame: pd.DataFrame, areas: pd.DataFrame, meta: Mapping[str, IndicatorMeta], *,
                 disclosure: bool, council_code: str) -> YourData:
    """The same upload with other choices (a fresh memo: derived results of the old choices are dropped)."""
    return build_your_data(frame, yours.file_name, yours.uploaded_at, areas, meta, disclosure=disclosure,
                           council_code=council_code, shapes=yours.shapes)
