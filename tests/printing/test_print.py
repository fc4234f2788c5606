"""Print-room quality, proved on real builds read back with pypdf: tagged PDFs
in every variant, large print that is set (not enlarged), booklets imposed
in saddle-stitch order, reproducible bytes, accessibility and branding
checks, right-to-left text, missing glyphs and hyphenation.

The measurements here are made with pypdf directly (own text visitor, own
structure-tree walk), not only through :mod:`leafpress.printing.verify`, so that a
mistake in the verifier cannot hide the same mistake in the PDFs.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
import unicodedata
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject

from conftest import (
    BEING_TRANSLATED,
    REPO,
    copy_repo_project,
    drawn,
    make_project,
    run_leafpress,
)
from leafpress.errors import ContentError
from leafpress.model import VARIANTS
from leafpress.printing import accessibility, compose, impose, verify
from leafpress.settings import project as config
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflet

ALL_VARIANTS = ("--variant", "standard", "--variant", "large", "--variant", "booklet")
A4_LANDSCAPE = (841.89, 595.28)
A4, A5 = (595.28, 841.89), (419.53, 595.28)
TAGGED_SUFFIXES = (".pdf", ".large.pdf", ".a5.pdf")


# --- reading PDFs back -----------------------------------------------------


def sizes(pdf: Path) -> list[float]:
    """The size of every character drawn in the PDF (points, rounded)."""
    return [round(piece.size, 1) for page in PdfReader(pdf).pages
            for piece in drawn(page) for char in piece.text if not char.isspace()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


#: The kinds of block that are running text (the translator's comment says).
RUNNING = ("paragraph", "list item", "table cell", "question", "answer")


def running_text(po: Path, translated: bool = True) -> list[str]:
    """The paragraphs, list items, table cells, questions and answers of a
    leaflet as a catalog has them (``translated``: its msgstr, else the
    source), markup removed."""
    with open(po, "rb") as file:
        catalog = read_po(file)
    return [squeeze(re.sub(r"\]\([^)]*\)|[*\[\]]", "",
                           message.string if translated else message.id))
            for message in catalog if message.id and message.auto_comments
            and message.auto_comments[0].startswith(RUNNING)]


def running_sizes(pdf: Path, texts: list[str]) -> list[float]:
    """The size of every character of the running text, found by its text
    (pieces of at least 6 characters, so that nothing else is taken for it)."""
    found = []
    for page in PdfReader(pdf).pages:
        for piece in drawn(page):
            text = squeeze(piece.text.replace("\u2010", ""))
            if len(text) >= 6 and any(text in item for item in texts):
                found += [round(piece.size, 1)] * len(text)
    return found


def page_text(page) -> str:
    return squeeze("".join(piece.text for piece in drawn(page)))


def halves(side, width: float = A4_LANDSCAPE[0]) -> tuple[str, str]:
    """The text on the left and right half of a booklet side."""
    left = "".join(piece.text for piece in drawn(side) if piece.x < width / 2)
    right = "".join(piece.text for piece in drawn(side) if piece.x >= width / 2)
    return squeeze(left), squeeze(right)


def size_of(page) -> tuple[float, float]:
    box = page.mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def structure(node, found=None, seen=None) -> list[tuple[str, str | None]]:
    """(type, alt text) of every element of a structure tree."""
    found = [] if found is None else found
    seen = set() if seen is None else seen
    node = node.get_object() if hasattr(node, "get_object") else node
    if id(node) in seen or not hasattr(node, "get"):
        return found
    seen.add(id(node))
    if node.get("/S") is not None:
        alt = node.get("/Alt")
        found.append((str(node["/S"]), None if alt is None else str(alt)))
    kids = node.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        structure(kid, found, seen)
    return found


def plain_text(pdf: Path) -> str:
    """pypdf's text of a PDF, hyphenated line ends joined, spaces single."""
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = unicodedata.normalize("NFKC", re.sub("\u2010\\s*", "", text))
    return " ".join(text.split())


