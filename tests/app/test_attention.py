"""Early warning and data literacy as a user reads them (AppTest, pages run alone), on any council.

Expectations come from the council's own dataset through insight/ (the signals it fires, their ranking), never
from another council's figures: ``pytest tests/app --council colchester`` runs the same checks on Colchester.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.state import KEY_TARGETS_OPEN
from insight import literacy
from insight.attention import ATTENTION_CAVEAT, RANKING_RULE, needs_attention
from insight.config import CouncilConfig, load_config
from insight.query import filter_options
from insight.signals import Rule, all_signals, assess_dataset
from insight.targets import Target, TargetDirection, targets_to_json
from tests.app import helpers
from views.signal_marks import SIGNAL_WORDS

SPC_ID = "short_let_guest_nights"  # a real monthly series every council here holds


@pytest.fixture(scope="module")
def council() -> CouncilConfig:
    return load_config()


@pytest.fixture(scope="module")
def signals(dataset):
    return all_signals(assess_dataset(dataset.observations, dataset.indicators, dataset.areas))


@pytest.fixture(scope="module")
def options(dataset):
    return filter_options(dataset.areas, dataset.indicators)


def _run(script: str, state: dict | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(helpers.ROOT / script), default_timeout=helpers.TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _words(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success")
                     for e in getattr(at, kind))


def _attention_findings(at: AppTest) -> list[str]:
    """The findings of the 'Needs attention' items, in the order shown."""
    return [m.value.split(".** ", 1)[1] for m in at.markdown if "-badge[" in m.value and ".** " in m.value]


def _busiest_district(signals, council, options) -> str:
    """The district with the most real signals (for a district council: the council itself)."""
    counts = {code: sum(x.series.area_code == code and not x.series.illustrative for x in signals)
              for code in options.district_names}
    return max(counts, key=lambda c: (counts[c], c))


# ---- Needs attention ---------------------------------------------------------------------------------------
def test_overview_lists_the_councils_signals_most_concerning_first_with_the_rule_and_caveat(council, signals):
    expected = needs_attention(signals, council.county_code)
    at = _run("pages/overview.py")
    assert "Needs attention" in [h.value for h in at.subheader]
    assert _attention_findings(at) == [item.signal.finding for item in expected.items]
    assert expected.items, "the council's data fires no signal: pick another check"
    assert ATTENTION_CAVEAT in [c.value for c in at.caption]
    ranked = next(e for e in at.expander if e.label == "How this list is ranked")
    assert RANKING_RULE in " ".join(m.value for m in ranked.markdown)
    why = [e for e in at.expander if e.label == "Why it is listed, and how sure we can be"]
    assert len(why) == len(expected.items)
    [reason] = [m.value for m in why[0].markdown]  # the rule, the caveat and any other signals, one element
    assert "**Rule:** " in reason and f"\n\n**Caveat:** {expected.items[0].signal.caveat}" in reason


def test_overview_says_how_many_measures_have_a_signal(council, signals):
    expected = needs_attention(signals, council.county_code)
    at = _run("pages/overview.py")
    words = _words(at)
    if expected.total_series > len(expected.items):
        assert (f"{expected.total_series} measures for {council.short_name} have a signal; the "
                f"{len(expected.items)} most concerning are shown.") in words
    else:
        assert f"for {council.short_name} ha" in words


def test_overview_for_a_district_lists_that_districts_signals(council, signals, options):
    code = _busiest_district(signals, council, options)
    at = _run("pages/overview.py", district=code)
    expected = needs_attention(signals, code)
    assert _attention_findings(at) == [item.signal.finding for item in expected.items]


def test_overview_for_a_small_area_lists_it_and_its_district(council, signals, options, dataset):
    division = next(iter(options.division_names))
    parent = str(dataset.areas.set_index("area_code").loc[division, "parent_code"])
    at = _run("pages/overview.py", division=division)
    headings = [m.value for m in at.markdown if m.value.startswith("##### ")]
    district_heading = council.short_name if parent == council.county_code else options.district_names[parent]
    assert headings == [f"##### {options.division_names[division]} {council.area_word}", f"##### {district_heading}"]
    assert _attention_findings(at) == [i.signal.finding for code in (division, parent)
                                       for i in needs_attention(signals, code).items]


def test_every_item_links_to_the_chart_and_a_click_asks_for_its_series_on_trends(council, signals, options):
    code = _busiest_district(signals, council, options)
    at = _run("pages/overview.py", district=code)
    buttons = [b for b in at.button if b.label == "📈 See it on the chart"]
    items = needs_attention(signals, code).items
    assert len(buttons) == len(items)
    spc = next((i for i, item in enumerate(items) if item.signal.rule in
                (Rule.BEYOND_LIMITS, Rule.TWO_OF_THREE, Rule.RUN, Rule.TREND)), 0)
    signal = items[spc].signal
    assert buttons[spc].help == f"Opens Trends & projections on {signal.series.name}, with the signal marked"
    buttons[spc].click().run()
    request = at.session_state["_requests"]  # applied by the app frame at the top of the next run (on Trends)
    assert request["indicator"] == signal.series.indicator_id
    assert request["theme"] == options.indicator_themes[signal.series.indicator_id]
    assert request["district"] == [code] and request["division"] == []
    assert request.get("spc", False) == (signal.rule is not Rule.ANNUAL_TREND)


def test_a_profile_lists_its_small_area_and_its_district(council, signals, options, dataset):
    division = next(iter(options.division_names))
    parent = str(dataset.areas.set_index("area_code").loc[division, "parent_code"])
    at = _run("pages/division_profile.py", division=division)
    assert "Needs attention" in [h.value for h in at.subheader]
    assert _attention_findings(at) == [i.signal.finding for code in (division, parent)
                                       for i in needs_attention(signals, code).items]
    if not needs_attention(signals, division).items:
        assert f"No signals for {options.division_names[division]} {council.area_word} in the current data." \
            in _words(at)


# ---- the signal marked on Trends --------------------------------------------------------------------------
def test_trends_marks_a_five_year_trend_signal_on_the_chart_and_says_why(signals, options):
    signal = next(x for x in signals if x.rule is Rule.ANNUAL_TREND and x.series.area_code in options.district_names)
    at = _run("pages/trends.py", indicator=signal.series.indicator_id, district=signal.series.area_code)
    spec = helpers.chart_spec(at)
    rings = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "point"
             and layer.get("mark", {}).get("filled") is False]
    marked = {(r["period_label"], round(r["value"], 6)) for layer in rings for r in layer["data"]["values"]}
    assert {(e.period_label, round(e.value, 6)) for e in signal.evidence} <= marked
    words = [r["label"] for layer in spec["layer"] if layer.get("mark", {}).get("type") == "text"
             and "data" in layer and "values" in layer["data"] for r in layer["data"]["values"]]
    assert any(w.endswith(f"Signal: {SIGNAL_WORDS[signal.direction]}") for w in words)
    assert "Signal marked: a clear trend over five years" in spec["description"]
    assert any(signal.finding in m.value and signal.caveat in m.value for m in at.markdown)


def test_an_annual_series_has_no_control_chart_and_says_which_test_it_gets():
    at = _run("pages/trends.py", indicator="claimant_count")
    assert not [t for t in at.toggle if t.label == "Show as a control chart (SPC)"]
    assert any("Control charts (SPC) are for monthly and quarterly series" in c.value for c in at.caption)


def test_a_monthly_series_can_be_shown_as_a_control_chart_with_its_signals_marked(council, signals):
    at = _run("pages/trends.py", indicator=SPC_ID)
    toggle = next(t for t in at.toggle if t.label == "Show as a control chart (SPC)")
    assert toggle.value is False
    toggle.set_value(True).run()
    spec = helpers.chart_spec(at)
    assert spec["description"].startswith(f"Control chart of Short-term let guest nights in {council.short_name}")
    layers = [layer for layer in spec["layer"] if "shape" in layer.get("encoding", {})]
    assert layers and layers[0]["encoding"]["shape"]["scale"]["range"][0] == "circle"  # common cause first
    mine = [x for x in signals if x.series.indicator_id == SPC_ID and x.series.area_code == council.county_code]
    assert (len(mine) > 0) == ("Recent special cause" in spec["description"])
    assert _guide(at, "a control chart")[1].startswith(f"*For example, for Short-term let guest nights in "
                                                       f"{council.short_name} the average is")


def test_a_link_with_spc_on_opens_the_control_chart():
    spec = helpers.chart_spec(_run("pages/trends.py", indicator=SPC_ID, spc="true"))
    assert spec["description"].startswith("Control chart of ")


# ---- targets ------------------------------------------------------------------------------------------------
def _open_targets(at: AppTest) -> AppTest:
    """Open the targets panel as a click on it does (its form is drawn only when it is open)."""
    at.session_state[KEY_TARGETS_OPEN] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_no_target_is_set_by_default_and_the_chart_has_no_line():
    at = _open_targets(_run("pages/trends.py", indicator="claimant_count"))
    assert any(m.value.startswith("No targets are set. None are set by default") for m in at.markdown)
    assert not [layer for layer in helpers.chart_spec(at)["layer"] if layer.get("mark", {}).get("type") == "rule"
                and layer["mark"].get("color") == "#00695C"]


def _targets_label(at: AppTest) -> str:
    return next(e.label for e in at.expander if e.label.startswith("🎯 Targets and thresholds"))


def test_the_targets_panel_draws_its_form_only_when_opened_and_stays_open_across_indicators():
    target = Target("claimant_count", 2.5, TargetDirection.AT_MOST, "Plan ceiling", "Policy team")
    at = _run("pages/trends.py", state={"_targets": (target,)}, indicator="claimant_count")
    assert _targets_label(at) == "🎯 Targets and thresholds (1 for this measure)"
    assert not at.number_input and not [b for b in at.button if b.label == "Add target"]  # nothing to redraw
    _open_targets(at)
    assert at.number_input(key="tg_value") and [b for b in at.button if b.label == "Add target"]
    at.query_params["indicator"] = "employment_rate"  # as the sidebar's picker sets it
    at.run()
    assert not at.exception and any(m.value.startswith("**Employment rate") for m in at.markdown)
    assert _targets_label(at) == "🎯 Targets and thresholds (0 for this measure)"  # a new label: a new widget
    assert at.number_input(key="tg_value"), "the panel closed when the indicator changed"
    at.session_state[KEY_TARGETS_OPEN] = False  # closed again, as a click on it does
    at.run()
    assert not at.number_input


def test_a_target_set_in_the_form_is_drawn_on_the_chart_and_listed(council):
    at = _open_targets(_run("pages/trends.py", indicator="claimant_count"))
    at.number_input(key="tg_value").set_value(2.5)
    at.text_input(key="tg_label").input("Plan ceiling")
    at.text_input(key="tg_set_by").input("Policy team")
    next(b for b in at.button if b.label == "Add target").click().run()
    assert not at.exception
    assert "Target added: `Plan ceiling`." in [s.value for s in at.success]
    lines = [layer for layer in helpers.chart_spec(at)["layer"] if layer.get("mark", {}).get("color") == "#00695C"]
    assert lines and lines[0]["data"]["values"] == [{"target": 2.5, "label": "Target: Plan ceiling (at most 2.5%)"}]
    assert "**At most 2.5%** for every area: `Plan ceiling` (set by `Policy team`)" in [m.value for m in at.markdown]
    next(b for b in at.button if b.label == "Remove").click().run()
    assert "Target removed: `Plan ceiling`." in [s.value for s in at.success]


def test_a_target_without_a_value_is_refused_with_the_reason():
    at = _open_targets(_run("pages/trends.py", indicator="claimant_count"))
    at.text_input(key="tg_label").input("Plan ceiling")
    at.text_input(key="tg_set_by").input("Policy team")
    next(b for b in at.button if b.label == "Add target").click().run()
    error = " ".join(e.value for e in at.error)
    assert error.startswith("The target was not added:") and "the value must be a finite number" in error


def test_targets_load_from_a_file_and_a_bad_file_changes_nothing(council):
    at = _open_targets(_run("pages/trends.py", indicator="claimant_count"))
    good = targets_to_json([Target("claimant_count", 2.5, TargetDirection.AT_MOST, "Plan ceiling", "Policy team")])
    at.file_uploader(key="tg_file").upload("targets.json", good.encode(), "application/json").run()
    assert "Loaded 1 target from `targets.json`; they replace the targets set before." in [s.value for s in at.success]
    assert "⬇ Download the 1 target (JSON)" in [d.label for d in at.download_button]
    at.file_uploader(key="tg_file").upload("bad.json", b'{"format": "insight-targets", "version": 1, '
                                                       b'"targets": [{"indicator_id": "nope"}]}').run()
    error = " ".join(e.value for e in at.error)
    assert "`bad.json` was not loaded; the targets set before are kept." in error
    assert "required field is missing" in error
    assert [layer for layer in helpers.chart_spec(at)["layer"] if layer.get("mark", {}).get("color") == "#00695C"]


def test_a_target_makes_the_projection_signal_on_the_overview(council):
    target = Target("claimant_count", 0.5, TargetDirection.AT_MOST, "Test ceiling", "Tester")
    at = _run("pages/overview.py", state={"_targets": (target,)})
    findings = " ".join(_attention_findings(at))
    assert f"Claimant count in {council.short_name}: is already above `Test ceiling` (at most 0.5%)" in findings
    ranked = next(e for e in at.expander if e.label == "How this list is ranked")
    assert any("1 target is set this session" in m.value for m in ranked.markdown)


# ---- How to read this ---------------------------------------------------------------------------------------
def _guide(at: AppTest, label: str) -> list[str]:
    expander = next(e for e in at.expander if e.label == f"📖 How to read this: {label}")
    [text] = [m.value for m in expander.markdown]  # the reading, then the worked example
    return text.split("\n\n")


def test_the_fan_chart_has_its_guide_with_an_example_from_the_projection(council):
    text = _guide(_run("pages/trends.py", indicator="claimant_count"), "a fan chart")
    assert text[0] == " ".join(literacy.HOW_TO_READ["fan_chart"][1])
    assert text[1].startswith(f"*For example, for claimant count in {council.short_name} in ")
    assert "the dark band runs from " in text[1]


def test_the_spine_chart_has_its_guide(options):
    division = next(iter(options.division_names))
    text = _guide(_run("pages/division_profile.py", division=division), "a spine chart")
    assert text[0] == " ".join(literacy.HOW_TO_READ["spine_chart"][1])
    assert text[1].startswith("*For example, on ") and f"{options.division_names[division]} has " in text[1]


def test_the_priority_map_and_contribution_chart_have_their_guides(options):
    division = next(iter(options.division_names))
    at = _run("pages/priority_map.py", division=division)
    assert _guide(at, "the map")[1].startswith("*For example, on priority score ")
    assert _guide(at, "the contribution chart")[1].startswith(
        f"*For example, {options.division_names[division]} has a score of ")


def test_the_scenario_comparison_has_its_guide():
    text = _guide(_run("pages/scenarios.py"), "the scenario comparison")
    assert text[0] == " ".join(literacy.HOW_TO_READ["scenario_comparison"][1])
    assert text[1].startswith("*For example, ")


# ---- glossary and first-visit guide ---------------------------------------------------------------------------
def _glossary_terms(at: AppTest) -> list[str]:
    """The glossary's entries as shown, one paragraph each ("**Term** — definition")."""
    return [paragraph for m in at.markdown if m.value.startswith("**") and " — " in m.value
            for paragraph in m.value.split("\n\n")]


