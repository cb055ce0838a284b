"""Drawing early-warning signals: the 'Needs attention' box, the signal notes under a marked chart, and the
control charts (SPC) of the Trends page. Fed by components.data and views.attention / views.signal_marks."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import state
from components.charts import draw_vega
from components.literacy import render_how_to_read
from insight.signals import Signal
from insight.targets import Target
from insight.text import badge
from views.attention import AttentionPanel
from views.signal_marks import SpcPanel, signal_note

SPC_FREQUENCIES = ("monthly", "quarterly")


def render_needs_attention(panel: AttentionPanel, key: str) -> None:
    """A short ranked list per place: direction in words and shape, the finding, a link to the chart that shows
    it, and (folded) the rule and its caveat; then how the list is ranked and what it does not check."""
    with st.container(border=True):
        st.subheader("Needs attention")
        st.caption(panel.caveat)
        for number, section in enumerate(panel.sections, start=1):
            if len(panel.sections) > 1:
                st.markdown(f"##### {section.heading}")
            st.markdown(section.summary)
            for rank, item in enumerate(section.entries, start=1):
                with st.container(border=True):
                    st.markdown(f"{badge(item.badge, item.badge_colour)} **{rank}. {item.rule_name}.** {item.finding}")
                    link, why = st.columns([1, 1], vertical_alignment="top")
                    with link:
                        if st.button("📈 See it on the chart", key=f"attn-{key}-{number}-{rank}",
                                     help=item.link.label, width="stretch"):
                            state.follow_chart_link(item.link)
                    with why, st.expander("Why it is listed, and how sure we can be"):
                        # one element (each is redrawn on every rerun): the rule, the caveat, the other signals
                        reason = f"**Rule:** {item.rule_text}\n\n**Caveat:** {item.caveat}"
                        also = "\n".join(f"- Also: {other}" for other in item.also)
                        st.markdown(f"{reason}\n\n{also}" if also else reason)
        with st.expander("How this list is ranked"):
            notes = "\n".join(f"- {note}" for note in panel.notes)
            st.markdown(f"{panel.rule_text}\n\n{notes}" if notes else panel.rule_text)


def render_signal_notes(signals: Sequence[Signal], targets: Sequence[Target] = ()) -> None:
    """What is marked on the chart above, with each signal's rule and caveat (A4: the finding in words)."""
    if signals:  # one element: each is redrawn on every rerun
        st.markdown("\n\n".join(signal_note(signal, targets) for signal in signals))


def render_spc_option(frequency: str) -> bool:
    """The 'Show as a control chart (SPC)' toggle (bound: ?spc=true) for monthly and quarterly series; for an
    annual series, a note that its signal is the five-year trend test. Returns True when SPC is to be shown."""
    if frequency not in SPC_FREQUENCIES:
        st.caption("Control charts (SPC) are for monthly and quarterly series. For yearly figures the five-year "
                   "trend test is used instead; a clear trend is marked on the chart.")
        return False
    return bool(st.toggle("Show as a control chart (SPC)", key=state.KEY_TR_SPC, bind=state.BIND,
                          help="The average and the process limits of each series, with unusual patterns marked "
                               "by shape and colour (NHS 'Making Data Count' rules)."))


def render_spc_panels(panels: Sequence[SpcPanel], show_table: bool) -> None:
    """Each area's control chart with its 'How to read this', or the note saying why it has none."""
    if not panels:
        st.info("No series of this measure can be drawn as a control chart.", icon="ℹ️")
    for panel in panels:
        if panel.spec is None:
            st.info(panel.note, icon="ℹ️")
            continue
        draw_vega(panel.spec, width="stretch")
        if panel.guide is not None:
            render_how_to_read(panel.guide)
        render_signal_notes(panel.signals)
        if show_table and panel.table is not None:
            st.dataframe(panel.table, hide_index=True, width="stretch")
