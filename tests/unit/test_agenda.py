"""Agendas of saved views: round trips through the file and the link, refusals, and text that stays text."""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import replace
from datetime import date

import pytest

from insight.agenda import (
    LINK_PARAM,
    MAX_LINK_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_VIEWS,
    Agenda,
    AgendaError,
    Figure,
    Page,
    View,
    ViewParams,
    agenda_from_dict,
    agenda_from_json,
    agenda_from_link,
    agenda_to_dict,
    agenda_to_json,
    agenda_to_link,
    check_agenda,
    figures_digest,
)
from insight.data_version import DataVersion, build_date, data_version, write_build_stamp
from insight.errors import DataValidationError
from insight.snapshot import agenda_options
from insight.targets import Target, TargetDirection, target_to_dict
from tests.unit.agenda_helpers import (
    CLACTON_WEST,
    ROOT,
    TENDRING,
    VERSION,
    committed_context,
    sample_agenda,
    sample_views,
)

FIGURES = (Figure("value:claimant_count:E07000076", "2025", 4.0, "4.0%"),
           Figure("rating:claimant_count:E07000076:E92000001", "2025", None, "Similar"))
CRAFTED = ('<script>alert(1)</script> [Re-login](https://evil.example) ![x](http://h.example/p.png) '
           '{{ 7*7 }} ${jndi:ldap://x} %s %(x)s :red[alert] $x^2$ www.evil.example &amp; "quoted" \\n')


@pytest.fixture(scope="module")
def context():
    return committed_context()


def file_dict(**changes: object) -> dict:
    data = agenda_to_dict(sample_agenda())
    data.update(changes)
    return data


def with_view(**changes: object) -> dict:
    data = agenda_to_dict(sample_agenda())
    data["views"][0].update(changes)
    return data


# ---- round trips -----------------------------------------------------------------------------------

def test_an_agenda_survives_the_file_form_exactly():
    views = tuple(v.with_figures(FIGURES) if i == 0 else v for i, v in enumerate(sample_views()))
    agenda = sample_agenda(views)
    assert agenda_from_json(agenda_to_json(agenda)) == agenda
    assert agenda_from_json(agenda_to_json(agenda).encode("utf-8")) == agenda


def test_the_file_names_its_format_and_schema_version():
    data = json.loads(agenda_to_json(sample_agenda()))
    assert data["format"] == "insight-agenda" and data["version"] == 1
    assert data["views"][2]["params"] == {"division": [CLACTON_WEST],
                                          "weights": [["imd25_income", 5], ["imd25_employment", 3]],
                                          "norm": "zscore", "top": 5}


def test_the_link_keeps_the_definition_and_a_digest_but_not_the_figures():
    views = tuple(v.with_figures(FIGURES) for v in sample_views())
    link = agenda_to_link(sample_agenda(views))
    back = agenda_from_link(link)
    assert all(v.figures == () for v in back.views)
    assert [v.digest for v in back.views] == [figures_digest(FIGURES)] * len(views)
    assert [(v.page, v.title, v.note, v.params) for v in back.views] == \
        [(v.page, v.title, v.note, v.params) for v in views]
    assert back.version == VERSION and back.meeting == date(2026, 12, 3)
    assert LINK_PARAM == "agenda" and set(link) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                       "0123456789-_")


def test_a_full_agenda_with_long_notes_still_fits_in_a_link():
    views = tuple(replace(sample_views()[i % 5], note="Speaker note with the point to make. " * 12)
                  for i in range(MAX_VIEWS))
    link = agenda_to_link(sample_agenda(views))
    assert len(link) <= MAX_LINK_LENGTH
    assert len(agenda_from_link(link).views) == MAX_VIEWS


def test_an_agenda_too_long_for_a_link_says_so_and_suggests_the_file():
    def noisy(seed: int) -> str:  # text that does not compress
        return "".join(chr(0x4E00 + (i * 7919 + seed * 104729) % 20000) for i in range(MAX_NOTE_LENGTH))

    views = tuple(replace(sample_views()[0], note=noisy(n)) for n in range(MAX_VIEWS))
    with pytest.raises(AgendaError, match="too long for a link.*save it as a file"):
        agenda_to_link(sample_agenda(views))


def test_a_snapshot_of_the_committed_data_round_trips_and_every_view_has_figures(context):
    from insight.snapshot import snapshot_agenda

    frozen = snapshot_agenda(sample_agenda(), context)
    assert frozen.version == data_version(ROOT / "data")
    assert all(view.figures for view in frozen.views)
    assert agenda_from_json(agenda_to_json(frozen)) == frozen


