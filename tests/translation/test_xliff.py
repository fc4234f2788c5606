"""XLIFF 1.2 exchange with translation agencies, on the fixture project: an
export read back changes no byte; an edited target lands in the ``.po`` and
prints; msgctxt, fuzzy flags, placeholders and plural forms survive; a
target that breaks a translation check, a stale source, an unsafe file and a
``<file>`` that is not this project's are refused."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import po_entry, set_msgstr
from leafpress.errors import ContentError, UsageError
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.xliff import ImportReport, export_xliff, import_xliff
from leafpress.settings.project import load_project
from leafpress.translation import pofile
from leafpress.translation import xliff as xliff_format

NS = {"x": xliff_format.NAMESPACE}
PO = "locales/nl/LC_MESSAGES/blood-test.po"
UI_PO = "locales/nl/LC_MESSAGES/ui.po"
XLF = "nl.xlf"  # in the project folder: messages show it as "nl.xlf"


# Helpers -----------------------------------------------------------------

def snapshot(root: Path) -> Snapshot:
    return Snapshot(load_project(root))


def export(root: Path, *slugs: str, ui: bool = True) -> Path:
    path = root / XLF
    report = export_xliff(snapshot(root), "nl", slugs or None, path, ui=ui)
    assert not report.problems, report.problems
    return path


def import_(root: Path) -> ImportReport:
    return import_xliff(snapshot(root), root / XLF)


def catalogs(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted((root / "locales").rglob("*.po"))}


def unit_line(xlf: Path, resname_start: str) -> int:
    """The line of the unit whose resname (the msgid) starts with the text."""
    for number, line in enumerate(xlf.read_text(encoding="utf-8").split("\n"), 1):
        if "<trans-unit" in line and f'resname="{resname_start}' in line:
            return number
    raise AssertionError(f"no unit {resname_start!r} in {xlf}")


def set_target(xlf: Path, resname_start: str, inline: str,
               state: str | None = "translated") -> int:
    """Give a unit another target (inline XML); return the unit's line."""
    line = unit_line(xlf, resname_start)
    lines = xlf.read_text(encoding="utf-8").split("\n")
    at = next(index for index in range(line, len(lines)) if "<target" in lines[index])
    attribute = f' state="{state}"' if state else ""
    lines[at] = f"        <target{attribute}>{inline}</target>"
    xlf.write_text("\n".join(lines), encoding="utf-8")
    return line


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def dutch(root: Path, po: str = PO):
    return pofile.read((root / po).read_bytes(), "nl")


def make_fuzzy(root: Path, msgid: str) -> None:
    edit(root / PO, f'msgid "{msgid}"', f'#, fuzzy\nmsgid "{msgid}"')


def status_row(root: Path, cli) -> dict:
    run = cli(root, "status", "--format", "json")
    return next(row for row in json.loads(run.out) if row["leaflet"] == "blood-test")


def pdf_text(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(pdf).pages)


# Export ------------------------------------------------------------------

def test_export_writes_one_file_per_catalog_with_protected_codes(project):
    make_fuzzy(project, "Does it hurt?")
    set_msgstr(project / PO, "The prick", "")
    xlf = export(project)
    root = ET.parse(xlf).getroot()
    assert root.get("version") == "1.2"
    files = root.findall("x:file", NS)
    assert [file.get("original") for file in files] == [UI_PO, PO]
    for file in files:
        assert (file.get("source-language"), file.get("target-language"),
                file.get("datatype")) == ("en", "nl", "po")
    units = {unit.get("resname"): unit for unit in files[1].iter(f"{{{NS['x']}}}"
                                                                  "trans-unit")}
    assert len(units) == 21 and len({unit.get("id") for unit in units.values()}) == 21

    call = units["Call {clinic_phone} if your arm is still swollen after 2 days. In "
                 "an emergency, call {emergency_phone}."]
    for part in ("source", "target"):
        codes = [(ph.get("id"), ph.text) for ph in call.find(f"x:{part}", NS)]
        assert codes == [("1", "{clinic_phone}"), ("2", "{emergency_phone}")], part
    link = units["Yes, unless you felt faint. Read more at "
                 "[Thuisarts](https://www.thuisarts.nl)."]
    assert [ph.text for ph in link.find("x:target", NS)] == [
        "](https://www.thuisarts.nl)"]

    title = units["Having a blood test"]
    assert title.find("x:context-group[@purpose='information']/x:context",
                      NS).text == "title"
    assert title.find("x:note[@from='developer']", NS).text == "leaflet title"
    location = title.findall("x:context-group[@purpose='location']/x:context", NS)
    assert [(context.get("context-type"), context.text) for context in location] == [
        ("sourcefile", "leaflets/blood-test.md"), ("linenumber", "3")]

    def state(msgid: str) -> str:
        return units[msgid].find("x:target", NS).get("state")

    assert state("Having a blood test") == "translated"
    assert state("Does it hurt?") == "needs-review-translation"
    assert state("The prick") == "new" and not units["The prick"].find(
        "x:target", NS).text

    # the same messages get the same ids in every export
    again = export(project, "blood-test", ui=False).read_text(encoding="utf-8")
    assert re.findall(r'id="(m[0-9a-f]+)"', again) == [
        unit.get("id") for unit in units.values()]


