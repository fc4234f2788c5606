"""Translation memory: ``update`` fills new messages from the other catalogs
of their language (exact matches as translated, the rest fuzzy with their
origin), and TMX 1.4b export and import, refusing what is not safe XML."""

from __future__ import annotations

import difflib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import copy_repo_project, make_project, po_entry, set_msgstr
from leafpress.errors import ContentError
from leafpress.pipeline.memory import export_memory, import_memory
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.update import run_update
from leafpress.settings.project import load_project
from leafpress.translation.catalogs import read_catalog
from leafpress.translation.extract import serialise
from leafpress.translation.memory import NAME, Filled

NL = Path("locales/nl/LC_MESSAGES")
PRICK = "Most people feel only a short prick."
PRICK_NL = "De meeste mensen voelen alleen een korte prik."
DAYS = "1 to 3 days"


# Helpers ------------------------------------------------------------------

def add_leaflet(root: Path, slug: str, *edits: tuple[str, str]) -> None:
    """A new leaflet: the fixture's, with another slug and ``edits``."""
    text = (root / "leaflets" / "blood-test.md").read_text(encoding="utf-8")
    text = text.replace("slug: blood-test", f"slug: {slug}", 1)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    (root / "leaflets" / f"{slug}.md").write_text(text, encoding="utf-8")


def update(root: Path, cli):
    """``extract``, then ``update`` (its report)."""
    assert cli(root, "extract").code == 0
    report = run_update(Snapshot(load_project(root)))
    assert report.problems == []
    return report


def entry(root: Path, slug: str, msgid: str, context: str | None = None):
    catalog = read_catalog(root / NL / f"{slug}.po", slug, "nl")
    message = catalog.get(msgid, context)
    assert message is not None, msgid
    return message


def catalog_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted((root / "locales").rglob("*.po"))}


AGENCY = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="AgencyTool" creationtoolversion="7" datatype="plaintext"
          segtype="sentence" adminlang="en-US" srclang="en-US" o-tmf="atm"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="en-US"><seg>Can I cycle home afterwards?</seg></tuv>
      <tuv xml:lang="nl-NL"><seg>Mag ik daarna naar huis fietsen?</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="en-US"><seg>Call <ph>{clinic_phone}</ph> today.</seg></tuv>
      <tuv xml:lang="nl-NL"><seg>Bel vandaag <ph>{clinic_phone}</ph>.</seg></tuv>
    </tu>
    <tu tuid="3">
      <tuv xml:lang="en-US"><seg>Only in German.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Nur auf Deutsch.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


# Filling new messages in update ---------------------------------------------

def test_an_exact_match_is_filled_in_as_translated(project, cli):
    add_leaflet(project, "blood-test-again")
    report = update(project, cli)
    again = project / NL / "blood-test-again.po"
    assert report.filled == {again: Filled(exact=21)}
    assert report.memory_filled().describe() == (
        "filled 21 messages from memory (21 exact, 0 fuzzy)")
    prick = entry(project, "blood-test-again", PRICK)
    assert (prick.string, prick.fuzzy, prick.user_comments) == (PRICK_NL, False, [])
    title = entry(project, "blood-test-again", "Having a blood test", "title")
    assert (title.string, title.fuzzy) == ("Bloed laten prikken", False)
    assert "X-Leafpress-Source-Hash" in again.read_text(encoding="utf-8")
    before = catalog_files(project)
    assert run_update(Snapshot(load_project(project))).filled == {}
    assert catalog_files(project) == before, "a second update changes nothing"


def test_two_translations_of_one_text_make_it_fuzzy_and_name_the_other(project, cli):
    add_leaflet(project, "blood-test-child")
    update(project, cli)
    child = project / NL / "blood-test-child.po"
    other = "Bijna iedereen voelt alleen een korte prik."
    set_msgstr(child, PRICK, other)
    add_leaflet(project, "blood-test-again")
    report = update(project, cli)
    assert report.filled[project / NL / "blood-test-again.po"] == Filled(20, 1)
    prick = entry(project, "blood-test-again", PRICK)
    assert prick.fuzzy and prick.string in (PRICK_NL, other)
    # Equally frequent: the first catalog found (blood-test-child.po) wins.
    assert prick.string == other
    line = po_entry(project / NL / "blood-test.po", PRICK)
    child_line = po_entry(child, PRICK)
    assert prick.user_comments == [
        f"memory: 100% from blood-test-child.po:{child_line}",
        f"memory: also “{PRICK_NL}” (blood-test.po:{line})"]


