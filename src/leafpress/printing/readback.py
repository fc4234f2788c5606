"""Read a PDF back: open it strictly and take the text of every page as drawn.

Called by :mod:`leafpress.printing.verify` and the checks it runs. In: a PDF (a
file or its bytes) and the paper it was printed on. Out: a :class:`ReadPdf`:
every run of text of each page (read by :mod:`leafpress.printing.pdftext`, or
through pypdf where that cannot decode a font), the running text folded
(:func:`fold`) run after run, and the helpers the checks share: where each block
of a document is found in it (:func:`located_blocks`), its words (:func:`words`),
and a problem at one of its pages (:func:`problem_at`).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PdfReader

from leafpress.errors import Problem
from leafpress.model import Document, Paper
from leafpress.printing import pdfobjects, pdftext
from leafpress.printing.textrun import Box, Run, Unsupported

MM = 72 / 25.4
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
    #: What each rule of :data:`~leafpress.printing.visibility.UNSEEN` says of
    #: each run, once computed.
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
    :class:`~leafpress.printing.textrun.Run`): read by
    :mod:`leafpress.printing.pdftext`, or with pypdf's text extraction for a
    page whose fonts that one cannot decode."""
    try:
        return pdftext.runs(page)
    except Unsupported:
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
    except Unsupported:
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


def within_margins(run: Run, page_height: float, paper: Paper) -> bool:
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
            if within_margins(run, height, paper)
            and not MARKER_RE.match(run.text)]


def _visible_box(page) -> Box:
    """What a page shows of itself: its CropBox, within its MediaBox."""
    media, crop = page.mediabox, page.cropbox
    return (max(float(media.left), float(crop.left)),
            max(float(media.bottom), float(crop.bottom)),
            min(float(media.right), float(crop.right)),
            min(float(media.top), float(crop.top)))


def open_pdf(source: Path | bytes) -> PdfReader:
    """Open a PDF (a file or its bytes) with ``strict=True``: no silent repair."""
    return PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source,
                     strict=True)


def read_pdf(path: Path | bytes, shown: str, paper: Paper, fast: bool = False
             ) -> ReadPdf:
    """Open a PDF strictly and read its text: every run, and the running text
    folded run by run. ``fast``: read its object streams in one pass
    (:mod:`leafpress.printing.pdfobjects`), for a PDF just written."""
    reader = open_pdf(path)
    if fast:
        pdfobjects.preload(reader)
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


def problem_at(pdf: ReadPdf, page: int | None, message: str) -> Problem:
    return Problem(pdf.shown, None, message, where=f"page {page}" if page else None)


def quoted(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def words(text: str) -> list[str]:
    """The words of a text, folded and lower-cased."""
    text = unicodedata.normalize("NFKC", re.sub("[\u2010\u00ad]\\s*", "", text))
    return [word for word in re.findall(r"\w+", text.casefold())]


def word_pieces(runs: Iterator[Run]) -> set[str]:
    return {word for run in runs for word in words(run.text)}


def word_present(word: str, pieces: set[str]) -> bool:
    """A word is in a right-to-left PDF: whole, or in two pieces (a word
    may be split over two runs of glyphs)."""
    return word in pieces or any(word[:cut] in pieces and word[cut:] in pieces
                                 for cut in range(1, len(word)))


def located_blocks(pdf: ReadPdf,
                   document: Document) -> Iterator[tuple[object, int, int]]:
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