def english(root: Path, variant: str = "standard", slug: str = "blood-test"):
    """A fixture leaflet composed in English, as the build composes it."""
    project = load_project(root)
    leaflet = read_leaflet(root / f"leaflets/{slug}.md", project.settings.placeholders,
                           root)
    return compose.compose(leaflet, "en", project, lambda msgid, context=None: msgid,
                           None, variant=VARIANTS[variant])


# --- builds shared by this module ------------------------------------------


@pytest.fixture(scope="module")
def fixture_builds(tmp_path_factory) -> Path:
    """The fixture project in every variant, built twice into two folders."""
    root = make_project(tmp_path_factory.mktemp("variants"))
    for folder in ("build", "rebuild"):
        code, log = run_leafpress("-C", str(root), "--build-dir", str(root / folder),
                                  "build", *ALL_VARIANTS)
        assert code == 0, log
    return root


def add_long_leaflet(root: Path, slug: str, paragraphs: int) -> None:
    """The fixture leaflet with more text after it, in English only."""
    source = (root / "leaflets/blood-test.md").read_text(encoding="utf-8")
    source = source.replace("slug: blood-test", f"slug: {slug}").replace(
        "max-pages: 2", "max-pages: 4")
    if not paragraphs:
        (root / f"leaflets/{slug}.md").write_text(source, encoding="utf-8")
        return
    more = "\n\n".join(
        f"Note {number}: after the test you can go home and do what you normally "
        "do. Keep the plaster on for an hour. A small bruise can appear where the "
        "needle went in; it fades within a few days. If the spot bleeds again, "
        "press on it for a few minutes with a clean cloth and keep your arm up."
        for number in range(1, paragraphs + 1))
    (root / f"leaflets/{slug}.md").write_text(
        f"{source}\n## After the test\n\n{more}\n", encoding="utf-8")


#: Leaflets whose A5 copy has 3 and 5 pages (with the cover and the back
#: page): the booklet needs blank pages. (Calibrated with the fonts of
#: fonts-noto-core; the tests check the count.)
LONG = {"three-pages": 0, "five-pages": 9}


@pytest.fixture(scope="module")
def booklets(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("booklets"))
    for slug, paragraphs in LONG.items():
        add_long_leaflet(root, slug, paragraphs)
    code, log = run_leafpress("-C", str(root), "build", "-l", "en",
                              "--variant", "booklet", *LONG)
    assert code == 0, log
    return root


@pytest.fixture(scope="module")
def repo(repo_build) -> Path:
    """The repository's own project, built with its own settings."""
    assert repo_build.code == 0, repo_build.log
    return repo_build.root


def printed(root: Path, build: str = "build") -> list[Path]:
    return sorted((root / build / "pdf").rglob("*.pdf"))


# --- tagged PDFs -----------------------------------------------------------


def test_every_variant_is_tagged_with_its_language(fixture_builds, repo):
    checked = 0
    for pdf in printed(fixture_builds) + printed(repo):
        reader = PdfReader(pdf, strict=True)
        root = reader.trailer["/Root"]
        lang = pdf.parent.name
        assert root.get("/Lang") == lang, pdf
        if pdf.name.endswith(".booklet.pdf"):
            # pypdf drops the tags when imposing: the tagged A5 reading copy
            # lies beside the booklet for screen readers.
            assert pdf.with_name(pdf.name.replace(".booklet", ".a5")).is_file()
            continue
        assert "/StructTreeRoot" in root, pdf
        marked = root["/MarkInfo"].get_object()["/Marked"]
        assert isinstance(marked, BooleanObject) and marked.value is True, pdf
        kinds = {kind for kind, _alt in structure(root["/StructTreeRoot"])}
        assert {"/H1", "/P", "/L"} <= kinds, (pdf, kinds)
        checked += 1
    assert checked == 2 * 3 + 3 * len(printed(repo)) // 4