def test_export_refuses_the_source_language_and_the_catalog_folder(project):
    with pytest.raises(UsageError, match="source language"):
        export_xliff(snapshot(project), "en", None, project / XLF)
    with pytest.raises(UsageError, match="outside locales/"):
        export_xliff(snapshot(project), "nl", None, project / "locales" / XLF)


# Round trip and merge --------------------------------------------------------

def test_an_unchanged_round_trip_changes_no_byte(project):
    make_fuzzy(project, "Does it hurt?")
    set_msgstr(project / PO, "The prick", "")
    before = catalogs(project)
    export(project)
    report = import_(project)
    assert report.changed == {} and report.written == [] and not report.problems
    assert catalogs(project) == before


def test_an_edited_target_lands_in_the_po_and_prints(project, cli):
    before = (project / PO).read_text(encoding="utf-8").split("\n")
    ui = (project / UI_PO).read_bytes()
    xlf = export(project)
    set_target(xlf, "Does it hurt?", "Doet het zeer?")
    report = import_(project)
    assert report.changed == {PO: 1} and not report.problems, report
    after = (project / PO).read_text(encoding="utf-8").split("\n")
    changed = [(old, new) for old, new in zip(before, after, strict=True)
               if old != new]
    assert changed[-1] == ('msgstr "Doet het pijn?"', 'msgstr "Doet het zeer?"')
    assert len(changed) == 2 and changed[0][0].startswith('"PO-Revision-Date:')
    assert (project / UI_PO).read_bytes() == ui

    run = cli(project, "build", "-l", "nl")
    assert run.code == 0, run.err
    assert "Doet het zeer?" in pdf_text(project / "build/pdf/nl/blood-test.pdf")


def test_msgctxt_survives_the_round_trip(project):
    xlf = export(project)
    set_target(xlf, "Having a blood test", "Bloedprikken")
    set_target(xlf, "What happens when a nurse", "Zo gaat bloedprikken.")
    assert import_(project).changed == {PO: 2}
    catalog = dutch(project)
    assert catalog.get("Having a blood test", "title").string == "Bloedprikken"
    assert catalog.get("What happens when a nurse takes some of your blood.",
                       "summary").string == "Zo gaat bloedprikken."
    assert catalog.get("Having a blood test") is None  # no entry without context
    assert 'msgctxt "title"\nmsgid "Having a blood test"\nmsgstr "Bloedprikken"' \
        in (project / PO).read_text(encoding="utf-8")


def test_a_target_that_drops_a_placeholder_or_a_number_is_refused(project):
    before = (project / PO).read_bytes()
    xlf = export(project)
    phone = set_target(xlf, "Call {clinic_phone}", 'Bel ons als uw arm na 2 dagen '
                       'nog dik is. Bel bij nood <ph id="2">{emergency_phone}</ph>.')
    days = set_target(xlf, "1 to 3 days", "1 tot 4 dagen")
    report = import_(project)
    assert report.changed == {} and (project / PO).read_bytes() == before
    refused = [str(problem) for problem in report.refused]
    assert any(text.startswith(f"{XLF}:{phone}: placeholders: the translation drops "
                               "{clinic_phone}") for text in refused), refused
    assert any(text.startswith(f"{XLF}:{days}: numbers: ") and "drops 3" in text
               for text in refused), refused
    assert all("is not imported" in text for text in refused)

    # the other units of the file are still imported
    set_target(xlf, "Does it hurt?", "Doet het zeer?")
    report = import_(project)
    assert report.changed == {PO: 1} and len(report.refused) == len(refused)
    catalog = dutch(project)
    assert catalog.get("1 to 3 days").string == "1 tot 3 dagen"
    assert catalog.get("Does it hurt?").string == "Doet het zeer?"


