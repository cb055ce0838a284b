"""Division profile: one of the council's small areas against all the others and the council, for its councillor
before committee."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import cast

import pandas as pd
import streamlit as st

from components import data, state
from components.attention import render_needs_attention
from components.frame import ensure_app_frame
from components.profile import (
    render_compare,
    render_downloads,
    render_header,
    render_picker,
    render_spine,
    render_summary,
    render_trends,
)
from components.your_data import render_your_label
from insight import schema as s
from insight.errors import InsightError
from insight.profile import TREND_CARDS
from views.profile import division_options

ensure_app_frame()
council = data.council()
comparator = council.short_name
try:
    areas = data.areas()
    options = data.filter_options()
except InsightError as error:
    st.error(f"The data could not be loaded: {error}")
    st.stop()

current = state.filters(options)
names = data.area_names()
n_areas = len(options.division_names)
st.title((names.get(current.division, "") if current.division else "") or f"{council.area_word.capitalize()} profile")
render_picker(division_options(data.division_picker_labels(),
                               options.divisions_in(current.districts) if current.districts else (),
                               current.division), current.division, options, council.area_word, council.area_help)
if current.division is None:
    st.info(f"Choose a {council.area_word} to see how it compares with the other {n_areas - 1} "
            f"{council.area_word_plural} and with {comparator}, its strengths and challenges, trends, and a "
            "one-page summary to print for committee.")
    st.stop()

code = current.division
area = cast(pd.Series, areas.set_index(s.AREA_CODE).loc[code])  # area codes are unique: one row
district_codes = [c for c in str(area[s.PARENT_CODES]).split(";") if c]
try:
    yours = state.your_data()  # the session's uploaded indicators (None when there are none)
    profile = data.division_profile(code, comparator, yours)
    specs = data.profile_specs(code, comparator, yours)
    imd = {**data.imd_trend(code, str(area[s.PARENT_CODE])), "spec": data.imd_trend_spec(comparator)}
except InsightError as error:
    st.error(f"The profile of {names.get(code, code)} could not be built: {error}")
    st.stop()

render_header(profile, area, [names[c] for c in district_codes], specs["locator_svg"], council)
render_summary(profile.summary, council, n_areas)
render_needs_attention(data.attention_panel((code, str(area[s.PARENT_CODE])), code, state.targets()), key="profile")
st.divider()
render_your_label(yours, profile.frame[s.INDICATOR_ID])
render_spine(profile, specs["spine"], comparator, council, n_areas)
st.divider()
render_trends(names[str(area[s.PARENT_CODE])], list(TREND_CARDS),
              partial(data.district_trend_specs, str(area[s.PARENT_CODE])), imd, spans=len(district_codes) > 1,
              council=council)
st.divider()
division_names = options.division_names
for message in state.profile_link_messages(division_names):
    st.warning(message, icon="🔗")
state.profile_compare(code, division_names, profile.similar)
render_compare(division_names, code, profile.similar, partial(data.profile_comparison, comparator_name=comparator),
               council)
st.divider()
slug = "".join(ch if ch.isalnum() else "-" for ch in profile.name.lower()).strip("-")
render_downloads(profile.name, partial(data.profile_pdf, code, comparator, date.today().isoformat()),
                 partial(data.profile_csv, code, comparator, yours), slug, council.area_word)
st.caption("Insight supports councillors' and officers' judgement; it never replaces it. "
           + s.OGL_STATEMENT)