# ---- refusals ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "message"), [
    (file_dict(format="something-else"), "not an agenda file"),
    (file_dict(version=2), "version `2` is not supported"),
    (file_dict(extra=1), "unknown setting"),
    (file_dict(title=""), "title is empty"),
    (file_dict(title="x" * (MAX_TITLE_LENGTH + 1)), "too long"),
    (file_dict(title="Budget\u202egnirts"), "control or format characters"),
    (file_dict(title="Line one\nline two"), "line breaks"),
    (file_dict(meeting_date="03/12/2026"), "YYYY-MM-DD"),
    (file_dict(meeting_date="2026-02-30"), "not a calendar date"),
    (file_dict(views=[]), "non-empty list"),
    (file_dict(views=[agenda_to_dict(sample_agenda())["views"][0]] * (MAX_VIEWS + 1)), f"at most {MAX_VIEWS} views"),
    (file_dict(data_version={"digest": "abc", "built": "2026-11-25"}), "64 lowercase hexadecimal"),
    (with_view(page="admin"), "unknown page"),
    (with_view(page=["overview"]), "unknown page"),
    (with_view(note="x" * (MAX_NOTE_LENGTH + 1)), "speaker note is too long"),
    (with_view(note="bell \x07"), "control or format characters"),
    (with_view(params={"weights": [["imd25_income", 5]]}), "unknown setting"),  # overview takes no weights
    (with_view(params={"district": "E07000076"}), "must be a list"),
    (with_view(params={"district": ["E07000076", "E07000076"]}), "same code twice"),
    (with_view(params={"district": ["../../etc/passwd"]}), "letters, digits and underscores"),
    (with_view(params={"indicator": {"$ne": 1}}), "letters, digits and underscores"),
    (with_view(figures=[{"key": "value:x:y", "period": "2025", "value": 1.0, "text": "1", "html": "<b>"}]),
     "unknown setting"),
    (with_view(figures=[{"key": "javascript:alert(1)", "value": 1.0}]), "not a figure key"),
    (with_view(figures=[{"key": "value:x:y", "value": "1"}]), "number or null"),
    (with_view(figures=[{"key": "value:x:y", "value": True}]), "number or null"),
    (with_view(figures=[{"key": "value:x:y", "value": 1.0}], digest="0" * 12), "do not match their digest"),
    (with_view(digest="not-hex-at-all"), "hexadecimal"),
])
def test_malformed_agendas_are_refused_with_a_specific_message(data, message):
    with pytest.raises(AgendaError, match=message):
        agenda_from_dict(data)


def trends_view(**params: object) -> dict:
    return {"page": "trends", "title": "T", "params": params}


def priority_view(**params: object) -> dict:
    return {"page": "priority_map", "title": "P", "params": params}


@pytest.mark.parametrize(("view", "message"), [
    (trends_view(horizon=0), "from 1 to 24"),
    (trends_view(horizon=2.5), "whole number"),
    (trends_view(horizon=True), "whole number"),
    (trends_view(compare=["county", "mars"]), "one of county, region, england"),
    (trends_view(table="yes"), "true or false"),
    (priority_view(weights=[["imd25_income", 11]]), "from 0 to 10"),
    (priority_view(weights=[["imd25_income", 0]]), "all zero"),
    (priority_view(weights=[["imd25_income", 5], ["imd25_income", 3]]), "one measure twice"),
    (priority_view(weights=[]), "non-empty list"),
    (priority_view(norm="exp"), "zscore, rank, minmax"),
    ({"page": "scenarios", "title": "S", "params": {"scenarios": "n:<b>x</b>,t:2"}}, "scenarios cannot be read"),
    ({"page": "scenarios", "title": "S", "params": {"scn_data": "secret"}}, "open, illustrative"),
])
def test_page_parameters_are_checked_by_type_and_range(view, message):
    with pytest.raises(AgendaError, match=message):
        agenda_from_dict(file_dict(views=[view]))


CEILING = Target("claimant_count", 3.5, TargetDirection.AT_MOST, "Council plan ceiling", "Policy team",
                 area_code=TENDRING, note="Agreed at Cabinet")
FLOOR = Target("claimant_count", 1.0, TargetDirection.AT_LEAST, "Floor", "Policy team")


def test_a_trends_view_keeps_its_target_lines_through_the_file_and_the_link(context):
    """An officer's target lines on a trend were lost when the view went on the agenda: committee mode and the
    pack drew the chart without them."""
    view = View(Page.TRENDS, "Claimant count", ViewParams(districts=(TENDRING,), indicator="claimant_count",
                                                          targets=(CEILING, FLOOR)))
    agenda = sample_agenda((view,))
    assert agenda_from_json(agenda_to_json(agenda)).views[0].params.targets == (CEILING, FLOOR)
    assert agenda_from_link(agenda_to_link(agenda)).views[0].params.targets == (CEILING, FLOOR)
    check_agenda(agenda, agenda_options(context))


