"""What a clinic meets in its first hour, on real builds: a nurse's YAML
slip, a draft beside the leaflets in use, a language half translated, the
list of what was and was not printed, the report, and the furniture of the
printed page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SEEDS
from leafpress.printing import pdftext

LEAFLET = "leaflets/blood-test.md"


def test_a_colon_in_a_yaml_value_says_to_quote_it(project, cli):
    leaflet = project / LEAFLET
    text = leaflet.read_text(encoding="utf-8")
    leaflet.write_text(re.sub(r"(?m)^title: .*$", "title: Blood test: before and after",
                              text), encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert re.search(r"leaflets/blood-test\.md:\d+: front matter is not valid YAML: "
                     r"mapping values are not allowed here: a value with a colon in "
                     r"it .* must be put in quotes", run.err), run.err


def draft(project: Path, slug: str = "knee") -> Path:
    text = (project / LEAFLET).read_text(encoding="utf-8")
    text = text.replace("slug: blood-test", f"slug: {slug}")
    text = re.sub(r"(?m)^published: .*$", "published: TODO", text)
    text = re.sub(r"(?m)^review-by: .*$", "review-by: TODO", text)
    text = text.replace("---\n", "---\nstatus: draft\n", 1)
    path = project / "leaflets" / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_draft_is_a_state_not_a_failure(project, cli):
    draft(project)
    run = cli(project, "build", "--variant", "standard")
    assert run.code == 0, run.err
    assert re.search(r"knee \(en, nl; 2 files\): a draft, not printed: fill in "
                     r"published, review-by, then remove 'status: draft'", run.err), \
        run.err
    assert (project / "build/pdf/en/blood-test.pdf").is_file()
    assert not list((project / "build/pdf").rglob("knee*"))
    status = cli(project, "status")
    assert re.search(r"(?m)^knee +nl .* draft +- +a draft, not printed", status.out)
    assert "1970" not in run.err + status.out


def test_a_drafts_dates_stay_todo_everywhere(project, cli):
    draft(project)
    assert cli(project, "build", "--draft", "knee", "-l", "en", "--variant",
               "standard").code == 0
    text = " ".join(page.extract_text() for page in PdfReader(
        project / "build/draft/en/knee.pdf").pages)
    assert "1970" not in text and "TODO" in text
    lint = cli(project, "lint", "knee")
    assert "1970" not in lint.err + lint.out
    assert "overdue" not in lint.err
    assert cli(project, "report").code == 0
    report = (project / "build/report.html").read_text(encoding="utf-8")
    assert "1970" not in report
    drafts = report.split('id="drafts"', 1)[1]
    assert 'data-draft="knee"' in drafts and "review by: TODO" in drafts
    headline = report.split('id="totals"', 1)[1].split("</ul>", 1)[0]
    assert "<b>1</b> leaflets" in headline and "<b>1</b> drafts" in headline


def test_the_summary_lists_printed_up_to_date_and_not_printed_in_files(project, cli):
    draft(project)
    first = cli(project, "build")
    assert first.code == 0, first.err
    assert re.search(r"printed 2 files: en/blood-test \(1\), nl/blood-test \(1\)",
                     first.err), first.err
    assert re.search(r"(?m)^2 printed, 2 not printed \(files\) in ", first.err)
    leaflet = project / LEAFLET
    leaflet.write_text(leaflet.read_text(encoding="utf-8"), encoding="utf-8")
    listed = project / "build/.stale"
    listed.write_text("build/pdf/en/blood-test.pdf\n", encoding="utf-8")
    again = cli(project, "build", "--targets-from", str(listed))
    assert re.search(r"(?m)^1 printed, 1 up to date, 2 not printed \(files\)",
                     again.err), again.err


def test_the_report_links_every_pdf_and_lists_what_is_not_printed_first(project,
                                                                        cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "Does it hurt?"', '#, fuzzy\nmsgid "Does it hurt?"'), encoding="utf-8")
    assert cli(project, "build", "--variant", "standard").code == 1
    report = (project / "build/report.html").read_text(encoding="utf-8")
    head, main = report.split("<main>", 1)
    assert 'id="not-printed"' in head
    assert re.search(r'data-leaflet="blood-test" data-lang="nl".*fuzzy', head, re.S)
    for href in re.findall(r'<a class="pdf" href="([^"]+)"', main):
        assert (project / "build" / href).is_file(), href
    assert '<a class="pdf" href="pdf/en/blood-test.pdf">standard</a>' in main


def test_the_page_names_the_clinic_once_and_lists_its_sources(project, cli):
    assert cli(project, "build", "-l", "en", "--variant", "standard").code == 0
    pdf = project / "build/pdf/en/blood-test.pdf"
    reader = PdfReader(pdf, strict=True)
    page = reader.pages[0]
    top = float(page.mediabox.height) - 25 / 25.4 * 72  # the masthead's band
    names = [run for run in pdftext.runs(page) if "Test Clinic" in run.text
             and run.y > top]
    assert len(names) == 1, "the masthead names the clinic; the running head not"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "(blood-test)" not in text and "blood-test" not in text
    html = (project / "build/html/en/blood-test.html").read_text(encoding="utf-8")
    assert re.search(r'<ol class="sources">\s*<li><span class="marker">\[(<[^>]*>)?1'
                     r'(</span>)?\]</span>', html)


@pytest.mark.skipif(shutil.which("make") is None or not SEEDS.is_dir(),
                    reason="needs make and the seed articles")
def test_make_with_a_draft_and_a_half_translated_language_exits_0_and_says_why(
        tmp_path):
    from conftest import MAKE_FILES, copy_repo

    root = copy_repo(tmp_path / "repo")
    assert {"Makefile", "src"} <= set(MAKE_FILES)
    leafpress = root / ".venv/bin/leafpress"
    seed = sorted(SEEDS.glob("*.txt"))[0]
    subprocess.run([str(leafpress), "-C", str(root), "import", str(seed)],
                   check=True, capture_output=True)
    subprocess.run(["make"], cwd=root, capture_output=True, check=False)
    subprocess.run([str(leafpress), "-C", str(root), "init-locale", "de"], check=True,
                   capture_output=True)
    result = subprocess.run(["make"], cwd=root, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    assert re.search(r"back-pain-relief-with-trigger-point-injections \(en, nl, ar, "
                     r"de; 16 files\): a draft, not printed", out), out
    assert re.search(r"de/trigger-point-aftercare \(4 files\): the templates "
                     r"\(ui\.po\) are being translated \(0 of \d+ messages done\)",
                     out), out
    again = subprocess.run(["make"], cwd=root, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0
    assert "PDF files are up to date" in again.stdout
    assert "de/trigger-point-aftercare (4 files): not printed yet" in again.stdout
    assert "back-pain-relief-with-trigger-point-injections (16 files): a draft" \
        in again.stdout
    status = subprocess.run([str(leafpress), "-C", str(root), "status"],
                            capture_output=True, text=True, check=True)
    assert re.search(r"(?m)^ui\.po \(templates\) +de .*not yet", status.stdout)


def test_a_clinic_folders_settings_and_logo_are_in_every_pdfs_rule(project, cli):
    from conftest import clinic

    folder = clinic(project)
    rules = cli(project, "--clinic", str(folder), "deps").out
    pdf_rules = [line for line in rules.splitlines() if line.startswith("build/")
                 and ".pdf:" in line]
    assert pdf_rules
    for line in pdf_rules:
        assert " clinics/other/clinic.toml" in line, line
        assert " clinics/other/images/logo.svg" in line, line
