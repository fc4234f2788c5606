"""Catalogs: ``update`` merges templates into ``.po`` files, ``compile``
checks them and fails closed, :class:`Translator` never falls back."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

import cldr
import conftest
from conftest import RESOURCES, po_entry
from leafpress.errors import ContentError, Problem
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.update import run_update
from leafpress.settings.project import load_project
from leafpress.translation.catalogs import (
    Translator,
    check_catalog,
    compile_catalog,
    message_lines,
    read_catalog,
)
from leafpress.translation.changes import Change
from leafpress.translation.update import merge

BROKEN_PO = RESOURCES / "broken" / "locales" / "nl" / "LC_MESSAGES" / "blood-test.po"
PO = "locales/nl/LC_MESSAGES/blood-test.po"
LONG = "You can eat and drink as usual."


# Helpers -----------------------------------------------------------------

def catalog_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted((root / "locales").rglob("*.po"))}


def prepare(root: Path, cli) -> None:
    """Templates and catalogs in step with the sources, as a translator has
    them after `extract` and `update`."""
    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0


def edit_source(root: Path, old: str, new: str) -> None:
    path = root / "leaflets" / "blood-test.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_po(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def msgstr_line(path: Path, msgid_start: str) -> int:
    """Like ``po_entry``, also for a msgid wrapped onto continuation lines."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if any(line.startswith("msgid") and msgid_start in line for line in lines):
        return po_entry(path, msgid_start)
    start = next(number for number, line in enumerate(lines, start=1)
                 if line.startswith(f'"{msgid_start}'))
    return next(number for number, line in enumerate(lines, start=1)
                if number > start and line.startswith("msgstr"))


def set_msgstr(path: Path, msgid_start: str, msgstr: str) -> int:
    """Replace the translation of one entry; return its msgstr line."""
    return conftest.set_msgstr(path, msgid_start, msgstr,
                               msgstr_line(path, msgid_start))


def mark_fuzzy(path: Path, msgid_start: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(number for number, line in enumerate(lines)
                 if line.startswith("msgid") and msgid_start in line)
    if lines[start - 1].startswith("msgctxt"):  # the flag goes above the msgctxt
        start -= 1
    lines.insert(start, "#, fuzzy")
    path.write_text("\n".join(lines), encoding="utf-8")
    return po_entry(path, msgid_start)


def drop_entry(path: Path, msgid_start: str) -> None:
    entries = path.read_text(encoding="utf-8").split("\n\n")
    kept = [entry for entry in entries if f'msgid "{msgid_start}' not in entry]
    assert len(kept) == len(entries) - 1
    path.write_text("\n\n".join(kept), encoding="utf-8")


def check(root: Path):
    """check_catalog of the Dutch blood-test catalog against the leaflet."""
    project = load_project(root)
    snapshot = Snapshot(project)
    wanted = snapshot.wanted(snapshot.leaflet(project.leaflets / "blood-test.md"))
    path = project.po_path("nl", "blood-test")
    catalog = read_catalog(path, project.show(path), "nl")
    return project, wanted, check_catalog(catalog,
                                          message_lines(catalog, path.read_bytes()),
                                          project.show(path), "nl", wanted)


def compile_nl(project, problems: list[Problem]) -> tuple[Path, list[Problem]]:
    """compile_catalog of the Dutch blood-test catalog, given what its checks
    found: the .mo and the warnings."""
    path = project.po_path("nl", "blood-test")
    mo = project.mo_path("nl", "blood-test")
    return mo, compile_catalog(read_catalog(path, project.show(path), "nl"), problems,
                               mo)


def refused(root: Path) -> list[tuple[str, int | None, str]]:
    """The problems that stop the Dutch catalog, as (path, line, message);
    compile_catalog must refuse with the same problems and write nothing."""
    project, wanted, problems = check(root)
    errors = tuple(problem for problem in problems if not problem.warning)
    assert errors
    with pytest.raises(ContentError) as caught:
        compile_nl(project, problems)
    assert caught.value.problems == errors
    assert not project.mo_path("nl", "blood-test").exists()
    return [(problem.path, problem.line, problem.message) for problem in problems]


def msgfmt(path: Path) -> subprocess.CompletedProcess:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU msgfmt is not installed")
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)


