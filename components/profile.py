"""Drawing the Division profile: render_* functions (Streamlit), fed by components.data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from components import data, state
from components.charts import draw_vega
from components.literacy import render_how_to_read
from insight import profile as pr
from insight import schema as s
from insight.config import CouncilConfig
from insight.query import FilterOptions
from insight.stats import RATING_STYLES, Rating
from views.html_table import html_table
from views.literacy import spine_guide
from views.profile import spine_finding, spine_table_html
from views.profile_charts import spine_ratings

SOURCE_NOTE = ("Ratings compare the {word}'s 95% confidence interval (Wilson score method) with the {c} value. "
               "Measures without an interval (IMD scores) are not compared. England values are not published "
               "for these small-area measures.")


def render_picker(choices: dict[str, str], current: str | None, options: FilterOptions, word: str,
                  help_text: str) -> None:
    """The division chooser, grouped by district; choosing makes it the chosen division everywhere."""
    state.show_in_picker(state.KEY_PROFILE_PICKER, current)
    st.selectbox(word.capitalize(), options=list(choices), format_func=lambda c: choices.get(c, c),
                 key=state.KEY_PROFILE_PICKER,
                 placeholder=f"Choose a {word} (type to search)",
                 on_change=state.division_from_picker, args=(state.KEY_PROFILE_PICKER, options),
                 help=help_text + " Listed by district.")


def render_header(profile: pr.DivisionProfile, area: pd.Series, district_names: list[str],
                  locator_svg: str, council: CouncilConfig) -> None:
    """Name, district(s), population, the approximate-boundary note and a small locator map."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**{council.area_title.capitalize()} {profile.code}** in "
                    f"{' and '.join(district_names)}" + (" (spans districts)" if len(district_names) > 1 else ""))
        first, second = st.columns(2)
        first.metric("Residents (Census 2021)", f"{area[s.POPULATION]:,.0f}")
        second.metric("District" if len(district_names) == 1 else "Districts", ", ".join(district_names))
        if council.divisions_approximate:
            st.caption(f"⚠️ {s.APPROXIMATE_BOUNDARIES_NOTICE}")
    approximate = " (approximate boundaries)" if council.divisions_approximate else ""
    with right:
        st.image(locator_svg, caption=f"Where {profile.name} sits in {council.short_name}{approximate}",
                 alt=f"Locator map of {council.short_name}'s {council.area_word_plural} with {profile.name} "
                     "highlighted")


def render_summary(summary: pr.Summary, council: CouncilConfig, n_areas: int) -> None:
    """The generated plain-English summary: three strengths and three challenges against the county."""
    with st.container(border=True):
        st.markdown("#### Summary")
        st.markdown(summary.text)
        st.caption("Generated from the figures below: a strength or challenge differs from "
                   f"{summary.comparator_name} at 95% confidence, or, where no interval exists, by at least half "
                   f"a standard deviation of the {n_areas} {council.area_word_plural}. At most two come from one theme.")


def render_spine(profile: pr.DivisionProfile, spec: dict, comparator_name: str, council: CouncilConfig,
                 n_areas: int) -> None:
    """The spine chart with its finding, key, confidence statement and a table alternative."""
    st.subheader(spine_finding(profile.frame, comparator_name))
    periods = ", ".join(sorted(profile.frame[s.PERIOD_LABEL].unique()))
    st.caption(f"{len(profile.frame)} indicators for {profile.name} against all {n_areas} {council.short_name} "
               f"{council.area_word_plural} and "
               f"{comparator_name}; latest period of each ({periods}). Rated against {comparator_name}: "
               f"{spine_ratings(profile.frame)}.")
    key = " · ".join(f"{RATING_STYLES[r].symbol} {r.value}" for r in Rating)
    st.markdown(f"**Key:** circle = {profile.name} (coloured by its rating: {key}); black bar = "
                f"{comparator_name}; grey bar = range of the {n_areas} {council.area_word_plural}, darker = middle half, "
                "white line = median. "
                "Left = worst (or lowest), right = best (or highest).")
    draw_vega(spec, theme=None, width="content")
    render_how_to_read(spine_guide(profile, comparator_name))
    st.caption(SOURCE_NOTE.format(c=comparator_name, word=council.area_word) + " " + pr.sources_sentence(profile.frame))
    with st.expander("View as table", key=state.KEY_PROFILE_SPINE_TABLE, on_change="rerun") as table_view:
        if table_view.open:  # drawn only when opened: nothing to redraw on each switch of division
            st.html(spine_table_html(profile, comparator_name, data.area_words()))


