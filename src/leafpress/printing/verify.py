"""Verify: read a PDF back with pypdf and prove it says what it should, where
a reader can see it.

Called at the end of every build and by ``leafpress check``. In: a PDF and the
:class:`~leafpress.model.Document` it was printed from (or is composed again
from the current sources and catalogs). Out: a list of
:class:`~leafpress.errors.Problem`, each naming the PDF, the page and what is
wrong. Each rule is one small function in :data:`CHECKS`.

The page is read as a reader's eye reads it (:mod:`leafpress.printing.readback`,
with :mod:`leafpress.printing.pdftext`): every run of text with where it starts
and ends, its size, colour, opacity, render mode, clip and what is drawn beneath
and over it. Text is there (:func:`text_in_order`), on the page, visible and
readable (:mod:`leafpress.printing.visibility`), its values whole and its words
too (:mod:`leafpress.printing.line_breaks`), and nothing is there that the
document does not have: no made-up text, link, script or file
(:mod:`leafpress.printing.safety`). The page count and size, the metadata, the
tags, the fonts and a booklet's sides are checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf.errors import PdfReadError, PyPdfError

from leafpress.errors import Problem
from leafpress.model import Document
from leafpress.printing.line_breaks import no_hyphenation, values_whole
from leafpress.printing.readback import (
    MM,
    ReadPdf,
    fold,
    located_blocks,
    open_pdf,
    problem_at,
    quoted,
    read_pdf,
    runs,
    within_margins,
    word_pieces,
    word_present,
    words,
)
from leafpress.printing.safety import (
    links_allowed,
    no_active_content,
    no_generated_text,
)
from leafpress.printing.textrun import Run
from leafpress.printing.visibility import (
    DRAFT_MARK,
    box_within,
    checked_values_visible,
    text_contrast,
    text_on_page,
    text_painted,
    text_size,
    values_visible,
)

PAGE_SIZE_TOLERANCE = 1.0  # points
#: Source text shorter than this (in words) may rightly stay the same in a
#: translation (names, numbers), so it is not looked for.
MIN_SOURCE_WORDS = 4


Check = Callable[[ReadPdf, Document], Iterator[Problem]]


def page_count(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The leaflet fits its ``max-pages`` (a booklet's cover and back page
    are not counted)."""
    count = len(pdf.reader.pages)
    covers = 2 if document.variant.cover else 0
    if count - covers > document.max_pages:
        field = ("max-pages" if document.variant.name == "standard"
                 else f"max-pages-{document.variant.name}")
        besides = " besides the cover and back page" if covers else ""
        yield problem_at(pdf, None, f"{count - covers} pages{besides}, "
                         f"{count - covers - document.max_pages} over the limit of "
                         f"{document.max_pages} ({field}); shorten the text")
    if count == 0:
        yield problem_at(pdf, None, "the PDF has no pages")