# update ------------------------------------------------------------------

def test_update_creates_catalogs_with_language_and_plural_forms(project, cli):
    shutil.rmtree(project / "locales" / "nl")
    assert cli(project, "extract").code == 0
    run = cli(project, "update")
    assert run.code == 0, run
    for domain in ("ui", "blood-test"):
        po = project / "locales" / "nl" / "LC_MESSAGES" / f"{domain}.po"
        assert f"updated locales/nl/LC_MESSAGES/{domain}.po" in run.err
        text = po.read_text(encoding="utf-8")
        assert '"Language: nl\\n"' in text
        count, forms = cldr.gettext_forms(read_catalog(po, domain, "nl").plural_forms)
        assert forms == cldr.forms("nl"), "the rule behaves as CLDR's for Dutch"
        assert "#, fuzzy\nmsgid \"\"" not in text, "a new catalog's header is usable"
    catalog = read_catalog(project / PO, PO, "nl")
    assert catalog.get("Having a blood test", "title").string == ""
    assert catalog.get("Before the test").string == ""


def test_update_twice_changes_no_byte(project, cli):
    prepare(project, cli)
    before = catalog_files(project)
    mtimes = {path: path.stat().st_mtime_ns
              for path in (project / "locales").rglob("*.po")}
    run = cli(project, "update")
    assert run.code == 0 and "catalogs are up to date" in run.err
    assert catalog_files(project) == before
    assert {path: path.stat().st_mtime_ns for path in mtimes} == mtimes


def test_update_keeps_translations(project, cli):
    prepare(project, cli)
    catalog = read_catalog(project / PO, PO, "nl")
    assert catalog.get("Before the test").string == "Voor de test"
    assert not any(message.fuzzy for message in catalog if message.id)


def test_changed_source_becomes_fuzzy_with_the_previous_msgid(project, cli):
    prepare(project, cli)
    edit_source(project, "## Before the test", "## Before your test")
    prepare(project, cli)
    po = project / PO
    entry = next(entry for entry in po.read_text(encoding="utf-8").split("\n\n")
                 if 'msgid "Before your test"' in entry)
    assert "#, fuzzy\n" in entry
    assert '#| msgid "Before the test"\n' in entry
    assert 'msgstr "Voor de test"' in entry, "the old translation is kept to review"
    _project, _wanted, problems = check(project)
    assert [(problem.path, problem.line) for problem in problems] == [
        (PO, po_entry(po, "Before your test"))]
    assert problems[0].message == (
        "fuzzy: the source text changed: was “Before the test”, now “Before your "
        "test”; review the translation and remove the fuzzy flag")
    assert str(problems[0]) == (f"{PO}:{po_entry(po, 'Before your test')}: "
                                + problems[0].message)


def test_changed_long_paragraph_keeps_the_previous_text(project, cli):
    prepare(project, cli)
    edit_source(project, LONG, "You can eat and drink normally.")
    prepare(project, cli)
    text = (project / PO).read_text(encoding="utf-8")
    assert "#| msgid" in text and LONG in text
    catalog = read_catalog(project / PO, PO, "nl")
    changed = next(message for message in catalog
                   if message.id.startswith("You can eat and drink normally."))
    assert changed.fuzzy


def test_update_after_a_fuzzy_merge_is_stable(project, cli):
    prepare(project, cli)
    edit_source(project, "## Before the test", "## Before your test")
    prepare(project, cli)
    before = catalog_files(project)
    assert cli(project, "update").code == 0
    assert catalog_files(project) == before


def test_run_update_reports_the_changes_it_met(project, cli):
    prepare(project, cli)
    edit_source(project, "| 1 to 3 days |", "| 1 to 5 days |")
    assert cli(project, "extract").code == 0
    report = run_update(Snapshot(load_project(project)))
    assert report.written == [project / PO]
    assert (report.problems, report.withdrawn) == ([], [])
    assert report.changes == [(
        Problem(PO, po_entry(project / PO, "1 to 5 days"), "fuzzy: a number, dose or "
                "contact detail changed (numbers 3 → 5): was “1 to 3 days”, now “1 "
                "to 5 days”"),
        Change("critical", "numbers 3 → 5"))]


