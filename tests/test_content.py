"""The product's own leaflets and catalogs: current, complete, clean, and
printed into PDFs that independent tools (qpdf, poppler) find sound."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, tool
from leafpress import pipeline
from leafpress.config import load_project
from leafpress.ingest import read_leaflets

PROJECT = load_project(REPO)
CATALOGS = sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po"))
LEAFLETS = PROJECT.leaflet_paths()

#: Words that sell rather than inform (DOMAIN.md, "Plain language").
MARKETING = re.compile(r"\b(\d+\s?%|proven|guarantee\w*|painless|best|miracle|"
                       r"no side effects|100\s?% safe|bewezen|pijnloos|gegarandeerd|"
                       r"beste|geen bijwerkingen)\b", re.IGNORECASE)


def copy_project(tmp: Path) -> Path:
    root = tmp / "repo"
    root.mkdir()
    for name in ("leafpress.toml", "leaflets", "locales", "templates"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from leafpress.cli import main

    root = copy_project(tmp_path_factory.mktemp("content"))
    assert main(["-C", str(root), "-q", "build"]) == 0
    return root


def test_there_are_leaflets_and_dutch_catalogs():
    assert {path.stem for path in LEAFLETS} >= {"trigger-point-injections",
                                                "trigger-point-aftercare"}
    assert {path.parent.parent.name for path in CATALOGS} == {"nl"}


def test_every_leaflet_is_valid():
    leaflets, problems = read_leaflets(LEAFLETS, PROJECT.settings.placeholders, REPO)
    assert [str(problem) for problem in problems] == []
    assert len(leaflets) == len(LEAFLETS)


def test_committed_templates_and_catalogs_are_current(tmp_path):
    root = copy_project(tmp_path)
    project = load_project(root)
    changed, problems = pipeline.run_extract(project)
    assert (changed, problems) == ([], [])
    report = pipeline.run_update(project)
    assert (report.written, report.problems) == ([], [])
    assert report.changes == [] and report.withdrawn == []


def test_every_translation_is_complete_and_printable():
    rows, problems = pipeline.status(PROJECT)
    assert problems == []
    assert rows
    for row in rows:
        assert row.printable, [str(problem) for problem in row.problems]
        assert row.counts.fuzzy == row.counts.untranslated == 0


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.name)
def test_gnu_msgfmt_accepts_every_catalog(po):
    result = tool("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po))
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


@pytest.mark.parametrize("leaflet", LEAFLETS, ids=lambda path: path.stem)
def test_no_marketing_claims(leaflet):
    body = leaflet.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert MARKETING.findall(body) == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.name)
def test_no_marketing_claims_in_translations(po):
    strings = re.findall(r'^msgstr "(.*)"$', po.read_text(encoding="utf-8"), re.M)
    assert MARKETING.findall(" ".join(strings)) == []


def test_every_pdf_is_printed(built):
    for path in LEAFLETS:
        for lang in PROJECT.settings.languages:
            assert (built / "build/pdf" / lang / f"{path.stem}.pdf").is_file()


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_qpdf_finds_nothing_wrong(built):
    for pdf in sorted((built / "build/pdf").rglob("*.pdf")):
        result = tool("qpdf", "--check", str(pdf))
        assert result.returncode == 0, (pdf, result.stdout, result.stderr)
        assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils")
def test_pdffonts_every_font_embedded(built):
    for pdf in sorted((built / "build/pdf").rglob("*.pdf")):
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
def test_dutch_pdfs_hold_no_english_paragraph(built):
    leaflets, _ = read_leaflets(LEAFLETS, PROJECT.settings.placeholders, REPO)
    for leaflet in leaflets:
        pdf = built / f"build/pdf/nl/{leaflet.slug}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        text = re.sub(r"\s+", "", text.replace("\u2010", ""))
        for block in leaflet.blocks:
            words = re.sub(r"[*\[\]]|\(https?:[^)]*\)", "", block.text)
            if len(words.split()) >= 5:
                assert re.sub(r"\s+", "", words) not in text, (leaflet.slug, block.line)
