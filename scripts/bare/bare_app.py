"""Bare Streamlit apps, the floor the benchmarks compare the dashboard with (served by scripts/bench_*.py).

One script, one kind of interaction per `?kind=`: each does the same *kind* of work as the dashboard's
interaction (a widget change that reruns the script and redraws a title, some text, a few metrics, one Vega chart,
a table or a deck.gl map), with no work of its own beyond building a small frame. Nothing here is slowed on
purpose, and nothing is cached that Streamlit would not cache for any app.

- filter:    a sidebar selectbox ("Theme"), then a title, text, six metrics and one line chart
- indicator: a sidebar selectbox ("Indicator"), then one line chart of the chosen series and a caption
- division:  a selectbox in the page, then a title naming the choice, text, a bar chart of 21 rows and a table
- weight:    six weight sliders, then a deck.gl map of 70 squares coloured by the score, a legend and a table
- lever:     a fragment: one slider, a sentence and one line chart (only the fragment reruns)
- mapclick:  a deck.gl map of 70 squares; a click opens a drill-down: a header, a bar chart and a second map
- cold:      a one-page app (a title, a selectbox and a sentence), for cold start
"""

from __future__ import annotations

import math

import streamlit as st

st.set_page_config(page_title="Bare app", layout="wide")
KIND = st.query_params.get("kind", "cold")
THEMES = ["Economy", "Place", "People"]
NAMES = [f"Area {i:02d}" for i in range(70)]


def line_spec(seed: float, points: int = 40) -> dict:
    values = [{"x": i, "y": 50 + 10 * math.sin(i / 4 + seed) + seed} for i in range(points)]
    return {"data": {"values": values}, "mark": {"type": "line", "point": True}, "height": 320,
            "encoding": {"x": {"field": "x", "type": "quantitative", "title": "Year"},
                         "y": {"field": "y", "type": "quantitative", "title": "Value"}}}


def squares(score):
    import pandas as pd  # imported where used, so the one-page app (cold start) imports Streamlit only

    rows = []
    for i, name in enumerate(NAMES):
        x, y = 0.3 + (i % 10) * 0.1, 51.5 + (i // 10) * 0.1
        value = score(i)
        rows.append({"name": name, "score": round(value, 3), "polygon": [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1],
                                                                         [x, y + 0.1]],
                     "colour": [int(255 * value), 80, int(255 * (1 - value)), 180]})
    return pd.DataFrame(rows)


def deck(frame):
    import pydeck as pdk

    layer = pdk.Layer("PolygonLayer", frame, id="areas", get_polygon="polygon", get_fill_color="colour",
                      get_line_color=[40, 40, 40], line_width_min_pixels=1, pickable=True)
    return pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(latitude=51.85, longitude=0.8, zoom=8),
                    map_style=None, tooltip={"text": "{name}"})


if KIND == "filter":
    theme = st.sidebar.selectbox("Theme", THEMES)
    seed = THEMES.index(theme)
    st.title(f"Bare app: {theme}")
    st.markdown(f"Latest figures for the **{theme}** theme, how they have changed.")
    st.info(f"What this shows: the {theme.lower()} theme.")
    for row in range(2):
        for column, i in zip(st.columns(3), range(3), strict=True):
            column.metric(f"Measure {row * 3 + i}", f"{seed * 10 + row * 3 + i:.1f}", f"{seed - 1:+.1f}")
    st.vega_lite_chart(line_spec(seed), width="stretch")
    st.caption("Source: none.")
elif KIND == "indicator":
    indicator = st.sidebar.selectbox("Indicator", ["Claimant count", "Employment rate"])
    st.title("Bare app: trends")
    st.markdown(f"**{indicator}**. Unit: people.")
    st.vega_lite_chart(line_spec(len(indicator), 60), width="stretch")
    st.caption(f"{indicator}: source none.")
elif KIND == "division":
    name = st.selectbox("Division", NAMES)
    seed = NAMES.index(name)
    st.title(name)
    st.markdown(f"How **{name}** compares with the other 69 areas.")
    bars = [{"indicator": f"Indicator {j:02d}", "value": math.sin(seed + j)} for j in range(21)]
    st.vega_lite_chart({"data": {"values": bars}, "mark": "bar",
                        "encoding": {"y": {"field": "indicator", "type": "nominal"},
                                     "x": {"field": "value", "type": "quantitative"}}}, width="stretch")
    st.dataframe(bars, hide_index=True)
elif KIND == "weight":
    weights = [st.slider(f"Weight {j}", 0, 10, 5, key=f"w{j}") for j in range(6)]
    total = sum(weights) or 1
    frame = squares(lambda i: sum(w * ((i * (j + 3)) % 7) / 6 for j, w in enumerate(weights)) / total)
    st.markdown(f"**The highest score is {frame['score'].max():.2f}.**")
    st.pydeck_chart(deck(frame), height=620)
    st.vega_lite_chart({"data": {"values": [{"c": c} for c in "ABCDE"]}, "mark": "rect",
                        "encoding": {"x": {"field": "c", "type": "nominal"}, "color": {"field": "c"}}})
    st.dataframe(frame[["name", "score"]].sort_values("score", ascending=False), hide_index=True)
elif KIND == "lever":
    @st.fragment
    def lever() -> None:
        value = st.slider("Change a year, relative to the projection", -20.0, 20.0, -3.0, 0.5)
        st.markdown(f"In a bare app, the baseline projection for {value}")
        st.vega_lite_chart(line_spec(value), width="stretch")

    lever()
elif KIND == "mapclick":
    frame = squares(lambda i: (i % 7) / 6)
    event = st.pydeck_chart(deck(frame), height=620, on_select="rerun", selection_mode="single-object", key="map")
    picked = event.selection.objects.get("areas", []) if event and event.selection else []
    if picked:
        name = picked[0]["name"]
        st.header(f"Looking closer: {name}")
        seed = NAMES.index(name)
        st.vega_lite_chart({"data": {"values": [{"k": f"k{j}", "v": math.cos(seed + j)} for j in range(8)]},
                            "mark": "bar", "encoding": {"y": {"field": "k", "type": "nominal"},
                                                        "x": {"field": "v", "type": "quantitative"}}})
        st.pydeck_chart(deck(squares(lambda i: ((i + seed) % 5) / 4).head(12)), height=400)
else:
    st.title("Bare app")
    choice = st.selectbox("Theme", ["Economy", "Place"])
    st.write(f"Chosen: {choice}")