def test_the_glossary_defines_every_term_in_plain_words(council):
    at = _run("pages/glossary.py")
    shown = _glossary_terms(at)
    entries = literacy.council_glossary(council.area_word, council.divisions_approximate)
    assert len(shown) == len(entries)
    for term in ("Confidence interval", "Projection", "Calibrated range", "Back-test", "MASE", "Polarity",
                 "Suppression", "Z-score", "Special cause"):
        entry = literacy.define(term)
        assert any(m.startswith(f"**{entry.term}** — {entry.definition}") for m in shown), term
    assert [e.label for e in at.expander] == [f"📖 {literacy.HOW_TO_READ[k][0]}" for k in
                                              ("fan_chart", "spine_chart", "spc_chart", "choropleth",
                                               "contribution_chart", "scenario_comparison")]


def test_the_glossary_speaks_the_councils_words(council):
    text = _words(_run("pages/glossary.py"))
    assert ("Approximate boundaries" in text) == council.divisions_approximate
    if council.area_word != "division":
        assert "ivision" not in text


def test_finding_a_word_narrows_the_glossary_and_typed_text_stays_plain():
    at = _run("pages/glossary.py")
    at.text_input(key="glossary_find").input("SPC").run()
    assert [m.split("**")[1] for m in _glossary_terms(at)] == ["Control chart"]
    at.text_input(key="glossary_find").input("[x](https://evil.example)").run()
    assert "No word in the glossary matches `[x](https://evil.example)`. Try a shorter word." in [i.value for i in at.info]


