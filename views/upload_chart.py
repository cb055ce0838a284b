"""Chart of a user's uploaded series (pure: returns an Altair chart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from insight import schema as s
from views.charts import theme_config

if TYPE_CHECKING:
    import altair as alt
else:
    from views.lazy_altair import alt


def build_upload_chart(rows: pd.DataFrame, *, indicator_id: str, file_name: str) -> alt.Chart:
    """Lines of an uploaded indicator by area, labelled as user-supplied, with a source line."""
    data = rows[[s.AREA_NAME, s.PERIOD_START, s.PERIOD_LABEL, s.VALUE]].copy()
    chart = alt.Chart(data).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X(f"{s.PERIOD_START}:T", title="Period", axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y(f"{s.VALUE}:Q", title=indicator_id, scale=alt.Scale(zero=False)),
        color=alt.Color(f"{s.AREA_NAME}:N", title="Area", scale=alt.Scale(scheme="tableau10")),
        tooltip=[alt.Tooltip(f"{s.AREA_NAME}:N", title="Area"), alt.Tooltip(f"{s.PERIOD_LABEL}:N", title="Period"),
                 alt.Tooltip(f"{s.VALUE}:Q", title="Value", format=",.2f")],
    ).properties(
        title=alt.TitleParams(f"{indicator_id}: your uploaded data",
                              subtitle=[f"USER-SUPPLIED — not checked by the Insight team. Source: {file_name}."]),
        height=320, width="container",
        description=f"Line chart of the uploaded indicator {indicator_id} by area",
    )
    return theme_config(chart)
