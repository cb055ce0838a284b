"""The printed packs' trend panel (views.pack_charts.trend_panel)."""

from __future__ import annotations

from insight import query
from insight.loaders import get_indicator
from tests.unit.agenda_helpers import TENDRING, committed_context
from views.pack_charts import trend_panel
from views.trend_charts import AREA_COLOURS, COMPARATOR_STYLE

HARLOW, ESSEX, ENGLAND = "E07000073", "E10000012", "E92000001"


def _colours(spec: dict) -> dict[str, str]:
    """Area name -> line colour, from the chart's shared colour scale."""
    for layer in spec["layer"]:
        scale = layer.get("encoding", {}).get("color", {}).get("scale")
        if scale and "domain" in scale:
            return dict(zip(scale["domain"], scale["range"], strict=True))
    raise AssertionError("no colour scale")


def test_every_chosen_area_of_a_pack_trend_has_its_own_colour_and_comparators_keep_theirs():
    """The agenda pack's trend of three districts drew every area after the first in England's grey, as if
    each were a comparator, so the printed legend could not tell Harlow from England."""
    context = committed_context()
    entry = get_indicator(context.dataset.indicators, "claimant_count")
    series = query.series(context.dataset.observations, "claimant_count", (TENDRING, HARLOW, ESSEX, ENGLAND))
    panel = trend_panel(entry, series, TENDRING, [ESSEX, ENGLAND], context.names,
                        {ESSEX: "county", ENGLAND: "england"}, None, also_chosen=[HARLOW])
    colours = _colours(panel.figure.spec)
    names = context.names
    assert colours[names[TENDRING]] == AREA_COLOURS[0] and colours[names[HARLOW]] == AREA_COLOURS[1]
    assert colours[names[ESSEX]] == COMPARATOR_STYLE["county"][0]
    assert colours[names[ENGLAND]] == COMPARATOR_STYLE["england"][0]
    assert len(set(colours.values())) == 4
    assert f"for {names[TENDRING]}, {names[HARLOW]} against {names[ESSEX]}, {names[ENGLAND]}" in panel.figure.alt
    assert names[TENDRING] in panel.title and names[HARLOW] not in panel.title  # the title is the first area's story
