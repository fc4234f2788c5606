"""Attacks on the catalogs: every broken form of a ``.po`` is either read
right or refused at its line, and no command ever loses a translation.

Each test plants one form in the Dutch catalog of a copy of the fixture
project, then runs ``build``, ``status`` and ``update`` and looks at the
file's bytes afterwards: unchanged when refused, every translation kept
when read. GNU ``msgfmt -c`` is asked about the same file where it helps.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from conftest import RESOURCES
from leafpress.errors import ContentError
from leafpress.translation import layout, pofile, update
from leafpress.translation.catalogs import read_catalog

PO = "locales/nl/LC_MESSAGES/blood-test.po"
UI_PO = "locales/nl/LC_MESSAGES/ui.po"
FIXTURE = (RESOURCES / "project" / PO).read_bytes()
#: The entry most attacks rewrite, and the line of its msgid in the fixture.
ENTRY = 'msgid "Before the test"\nmsgstr "Voor de test"\n'
ENTRY_LINE = 35
PLURAL = 'msgid "Before the test"\nmsgid_plural "Before the tests"\n'


# Helpers -------------------------------------------------------------------

def plant(root: Path, new: str, old: str = ENTRY) -> bytes:
    """Put ``new`` in place of ``old`` in the Dutch catalog; return its bytes."""
    text = FIXTURE.decode("utf-8")
    assert text.count(old) == 1, old
    data = text.replace(old, new).encode("utf-8")
    (root / PO).write_bytes(data)
    return data


def translations(data: bytes) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """Every translated entry of a catalog, active or obsolete."""
    return {entry.key: entry.translated for entry in pofile.entries(data)
            if entry.translated and not entry.header}


def msgfmt(path: Path, *options: str) -> subprocess.CompletedProcess:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU msgfmt is not installed")
    return subprocess.run(["msgfmt", "-c", "--check-format", *options, "-o",
                           "/dev/null", str(path)], capture_output=True, text=True)


def assert_refused(root: Path, cli, line: int, message: str) -> None:
    """build, status and update all name ``PO:line: ...message...``; build
    and update exit 1, and the catalog is left byte for byte as it was."""
    planted = (root / PO).read_bytes()
    placed = f"{PO}:{line}: "
    for args in (("build", "-l", "nl"), ("update",)):
        run = cli(root, *args)
        assert run.code == 1, (args, run)
        assert "Traceback" not in run.err
        found = [text for text in run.err.splitlines() if text.startswith(placed)]
        assert any(message in text for text in found), (args, message, run.err)
        assert (root / PO).read_bytes() == planted, args
    assert not (root / "build/pdf/nl/blood-test.pdf").exists()
    run = cli(root, "status", "--format", "json")
    assert run.code == 0 and "Traceback" not in run.err
    row = json.loads(run.out)[0]
    assert not row["printable"]
    assert any(problem.startswith(placed) and message in problem
               for problem in row["problems"]), row["problems"]
    assert (root / PO).read_bytes() == planted


def assert_read_right(root: Path, cli) -> None:
    """The planted catalog prints, counts as complete, and ``update`` writes
    it back as the fixture, LF line ends and every translation kept."""
    run = cli(root, "build", "-l", "nl")
    assert run.code == 0, run
    assert (root / "build/pdf/nl/blood-test.pdf").is_file()
    row = json.loads(cli(root, "status", "--format", "json").out)[0]
    assert row["printable"] and row["untranslated"] == 0, row
    run = cli(root, "update")
    assert run.code == 0 and "Traceback" not in run.err, run
    assert (root / PO).read_bytes() == FIXTURE
    assert translations((root / PO).read_bytes()) == translations(FIXTURE)


# Line ends and encodings ----------------------------------------------------

def test_cr_only_line_ends_are_refused_not_read_as_an_empty_catalog(project, cli):
    (project / PO).write_bytes(FIXTURE.replace(b"\n", b"\r"))
    assert_refused(project, cli, 1, "broken catalog: this line ends with a carriage "
                   "return (CR) and no line feed, and so do 142 more lines")
    # GNU msgfmt -c only says that the header is missing; without -c it reads
    # the file as a catalog with no translation and says nothing else.
    checked = msgfmt(project / PO)
    assert checked.returncode != 0 and "header missing or invalid" in checked.stderr
    checked = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null",
                              str(project / PO)], capture_output=True, text=True)
    assert checked.returncode == 0 and "0 translated messages" in checked.stderr


def test_one_cr_line_end_among_lf_is_refused_at_its_line(project, cli):
    plant(project, ENTRY.replace('test"\n', 'test"\r', 1))
    assert_refused(project, cli, ENTRY_LINE, "ends with a carriage return (CR) and "
                   "no line feed; GNU gettext takes such a CR as part of the text")


def test_a_raw_cr_inside_a_string_is_refused(project, cli):
    plant(project, ENTRY.replace("Voor de test", "Voor de\rtest"))
    assert_refused(project, cli, ENTRY_LINE + 1, "save the catalog with LF (Unix) or "
                   "CRLF (Windows) line ends")


@pytest.mark.parametrize("data", [
    FIXTURE.replace(b"\n", b"\r\n"),
    b"\xef\xbb\xbf" + FIXTURE,
    b"\xef\xbb\xbf" + FIXTURE.replace(b"\n", b"\r\n"),
    b"".join(line + (b"\r\n" if number % 2 else b"\n")
             for number, line in enumerate(FIXTURE.splitlines())),
], ids=["CRLF", "BOM", "BOM and CRLF", "LF and CRLF mixed"])
def test_crlf_and_a_byte_order_mark_read_right(project, cli, data):
    (project / PO).write_bytes(data)
    catalog = read_catalog(project / PO, PO, "nl")
    assert pofile.fields(catalog)["Language"] == "nl"
    assert catalog.get("Before the test").string == "Voor de test"
    assert_read_right(project, cli)


def test_utf16_is_refused_at_line_1(project, cli):
    (project / PO).write_bytes(FIXTURE.decode("utf-8").encode("utf-16"))
    assert_refused(project, cli, 1, "broken catalog: the file is saved as UTF-16")


# Entries Babel reads wrong without a word --------------------------------------

#: (name, the entry planted for ENTRY, the line after ENTRY_LINE of the
#: problem, what the problem says, whether GNU msgfmt -c refuses it too)
BROKEN = [
    ("msgstr[0] without msgid_plural", 'msgid "Before the test"\n'
     'msgstr[0] "Voor de test"\n', 1,
     "broken catalog: msgstr[0] on an entry without msgid_plural", True),
    ("plain msgstr on a plural entry", PLURAL + 'msgstr "Voor de test"\n', 2,
     "a plain msgstr on an entry with msgid_plural", True),
    ("more forms than nplurals", PLURAL + 'msgstr[0] "Voor de test"\n'
     'msgstr[1] "Voor de testen"\nmsgstr[2] "Voor de testen"\n', 4,
     "msgstr[2]: the header's Plural-Forms says nplurals=2", True),
    ("fewer forms than nplurals", PLURAL + 'msgstr[0] "Voor de test"\n', 2,
     "has 1 plural form and the header's Plural-Forms says nplurals=2: add "
     "msgstr[1]", True),
    ("forms out of order", PLURAL + 'msgstr[1] "Voor de testen"\n'
     'msgstr[0] "Voor de test"\n', 2, "msgstr[1] without msgstr[0] before it", True),
    ("msgid without msgstr", 'msgid "Before the test"\n', 0,
     "msgid without a msgstr", True),
    ("text after the last quote", 'msgid "Before the test"\n'
     'msgstr "Voor de test" (nl)\n', 1, "text after the closing quote", True),
    ("a quote inside the text", 'msgid "Before the test"\n'
     'msgstr "Voor de "test""\n', 1, "text after the closing quote", True),
    ("unterminated string", 'msgid "Before the test"\nmsgstr "Voor de test\n', 1,
     "the string is not closed", True),
    ("escaped closing quote", 'msgid "Before the test"\nmsgstr "Voor de test\\"\n',
     1, "the string is not closed", True),
    ("NUL character", 'msgid "Before the test"\nmsgstr "Voor de\x00 test"\n', 1,
     "a NUL character", False),
    ("second msgstr", ENTRY + 'msgstr "Vóór de test"\n', 2,
     "a second msgstr in this entry (the first is at line 36)", True),
    ("msgstr without msgid", 'msgstr "Voor de test"\n', 0,
     "msgstr without a msgid before it", True),
    ("msgctxt without msgid", 'msgctxt "heading"\nmsgctxt "heading"\n' + ENTRY, 0,
     "msgctxt without a msgid after it", True),
    ("comment inside an entry", 'msgid "Before the test"\n#, fuzzy\n'
     'msgstr "Voor de test"\n', 1, "a comment line inside an entry", True),
    ("unknown escape", 'msgid "Before the test"\nmsgstr "Voor de \\q test"\n', 1,
     "\\q is not an escape leafpress reads", True),
    ("octal escape", 'msgid "Before the test"\nmsgstr "V\\303\\263\\303\\263r"\n',
     1, "\\3 is not an escape leafpress reads", False),
    ("two strings on one line", 'msgid "Before the test"\n'
     'msgstr "Voor de " "test"\n', 1, "two strings on one line", False),
    ("a string outside an entry", '"Voor de test"\n' + ENTRY, 0,
     "a string that belongs to no msgctxt, msgid or msgstr", True),
    ("half obsolete", '#~ msgid "Before the test"\nmsgstr "Voor de test"\n', 1,
     "this entry mixes obsolete (#~) lines with others", True),
    ("msgid_plural after msgstr", ENTRY + 'msgid_plural "Before the tests"\n', 2,
     "msgid_plural after the msgstr", True),
    ("misspelt keyword", 'msgid "Before the test"\nmsgtsr "Voor de test"\n', 1,
     "unknown keyword “msgtsr”", True),
    ("merge conflict", "<<<<<<< HEAD\n" + ENTRY + "=======\n", 0,
     "a merge conflict marker", True),
    ("msgctxt on an empty msgid", 'msgctxt "heading"\nmsgid ""\n'
     'msgstr "Voor de test"\n', 1, "an entry with an empty msgid is the header",
     False),
    ("obsolete duplicate", ENTRY + '\n#~ msgid "Before the test"\n'
     '#~ msgstr "Vóór de test"\n', 3,
     f"duplicate: “Before the test” is already at line {ENTRY_LINE}", True),
]


@pytest.mark.parametrize(("entry", "offset", "message", "gnu_refuses"),
                         [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_a_broken_entry_is_refused_at_its_line(project, cli, entry, offset, message,
                                               gnu_refuses):
    plant(project, entry)
    assert_refused(project, cli, ENTRY_LINE + offset, message)
    assert (msgfmt(project / PO).returncode != 0) == gnu_refuses


def test_every_problem_in_a_catalog_is_reported(project, cli):
    plant(project, 'msgid "Before the test"\nmsgstr[0] "Voor de test"\n'
          'msgid "During the test"\nmsgstr "Tijdens" de test"\n',
          old=ENTRY + "\n")
    run = cli(project, "update")
    assert run.code == 1
    assert f"{PO}:{ENTRY_LINE + 1}: broken catalog: msgstr[0]" in run.err
    assert f"{PO}:{ENTRY_LINE + 3}: broken catalog: text after" in run.err


@pytest.mark.parametrize("entry", [
    'msgid\t"Before the test"\nmsgstr   "Voor de test"\n',
    'msgid"Before the test"\nmsgstr "Voor de test"\n',
    '  msgid "Before the test"\n\tmsgstr "Voor de test"  \n',
    'msgid "Before the "\n\n"test"\nmsgstr ""\n"Voor de test"\n',
], ids=["tabs", "no space", "indented", "blank line inside"])
def test_what_gnu_gettext_reads_the_same_reads_right(project, cli, entry):
    plant(project, entry)
    assert msgfmt(project / PO).returncode == 0
    assert_read_right(project, cli)


def test_the_previous_text_of_an_obsolete_entry_is_read(project, cli):
    """``msgmerge --previous`` writes ``#~|`` lines, which Babel refuses."""
    plant(project, ENTRY + '\n#~| msgid "Before a test"\n#~ msgid "Before a test"\n'
          '#~ msgstr "Voor een test"\n')
    catalog = read_catalog(project / PO, PO, "nl")
    assert [message.string for message in catalog.obsolete.values()] == [
        "Voor een test"]
    assert cli(project, "update").code == 0
    assert translations((project / PO).read_bytes()) == {
        **translations(FIXTURE), (None, "Before a test"): ("Voor een test",)}


