"""A division's profile: every division-level indicator against the 70 divisions and Essex.

Pure functions over the data model (no Streamlit). The page asks for:

* `division_table` - one row per (indicator, division) at each indicator's latest period, with the
  indicator's disclosure rule applied, spine-chart positions, rank among the divisions and a rating
  against the county (and England where it has a value), at 95% confidence (CONVENTIONS S1-S4, D1-D3);
* `profile_frame` - the rows of one division from that table;
* `summarise` - its three biggest strengths and challenges relative to the county, in words;
* `similar_divisions` / `comparison_table` - side-by-side comparison with up to three divisions;
* `district_trends` / `imd_trend` - the series shown on trend cards, with S5 trend markers;
* `profile_csv` - the profile's figures as CSV, with disclosure applied and source lines.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from insight import schema as s
from insight.errors import UnknownAreaError
from insight.formatting import format_value, lower_first
from insight.stats import (
    TREND_RECENT_POINTS,
    Rating,
    TrendMarker,
    apply_disclosure,
    compare_frame,
    nearest_neighbours,
    percentile_positions,
    place_on_spine,
    trend_marker,
)

# ---- column names of the profile table (schema columns are reused where they mean the same) -----
DIVISION_NAME = "division_name"
COMPARATOR_VALUE = "comparator_value"  # the county (Essex) value
ENGLAND_VALUE = "england_value"
RATING = "rating"  # against the county, 95%
RATING_ENGLAND = "rating_england"
RANK = "rank"  # 1 = best (or highest, for polarity "neither")
RANK_OF = "rank_of"
RANK_TEXT = "rank_text"
WORST, P25, MEDIAN, P75, BEST = "worst", "p25", "median", "p75", "best"
POS_VALUE, POS_COMPARATOR = "pos_value", "pos_comparator"
POS_P25, POS_MEDIAN, POS_P75 = "pos_p25", "pos_median", "pos_p75"
VALUE_TEXT, COMPARATOR_TEXT = "value_text", "comparator_text"
SCORE = "score"  # (value - county) / SD across divisions, positive = better
SOURCE_LINE = "source_line"
AREA_LABEL = "area_label"

NOT_COMPARED_MIN_SCORE = 0.5  # without an interval, a strength/challenge must differ by >= 0.5 SD
MAX_PER_THEME = 2  # at most two strengths (or challenges) from one theme, so the summary is varied
SUPPRESSED_TEXT = "suppressed"

# Trend cards: district series per theme, in order of preference (national ONS Explore Local Statistics ids).
TREND_CARDS: dict[str, tuple[str, ...]] = {
    "economy": ("claimant_count", "employment_rate", "median_weekly_pay", "gdhi_per_head"),
    "children and families": ("gcse_english_maths", "ks2_expected_standard", "child_poverty_bhc",
                              "early_years_communication"),
    "health and wellbeing": ("adult_obesity", "cvd_preventable_mortality", "wellbeing_satisfaction",
                             "cancer_early_diagnosis"),
    "place": ("housing_affordability", "net_additional_dwellings", "first_time_buyers"),
    "environment": ("ghg_emissions", "electricity_consumption", "gas_consumption"),
}
IMD_TREND_ID = "imd_rank_percentile"


def division_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """Catalogue rows of real (not illustrative) indicators published at division level, by theme."""
    levels = indicators[s.LEVELS].astype(str).str.split(";")
    mask = levels.map(lambda lv: s.Level.DIVISION.value in lv) & (indicators[s.STATUS] != s.Status.ILLUSTRATIVE)
    return indicators[mask].sort_values([s.THEME, s.SHORT_TITLE]).reset_index(drop=True)


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _value_text(value: float, flag: str, unit: str, value_type: str) -> str:
    if flag == s.Flag.SUPPRESSED.value:
        return SUPPRESSED_TEXT
    if value_type == s.ValueType.PERCENTILE and not math.isnan(value):
        return f"{value:.1f} of 100"
    return format_value(value, unit, value_type)


def _latest_rows(observations: pd.DataFrame, indicator_id: str, codes: list[str]) -> pd.DataFrame:
    rows = observations[(observations[s.INDICATOR_ID] == indicator_id) & observations[s.AREA_CODE].isin(codes)]
    if rows.empty:
        return rows
    latest = rows[s.PERIOD_START].max()
    return rows[rows[s.PERIOD_START] == latest]


def _comparator(observations: pd.DataFrame, indicator_id: str, code: str, period: pd.Timestamp) -> float:
    rows = observations[(observations[s.INDICATOR_ID] == indicator_id) & (observations[s.AREA_CODE] == code)
                        & (observations[s.PERIOD_START] == period)]
    values = rows[s.VALUE].dropna()
    return float(values.iloc[0]) if not values.empty else float("nan")


def division_table(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                   county_code: str, england_code: str) -> pd.DataFrame:
    """One row per (division-level indicator, division) at the indicator's latest period.

    Disclosure rules are applied first (so suppressed values take no part in ranks or positions).
    Ranks: 1 = best (higher_is_better: highest; higher_is_worse: lowest); for polarity 'neither'
    1 = highest. Ties share the best rank. Ratings compare the division's 95% interval with the
    county value (S4); indicators without an interval are 'Not compared'.
    """
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION]
    codes = divisions[s.AREA_CODE].tolist()
    names = divisions.set_index(s.AREA_CODE)[s.AREA_NAME]
    frames = []
    for _, ind in division_indicators(indicators).iterrows():
        rows = _latest_rows(observations, ind[s.INDICATOR_ID], codes)
        if rows.empty:
            continue
        rows = apply_disclosure(rows, str(ind[s.DISCLOSURE_RULE]))
        polarity = s.Polarity(ind[s.POLARITY])
        period = rows[s.PERIOD_START].iloc[0]
        values = rows[s.VALUE].astype(float)
        spine = percentile_positions(values, polarity)
        county = _comparator(observations, ind[s.INDICATOR_ID], county_code, period)
        england = _comparator(observations, ind[s.INDICATOR_ID], england_code, period)
        ascending = polarity is s.Polarity.HIGHER_IS_WORSE
        sd = float(values.std(ddof=0)) if values.notna().sum() > 1 else float("nan")
        orientation = -1.0 if polarity is s.Polarity.HIGHER_IS_WORSE else 1.0
        out = rows.assign(**{
            DIVISION_NAME: rows[s.AREA_CODE].map(names),
            s.TITLE: ind[s.TITLE], s.SHORT_TITLE: ind[s.SHORT_TITLE], s.THEME: ind[s.THEME],
            s.UNIT: ind[s.UNIT], s.VALUE_TYPE: ind[s.VALUE_TYPE], s.POLARITY: polarity.value,
            s.STATUS: ind[s.STATUS], s.DISCLOSURE_RULE: ind[s.DISCLOSURE_RULE],
            s.SOURCE: ind[s.SOURCE], s.LICENCE: ind[s.LICENCE],
            SOURCE_LINE: f"Source: {ind[s.SOURCE]}. Licence: {ind[s.LICENCE]}.",
            COMPARATOR_VALUE: county, ENGLAND_VALUE: england,
            RANK: values.rank(ascending=ascending, method="min"), RANK_OF: int(values.notna().sum()),
            WORST: spine.worst, P25: spine.p25, MEDIAN: spine.median, P75: spine.p75, BEST: spine.best,
            POS_COMPARATOR: place_on_spine(county, spine), POS_P25: place_on_spine(spine.p25, spine),
            POS_MEDIAN: place_on_spine(spine.median, spine), POS_P75: place_on_spine(spine.p75, spine),
            SCORE: (values - county) / sd * orientation if sd and not math.isnan(sd) else np.nan,
        })
        out[POS_VALUE] = [place_on_spine(v, spine) for v in values]
        out[RATING] = compare_frame(out, COMPARATOR_VALUE, s.POLARITY)
        out[RATING_ENGLAND] = compare_frame(out, ENGLAND_VALUE, s.POLARITY)
        frames.append(out)
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    table[s.FLAG] = table[s.FLAG].fillna("").astype(str)
    table[VALUE_TEXT] = [_value_text(v, f, u, t) for v, f, u, t in
                         zip(table[s.VALUE], table[s.FLAG], table[s.UNIT], table[s.VALUE_TYPE], strict=True)]
    table[COMPARATOR_TEXT] = [_value_text(v, "", u, t) for v, u, t in
                              zip(table[COMPARATOR_VALUE], table[s.UNIT], table[s.VALUE_TYPE], strict=True)]
    table[RANK_TEXT] = [_rank_text(r, n, p) for r, n, p in
                        zip(table[RANK], table[RANK_OF], table[s.POLARITY], strict=True)]
    return table


def _rank_text(rank: float, of: int, polarity: str) -> str:
    if rank is None or math.isnan(rank):
        return "not ranked"
    top, bottom = ("highest", "lowest") if polarity == s.Polarity.NEITHER else ("best", "worst")
    place = int(rank)
    if place == 1:
        return f"{top} of {of}"
    if place == of:  # never "70th best of 70"
        return f"{bottom} of {of}"
    if place <= (of + 1) // 2:
        return f"{ordinal(place)} {top} of {of}"
    return f"{ordinal(of - place + 1)} {bottom} of {of}"


def profile_frame(table: pd.DataFrame, division_code: str) -> pd.DataFrame:
    """The rows of one division, grouped by theme (UnknownAreaError if it has none)."""
    rows = table[table[s.AREA_CODE] == division_code] if not table.empty else table
    if rows.empty:
        raise UnknownAreaError(division_code)
    return rows.sort_values([s.THEME, s.SHORT_TITLE]).reset_index(drop=True)


# ---- summary: three strengths and three challenges -----------------------------------------------
@dataclass(frozen=True)
class SummaryItem:
    """One strength or challenge, already in words."""

    indicator_id: str
    phrase: str  # "lower income deprivation (12.1% v Essex 18.6%)"
    score: float
    rating: str


@dataclass(frozen=True)
class Summary:
    """The generated plain-English summary of a division against the county."""

    division_name: str
    comparator_name: str
    strengths: tuple[SummaryItem, ...] = field(default=())
    challenges: tuple[SummaryItem, ...] = field(default=())

    @property
    def text(self) -> str:
        def listing(items: tuple[SummaryItem, ...]) -> str:
            phrases = [item.phrase for item in items]
            return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]

        parts = []
        owner = self.division_name + ("'" if self.division_name.endswith("s") else "'s")
        if self.strengths:
            noun = "strengths are" if len(self.strengths) > 1 else "strength is"
            parts.append(f"Compared with {self.comparator_name}, {owner} biggest {noun} "
                         f"{listing(self.strengths)}.")
        else:
            parts.append(f"No measure is clearly better in {self.division_name} than in {self.comparator_name}.")
        if self.challenges:
            noun = "challenges are" if len(self.challenges) > 1 else "challenge is"
            parts.append(f"Its biggest {noun} {listing(self.challenges)}.")
        else:
            parts.append(f"No measure is clearly worse than in {self.comparator_name}.")
        return " ".join(parts)


def _subject(row: Mapping[Hashable, Any], higher: bool) -> str:
    """'fewer disabled residents', 'a lower share of residents in most deprived 10% nationally', ..."""
    title = lower_first(str(row[s.SHORT_TITLE]).replace(" (trend)", ""))
    word = "higher" if higher else "lower"
    if row[s.VALUE_TYPE] == s.ValueType.PROPORTION:
        if title.split(" ")[0] in {"in", "within", "aged"}:
            unit = str(row[s.UNIT])
            who = unit.split(" of ", 1)[1] if " of " in unit else "people"
            return f"a {word} share of {who} {title}"
        if title.endswith(("residents", "households")) or title.startswith(("residents", "households")):
            return f"{'more' if higher else 'fewer'} {title}"
    if row[s.VALUE_TYPE] == s.ValueType.SCORE and "score" not in title.lower():
        return f"a {word} {title} score"
    if row[s.VALUE_TYPE] in (s.ValueType.SCORE, s.ValueType.PERCENTILE):
        return f"a {word} {title}"
    return f"{word} {title}"


def _phrase(row: Mapping[Hashable, Any], comparator_name: str) -> str:
    higher = bool(row[s.VALUE] > row[COMPARATOR_VALUE])
    return f"{_subject(row, higher)} ({row[VALUE_TEXT]} v {comparator_name} {row[COMPARATOR_TEXT]})"


def summarise(profile: pd.DataFrame, comparator_name: str, n: int = 3) -> Summary:
    """The `n` biggest strengths and challenges of a division relative to the county.

    Candidates have a clear polarity, a value and a county value. Where an interval exists the
    rating must be Better (strength) or Worse (challenge) at 95%; without one, the division must
    differ from the county by at least half a standard deviation of the 70 divisions. Candidates
    are ranked by that standardised difference (`score`); at most two come from one theme.
    """
    name = str(profile[DIVISION_NAME].iloc[0]) if not profile.empty else ""
    rows = profile.to_dict("records")  # a couple of dozen rows: plain dicts are quicker than frames here

    def present(value: Any) -> bool:
        return value is not None and not (isinstance(value, float) and math.isnan(value))

    usable = [r for r in rows if r[s.POLARITY] != s.Polarity.NEITHER and present(r[s.VALUE])
              and present(r[COMPARATOR_VALUE]) and present(r[SCORE])]
    candidates = [r for r in usable if r[RATING] in (Rating.BETTER, Rating.WORSE)
                  or (r[RATING] == Rating.NOT_COMPARED and abs(r[SCORE]) >= NOT_COMPARED_MIN_SCORE)]
    strengths = [r for r in candidates if r[SCORE] > 0 and r[RATING] != Rating.WORSE]
    challenges = [r for r in candidates if r[SCORE] < 0 and r[RATING] != Rating.BETTER]

    def pick(found: list[dict[Hashable, Any]], descending: bool) -> tuple[SummaryItem, ...]:
        ordered = sorted(found, key=lambda r: (-r[SCORE] if descending else r[SCORE], str(r[s.INDICATOR_ID])))
        chosen: list[SummaryItem] = []
        per_theme: dict[str, int] = {}
        for row in ordered:
            theme = str(row[s.THEME])
            if per_theme.get(theme, 0) >= MAX_PER_THEME:
                continue
            per_theme[theme] = per_theme.get(theme, 0) + 1
            chosen.append(SummaryItem(str(row[s.INDICATOR_ID]), _phrase(row, comparator_name),
                                      float(row[SCORE]), str(row[RATING])))
            if len(chosen) == n:
                break
        return tuple(chosen)

    return Summary(name, comparator_name, pick(strengths, True), pick(challenges, False))


# ---- comparison with other divisions -------------------------------------------------------------
def similar_divisions(table: pd.DataFrame, division_code: str, k: int = 3) -> pd.DataFrame:
    """The `k` most similar divisions over every division-level indicator (see stats.nearest_neighbours)."""
    if table.empty:
        return pd.DataFrame(columns=[s.AREA_CODE, "distance", "indicators_used"])
    wide = table.pivot(index=s.AREA_CODE, columns=s.INDICATOR_ID, values=s.VALUE)  # one row per pair
    return nearest_neighbours(wide, division_code, k=k)


def comparison_table(table: pd.DataFrame, division_codes: list[str], comparator_name: str) -> pd.DataFrame:
    """Indicators down, the chosen divisions (first = the profiled one) and the county across, as text."""
    rows = table[table[s.AREA_CODE].isin(division_codes)]
    if rows.empty:
        return pd.DataFrame()
    records = rows[[s.THEME, s.SHORT_TITLE, s.AREA_CODE, DIVISION_NAME, VALUE_TEXT, COMPARATOR_TEXT]].to_dict("records")
    names = {r[s.AREA_CODE]: r[DIVISION_NAME] for r in records}
    ordered = [c for c in division_codes if c in names]
    cells: dict[tuple[str, str], dict[str, str]] = {}  # plain dicts: a few dozen rows, on each first visit
    for r in records:
        cells.setdefault((r[s.THEME], r[s.SHORT_TITLE]), {comparator_name: r[COMPARATOR_TEXT]})[r[s.AREA_CODE]] = \
            r[VALUE_TEXT]
    return pd.DataFrame([{"Theme": str(theme).capitalize(), "Indicator": title,
                          **{names[c]: cell.get(c) for c in ordered}, comparator_name: cell[comparator_name]}
                         for (theme, title), cell in sorted(cells.items())])


# ---- trends ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendCard:
    """One small multiple: an indicator's series for the district, the county and England."""

    indicator_id: str
    short_title: str
    unit: str
    marker: TrendMarker | None  # S5 marker for the district (None for rolling windows)
    marker_note: str


