"""Booklets in the reading direction, with a cover and a back page; short
lists and the "when to get help" section kept whole; large-print running
heads at the size of the text.

Proved on real builds read back with pypdf: the repository's own leaflets
(the shared ``repo_build``) and, for a section longer than a page, a fixture
leaflet. Text is located with an own pypdf visitor (text matrix times
drawing matrix), not through :mod:`leafpress.printing.verify`.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from conftest import Drawn, drawn, make_project, run_leafpress
from leafpress.model import PAPERS, VARIANTS
from leafpress.printing import compose, impose, readback, render, verify
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflet

WIDTH = impose.A4_LANDSCAPE[0]
MM = 72 / 25.4
#: Large-print running heads may be this much smaller than the text (points).
HEAD_SLACK = 1.0


# --- reading pages back ----------------------------------------------------


def pieces(page) -> list[Drawn]:
    """Every piece of text of a page that is not only white space."""
    return [piece for piece in drawn(page) if piece.text.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u2010", ""))


def text_of(page) -> str:
    return squeeze("".join(piece.text for piece in pieces(page)))


def halves(side) -> tuple[str, str]:
    """The text on the left and on the right half of a booklet side."""
    found = pieces(side)
    return (squeeze("".join(piece.text for piece in found if piece.x < WIDTH / 2)),
            squeeze("".join(piece.text for piece in found if piece.x >= WIDTH / 2)))


def in_margins(page, paper) -> list[Drawn]:
    """The pieces in the top and bottom margins: the running header and footer."""
    top = float(page.mediabox.height) - paper.margin_top * MM
    return [piece for piece in pieces(page)
            if piece.y > top or piece.y < paper.margin_bottom * MM]


def page_of(pages: list[str], text: str) -> int:
    """The 1-based page whose text has ``text`` (spaces ignored)."""
    found = [number for number, page in enumerate(pages, start=1)
             if squeeze(text) in page]
    assert len(found) == 1, (text, found)
    return found[0]


def on_one_spread(numbers: set[int]) -> bool:
    """One page, or two pages that face each other in a booklet whose page 1
    is its cover (2 and 3, 4 and 5...)."""
    return len({number // 2 for number in numbers}) == 1


@pytest.fixture(scope="module")
def pdfs(repo_build) -> Path:
    """The repository's PDFs (every language and variant, built once)."""
    assert repo_build.code == 0, repo_build.log
    return repo_build.root / "build/pdf"


def reader(pdfs: Path, name: str) -> PdfReader:
    return PdfReader(pdfs / name, strict=True)


def booklet_document(root: Path, slug: str):
    """The repository's leaflet composed in English as the A5 booklet copy."""
    project = load_project(root)
    leaflet = read_leaflet(root / f"leaflets/{slug}.md",
                           project.settings.placeholders, root)
    return compose.compose(leaflet, "en", project, lambda msgid, context=None: msgid,
                           None, variant=VARIANTS["booklet"])


# --- the reading direction -------------------------------------------------


def test_a_right_to_left_booklet_is_mirrored():
    assert impose.sheet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert impose.sheet_order(8, rtl=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]
    assert impose.sheet_order(3, rtl=True) == [(1, 3), (None, 2)]
    for count in range(1, 25):
        assert impose.sheet_order(count, rtl=True) == [
            (right, left) for left, right in impose.sheet_order(count)]


@pytest.mark.parametrize(("lang", "slug", "half"), [
    ("ar", "trigger-point-aftercare", 0),
    ("en", "trigger-point-aftercare", 1),
    ("en", "trigger-point-injections", 1),
])
def test_page_1_is_on_the_half_the_booklet_opens_from(pdfs, lang, slug, half):
    """The Arabic booklet's first sheet carries page 1 on its left half, the
    English one on its right; the other half is the back page."""
    a5 = reader(pdfs, f"{lang}/{slug}.a5.pdf").pages
    first = halves(reader(pdfs, f"{lang}/{slug}.booklet.pdf").pages[0])
    assert first[half] == text_of(a5[0])
    assert first[1 - half] == text_of(a5[-1])


@pytest.mark.parametrize(("lang", "direction"), [("ar", "/R2L"), ("en", None)])
def test_a_right_to_left_pdf_says_so_to_viewers(pdfs, lang, direction):
    for suffix in (".a5.pdf", ".booklet.pdf", ".pdf", ".large.pdf"):
        root = reader(pdfs, f"{lang}/trigger-point-aftercare{suffix}").trailer["/Root"]
        preferences = root.get("/ViewerPreferences")
        found = preferences.get_object().get("/Direction") if preferences else None
        assert found == direction, suffix


