"""Revision and sign-off on real builds: a Dutch leaflet waits for its
revision, then for its sign-off, then prints with the sign-off in "About
this leaflet"; a changed msgstr withdraws the PDF and names its line; a
record edited by hand is ignored; a source change voids only the messages
it touches; the review sheet holds every message in both languages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import copy_repo, make, po_entry, set_msgstr

PO = "locales/nl/LC_MESSAGES/blood-test.po"
RECORDS = "locales/nl/LC_MESSAGES/blood-test.review.toml"
PDF = "build/pdf/nl/blood-test.pdf"


def require(project: Path, kinds: str = '["revised", "signed-off"]') -> None:
    settings = project / "leafpress.toml"
    settings.write_text(settings.read_text().replace("require = []",
                                                     f"require = {kinds}"))


def text_of(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(pdf).pages)


@pytest.fixture
def reviewed(project, cli):
    """The fixture project asking for both, revised and signed off."""
    require(project)
    assert cli(project, "sign", "--lang", "nl", "--as", "reviser", "--by",
               "A. Reviser", "blood-test").code == 0
    assert cli(project, "sign", "--lang", "nl", "--as", "clinician", "--by",
               "Dr. A. Bakker", "blood-test").code == 0
    return project


def test_a_translation_waits_for_revision_then_sign_off_then_prints(project, cli):
    require(project)
    run = cli(project, "build")
    assert run.code == 0, run.err
    assert (project / "build/pdf/en/blood-test.pdf").exists()
    assert not (project / PDF).exists()
    assert re.search(r"nl/blood-test \(1 file\): waiting for review: \d+ messages "
                     rf"not revised \({PO}:\d+, :\d+", run.err), run.err
    assert "not signed off by the clinician" in run.err

    run = cli(project, "sign", "--lang", "nl", "--as", "reviser", "--by",
              "A. Reviser", "blood-test")
    assert run.code == 0, run.err
    run = cli(project, "build")
    assert not (project / PDF).exists()
    assert "nl/blood-test (1 file): waiting for review: not signed off by the " \
           "clinician" in run.err, run.err

    run = cli(project, "sign", "--lang", "nl", "--as", "clinician", "--by",
              "Dr. A. Bakker", "blood-test")
    assert run.code == 0 and "clinical-reviewer" not in run.err, run.err
    run = cli(project, "build")
    assert run.code == 0, run.err
    assert cli(project, "check").code == 0  # read back with its sign-off
    text = text_of(project / PDF)
    assert re.search(r"Vertaling goedgekeurd door Dr\. A\. Bakker op \d+ \w+ \d{4}",
                     text), text


def test_status_shows_the_review(reviewed, cli):
    run = cli(reviewed, "status", "--format", "json")
    row = next(row for row in json.loads(run.out) if row["leaflet"] == "blood-test")
    review = row["review"]
    assert review["ready"] and review["revised"] == review["messages"] > 10
    assert review["signed_off"]["by"] == "Dr. A. Bakker"
    assert review["signed_off"]["current"] and row["state"] == "printable"
    table = cli(reviewed, "status").out.split("\n")
    assert "revised  signed off" in table[0]
    assert re.search(rf"blood-test\s+nl .* {review['messages']}/{review['messages']}"
                     r"\s+\d{4}-\d\d-\d\d\s+yes", table[1]), table[1]


def test_a_changed_msgstr_withdraws_the_pdf_and_names_its_line(reviewed, cli):
    assert cli(reviewed, "build").code == 0
    assert (reviewed / PDF).exists()
    line = set_msgstr(reviewed / PO, "Does it hurt?", "Doet het zeer?")
    run = cli(reviewed, "build")
    assert run.code == 0, run.err
    assert not (reviewed / PDF).exists()
    assert (reviewed / "build/withdrawn/nl/blood-test.pdf").exists()
    assert (f"waiting for review: 1 message not revised ({PO}:{line}); not signed "
            "off since version") in run.err, run.err
    status = cli(reviewed, "status").out
    assert "void" in status and "review" in status
    sheet = cli(reviewed, "review", "--lang", "nl", "--no-pdf", "blood-test")
    assert sheet.code == 0, sheet.err
    html = (reviewed / "build/review/nl/blood-test.html").read_text()
    changed = html[html.index('class="changed"'):]
    changed = changed[:changed.index("</tr>")]
    assert "Doet het zeer?" in changed and "<s>Doet het pijn?</s>" in changed


def test_a_record_edited_by_hand_is_ignored(reviewed, cli):
    set_msgstr(reviewed / PO, "Does it hurt?", "Doet het zeer?")
    records = reviewed / RECORDS
    # put the new text into the old record, keeping its hash
    records.write_text(records.read_text().replace('translation = "Doet het pijn?"',
                                                   'translation = "Doet het zeer?"'))
    run = cli(reviewed, "build")
    assert "1 message not revised" in run.err and not (reviewed / PDF).exists()


def test_a_source_change_voids_only_the_messages_it_touches(reviewed, cli):
    leaflet = reviewed / "leaflets/blood-test.md"
    leaflet.write_text(leaflet.read_text().replace("Does it hurt?",
                                                   "Does it hurt much?"))
    assert cli(reviewed, "extract").code == 0
    assert cli(reviewed, "update").code == 0
    # the translator translates the changed question again
    set_msgstr(reviewed / PO, "Does it hurt much?", "Doet het veel pijn?")
    run = cli(reviewed, "status", "--format", "json")
    row = next(row for row in json.loads(run.out) if row["leaflet"] == "blood-test")
    assert row["review"]["not_revised"] == [
        f"{PO}:{po_entry(reviewed / PO, 'Does it hurt much?')}"], row["review"]
    assert not row["review"]["signed_off"]["current"]


def test_the_review_sheet_holds_every_message_in_both_languages(reviewed, cli):
    run = cli(reviewed, "review", "--lang", "nl", "blood-test")
    assert run.code == 0, run.err
    html = (reviewed / "build/review/nl/blood-test.html").read_text()
    assert "<script" not in html and "http" not in html.split("<body>")[0]
    po = (reviewed / PO).read_text()
    pairs = re.findall(r'\nmsgid "([^"\n]+)"\nmsgstr "([^"\n]+)"', po)
    assert len(pairs) > 10
    for msgid, msgstr in pairs:
        for text in (msgid, msgstr):
            plain = re.sub(r"<[^>]+>", "", html).replace("&#39;", "'")
            assert text.replace("\\\"", '"') in plain, text
    assert re.search(r"blood-test\.po:\d+", html)
    assert "<mark>" in html and "Signatures" in html
    pdf = reviewed / "build/review/nl/blood-test.pdf"
    assert "Doet het pijn?" in text_of(pdf)


def test_the_translator_cannot_revise_their_own_work(project, cli):
    require(project)
    run = cli(project, "sign", "--lang", "nl", "--as", "reviser", "--by",
              "test translator", "blood-test")
    assert run.code == 1
    assert "Test Translator is this catalog's last translator" in run.err or \
        "is this catalog's last translator" in run.err, run.err
    assert not (project / RECORDS).exists()


def test_another_clinician_is_a_warning_and_revision_comes_first(project, cli):
    require(project)
    run = cli(project, "sign", "--lang", "nl", "--as", "clinician", "--by",
              "Dr. Someone Else", "blood-test")
    assert run.code == 1 and "the reviser signs first" in run.err, run.err
    assert cli(project, "sign", "--lang", "nl", "--as", "reviser", "--by",
               "A. Reviser", "blood-test").code == 0
    run = cli(project, "sign", "--lang", "nl", "--as", "clinician", "--by",
              "Dr. Someone Else", "blood-test")
    assert run.code == 0
    assert "names 'Dr. A. Bakker, clinical chemist' as its clinical-reviewer" in run.err


def test_a_reviser_can_revise_one_message_by_line(project, cli):
    require(project, '["revised"]')
    line = po_entry(project / PO, "Does it hurt?")
    run = cli(project, "sign", "--lang", "nl", "--as", "reviser", "--by",
              "A. Reviser", "--line", str(line), "blood-test")
    assert run.code == 0 and "1 message revised" in run.err, run.err
    records = (project / RECORDS).read_text()
    assert records.count("[[revised]]") == 1 and "Doet het pijn?" in records
    run = cli(project, "sign", "--lang", "nl", "--as", "reviser", "--by",
              "A. Reviser", "--line", "2", "blood-test")
    assert run.code == 2 and "no message at line 2" in run.err


def test_only_a_translation_is_signed(project, cli):
    require(project)
    run = cli(project, "sign", "--lang", "en", "--as", "reviser", "--by", "A. R",
              "blood-test")
    assert run.code == 2 and "source language" in run.err


def test_the_report_shows_the_review_and_links_its_sheet(project, cli):
    require(project)
    assert cli(project, "review", "--lang", "nl", "--no-pdf", "blood-test").code == 0
    assert cli(project, "build").code == 0
    html = (project / "build/report.html").read_text()
    row = html[html.index('data-lang="nl" data-state="waiting for review"'):]
    row = row[:row.index("</tr>")]
    assert "not revised" in row and "0 of" in row and "not signed off" in row
    assert 'href="review/nl/blood-test.html"' in row
    assert (project / "build/review/nl/blood-test.html").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_waits_for_the_review_prints_once_signed_and_withdraws_after_an_edit(
        tmp_path):
    root = copy_repo(tmp_path / "repo")
    require(root)
    slug = "trigger-point-injections"
    pdf = root / f"build/pdf/nl/{slug}.pdf"
    po = f"locales/nl/LC_MESSAGES/{slug}.po"
    first = make(root)
    assert first.returncode == 0, first.stderr
    assert (root / f"build/pdf/en/{slug}.pdf").exists() and not pdf.exists()
    assert f"nl/{slug} (4 files): waiting for review: " in first.stderr

    sign = [str(root / ".venv/bin/leafpress"), "-C", str(root), "sign", "--lang", "nl"]
    for role, name in (("reviser", "A. Reviser"), ("clinician", "Dr. C. Clinician")):
        done = subprocess.run([*sign, "--as", role, "--by", name, slug],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    second = make(root)
    assert second.returncode == 0, second.stderr
    assert pdf.exists() and f"nl/{slug} (4)" in second.stderr

    catalog = root / po
    catalog.write_text(catalog.read_text().replace("met een doek erom",
                                                   "in een doek gewikkeld"))
    line = po_entry(catalog, "A cold pack can help")
    third = make(root)
    assert third.returncode == 0, third.stderr
    assert not pdf.exists() and (root / f"build/withdrawn/nl/{slug}.pdf").exists()
    assert (f"waiting for review: 1 message not revised ({po}:{line}); not signed "
            "off since version") in third.stderr, third.stderr
    assert "Error" not in make(root).stderr


def test_a_text_memory_fills_counts_as_revised_where_it_was_revised(reviewed, cli):
    leaflet = reviewed / "leaflets/blood-test.md"
    copy = reviewed / "leaflets/blood-test-copy.md"
    copy.write_text(leaflet.read_text().replace("slug: blood-test",
                                                "slug: blood-test-copy"))
    assert cli(reviewed, "extract").code == 0
    run = cli(reviewed, "update")
    assert run.code == 0 and "from memory" in run.err, run.err
    rows = json.loads(cli(reviewed, "status", "--format", "json").out)
    (row,) = [row for row in rows if row["leaflet"] == "blood-test-copy"]
    assert row["translated"] > 0 and row["review"]["not_revised"] == []
    assert row["review"]["missing"] == ["not signed off by the clinician"]
