"""The build report, ``build/report.html``, as a clinic manager opens it: in
headless Chromium (Debian's chromium, installed by ``make test``)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from browser import open_page
from conftest import BEING_TRANSLATED, REPO, Built
from leafpress.settings.project import load_project

ROWS = """[...document.querySelectorAll('tr.row')].map(row => ({
    leaflet: row.dataset.leaflet, lang: row.dataset.lang, state: row.dataset.state,
    text: row.innerText,
    pages: [...row.querySelectorAll('.pages')].map(span => Number(span.textContent)),
    images: [...row.querySelectorAll('img')].map(img => ({
        src: img.getAttribute('src'), alt: img.alt,
        ok: img.complete && img.naturalWidth > 0}))}))"""


@pytest.fixture(scope="module")
def opened(repo_build: Built):
    """The report of a full build of the repository, open in Chromium."""
    report = repo_build.root / "build" / "report.html"
    assert report.is_file(), repo_build.log
    with open_page(report) as page:
        yield page, page.evaluate(ROWS)


def test_the_report_loads_in_chromium_without_errors(opened):
    page, rows = opened
    assert page.errors == []
    assert page.evaluate("document.title").startswith("Leaflet report: Lindenhof")
    assert rows, "the report shows no leaflet"


def test_the_report_shows_every_leaflet_in_every_language(opened):
    _page, rows = opened
    settings = load_project(REPO).settings
    slugs = sorted(path.stem for path in (REPO / "leaflets").glob("*.md"))
    assert sorted((row["leaflet"], row["lang"]) for row in rows) == sorted(
        (slug, lang) for slug in slugs for lang in settings.languages)


def test_each_printed_language_has_its_first_page_and_page_counts(opened,
                                                                  repo_build):
    _page, rows = opened
    build = repo_build.root / "build"
    for row in rows:
        name = (row["lang"], row["leaflet"])
        if name in BEING_TRANSLATED:
            assert row["state"] == "being translated", row
            assert row["images"] == [] and row["pages"] == []
            continue
        assert row["state"] == "printed", row
        [image] = row["images"]
        assert image["ok"], f"the thumbnail {image['src']} did not load"
        assert image["src"] == f"report/{row['lang']}/{row['leaflet']}.jpg"
        # standard, large, a5 and booklet, in the order leafpress.toml lists
        pdfs = [build / "pdf" / row["lang"] / f"{row['leaflet']}{suffix}.pdf"
                for suffix in ("", ".large", ".a5", ".booklet")]
        assert row["pages"] == [len(PdfReader(pdf).pages) for pdf in pdfs]


def test_each_language_is_scored_with_its_own_formula(opened):
    _page, rows = opened
    for row in rows:
        if (row["lang"], row["leaflet"]) in BEING_TRANSLATED:
            assert "not completely translated" in row["text"]
        elif row["lang"] == "en":
            assert "Flesch Reading Ease" in row["text"]
            assert "Flesch-Douma" not in row["text"]
        elif row["lang"] == "nl":
            assert "Flesch-Douma" in row["text"] and "Brouwer" in row["text"]
            assert "Reading Ease" not in row["text"]
        else:
            assert "Flesch" not in row["text"]
        if row["state"] == "printed":
            assert re.search(r"LIX: \d+", row["text"]), row["text"]


def test_the_report_names_findings_and_the_hardest_sentences(opened):
    page, _rows = opened
    details = page.evaluate("""[...document.querySelectorAll('details.detail')]
        .map(d => ({leaflet: d.closest('section').dataset.leaflet,
                    lang: d.dataset.lang, text: d.textContent,
                    sections: [...d.querySelectorAll('h3')]
                              .map(h => h.textContent)}))""")
    english = [item for item in details if item["lang"] == "en"
               and item["leaflet"] == "trigger-point-injections"]
    assert english
    assert "Risks and side effects" in english[0]["sections"]
    dutch = [item for item in details if item["lang"] == "nl"
             and item["leaflet"] == "trigger-point-injections"]
    assert "Risico's en bijwerkingen" in dutch[0]["sections"]


def test_review_dates_are_shown(opened):
    page, _rows = opened
    reviews = page.evaluate("""[...document.querySelectorAll('section.leaflet')]
        .map(s => [s.dataset.leaflet, s.querySelector('dd.review').textContent])""")
    for slug, text in reviews:
        assert "2029-11-01" in text, (slug, text)


# --- a leaflet that does not print ------------------------------------------


def write_leaflet(project: Path, slug: str, front: dict[str, str], body: str) -> None:
    source = (project / "leaflets/blood-test.md").read_text(encoding="utf-8")
    head = source.split("\n---\n", 1)[0].replace("slug: blood-test", f"slug: {slug}")
    for key, value in front.items():
        head = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", head)
    (project / "leaflets" / f"{slug}.md").write_text(f"{head}\n---\n{body}",
                                                    encoding="utf-8")


MARKETING = """## What it does

Studies show over 95% success rate. The injection is completely painless.

## When to get help

