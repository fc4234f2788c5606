"""The make contract, on a copy of this repository: real file targets (every
print variant), a second make does nothing, one changed catalog rebuilds that
leaflet's PDFs in that language, a broken catalog fails the run and names its
line while everything else builds, and `make proofs` draws every page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import (
    BEING_TRANSLATED,
    PDF_SUFFIXES,
    copy_repo,
    expected_pdfs,
    make,
    outputs,
    pdfs,
)

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def variants(lang: str, slug: str) -> set[str]:
    return {f"build/pdf/{lang}/{slug}{suffix}" for suffix in PDF_SUFFIXES}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("make") / "repo")
    result = make(root)
    assert result.returncode == 0, result.stderr
    return root


def test_make_builds_every_leaflet_in_every_language(built):
    assert set(pdfs(built)) == expected_pdfs()
    for lang, slug in BEING_TRANSLATED:
        assert not variants(lang, slug) & set(pdfs(built))
    assert {"build/pdf/ar/trigger-point-aftercare.pdf",
            "build/pdf/nl/trigger-point-injections.booklet.pdf"} <= set(pdfs(built))


def test_second_make_does_nothing(built):
    before = outputs(built, ("pdf", "html"))
    result = make(built)
    assert result.returncode == 0, result.stderr
    assert outputs(built, ("pdf", "html")) == before
    # The leaflet still being translated has no target until its catalog
    # changes, so make has nothing to ask leafpress.
    assert "PDF files are up to date" in result.stdout
    assert result.stderr.strip() == ""


def test_second_make_touches_no_file_while_a_leaflet_is_being_translated(built):
    before = outputs(built)
    result = make(built)
    assert result.returncode == 0, result.stderr
    assert outputs(built) == before
    assert "PDF files are up to date" in result.stdout, result.stderr


def test_one_changed_catalog_rebuilds_only_its_pdf(built):
    po = built / "locales/nl/LC_MESSAGES/trigger-point-aftercare.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    last = max(number for number, text in enumerate(lines)
               if text.startswith('msgstr "') and text != 'msgstr ""')
    lines[last] = lines[last].replace('msgstr "', 'msgstr "Let op: ', 1)
    po.write_text("\n".join(lines), encoding="utf-8")
    before = pdfs(built)
    result = make(built)
    assert result.returncode == 0, result.stderr
    after = pdfs(built)
    assert set(after) == set(before)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == variants("nl", "trigger-point-aftercare"), result.stderr


def test_emptied_msgstr_fails_make_and_names_the_line(tmp_path):
    root = copy_repo(tmp_path / "repo")
    po = root / "locales/nl/LC_MESSAGES/trigger-point-injections.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, start=1)
                if text.startswith("msgstr") and text != 'msgstr ""'
                and number > 20)
    end = line
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[line - 1:end] = ['msgstr ""']
    po.write_text("\n".join(lines), encoding="utf-8")
    result = make(root, "-j2")
    assert result.returncode != 0
    assert re.search(rf"locales/nl/LC_MESSAGES/trigger-point-injections\.po:{line}: "
                     "untranslated", result.stderr), result.stderr
    built = set(pdfs(root))
    assert built == expected_pdfs() - variants("nl", "trigger-point-injections")
    again = make(root)
    assert again.returncode != 0, "a failed PDF stays stale until it is fixed"


PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_proofs_are_pictures_of_every_page(built):
    result = make(built, "-j2", "proofs")
    assert result.returncode == 0, result.stderr
    proofs = built / "build/proofs"
    printed = sorted((built / "build/pdf").rglob("*.pdf"))
    assert len(printed) == len(expected_pdfs())
    for pdf in printed:
        lang, name = pdf.parent.name, pdf.stem
        pages = len(PdfReader(pdf).pages)
        assert pages < 10, "pdftoppm would number the pictures -01, -02, ..."
        pictures = sorted((proofs / lang).glob(f"{name}-*.png"))
        assert [path.name for path in pictures] == [
            f"{name}-{page}.png" for page in range(1, pages + 1)]
        for picture in pictures:
            data = picture.read_bytes()
            assert data[:8] == PNG, picture
            width, height = (int.from_bytes(data[16:20]), int.from_bytes(data[20:24]))
            # the booklet is A4 landscape, every other PDF upright
            assert (width > height) == name.endswith(".booklet"), (picture, width,
                                                                   height)


def test_clean_removes_build(built, tmp_path):
    root = copy_repo(tmp_path / "repo")
    (root / "build").mkdir()
    (root / "build/x").write_text("x")
    assert make(root, "clean").returncode == 0
    assert not (root / "build").exists()
    assert "test" in make(root, "help").stdout


# --- the report and review dates ---------------------------------------------


def test_make_writes_the_report(built):
    report = (built / "build/report.html").read_text(encoding="utf-8")
    for slug in ("trigger-point-injections", "trigger-point-aftercare"):
        for lang in ("en", "nl", "ar"):
            assert f'data-leaflet="{slug}" data-lang="{lang}"' in report


def test_a_new_day_redoes_the_report_and_prints_nothing(built):
    report = built / "build/report.html"
    before, report_time = outputs(built, ("pdf", "html")), report.stat().st_mtime_ns
    (built / "build/today").write_text("2000-01-01\n")
    result = make(built)
    assert result.returncode == 0, result.stderr
    assert (built / "build/today").read_text().strip() != "2000-01-01"
    assert report.stat().st_mtime_ns > report_time
    assert outputs(built, ("pdf", "html")) == before
    assert "PDF files are up to date" in result.stdout


def test_the_day_a_review_date_passes_make_withdraws_the_leaflet(tmp_path):
    """Nothing but the date changed (the leaflet's time is older than its
    PDFs): make still rebuilds it, and the build withdraws it."""
    root = copy_repo(tmp_path / "repo")
    assert make(root).returncode == 0
    leaflet = root / "leaflets/trigger-point-aftercare.md"
    text = leaflet.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^published: .*$", "published: 2020-01-01", text)
    text = re.sub(r"(?m)^review-by: .*$", "review-by: 2022-12-31", text)
    pdf = root / "build/pdf/nl/trigger-point-aftercare.pdf"
    old = pdf.stat().st_mtime - 3600
    leaflet.write_text(text, encoding="utf-8")
    os.utime(leaflet, (old, old))
    (root / "build/today").write_text("2022-12-31\n")
    result = make(root)
    assert result.returncode != 0
    assert re.search(r"leaflets/trigger-point-aftercare\.md:1: review-overdue: "
                     r"review-by 2022-12-31 has passed", result.stderr), result.stderr
    assert not pdf.exists()
    assert (root / "build/withdrawn/nl/trigger-point-aftercare.pdf").is_file()
    remaining = set(pdfs(root))
    assert not {name for name in remaining if "trigger-point-aftercare" in name}
    assert variants("nl", "trigger-point-injections") <= remaining


# --- plural rules and library versions ----------------------------------------

#: Babel 2.18's Arabic rule, which swapped the forms of 11-99 and 100-102.
ARABIC_2_18 = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
               "n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5);")


def test_an_outdated_plural_rule_stops_make_until_update_repairs_it(built):
    catalogs = sorted((built / "locales/ar/LC_MESSAGES").glob("*.po"))
    for po in catalogs:
        text = po.read_text(encoding="utf-8")
        # the header field, however many lines it is wrapped over
        po.write_text(re.sub(r'(?m)^"Plural-Forms: (?:[^\n]*[^\\]\n)*?[^\n]*\\n"$',
                             f'"Plural-Forms: {ARABIC_2_18}\\\\n"', text),
                      encoding="utf-8")
    result = make(built)
    assert result.returncode != 0
    assert re.search(r"locales/ar/LC_MESSAGES/ui\.po:1: plural-forms: the header says "
                     r".*the numbers 11–102, 111–202, .* get a different form; run "
                     r"`leafpress update`", result.stderr), result.stderr
    assert not variants("ar", "trigger-point-aftercare") & set(pdfs(built))
    status = subprocess.run([str(built / ".venv/bin/leafpress"), "status"], cwd=built,
                            capture_output=True, text=True, check=False)
    (row,) = [line for line in status.stdout.splitlines()
              if line.startswith("trigger-point-aftercare   ar")]
    assert "NO" in row and "ui.po: plural-forms" in row
    assert "run `leafpress update`" in row

    update = subprocess.run([str(built / ".venv/bin/leafpress"), "update"], cwd=built,
                            capture_output=True, text=True, check=False)
    assert update.returncode == 0, update.stderr
    assert "plural-forms: rewrote" in update.stderr
    result = make(built)
    assert result.returncode == 0, result.stderr
    assert variants("ar", "trigger-point-aftercare") <= set(pdfs(built))


def fake_release(folder: Path, name: str, version: str) -> dict:
    """An environment in which ``name`` reports ``version`` (its metadata
    first on the path; the code stays the installed one)."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\n"
                                   f"Version: {version}\n", encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(folder)}


