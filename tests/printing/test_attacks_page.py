"""The page as a reader sees it: faults planted in real PDFs are refused by
verification with their page and what is wrong, and the repository's own
PDFs pass.

Faults are planted where an attacker would put them: in the HTML and CSS a
leaflet is printed from (an extra style sheet, tampered HTML, a translation),
which WeasyPrint renders and :mod:`leafpress.printing.verify` reads back. What CSS
cannot make (a text render mode, a script run on opening, a launch action)
is planted in a real PDF with pypdf.
"""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from conftest import make_project, repo_pdfs
from leafpress.model import VARIANTS
from leafpress.pipeline.check import check
from leafpress.pipeline.snapshot import Snapshot
from leafpress.printing import compose, pdftext, readback, render, textrun, verify
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflet

PDF = "build/pdf/en/blood-test.pdf"
#: The paragraph with the clinic's phone number and the emergency number.
HELP = "leaflets/blood-test.md:37"
#: A 1x1 white PNG, as a data: URL (the sandbox lets data: through).
WHITE_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADU"
             "lEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==")
NBSP = "\u00a0"


@dataclasses.dataclass(frozen=True)
class Fixture:
    project: object
    leaflet: object
    document: object


@dataclasses.dataclass(frozen=True)
class Printed:
    """A rendered PDF, what verification said of it, and its document."""

    problems: list[str]
    pdf: bytes
    document: object


@pytest.fixture(scope="module")
def fixture(tmp_path_factory) -> Fixture:
    """The English fixture leaflet, composed once."""
    root = make_project(tmp_path_factory.mktemp("page"))
    project = load_project(root)
    leaflet = read_leaflet(root / "leaflets/blood-test.md",
                           project.settings.placeholders, root)
    document = compose.compose(leaflet, "en", project,
                               lambda msgid, context=None: msgid, None)
    return Fixture(project, leaflet, document)


def printed(fixture: Fixture, css: str = "", change=None, translate=None,
            draft: bool = False, variant: str = "standard") -> Printed:
    """Print the fixture leaflet (with an extra style sheet, a change to its
    HTML or a translation) and verify it, as a build does."""
    document = fixture.document
    if translate is not None or draft or variant != "standard":
        document = compose.compose(fixture.leaflet, "en", fixture.project,
                                   translate or (lambda msgid, context=None: msgid),
                                   None, draft=draft, variant=VARIANTS[variant])
    html = document.html
    if css:
        html = html.replace("</head>", f"<style>{css}</style>\n</head>")
    if change is not None:
        html = change(html)
    document = dataclasses.replace(document, html=html)
    result = render.render_pdf(render.task_for(document, fixture.project, 0,
                                               draft=draft))
    assert result.pdf is not None, result.problems
    return Printed([str(problem) for problem in result.problems], result.pdf,
                   document)


def has(problems: list[str], pattern: str) -> None:
    """Some problem matches ``pattern`` (a regular expression) in full."""
    assert any(re.fullmatch(pattern, problem) for problem in problems), (
        f"no problem like {pattern!r} in:\n" + "\n".join(problems))


def page_1(message: str) -> str:
    return re.escape(f"{PDF}: page 1: {message}")


def test_the_fixture_prints_clean(fixture):
    """The harness itself changes nothing: without a fault, no problem."""
    assert printed(fixture).problems == []


def test_a_draft_with_its_faint_mark_prints(fixture):
    """The DRAFT mark is faint on purpose (25% red) and drawn over the text:
    it is the one text the contrast check lets through."""
    assert printed(fixture, draft=True).problems == []


# --- 5. text pushed off the page -------------------------------------------


def test_no_break_spaces_push_a_dose_off_the_page(fixture):
    """The red-team case: a translation puts 400 no-break spaces before
    "max 4 times a day"; the line cannot break, and the words land far to the
    right of the A4 page."""
    def translate(msgid, context=None):
        if msgid.startswith("The nurse puts a band"):
            return "The nurse puts a band around your arm." + NBSP * 400 + (
                "Take max 4 times a day.")
        return msgid

    problems = printed(fixture, translate=translate).problems
    has(problems, page_1("text drawn off the page (x 51 to ") + r"\d{4} pt, y \d+ to "
        r"\d+ pt; the page is 595 x 842 pt\): “arm\. Take”")
    has(problems, page_1("paragraph from leaflets/blood-test.md:28 cannot be read "
                         "(text drawn off the page") + r".*" + re.escape(
        "“The nurse puts a band around your arm. Take max 4 times a d…”"))


