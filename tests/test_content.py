"""The product's own leaflets and catalogs: current, complete (or openly
still being translated), clean, and printed in every variant into PDFs that
independent tools (qpdf, poppler) find sound."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import (
    BEING_TRANSLATED,
    PDF_SUFFIXES,
    REPO,
    copy_repo_project,
    repo_pdfs,
    tool,
)
from leafpress.pipeline.extract import run_extract
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.status import status
from leafpress.pipeline.update import run_update
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflets
from leafpress.translation import catalogs

PROJECT = load_project(REPO)
CATALOGS = sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po"))
LEAFLETS = PROJECT.leaflet_paths()

#: Words that sell rather than inform (DOMAIN.md, "Plain language").
MARKETING = re.compile(r"\b(\d+\s?%|proven|guarantee\w*|painless|best|miracle|"
                       r"no side effects|100\s?% safe|bewezen|pijnloos|gegarandeerd|"
                       r"beste|geen bijwerkingen)\b", re.IGNORECASE)
#: The one catalog still being translated (never complete, so no source hash).
IN_TRANSLATION = REPO / "locales/ar/LC_MESSAGES/trigger-point-injections.po"


def catalog_id(path) -> str:
    return f"{path.parent.parent.name}/{path.name}"


def bound(po) -> bool:
    """Whether the catalog was completely translated once: it carries the
    hash of the source it was translated against."""
    return f'"{catalogs.SOURCE_HASH}: ' in po.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(repo_build):
    assert repo_build.code == 0, repo_build.log
    return repo_build.root


def test_there_are_leaflets_and_dutch_and_arabic_catalogs():
    assert {path.stem for path in LEAFLETS} >= {"trigger-point-injections",
                                                "trigger-point-aftercare"}
    assert {path.parent.parent.name for path in CATALOGS} == {"nl", "ar"}
    assert set(PROJECT.settings.target_languages) == {"nl", "ar"}
    domains = {"ui"} | {path.stem for path in LEAFLETS}
    for lang in ("nl", "ar"):
        assert {path.stem for path in CATALOGS
                if path.parent.parent.name == lang} == domains


def test_every_leaflet_is_valid():
    leaflets, problems = read_leaflets(LEAFLETS, PROJECT.settings.placeholders, REPO)
    assert [str(problem) for problem in problems] == []
    assert len(leaflets) == len(LEAFLETS)


def test_committed_templates_and_catalogs_are_current(tmp_path):
    root = copy_repo_project(tmp_path / "repo")
    project = load_project(root)
    changed, problems, _moved = run_extract(Snapshot(project))
    assert (changed, problems) == ([], [])
    report = run_update(Snapshot(project))
    assert (report.written, report.problems) == ([], [])
    assert report.changes == [] and report.withdrawn == []


def test_every_translation_is_printable_or_still_being_translated():
    rows, problems = status(Snapshot(PROJECT))
    assert problems == []
    templates = [row for row in rows if row.kind == "templates"]
    assert {row.lang for row in templates} == {"nl", "ar"}
    assert all(row.state == "printable" for row in templates), templates
    rows = [row for row in rows if row.kind == "leaflet"]
    states = {(row.lang, row.slug): row.state for row in rows}
    assert set(states) == {(lang, path.stem) for lang in ("nl", "ar")
                           for path in LEAFLETS}
    for row in rows:
        if (row.lang, row.slug) in BEING_TRANSLATED:
            assert row.state == "being translated", row
            assert not row.printable and row.translated_hash is None
            assert row.counts.fuzzy + row.counts.untranslated > 0
            assert "being translated" in row.note
        else:
            assert row.state == "printable", [str(p) for p in row.problems]
            assert row.counts.fuzzy == row.counts.untranslated == 0
            assert row.translated_hash == row.current_hash


@pytest.mark.parametrize("po", CATALOGS, ids=catalog_id)
def test_every_catalog_that_was_complete_is_printable(po):
    """A catalog with a source hash was complete once: anything missing in
    it now is an error, never "being translated"."""
    if not bound(po):
        assert po == IN_TRANSLATION, f"{catalog_id(po)} was never complete"
        return
    rows, _problems = status(Snapshot(PROJECT))
    lang = po.parent.parent.name
    concerned = [row for row in rows if row.lang == lang
                 and po.stem in ("ui", row.slug)]
    assert concerned
    for row in concerned:
        if po.stem == "ui":  # the templates block no leaflet in this language
            assert row.state != "blocked", [str(p) for p in row.problems]
        else:
            assert row.printable, [str(p) for p in row.problems]


def test_status_shows_the_arabic_injections_leaflet_as_not_yet(built, cli):
    run = cli(built, "status")
    assert run.code == 0
    lines = {tuple(line.split()[:2]): line for line in run.out.splitlines()[1:]
             if not line.startswith("ui.po (templates)")}
    assert set(lines) == {(slug, lang) for path in LEAFLETS
                          for lang in ("nl", "ar") for slug in [path.stem]}
    for (slug, lang), line in lines.items():
        printable = "not yet" if (lang, slug) in BEING_TRANSLATED else "yes"
        assert f"  {printable}  " in line, line
    rows = json.loads(cli(built, "status", "--format", "json").out)
    assert {(row["language"], row["leaflet"]) for row in rows
            if row["state"] == "being translated"} == BEING_TRANSLATED
    assert cli(built, "status", "--strict").code == 1, "not every leaflet prints yet"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("po", CATALOGS, ids=catalog_id)
def test_gnu_msgfmt_accepts_every_catalog(po):
    result = tool("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po))
    assert result.returncode == 0, result.stderr
    if po != IN_TRANSLATION:  # where translation memory's suggestions wait
        assert "fuzzy" not in result.stderr
        assert "untranslated" not in result.stderr


@pytest.mark.parametrize("leaflet", LEAFLETS, ids=lambda path: path.stem)
def test_no_marketing_claims(leaflet):
    body = leaflet.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert MARKETING.findall(body) == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.name)
def test_no_marketing_claims_in_translations(po):
    strings = re.findall(r'^msgstr "(.*)"$', po.read_text(encoding="utf-8"), re.M)
    assert MARKETING.findall(" ".join(strings)) == []


def printed(built) -> list:
    return sorted((built / "build/pdf").rglob("*.pdf"))


def test_every_pdf_is_printed_in_every_variant(built):
    found = {str(path.relative_to(built / "build/pdf")) for path in printed(built)}
    assert found == repo_pdfs()
    assert len(found) == len(PDF_SUFFIXES) * (
        len(LEAFLETS) * len(PROJECT.settings.languages) - len(BEING_TRANSLATED))


def test_the_leaflet_being_translated_is_skipped_with_a_note(repo_build):
    """Not an error: the build says why and exits 0."""
    assert repo_build.code == 0
    (lang, slug), = BEING_TRANSLATED
    assert re.search(rf"^  {lang}/{slug} \(4 files\): the leaflet is being "
                     r"translated \((\d+) of (\d+) messages done\)$",
                     repo_build.log, re.M), repo_build.log
    assert re.search(r"printed, 4 not printed \(files\) in ", repo_build.log)
    assert not list((repo_build.root / "build/pdf" / lang).glob(f"{slug}*"))
    assert "failed" not in repo_build.log


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_qpdf_finds_nothing_wrong(built):
    assert len(printed(built)) == len(repo_pdfs())
    for pdf in printed(built):
        result = tool("qpdf", "--check", str(pdf))
        assert result.returncode == 0, (pdf, result.stdout, result.stderr)
        assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils")
def test_pdffonts_every_font_embedded(built):
    assert len(printed(built)) == len(repo_pdfs())
    for pdf in printed(built):
        result = tool("pdffonts", str(pdf))
        assert result.returncode == 0, result.stderr
        rows = result.stdout.strip().split("\n")[2:]
        assert rows, f"{pdf} has no fonts"
        for row in rows:
            # name type encoding emb sub uni object ID: emb is the 4th from the end
            # counting "object ID" as two columns.
            columns = row.split()
            assert columns[-5] == "yes", (pdf, row)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("suffix", PDF_SUFFIXES)
def test_dutch_pdfs_hold_no_english_paragraph(built, suffix):
    leaflets, _ = read_leaflets(LEAFLETS, PROJECT.settings.placeholders, REPO)
    assert leaflets
    for leaflet in leaflets:
        pdf = built / f"build/pdf/nl/{leaflet.slug}{suffix}"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        text = re.sub(r"\s+", "", text.replace("\u2010", ""))
        assert len(text) > 500, f"{pdf.name}: no text read back"
        for block in leaflet.blocks:
            words = re.sub(r"[*\[\]]|\(https?:[^)]*\)", "", block.text)
            if len(words.split()) >= 5:
                assert re.sub(r"\s+", "", words) not in text, (pdf.name, block.line)