def render_trends(district_name: str, themes: list[str], cards: Callable[[str], list[dict[str, Any]]],
                  imd: dict[str, Any], spans: bool, council: CouncilConfig) -> None:
    """Trend cards: the division's IMD rank since 2004, or one theme's district series (only that theme is drawn).
    `imd`: the IMD chart's rows, spec and title."""
    st.subheader("Trends over time")
    word = council.area_word
    st.caption(f"{word.capitalize()}-level time series are not published, so the theme cards show {district_name}, "
               f"the district holding most of the {word}'s residents"
               + (f" (the {word} spans more than one district)" if spans else "")
               + f", with {council.short_name} and {council.england_name}. Trend markers test a straight-line trend at 95% confidence over the "
                 "latest 5 consecutive annual points; none is given for rolling averages or shorter series.")
    options = ["deprivation", *themes]
    theme = st.segmented_control("Show trends for", options=options, format_func=str.capitalize,
                                 key=state.KEY_PROFILE_TREND_THEME, default="deprivation") or "deprivation"
    if theme == "deprivation":
        st.markdown(f"**{imd['title']}**")
        st.caption("IMD rank percentile by edition, 2004 to 2025: higher = less deprived, comparable across "
                   "editions.")
        # Data apart from the spec: the spec is the same for every division, so the browser only swaps rows.
        st.vega_lite_chart(imd["rows"], imd["spec"], theme=None, width="stretch")
        st.caption("Source: English Indices of Deprivation 2004-2025 from the Ministry of Housing, Communities & "
                   "Local Government. Licence: Open Government Licence v3.0.")
        return
    theme_cards = cards(theme)
    if not theme_cards:
        st.info(f"No {theme} series with at least two years are published for {district_name}.")
        return
    columns = st.columns(2, gap="large")
    for i, card in enumerate(theme_cards):
        with columns[i % 2]:
            st.markdown(f"**{card['title']}**")
            st.caption(card["subtitle"])
            st.vega_lite_chart(card["rows"], card["spec"], theme=None, width="stretch")  # spec alike for all
            st.markdown(f"Trend in {district_name}: **{card['note']}**")
    st.caption("Source: ONS Explore Local Statistics from the Office for National Statistics. "
               "Licence: Open Government Licence v3.0.")


def render_compare(names: dict[str, str], code: str, default: tuple[str, ...], comparison: Callable[
        [tuple[str, ...]], pd.DataFrame], council: CouncilConfig) -> None:
    """Compare with up to three divisions: the most similar by default, or chosen."""
    words = council.area_word_plural
    st.subheader(f"Compare with other {words}")
    options = [c for c in sorted(names, key=lambda c: names[c]) if c != code]
    st.multiselect(f"{words.capitalize()} to compare with (up to 3)", options=options,
                   format_func=lambda c: names.get(c, c),
                   key=state.KEY_PROFILE_COMPARE, max_selections=state.MAX_PROFILE_COMPARE,
                   help=f"Starts with the three most similar {words}.")
    chosen = tuple(state.widget_value(state.KEY_PROFILE_COMPARE, []))
    state.write_profile_compare(chosen, default)
    similar = ", ".join(names[c] for c in default)
    st.caption(f"Most similar to {names[code]}: {similar}. Similarity = distance between {words} over all "
               f"{council.area_word}-level indicators after standardising each (z-scores), so no single measure "
               "dominates.")
    table = comparison((code, *chosen))
    if not table.empty:
        areas_shown = [c for c in table.columns if c not in ("Theme", "Indicator")]
        st.html(html_table(table, caption=f"Latest value of each indicator: {', '.join(areas_shown[:-1])} and "
                           f"{areas_shown[-1]}.", row_header="Indicator", group_by="Theme", numeric=areas_shown,
                           lead=names[code]))


def render_downloads(name: str, pdf: Callable[[], bytes], csv: Callable[[], bytes], slug: str,
                     word: str) -> None:
    """One-page committee summary (PDF) and the profile's figures (CSV), both with sources and licence."""
    st.subheader("Take it to committee")
    left, right = st.columns(2)
    left.download_button("Download one-page summary (PDF, A4)", data=pdf, file_name=f"{slug}-{word}-profile.pdf",
                         mime="application/pdf", icon="📄", width="stretch")
    right.download_button("Download the figures (CSV)", data=csv, file_name=f"{slug}-{word}-profile.csv",
                          mime="text/csv", icon="⬇️", width="stretch")
    st.caption(f"The PDF prints {name}'s summary and spine chart on one A4 page with sources and date. The CSV has "
               "every figure with its confidence interval, rating, rank, source and licence; small counts are "
               "suppressed and others rounded as the disclosure rules require. Licence: Open Government Licence v3.0.")