def test_merge_carries_layout_changes_forward_and_makes_others_fuzzy():
    catalog = Catalog(locale="nl", domain="x")
    catalog.add("Don't eat.", "Niet eten.", user_comments=["checked by AB"])
    catalog.add("Take 500 mg.", "Neem 500 mg.")
    catalog.add("Keep the plaster on.", "Laat de pleister zitten.")
    catalog.add("Gone for good.", "Weg.")
    template = Catalog(domain="x")
    template.add("Don’t eat.")
    template.add("Take 250 mg.")
    template.add("Keep the plaster on.")
    merged, changes = merge(catalog, template)
    carried = merged.get("Don’t eat.")
    assert (carried.string, carried.fuzzy, carried.user_comments) == (
        "Niet eten.", False, ["checked by AB"])
    dose = merged.get("Take 250 mg.")
    assert (dose.string, dose.fuzzy, dose.previous_id) == (
        "Neem 500 mg.", True, ["Take 500 mg."])
    kept = merged.get("Keep the plaster on.")
    assert (kept.string, kept.fuzzy) == ("Laat de pleister zitten.", False)
    assert [(change.msgid, change.previous, change.change) for change in changes] == [
        ("Don’t eat.", "Don't eat.", Change("layout", "only whitespace or quotes "
                                            "changed")),
        ("Take 250 mg.", "Take 500 mg.", Change("critical", "numbers 500 mg → "
                                                "250 mg"))]
    assert [message.id for message in merged.obsolete.values()] == ["Gone for good."]
    assert merge(catalog, template)[0] is not catalog, "the input is left alone"
    assert catalog.get("Don't eat.").string == "Niet eten."


# check_catalog and compile_catalog: fail closed ---------------------------

def test_a_good_catalog_compiles_to_a_mo_that_gettext_reads_back(project):
    project_, wanted, problems = check(project)
    assert problems == []
    mo, warnings = compile_nl(project_, problems)
    assert warnings == []
    assert mo == project / "build" / "mo" / "nl" / "LC_MESSAGES" / "blood-test.mo"
    # Read by Python's own gettext, by leafpress's Translator and by Babel
    # (whichever type its release gives the context), they all agree.
    with open(mo, "rb") as file:
        python = gettext.GNUTranslations(file)
    translator = Translator.load(mo, "blood-test.mo")
    with open(mo, "rb") as file:
        babel = {(str(message.context, "utf-8") if isinstance(message.context, bytes)
                  else message.context, message.id): message.string
                 for message in read_mo(file) if message.id}
    for item in wanted:
        expected = (python.pgettext(item.context, item.msgid) if item.context
                    else python.gettext(item.msgid))
        assert expected != item.msgid
        assert translator(item.msgid, item.context) == expected
        assert babel[item.context, item.msgid] == expected
    assert python.pgettext("title", "Having a blood test") == "Bloed laten prikken"
    assert python.gettext("Before the test") == "Voor de test"
    assert python.gettext("Does it hurt?") == "Doet het pijn?"
    assert set(babel) == {(item.context, item.msgid) for item in wanted}


def test_empty_msgstr_is_refused_at_its_line(project):
    line = set_msgstr(project / PO, "Before the test", "")
    assert refused(project) == [(PO, line, "untranslated: “Before the test”")]


def test_blank_msgstr_is_refused(project):
    line = set_msgstr(project / PO, "Does it hurt?", "   ")
    assert refused(project) == [(PO, line, "untranslated: “Does it hurt?”")]


def test_fuzzy_entry_is_refused_at_its_line(project):
    line = mark_fuzzy(project / PO, "Tell the nurse if you:")
    assert refused(project) == [(PO, line, "fuzzy: “Tell the nurse if you:” needs "
                                 "review; check the translation and remove the "
                                 "fuzzy flag")]


def test_fuzzy_title_is_refused_at_its_line(project):
    line = mark_fuzzy(project / PO, "Having a blood test")
    path, reported, message = refused(project)[0]
    assert (path, reported) == (PO, line) and "Having a blood test" in message


