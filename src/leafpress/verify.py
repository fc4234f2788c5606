"""Verify: read a PDF back with pypdf and prove it says what it should.

Called at the end of every build and by ``leafpress check``. In: a PDF and the
:class:`~leafpress.model.Document` it was printed from (or is composed again
from the current sources and catalogs). Out: a list of
:class:`~leafpress.errors.Problem`, each naming the PDF, the page and what is
wrong. Each rule is one small function in :data:`CHECKS`.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from . import pdftext
from .errors import Problem
from .model import Document, Paper
from .pdftext import Run

MM = 72 / 25.4
PAGE_SIZE_TOLERANCE = 1.0  # points
DRAFT_MARK = "DRAFT"
#: Source text shorter than this (in words) may rightly stay the same in a
#: translation (names, numbers), so it is not looked for.
MIN_SOURCE_WORDS = 4


def fold(text: str) -> str:
    """Text reduced to what must survive printing and reading back: hyphenated
    line ends joined (WeasyPrint marks them with U+2010, which is dropped on
    both sides), ligatures and compatibility forms folded (NFKC), and no
    whitespace at all (line breaks land anywhere)."""
    text = re.sub("[\u2010\u00ad]", "", text)
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


@dataclass
class ReadPdf:
    """A PDF opened strictly, with the running text of each page."""

    path: Path
    shown: str
    reader: PdfReader
    pages: list[str]
    folded: str
    starts: list[int]
    body: list[list[Run]]

    def page_at(self, offset: int) -> int:
        """The 1-based page that the folded text offset falls on."""
        return bisect_right(self.starts, offset)


def runs(page) -> list[Run]:
    """Every piece of text of a page with its position and its size in points
    (the font size scaled by the text and drawing matrices): read by
    :mod:`leafpress.pdftext`, or by pypdf's own text extraction for a page
    that one does not understand."""
    try:
        return pdftext.runs(page)
    except pdftext.Unsupported:
        return pypdf_runs(page)


def pypdf_runs(page) -> list[Run]:
    """:func:`runs` through pypdf's text extraction (slower, and complete)."""
    found: list[Run] = []

    def visit(text, cm, tm, font, size):
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        found.append(Run(text, x, y, size * scale))

    page.extract_text(visitor_text=visit)
    return found


#: A list marker drawn on its own: WeasyPrint draws markers after the text of
#: a page, where they would break a paragraph that runs on to the next page.
MARKER_RE = re.compile(r"^\s*(?:[•◦▪‣⁃]|\d{1,3}[.)])\s*$")


def _body_runs(page, paper: Paper) -> list[Run]:
    """The runs of a page inside its margins: header and footer left out, and
    list markers."""
    bottom = paper.margin_bottom * MM
    top = float(page.mediabox.height) - paper.margin_top * MM
    return [run for run in runs(page) if bottom - 1 <= run.y <= top + 1
            and not MARKER_RE.match(run.text)]


def _open(source: Path | bytes) -> PdfReader:
    """Open a PDF (a file or its bytes) with ``strict=True``: no silent repair."""
    return PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source,
                     strict=True)


def read_pdf(path: Path | bytes, shown: str, paper: Paper) -> ReadPdf:
    """Open a PDF strictly and read its running text."""
    reader = _open(path)
    body = [_body_runs(page, paper) for page in reader.pages]
    pages = ["".join(run.text for run in page) for page in body]
    folded_pages = [fold(text) for text in pages]
    starts, position = [], 0
    for text in folded_pages:
        starts.append(position)
        position += len(text)
    return ReadPdf(path, shown, reader, pages, "".join(folded_pages), starts, body)


Check = Callable[[ReadPdf, Document], Iterator[Problem]]


def _at(pdf: ReadPdf, page: int | None, message: str) -> Problem:
    return Problem(pdf.shown, None, message, where=f"page {page}" if page else None)


