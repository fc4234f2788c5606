"""Verify: read a PDF back with pypdf and prove it says what it should.

Called at the end of every build and by ``leafpress check``. In: a PDF and the
:class:`~leafpress.model.Document` it was printed from (or is composed again
from the current sources and catalogs). Out: a list of
:class:`~leafpress.errors.Problem`, each naming the PDF, the page and what is
wrong. Each rule is one small function in :data:`CHECKS`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from .errors import Problem
from .model import Document, Paper

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

    def page_at(self, offset: int) -> int:
        """The 1-based page that the folded text offset falls on."""
        return bisect_right(self.starts, offset)


def _running_text(page, paper: Paper) -> str:
    """The text of a page inside its margins: header and footer left out."""
    height = float(page.mediabox.height)
    bottom = paper.margin_bottom * MM
    top = height - paper.margin_top * MM
    parts: list[str] = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if bottom - 1 <= y <= top + 1:
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(parts)


def read_pdf(path: Path, shown: str, paper: Paper) -> ReadPdf:
    """Open ``path`` with ``strict=True`` (no silent repair) and read it."""
    reader = PdfReader(path, strict=True)
    pages = [_running_text(page, paper) for page in reader.pages]
    folded_pages = [fold(text) for text in pages]
    starts, position = [], 0
    for text in folded_pages:
        starts.append(position)
        position += len(text)
    return ReadPdf(path, shown, reader, pages, "".join(folded_pages), starts)


Check = Callable[[ReadPdf, Document], Iterator[Problem]]


def _at(pdf: ReadPdf, page: int | None, message: str) -> Problem:
    return Problem(pdf.shown, None, message, where=f"page {page}" if page else None)


def page_count(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The leaflet fits its ``max-pages``."""
    count = len(pdf.reader.pages)
    if count > document.max_pages:
        yield _at(pdf, None, f"{count} pages, {count - document.max_pages} over the "
                  f"limit of {document.max_pages} (max-pages); shorten the text")
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


def text_in_order(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The text of every block appears, in reading order."""
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


def verify(path: Path, shown: str, document: Document) -> Verdict:
    """Run every check on one PDF; a file that does not open is one problem."""
    try:
        pdf = read_pdf(path, shown, document.paper)
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError) as error:
        return Verdict((Problem(shown, None, f"cannot be read back: {error}"),), 0)
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(pdf, document))
    return Verdict(tuple(problems), len(pdf.reader.pages))