@pytest.mark.parametrize(("targets", "message"), [
    ("Council plan ceiling", "non-empty list of targets"),
    ([], "non-empty list of targets"),
    ([target_to_dict(CEILING)] * 11, "at most 10"),
    ([{**target_to_dict(CEILING), "indicator_id": "gdhi_per_head"}], "for the view's indicator"),
    ([{**target_to_dict(CEILING), "label": "line\u202eevil"}], "label must be one line of text"),
    ([{**target_to_dict(CEILING), "colour": "red"}], "unknown field"),
    ([{**target_to_dict(CEILING), "value": "3.5"}], "finite number"),
    ([target_to_dict(CEILING), {**target_to_dict(CEILING), "label": "Again"}], "repeats target 1"),
])
def test_a_views_target_lines_are_checked_as_a_targets_file_is(targets, message):
    with pytest.raises(AgendaError, match=message):
        agenda_from_dict(file_dict(views=[trends_view(indicator="claimant_count", targets=targets)]))


def test_target_lines_belong_to_a_trends_view_that_names_its_indicator_and_a_known_area(context):
    with pytest.raises(AgendaError, match="for the view's indicator"):
        agenda_from_dict(file_dict(views=[trends_view(targets=[target_to_dict(CEILING)])]))
    with pytest.raises(AgendaError, match="targets"):
        agenda_from_dict(file_dict(views=[priority_view(targets=[target_to_dict(CEILING)])]))
    stranger = View(Page.TRENDS, "T", ViewParams(indicator="claimant_count",
                                                 targets=(replace(CEILING, area_code="E07999999"),)))
    with pytest.raises(AgendaError, match="target is for area `E07999999`, which is not in this data"):
        check_agenda(sample_agenda((stranger,)), agenda_options(context))


def test_non_finite_numbers_and_deep_nesting_are_refused():
    text = agenda_to_json(sample_agenda()).replace('"top": 5', '"top": NaN')
    with pytest.raises(AgendaError, match="NaN"):
        agenda_from_json(text)
    with pytest.raises(AgendaError, match="nested too deeply|not valid JSON"):
        agenda_from_json("[" * 100_000 + "]" * 100_000)
    with pytest.raises(AgendaError, match="not UTF-8"):
        agenda_from_json(b"\xff\xfe{}")


def test_an_agenda_built_in_code_is_checked_as_strictly_as_a_file():
    with pytest.raises(AgendaError, match="does not take"):
        Agenda("A", date(2026, 12, 3), VERSION, (View(Page.OVERVIEW, "O", ViewParams(top=5)),))
    with pytest.raises(AgendaError, match="at least one view"):
        Agenda("A", date(2026, 12, 3), VERSION, ())
    with pytest.raises(AgendaError, match="control or format"):
        Agenda("A", date(2026, 12, 3), VERSION, (View(Page.OVERVIEW, "O\u200b"),))


@pytest.mark.parametrize("tamper", [
    lambda link: link[:-5],
    lambda link: link + "*",
    lambda link: "A" * (MAX_LINK_LENGTH + 1),
    lambda link: base64.urlsafe_b64encode(zlib.compress(b"{not json")).decode().rstrip("="),
    lambda link: base64.urlsafe_b64encode(zlib.compress(b"[1, 2]")).decode().rstrip("="),
])
def test_a_cut_or_changed_link_is_refused(tamper):
    with pytest.raises(AgendaError):
        agenda_from_link(tamper(agenda_to_link(sample_agenda())))


def test_a_link_that_unpacks_to_something_huge_is_refused_without_unpacking_it_all():
    bomb = base64.urlsafe_b64encode(zlib.compress(b" " * 5_000_000, 9)).decode().rstrip("=")
    assert len(bomb) <= MAX_LINK_LENGTH
    with pytest.raises(AgendaError, match="more than an agenda can hold"):
        agenda_from_link(bomb)


def test_a_link_carrying_figures_is_refused():
    data = agenda_to_dict(sample_agenda(tuple(v.with_figures(FIGURES) for v in sample_views())))
    packed = zlib.compress(json.dumps(data).encode())
    with pytest.raises(AgendaError, match="carries no figures"):
        agenda_from_link(base64.urlsafe_b64encode(packed).decode().rstrip("="))


# ---- codes against the data ----------------------------------------------------------------------------

def test_the_sample_agenda_names_only_codes_the_data_has(context):
    check_agenda(sample_agenda(), agenda_options(context))