def test_a_close_match_is_filled_in_fuzzy_with_its_origin(project, cli):
    changed = "Most people feel only a very short prick."
    add_leaflet(project, "blood-test-again", (PRICK, changed))
    report = update(project, cli)
    assert report.filled[project / NL / "blood-test-again.po"] == Filled(20, 1)
    prick = entry(project, "blood-test-again", changed)
    percent = int(difflib.SequenceMatcher(None, PRICK, changed, autojunk=False)
                  .ratio() * 100)
    line = po_entry(project / NL / "blood-test.po", PRICK)
    assert (prick.string, prick.fuzzy, prick.previous_id) == (PRICK_NL, True, [PRICK])
    assert prick.user_comments == [f"memory: {percent}% from blood-test.po:{line}"]
    text = (project / NL / "blood-test-again.po").read_text(encoding="utf-8")
    assert f'#| msgid "{PRICK}"' in text


def test_an_exact_match_whose_numbers_disagree_is_not_taken_as_translated(project,
                                                                          cli):
    set_msgstr(project / NL / "blood-test.po", DAYS, "1 tot 4 dagen")
    add_leaflet(project, "blood-test-again")
    report = update(project, cli)
    assert report.filled[project / NL / "blood-test-again.po"] == Filled(20, 1)
    days = entry(project, "blood-test-again", DAYS)
    assert (days.string, days.fuzzy) == ("1 tot 4 dagen", True)
    line = po_entry(project / NL / "blood-test.po", DAYS)
    [comment] = days.user_comments
    assert comment.startswith(f"memory: 100% from blood-test.po:{line}, not taken as "
                              "translated: numbers:")


def test_a_translation_is_never_written_over(project, cli):
    add_leaflet(project, "blood-test-again")
    update(project, cli)
    again = project / NL / "blood-test-again.po"
    set_msgstr(again, PRICK, "Een eigen vertaling.")
    set_msgstr(project / NL / "blood-test.po", PRICK, "Weer een andere.")
    update(project, cli)
    assert entry(project, "blood-test-again", PRICK).string == "Een eigen vertaling."


def test_a_fuzzy_message_keeps_its_translation_and_names_an_exact_match(project,
                                                                       cli):
    sting = "Most people feel only a short sting."
    add_leaflet(project, "blood-test-child", (PRICK, sting))
    update(project, cli)
    child = project / NL / "blood-test-child.po"
    catalog = read_catalog(child, "child", "nl")
    message = catalog.get(sting)
    assert message.fuzzy, "a close match from blood-test.po"
    message.string, message.previous_id, message.user_comments = "Een steekje.", [], []
    message.flags.discard("fuzzy")
    child.write_bytes(serialise(catalog))
    line = po_entry(child, sting)  # where it is before the update
    leaflet = project / "leaflets/blood-test.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace(PRICK, sting),
                       encoding="utf-8")
    report = update(project, cli)
    assert report.filled == {project / NL / "blood-test.po": Filled(suggested=1)}
    changed = entry(project, "blood-test", sting)
    assert (changed.string, changed.fuzzy) == (PRICK_NL, True), "never written over"
    assert changed.user_comments == [
        f"memory: exact match “Een steekje.” (blood-test-child.po:{line})"]
    before = catalog_files(project)
    update(project, cli)
    assert catalog_files(project) == before, "named once"


def test_a_copy_of_a_repository_leaflet_is_mostly_filled_in(tmp_path, cli):
    root = copy_repo_project(tmp_path / "r")
    source = (root / "leaflets/trigger-point-injections.md").read_text(encoding="utf-8")
    assert source.count("slug: trigger-point-injections") == 1
    (root / "leaflets/copy-of-injections.md").write_text(
        source.replace("slug: trigger-point-injections", "slug: copy-of-injections"),
        encoding="utf-8")
    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0
    catalog = read_catalog(root / NL / "copy-of-injections.po", "copy", "nl")
    messages = [message for message in catalog if message.id]
    filled = [message for message in messages if message.string]
    assert len(messages) > 50
    assert len(filled) >= 0.8 * len(messages)


# TMX -----------------------------------------------------------------------