def page_size(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every page has the configured paper size."""
    width, height = document.paper.width * MM, document.paper.height * MM
    for number, page in enumerate(pdf.reader.pages, start=1):
        box = page.mediabox
        if (abs(float(box.width) - width) > PAGE_SIZE_TOLERANCE
                or abs(float(box.height) - height) > PAGE_SIZE_TOLERANCE):
            yield problem_at(pdf, number, f"page size {float(box.width):.0f}x"
                             f"{float(box.height):.0f} pt is not "
                             f"{document.paper.name}")


def title(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The document title (``/Title``) is the translated leaflet title."""
    found = (pdf.reader.metadata or {}).get("/Title")
    if found != document.title:
        yield problem_at(pdf, None, f"/Title is {found!r}, expected {document.title!r}")


def language(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The document language (``/Lang``) is the leaflet's language."""
    found = pdf.reader.trailer["/Root"].get("/Lang")
    if found is None or str(found).lower() != document.lang.lower():
        yield problem_at(pdf, None, f"/Lang is {found!r}, expected {document.lang!r}")


def _fonts(resources, seen: set[int]) -> Iterator[tuple[str, object]]:
    if not resources:
        return
    fonts = resources.get_object().get("/Font")
    if fonts:
        for name, ref in fonts.get_object().items():
            font = ref.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                yield str(font.get("/BaseFont", name)), font
    xobjects = resources.get_object().get("/XObject")
    if xobjects:
        for ref in xobjects.get_object().values():
            xobject = ref.get_object()
            yield from _fonts(xobject.get("/Resources"), seen)


def fonts_embedded(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every font is embedded in the file (printers may not have it)."""
    seen: set[int] = set()
    for number, page in enumerate(pdf.reader.pages, start=1):
        for name, font in _fonts(page.get("/Resources"), seen):
            if font.get("/Subtype") == "/Type3":
                continue
            descendant = font
            if font.get("/Subtype") == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(key in descriptor for key in
                       ("/FontFile", "/FontFile2", "/FontFile3")):
                yield problem_at(pdf, number, f"font {name} is not embedded")


def text_in_order(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The text of every block appears, in reading order (for right-to-left
    text: every word of every block appears)."""
    if document.direction == "rtl":
        # Lines come back in visual order, and a word may be split over two
        # runs of glyphs: look for every word, whole or in two pieces.
        pieces = word_pieces(run for page in pdf.body for run in page)
        for item in document.expected:
            missing = [word for word in words(item.text)
                       if not word_present(word, pieces)]
            if missing:
                yield problem_at(pdf, None, f"{item.kind} from {item.origin}: words "
                                 f"missing from the PDF: {' '.join(missing[:8])}")
        return
    cursor = 0
    for item, found, end in located_blocks(pdf, document):
        if end >= 0:
            cursor = end
        elif found >= 0:
            yield problem_at(pdf, pdf.page_at(found),
                             f"{item.kind} from {item.origin} is "
                             f"out of reading order: “{quoted(item.text)}”")
        else:
            yield problem_at(pdf, pdf.page_at(cursor),
                             f"{item.kind} from {item.origin} is "
                             f"missing after this page: “{quoted(item.text)}”")


def no_source_text(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """A translated PDF holds no untranslated source paragraph."""
    if document.draft:
        return
    for item in document.expected:
        source = item.source_text
        if not source or source == item.text or len(source.split()) < MIN_SOURCE_WORDS:
            continue
        found = pdf.folded.find(fold(source))
        if found >= 0:
            yield problem_at(pdf, pdf.page_at(found), f"untranslated source text from "
                             f"{item.origin}: “{quoted(source)}”")


def tagged(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The PDF is tagged (PDF/UA): a structure tree, ``/MarkInfo`` with
    ``/Marked true``, and structure elements for the title heading, lists,
    tables and figures the HTML has."""
    root = pdf.reader.trailer["/Root"]
    mark = root.get("/MarkInfo")
    if mark is None or not mark.get_object().get("/Marked"):
        yield problem_at(pdf, None, "not marked as tagged (/MarkInfo /Marked true)")
    tree = root.get("/StructTreeRoot")
    if tree is None:
        yield problem_at(pdf, None, "no structure tree (/StructTreeRoot): not tagged")
        return
    kinds = structure_kinds(tree.get_object())
    html = document.html
    for needed, tag in (("/H1", "<h1"), ("/L", "<ul"), ("/L", "<ol"),
                        ("/Table", "<table"), ("/Figure", "<img")):
        if tag in html and needed not in kinds:
            yield problem_at(pdf, None,
                             f"the structure tree has no {needed} for {tag}>")


def structure_kinds(node, seen: set[int] | None = None) -> set[str]:
    """Every structure type (``/S``) below a structure tree node."""
    seen = set() if seen is None else seen
    kinds: set[str] = set()
    if id(node) in seen:
        return kinds
    seen.add(id(node))
    if hasattr(node, "get") and node.get("/S") is not None:
        kinds.add(str(node["/S"]))
    children = node.get("/K") if hasattr(node, "get") else None
    if children is None:
        return kinds
    children = children.get_object()
    for child in children if isinstance(children, list) else [children]:
        child = child.get_object() if hasattr(child, "get_object") else child
        if hasattr(child, "get"):
            kinds |= structure_kinds(child, seen)
    return kinds


def body_size(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The leaflet's own text is set at least at the variant's size (12 pt
    clear print, 16 pt large print): the size of most of its characters is
    read back from the content stream (the smaller "about this leaflet" print
    of the template is not counted)."""
    own = fold("".join(item.text for item in document.expected))
    own_words = set(words(" ".join(item.text for item in document.expected)))

    def leaflet_text(run: Run) -> bool:
        if document.direction == "rtl":  # visual order: compare words
            found = words(run.text)
            return bool(found) and all(word in own_words for word in found)
        text = fold(run.text)
        return bool(text) and text in own

    sizes = sorted(round(run.size, 1) for page in pdf.body for run in page
                   if leaflet_text(run) for _char in fold(run.text))
    if not sizes:
        return
    typical = sizes[len(sizes) // 2]
    if typical + 0.05 < document.variant.min_body_pt:
        yield problem_at(pdf, None, f"running text is {typical:g} pt; the "
                         f"{document.variant.name} print needs at least "
                         f"{document.variant.min_body_pt:g} pt")


def cover_and_back_page(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """A booklet's A5 copy has a cover (page 1) and a back page (the last),
    each one page without a running header or footer, and every page
    between them has its header or footer, so that imposition can put blank
    pages before the back page. (A cover or back page that runs over onto a
    second page shows as a page between without them.)"""
    if not document.variant.cover:
        return
    count = len(pdf.reader.pages)
    if count < 3:
        yield problem_at(pdf, None, f"{count} pages: a booklet needs a cover, a page "
                         "of text and a back page")
        return
    for number, (page, page_runs) in enumerate(zip(pdf.reader.pages, pdf.drawn,
                                                   strict=True), start=1):
        height = float(page.mediabox.height)
        furniture = any(pdf.folded_runs[id(run)] and not within_margins(
            run, height, document.paper) for run in page_runs)
        if number in (1, count) and furniture:
            what = "cover" if number == 1 else "back page"
            yield problem_at(pdf, number, f"the {what} has a running header or footer")
        elif number not in (1, count) and not furniture:
            what = {2: "cover", count - 1: "back page"}.get(number)
            why = f": does the {what} run over onto a second page?" if what else ""
            yield problem_at(pdf, number, "a page without a running header or footer "
                             f"inside the booklet{why}")


def reading_direction(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """A right-to-left document says so to viewers and printers
    (``/ViewerPreferences /Direction /R2L``): they show its pages side by
    side from right to left and bind a printed booklet on the right."""
    if document.direction != "rtl":
        return
    preferences = pdf.reader.trailer["/Root"].get("/ViewerPreferences")
    found = preferences.get_object().get("/Direction") if preferences else None
    if found != "/R2L":
        yield problem_at(pdf, None, f"/ViewerPreferences /Direction is {found!r}, "
                         "expected /R2L for a right-to-left language")


def draft_mark(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """A draft carries its DRAFT mark on every page."""
    if not document.draft:
        return
    for number, page in enumerate(pdf.reader.pages, start=1):
        if DRAFT_MARK not in page.extract_text():
            yield problem_at(pdf, number, f"draft without the {DRAFT_MARK} mark")


CHECKS: tuple[Check, ...] = (
    page_count,
    page_size,
    title,
    language,
    reading_direction,
    cover_and_back_page,
    tagged,
    body_size,
    fonts_embedded,
    text_in_order,
    no_source_text,
    draft_mark,
    text_on_page,
    text_painted,
    text_size,
    text_contrast,
    checked_values_visible,
    values_visible,
    values_whole,
    no_hyphenation,
    no_generated_text,
    links_allowed,
    no_active_content,
)


@dataclass(frozen=True)
class Verdict:
    """The problems found in one PDF, and its page count (0 if unreadable)."""

    problems: tuple[Problem, ...]
    pages: int
    #: The PDF as it was read (``None`` if unreadable): a booklet is imposed
    #: from it.
    reading: ReadPdf | None = None


def verify(path: Path | bytes, shown: str, document: Document, fast: bool = False
           ) -> Verdict:
    """Run every check on one PDF; a file that does not open is one problem.
    ``fast`` for the PDF a worker just printed (see
    :func:`~leafpress.printing.readback.read_pdf`); ``leafpress check``
    reads with pypdf alone."""
    try:
        pdf = read_pdf(path, shown, document.paper, fast)
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError) as error:
        return Verdict((Problem(shown, None, f"cannot be read back: {error}"),), 0)
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(pdf, document))
    return Verdict(tuple(problems), len(pdf.reader.pages), pdf)


def verify_booklet(path: Path | bytes, shown: str, reading: Path | bytes | ReadPdf,
                   document: Document) -> list[Problem]:
    """A booklet has half as many sides as its A5 copy padded to a multiple
    of 4, each A4 landscape, carrying the A5 pages in saddle-stitch order
    (each half of each side says what its A5 page says, and no text reaches
    out of its half; mirrored for a right-to-left language), and the
    language and reading direction. ``reading`` is the A5 copy, or the
    :class:`ReadPdf` its verification made."""
    from leafpress.printing.impose import A4_LANDSCAPE, padded, sheet_order

    try:
        booklet = open_pdf(path)
        copy = reading.reader if isinstance(reading, ReadPdf) else open_pdf(reading)
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError) as error:
        return [Problem(shown, None, f"cannot be read back: {error}")]
    problems = []
    count = len(copy.pages)
    if len(booklet.pages) != padded(count) // 2:
        problems.append(Problem(shown, None, f"{len(booklet.pages)} sides for "
                                f"{count} A5 pages; expected {padded(count) // 2}"))
        return problems
    if str(booklet.trailer["/Root"].get("/Lang")) != document.lang:
        problems.append(Problem(shown, None, f"/Lang is not {document.lang!r}"))
    rtl = document.direction == "rtl"
    preferences = booklet.trailer["/Root"].get("/ViewerPreferences")
    direction = preferences.get_object().get("/Direction") if preferences else None
    if (direction == "/R2L") != rtl:
        problems.append(Problem(shown, None, f"/ViewerPreferences /Direction is "
                                f"{direction!r} in a {document.direction} booklet"))
    width, height = A4_LANDSCAPE
    pages = [fold("".join(run.text for run in page_runs)) for page_runs in (
        reading.drawn if isinstance(reading, ReadPdf) else map(runs, copy.pages))]
    for number, (side, (left, right)) in enumerate(
            zip(booklet.pages, sheet_order(count, rtl), strict=True), start=1):
        box = side.mediabox
        if (abs(float(box.width) - width) > PAGE_SIZE_TOLERANCE
                or abs(float(box.height) - height) > PAGE_SIZE_TOLERANCE):
            problems.append(Problem(shown, None, "is not A4 landscape",
                                    where=f"side {number}"))
        halves = {"left": "", "right": ""}
        for run in runs(side):
            half = "left" if run.x < width / 2 else "right"
            halves[half] += run.text
            area = (0.0, 0.0, width / 2, height) if half == "left" else (
                width / 2, 0.0, width, height)
            if fold(run.text) and not box_within(run.box, area, run):
                problems.append(Problem(shown, None, f"text reaches out of the {half} "
                                        f"half: “{quoted(run.text)}”",
                                        where=f"side {number}"))
        for half, page in (("left", left), ("right", right)):
            expected = pages[page - 1] if page else ""
            if fold(halves[half]) != expected:
                what = f"A5 page {page}" if page else "a blank page"
                problems.append(Problem(shown, None, f"the {half} half should be "
                                        f"{what}", where=f"side {number}"))
    return problems