# update never loses a translation -------------------------------------------

def test_an_obsolete_translation_whose_source_comes_back_is_kept(project, cli):
    plant(project, '#~ msgid "Before the test"\n#~ msgstr "Voor de test"\n')
    run = cli(project, "update")
    assert run.code == 0, run
    assert (project / PO).read_bytes() == FIXTURE
    assert cli(project, "build", "-l", "nl").code == 0


def test_a_source_that_becomes_plural_keeps_its_translation_for_review(project, cli):
    pot = project / "locales/blood-test.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace(
        'msgid "Before the test"\nmsgstr ""\n',
        PLURAL + 'msgstr[0] ""\nmsgstr[1] ""\n'), encoding="utf-8")
    run = cli(project, "update")
    assert run.code == 0, run
    catalog = read_catalog(project / PO, PO, "nl")
    message = catalog.get("Before the test")
    assert message.string == ("Voor de test", "") and message.fuzzy
    assert message.previous_id == ["Before the test"]
    assert not catalog.obsolete
    assert msgfmt(project / PO).returncode == 0
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1 and "Traceback" not in run.err
    assert (f"{PO}:39: fuzzy: “Before the test” now has the plural “Before the "
            "tests”; check the translation") in run.err


def test_update_refuses_to_write_a_merge_that_loses_a_translation(project, cli,
                                                                  monkeypatch):
    ui = project / UI_PO
    ui.write_bytes(ui.read_bytes().replace(b"\n", b"\r\n"))
    merge = update.merge

    def losing(catalog, template):
        merged, changes = merge(catalog, template)
        if catalog.domain == "blood-test" or catalog.get("Before the test"):
            merged.get("Before the test").string = ""
        return merged, changes

    monkeypatch.setattr(update, "merge", losing)
    run = cli(project, "update")
    assert run.code == 1 and "Traceback" not in run.err
    assert (f"{PO}:{ENTRY_LINE + 1}: not updated: the merged catalog would lose the "
            "translation of “Before the test”; the file is left as it was") in run.err
    assert (project / PO).read_bytes() == FIXTURE
    # the other catalogs are still updated: ui.po back to LF line ends
    assert ui.read_bytes() == (RESOURCES.parent.parent / UI_PO).read_bytes()