def test_tables_are_tagged_as_tables(fixture_builds):
    for suffix in TAGGED_SUFFIXES:
        root = PdfReader(fixture_builds / f"build/pdf/nl/blood-test{suffix}").trailer[
            "/Root"]
        kinds = {kind for kind, _alt in structure(root["/StructTreeRoot"])}
        assert {"/Table", "/TR", "/TH", "/TD"} <= kinds, suffix


# --- large print -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_large_print_is_set_at_17_pt_and_clear_print_at_12(fixture_builds, lang):
    folder = fixture_builds / "build/pdf" / lang
    texts = running_text(fixture_builds / "locales/nl/LC_MESSAGES/blood-test.po",
                         translated=lang == "nl")
    standard = running_sizes(folder / "blood-test.pdf", texts)
    large = running_sizes(folder / "blood-test.large.pdf", texts)
    assert len(standard) > 400 and len(large) > 400, "running text found"
    assert set(standard) == {12.0}
    assert set(large) == {17.0}
    # large print is large all over, not only the running text
    everything = sizes(folder / "blood-test.large.pdf")
    assert statistics.median(everything) >= 16.0
    assert sum(size >= 16.0 for size in everything) / len(everything) > 0.75
    # set again, not enlarged: the same paper, more pages
    standard_pdf = PdfReader(folder / "blood-test.pdf")
    large_pdf = PdfReader(folder / "blood-test.large.pdf")
    assert {size_of(page) for page in large_pdf.pages} == {A4}
    assert len(large_pdf.pages) > len(standard_pdf.pages)


def test_arabic_large_print(repo):
    pdf = repo / "build/pdf/ar/trigger-point-aftercare.large.pdf"
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "ar"
    everything = sizes(pdf)
    assert statistics.median(everything) >= 16.0
    assert sum(size >= 16.0 for size in everything) / len(everything) > 0.75
    assert statistics.median(sizes(pdf.with_name("trigger-point-aftercare.pdf"))) < 16


def test_the_a5_reading_copy_is_clear_print_on_a5(fixture_builds):
    pdf = fixture_builds / "build/pdf/en/blood-test.a5.pdf"
    texts = running_text(fixture_builds / "locales/nl/LC_MESSAGES/blood-test.po",
                         translated=False)
    assert set(running_sizes(pdf, texts)) == {12.0}
    assert {size_of(page) for page in PdfReader(pdf).pages} == {A5}


def test_large_print_has_its_own_page_limit(project, cli):
    leaflet = project / "leaflets/blood-test.md"
    source = leaflet.read_text(encoding="utf-8")
    # one page in clear print; large print takes two, within twice max-pages
    leaflet.write_text(source.replace("max-pages: 2", "max-pages: 1"), encoding="utf-8")
    run = cli(project, "build", "-l", "en", *ALL_VARIANTS[:4])
    assert run.code == 0, run.err
    assert len(PdfReader(project / "build/pdf/en/blood-test.large.pdf").pages) == 2

    leaflet.write_text(source.replace("max-pages: 2",
                                      "max-pages: 1\nmax-pages-large: 1"),
                       encoding="utf-8")
    run = cli(project, "build", "-l", "en", "--variant", "large")
    assert run.code == 1
    assert ("build/pdf/en/blood-test.large.pdf: 2 pages, 1 over the limit of 1"
            in run.err), run.err
    assert not (project / "build/pdf/en/blood-test.large.pdf").exists()
    assert (project / "build/pdf/en/blood-test.pdf").is_file(), "--variant large only"


def test_a_short_leaflet_in_clear_print_is_printed(project, cli):
    source = (project / "leaflets/blood-test.md").read_text(encoding="utf-8")
    front = source.split("\n---\n", 1)[0].replace("slug: blood-test", "slug: note")
    (project / "leaflets/note.md").write_text(
        f"{front}\n---\n## Before the test\n\nYou can eat and drink as usual.\n\n"
        "## After the test\n\nKeep the plaster on for an hour.\n\n"
        "## When to get help\n\nCall {clinic_phone} if it bleeds.\n", encoding="utf-8")
    run = cli(project, "build", "-l", "en", "note")
    pdf = project / "build" / ("pdf" if run.code == 0 else "rejected") / "en/note.pdf"
    texts = [squeeze("You can eat and drink as usual."),
             squeeze("Keep the plaster on for an hour.")]
    assert set(running_sizes(pdf, texts)) == {12.0}, "its text is set at 12 pt"
    assert run.code == 0, run.err