# --- cover, back page and blanks ------------------------------------------


def test_the_a5_copy_has_a_cover_and_a_back_page(pdfs):
    copy = reader(pdfs, "en/trigger-point-injections.a5.pdf")
    pages = [text_of(page) for page in copy.pages]
    cover, back = pages[0], pages[-1]
    for text in ("Lindenhof Clinic", "Trigger point injections for back pain",
                 "This leaflet is for people who have been offered"):
        assert squeeze(text) in cover
    assert "/XObject" in copy.pages[0]["/Resources"], "the logo"
    for text in ("Questions or worries? Call the pain clinic", "030 123 4567",
                 "pijnpoli@lindenhof-clinic.example", "Version: 1.0.0",
                 "Published: 1 November 2026", "Next review: 1 November 2029"):
        assert squeeze(text) in back
    # no running header or footer on the cover and back page; every page
    # between them has its page number
    count = len(pages)
    paper = PAPERS["A5"]
    assert not in_margins(copy.pages[0], paper) and not in_margins(copy.pages[-1],
                                                                   paper)
    for number in range(2, count):
        assert f"Page{number}of{count}" in pages[number - 1]


@pytest.mark.parametrize(("lang", "sides"), [
    ("en", [("back", "cover"), ("text", "")]),
    ("ar", [("cover", "back"), ("", "text")]),
])
def test_a_blank_page_goes_before_the_back_page(pdfs, lang, sides):
    """The aftercare A5 copy has 3 pages: the blank is page 3 of the folded
    booklet, inside the back page, facing the text."""
    a5 = [text_of(page) for page in
          reader(pdfs, f"{lang}/trigger-point-aftercare.a5.pdf").pages]
    assert len(a5) == 3
    names = {"cover": a5[0], "text": a5[1], "back": a5[2], "": ""}
    booklet = reader(pdfs, f"{lang}/trigger-point-aftercare.booklet.pdf").pages
    assert [halves(side) for side in booklet] == [
        (names[left], names[right]) for left, right in sides]


# --- keeping things together -----------------------------------------------


def test_call_112_and_its_list_stay_on_one_page(pdfs):
    """The injections leaflet's "when to get help" section, with "Call 112
    straight away if:" and its list, on one page (or spread) of the A5 copy."""
    pages = [text_of(page) for page in
             reader(pdfs, "en/trigger-point-injections.a5.pdf").pages]
    found = {page_of(pages, text) for text in (
        "When to get help straight away",
        "Call the pain clinic on 030 123 4567 if you have a fever",
        "Call 112 straight away if:",
        "You suddenly find it hard to breathe, or you have chest pain.",
        "You lose control over your bladder or bowels.")}
    assert on_one_spread(found), found


def test_what_is_kept_together_in_the_html(repo_build):
    html = booklet_document(repo_build.root, "trigger-point-injections").html
    section = re.search(r'<section class="keep" data-keep="\d+">\s*<h2 id="get-help">'
                        r"(.*?)</section>", html, re.S)
    assert section, "the get-help section is kept"
    call = re.search(r'<div class="keep" data-keep="\d+">\s*<p>Call .*?112.*? '
                     r"straight away if:</p>\s*<ul>(.*?)</ul>\s*</div>", section[1],
                     re.S)
    assert call and call[1].count("<li>") == 4
    # a longer list keeps only its lead-in with its first item
    assert '<p class="lead-in">Please tell the doctor or nurse if:</p>' in html
    # the contact section moves to the back page, after "About this leaflet"
    assert html.index('<section class="about">') < html.index(
        '<section class="back-page">') < html.index('<h2 id="contact">')


#: Paragraphs before a "when to get help" section that is longer than an A5
#: page: they end on page 2, below them the whole section does not fit, so
#: kept whole it would start on page 3 and run on to page 4, over a page
#: turn. (Calibrated with the fonts of fonts-noto-core; the test checks that
#: layout.)
FILLER = 2
#: Paragraphs of that section, after its list.
ADVICE = 5
SENTENCE = ("If the spot bleeds again, press on it for a few minutes with a clean "
            "cloth and keep your arm up. ")