def test_update_refuses_to_write_a_merge_that_drops_a_header(project, cli,
                                                             monkeypatch):
    merge = update.merge

    def headless(catalog, template):
        merged, changes = merge(catalog, template)
        pofile.fields(merged).pop("Language", None)
        return merged, changes

    monkeypatch.setattr(update, "merge", headless)
    run = cli(project, "update")
    assert run.code == 1
    assert (f"{PO}:1: not updated: the merged catalog would have Language: (none) "
            "instead of nl") in run.err
    assert (project / PO).read_bytes() == FIXTURE


def test_an_entry_babel_does_not_read_is_refused_even_past_the_grammar(
        project, cli, monkeypatch):
    """The last check of the reader: as many entries read as ``msgid`` lines."""
    monkeypatch.setattr(pofile._Parser, "check", lambda self: None)
    data = plant(project, ENTRY + '\nmsgid "Before the test"\nmsgstr "Vóór"\n')
    with pytest.raises(ContentError) as caught:
        read_catalog(project / PO, PO, "nl")
    assert [(problem.line, problem.message.split(" (")[0])
            for problem in caught.value.problems] == [
        (ENTRY_LINE + 3, "broken catalog: the entry at this line was not read")]
    assert cli(project, "update").code == 1
    assert (project / PO).read_bytes() == data