@pytest.mark.parametrize("css, message", [
    (".value { letter-spacing: 300px }", "text drawn off the page (x "),
    (".value { position: relative; left: 3000px }", "text drawn off the page (x "),
    (".value { position: relative; top: -2000px }", "text drawn off the page (x "),
], ids=["letter-spacing", "pushed right", "pushed up"])
def test_text_moved_off_the_page(fixture, css, message):
    problems = printed(fixture, css).problems
    has(problems, page_1(message) + r".*“030 111 2222”")


def test_text_clipped_away(fixture):
    problems = printed(fixture, ".value { display: inline-block; overflow: hidden;"
                       " width: 0 }").problems
    has(problems, page_1("text clipped away (drawn at x ") + r"\d+ to \d+ pt, shown "
        r"only within x (\d+) to \1, y \d+ to \d+ pt\): “030 111 2222”")


# --- 1. text a reader cannot see --------------------------------------------


@pytest.mark.parametrize("css, message", [
    (".value { color: #fff }", "text in #ffffff on #ffffff: contrast 1.00:1, below "
     "4.5:1"),
    (".value { color: rgba(0, 0, 0, 0.05) }", "text in #000000 at 5% opacity on "
     "#ffffff: contrast 1.12:1, below 4.5:1"),
    (".value { color: transparent }", "text in #000000 at 0% opacity on #ffffff: "
     "contrast 1.00:1, below 4.5:1"),
    (".value { color: lab(80% 0 0) }", "text in #c6c6c6 on #ffffff: contrast "
     "1.71:1, below 4.5:1"),
    (".value { color: device-cmyk(0 0 0 0.1) }", "text in #e6e6e6 on #ffffff: "
     "contrast 1.25:1, below 4.5:1"),
    (".value { background: #1a1a1a; border-radius: 4px }", "text in #1a1a1a on "
     "#1a1a1a: contrast 1.00:1, below 4.5:1"),
    (f".value {{ background: url({WHITE_PNG}); color: white }}", "text over an "
     "image or pattern whose colour cannot be checked"),
    (".value { background: linear-gradient(white, white); color: white }",
     "text over an image or pattern whose colour cannot be checked"),
    (".value { font-size: 1px }",
     "text 0.75 pt in size (the smallest allowed is 9 pt)"),
], ids=["white on white", "5% black", "transparent", "light Lab grey",
        "light CMYK grey", "on a rounded box of its colour", "on an image",
        "on a gradient", "1px"])
def test_phone_numbers_that_cannot_be_read(fixture, css, message):
    """The emergency number and the clinic's phone are refused where they are
    drawn, and so is the paragraph they belong to."""
    problems = printed(fixture, css).problems
    has(problems, page_1(f"{message}: “030 111 2222”"))
    has(problems, page_1(f"{message}: “112”"))
    has(problems, page_1(f"paragraph from {HELP} cannot be read ({message}): “Call "
                         "030 111 2222 if your arm is still swollen after 2 days…”"))


@pytest.mark.parametrize("css, message", [
    (".value { opacity: 0 }", "text in #1a1a1a at 0% opacity on #ffffff: contrast "
     "1.00:1, below 4.5:1"),
    (".value { opacity: 0.1 }", "text in #1a1a1a at 10% opacity on #ffffff: "
     "contrast 1.23:1, below 4.5:1"),
    (".value { display: inline-block; transform: scale(0.01, 1) }",
     "text 0.12 pt in size (the smallest allowed is 9 pt)"),
    (".value { position: relative } .value::after { content: ''; position: absolute;"
     " left: 0; top: 0; right: 0; bottom: 0; background: white }",
     "text covered by a shape drawn over it"),
], ids=["opacity 0", "opacity 0.1", "squeezed flat", "covered by a white box"])
def test_values_drawn_apart_that_cannot_be_read(fixture, css, message):
    """Opacity (a transparency group in a form XObject), a transform or a
    box on top: WeasyPrint draws these values after the paragraph, which
    is then also not in reading order."""
    problems = printed(fixture, css).problems
    has(problems, page_1(f"{message}: “030 111 2222”"))
    has(problems, page_1(f"paragraph from {HELP} is missing after this page: “Call "
                         "030 111 2222 if your arm is still swollen after 2 days…”"))


def test_a_table_heading_in_the_colour_of_its_box(fixture):
    problems = printed(fixture, "th { color: #eef1f4 }").problems
    message = "text in #eef1f4 on #eef1f4: contrast 1.00:1, below 4.5:1"
    has(problems, page_1(f"{message}: “What”"))
    has(problems, page_1(f"table cell from leaflets/blood-test.md:30 cannot be read "
                         f"({message}): “What”"))


def test_hidden_text_is_missing(fixture):
    problems = printed(fixture, ".value { visibility: hidden }").problems
    has(problems, page_1(f"paragraph from {HELP} is missing after this page: “Call "
                         "030 111 2222 if your arm is still swollen after 2 days…”"))