def long_help_leaflet(root: Path) -> None:
    source = (root / "leaflets/blood-test.md").read_text(encoding="utf-8")
    front = source[:source.index("---", 4) + 4]
    front = front.replace("slug: blood-test", "slug: long-help").replace(
        "max-pages: 2", "max-pages: 4")
    filler = "\n\n".join(f"Note {number}: after the test you can go home. "
                         + SENTENCE * 3 for number in range(1, FILLER + 1))
    help_text = "\n\n".join(f"Advice {number}: " + SENTENCE * 3
                            for number in range(1, ADVICE + 1))
    (root / "leaflets/long-help.md").write_text(
        f"{front}## After the test\n\n{filler}\n\n## When to get help\n\n"
        "Call {emergency_phone} straight away if:\n\n- you faint\n- your arm swells\n"
        f"- the bleeding does not stop\n\n{help_text}\n", encoding="utf-8")


def many_sources_leaflet(root: Path) -> None:
    """The fixture leaflet with more sources than the back page can hold."""
    source = (root / "leaflets/blood-test.md").read_text(encoding="utf-8")
    sources = "".join(f"  - Source {number}. A review of blood tests in adults, "
                      "with the long title it has in its journal, 2024.\n"
                      for number in range(1, 25))
    (root / "leaflets/many-sources.md").write_text(
        source.replace("slug: blood-test", "slug: many-sources").replace(
            "  - Thuisarts.nl, Bloed prikken.\n", sources), encoding="utf-8")


@pytest.fixture(scope="module")
def long_help(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("long-help"))
    long_help_leaflet(root)
    many_sources_leaflet(root)
    code, log = run_leafpress("-C", str(root), "build", "-l", "en",
                              "--variant", "booklet", "long-help", "many-sources")
    assert code == 0, log
    return root


def test_a_section_longer_than_a_page_moves_on_to_a_spread(long_help):
    from weasyprint import HTML

    html = long_help / "build/html/en/long-help.a5.html"
    laid_out = HTML(filename=html, base_url=str(long_help / "templates") + "/").render()
    assert render.turned(laid_out), "recalibrate FILLER: nothing to move"
    pages = [text_of(page) for page in
             reader(long_help / "build/pdf", "en/long-help.a5.pdf").pages]
    start, end = page_of(pages, "When to get help"), page_of(pages, f"Advice {ADVICE}:")
    assert end == start + 1 and start % 2 == 0, (start, end)
    assert page_of(pages, f"Note {FILLER}:") == start  # below the text before


def test_about_this_leaflet_goes_inside_when_the_back_page_cannot_hold_it(
        long_help):
    pages = [text_of(page) for page in
             reader(long_help / "build/pdf", "en/many-sources.a5.pdf").pages]
    back = pages[-1]
    assert squeeze("Next review: 1 October 2028") in back
    assert "Source" not in back
    assert page_of(pages, "About this leaflet") < len(pages)
    assert page_of(pages, "Source 24.") < len(pages)


# --- large print -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_large_print_running_heads_are_as_large_as_the_text(pdfs, lang):
    """Header and footer at least the body size less :data:`HEAD_SLACK`
    (16 pt against 17 pt), not 13 pt."""
    large = VARIANTS["large"]
    assert large.footer_pt >= large.body_pt - HEAD_SLACK
    copy = reader(pdfs, f"{lang}/trigger-point-aftercare.large.pdf")
    sizes = {round(piece.size, 1) for page in copy.pages
             for piece in in_margins(page, PAPERS["A4"])}
    assert sizes and min(sizes) >= large.body_pt - HEAD_SLACK, sizes


# --- verification knows about covers --------------------------------------


def test_the_page_limit_leaves_out_cover_and_back_page(pdfs, repo_build):
    path = pdfs / "en/trigger-point-injections.a5.pdf"
    document = booklet_document(repo_build.root, "trigger-point-injections")
    count = len(PdfReader(path).pages)

    def limit(pages: int) -> list[str]:
        found = verify.verify(path, "x.a5.pdf", dataclasses.replace(
            document, max_pages=pages)).problems
        return [str(problem) for problem in found if "limit" in str(problem)]

    assert limit(count - 2) == []
    assert limit(count - 3) == [
        f"x.a5.pdf: {count - 2} pages besides the cover and back page, 1 over the "
        f"limit of {count - 3} (max-pages-booklet); shorten the text"]