def district_trends(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, theme: str,
                    district_code: str, county_code: str, england_code: str
                    ) -> tuple[pd.DataFrame, tuple[TrendCard, ...]]:
    """Series of a theme's trend-card indicators for the district, county and England, with S5 markers."""
    names = areas.set_index(s.AREA_CODE)[s.AREA_NAME]
    catalogue = indicators.set_index(s.INDICATOR_ID)
    codes = [district_code, county_code, england_code]
    frames, cards = [], []
    for indicator_id in TREND_CARDS.get(theme, ()):
        if indicator_id not in catalogue.index:
            continue
        ind = catalogue.loc[indicator_id]
        rows = observations[(observations[s.INDICATOR_ID] == indicator_id) & observations[s.AREA_CODE].isin(codes)]
        district = rows[(rows[s.AREA_CODE] == district_code) & rows[s.VALUE].notna()]
        if len(district) < 2:
            continue
        frames.append(rows.assign(**{AREA_LABEL: rows[s.AREA_CODE].map(names), s.SHORT_TITLE: ind[s.SHORT_TITLE],
                                     s.UNIT: ind[s.UNIT]}))
        marker, note = None, "No trend marker: rolling averages overlap, so they are not independent annual points"
        if ind[s.FREQUENCY] == s.Frequency.ANNUAL:
            marker = trend_marker(list(district[s.PERIOD_START]), district[s.VALUE].to_numpy(), str(ind[s.POLARITY]),
                                  recent=TREND_RECENT_POINTS)
            note = marker.text if marker.direction is None else (
                f"{marker.text} over the latest {marker.n_points} years")
        cards.append(TrendCard(indicator_id, str(ind[s.SHORT_TITLE]), str(ind[s.UNIT]), marker, note))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return frame, tuple(cards)