def test_placeholders_come_back_from_their_codes(project):
    xlf = export(project)
    # a tool may send a code back empty, or as <x/>
    set_target(xlf, "Call {clinic_phone}", 'Bel <ph id="1"/> als uw arm na 2 dagen '
               'nog opgezwollen is. Bel bij nood <x id="2"/>.')
    assert import_(project).changed == {PO: 1}
    assert dutch(project).get(
        "Call {clinic_phone} if your arm is still swollen after 2 days. In an "
        "emergency, call {emergency_phone}.").string == (
        "Bel {clinic_phone} als uw arm na 2 dagen nog opgezwollen is. Bel bij nood "
        "{emergency_phone}.")
    before = (project / PO).read_bytes()
    xlf = export(project)
    changed = set_target(xlf, "Call {clinic_phone}", 'Bel <ph id="1">{other}</ph> '
                         'na 2 dagen. Bel bij nood <ph id="2">{emergency_phone}</ph>.')
    unknown = set_target(xlf, "Yes, unless", 'Ja. Lees meer op [Thuisarts<ph id="9">'
                         "](https://www.thuisarts.nl)</ph>.")
    tag = set_target(xlf, "Does it hurt?", 'Doet het <g id="1">pijn</g>?')
    report = import_(project)
    assert (project / PO).read_bytes() == before
    assert [str(problem) for problem in report.refused] == [
        f"{XLF}:{changed}: not imported: the inline code <ph id=\"1\"> should hold "
        "'{clinic_phone}', not '{other}': leave codes as they are",
        f"{XLF}:{tag}: not imported: the inline element <g>, which leafpress did "
        "not export: keep only the <ph> codes of the source",
        f"{XLF}:{unknown}: not imported: the inline code <ph id=\"9\"> is not one of "
        "the source's: use the source's codes only"]


def test_a_fuzzy_entry_stays_fuzzy_until_the_xliff_clears_it(project):
    make_fuzzy(project, "Does it hurt?")
    before = (project / PO).read_bytes()
    xlf = export(project)
    assert 'state="needs-review-translation">Doet het pijn?' in xlf.read_text()
    assert import_(project).changed == {} and (project / PO).read_bytes() == before

    set_target(xlf, "Does it hurt?", "Doet het zeer?",
               state="needs-review-translation")
    assert import_(project).changed == {PO: 1}
    message = dutch(project).get("Does it hurt?")
    assert message.fuzzy and message.string == "Doet het zeer?"

    # a new text in a state that does not say it is done becomes fuzzy
    set_target(xlf, "Can I drive afterwards?", "Mag ik daarna zelf rijden?",
               state="new")
    set_target(xlf, "During the test", "Bij de test", state=None)
    assert import_(project).changed == {PO: 2}
    catalog = dutch(project)
    assert catalog.get("Can I drive afterwards?").fuzzy
    assert catalog.get("During the test").fuzzy

    set_target(xlf, "Does it hurt?", "Doet het zeer?", state="final")
    assert import_(project).changed == {PO: 1}
    assert not dutch(project).get("Does it hurt?").fuzzy
    assert "#, fuzzy\nmsgid \"Does it hurt?\"" not in (project / PO).read_text()


def test_a_unit_whose_source_changed_is_refused(project, cli):
    xlf = export(project)
    set_target(xlf, "Does it hurt?", "Doet het zeer?")
    set_target(xlf, "Most people", "Bijna iedereen voelt alleen een korte prik.")
    # the leaflet changed after the export
    edit(project / "leaflets/blood-test.md", "Does it hurt?", "Does it hurt much?")
    assert cli(project, "extract").code == 0 and cli(project, "update").code == 0
    stale = unit_line(xlf, "Does it hurt?")
    # and a tool changed the source of another unit
    edited = unit_line(xlf, "During the test")
    edit(xlf, "<source>During the test</source>", "<source>During a test</source>")
    set_target(xlf, "During the test", "Tijdens een test")
    report = import_(project)
    assert report.changed == {PO: 1}
    assert [str(problem) for problem in report.refused] == [
        f"{XLF}:{edited}: not imported: its source is not the text of the catalog "
        "now (“During the test”); export again and translate the new text",
        f"{XLF}:{stale}: not imported: not a message of {PO} (its source changed or "
        "it was removed since the export); export again and translate the new text"]
    catalog = dutch(project)
    assert catalog.get("Most people feel only a short prick.").string == \
        "Bijna iedereen voelt alleen een korte prik."
    assert catalog.get("During the test").string == "Tijdens de test"