def test_the_first_visit_guide_can_be_hidden_and_opened_again_from_the_glossary(council):
    def frame() -> None:
        from components.literacy import render_first_visit_guide
        from insight.config import load_config

        render_first_visit_guide(load_config().area_word)

    at = AppTest.from_function(frame, default_timeout=helpers.TIMEOUT).run()
    steps = next(m.value for m in at.markdown if m.value.startswith("1. "))
    assert steps.count("**") == 2 * len(literacy.FIRST_VISIT_STEPS)
    assert f"Choose a district or a {council.area_word} in the side bar." in steps
    next(b for b in at.button if b.label == "Got it, hide this guide").click().run()
    assert not [m for m in at.markdown if m.value.startswith("1. ")]
    glossary = _run("pages/glossary.py", state={"_first_visit_hidden": True})
    next(b for b in glossary.button if b.label == "Show the first-visit guide again").click().run()
    assert glossary.session_state["_first_visit_hidden"] is False


def test_a_series_too_short_for_a_control_chart_gets_a_note_in_its_place():
    def page() -> None:
        import pandas as pd

        from components.attention import render_spc_panels
        from insight import schema as s
        from insight.signals import SeriesInfo, assess_series
        from views.signal_marks import spc_panel

        starts = pd.date_range("2024-01-01", periods=12, freq="MS")
        frame = pd.DataFrame({s.PERIOD_START: starts, s.PERIOD_LABEL: [f"{d:%b %Y}" for d in starts],
                              s.VALUE: [10.0, 11.0] * 6})
        info = SeriesInfo("demand", "A1", "Demand", "Area One", "district", s.Polarity.NEITHER, frequency="monthly")
        render_spc_panels([spc_panel(assess_series(info, frame), source_line="Source: test.")], show_table=False)

    at = AppTest.from_function(page, default_timeout=helpers.TIMEOUT).run()
    assert not at.get("vega_lite_chart")
    assert [i.value for i in at.info] == ["Area One: Too short for SPC: 12 months with a value; SPC needs at least 15 "
                                          "(NHS Making Data Count advises 15, ideally 20)."]


def test_a_bad_spc_value_in_the_link_is_reported():
    at = _run("pages/trends.py", indicator=SPC_ID, spc="banana")
    assert "The link's control chart (spc) `banana` is not on or off (1 or 0), so it is off." in \
        [w.value for w in at.warning]


def test_a_place_assessed_alone_has_exactly_the_signals_it_has_in_the_whole_dataset(dataset, signals):
    """The app assesses one place's series at a time (components.data): that must change nothing."""
    observations = dataset.observations
    for code in sorted({x.series.area_code for x in signals})[:12]:
        alone = all_signals(assess_dataset(observations[observations["area_code"] == code], dataset.indicators,
                                           dataset.areas))
        assert alone == [x for x in signals if x.series.area_code == code], code