# --- booklets --------------------------------------------------------------


@pytest.mark.parametrize(("count", "sides"), [
    (1, [(None, 1), (None, None)]),
    (2, [(2, 1), (None, None)]),
    (4, [(4, 1), (2, 3)]),
    (5, [(5, 1), (2, None), (None, 3), (4, None)]),
    (8, [(8, 1), (2, 7), (6, 3), (4, 5)]),
])
def test_sheet_order(count, sides):
    assert impose.sheet_order(count) == sides


def read_folded(sides: list[tuple]) -> list:
    """The pages in the order a reader meets them once the sides are printed
    two-sided (front, back, front, ...), stacked with the first sheet
    outside, folded and stapled: down the right-hand pages of the front
    halves and left-hand pages of the backs into the middle, then out again."""
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    inward = [page for front, back in sheets for page in (front[1], back[0])]
    outward = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return inward + outward


def test_sheet_order_folds_into_reading_order():
    for count in range(1, 41):
        total = impose.padded(count)
        assert total % 4 == 0 and count <= total < count + 4
        sides = impose.sheet_order(count)
        assert len(sides) == total // 2
        # every page once, in order, and the blanks before the back page
        last = [count] if count > 1 else []
        assert read_folded(sides) == [*range(1, count + 1 - len(last)),
                                      *[None] * (total - count), *last]


def booklet_pairs(root: Path) -> list[tuple[Path, Path]]:
    return [(pdf.with_name(pdf.name.replace(".booklet", ".a5")), pdf)
            for pdf in printed(root) if pdf.name.endswith(".booklet.pdf")]


def assert_imposed(a5: Path, booklet: Path) -> int:
    """The booklet carries the A5 pages two-up on A4 landscape in
    saddle-stitch order; returns the number of blank halves."""
    copy, sides = PdfReader(a5, strict=True), PdfReader(booklet, strict=True).pages
    count = len(copy.pages)
    assert len(sides) == impose.padded(count) // 2, booklet
    pages = [page_text(page) for page in copy.pages]
    assert all(pages) and len(set(pages)) == count, "every A5 page says something"
    blanks = 0
    rtl = Locale.parse(a5.parent.name).text_direction == "rtl"
    for number, (side, (left, right)) in enumerate(
            zip(sides, impose.sheet_order(count, rtl), strict=True), start=1):
        assert size_of(side) == A4_LANDSCAPE, (booklet, number)
        found = halves(side)
        wanted = tuple(pages[page - 1] if page else "" for page in (left, right))
        assert found == wanted, (booklet.name, f"side {number}", left, right)
        blanks += (left is None) + (right is None)
    return blanks


def test_booklets_of_the_fixture_have_blank_pages(fixture_builds):
    for a5, booklet in booklet_pairs(fixture_builds):
        assert len(PdfReader(a5).pages) == 3  # cover, text, back page
        assert assert_imposed(a5, booklet) == 1


@pytest.mark.parametrize(("slug", "count"), [("three-pages", 3), ("five-pages", 5)])
def test_a_booklet_is_padded_with_blank_pages(booklets, slug, count):
    a5 = booklets / f"build/pdf/en/{slug}.a5.pdf"
    assert len(PdfReader(a5).pages) == count, "recalibrate LONG for these fonts"
    blanks = assert_imposed(a5, a5.with_name(f"{slug}.booklet.pdf"))
    assert blanks == impose.padded(count) - count


