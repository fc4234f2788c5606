"""Verify: read a PDF back with pypdf and prove it says what it should, where
a reader can see it.

Called at the end of every build and by ``leafpress check``. In: a PDF and the
:class:`~leafpress.model.Document` it was printed from (or is composed again
from the current sources and catalogs). Out: a list of
:class:`~leafpress.errors.Problem`, each naming the PDF, the page and what is
wrong. Each rule is one small function in :data:`CHECKS`.

The page is read as a reader's eye reads it (:mod:`leafpress.printing.pdftext`):
every run of text with where it starts and ends, its size, colour, opacity,
render mode, clip and what is drawn beneath and over it. Text is there
(:func:`text_in_order`), on the page, visible and readable (:func:`text_on_page`
to :func:`values_visible`), its values whole and its words too
(:func:`values_whole`, :func:`no_hyphenation`), and nothing is there that the
document does not have: no made-up text, link, script or file
(:func:`no_generated_text`, :func:`links_allowed`, :func:`no_active_content`).
"""

from __future__ import annotations

import html as _html
import io
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from leafpress.errors import Problem
from leafpress.model import Document, Paper
from leafpress.printing import pdftext
from leafpress.printing.pdftext import Box, Colour, Run
from leafpress.settings.project import MIN_CONTRAST, contrast
from leafpress.text import facts, values
from leafpress.text.markup import ALLOWED_LINK_SCHEMES

MM = 72 / 25.4
PAGE_SIZE_TOLERANCE = 1.0  # points
DRAFT_MARK = "DRAFT"
#: Source text shorter than this (in words) may rightly stay the same in a
#: translation (names, numbers), so it is not looked for.
MIN_SOURCE_WORDS = 4
#: No text is drawn smaller than this (points, measured across the line and
#: along it): the smallest type size the European Commission's guideline on
#: the readability of the labelling and package leaflet of medicinal
#: products (2009) accepts. The template's smallest print, the footer of the
#: A5 booklet, is 9 pt; 1 px type (0.75 pt) is a way of hiding text.
MIN_TEXT_PT = 9.0
#: How far (points) a run may reach past the page or its clip: glyph boxes
#: are estimated, and a glyph's side bearing may touch the edge.
EDGE_SLACK = 0.5
#: Problems of one kind listed per page; the rest are counted.
LISTED_PER_PAGE = 3


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
    """A PDF opened strictly, with the running text of each page.

    ``drawn``: every run of each page (header and footer too); ``body``: the
    running text, and ``running`` its runs folded run after run (``folded``
    is that text); ``everything``: the same for every run of every page;
    ``boxes``: what each page shows of itself (its CropBox within its
    MediaBox).
    """

    path: Path
    shown: str
    reader: PdfReader
    pages: list[str]
    folded: str
    starts: list[int]
    body: list[list[Run]]
    drawn: list[list[Run]]
    boxes: list[Box]
    running: Folded
    everything: Folded
    #: Each run's text folded, by the run's ``id``.
    folded_runs: dict[int, str]
    #: What each rule of :data:`UNSEEN` says of each run, once computed.
    _assessed: dict[int, tuple[str | None, ...]] | None = None

    def page_at(self, offset: int) -> int:
        """The 1-based page that the folded text offset falls on."""
        return bisect_right(self.starts, offset)


@dataclass(frozen=True)
class Folded:
    """Runs (with their page numbers) and their text folded (:func:`fold`)
    run after run, each run starting at its offset in ``starts``."""

    text: str
    starts: list[int]
    runs: list[tuple[int, Run]]

    @classmethod
    def of(cls, runs: Iterator[tuple[int, Run]], folded: dict[int, str]) -> Folded:
        """``folded``: each run's text folded, by the run's ``id``."""
        pieces: list[str] = []
        starts: list[int] = []
        listed: list[tuple[int, Run]] = []
        position = 0
        for number, run in runs:
            piece = folded[id(run)]
            starts.append(position)
            listed.append((number, run))
            pieces.append(piece)
            position += len(piece)
        return cls("".join(pieces), starts, listed)

    def runs_at(self, start: int, end: int) -> list[tuple[int, Run]]:
        """The runs that carry the folded text from ``start`` to ``end``."""
        first = max(bisect_right(self.starts, start) - 1, 0)
        return self.runs[first:bisect_left(self.starts, end)]


def runs(page) -> list[Run]:
    """Every piece of text of a page with its position, its size in points
    (the font size scaled by the text and drawing matrices), its extent and
    what decides whether a reader sees it (see
    :class:`~leafpress.printing.pdftext.Run`): read by
    :mod:`leafpress.printing.pdftext`, or with pypdf's text extraction for a
    page whose fonts that one cannot decode."""
    try:
        return pdftext.runs(page)
    except pdftext.Unsupported:
        return pypdf_runs(page)


_SHOWING = (b"Tj", b"TJ", b"'", b'"')