Call {emergency_phone} if you feel unwell.
"""


def test_the_report_says_why_a_leaflet_is_not_printed(project, cli):
    write_leaflet(project, "overdue", {"published": "2020-01-01",
                                       "review-by": "2022-12-31"},
                  "## When to get help\n\nCall {emergency_phone} if you feel "
                  "unwell.\n")
    write_leaflet(project, "advert", {}, MARKETING)
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    report = project / "build" / "report.html"
    with open_page(report) as page:
        assert page.errors == []
        rows = {(row["leaflet"], row["lang"]): row for row in page.evaluate(ROWS)}
        review = page.evaluate("document.querySelector("
                               "'#leaflet-overdue dd.review').className")
    assert rows["overdue", "en"]["state"] == "not printed"
    assert "review-overdue" in rows["overdue", "en"]["text"]
    assert "overdue" in review.split()
    assert rows["advert", "en"]["state"] == "not printed"
    assert "unsourced-figure" in rows["advert", "en"]["text"]
    assert "guarantee" in rows["advert", "en"]["text"]
    assert rows["blood-test", "en"]["state"] == "printed"
    # not built in Dutch: not translated yet
    assert rows["advert", "nl"]["state"] == "being translated"


def test_leafpress_report_writes_the_report_alone(project, cli):
    run = cli(project, "report")
    assert run.code == 0, run.err
    text = (project / "build/report.html").read_text(encoding="utf-8")
    assert 'data-leaflet="blood-test" data-lang="nl"' in text
    assert "not built" in text  # nothing was printed yet
    assert "<script" not in text


def test_page_counts_come_from_a_cache_that_notices_a_new_pdf(project, cli):
    assert cli(project, "build", "-l", "en").code == 0
    cache = json.loads((project / "build/report/pages.json").read_text())
    assert cache["build/pdf/en/blood-test.pdf"][2] == 1
    pdf = project / "build/pdf/en/blood-test.pdf"
    # another PDF of two pages in its place: the report reads it again
    two = project / "build/two.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_blank_page(200, 200)
    writer.write(two)
    two.replace(pdf)
    assert cli(project, "report").code == 0
    cache = json.loads((project / "build/report/pages.json").read_text())
    assert cache["build/pdf/en/blood-test.pdf"][2] == 2


def test_the_report_counts_days_to_the_review(project, cli):
    soon = datetime.date.today() + datetime.timedelta(days=30)
    write_leaflet(project, "soon", {"published": "2026-01-01",
                                    "review-by": soon.isoformat()},
                  "## When to get help\n\nCall {emergency_phone} if unwell.\n")
    assert cli(project, "report").code == 0
    text = (project / "build/report.html").read_text(encoding="utf-8")
    section = text.split('id="leaflet-soon"', 1)[1].split("</section>", 1)[0]
    assert "due in 30 days" in section


def test_the_report_lints_again_only_what_changed(project, cli):
    assert cli(project, "report").code == 0
    rows = project / "build/report/rows.json"
    kept = json.loads(rows.read_text())
    assert set(kept["rows"]) == {"en/blood-test", "nl/blood-test"}
    assert set(kept["sections"]) == {"blood-test"}
    section = project / "build/report/sections/blood-test.html"
    made = section.stat().st_mtime_ns
    assert cli(project, "report").code == 0
    assert json.loads(rows.read_text()) == kept
    assert section.stat().st_mtime_ns == made, "nothing changed: kept as it was"
    leaflet = project / "leaflets/blood-test.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace(
        "You feel a short prick.", "It is completely painless."), encoding="utf-8")
    assert cli(project, "report").code == 0
    again = json.loads(rows.read_text())["rows"]
    assert again["en/blood-test"]["key"] != kept["rows"]["en/blood-test"]["key"]
    assert section.stat().st_mtime_ns != made
    rules = [finding["rule"] for finding in again["en/blood-test"]["row"]["findings"]]
    assert "guarantee" in rules
    text = (project / "build/report.html").read_text(encoding="utf-8")
    assert "“painless” promises more than a patient leaflet may" in text


def test_a_new_library_release_redoes_every_row_and_thumbnail(project, cli,
                                                              monkeypatch):
    from leafpress import versions
    from leafpress.quality import lint

    assert cli(project, "build", "--variant", "standard").code == 0
    rows = project / "build/report/rows.json"
    thumbnail = project / "build/report/nl/blood-test.jpg"
    kept, drawn = json.loads(rows.read_text()), thumbnail.stat().st_mtime_ns
    linted = []
    real_lint = lint.lint_leaflet
    monkeypatch.setattr(lint, "lint_leaflet",
                        lambda *args, **kw: linted.append(1) or real_lint(*args, **kw))
    assert cli(project, "report").code == 0
    assert linted == [] and json.loads(rows.read_text()) == kept
    assert thumbnail.stat().st_mtime_ns == drawn

    real_version = versions.metadata.version
    monkeypatch.setattr(versions.metadata, "version", lambda name: "99.0"
                        if name == "pypdf" else real_version(name))
    versions.versions.cache_clear()
    try:
        assert cli(project, "report").code == 0
    finally:
        versions.versions.cache_clear()
    assert linted == [1]
    again, kept = json.loads(rows.read_text())["rows"], kept["rows"]
    assert again.keys() == kept.keys()
    assert all(again[key]["key"] != kept[key]["key"] for key in kept)
    assert thumbnail.stat().st_mtime_ns > drawn


def test_the_not_printed_list_says_each_state_once(opened):
    """A leaflet being translated is listed with how far it is, once:
    "being translated (3 of 83 messages done)", not the state and then the
    same words again."""
    page, _rows = opened
    items = page.evaluate("[...document.querySelectorAll('#not-printed li')]"
                          ".map(item => item.innerText)")
    assert items, "the repository has a leaflet being translated"
    for item in items:
        assert item.count("being translated") <= 1, item
    assert any(re.search(r"being translated \(\d+ of \d+ messages done\)", item)
               for item in items), items