def imd_trend(observations: pd.DataFrame, areas: pd.DataFrame, division_code: str, district_code: str,
              county_code: str) -> pd.DataFrame:
    """The IMD rank percentile (comparable across editions 2004-2025) of the division, district and county."""
    names = areas.set_index(s.AREA_CODE)[s.AREA_NAME]
    codes = [division_code, district_code, county_code]
    rows = observations[(observations[s.INDICATOR_ID] == IMD_TREND_ID) & observations[s.AREA_CODE].isin(codes)]
    rows = rows[rows[s.VALUE].notna()].sort_values([s.AREA_CODE, s.PERIOD_START])
    return rows.assign(**{AREA_LABEL: rows[s.AREA_CODE].map(names)}).reset_index(drop=True)


def imd_trend_finding(frame: pd.DataFrame, division_code: str, division_name: str) -> str:
    """A ten-word-or-fewer finding for the IMD trend chart (P1), from the first and latest editions."""
    rows = frame[frame[s.AREA_CODE] == division_code].sort_values(s.PERIOD_START)
    if len(rows) < 2:
        return f"{division_name}: deprivation rank by IMD edition"
    change = float(rows[s.VALUE].iloc[-1] - rows[s.VALUE].iloc[0])
    since = str(rows[s.PERIOD_LABEL].iloc[0]).replace("IMD ", "")
    if abs(change) < 2:
        return f"{division_name}'s deprivation rank has changed little since {since}"
    word = "less" if change > 0 else "more"
    return f"{division_name} is relatively {word} deprived than in {since}"