def pypdf_runs(page) -> list[Run]:
    """:func:`runs` through pypdf's text extraction (slower, and complete):
    pypdf decodes the text; :mod:`leafpress.printing.pdftext`, told not to decode,
    says where each text-showing operator draws and how (pypdf calls the
    visitor once for the text of one or more such operators, counted here).
    A page that pdftext cannot follow at all gets pypdf's positions and an
    unknown colour, which the visibility checks refuse."""
    try:
        drawn: list[Run] | None = pdftext.runs(page, decode=False)
    except pdftext.Unsupported:
        drawn = None
    found: list[Run] = []
    shows = first = 0
    showing = False

    def before(operator, operands, cm, tm):
        nonlocal shows, showing
        showing = operator in _SHOWING
        shows += showing

    def visit(text, cm, tm, font, size):
        nonlocal first
        last = shows - showing  # the operator being read has not drawn yet
        window, first = (first, last), max(first, last)
        if not text:
            return
        if drawn:
            pieces = drawn[window[0]:window[1]] or drawn[max(min(last, len(drawn)) - 1,
                                                              0):][:1]
            found.append(_merged(text, pieces))
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        found.append(Run(text, x, y, size * scale, x, (x, y, x, y), size * scale, None,
                         1.0, 0, None, (None,), False))

    page.extract_text(visitor_text=visit, visitor_operand_before=before)
    return found


def _merged(text: str, pieces: list[Run]) -> Run:
    """One run of ``text`` drawn by the operators that drew ``pieces``."""
    first = pieces[0]
    boxes = [piece.box for piece in pieces]
    return replace(first, text=text, end=pieces[-1].end,
                   box=(min(box[0] for box in boxes), min(box[1] for box in boxes),
                        max(box[2] for box in boxes), max(box[3] for box in boxes)),
                   backgrounds=tuple(dict.fromkeys(colour for piece in pieces
                                                   for colour in piece.backgrounds)),
                   covered=any(piece.covered for piece in pieces))


#: A list marker drawn on its own: WeasyPrint draws markers after the text of
#: a page, where they would break a paragraph that runs on to the next page.
MARKER_RE = re.compile(r"^\s*(?:[•◦▪‣⁃]|\d{1,3}[.)])\s*$")


def _in_body(run: Run, page_height: float, paper: Paper) -> bool:
    """Whether a run lies inside the page's margins (not in the header or
    footer)."""
    bottom = paper.margin_bottom * MM
    top = page_height - paper.margin_top * MM
    return bottom - 1 <= run.y <= top + 1


def _body_runs(page, paper: Paper, drawn: list[Run] | None = None) -> list[Run]:
    """The runs of a page inside its margins: header and footer left out, and
    list markers."""
    height = float(page.mediabox.height)
    return [run for run in (runs(page) if drawn is None else drawn)
            if _in_body(run, height, paper) and not MARKER_RE.match(run.text)]


def _visible_box(page) -> Box:
    """What a page shows of itself: its CropBox, within its MediaBox."""
    media, crop = page.mediabox, page.cropbox
    return (max(float(media.left), float(crop.left)),
            max(float(media.bottom), float(crop.bottom)),
            min(float(media.right), float(crop.right)),
            min(float(media.top), float(crop.top)))


def _open(source: Path | bytes) -> PdfReader:
    """Open a PDF (a file or its bytes) with ``strict=True``: no silent repair."""
    return PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source,
                     strict=True)


def read_pdf(path: Path | bytes, shown: str, paper: Paper) -> ReadPdf:
    """Open a PDF strictly and read its text: every run, and the running text
    folded run by run."""
    reader = _open(path)
    drawn = [runs(page) for page in reader.pages]
    body = [_body_runs(page, paper, page_runs)
            for page, page_runs in zip(reader.pages, drawn, strict=True)]
    pages = ["".join(run.text for run in page) for page in body]
    folded = {id(run): fold(run.text) for page in drawn for run in page}
    running = Folded.of(((number, run) for number, page in enumerate(body, start=1)
                         for run in page), folded)
    starts, index = [], 0
    for page in body:
        starts.append(running.starts[index] if index < len(running.starts)
                      else len(running.text))
        index += len(page)
    return ReadPdf(path, shown, reader, pages, running.text, starts, body, drawn,
                   [_visible_box(page) for page in reader.pages], running, Folded.of(
                       ((number, run) for number, page in enumerate(drawn, start=1)
                        for run in page), folded), folded)


Check = Callable[[ReadPdf, Document], Iterator[Problem]]


def _at(pdf: ReadPdf, page: int | None, message: str) -> Problem:
    return Problem(pdf.shown, None, message, where=f"page {page}" if page else None)