def test_booklets_of_the_repository(repo):
    pairs = booklet_pairs(repo)
    assert len(pairs) == len(printed(repo)) // 4
    counts = set()
    for a5, booklet in pairs:
        assert_imposed(a5, booklet)
        counts.add(len(PdfReader(a5).pages))
    assert 8 in counts, "a booklet of two sheets without blanks"


def swap_sides(source: Path, target: Path, first: int, second: int) -> None:
    """A copy of a PDF with two pages (1-based) swapped in its page tree."""
    writer = PdfWriter(clone_from=source)
    kids = writer.root_object["/Pages"]["/Kids"]
    kids[first - 1], kids[second - 1] = kids[second - 1], kids[first - 1]
    with open(target, "wb") as file:
        writer.write(file)


def test_verify_catches_sides_out_of_order(booklets, tmp_path):
    a5 = booklets / "build/pdf/en/five-pages.a5.pdf"
    booklet = a5.with_name("five-pages.booklet.pdf")
    document = english(booklets, "booklet", "five-pages")
    assert verify.verify_booklet(booklet, "x.booklet.pdf", a5, document) == []
    swapped = tmp_path / "swapped.booklet.pdf"
    swap_sides(booklet, swapped, 2, 3)  # sides (2, blank) and (blank, 3)
    with pytest.raises(AssertionError, match="side 2"):
        assert_imposed(a5, swapped)
    found = [str(problem) for problem in
             verify.verify_booklet(swapped, "x.booklet.pdf", a5, document)]
    assert sorted(found) == [
        "x.booklet.pdf: side 2: the left half should be A5 page 2",
        "x.booklet.pdf: side 2: the right half should be a blank page",
        "x.booklet.pdf: side 3: the left half should be a blank page",
        "x.booklet.pdf: side 3: the right half should be A5 page 3",
    ]


def test_verify_catches_a_booklet_with_a_side_missing(booklets, tmp_path):
    a5 = booklets / "build/pdf/en/three-pages.a5.pdf"
    short = tmp_path / "short.booklet.pdf"
    writer = PdfWriter(clone_from=a5.with_name("three-pages.booklet.pdf"))
    writer.remove_page(1)
    writer.write(short)
    found = [str(problem) for problem in verify.verify_booklet(
        short, "x.booklet.pdf", a5, english(booklets, "booklet", "three-pages"))]
    assert found == ["x.booklet.pdf: 1 sides for 3 A5 pages; expected 2"]


# --- reproducible files ----------------------------------------------------


def test_the_same_sources_give_the_same_bytes(fixture_builds):
    first = {pdf.relative_to(fixture_builds / "build"): pdf.read_bytes()
             for pdf in printed(fixture_builds)}
    second = {pdf.relative_to(fixture_builds / "rebuild"): pdf.read_bytes()
              for pdf in printed(fixture_builds, "rebuild")}
    assert set(first) == set(second)
    assert len(first) == 2 * 4
    assert {path.name for path in first} >= {"blood-test.booklet.pdf",
                                             "blood-test.large.pdf"}
    assert [str(path) for path in first if first[path] != second[path]] == []
    for path in first:
        # dated by the leaflet's publication date, not by the build
        reader = PdfReader(fixture_builds / "build" / path)
        assert reader.metadata["/CreationDate"].startswith("D:20261001"), path


def test_the_same_sources_give_the_same_bytes_in_another_folder(repo, tmp_path):
    other = copy_repo_project(tmp_path / "elsewhere")
    code, log = run_leafpress("-C", str(other), "build", "-l", "en",
                              "--variant", "standard", "trigger-point-aftercare")
    assert code == 0, log
    name = "build/pdf/en/trigger-point-aftercare.pdf"
    assert (other / name).read_bytes() == (repo / name).read_bytes()


# --- accessibility, before printing ----------------------------------------