def test_what_update_writes_is_lf_and_accepted_by_msgfmt(project, cli):
    (project / PO).write_bytes(b"\xef\xbb\xbf" + FIXTURE.replace(b"\n", b"\r\n"))
    assert cli(project, "update").code == 0
    data = (project / PO).read_bytes()
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    assert msgfmt(project / PO).returncode == 0


def test_merge_keeps_a_translation_whose_source_turns_plural_or_singular():
    old = Catalog(locale="nl")
    old.add(("a day", "{n} days"), ("een dag", "{n} dagen"))
    old.add("a week", "een week")
    template = Catalog()
    template.add("a day")
    template.add(("a week", "{n} weeks"))
    merged, _changes = update.merge(old, template)
    day, week = merged.get("a day"), merged.get("a week")
    assert (day.string, day.fuzzy, day.previous_id) == (
        "een dag", True, ["a day", "{n} days"])
    assert (week.string, week.fuzzy, week.previous_id) == (
        ("een week",), True, ["a week"])
    assert not merged.obsolete
    assert update.losses("x.po", layout.write(old), layout.write(merged), []) == []


def test_a_catalog_without_a_header_gets_language_and_plural_forms(project, cli):
    (project / PO).write_bytes(b"")
    assert cli(project, "update").code == 0
    header = pofile.header(pofile.entries((project / PO).read_bytes()))
    assert header["Language"] == "nl" and header["Plural-Forms"].startswith(
        "nplurals=2;")
