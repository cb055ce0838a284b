"""Shared Altair styling for full-size charts (pure: no st.* calls)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from views.palette import FONT_SIZE, INK

if TYPE_CHECKING:
    import altair as alt
else:
    from views.lazy_altair import alt

ChartT = TypeVar("ChartT", bound="alt.TopLevelMixin")


def theme_config(chart: ChartT) -> ChartT:
    """Projector-readable fonts for a full-size chart."""
    return chart.configure_axis(labelFontSize=FONT_SIZE - 2, titleFontSize=FONT_SIZE, labelColor=INK,
                                titleColor=INK).configure_legend(labelFontSize=FONT_SIZE - 2,
                                                                 titleFontSize=FONT_SIZE) \
        .configure_title(fontSize=FONT_SIZE + 4, subtitleFontSize=FONT_SIZE - 2, anchor="start", color=INK)