def test_a_composed_leaflet_passes_every_rule(project):
    assert accessibility.check(english(project), "x.html") == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda html: html.replace("</main>", "<h1>Also a title</h1></main>"),
     "2 level-1 headings; a leaflet has exactly one (its title)"),
    (lambda html: html.replace("<h2>Before the test</h2>",
                               "<h4>Before the test</h4>"),
     "heading “Before the test” is level 4 after level 1; do not skip a level"),
    (lambda html: html.replace("</main>", '<img src="images/arm.png"></main>'),
     "image 'images/arm.png' has no alt text"),
    (lambda html: html.replace("</main>", '<img src="arm.png" alt=" "></main>'),
     "image 'arm.png' has no alt text"),
    (lambda html: re.sub(r"<title>.*?</title>", "", html),
     "the document has no <title>"),
    (lambda html: re.sub(r"<title>.*?</title>", "<title> </title>", html),
     "the document has no <title>"),
    (lambda html: html.replace('<html lang="en"', '<html lang="nl"'),
     '<html lang="nl"> should be lang="en"'),
    (lambda html: html.replace(' dir="ltr">', ' dir="rtl">', 1),
     '<html dir="rtl"> should be dir="ltr"'),
], ids=["two h1", "skipped level", "img without alt", "blank alt",
        "no title", "empty title", "wrong lang", "wrong dir"])
def test_each_accessibility_rule_fails_its_html(project, change, message):
    document = english(project)
    broken = dataclasses.replace(document, html=change(document.html))
    assert broken.html != document.html
    found = [str(problem) for problem in accessibility.check(broken, "x.html")]
    assert found == [f"x.html: accessibility: {message}"]


def test_an_inaccessible_template_stops_the_pdf(project, cli):
    template = project / "templates/leaflet.html"
    html = template.read_text(encoding="utf-8")
    assert html.count("<h1>{{ title }}</h1>") == 1
    template.write_text(html.replace("<h1>{{ title }}</h1>", "<p>{{ title }}</p>"),
                        encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert ("build/html/en/blood-test.html: accessibility: 0 level-1 headings; a "
            "leaflet has exactly one (its title)") in run.err, run.err
    assert not (project / "build/pdf/en/blood-test.pdf").exists()


# --- branding --------------------------------------------------------------


def test_contrast_ratio():
    assert config.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert config.contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert config.contrast("#0b4f8a", "#0b4f8a") == pytest.approx(1.0)
    # the lightest grey that passes 4.5:1 on white, and the next one
    assert config.contrast("#767676", "#ffffff") >= config.MIN_CONTRAST
    assert config.contrast("#777777", "#ffffff") < config.MIN_CONTRAST


def add_to_table(project: Path, table: str, lines: str) -> None:
    """Add lines to a table of the fixture's leafpress.toml (created at the end
    when missing)."""
    toml = project / "leafpress.toml"
    text = toml.read_text(encoding="utf-8")
    header = f"[{table}]\n"
    text = (text.replace(header, header + lines, 1) if header in text
            else f"{text}\n{header}{lines}")
    toml.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("branding", "message"), [
    ('accent = "#aaaaaa"\n',
     "[branding] accent #aaaaaa on #ffffff has a contrast of 2.32:1, below 4.5:1"),
    ('text = "#999999"\n',
     "[branding] text #999999 on #ffffff has a contrast of 2.85:1, below 4.5:1"),
    ('background = "#0b4f8a"\naccent = "#ffffff"\n',
     "[branding] text #1a1a1a on #0b4f8a has a contrast of 2.07:1, below 4.5:1"),
])
def test_low_contrast_is_a_settings_error_naming_the_colours(project, cli, branding,
                                                             message):
    add_to_table(project, "branding", branding)
    run = cli(project, "build")
    assert run.code == 1
    assert f"leafpress.toml: {message}" in run.err, run.err
    assert not (project / "build/pdf").exists()


def test_enough_contrast_is_accepted(project):
    add_to_table(project, "branding", 'accent = "#767676"\ntext = "#000000"\n')
    branding = load_project(project).settings.branding
    assert (branding.accent, branding.text) == ("#767676", "#000000")


