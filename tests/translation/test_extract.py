"""Extracting templates: leaflets and the page template to ``.pot`` files.

The fixture's ``locales/blood-test.pot`` is the golden file for extraction.
After an intended change, refresh it with

    LEAFPRESS_REFRESH_GOLDEN=1 make test PYTEST_ARGS=tests/translation/test_extract.py

and review its diff like code.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from babel.messages.pofile import read_po

from conftest import RESOURCES
from leafpress.pipeline.extract import run_extract
from leafpress.pipeline.snapshot import Snapshot
from leafpress.settings.project import load_project

GOLDEN = RESOURCES / "project" / "locales" / "blood-test.pot"
SOURCE = "leaflets/blood-test.md"
DATES = re.compile(rb'^"(POT-Creation|PO-Revision)-Date: .*\n', re.MULTILINE)


def extract(root: Path) -> tuple[list[str], list]:
    """Run extraction; the changed files relative to the project."""
    project = load_project(root)
    changed, problems, _moved = run_extract(Snapshot(project))
    return sorted(project.show(path) for path in changed), problems


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every template's bytes and modification time."""
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted((root / "locales").glob("*.pot"))}


def read_pot(path: Path):
    with open(path, "rb") as file:
        return read_po(file)


def entries(path: Path) -> list[str]:
    """The entries of a ``.pot`` as text blocks, header first."""
    return path.read_text(encoding="utf-8").strip().split("\n\n")


def add_leaflet(root: Path, slug: str) -> Path:
    """A second leaflet: the fixture under another slug."""
    path = root / "leaflets" / f"{slug}.md"
    text = (root / "leaflets" / "blood-test.md").read_text(encoding="utf-8")
    path.write_text(text.replace("slug: blood-test", f"slug: {slug}"),
                    encoding="utf-8")
    return path


def test_leaflet_template_matches_the_golden_file(project):
    (project / "locales" / "blood-test.pot").unlink()
    assert "locales/blood-test.pot" in extract(project)[0]
    made = (project / "locales" / "blood-test.pot").read_bytes()
    if os.environ.get("LEAFPRESS_REFRESH_GOLDEN"):
        GOLDEN.write_bytes(made)
    assert DATES.sub(b"", made) == DATES.sub(b"", GOLDEN.read_bytes()), (
        "extraction changed; if intended, refresh the golden file (see the "
        "module docstring)")


def test_pot_is_in_document_order_with_references_and_comments(project):
    extract(project)
    pot = project / "locales" / "blood-test.pot"
    catalog = read_pot(pot)
    messages = [message for message in catalog if message.id]
    lines = [message.locations[0][1] for message in messages]
    assert lines == sorted(lines), "document order"
    assert [message.id for message in messages][:4] == [
        "Having a blood test",
        "What happens when a nurse takes some of your blood.",
        "Before the test",
        "You can eat and drink as usual. Some tests need you to **fast for 8 "
        "hours**: we tell you if so.",
    ]
    assert all(message.locations == [(SOURCE, message.locations[0][1])]
               for message in messages)
    blocks = entries(pot)
    assert ("#. leaflet title\n#: leaflets/blood-test.md:3\nmsgctxt \"title\"\n"
            "msgid \"Having a blood test\"") in blocks[1]
    assert ("#. summary under the title\n#: leaflets/blood-test.md:4\n"
            "msgctxt \"summary\"\n") in blocks[2]
    assert blocks[3].startswith("#. heading, level 2\n#: leaflets/blood-test.md:17\n")
    assert blocks[4].startswith("#. paragraph, in section “Before the test”\n"
                                "#: leaflets/blood-test.md:19\n")
    by_comment = {message.id: message.auto_comments for message in messages}
    assert by_comment["take medicine to thin your blood"] == [
        "list item, in section “Before the test”"]
    assert by_comment["Waiting for results"] == [
        "table cell, in section “During the test”"]
    assert by_comment["Does it hurt?"] == ["question, in section “When to get help”"]
    assert by_comment["Most people feel only a short prick."] == [
        "answer, in section “When to get help”"]