def sources_sentence(profile: pd.DataFrame) -> str:
    """'Sources: A; B. Licence: Open Government Licence v3.0.' from the profile's sources and licences."""
    sources = {part.strip() for text in profile[s.SOURCE].dropna().unique() for part in str(text).split(";")}
    licences = set(profile[s.LICENCE].dropna().astype(str))
    return f"Sources: {'; '.join(sorted(sources))}. Licence: {'; '.join(sorted(licences))}."


# ---- CSV --------------------------------------------------------------------------------------------
CSV_COLUMNS = {
    s.AREA_CODE: "area_code", DIVISION_NAME: "area_name", s.INDICATOR_ID: "indicator_id", s.TITLE: "indicator",
    s.THEME: "theme", s.PERIOD_LABEL: "period", s.UNIT: "unit", s.VALUE: "value", s.LOWER_95: "lower_95",
    s.UPPER_95: "upper_95", s.NUMERATOR: "numerator", s.DENOMINATOR: "denominator", s.FLAG: "flag",
    COMPARATOR_VALUE: "county_value", RATING: "rating_v_county_95", RANK_TEXT: "rank", s.STATUS: "status",
    SOURCE_LINE: "source_and_licence",
}


def profile_csv(profile: pd.DataFrame) -> bytes:
    """The profile's figures as UTF-8 CSV (disclosure already applied: suppressed cells are blank)."""
    out = profile.reindex(columns=list(CSV_COLUMNS)).rename(columns=CSV_COLUMNS)
    numeric = out.select_dtypes("number").columns
    out[numeric] = out[numeric].round(4)
    return out.to_csv(index=False).encode("utf-8")


# ---- everything the page shows about one division -------------------------------------------------
@dataclass(frozen=True)
class DivisionProfile:
    """One division's profile: its rows of the division table, the summary and the most similar divisions."""

    code: str
    name: str
    frame: pd.DataFrame
    summary: Summary
    similar: tuple[str, ...]


def build_division_profile(table: pd.DataFrame, division_code: str, comparator_name: str,
                           k: int = 3) -> DivisionProfile:
    """Profile rows, summary and the `k` most similar divisions of one division."""
    frame = profile_frame(table, division_code)
    similar = tuple(similar_divisions(table, division_code, k)[s.AREA_CODE])
    return DivisionProfile(division_code, str(frame[DIVISION_NAME].iloc[0]), frame,
                           summarise(frame, comparator_name), similar)