@pytest.mark.parametrize("alt", [None, '"  "'])
def test_a_logo_needs_alt_text(project, cli, alt):
    lines = 'logo = "images/lindenhof-logo.svg"\n'
    if alt is not None:
        lines += f"logo-alt = {alt}\n"
    add_to_table(project, "organisation", lines)
    with pytest.raises(ContentError) as error:
        load_project(project)
    assert [str(problem).replace(str(project) + "/", "")
            for problem in error.value.problems] == [
        "leafpress.toml: [organisation] logo needs logo-alt: the text a screen "
        "reader says"]
    assert cli(project, "build").code == 1


def test_a_missing_logo_is_an_error(project):
    add_to_table(project, "organisation",
                 'logo = "images/nowhere.svg"\nlogo-alt = "Test Clinic"\n')
    with pytest.raises(ContentError, match="logo 'images/nowhere.svg' not found"):
        load_project(project)


def figures(pdf: Path) -> list[str | None]:
    tree = PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]
    return [alt for kind, alt in structure(tree) if kind == "/Figure"]


def test_the_logo_is_a_figure_with_its_alt_text(repo):
    tagged = [pdf for pdf in printed(repo) if not pdf.name.endswith(".booklet.pdf")]
    assert len(tagged) == 3 * len(printed(repo)) // 4
    for pdf in tagged:
        assert figures(pdf) == ["Lindenhof Clinic"], pdf
        html = (repo / "build/html" / pdf.parent.name / pdf.name).with_suffix(".html")
        assert ('<img class="logo" src="images/lindenhof-logo.svg" '
                'alt="Lindenhof Clinic">') in html.read_text(encoding="utf-8"), html


@pytest.fixture(scope="module")
def rivierduin(tmp_path_factory):
    """The repository's leaflets printed for the clinic in clinics/rivierduin,
    with the .po files' bytes from before."""
    root = copy_repo_project(tmp_path_factory.mktemp("clinic") / "repo", "clinics")
    before = {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}
    code, log = run_leafpress("-C", str(root), "--clinic",
                              str(root / "clinics/rivierduin"), "--build-dir",
                              str(root / "build/rivierduin"), "build",
                              "--variant", "standard")
    assert code == 0, log
    return root, before


def test_another_clinic_prints_its_own_name_and_numbers(rivierduin):
    root, _before = rivierduin
    assert [path.name for path in (root / "build").iterdir()] == ["rivierduin"]
    pdfs = sorted((root / "build/rivierduin/pdf").rglob("*.pdf"))
    slugs = [path.stem for path in (REPO / "leaflets").glob("*.md")]
    languages = load_project(REPO).settings.languages
    assert len(pdfs) == len(slugs) * len(languages) - len(BEING_TRANSLATED)
    project = load_project(REPO)
    organisation = read_leaflet(REPO / f"leaflets/{slugs[0]}.md",
                                project.settings.placeholders, REPO).meta.organisation
    for pdf in pdfs:
        text = plain_text(pdf)
        pages = len(PdfReader(pdf).pages)
        # the masthead, and the header of every page after the first
        assert text.count("Rivierduin Hospital") >= pages, pdf
        assert "071 555 0100" in text, pdf
        assert "pijnteam@rivierduin-hospital.example" in text, pdf
        assert "030 123 4567" not in text, pdf
        # Lindenhof only as the author of the leaflet, from its front matter
        # ("Written by: ... (Lindenhof Clinic)"), never as the clinic that prints
        assert organisation == "Lindenhof Clinic"
        rest = re.sub(r"[()]Lindenhof Clinic[()]", "", text)
        assert "lindenhof" not in rest.lower(), (pdf, rest)
        assert figures(pdf) == ["Rivierduin Hospital"], pdf


def test_another_clinic_leaves_the_translations_untouched(rivierduin):
    root, before = rivierduin
    assert {path: path.read_bytes() for path in before} == before