def test_a_changed_message_is_no_longer_revised(project, cli):
    settings = project / "leafpress.toml"
    edit(settings, "require = []", 'require = ["revised"]')
    assert cli(project, "sign", "--lang", "nl", "--as", "reviser", "--by",
               "A. Reviser", "blood-test").code == 0
    assert status_row(project, cli)["review"]["not_revised"] == []
    xlf = export(project)
    set_target(xlf, "Does it hurt?", "Doet het zeer?")
    assert import_(project).changed == {PO: 1}
    row = status_row(project, cli)
    assert row["review"]["not_revised"] == [
        f"{PO}:{po_entry(project / PO, 'Does it hurt?')}"], row["review"]
    assert row["state"] == "waiting for review"


def test_plural_entries_come_as_a_group_with_a_unit_per_form(project):
    ui = project / UI_PO
    ui.write_text(ui.read_text(encoding="utf-8") + '\nmsgid "{count} page"\n'
                  'msgid_plural "{count} pages"\nmsgstr[0] "{count} pagina"\n'
                  'msgstr[1] "{count} pagina\'s"\n', encoding="utf-8")
    before = ui.read_bytes()
    xlf = export(project)
    group = next(group for group in ET.parse(xlf).getroot().iter(f"{{{NS['x']}}}group")
                 if group.get("restype") == "x-gettext-plurals")
    units = group.findall("x:trans-unit", NS)
    assert [unit.get("id") for unit in units] == [
        f"{group.get('id')}[0]", f"{group.get('id')}[1]"]
    assert ["".join(unit.find("x:source", NS).itertext()) for unit in units] == [
        "{count} page", "{count} pages"]
    assert import_(project).changed == {} and ui.read_bytes() == before

    text = xlf.read_text(encoding="utf-8")
    forms = [match.start() for match in re.finditer(r"<target [^>]*>.*pagina", text)]
    assert len(forms) == 2
    lines = text.split("\n")
    first = text[:forms[0]].count("\n")
    lines[first] = ('          <target state="translated"><ph id="1">{count}</ph> '
                    "blad</target>")
    xlf.write_text("\n".join(lines), encoding="utf-8")
    report = import_(project)
    assert report.changed == {UI_PO: 1}, report
    message = dutch(project, UI_PO).get("{count} page")
    assert message.string == ("{count} blad", "{count} pagina's")


def test_a_file_that_is_not_this_projects_catalog_is_refused(project):
    before = catalogs(project)
    xlf = export(project)
    set_target(xlf, "Does it hurt?", "Doet het zeer?")
    text = xlf.read_text(encoding="utf-8")
    for original in ("../../etc/passwd", "/etc/passwd",
                     "locales/nl/LC_MESSAGES/../../../../x.po",
                     "locales/de/LC_MESSAGES/blood-test.po",
                     "locales/nl/LC_MESSAGES/knee.po", ""):
        xlf.write_text(text.replace(f'original="{UI_PO}"', f'original="{original}"'),
                       encoding="utf-8")
        with pytest.raises(ContentError) as error:
            import_(project)
        [problem] = error.value.problems
        assert str(problem).startswith(f"{XLF}:3: refused: ") and \
            "nothing is imported" in str(problem), problem
        assert catalogs(project) == before
    xlf.write_text(text.replace('target-language="nl"', 'target-language="de"', 1),
                   encoding="utf-8")
    with pytest.raises(ContentError, match="target-language='de'"):
        import_(project)
    xlf.write_text(text.replace(f'original="{UI_PO}"', f'original="{PO}"'),
                   encoding="utf-8")
    with pytest.raises(ContentError, match="a second <file>"):
        import_(project)
    assert catalogs(project) == before


UNSAFE = {
    "entity": '<!DOCTYPE xliff [<!ENTITY boom "Doet het zeer?">]>',
    "external": '<!DOCTYPE xliff [<!ENTITY boom SYSTEM "file:///etc/passwd">]>',
    "laughs": '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
              '<!ENTITY boom "&b;&b;&b;&b;">]>',
    "dtd": '<!DOCTYPE xliff SYSTEM "http://example.invalid/xliff.dtd">',
}


