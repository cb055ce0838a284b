"""The indicator catalogue as people read it: searchable, with the periods each indicator covers."""

from __future__ import annotations

import pandas as pd

from insight import schema as s

STATUS_WORDS = {s.Status.REAL: "Real (published)", s.Status.MODELLED: "Modelled estimate",
                s.Status.ILLUSTRATIVE: "ILLUSTRATIVE — not real", s.Status.UPLOADED: "Your data — not published"}


def catalogue_table(indicators: pd.DataFrame, observations: pd.DataFrame, *,
                    area_word: str = s.Level.DIVISION.value) -> pd.DataFrame:
    """One row per indicator with the periods covered, ready to show; the small-area level is named in the
    council's own word (``area_word``, e.g. "ward")."""
    covered = (observations.dropna(subset=[s.VALUE]).sort_values(s.PERIOD_START)
               .groupby(s.INDICATOR_ID)[s.PERIOD_LABEL].agg(["first", "last", "nunique"]))
    table = indicators.merge(covered, left_on=s.INDICATOR_ID, right_index=True, how="left")
    table["periods"] = [
        "" if pd.isna(first) else (first if n == 1 else f"{first} to {last} ({n} periods)")
        for first, last, n in zip(table["first"], table["last"], table["nunique"], strict=True)
    ]
    table["status_text"] = table[s.STATUS].map(lambda v: STATUS_WORDS.get(s.Status(v), v))
    table["polarity_text"] = table[s.POLARITY].map({
        s.Polarity.HIGHER_IS_BETTER: "Higher is better", s.Polarity.HIGHER_IS_WORSE: "Higher is worse",
        s.Polarity.NEITHER: "Neither (context)"})
    table["levels_text"] = table[s.LEVELS].map(lambda levels: ", ".join(
        area_word if level == s.Level.DIVISION.value else level for level in str(levels).split(";")))
    return table.sort_values([s.THEME, s.SHORT_TITLE]).reset_index(drop=True)


def search_catalogue(table: pd.DataFrame, text: str, themes: list[str] | None = None) -> pd.DataFrame:
    """Rows whose title, short title, definition, source or id contain every word of `text` (any case)."""
    out = table
    if themes:
        out = out[out[s.THEME].isin(themes)]
    words = [w for w in text.lower().split() if w]
    if words:
        haystack = (out[s.TITLE] + " " + out[s.SHORT_TITLE] + " " + out[s.DEFINITION] + " " + out[s.SOURCE]
                    + " " + out[s.INDICATOR_ID]).str.lower()
        mask = pd.Series(True, index=out.index)
        for word in words:
            mask &= haystack.str.contains(word, regex=False)
        out = out[mask]
    return out.reset_index(drop=True)


def observations_csv(observations: pd.DataFrame, areas: pd.DataFrame, indicator_id: str,
                     source_line: str) -> bytes:
    """CSV of one indicator's observations with area names, and its source and licence in the last columns."""
    rows = observations[observations[s.INDICATOR_ID] == indicator_id].merge(
        areas[[s.AREA_CODE, s.AREA_NAME, s.LEVEL]], on=s.AREA_CODE, how="left")
    rows = rows.sort_values([s.LEVEL, s.AREA_NAME, s.PERIOD_START])
    out = rows[[s.AREA_CODE, s.AREA_NAME, s.LEVEL, s.INDICATOR_ID, s.PERIOD_LABEL, s.PERIOD_START, s.PERIOD_END,
                s.VALUE, s.NUMERATOR, s.DENOMINATOR, s.LOWER_95, s.UPPER_95, s.FLAG]].copy()
    out[s.PERIOD_START] = out[s.PERIOD_START].dt.strftime("%Y-%m-%d")
    out[s.PERIOD_END] = out[s.PERIOD_END].dt.strftime("%Y-%m-%d")
    out["source_and_licence"] = source_line
    return out.to_csv(index=False).encode("utf-8")