def page_count(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The leaflet fits its ``max-pages``."""
    count = len(pdf.reader.pages)
    if count > document.max_pages:
        field = ("max-pages" if document.variant.name == "standard"
                 else f"max-pages-{document.variant.name}")
        yield _at(pdf, None, f"{count} pages, {count - document.max_pages} over the "
                  f"limit of {document.max_pages} ({field}); shorten the text")
    if count == 0:
        yield _at(pdf, None, "the PDF has no pages")


def page_size(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every page has the configured paper size."""
    width, height = document.paper.width * MM, document.paper.height * MM
    for number, page in enumerate(pdf.reader.pages, start=1):
        box = page.mediabox
        if (abs(float(box.width) - width) > PAGE_SIZE_TOLERANCE
                or abs(float(box.height) - height) > PAGE_SIZE_TOLERANCE):
            yield _at(pdf, number, f"page size {float(box.width):.0f}x"
                      f"{float(box.height):.0f} pt is not {document.paper.name}")


def title(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The document title (``/Title``) is the translated leaflet title."""
    found = (pdf.reader.metadata or {}).get("/Title")
    if found != document.title:
        yield _at(pdf, None, f"/Title is {found!r}, expected {document.title!r}")


def language(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The document language (``/Lang``) is the leaflet's language."""
    found = pdf.reader.trailer["/Root"].get("/Lang")
    if found is None or str(found).lower() != document.lang.lower():
        yield _at(pdf, None, f"/Lang is {found!r}, expected {document.lang!r}")


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
                yield _at(pdf, number, f"font {name} is not embedded")


def words(text: str) -> list[str]:
    """The words of a text, folded and lower-cased."""
    text = unicodedata.normalize("NFKC", re.sub("[\u2010\u00ad]\\s*", "", text))
    return [word for word in re.findall(r"\w+", text.casefold())]


def text_in_order(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The text of every block appears, in reading order (for right-to-left
    text: every word of every block appears)."""
    if document.direction == "rtl":
        # Lines come back in visual order, and a word may be split over two
        # runs of glyphs: look for every word, whole or in two pieces.
        pieces = {word for page in pdf.body for run in page for word in words(run.text)}

        def present(word: str) -> bool:
            return word in pieces or any(
                word[:cut] in pieces and word[cut:] in pieces
                for cut in range(1, len(word)))

        for item in document.expected:
            missing = [word for word in words(item.text) if not present(word)]
            if missing:
                yield _at(pdf, None, f"{item.kind} from {item.origin}: words missing "
                          f"from the PDF: {' '.join(missing[:8])}")
        return
    cursor = 0
    for item in document.expected:
        key = fold(item.text)
        if not key:
            continue
        found = pdf.folded.find(key, cursor)
        if found >= 0:
            cursor = found + len(key)
            continue
        earlier = pdf.folded.find(key)
        if earlier >= 0:
            yield _at(pdf, pdf.page_at(earlier), f"{item.kind} from {item.origin} is "
                      f"out of reading order: “{_quote(item.text)}”")
        else:
            yield _at(pdf, pdf.page_at(cursor), f"{item.kind} from {item.origin} is "
                      f"missing after this page: “{_quote(item.text)}”")


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
            yield _at(pdf, pdf.page_at(found), f"untranslated source text from "
                      f"{item.origin}: “{_quote(source)}”")


def tagged(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The PDF is tagged (PDF/UA): a structure tree, ``/MarkInfo`` with
    ``/Marked true``, and structure elements for the title heading, lists,
    tables and figures the HTML has."""
    root = pdf.reader.trailer["/Root"]
    mark = root.get("/MarkInfo")
    if mark is None or not mark.get_object().get("/Marked"):
        yield _at(pdf, None, "not marked as tagged (/MarkInfo /Marked true)")
    tree = root.get("/StructTreeRoot")
    if tree is None:
        yield _at(pdf, None, "no structure tree (/StructTreeRoot): not tagged")
        return
    kinds = structure_kinds(tree.get_object())
    html = document.html
    for needed, tag in (("/H1", "<h1"), ("/L", "<ul"), ("/L", "<ol"),
                        ("/Table", "<table"), ("/Figure", "<img")):
        if tag in html and needed not in kinds:
            yield _at(pdf, None, f"the structure tree has no {needed} for {tag}>")


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
        yield _at(pdf, None, f"running text is {typical:g} pt; the "
                  f"{document.variant.name} print needs at least "
                  f"{document.variant.min_body_pt:g} pt")


def draft_mark(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """A draft carries its DRAFT mark on every page."""
    if not document.draft:
        return
    for number, page in enumerate(pdf.reader.pages, start=1):
        if DRAFT_MARK not in page.extract_text():
            yield _at(pdf, number, f"draft without the {DRAFT_MARK} mark")


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


CHECKS: tuple[Check, ...] = (
    page_count,
    page_size,
    title,
    language,
    tagged,
    body_size,
    fonts_embedded,
    text_in_order,
    no_source_text,
    draft_mark,
)


@dataclass(frozen=True)
class Verdict:
    """The problems found in one PDF, and its page count (0 if unreadable)."""

    problems: tuple[Problem, ...]
    pages: int


def verify(path: Path | bytes, shown: str, document: Document) -> Verdict:
    """Run every check on one PDF; a file that does not open is one problem."""
    try:
        pdf = read_pdf(path, shown, document.paper)
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError) as error:
        return Verdict((Problem(shown, None, f"cannot be read back: {error}"),), 0)
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(pdf, document))
    return Verdict(tuple(problems), len(pdf.reader.pages))


def verify_booklet(path: Path | bytes, shown: str, reading: Path | bytes,
                   document: Document) -> list[Problem]:
    """A booklet has half as many sides as its A5 copy padded to a multiple
    of 4, each A4 landscape, carrying the A5 pages in saddle-stitch order
    (each half of each side says what its A5 page says), and the language."""
    from .impose import A4_LANDSCAPE, padded, sheet_order

    try:
        booklet = _open(path)
        copy = _open(reading)
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
    width, height = A4_LANDSCAPE
    pages = [fold("".join(run.text for run in runs(page))) for page in copy.pages]
    for number, (side, (left, right)) in enumerate(
            zip(booklet.pages, sheet_order(count), strict=True), start=1):
        box = side.mediabox
        if (abs(float(box.width) - width) > PAGE_SIZE_TOLERANCE
                or abs(float(box.height) - height) > PAGE_SIZE_TOLERANCE):
            problems.append(Problem(shown, None, "is not A4 landscape",
                                    where=f"side {number}"))
        halves = {"left": "", "right": ""}
        for run in runs(side):
            halves["left" if run.x < width / 2 else "right"] += run.text
        for half, page in (("left", left), ("right", right)):
            expected = pages[page - 1] if page else ""
            if fold(halves[half]) != expected:
                what = f"A5 page {page}" if page else "a blank page"
                problems.append(Problem(shown, None, f"the {half} half should be "
                                        f"{what}", where=f"side {number}"))
    return problems
