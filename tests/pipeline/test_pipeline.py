"""End to end: a small project built for real, read back with pypdf."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import make_project, po_entry


def text_of(pdf: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(pdf, strict=True).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("\u2010", ""))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture project, built once for this module's read-only tests."""
    from leafpress.cli import main

    root = make_project(tmp_path_factory.mktemp("built"))
    assert main(["-C", str(root), "-q", "build"]) == 0
    return root


def test_build_writes_a_pdf_and_its_html_per_language(built):
    for lang in ("en", "nl"):
        assert (built / f"build/pdf/{lang}/blood-test.pdf").is_file()
        assert (built / f"build/html/{lang}/blood-test.html").is_file()
        assert (built / "build/mo/nl/LC_MESSAGES/blood-test.mo").is_file()
    assert not list((built / "build").rglob(".leafpress-*")), "temporary litter"


def test_dutch_pdf_says_what_the_catalog_says(built):
    pdf = built / "build/pdf/nl/blood-test.pdf"
    reader = PdfReader(pdf, strict=True)
    assert reader.metadata["/Title"] == "Bloed laten prikken"
    assert reader.metadata["/Author"] == "Test Clinic, laboratory"
    assert reader.metadata["/Keywords"] == ("Voor de test, Tijdens de test, "
                                            "Wanneer hulp vragen")
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = squash(text_of(pdf))
    assert "8 uur nuchter zijn" in text
    assert "Wachten op de uitslag" in text
    assert "Doet het pijn?" in text
    assert "Pagina 1 van 1" in text
    assert "1 oktober 2028" in text  # review date, formatted by Babel for nl
    for english in ("You can eat and drink as usual", "The nurse puts a band",
                    "Most people feel only a short prick", "About this leaflet"):
        assert english not in text


def test_placeholders_come_from_configuration(built):
    text = squash(text_of(built / "build/pdf/nl/blood-test.pdf"))
    assert "Bel 030 111 2222 als uw arm" in text
    assert "Bel bij nood 112." in text
    assert "{" not in text


def test_english_pdf_is_printed_from_the_source(built):
    pdf = built / "build/pdf/en/blood-test.pdf"
    reader = PdfReader(pdf, strict=True)
    assert reader.metadata["/Title"] == "Having a blood test"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = squash(text_of(pdf))
    assert "fast for 8 hours" in text
    assert "Page 1 of 1" in text
    assert "1 October 2028" in text


def test_check_passes_on_a_fresh_build(built, cli):
    run = cli(built, "check")
    assert run.code == 0, run.err
    assert "2 PDFs checked, 0 problems" in run.err


def test_check_catches_a_pdf_in_the_wrong_place(built, cli, tmp_path):
    root = make_project(tmp_path)
    shutil.copytree(built / "build", root / "build")
    pdf = root / "build/pdf"
    shutil.copy(pdf / "en/blood-test.pdf", pdf / "nl/blood-test.pdf")
    run = cli(root, "check")
    assert run.code == 1
    assert "build/pdf/nl/blood-test.pdf: /Lang is 'en', expected 'nl'" in run.err
    assert "/Title is 'Having a blood test', expected 'Bloed laten prikken'" in run.err
    assert "untranslated source text from leaflets/blood-test.md:" in run.err


def _empty_msgstr(po: Path, msgid_start: str) -> int:
    line = po_entry(po, msgid_start)
    lines = po.read_text(encoding="utf-8").split("\n")
    end = line
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[line - 1:end] = ['msgstr ""']
    po.write_text("\n".join(lines), encoding="utf-8")
    return line


