"""Division profile page view-model: the picker's labels and choices, the spine's finding and table (pure)."""

from __future__ import annotations

import pandas as pd

from insight import profile as pr
from insight import schema as s
from insight.stats import RATING_STYLES, Rating
from views.html_table import html_table
from views.words import AreaWords


def division_picker_labels(areas: pd.DataFrame) -> dict[str, str]:
    """Division code -> 'District · Division', ordered by district then division (the picker's grouping)."""
    names = dict(zip(areas[s.AREA_CODE], areas[s.AREA_NAME], strict=True))
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION]
    labels = {code: f"{names.get(parent, '')} · {name}" for code, name, parent in
              zip(divisions[s.AREA_CODE], divisions[s.AREA_NAME], divisions[s.PARENT_CODE], strict=True)}
    return dict(sorted(labels.items(), key=lambda item: item[1]))


def division_options(labels: dict[str, str], allowed: tuple[str, ...], current: str | None) -> dict[str, str]:
    """The picker's choices: divisions in the chosen districts (`allowed`; all when empty), and the current one."""
    keep = set(allowed)
    return {code: label for code, label in labels.items() if not keep or code in keep or code == current}


def spine_finding(frame: pd.DataFrame, comparator_name: str) -> str:
    counts = frame[pr.RATING].value_counts()
    better, worse = counts.get(Rating.BETTER.value, 0), counts.get(Rating.WORSE.value, 0)
    return f"{better} {'measure' if better == 1 else 'measures'} better, {worse} worse than {comparator_name}"


def spine_table_html(profile: pr.DivisionProfile, comparator_name: str, words: AreaWords) -> str:
    """The spine chart's figures as a table, grouped by theme (the chart's accessible alternative)."""
    table = profile.frame.assign(**{"Theme": profile.frame[s.THEME].str.capitalize()}).sort_values(
        ["Theme", s.SHORT_TITLE])[["Theme", s.SHORT_TITLE, s.PERIOD_LABEL, pr.VALUE_TEXT, pr.COMPARATOR_TEXT,
                                   pr.RANK_TEXT, pr.RATING]]
    rating = f"v {comparator_name} (95%)"
    table[pr.RATING] = [f"{RATING_STYLES[Rating(r)].symbol} {r}" for r in table[pr.RATING]]
    table = table.rename(columns={s.SHORT_TITLE: "Indicator", s.PERIOD_LABEL: "Period", pr.VALUE_TEXT: profile.name,
                                  pr.COMPARATOR_TEXT: comparator_name, pr.RANK_TEXT: "Rank", pr.RATING: rating})
    return html_table(table, caption=f"{len(table)} indicators for {profile.name} with {comparator_name}, rank "
                      f"among {words.all_of_them} and rating at 95% confidence.", row_header="Indicator",
                      group_by="Theme", numeric=(profile.name, comparator_name), lead=profile.name)


