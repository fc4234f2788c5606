"""Review records: bound to the text by hashes, written in one layout,
read back exactly, and refused with their line when the file is broken."""

from __future__ import annotations

import datetime

import pytest

from leafpress.errors import ContentError, Problem
from leafpress.review import records
from leafpress.review.records import Records, Revision, SignOff
from leafpress.review.state import Message, review_state
from leafpress.settings.review import read_review

DAY = datetime.date(2026, 11, 27)


def revision(source: str, translation: str, context: str | None = None,
             by: str = "A. Reviser") -> Revision:
    return Revision(context, source, translation,
                    records.message_hash(context, source, translation), by, DAY)


def test_a_hash_binds_context_source_and_translation():
    base = records.message_hash(None, "Does it hurt?", "Doet het pijn?")
    assert base == records.message_hash(None, "Does it hurt?", "Doet het pijn?")
    assert len({base, records.message_hash("title", "Does it hurt?", "Doet het pijn?"),
                records.message_hash(None, "Does it hurt ?", "Doet het pijn?"),
                records.message_hash(None, "Does it hurt?", "Doet het zeer?")}) == 4


def test_records_are_written_in_one_layout_and_read_back(tmp_path):
    path = tmp_path / "x.review.toml"
    found = Records(path, [revision("Call 112 \"now\"", "Bel 112 \u201cnu\u201d",
                                    "answer"),
                           revision("Tab\there", "Tab\thier")],
                    [SignOff("Dr. C. Clinician", DAY, "1.2.0", "sha256:ab",
                             ("sha256:1", "sha256:2"))])
    data = records.serialise(found, "x", "nl")
    path.write_bytes(data)
    again = records.read(path, "x.review.toml")
    assert (again.revised, again.signed_off) == (found.revised, found.signed_off)
    assert records.serialise(again, "x", "nl") == data
    assert all(record.valid for record in again.revised)


def test_a_record_edited_by_hand_approves_nothing(tmp_path):
    path = tmp_path / "x.review.toml"
    honest = revision("Take 1 tablet.", "Neem 1 tablet.")
    path.write_bytes(records.serialise(Records(path, [honest]), "x", "nl"))
    # someone changes the approved text in the record, keeping the hash
    path.write_text(path.read_text().replace("Neem 1 tablet.", "Neem 10 tabletten."))
    edited = records.read(path, "x.review.toml")
    assert not edited.revised[0].valid
    assert edited.revision(None, "Take 1 tablet.", "Neem 10 tabletten.") is None
    assert edited.revision(None, "Take 1 tablet.", "Neem 1 tablet.") is None


@pytest.mark.parametrize(("text", "line", "message"), [
    ("[[revised]]\nsource = 'a'\ntranslation = 'b'\nhash = 'c'\nby = 'd'\n"
     "date = 2026-13-01\n", 6, "not valid TOML"),
    ("[[revised]]\nsource = 'a'\ntranslation = 'b'\nhash = 'c'\nby = 'd'\n"
     "date = '2026-11-27'\n", 1, "date must be a date"),
    ("\n\n[[signed-off]]\nby = 'd'\ndate = 2026-11-27\nversion = 1\nhash = 'c'\n",
     3, "version must be text"),
])
def test_a_broken_records_file_is_an_error_at_its_line(tmp_path, text, line,
                                                      message):
    path = tmp_path / "x.review.toml"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        records.read(path, "x.review.toml")
    [problem] = caught.value.problems
    assert (problem.line, message in problem.message) == (line, True), problem


def messages() -> list[Message]:
    return [Message("leaflet", None, "Take 1 tablet.", "Neem 1 tablet.", "x.po", 20),
            Message("leaflet", "title", "Pills", "Pillen", "x.po", 25),
            Message("ui", None, "Version", "Versie", "ui.po", 40)]


def test_the_state_names_what_is_missing_with_its_places(tmp_path):
    found = {"leaflet": Records(tmp_path / "a"), "ui": Records(tmp_path / "b")}
    state = review_state(("revised", "signed-off"), messages(), found, "leaflet")
    assert state.missing == ["3 messages not revised (x.po:20, :25, ui.po:40)",
                             "not signed off by the clinician"]
    found["leaflet"].revised += [revision("Take 1 tablet.", "Neem 1 tablet."),
                                 revision("Pills", "Pillen", "title")]
    found["ui"].revised.append(revision("Version", "Versie"))
    state = review_state(("revised", "signed-off"), messages(), found, "leaflet")
    assert state.missing == ["not signed off by the clinician"]
    found["leaflet"].signed_off.append(SignOff("Dr. C", DAY, "1.0.0", state.text_hash,
                                               tuple(m.hash for m in messages())))
    assert review_state(("revised", "signed-off"), messages(), found,
                        "leaflet").ready
    # one translation changes: its revision and the sign-off are void
    changed = messages()
    changed[0] = Message("leaflet", None, "Take 1 tablet.", "Neem één tablet.",
                         "x.po", 20)
    state = review_state(("revised", "signed-off"), changed, found, "leaflet")
    assert state.missing == ["1 message not revised (x.po:20)",
                             "not signed off since version 1.0.0 (2026-11-27)"]
    assert state.changed(changed[0], found) == (True, "Neem 1 tablet.")
    assert state.changed(changed[1], found) == (False, None)
    assert review_state((), changed, found, "leaflet").ready


@pytest.mark.parametrize(("table", "nl", "problem"), [
    (None, ("revised", "signed-off"), None),
    ({"require": []}, (), None),
    ({"require": ["signed-off"]}, ("signed-off",), None),
    ({"require": [], "nl": {"require": ["revised"]}}, ("revised",), None),
    ({"require": ["approved"]}, ("revised", "signed-off"), "'approved' is not one"),
    ({"require": "revised"}, ("revised", "signed-off"), "must be a list"),
    ({"de": {"require": []}}, ("revised", "signed-off"), "[review] de: not a"),
])
def test_the_policy_fails_closed(table, nl, problem):
    problems: list[Problem] = []
    policy = read_review(table, ("en", "nl"), "en", "leafpress.toml", problems)
    assert policy.required("nl") == nl
    assert [p.message for p in problems if problem and problem in p.message] == (
        [p.message for p in problems]) and bool(problems) == bool(problem)