def test_the_about_section_white_on_white(fixture):
    """The red-team case: "About this leaflet" made white; the e-mail address
    (the clinic's, from the template) is named, and the rest counted."""
    problems = printed(fixture, ".about { color: white }").problems
    has(problems, page_1("text in #ffffff on #ffffff: contrast 1.00:1, below 4.5:1: "
                         "“Written by:”"))
    has(problems, page_1("and ") + r"\d+" + re.escape(" more runs of text like these"))
    has(problems, page_1("the e-mail address “info@test-clinic.example” cannot be "
                         "read (text in #ffffff on #ffffff: contrast 1.00:1, below "
                         "4.5:1)"))


def tampered(pdf: bytes, change) -> bytes:
    """A real PDF changed with pypdf."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def verified(data: bytes, document) -> list[str]:
    found = [str(problem) for problem in verify.verify(data, PDF, document).problems]
    # a worker reads the PDF it just printed in one pass: it finds the same
    fast = verify.verify(data, PDF, document, fast=True)
    assert [str(problem) for problem in fast.problems] == found
    return found


@pytest.mark.parametrize("mode", [3, 7])
def test_text_in_an_invisible_render_mode(fixture, mode):
    """CSS cannot set the text render mode; a PDF can."""
    clean = printed(fixture)

    def invisible(writer):
        page = writer.pages[0]
        stream = DecodedStreamObject()
        stream.set_data(page.get_contents().get_data().replace(
            b"BT\n", b"BT\n%d Tr\n" % mode, 1))
        page.replace_contents(stream)

    problems = verified(tampered(clean.pdf, invisible), clean.document)
    has(problems, page_1(f"text drawn invisibly (text render mode {mode}): "
                         "“Test Clinic”"))


# --- 1. text the sources do not have ----------------------------------------


@pytest.mark.parametrize("css", [
    "h2::after { content: ' Call 0900 666 6666' }",
    "@page { @top-center { content: 'Call 0900 666 6666' } }",
], ids=["after headings", "in the page header"])
def test_text_made_up_by_css(fixture, css):
    problems = printed(fixture, css).problems
    has(problems, page_1("text that is not in the document (made by CSS?): “Call 0900 "
                         "666 6666”"))


# --- 1. links, scripts and files --------------------------------------------


def test_script_and_file_links_and_attachments(fixture):
    def change(html):
        return html.replace("</main>", (
            '<p><a href="javascript:alert(1)">click</a> '
            '<a href="file:///etc/passwd">file</a> '
            '<a href="https://evil.example/call">Call us</a> '
            '<a rel="attachment" href="data:text/plain,notes">notes</a></p></main>'
        )).replace("</head>", '<link rel="attachment" href="data:text/plain,secret">'
                   "</head>")

    problems = printed(fixture, change=change).problems
    links = "links may only be https, http, mailto, tel"
    has(problems, page_1(f"a link to 'javascript:alert(1)': {links}"))
    has(problems, page_1(f"a link to 'file:///etc/passwd': {links}"))
    has(problems, page_1("a link to 'https://evil.example/call', where the "
                         "leaflet's text does not link"))
    has(problems, page_1("a file attached to the page"))
    has(problems, re.escape(f"{PDF}: files embedded in the document (/EmbeddedFiles)"))


def test_the_leaflets_own_link_is_allowed(fixture):
    """The fixture links to Thuisarts from its text: that link is no problem."""
    clean = printed(fixture)
    uris = [str(annotation.get_object()["/A"]["/URI"])
            for annotation in PdfReader(io.BytesIO(clean.pdf)).pages[0]["/Annots"]]
    assert uris == ["https://www.thuisarts.nl"]
    assert clean.problems == []


def test_scripts_and_launches_planted_in_the_pdf(fixture):
    clean = printed(fixture)

    def change(writer):
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1);")})
        writer.add_annotation(0, DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(value)
                                              for value in (0, 0, 50, 50)]),
            NameObject("/A"): DictionaryObject({
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("/bin/sh")})}))
        writer.pages[0][NameObject("/AA")] = DictionaryObject()

    problems = verified(tampered(clean.pdf, change), clean.document)
    has(problems, re.escape(f"{PDF}: opening the file runs JavaScript (/OpenAction)"))
    has(problems, page_1("a link that launches a file or program"))
    has(problems, page_1("the page runs actions when it is opened (/AA)"))


# --- the fast reader and its fallback ----------------------------------------


def _seen(run: textrun.Run) -> tuple:
    """What the visibility checks read of a run, rounded."""
    return (round(run.y), round(run.size, 1), round(run.end), round(run.size_x, 1),
            run.colour and tuple(round(value, 3) for value in run.colour),
            round(run.alpha, 2), run.mode,
            run.clip and tuple(round(value) for value in run.clip), run.backgrounds,
            run.covered)


PLANTED = {
    "white": ".value { color: #fff }",
    "opacity": ".value { opacity: 0.1 }",
    "covered": (".value { position: relative } .value::after { content: ''; "
                "position: absolute; left: 0; top: 0; right: 0; bottom: 0; "
                "background: white }"),
    "clipped": ".value { display: inline-block; overflow: hidden; width: 0 }",
    "image": f".value {{ background: url({WHITE_PNG}); color: white }}",
}


@pytest.mark.parametrize("name", PLANTED)
def test_the_fallback_reads_planted_faults_as_the_fast_reader(fixture, name,
                                                              monkeypatch):
    """pypdf's text with pdftext's geometry gives the same runs, and
    verification through it gives the same verdict."""
    bad = printed(fixture, PLANTED[name])
    for page in PdfReader(io.BytesIO(bad.pdf)).pages:
        assert [_seen(run) for run in pdftext.runs(page) if run.text.strip()] == [
            _seen(run) for run in readback.pypdf_runs(page) if run.text.strip()]
    fast = verified(bad.pdf, bad.document)
    real = pdftext.runs

    def without_decoding(page, decode=True):
        if decode:
            raise textrun.Unsupported("as if a font had no /ToUnicode")
        return real(page, decode=False)

    monkeypatch.setattr(pdftext, "runs", without_decoding)
    assert verified(bad.pdf, bad.document) == fast


# --- the repository's own PDFs ----------------------------------------------


def test_the_repositorys_pdfs_pass_every_check(repo_build):
    """Every language (Arabic right to left too) and every variant (large
    print, the A5 reading copy and its booklet) passes all checks, the new
    ones included, when checked again after the build."""
    assert repo_build.code == 0, repo_build.log
    project = load_project(repo_build.root)
    report = check(Snapshot(project))
    assert {f"{path.parent.name}/{path.name}" for path in report.checked} == (
        repo_pdfs())
    assert [str(problem) for problem in report.problems] == []


def test_the_fallback_reads_the_repositorys_pdfs_as_the_fast_reader(repo_build):
    """Colours, extents, clips and backgrounds agree on every page (Arabic
    pages, which pypdf cuts into other pieces, in what they hold)."""
    for pdf in sorted((repo_build.root / "build/pdf").rglob("*.pdf")):
        for page in PdfReader(pdf, strict=True).pages:
            fast = [_seen(run) for run in pdftext.runs(page) if run.text.strip()]
            slow = [_seen(run) for run in readback.pypdf_runs(page) if run.text.strip()]
            if pdf.parent.name == "ar":
                assert {item[4:] for item in fast} == {item[4:] for item in slow}, pdf
            else:
                assert fast == slow, pdf


def test_every_run_of_the_repositorys_pdfs_is_on_its_page_and_seen(repo_build):
    """Measured directly: no run reaches past its page, none is clipped,
    covered, invisible, under 9 pt or in less than 4.5:1 contrast."""
    pdfs = [pdf for pdf in sorted((repo_build.root / "build/pdf").rglob("*.pdf"))
            if not pdf.name.endswith(".booklet.pdf")]
    assert pdfs
    for pdf in pdfs:
        for page in PdfReader(pdf, strict=True).pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            for run in pdftext.runs(page):
                if not run.text.strip():
                    continue
                left, bottom, right, top = run.box
                assert 0 <= left and right <= width, (pdf, run.text)
                assert 0 <= bottom and top <= height, (pdf, run.text)
                assert run.clip is None and not run.covered and run.mode == 0
                assert min(run.size, run.size_x) >= 9.0 - 0.05, (pdf, run.text)
                assert run.alpha == 1.0 and run.colour is not None
                assert all(background is not None for background in run.backgrounds)


def test_a_booklet_side_with_text_out_of_its_half_is_refused(fixture):
    """The booklet's halves are checked too: an A5 page whose text runs past
    its edge spills into the other half of the sheet (or off it)."""
    from leafpress.printing import impose

    bad = printed(fixture, ".value { position: relative; left: 400px }",
                  variant="booklet")
    assert any("text drawn off the page" in problem for problem in bad.problems)
    booklet = impose.booklet(bad.pdf, bad.document)
    problems = [str(problem) for problem in
                verify.verify_booklet(booklet, "x.booklet.pdf", bad.pdf, bad.document)]
    has(problems, r"x\.booklet\.pdf: side \d: text reaches out of the (left|right) "
        r"half: “(030 111 2222|112)”")