def test_export_writes_well_formed_tmx_that_imports_again(project, cli, tmp_path):
    set_msgstr(project / NL / "blood-test.po", "Does it hurt?", "Doet <het> pijn & zo?")
    output = tmp_path / "nl.tmx"
    snapshot = Snapshot(load_project(project))
    report = export_memory(snapshot, "nl", output)
    assert report.problems == []
    root = ElementTree.parse(output).getroot()
    assert (root.tag, root.get("version")) == ("tmx", "1.4")
    header = root.find("header").attrib
    assert {name: header[name] for name in ("creationtool", "srclang", "adminlang",
                                            "segtype", "o-tmf", "datatype")} == {
        "creationtool": "leafpress", "srclang": "en", "adminlang": "en",
        "segtype": "block", "o-tmf": "gettext", "datatype": "plaintext"}
    units = root.findall("body/tu")
    expected = {(message.context, message.id, message.string)
                for name in ("blood-test", "ui")
                for message in read_catalog(project / NL / f"{name}.po", name, "nl")
                if message.id and message.string and not message.fuzzy}
    assert report.units == len(units) == len(expected)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    pairs = set()
    for unit in units:
        props = {prop.get("type"): prop.text for prop in unit.findall("prop")}
        (source, target) = unit.findall("tuv")
        assert (source.get(lang), target.get(lang)) == ("en", "nl")
        pairs.add((props.get("x-context"), source.find("seg").text,
                   target.find("seg").text))
        assert props["x-origin"].split(":")[0] in ("blood-test.po", "ui.po")
    assert pairs == expected
    assert (None, "Does it hurt?", "Doet <het> pijn & zo?") in pairs
    assert ("title", "Having a blood test", "Bloed laten prikken") in pairs

    other = make_project(tmp_path, "other")
    imported = import_memory(Snapshot(load_project(other)), output)
    assert imported.added == {"nl": len(expected)}
    assert imported.written == [other / "locales/nl" / NAME]
    again = import_memory(Snapshot(load_project(other)), output)
    assert (again.added, again.known, again.written) == ({"nl": 0}, len(expected), [])
    stored = ElementTree.parse(other / "locales/nl" / NAME).getroot()
    assert len(stored.findall("body/tu")) == len(expected)


def test_an_imported_memory_only_suggests(project, cli, tmp_path):
    agency = tmp_path / "agency.tmx"
    agency.write_text(AGENCY, encoding="utf-8")
    report = import_memory(Snapshot(load_project(project)), agency)
    assert (report.added, report.skipped) == ({"nl": 2}, 1)
    stored = ElementTree.parse(project / "locales/nl" / NAME).getroot()
    segs = [seg.text for seg in stored.iter("seg")]
    assert "Bel vandaag {clinic_phone}." in segs, "inline codes keep their text"
    question = "Can I cycle home afterwards?"
    add_leaflet(project, "blood-test-again", ("Can I drive afterwards?", question))
    update(project, cli)
    message = entry(project, "blood-test-again", question)
    assert (message.string, message.fuzzy) == ("Mag ik daarna naar huis fietsen?", True)
    assert message.user_comments == ["memory: 100% from agency.tmx:6 (imported)"]
    assert not entry(project, "blood-test-again", PRICK).fuzzy


def test_a_broken_memory_is_reported_and_left_out(project, cli):
    (project / "locales/nl" / NAME).write_text("<tmx><body>", encoding="utf-8")
    add_leaflet(project, "blood-test-again")
    assert cli(project, "extract").code == 0
    report = run_update(Snapshot(load_project(project)))
    assert [str(problem) for problem in report.problems] == [
        f"locales/nl/{NAME}:1: memory: not used: refused: not well-formed XML (no "
        "element found, column 12)"]
    assert report.filled[project / NL / "blood-test-again.po"] == Filled(exact=21)


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&lol2;</seg></tuv>
<tuv xml:lang="nl"><seg>x</seg></tuv></tu></body></tmx>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "http://example.invalid/tmx14.dtd">
<tmx version="1.4"/>
"""


@pytest.mark.parametrize(("text", "line", "message"), [
    (LAUGHS, 2, "refused: the file has a DOCTYPE"),
    (EXTERNAL, 2, "refused: the file has a DOCTYPE"),
    ('<tmx version="1.4"><body>\n<tu><tuv xml:lang="en"><seg>a</tuv></tu>'
     "</body></tmx>", 2, "refused: not well-formed XML (mismatched tag"),
    ('<?xml version="1.0"?>\n<html/>', 2, "not a TMX file: the first element is "
     "<html>"),
    ('<tmx><body><tu><tuv xml:lang="en"><seg>&nbsp;</seg></tuv></tu></body></tmx>', 1,
     "refused: not well-formed XML (undefined entity"),
])
def test_a_tmx_that_is_not_safe_xml_is_refused_at_its_line(project, tmp_path, text,
                                                            line, message):
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        import_memory(Snapshot(load_project(project)), path)
    [problem] = raised.value.problems
    assert problem.line == line and problem.message.startswith(message), problem
    assert not (project / "locales/nl" / NAME).exists()