def test_missing_entry_is_refused_with_its_origin(project):
    drop_entry(project / PO, "Before the test")
    assert refused(project) == [(PO, None, "missing: “Before the test” (from "
                                 "leaflets/blood-test.md:17); run `leafpress update`")]


def test_dropped_placeholder_is_refused_at_its_line(project):
    line = set_msgstr(project / PO, "Call {clinic_phone}", "Bel {clinic_phone} als "
                      "uw arm na 2 dagen nog dik is. Bel bij nood 112.")
    # The translator wrote the number itself: the placeholder is gone, and a
    # number the source does not have came in.
    assert refused(project) == [
        (PO, line, "placeholders: the translation drops {emergency_phone} "
         "(placeholders must match the source)"),
        (PO, line, "numbers: the translation adds 112 (numbers and units must "
         "match the source)")]


def test_added_placeholder_is_refused(project):
    line = set_msgstr(project / PO, "Does it hurt?",
                      "Bel {clinic_phone}: doet het pijn?")
    assert refused(project) == [(PO, line, "placeholders: the translation adds "
                                 "{clinic_phone} (placeholders must match the "
                                 "source)")]


def test_wrong_language_header_is_refused(project):
    edit_po(project / PO, '"Language: nl\\n"', '"Language: de\\n"')
    problems = refused(project)
    assert [(path, line) for path, line, _message in problems] == [(PO, 1)]
    assert "Language: de" in problems[0][2] and "'nl'" in problems[0][2]


def test_fuzzy_header_is_refused(project):
    edit_po(project / PO, 'msgid ""\nmsgstr ""\n"Project', '#, fuzzy\nmsgid ""\n'
            'msgstr ""\n"Project')
    assert refused(project) == [(PO, 1, "header: the header is marked fuzzy; review "
                                 "it and remove the flag")]


def test_every_problem_is_reported_not_just_the_first(project):
    po = project / PO
    empty = set_msgstr(po, "Before the test", "")
    fuzzy = mark_fuzzy(po, "During the test")
    assert [line for _path, line, _message in refused(project)] == [empty, fuzzy]


def test_a_warning_does_not_stop_the_compile(project):
    line = set_msgstr(project / PO, "Does it hurt?", "Doet het pijn.")
    project_, wanted, problems = check(project)
    assert [str(problem) for problem in problems] == [
        f"{PO}:{line}: end-punctuation: the source ends with question mark, the "
        "translation with full stop; check that the sentence is complete"]
    assert problems[0].warning
    mo, warnings = compile_nl(project_, problems)
    assert warnings == problems
    assert Translator.load(mo, "blood-test.mo")("Does it hurt?") == "Doet het pijn."


def test_missing_catalog_is_an_error(project):
    (project / PO).unlink()
    with pytest.raises(ContentError) as caught:
        check(project)
    assert str(caught.value) == (f"{PO}: catalog not found; run `leafpress update` "
                                 "to create it")


# Broken catalogs -----------------------------------------------------------

def test_broken_po_fixture_is_an_error_with_its_line_not_a_warning(capsys):
    with pytest.raises(ContentError) as caught:
        read_catalog(BROKEN_PO, "broken.po", "nl")
    assert [str(problem) for problem in caught.value.problems] == [
        "broken.po:31: broken catalog: unknown keyword “msgtsr”: the keywords are "
        "msgctxt, msgid, msgid_plural, msgstr and msgstr[n]"]
    assert BROKEN_PO.read_text(encoding="utf-8").split("\n")[30].startswith("msgtsr")
    captured = capsys.readouterr()
    assert "WARNING" not in captured.out + captured.err


def test_broken_po_fixture_is_also_refused_by_gnu_msgfmt():
    assert msgfmt(BROKEN_PO).returncode != 0


def test_update_leaves_a_broken_po_untouched_and_exits_1(project, cli):
    shutil.copy(BROKEN_PO, project / PO)
    run = cli(project, "update")
    assert run.code == 1
    assert f"{PO}:31: broken catalog" in run.err
    assert "WARNING" not in run.out + run.err
    assert (project / PO).read_bytes() == BROKEN_PO.read_bytes()