def test_empty_msgstr_stops_only_that_leaflet_in_that_language(project, cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    line = _empty_msgstr(po, "The nurse puts a band")
    run = cli(project, "build")
    assert run.code == 1
    assert (f"locales/nl/LC_MESSAGES/blood-test.po:{line}: untranslated: "
            "“The nurse puts a band") in run.err
    assert "1 printed, 1 not printed (files)" in run.err
    assert "  nl/blood-test (1 file): " in run.err
    assert (project / "build/pdf/en/blood-test.pdf").is_file()
    assert not (project / "build/pdf/nl/blood-test.pdf").exists()


def test_fuzzy_entry_is_never_printed(project, cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('\nmsgid "1 to 3 days"', '\n#, fuzzy\nmsgid "1 to 3 days"')
    po.write_text(text, encoding="utf-8")
    line = po_entry(po, "1 to 3 days")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert (f"locales/nl/LC_MESSAGES/blood-test.po:{line}: fuzzy: “1 to 3 days” "
            "needs review; check the translation and remove the fuzzy flag\n"
            ) in run.err
    assert not (project / "build/pdf/nl/blood-test.pdf").exists()


def test_a_pdf_that_can_no_longer_be_built_is_withdrawn(project, cli):
    assert cli(project, "-q", "build", "-l", "nl").code == 0
    pdf = project / "build/pdf/nl/blood-test.pdf"
    old = pdf.read_bytes()
    _empty_msgstr(project / "locales/nl/LC_MESSAGES/blood-test.po", "Does it hurt?")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert not pdf.exists()
    withdrawn = project / "build/withdrawn/nl/blood-test.pdf"
    assert withdrawn.read_bytes() == old
    assert "withdrew build/pdf/nl/blood-test.pdf" in run.err


def test_draft_prints_source_text_with_a_mark_and_never_into_build_pdf(project, cli):
    _empty_msgstr(project / "locales/nl/LC_MESSAGES/blood-test.po", "The nurse puts")
    run = cli(project, "build", "--draft", "-l", "nl")
    assert run.code == 0, run.err
    assert not (project / "build/pdf/nl/blood-test.pdf").exists()
    draft = project / "build/draft/nl/blood-test.pdf"
    reader = PdfReader(draft, strict=True)
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()
    assert "The nurse puts a band" in squash(text_of(draft))


def test_overflowing_leaflet_names_the_excess_and_keeps_a_rejected_copy(project, cli):
    leaflet = project / "leaflets/blood-test.md"
    text = leaflet.read_text(encoding="utf-8").replace("max-pages: 2", "max-pages: 1")
    filler = "\n".join(f"- Extra point number {n} about the test." for n in range(60))
    leaflet.write_text(text + "\n## More\n\n" + filler + "\n", encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert re.search(r"build/pdf/en/blood-test\.pdf: (\d) pages, (\d) over the limit "
                     r"of 1 \(max-pages\)", run.err)
    assert (project / "build/rejected/en/blood-test.pdf").is_file()
    assert not (project / "build/pdf/en/blood-test.pdf").exists()


def test_broken_leaflet_does_not_stop_the_others(project, cli):
    (project / "leaflets/broken.md").write_text("---\nslug: broken\n---\nText\n",
                                                encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert "leaflets/broken.md:1: missing field 'title'" in run.err
    assert (project / "build/pdf/en/blood-test.pdf").is_file()
    assert "1 printed, 1 not printed (files)" in run.err
    assert "  en/broken (1 file): " in run.err


def test_targets_from_a_list_builds_only_those(project, cli):
    stale = project / "build/.stale"
    stale.parent.mkdir()
    stale.write_text("build/mo/nl/LC_MESSAGES/blood-test.mo\n"
                     "build/pdf/nl/blood-test.pdf\n")
    run = cli(project, "build", "--targets-from", str(stale))
    assert run.code == 0, run.err
    assert (project / "build/pdf/nl/blood-test.pdf").is_file()
    assert not (project / "build/pdf/en/blood-test.pdf").exists()


def test_an_imported_draft_never_prints_and_says_what_to_fill_in(project, cli,
                                                                tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Having a flu jab</title></head><body>"
                    "<h1>Having a flu jab</h1><h2>Before</h2><p>Eat as usual.</p>"
                    "<script>alert(1)</script><h2>After</h2><ul><li>Rest.</li>"
                    "<li>Drink water.</li></ul></body></html>", encoding="utf-8")
    run = cli(project, "import", str(page))
    assert run.code == 0, run.err
    draft = project / "leaflets/having-a-flu-jab.md"
    text = draft.read_text(encoding="utf-8")
    assert "status: draft" in text and "<script" not in text and "alert" not in text
    run = cli(project, "build", "-l", "en", "having-a-flu-jab")
    assert run.code == 0, "a draft is a state, not a failure"
    assert ("en/having-a-flu-jab (1 file): a draft, not printed: fill in "
            "published, review-by, organisation, authors, clinical-reviewer, "
            "sources") in run.err
    assert not (project / "build/pdf/en/having-a-flu-jab.pdf").exists()
    run = cli(project, "build", "-l", "en", "--draft", "having-a-flu-jab")
    assert run.code == 0, run.err
    reader = PdfReader(project / "build/draft/en/having-a-flu-jab.pdf", strict=True)
    assert all("DRAFT" in page.extract_text() for page in reader.pages)
    assert cli(project, "import", str(page)).code == 2, "an existing leaflet is kept"
