"""Drawing a Vega-Lite chart whose spec carries its own data (a chart given its rows apart, as a DataFrame, is
drawn with st.vega_lite_chart directly)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from views.vega_data import arrow_datasets


def draw_vega(spec: dict[str, Any], **options: Any) -> None:
    """st.vega_lite_chart with the spec's data sets handed over as Arrow tables (views.vega_data: Streamlit
    would build a pandas frame from each list of records on every rerun); ``options`` as for st.vega_lite_chart."""
    st.vega_lite_chart(arrow_datasets(spec), **options)