def test_a_back_page_that_runs_over_is_reported(pdfs, repo_build, tmp_path):
    path = pdfs / "en/trigger-point-injections.a5.pdf"
    document = booklet_document(repo_build.root, "trigger-point-injections")
    writer = PdfWriter(clone_from=path)
    writer.insert_page(writer.pages[-1], len(writer.pages) - 1)
    longer = tmp_path / "longer.a5.pdf"
    writer.write(longer)
    pdf = readback.read_pdf(longer, "x.a5.pdf", document.paper)
    assert [str(problem) for problem in verify.cover_and_back_page(pdf, document)] == [
        "x.a5.pdf: page 8: a page without a running header or footer inside the "
        "booklet: does the back page run over onto a second page?"]
    standard = readback.read_pdf(pdfs / "en/trigger-point-injections.pdf", "x.pdf",
                                 document.paper)
    assert "x.pdf: page 1: the cover has a running header or footer" in [
        str(problem) for problem in verify.cover_and_back_page(standard, document)]


def test_the_booklet_verifier_knows_the_direction(pdfs, repo_build):
    a5 = (pdfs / "en/trigger-point-aftercare.a5.pdf").read_bytes()
    ltr = booklet_document(repo_build.root, "trigger-point-aftercare")
    rtl = dataclasses.replace(ltr, direction="rtl")
    mirrored = impose.booklet(a5, rtl)
    assert verify.verify_booklet(mirrored, "x.booklet.pdf", a5, rtl) == []
    found = [str(problem) for problem in
             verify.verify_booklet(mirrored, "x.booklet.pdf", a5, ltr)]
    assert found[0] == ("x.booklet.pdf: /ViewerPreferences /Direction is '/R2L' "
                        "in a ltr booklet")
    assert "x.booklet.pdf: side 1: the left half should be A5 page 3" in found


def test_the_sides_draw_the_a5_pages_as_form_xobjects(pdfs, repo_build):
    """Each side draws its A5 pages as Form XObjects holding their content
    streams as they are (nothing parsed and written out again, nothing of
    a page copied into the side's own stream), the A5 resources are cloned
    once, and the same A5 PDF gives the same booklet, from bytes or from a
    reader already open on it."""
    a5 = (pdfs / "en/trigger-point-injections.a5.pdf").read_bytes()
    document = booklet_document(repo_build.root, "trigger-point-injections")
    copy = PdfReader(io.BytesIO(a5), strict=True)
    made = impose.booklet(copy, document)
    assert impose.booklet(copy, document) == made
    assert impose.booklet(a5, document) == made
    booklet = PdfReader(io.BytesIO(made), strict=True)
    resources = set()
    for side, pair in zip(booklet.pages, impose.sheet_order(len(copy.pages)),
                          strict=True):
        numbers = [number for number in pair if number]
        forms = side["/Resources"]["/XObject"]
        assert sorted(forms) == sorted(f"/P{number}" for number in numbers)
        drawn = side["/Contents"].get_object().get_data()
        draw = rb"q 1 0 0 1 [\d.]+ [\d.]+ cm /P\d+ Do Q"
        assert re.fullmatch(draw + rb"(\n" + draw + rb")?", drawn), drawn
        for number in numbers:
            form = forms[f"/P{number}"].get_object()
            page = copy.pages[number - 1]
            contents = page["/Contents"].get_object()
            assert (form["/Type"], form["/Subtype"]) == ("/XObject", "/Form")
            assert list(form["/BBox"]) == list(page.mediabox)
            assert form.get("/Filter") == contents.get("/Filter")
            assert form.get_data() == contents.get_data()
            resources.add(form.raw_get("/Resources").idnum)
    assert len(resources) == len({page.raw_get("/Resources").idnum
                                  for page in copy.pages})


def test_a_right_to_left_pdf_without_its_direction_is_reported(pdfs, repo_build):
    writer = PdfWriter(clone_from=pdfs / "ar/trigger-point-aftercare.a5.pdf")
    del writer.root_object[NameObject("/ViewerPreferences")][NameObject("/Direction")]
    output = io.BytesIO()
    writer.write(output)
    document = dataclasses.replace(
        booklet_document(repo_build.root, "trigger-point-aftercare"), direction="rtl")
    pdf = readback.read_pdf(output.getvalue(), "x.a5.pdf", document.paper)
    assert [str(problem) for problem in verify.reading_direction(pdf, document)] == [
        "x.a5.pdf: /ViewerPreferences /Direction is None, expected /R2L for a "
        "right-to-left language"]