def test_python_brace_format_only_on_messages_with_placeholders(project):
    extract(project)
    catalog = read_pot(project / "locales" / "blood-test.pot")
    flagged = [message.id for message in catalog
               if "python-brace-format" in message.flags]
    assert len(flagged) == 1 and flagged[0].startswith("Call {clinic_phone}")
    block = next(entry for entry in entries(project / "locales" / "blood-test.pot")
                 if "Call {clinic_phone}" in entry)
    assert "#: leaflets/blood-test.md:37\n#, python-brace-format\nmsgid" in block


def test_repeated_text_is_one_message_with_both_places(project):
    leaflet = project / SOURCE
    with open(leaflet, "a", encoding="utf-8") as file:
        file.write("\nTell the nurse if you:\n")
    extract(project)
    catalog = read_pot(project / "locales" / "blood-test.pot")
    assert catalog.get("Tell the nurse if you:").locations == [
        (SOURCE, 21), (SOURCE, 45)]


def test_ui_template_holds_the_template_strings_with_their_lines(project):
    extract(project)
    template = (project / "templates" / "leaflet.html").read_text(encoding="utf-8")
    catalog = read_pot(project / "locales" / "ui.pot")
    for text in ("About this leaflet", "Written by", "Page {page} of {pages}"):
        line = next(number for number, source in
                    enumerate(template.split("\n"), start=1)
                    if f'_("{text}"' in source)
        assert catalog.get(text).locations == [("templates/leaflet.html", line)]
    ui = (project / "locales" / "ui.pot").read_text(encoding="utf-8")
    assert re.search(r'#: templates/leaflet.html:\d+\nmsgid "About this leaflet"', ui)
    assert "#. page numbers in the footer; keep {page} and {pages}." in ui
    assert "Having a blood test" not in ui


def test_extracting_twice_changes_no_byte(project, monkeypatch):
    extract(project)
    before = snapshot(project)
    assert set(before) == {"blood-test.pot", "ui.pot"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")  # another date
    changed, problems = extract(project)
    assert (changed, problems) == ([], [])
    assert snapshot(project) == before


def test_source_date_epoch_sets_the_creation_date(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    for pot in (project / "locales").glob("*.pot"):
        pot.unlink()
    extract(project)
    for name in ("blood-test.pot", "ui.pot"):
        text = (project / "locales" / name).read_text(encoding="utf-8")
        assert '"POT-Creation-Date: 2026-09-21 14:13+0000\\n"' in text, name


def test_a_changed_leaflet_changes_only_its_own_template(project):
    other = add_leaflet(project, "flu-jab")
    assert "locales/flu-jab.pot" in extract(project)[0]
    before = snapshot(project)
    other.write_text(other.read_text(encoding="utf-8").replace(
        "You feel a short prick.", "You feel a short, sharp prick."),
        encoding="utf-8")
    changed, problems = extract(project)
    assert (changed, problems) == (["locales/flu-jab.pot"], [])
    after = snapshot(project)
    assert after["blood-test.pot"] == before["blood-test.pot"]
    assert after["ui.pot"] == before["ui.pot"]
    assert any("short, sharp prick" in message.id
               for message in read_pot(project / "locales" / "flu-jab.pot"))


def test_a_broken_leaflet_is_reported_and_the_others_are_extracted(project):
    shutil.copy(RESOURCES / "broken" / "leaflets" / "bad-front-matter.md",
                project / "leaflets")
    add_leaflet(project, "flu-jab")
    (project / "locales" / "blood-test.pot").unlink()
    changed, problems = extract(project)
    assert "locales/blood-test.pot" in changed
    assert "locales/flu-jab.pot" in changed
    assert not (project / "locales" / "bad-front-matter.pot").exists()
    assert [str(problem).split(": ")[0] for problem in problems] == [
        "leaflets/bad-front-matter.md:7"]


def test_cli_extract(project, cli):
    run = cli(project, "extract")
    assert run.code == 0, run
    assert (project / "locales" / "blood-test.pot").is_file()
    again = cli(project, "extract")
    assert again.code == 0 and "templates are up to date" in again.err


def test_cli_extract_with_a_broken_leaflet_exits_1_with_its_place(project, cli):
    shutil.copy(RESOURCES / "broken" / "leaflets" / "bad-front-matter.md",
                project / "leaflets")
    run = cli(project, "extract")
    assert run.code == 1
    assert "leaflets/bad-front-matter.md:7: front matter is not valid YAML" in run.err