def test_every_unknown_code_is_listed_at_once(context):
    views = (
        View(Page.OVERVIEW, "Nowhere", ViewParams(districts=("E07999999",))),
        View(Page.TRENDS, "Bad", ViewParams(indicator="no_such_measure")),
        View(Page.PRIORITY_MAP, "Weights", ViewParams(weights=(("imd25_income", 5), ("gdhi_per_head", 3)),
                                                       measure="census21_disabled")),
        View(Page.DIVISION_PROFILE, "No division"),
        View(Page.DIVISION_PROFILE, "Itself", ViewParams(divisions=(CLACTON_WEST,), vs=(CLACTON_WEST,))),
        View(Page.OVERVIEW, "Outside", ViewParams(districts=("E07000066",), divisions=(CLACTON_WEST,))),
        View(Page.SCENARIOS, "Area", ViewParams(scn_indicator="gdhi_per_head", scn_area=CLACTON_WEST)),
        View(Page.SCENARIOS, "Horizon", ViewParams(scn_indicator="gdhi_per_head", scn_area=TENDRING, scn_horizon=7 * 5)),
        View(Page.TRENDS, "Horizon", ViewParams(indicator="claimant_count", horizon=9)),
    )
    with pytest.raises(AgendaError) as caught:
        check_agenda(sample_agenda(views), agenda_options(context))
    problems = caught.value.problems
    assert len(problems) == 10  # view 3 has two: an unknown measure and an LSOA measure it does not weight
    assert any("LSOA measure" in p for p in problems)
    for number, expected in enumerate(["unknown district", "unknown indicator", "unknown priority measure",
                                       "needs a division", "compared with itself", "not in the chosen districts",
                                       "no projectable series", "not one the scenarios page offers",
                                       "more than the 5"], start=1):
        assert any(p.startswith(f"View {number} ") and expected in p for p in problems), expected


def test_unknown_values_are_quoted_as_literal_text_in_messages(context):
    view = View(Page.TRENDS, "T", ViewParams(indicator="evil_example_com"))
    with pytest.raises(AgendaError, match="`evil_example_com`"):
        check_agenda(sample_agenda((view,)), agenda_options(context))


# ---- text stays text --------------------------------------------------------------------------------------

def test_a_crafted_title_and_note_are_kept_exactly_and_never_interpreted():
    view = View(Page.OVERVIEW, CRAFTED[:MAX_TITLE_LENGTH], note=CRAFTED + "\nsecond line")
    agenda = Agenda(CRAFTED[:MAX_TITLE_LENGTH], date(2026, 12, 3), VERSION, (view,))
    for back in (agenda_from_json(agenda_to_json(agenda)), agenda_from_link(agenda_to_link(agenda))):
        assert back.title == CRAFTED[:MAX_TITLE_LENGTH]
        assert back.views[0].note == CRAFTED + "\nsecond line"
    assert json.loads(agenda_to_json(agenda))["views"][0]["note"] == CRAFTED + "\nsecond line"


def test_windows_line_endings_in_a_note_become_plain_line_breaks():
    data = with_view(note="first\r\nsecond")
    assert agenda_from_dict(data).views[0].note == "first\nsecond"


# ---- data version -----------------------------------------------------------------------------------------

def test_the_data_version_hashes_the_files_not_where_they_are(tmp_path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    assert data_version(copy).digest == data_version(ROOT / "data").digest
    (copy / "README.md").write_text("changed documentation", encoding="utf-8")
    assert data_version(copy).digest == data_version(ROOT / "data").digest
    with (copy / "indicators.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert data_version(copy).digest != data_version(ROOT / "data").digest


def test_the_data_date_is_the_build_stamp_in_every_copy_not_when_the_files_were_copied(tmp_path):
    import os
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    for path in copy.rglob("*"):
        os.utime(path, (0, 0))  # a checkout made on another day
    assert data_version(copy).built == data_version(ROOT / "data").built == build_date(ROOT / "data")
    assert data_version(ROOT / "data" / "previous").built == date(2026, 11, 25)  # the last meeting's build
    write_build_stamp(copy, date(2027, 1, 4))
    assert data_version(copy).built == date(2027, 1, 4)
    assert data_version(copy).digest == data_version(ROOT / "data").digest  # the date changes no figure
    (copy / "build.json").unlink()
    assert data_version(copy).built == date(1970, 1, 1)  # no stamp: the files' own dates


def test_a_broken_build_stamp_is_named_with_the_fix(tmp_path):
    (tmp_path / "indicators.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "build.json").write_text('{"built": "last Tuesday"}', encoding="utf-8")
    with pytest.raises(DataValidationError) as raised:
        data_version(tmp_path)
    assert "build.json" in str(raised.value) and "make data" in str(raised.value)


def test_the_stamp_says_the_date_and_a_short_version():
    version = DataVersion("ab" * 32, date(2026, 11, 25))
    assert version.stamp == "Data as of 25 November 2026 (version abababababab)"
