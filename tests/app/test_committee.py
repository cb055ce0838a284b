"""The Committee page: build an agenda of views (add, reorder, remove), share it as a link and reopen it, see what
changed since the previous build, and find the division's committee pack."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.committee import KEY_CHANGES_AREA, KEY_NEW_NOTE, KEY_NEW_PAGE, KEY_NEW_TITLE
from insight.agenda import agenda_from_link, agenda_to_link
from tests.app.helpers import ROOT, TIMEOUT, run_page
from views.signal_marks import TARGET_COLOUR

PAGE = "pages/committee.py"


def _texts(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _html(at: AppTest) -> str:
    return "\n".join(str(e.proto.body) for e in at.get("html"))


def _add(at: AppTest, page: str, title: str, note: str = "") -> AppTest:
    at.selectbox(key=KEY_NEW_PAGE).set_value(page)
    at.text_input(key=KEY_NEW_TITLE).input(title)
    at.text_area(key=KEY_NEW_NOTE).input(note)
    return at.button(key="committee_add").click().run()


def _agenda_titles(at: AppTest) -> list[str]:
    link = at.query_params.get("agenda")
    assert link, "the address bar holds no agenda"
    value = link[0] if isinstance(link, list) else link
    return [view.title for view in agenda_from_link(value).views]


def test_with_no_agenda_the_page_says_how_to_start_and_asks_for_a_division_for_the_pack():
    at = run_page(PAGE)
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "No agenda yet" in infos
    assert "in the sidebar for its committee pack" in infos
    assert not at.get("download_button")


def test_an_officer_builds_reorders_and_trims_an_agenda_and_the_link_holds_it():
    at = run_page(PAGE, district="Basildon")
    at = _add(at, "trends", "Claimant count in Basildon", "Ask about Pitsea.")
    assert not at.exception and not at.error
    assert "<strong>1. Claimant count in Basildon</strong> · Trends &amp; projections" in _html(at)
    assert "Ask about Pitsea." in _html(at)
    assert _agenda_titles(at) == ["Claimant count in Basildon"]

    at = _add(at, "overview", "Basildon at a glance")
    assert _agenda_titles(at) == ["Claimant count in Basildon", "Basildon at a glance"]
    assert at.button(key="agenda_up_0").disabled and at.button(key="agenda_down_1").disabled

    at = at.button(key="agenda_down_0").click().run()  # the overview first
    assert _agenda_titles(at) == ["Basildon at a glance", "Claimant count in Basildon"]
    assert "<strong>1. Basildon at a glance</strong> · Overview" in _html(at)

    at = at.button(key="agenda_remove_1").click().run()
    assert _agenda_titles(at) == ["Basildon at a glance"]
    labels = [b.label for b in at.button]
    assert "▶ Present this agenda" in labels
    downloads = [d.proto.label for d in at.get("download_button")]
    assert "Save the agenda (file)" in downloads and "Agenda pack (PDF)" in downloads


def test_an_agenda_link_reopens_the_same_agenda_in_a_new_session():
    at = run_page(PAGE, district="Basildon")
    at = _add(at, "trends", "Claimant count in Basildon")
    link = at.query_params["agenda"]
    again = run_page(PAGE, agenda=link[0] if isinstance(link, list) else link)
    assert not again.exception
    assert "<strong>1. Claimant count in Basildon</strong> · Trends &amp; projections" in _html(again)


def test_a_malformed_agenda_link_is_refused_with_a_message_and_no_agenda():
    at = run_page(PAGE, agenda="not-an-agenda")
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert "The agenda in this link could not be read, so it was not opened" in said
    assert "No agenda yet" in " ".join(i.value for i in at.info)


def test_what_changed_since_the_previous_build_is_listed_for_the_chosen_area():
    at = run_page(PAGE)
    area = at.selectbox(key=KEY_CHANGES_AREA)
    assert area.options  # districts then divisions
    captions = " ".join(c.value for c in at.caption)
    assert "Today: Data as of" in captions and "Previous build: Data as of" in captions
    listed = [m.value for m in at.markdown if str(m.value).startswith("- ")]
    nothing = [s.value for s in at.success if "Nothing changed" in s.value]
    assert listed or nothing


def test_a_chosen_division_offers_its_committee_pack():
    at = run_page(PAGE, division="Basildon Pitsea")
    assert not at.exception
    downloads = [d.proto.label for d in at.get("download_button")]
    assert "Basildon Pitsea: committee pack (PDF)" in downloads


def test_committee_mode_with_a_malformed_agenda_link_says_so_and_shows_the_default_deck():
    at = run_page("app.py", mode="present", agenda="not-an-agenda")
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "The agenda in this link could not be read, so it was not opened" in said
    assert any("Slide 1 of" in str(m.value) for m in at.markdown)


def test_a_scenario_slide_gives_its_chart_most_of_the_slide_s_height():
    """Streamlit fits a chart's whole drawing (legends and axis titles included) into its height: with the
    page's source lines in the x-axis title and the legends in rows, the slide's 240 px left a plot a few px
    tall. On a slide the source and caveat are text, so the plot keeps the room."""
    import json
    import re
    from datetime import date
    from pathlib import Path

    import vl_convert

    from insight.agenda import Agenda, Page, View, ViewParams, agenda_to_link
    from insight.data_version import data_version
    from tests.app.helpers import ROOT, chart_rows, chart_spec

    view = View(Page.SCENARIOS, "What if?", ViewParams(
        scn_data="open", scn_indicator="claimant_count", scn_area="E10000012", scn_horizon=5,
        scenarios="n:Early help,t:-3,ts:2026-01~n:New hub,s:-0.3,sl:-0.6,sh:-0.1,ss:2027-01"))
    link = agenda_to_link(Agenda("Test", date(2026, 12, 14), data_version(Path(ROOT / "data")), (view,)))
    at = run_page("app.py", mode="present", agenda=link)
    assert not at.exception
    spec = chart_spec(at)
    height = spec["height"]
    spec["datasets"] = {spec["data"]["name"]: chart_rows(at)}
    drawn = vl_convert.vegalite_to_svg(json.dumps(
        spec | {"width": 1208, "autosize": {"type": "fit", "contains": "padding"}}))
    y_axis = max(float(y) for y in re.findall(r'role-axis-domain[^>]*><line[^>]*\by2="-([\d.]+)"', drawn))
    assert y_axis >= 0.6 * height, (y_axis, height)
    assert "not what will happen; projections extend past trends only" in " ".join(str(m.value) for m in at.markdown)


def test_a_trends_view_added_with_target_lines_keeps_them_in_the_link_and_on_its_slide():
    """Target lines set on Trends were dropped when the view went on the agenda, so committee mode showed the
    chart without the line the officer meant to discuss."""
    import json

    from components.state import _KEY_TARGETS
    from insight.targets import Target, TargetDirection

    ceiling = Target("claimant_count", 3.5, TargetDirection.AT_MOST, "Council plan ceiling", "Policy team")
    other = Target("gdhi_per_head", 20_000, TargetDirection.AT_LEAST, "Income floor", "Policy team")
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    at.query_params["indicator"] = "claimant_count"
    at.session_state[_KEY_TARGETS] = (ceiling, other)
    at.run()
    assert "keeps the 1 target line set for that indicator" in " ".join(c.value for c in at.caption)
    _add(_add(at, "trends", "Claimant count"), "overview", "At a glance")
    value = at.query_params["agenda"]
    agenda = agenda_from_link(value[0] if isinstance(value, list) else value)
    assert [v.params.targets for v in agenda.views] == [(ceiling,), ()]  # the overview keeps none
    slide = run_page("app.py", mode="present", agenda=agenda_to_link(agenda))
    assert not slide.exception
    spec = json.loads(slide.get("vega_lite_chart")[0].proto.spec)
    assert "Target: Council plan ceiling (at most 3.5%)." in spec["description"]
    assert any(layer.get("mark", {}).get("color") == TARGET_COLOUR for layer in spec["layer"])