def test_compile_refuses_a_broken_po(project):
    shutil.copy(BROKEN_PO, project / PO)
    project_ = load_project(project)
    with pytest.raises(ContentError) as caught:
        compile_nl(project_, [])
    assert [(problem.path, problem.line) for problem in caught.value.problems] == [
        (PO, 31)]


def test_not_utf8_catalog_reports_the_line_of_the_bad_byte(project):
    po = project / PO
    data = po.read_bytes().replace(b'msgstr "Voor de test"',
                                   b'msgstr "Voor de t\xe9st"')
    po.write_bytes(data)
    line = data.split(b"\n").index(b'msgstr "Voor de t\xe9st"') + 1
    with pytest.raises(ContentError) as caught:
        read_catalog(po, PO, "nl")
    assert [(problem.path, problem.line) for problem in caught.value.problems] == [
        (PO, line)]


# Translator --------------------------------------------------------------

def translations() -> Catalog:
    catalog = Catalog(locale="nl")
    catalog.add("Before the test", "Voor de test")
    catalog.add("Having a blood test", "Bloed laten prikken", context="title")
    catalog.add("During the test", "Tijdens de test", flags=["fuzzy"])
    catalog.add("When to get help", "")
    return catalog


def test_translator_translates_and_never_falls_back():
    translate = Translator(translations())
    assert translate("Before the test") == "Voor de test"
    assert translate("Having a blood test", "title") == "Bloed laten prikken"
    assert translate.pgettext("title", "Having a blood test") == "Bloed laten prikken"
    for msgid, context in [("Unknown text", None), ("Having a blood test", None),
                           ("During the test", None), ("When to get help", None)]:
        with pytest.raises(KeyError):
            translate(msgid, context)
    assert translate.fallbacks == []


def test_translator_in_draft_mode_uses_the_source_and_records_it():
    translate = Translator(translations(), draft=True)
    assert translate("Before the test") == "Voor de test"
    assert translate("Unknown text") == "Unknown text"
    assert translate("During the test") == "During the test"
    assert translate.gettext("When to get help") == "When to get help"
    assert translate.fallbacks == ["Unknown text", "During the test",
                                   "When to get help"]


def test_translator_load_refuses_a_missing_mo_unless_drafting(tmp_path):
    missing = tmp_path / "nl.mo"
    with pytest.raises(ContentError) as caught:
        Translator.load(missing, "build/mo/nl/LC_MESSAGES/x.mo")
    assert str(caught.value).startswith("build/mo/nl/LC_MESSAGES/x.mo: compiled "
                                        "catalog is missing")
    draft = Translator.load(missing, "x.mo", draft=True)
    assert draft("Before the test") == "Before the test"
    assert draft.fallbacks == ["Before the test"]


def test_translator_reads_a_compiled_catalog(project):
    project_, _wanted, problems = check(project)
    mo, _warnings = compile_nl(project_, problems)
    translate = Translator.load(mo, "blood-test.mo")
    assert translate("What", None) == "Wat"
    assert translate("Having a blood test", "title") == "Bloed laten prikken"
    with pytest.raises(KeyError):
        translate("What is not in the catalog")


# GNU gettext accepts what leafpress writes -------------------------------

def test_msgfmt_accepts_updated_catalogs(project, cli):
    prepare(project, cli)
    for po in (project / "locales").rglob("*.po"):
        result = msgfmt(po)
        assert result.returncode == 0, result.stderr


def test_msgfmt_accepts_new_catalogs(project, cli):
    shutil.rmtree(project / "locales" / "nl")
    prepare(project, cli)
    for po in (project / "locales").rglob("*.po"):
        result = msgfmt(po)
        assert result.returncode == 0, result.stderr


def test_msgfmt_accepts_a_short_fuzzy_merge(project, cli):
    prepare(project, cli)
    edit_source(project, "## Before the test", "## Before your test")
    prepare(project, cli)
    result = msgfmt(project / PO)
    assert result.returncode == 0, result.stderr


def test_msgfmt_accepts_a_long_fuzzy_merge(project, cli):
    prepare(project, cli)
    edit_source(project, LONG, "You can eat and drink normally.")
    prepare(project, cli)
    result = msgfmt(project / PO)
    assert result.returncode == 0, result.stderr