@pytest.mark.parametrize("kind", sorted(UNSAFE))
def test_a_file_with_a_doctype_or_entity_is_refused(project, kind):
    before = catalogs(project)
    xlf = export(project)
    set_target(xlf, "Does it hurt?", "&boom;")
    edit(xlf, '<?xml version="1.0" encoding="UTF-8"?>',
         '<?xml version="1.0" encoding="UTF-8"?>\n' + UNSAFE[kind])
    with pytest.raises(ContentError) as error:
        import_(project)
    [problem] = error.value.problems
    assert str(problem).startswith(f"{XLF}:2: refused: the file has a DOCTYPE")
    assert catalogs(project) == before


def test_a_damaged_or_foreign_file_is_refused_with_its_line(project, monkeypatch):
    xlf = export(project)
    line = set_target(xlf, "Does it hurt?", "Doet het <b>zeer?")
    with pytest.raises(ContentError, match=rf"{XLF}:{line + 2}: not well-formed XML"):
        import_(project)
    xlf.write_text('<?xml version="1.0"?>\n<xliff version="2.0" xmlns='
                   '"urn:oasis:names:tc:xliff:document:2.0" srcLang="en"/>\n')
    with pytest.raises(ContentError, match="not an XLIFF file"):
        import_(project)
    xlf.write_text(f'<xliff version="1.1" xmlns="{xliff_format.NAMESPACE}"/>')
    with pytest.raises(ContentError, match="not XLIFF 1.2"):
        import_(project)
    export(project)
    monkeypatch.setattr(xliff_format, "MAX_BYTES", 1000)
    with pytest.raises(ContentError, match="MB, and leafpress reads XLIFF files"):
        import_(project)


def test_what_translation_tools_add_is_read_through(project):
    xlf = export(project)
    line = set_target(xlf, "Does it hurt?", '<mrk mtype="seg" mid="1">Doet het '
                      "zeer?</mrk>")
    lines = xlf.read_text(encoding="utf-8").split("\n")
    # a segmented source, a match from memory and a tool's own note
    lines[line + 2:line + 2] = [
        '        <alt-trans match-quality="75"><source>Does it hurt?</source>'
        "<target>Is het pijnlijk?</target></alt-trans>",
        '        <tool:note xmlns:tool="urn:example:tool">checked</tool:note>']
    lines[line + 1:line + 1] = [
        '        <seg-source><mrk mtype="seg" mid="1">Does it hurt?</mrk></seg-source>']
    xlf.write_text("\n".join(lines), encoding="utf-8")
    report = import_(project)
    assert report.changed == {PO: 1} and not report.problems, report
    assert dutch(project).get("Does it hurt?").string == "Doet het zeer?"


def test_a_translation_sent_back_for_review_withdraws_the_pdf(project, cli):
    assert cli(project, "build", "-l", "nl").code == 0
    pdf = project / "build/pdf/nl/blood-test.pdf"
    assert pdf.exists()
    xlf = export(project)
    set_target(xlf, "Does it hurt?", "Doet het zeer?",
               state="needs-review-translation")
    report = import_(project)
    assert report.changed == {PO: 1}
    assert [(old, new) for old, new, why in report.withdrawn] == [
        (pdf, project / "build/withdrawn/nl/blood-test.pdf")]
    assert "fuzzy" in report.withdrawn[0][2] and not pdf.exists()


def test_the_command_line_round_trip(project, cli, tmp_path):
    """`leafpress xliff export` then `import`: byte-identical; an edited
    target lands in the .po."""
    xlf = tmp_path / "nl.xlf"
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    before = po.read_bytes()
    run = cli(project, "xliff", "export", "--lang", "nl", "-o", str(xlf))
    assert run.code == 0 and "wrote" in run.err, run.err
    run = cli(project, "xliff", "import", str(xlf))
    assert run.code == 0 and "no translation changed" in run.err, run.err
    assert po.read_bytes() == before
    xlf.write_text(xlf.read_text(encoding="utf-8").replace(
        ">Doet het pijn?<", ">Doet het zeer?<"), encoding="utf-8")
    run = cli(project, "xliff", "import", str(xlf))
    assert run.code == 0 and "1 message changed" in run.err, run.err
    assert 'msgstr "Doet het zeer?"' in po.read_text(encoding="utf-8")