def test_extract_and_update_for_another_clinic_leave_the_catalogs_alone(tmp_path):
    root = copy_repo_project(tmp_path / "repo", "clinics")
    files = sorted((root / "locales").rglob("*.po*"))
    before = {path: path.read_bytes() for path in files}
    clinic = ("-C", str(root), "--clinic", str(root / "clinics/rivierduin"),
              "--build-dir", str(root / "build/rivierduin"))
    assert run_leafpress(*clinic, "extract")[0] == 0
    assert run_leafpress(*clinic, "update")[0] == 0
    changed = [str(path.relative_to(root)) for path in files
               if path.read_bytes() != before[path]]
    assert changed == []


# --- right-to-left ---------------------------------------------------------


def arabic(msgid: str, context: str | None = None) -> str:
    po = REPO / "locales/ar/LC_MESSAGES/trigger-point-aftercare.po"
    with open(po, "rb") as file:
        message = read_po(file).get(msgid, context=context)
    assert message is not None and message.string, msgid
    return message.string


def test_arabic_aftercare_is_right_to_left(repo):
    html = (repo / "build/html/ar/trigger-point-aftercare.html").read_text(
        encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    # values and numbers with units stay left-to-right inside the line
    assert '<span class="value" dir="ltr">030 123 4567</span>' in html
    assert '<span class="nobreak" dir="ltr">38 °C</span>' in html
    for suffix in (".pdf", ".large.pdf", ".a5.pdf"):
        pdf = repo / f"build/pdf/ar/trigger-point-aftercare{suffix}"
        reader = PdfReader(pdf, strict=True)
        assert reader.trailer["/Root"]["/Lang"] == "ar"
        assert reader.metadata["/Title"] == arabic(
            "After your trigger point injection", "title")
        text = plain_text(pdf)
        for msgid, context in (("After your trigger point injection", "title"),
                               ("When to call", None), ("Contact", None)):
            for word in unicodedata.normalize("NFKC", arabic(msgid, context)).split():
                assert word.strip("؟?:.") in text, (suffix, word)
        # the phone number reads 030 123 4567, not in mirrored groups
        assert re.search(r"030 123 4567", text), suffix
        assert "4567 123 030" not in text
        assert "38 °C" in text


def test_arabic_injections_leaflet_is_skipped_until_translated(repo_build):
    assert repo_build.code == 0
    assert re.search(r"^  ar/trigger-point-injections \(4 files\): the leaflet is "
                     r"being translated \(\d+ of \d+ messages done\)$",
                     repo_build.log, re.M), repo_build.log
    assert not list((repo_build.root / "build/pdf/ar").glob("*injections*"))
    html = repo_build.root / "build/html/ar"
    assert not list(html.glob("trigger-point-injections*"))


# --- fonts and hyphenation -------------------------------------------------


def test_a_character_no_font_has_stops_the_pdf_naming_its_source(project, cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    text = po.read_text(encoding="utf-8")
    assert text.count('"duurt ongeveer 5 minuten."') == 1
    po.write_text(text.replace('"duurt ongeveer 5 minuten."',
                               '"duurt ongeveer 5 minuten. \U0001FAE8"'),
                  encoding="utf-8")
    lines = (project / "leaflets/blood-test.md").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, start=1)
                if text.startswith("The nurse puts a band"))
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert re.search(r"build/html/nl/blood-test\.html: no font has the character "
                     r"U\+1FAE8 \(.*\) in paragraph from "
                     rf"leaflets/blood-test\.md:{line}: "
                     "“De verpleegkundige doet een band", run.err), run.err
    assert not (project / "build/pdf/nl/blood-test.pdf").exists()


def test_no_hyphenation_in_clear_print(repo):
    # [print] hyphenate turns it on where pyphen has a dictionary (see
    # tests/printing/test_values.py)
    html = repo / "build/html"
    for lang, hyphens in (("nl", "manual"), ("en", "manual"), ("ar", "manual")):
        pages = sorted((html / lang).glob("*.html"))
        assert pages, lang
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert re.findall(r"^\s*hyphens: (\w+);", text, re.M) == [hyphens], page