def test_a_new_library_release_prints_everything_again(built, tmp_path):
    before = outputs(built, ("pdf", "mo"))
    versions = (built / "build/versions").read_text(encoding="utf-8")
    assert re.search(r"(?m)^babel \d", versions) and "weasyprint" in versions
    env = fake_release(tmp_path / "site", "babel", "99.0")
    # Unchanged versions and an environment set up again: nothing to do.
    (built / ".venv/.leafpress-setup").touch()
    result = make(built)
    assert result.returncode == 0, result.stderr
    assert outputs(built, ("pdf", "mo")) == before
    # A new Babel: every PDF and compiled catalog is made again.
    (built / ".venv/.leafpress-setup").touch()
    result = make(built, env=env)
    assert result.returncode == 0, result.stderr
    assert "babel 99.0" in (built / "build/versions").read_text(encoding="utf-8")
    installed = re.search(r"(?m)^babel (\S+)$", versions)[1]
    assert (f"build/versions: new versions, so everything is printed again: babel "
            f"{installed} -> 99.0") in result.stderr, result.stderr
    after = outputs(built, ("pdf", "mo"))
    assert set(after) == set(before)
    assert not {name for name in after if after[name] == before[name]}
    again = make(built, env=env)
    assert "PDF files are up to date" in again.stdout, again.stderr


def test_odd_file_names_are_named_and_everything_else_prints(tmp_path):
    root = copy_repo(tmp_path / "repo")
    catalog = root / "locales/nl/LC_MESSAGES/trigger-point-aftercare.po"
    (root / "locales/nl/LC_MESSAGES/x y.po").write_bytes(catalog.read_bytes())
    (root / "locales/nl/LC_MESSAGES/a:b.po").write_bytes(catalog.read_bytes())
    (root / "leaflets/a b.md").write_bytes(
        (root / "leaflets/trigger-point-aftercare.md").read_bytes())
    result = make(root)
    assert "No rule to make target" not in result.stderr, result.stderr
    assert result.returncode != 0
    for name in ("locales/nl/LC_MESSAGES/x y.po", "locales/nl/LC_MESSAGES/a:b.po",
                 "leaflets/a b.md"):
        assert f"{name}: not a leaflet's or catalog's name" in result.stderr
    assert set(pdfs(root)) == expected_pdfs()