def page_count(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The leaflet fits its ``max-pages`` (a booklet's cover and back page
    are not counted)."""
    count = len(pdf.reader.pages)
    covers = 2 if document.variant.cover else 0
    if count - covers > document.max_pages:
        field = ("max-pages" if document.variant.name == "standard"
                 else f"max-pages-{document.variant.name}")
        besides = " besides the cover and back page" if covers else ""
        yield _at(pdf, None, f"{count - covers} pages{besides}, "
                  f"{count - covers - document.max_pages} over the limit of "
                  f"{document.max_pages} ({field}); shorten the text")
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


def _pieces(runs: Iterator[Run]) -> set[str]:
    return {word for run in runs for word in words(run.text)}


def _present(word: str, pieces: set[str]) -> bool:
    """A word is in a right-to-left PDF: whole, or in two pieces (a word
    may be split over two runs of glyphs)."""
    return word in pieces or any(word[:cut] in pieces and word[cut:] in pieces
                                 for cut in range(1, len(word)))


def _located(pdf: ReadPdf, document: Document) -> Iterator[tuple[object, int, int]]:
    """Where the running text has each block of a left-to-right document:
    ``(item, offset, end)`` in :attr:`ReadPdf.folded`, searched after the
    previous block; ``end`` is -1 when it is only found before (out of
    order), and ``offset`` too when it is not found at all."""
    cursor = 0
    for item in document.expected:
        key = fold(item.text)
        if not key:
            continue
        found = pdf.folded.find(key, cursor)
        if found >= 0:
            cursor = found + len(key)
            yield item, found, cursor
            continue
        yield item, pdf.folded.find(key), -1


def text_in_order(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The text of every block appears, in reading order (for right-to-left
    text: every word of every block appears)."""
    if document.direction == "rtl":
        # Lines come back in visual order, and a word may be split over two
        # runs of glyphs: look for every word, whole or in two pieces.
        pieces = _pieces(run for page in pdf.body for run in page)
        for item in document.expected:
            missing = [word for word in words(item.text)
                       if not _present(word, pieces)]
            if missing:
                yield _at(pdf, None, f"{item.kind} from {item.origin}: words missing "
                          f"from the PDF: {' '.join(missing[:8])}")
        return
    cursor = 0
    for item, found, end in _located(pdf, document):
        if end >= 0:
            cursor = end
        elif found >= 0:
            yield _at(pdf, pdf.page_at(found), f"{item.kind} from {item.origin} is "
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
        yield _at(pdf, None, f"{count} pages: a booklet needs a cover, a page of "
                  "text and a back page")
        return
    for number, (page, page_runs) in enumerate(zip(pdf.reader.pages, pdf.drawn,
                                                   strict=True), start=1):
        height = float(page.mediabox.height)
        furniture = any(pdf.folded_runs[id(run)] and not _in_body(
            run, height, document.paper) for run in page_runs)
        if number in (1, count) and furniture:
            what = "cover" if number == 1 else "back page"
            yield _at(pdf, number, f"the {what} has a running header or footer")
        elif number not in (1, count) and not furniture:
            what = {2: "cover", count - 1: "back page"}.get(number)
            why = f": does the {what} run over onto a second page?" if what else ""
            yield _at(pdf, number, "a page without a running header or footer "
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
        yield _at(pdf, None, f"/ViewerPreferences /Direction is {found!r}, "
                  "expected /R2L for a right-to-left language")


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


# --- the page as a reader sees it ------------------------------------------


def _hex_colour(colour: Colour) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in colour)


def _within(box: Box, area: Box, run: Run) -> bool:
    """Whether a run's glyph box lies inside ``area`` (with some slack: a
    quarter em up and down, where the estimated box may overshoot)."""
    down = run.size / 4
    return (box[0] >= area[0] - EDGE_SLACK and box[2] <= area[2] + EDGE_SLACK
            and box[1] >= area[1] - down and box[3] <= area[3] + down)


def _off_page(run: Run, page: Box, document: Document) -> str | None:
    if _within(run.box, page, run):
        return None
    left, bottom, right, top = run.box
    return (f"text drawn off the page (x {left:.0f} to {right:.0f} pt, y {bottom:.0f} "
            f"to {top:.0f} pt; the page is {page[2] - page[0]:.0f} x "
            f"{page[3] - page[1]:.0f} pt)")


def _clipped(run: Run, page: Box, document: Document) -> str | None:
    if run.clip is None or _within(run.box, run.clip, run):
        return None
    left, bottom, right, top = run.clip
    return (f"text clipped away (drawn at x {run.box[0]:.0f} to {run.box[2]:.0f} pt, "
            f"shown only within x {left:.0f} to {right:.0f}, y {bottom:.0f} to "
            f"{top:.0f} pt)")


def _unpainted(run: Run, page: Box, document: Document) -> str | None:
    if run.mode in (3, 7):
        return f"text drawn invisibly (text render mode {run.mode})"
    if run.covered:
        return "text covered by a shape drawn over it"
    return None


def _too_small(run: Run, page: Box, document: Document) -> str | None:
    smallest = min(run.size, run.size_x)
    if smallest + 0.05 >= MIN_TEXT_PT:
        return None
    return (f"text {smallest:.2g} pt in size (the smallest allowed is "
            f"{MIN_TEXT_PT:g} pt)")


@lru_cache(maxsize=64)
def _draft_mark_text(html: str) -> str:
    """The words of a draft's DRAFT mark ("DRAFT · not for patients", in the
    document's language), folded."""
    match = re.search(r'<div class="draft-mark"[^>]*>(.*?)</div>', html, re.S)
    if match is None:
        return DRAFT_MARK
    return fold(re.sub(r"<[^>]*>", "", _html.unescape(match[1])))


def _draft_mark(run: Run, document: Document) -> bool:
    """Whether a run is (a piece of) a draft's DRAFT mark, which is faint on
    purpose and never goes to a patient."""
    if not document.draft:
        return False
    text = fold(run.text).strip()
    mark = _draft_mark_text(document.html)
    # Right-to-left runs come in visual order ("· DRAFT"): compare pieces.
    pieces = re.findall(r"\w+|[^\w\s]", run.text)
    return bool(text) and (text in mark or all(piece in mark for piece in pieces))


@lru_cache(maxsize=256)
def _contrast(colour: Colour, alpha: float, background: Colour) -> float:
    """The contrast of text in ``colour`` at ``alpha`` over ``background``."""
    seen = tuple(alpha * mine + (1 - alpha) * theirs
                 for mine, theirs in zip(colour, background, strict=True))
    return contrast(_hex_colour(seen), _hex_colour(background))


def _low_contrast(run: Run, page: Box, document: Document) -> str | None:
    if _draft_mark(run, document):  # faint on purpose, and never for patients
        return None
    if run.colour is None:
        return ("text in a colour that cannot be checked (a pattern, a soft mask "
                "or a blend mode)")
    if None in run.backgrounds:
        return "text over an image or pattern whose colour cannot be checked"
    ratio, background = min((_contrast(run.colour, run.alpha, background), background)
                            for background in run.backgrounds)
    if ratio >= MIN_CONTRAST:
        return None
    opacity = f" at {run.alpha:.0%} opacity" if run.alpha < 0.999 else ""
    return (f"text in {_hex_colour(run.colour)}{opacity} on {_hex_colour(background)}: "
            f"contrast {ratio:.2f}:1, below {MIN_CONTRAST}:1")


#: What makes a run unreadable, in the order a reason is given.
UNSEEN = (_off_page, _clipped, _unpainted, _too_small, _low_contrast)


def assess(pdf: ReadPdf, document: Document) -> dict[int, tuple[str | None, ...]]:
    """What each rule of :data:`UNSEEN` says of each run with text (by the
    run's ``id``), computed once for all the checks that ask."""
    if pdf._assessed is None:
        pdf._assessed = {
            id(run): tuple(rule(run, page, document) for rule in UNSEEN)
            for page_runs, page in zip(pdf.drawn, pdf.boxes, strict=True)
            for run in page_runs if pdf.folded_runs[id(run)]}
    return pdf._assessed


def unseen(pdf: ReadPdf, document: Document, run: Run) -> str | None:
    """Why a reader cannot see a run of the PDF (``None``: they can)."""
    reasons = assess(pdf, document).get(id(run))
    return next(filter(None, reasons), None) if reasons else None


def _failing(pdf: ReadPdf, document: Document, *rules) -> Iterator[Problem]:
    """A problem for each run that breaks one of ``rules``: the first few on
    each page, then how many more."""
    assessed = assess(pdf, document)
    which = [UNSEEN.index(rule) for rule in rules]
    for number, page_runs in enumerate(pdf.drawn, start=1):
        found = []
        for run in page_runs:
            reasons = assessed.get(id(run))
            reason = reasons and next(filter(None, (reasons[index] for index in which)),
                                      None)
            if reason:
                found.append((run, reason))
        for run, reason in found[:LISTED_PER_PAGE]:
            yield _at(pdf, number, f"{reason}: “{_quote(run.text)}”")
        if len(found) > LISTED_PER_PAGE:
            yield _at(pdf, number, f"and {len(found) - LISTED_PER_PAGE} more runs of "
                      "text like these")


def text_on_page(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every run of text lies inside its page (the CropBox within the
    MediaBox), from where it starts to where its last glyph ends, and inside
    the clip in effect where it is drawn."""
    yield from _failing(pdf, document, _off_page, _clipped)


def text_painted(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """No text is drawn invisibly (text render mode 3, or 7: clip only) or
    covered by something opaque drawn over it."""
    yield from _failing(pdf, document, _unpainted)


def text_size(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """No text is smaller than :data:`MIN_TEXT_PT`, across the line or along
    it (text squeezed flat is as unreadable as tiny text)."""
    yield from _failing(pdf, document, _too_small)


def text_contrast(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """All text has a contrast of at least 4.5:1 (WCAG 2 level AA, the same
    threshold as the clinic's branding colours) against what it is drawn on:
    the shapes filled before it over white paper, its own opacity blended
    in. Text in a colour this check cannot tell (pattern, soft mask, blend
    mode) or over an image or pattern is refused. The DRAFT mark of a draft
    is faint on purpose."""
    yield from _failing(pdf, document, _low_contrast)


def checked_values_visible(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every block that :func:`text_in_order` finds (phone numbers, doses
    and e-mail addresses among its words) is carried by runs a reader can
    see: on the page, not clipped, painted, large enough and in contrast (for
    right-to-left text: each of its words is in such a run)."""
    if document.direction == "rtl":
        visible = _pieces(run for _number, run in pdf.running.runs
                          if not unseen(pdf, document, run))
        everything = _pieces(run for _number, run in pdf.running.runs)
        for item in document.expected:
            hidden = [word for word in words(item.text)
                      if _present(word, everything) and not _present(word, visible)]
            if hidden:
                number, run = next(
                    ((number, run) for number, run in pdf.running.runs
                     if set(words(run.text)) & set(hidden)), (None, None))
                reason = f" ({unseen(pdf, document, run)})" if run else ""
                yield _at(pdf, number, f"{item.kind} from {item.origin} cannot be read"
                          f"{reason}: {' '.join(hidden[:8])}")
        return
    for item, found, end in _located(pdf, document):
        if found < 0:
            continue
        end = end if end >= 0 else found + len(fold(item.text))
        for number, run in pdf.running.runs_at(found, end):
            reason = unseen(pdf, document, run)
            if reason:
                yield _at(pdf, number, f"{item.kind} from {item.origin} cannot be read "
                          f"({reason}): “{_quote(item.text)}”")
                break


#: The values a reader acts on, by what they are called in messages.
VALUES = (("e-mail address", facts.EMAIL_RE), ("web address", facts.URL_RE),
          ("phone number", facts.PHONE_RE), ("number", facts.NUMBER_RE))


def values_visible(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every e-mail address, web address, phone number and number with a
    unit that the template prints around the leaflet's own text (the
    clinic's contact details under "About this leaflet", say) is drawn
    where a reader can see it. (Those in the leaflet's blocks are
    :func:`checked_values_visible`'s.)"""
    html = html_text(document.html)
    own = "".join(fold(item.text) for item in document.expected)
    visible = "".join(pdf.folded_runs[id(run)] for _number, run in pdf.everything.runs
                      if not unseen(pdf, document, run))
    drawn = pdf.everything.text
    reported: set[str] = set()
    for what, pattern in VALUES:
        for match in pattern.finditer(html.body):
            if what == "number" and not re.search(r"\d\s?[^\d\s.,:]", match[0]):
                continue  # a number without a unit: a date, a version, a page
            key = fold(match[0])
            if not key or key in reported or key in own or key in visible:
                continue
            found = drawn.find(key)
            if found < 0:
                continue  # not drawn at all: not this check's business
            reported.add(key)
            hidden = [(number, run) for number, run
                      in pdf.everything.runs_at(found, found + len(key))
                      if unseen(pdf, document, run)]
            number, run = hidden[0] if hidden else (None, None)
            reason = f" ({unseen(pdf, document, run)})" if run else ""
            yield _at(pdf, number, f"the {what} “{match[0]}” cannot be read{reason}")


#: What a line ends with where automatic hyphenation (or a soft hyphen)
#: broke a word: WeasyPrint draws U+2010.
HYPHENATION = ("\u2010", "\u00ad")
#: What a value may end a line with and go on directly on the next: its own
#: hyphen or slash (a break at a space loses the space at the line end).
_JOINED = ("-", "/", "\u2011") + HYPHENATION
_ARTICLES = {values.EMAIL: "an e-mail address", values.WEB: "a web address",
             values.PHONE: "a phone number", values.DATE: "a date",
             values.FREQUENCY: "a frequency", values.RANGE: "a range",
             values.NUMBER: "a number with its unit"}


def lines(pdf: ReadPdf, document: Document) -> list[tuple[int, str]]:
    """The lines of running text, in reading order, as ``(page, text)``: the
    runs drawn one after another on one baseline (table cells that share a
    baseline make one line). WeasyPrint draws the pieces of a line in
    reading order, also in right-to-left text (where only the glyphs inside
    one piece come in visual order): a value, set in pieces of its own,
    reads as written."""
    rtl = document.direction == "rtl"
    found: list[tuple[int, list[Run]]] = []
    for number, run in pdf.running.runs:
        if found and found[-1][0] == number:
            last = found[-1][1][-1]
            if (abs(run.y - last.y) <= 0.3 * max(run.size, last.size)
                    and (rtl or run.x >= last.end - 0.3 * run.size)):
                found[-1][1].append(run)
                continue
        found.append((number, [run]))
    return [(number, "".join(run.text for run in line)) for number, line in found]


@dataclass(frozen=True)
class Rewrapped:
    """The running text with its lines joined again as written: a
    hyphenation mark at a line end dropped, the space of a break at a space
    put back. ``breaks``: each line break in ``text`` as ``(page, end,
    start, hyphenated)``: the line before ends at ``end`` (on ``page``), the
    next starts at ``start``."""

    text: str
    breaks: list[tuple[int, int, int, bool]]


def rewrap(pdf: ReadPdf, document: Document) -> Rewrapped:
    """The running text of :func:`lines` joined again (see :class:`Rewrapped`):
    a line that ends in a hyphen or a slash goes on directly, any other after
    a space (the space a line breaks at is not drawn)."""
    pieces: list[str] = []
    breaks: list[tuple[int, int, int, bool]] = []
    position, previous = 0, 0
    for page, line in lines(pdf, document):
        line = line.strip()
        if not line:
            continue
        if pieces:
            hyphenated = pieces[-1].endswith(HYPHENATION)
            gap = "" if pieces[-1].endswith(_JOINED) else " "
            if hyphenated:
                pieces[-1] = pieces[-1][:-1]
                position -= 1
            breaks.append((previous, position, position + len(gap), hyphenated))
            pieces.append(gap)
            position += len(gap)
        pieces.append(line)
        position += len(line)
        previous = page
    return Rewrapped("".join(pieces), breaks)


def _origin(key: str, document: Document) -> str:
    """Where a value (folded) comes from: the block that has it."""
    for item in document.expected:
        if key in fold(item.text).casefold():
            return f"{item.kind} from {item.origin}"
    return "the template's text"


def values_whole(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """No value of the document that a reader copies or acts on is broken
    across lines of running text (or pages): an e-mail or web address, a
    phone number, a number with its unit, a frequency, a range or a date,
    read in the document's language by the readers of :mod:`leafpress.text.values`
    in the document's text and on the page (a number of digits alone cannot
    break). A line end in a hyphen inside a value breaks it too. A web
    address longer than :data:`leafpress.text.values.LONG_WEB_ADDRESS` may break
    right after one of its own slashes, and nowhere else."""
    wanted = {fold(value.text).casefold()
              for value in values.find(html_text(document.html).body, document.lang)
              if not value.text.isdigit()}
    wrapped = rewrap(pdf, document)
    text, ends = wrapped.text, [end for _page, end, _start, _cut in wrapped.breaks]
    for value in values.find(text, document.lang):
        index, inside = bisect_right(ends, value.start), []
        while index < len(ends) and wrapped.breaks[index][2] < value.end:
            inside.append(wrapped.breaks[index])
            index += 1
        key = fold(value.text).casefold()
        if not inside or key not in wanted or (
                value.kind == values.WEB and len(value.text) > values.LONG_WEB_ADDRESS
                and all(text[end - 1] == "/" and end == start and not hyphenated
                        for _page, end, start, hyphenated in inside)):
            continue
        shown, position = "", value.start
        for _page, end, start, hyphenated in inside:
            shown += text[position:end] + ("-" if hyphenated else "") + "/"
            position = start
        shown += text[position:value.end]
        yield _at(pdf, inside[0][0], f"“{_quote(shown)}” is broken across lines: "
                  f"{_ARTICLES[value.kind]} must stay on one line "
                  f"({_origin(key, document)})")


def no_hyphenation(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """When hyphenation is off (``[print] hyphenate``, the default: clear
    print splits no words), no line of running text ends in a hyphenated
    word (WeasyPrint's U+2010, where a soft hyphen or automatic hyphenation
    broke it)."""
    if document.hyphenate:
        return
    wrapped = rewrap(pdf, document)
    found: dict[int, list[str]] = {}
    for page, end, start, hyphenated in wrapped.breaks:
        if hyphenated:
            before = re.search(r"\S*\Z", wrapped.text[max(end - 40, 0):end])[0]
            after = re.match(r"\S*", wrapped.text[start:start + 40])[0]
            found.setdefault(page, []).append(f"{before}-/{after}")
    for page, words in found.items():
        for word in words[:LISTED_PER_PAGE]:
            yield _at(pdf, page, f"“{_quote(word)}” is hyphenated at the end of a "
                      "line, and hyphenation is off ([print] hyphenate)")
        if len(words) > LISTED_PER_PAGE:
            yield _at(pdf, page, f"and {len(words) - LISTED_PER_PAGE} more hyphenated "
                      "line ends")


# --- what the page may hold besides text ----------------------------------


class _HtmlText(HTMLParser):
    """The text of an HTML document's body, its links (target and text), its
    list items and the strings of its page-margin boxes."""

    BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl",
              "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
              "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
              "table", "td", "th", "tr", "ul"}
    SKIPPED = {"head", "script", "style", "template", "title", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[tuple[str, list[str]]] = []
        self.list_items = 0
        self.styles: list[str] = []
        self._skipping: list[str] = []
        self._open_links: list[list[str]] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping.append(tag)
            self._in_style = tag == "style"
            return
        if tag == "li":
            self.list_items += 1
        if tag in self.BLOCKS:
            self.text.append(" ")
        if tag == "a":
            href = dict(attrs).get("href")
            text: list[str] = []
            self._open_links.append(text)
            if href is not None:
                self.links.append((href, text))

    def handle_endtag(self, tag):
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
            self._in_style = False
            return
        if tag in self.BLOCKS:
            self.text.append(" ")
        if tag == "a" and self._open_links:
            self._open_links.pop()

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        if self._skipping:
            return
        self.text.append(data)
        for text in self._open_links:
            text.append(data)


@dataclass(frozen=True)
class HtmlText:
    """What a composed document's HTML says, for comparing a page with it:
    its body text (as is, and folded and lower-cased), its words, the words
    of its page header and footer strings, its links (target, text) and its
    list items."""

    body: str
    folded: str
    words: frozenset[str]
    margin_words: frozenset[str]
    links: tuple[tuple[str, str], ...]
    list_items: int


_MARGIN_BOX_RE = re.compile(r"@(?:top|bottom|left|right)-[a-z-]+\s*\{([^{}]*)\}")
_CSS_STRING_RE = re.compile(r'"((?:\\.|[^"\\])*)"' + r"|'((?:\\.|[^'\\])*)'")
_CSS_ESCAPE_RE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(\n)|(.))")


def _css_text(string: str) -> str:
    return _CSS_ESCAPE_RE.sub(lambda match: chr(int(match[1], 16)) if match[1] else (
        "" if match[2] else match[3]), string)


@lru_cache(maxsize=16)
def html_text(html: str) -> HtmlText:
    """Read a document's HTML once (a worker verifies several PDFs of it)."""
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    body = "".join(reader.text)
    margins = " ".join(_css_text(first or second)
                       for style in reader.styles
                       for box in _MARGIN_BOX_RE.findall(style)
                       for first, second in _CSS_STRING_RE.findall(box))
    return HtmlText(body, fold(body).casefold(), frozenset(words(body)),
                    frozenset(words(margins)),
                    tuple((href, "".join(text)) for href, text in reader.links),
                    reader.list_items)


def _marker_ok(text: str, html: HtmlText) -> bool:
    """A list marker is a bullet, or the number of one of the list items."""
    number = re.sub(r"\D", "", text)
    return not number or 1 <= int(number) <= html.list_items


def no_generated_text(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every piece of text on a page comes from the document's HTML: none is
    made up by CSS (``content``, a hyphenation character, a counter). A run
    of running text is a piece of the HTML's text (for right-to-left pages,
    where runs come in visual order, each of its words is); a list marker is
    a bullet or the number of a list item; the page header and footer hold
    only words of the HTML's text or of the template's page-margin strings,
    and any number in them is one of the HTML's text or a page number."""
    html = html_text(document.html)
    rtl = document.direction == "rtl"
    pages = {str(number) for number in range(1, len(pdf.drawn) + 1)}
    for number, (page, page_runs) in enumerate(zip(pdf.reader.pages, pdf.drawn,
                                                   strict=True), start=1):
        height = float(page.mediabox.height)
        found = []
        for run in page_runs:
            key = pdf.folded_runs[id(run)].casefold()
            if not key:
                continue
            if MARKER_RE.match(run.text):
                if not _marker_ok(run.text, html):
                    found.append(run)
            elif _in_body(run, height, document.paper):
                if (any(word not in html.folded for word in words(run.text)) if rtl
                        else key not in html.folded):
                    found.append(run)
            elif any(word not in html.words and (
                    any(char.isdigit() for char in word) and word not in pages
                    or not any(char.isdigit() for char in word)
                    and word not in html.margin_words) for word in words(run.text)):
                found.append(run)
        for run in found[:LISTED_PER_PAGE]:
            yield _at(pdf, number, f"text that is not in the document (made by CSS?): "
                      f"“{_quote(run.text)}”")
        if len(found) > LISTED_PER_PAGE:
            yield _at(pdf, number, f"and {len(found) - LISTED_PER_PAGE} more runs of "
                      "text that are not in the document")


def _leaflet_links(document: Document) -> set[str]:
    """The link targets a document may have: those of ``<a>`` elements of its
    HTML whose text is the leaflet's own (a Markdown link in a block), with
    a scheme leaflets may use."""
    own = "".join(fold(item.text) for item in document.expected).casefold()
    return {href for href, text in html_text(document.html).links
            if fold(text) and fold(text).casefold() in own
            and href.strip().lower().startswith(ALLOWED_LINK_SCHEMES)}


#: Actions that stay inside the document.
_INTERNAL_ACTIONS = ("/GoTo",)


def _actions(action, seen: set[int]) -> Iterator[object]:
    """An action and the actions it chains to (``/Next``)."""
    action = action.get_object()
    if id(action) in seen or not hasattr(action, "get"):
        return
    seen.add(id(action))
    yield action
    following = action.get("/Next")
    if following is not None:
        following = following.get_object()
        for item in following if isinstance(following, list) else [following]:
            yield from _actions(item, seen)


#: What an action does, by its type (``/S``).
_ACTION_VERBS = {"/JavaScript": "runs JavaScript",
                 "/Launch": "launches a file or program",
                 "/GoToR": "opens another file", "/GoToE": "opens an embedded file",
                 "/SubmitForm": "sends a form", "/ImportData": "imports data",
                 "/URI": "goes to a web address"}


def _verb(action) -> str:
    kind = str(action.get("/S"))
    return _ACTION_VERBS.get(kind, f"runs a {kind} action")


def _link_problem(action, allowed: set[str]) -> str | None:
    """What is wrong with an action of a link (``None``: nothing)."""
    kind = str(action.get("/S"))
    if kind in _INTERNAL_ACTIONS:
        return None
    if kind != "/URI":
        return f"a link that {_verb(action)}"
    uri = str(action.get("/URI", ""))
    if not uri.strip().lower().startswith(ALLOWED_LINK_SCHEMES):
        schemes = ", ".join(scheme.rstrip(":") for scheme in ALLOWED_LINK_SCHEMES)
        return f"a link to {uri[:80]!r}: links may only be {schemes}"
    if unquote(uri) not in {unquote(link) for link in allowed}:
        return f"a link to {uri[:80]!r}, where the leaflet's text does not link"
    return None


def links_allowed(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """Every link and action on a page goes where the leaflet's own text
    links (an ``https``, ``http``, ``mailto`` or ``tel`` link of one of its
    blocks) or to a place in the document: no ``javascript:`` or ``file:``
    link, no script, no launching of files; every annotation is a link."""
    allowed = _leaflet_links(document)
    for number, page in enumerate(pdf.reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            subtype = str(annotation.get("/Subtype"))
            if subtype == "/FileAttachment":
                yield _at(pdf, number, "a file attached to the page")
                continue
            if subtype != "/Link":
                yield _at(pdf, number, f"an annotation of type {subtype}; a leaflet "
                          "has links only")
            if "/AA" in annotation:
                yield _at(pdf, number, "a link with actions of its own (/AA)")
            action = annotation.get("/A")
            for item in _actions(action, set()) if action is not None else ():
                problem = _link_problem(item, allowed)
                if problem:
                    yield _at(pdf, number, problem)
        if "/AA" in page:
            yield _at(pdf, number, "the page runs actions when it is opened (/AA)")


def no_active_content(pdf: ReadPdf, document: Document) -> Iterator[Problem]:
    """The document runs nothing and carries no files: no ``/OpenAction``
    other than going to a page, no document actions (``/AA``), no document
    JavaScript, no embedded or associated files (``/EmbeddedFiles``,
    ``/AF``), and the bookmarks only go to places in the document."""
    root = pdf.reader.trailer["/Root"].get_object()
    opening = root.get("/OpenAction")
    if opening is not None and hasattr(opening.get_object(), "get"):
        for action in _actions(opening, set()):
            if str(action.get("/S")) not in _INTERNAL_ACTIONS:
                yield _at(pdf, None, f"opening the file {_verb(action)} (/OpenAction)")
    if "/AA" in root:
        yield _at(pdf, None, "document actions (/AA)")
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names:
        yield _at(pdf, None, "document JavaScript (/Names /JavaScript)")
    if "/EmbeddedFiles" in names:
        yield _at(pdf, None, "files embedded in the document (/EmbeddedFiles)")
    if "/AF" in root or any("/AF" in page for page in pdf.reader.pages):
        yield _at(pdf, None, "files associated with the document (/AF)")
    outlines = root.get("/Outlines")
    todo = [outlines.get_object().get("/First")] if outlines is not None else []
    seen: set[int] = set()
    while todo:
        item = todo.pop()
        if item is None:
            continue
        item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        todo += [item.get("/First"), item.get("/Next")]
        action = item.get("/A")
        for each in _actions(action, set()) if action is not None else ():
            if str(each.get("/S")) not in _INTERNAL_ACTIONS:
                yield _at(pdf, None, f"a bookmark that {_verb(each)}")


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
    (each half of each side says what its A5 page says, and no text reaches
    out of its half; mirrored for a right-to-left language), and the
    language and reading direction."""
    from leafpress.printing.impose import A4_LANDSCAPE, padded, sheet_order

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
    rtl = document.direction == "rtl"
    preferences = booklet.trailer["/Root"].get("/ViewerPreferences")
    direction = preferences.get_object().get("/Direction") if preferences else None
    if (direction == "/R2L") != rtl:
        problems.append(Problem(shown, None, f"/ViewerPreferences /Direction is "
                                f"{direction!r} in a {document.direction} booklet"))
    width, height = A4_LANDSCAPE
    pages = [fold("".join(run.text for run in runs(page))) for page in copy.pages]
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
            if fold(run.text) and not _within(run.box, area, run):
                problems.append(Problem(shown, None, f"text reaches out of the {half} "
                                        f"half: “{_quote(run.text)}”",
                                        where=f"side {number}"))
        for half, page in (("left", left), ("right", right)):
            expected = pages[page - 1] if page else ""
            if fold(halves[half]) != expected:
                what = f"A5 page {page}" if page else "a blank page"
                problems.append(Problem(shown, None, f"the {half} half should be "
                                        f"{what}", where=f"side {number}"))
    return problems
