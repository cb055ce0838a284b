"""insight.catalogue: the Data & methods catalogue table."""

from __future__ import annotations

import pandas as pd

from insight import schema as s
from insight.catalogue import catalogue_table


def _catalogue(area_word: str) -> pd.DataFrame:
    indicators = pd.DataFrame({s.INDICATOR_ID: ["a"], s.TITLE: ["A"], s.SHORT_TITLE: ["A"], s.THEME: ["place"],
                               s.STATUS: [s.Status.REAL.value], s.POLARITY: [s.Polarity.NEITHER.value],
                               s.LEVELS: ["lsoa;division;district"]})
    observations = pd.DataFrame({s.INDICATOR_ID: ["a"], s.VALUE: [1.0], s.PERIOD_START: [pd.Timestamp("2021-03-21")],
                                 s.PERIOD_LABEL: ["Census 2021"]})
    return catalogue_table(indicators, observations, area_word=area_word)


def test_the_catalogue_names_the_small_area_level_in_the_councils_own_word():
    assert _catalogue("division")["levels_text"].tolist() == ["lsoa, division, district"]
    assert _catalogue("ward")["levels_text"].tolist() == ["lsoa, ward, district"]
