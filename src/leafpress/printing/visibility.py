"""Whether a reader can see each run of text of a PDF, and the checks that ask.

Called by :mod:`leafpress.printing.verify`, whose checks include the ones here.
In: a :class:`~leafpress.printing.readback.ReadPdf` and the
:class:`~leafpress.model.Document` it was printed from. Out: why a run cannot be
seen (:func:`unseen`: off the page, clipped away, not painted, too small or too
faint), and problems for text, and the values in it, that a reader cannot see.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterator
from functools import lru_cache

from leafpress.errors import Problem
from leafpress.model import Document
from leafpress.printing.html_text import html_text
from leafpress.printing.readback import (
    LISTED_PER_PAGE,
    ReadPdf,
    fold,
    located_blocks,
    problem_at,
    quoted,
    word_pieces,
    word_present,
    words,
)
from leafpress.printing.textrun import Box, Colour, Run
from leafpress.settings.project import MIN_CONTRAST, contrast
from leafpress.text import facts

DRAFT_MARK = "DRAFT"
#: No text is drawn smaller than this (points, measured across the line and
#: along it): the smallest type size the European Commission's guideline on
#: the readability of the labelling and package leaflet of medicinal
#: products (2009) accepts. The template's smallest print, the footer of the
#: A5 booklet, is 9 pt; 1 px type (0.75 pt) is a way of hiding text.
MIN_TEXT_PT = 9.0
#: How far (points) a run may reach past the page or its clip: glyph boxes
#: are estimated, and a glyph's side bearing may touch the edge.
EDGE_SLACK = 0.5


def _hex_colour(colour: Colour) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in colour)


def box_within(box: Box, area: Box, run: Run) -> bool:
    """Whether a run's glyph box lies inside ``area`` (with some slack: a
    quarter em up and down, where the estimated box may overshoot)."""
    down = run.size / 4
    return (box[0] >= area[0] - EDGE_SLACK and box[2] <= area[2] + EDGE_SLACK
            and box[1] >= area[1] - down and box[3] <= area[3] + down)


def _off_page(run: Run, page: Box, document: Document) -> str | None:
    if box_within(run.box, page, run):
        return None
    left, bottom, right, top = run.box
    return (f"text drawn off the page (x {left:.0f} to {right:.0f} pt, y {bottom:.0f} "
            f"to {top:.0f} pt; the page is {page[2] - page[0]:.0f} x "
            f"{page[3] - page[1]:.0f} pt)")


def _clipped(run: Run, page: Box, document: Document) -> str | None:
    if run.clip is None or box_within(run.box, run.clip, run):
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
            yield problem_at(pdf, number, f"{reason}: “{quoted(run.text)}”")
        if len(found) > LISTED_PER_PAGE:
            yield problem_at(pdf, number, f"and {len(found) - LISTED_PER_PAGE} more "
                             "runs of text like these")


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
    """Every block that :func:`~leafpress.printing.verify.text_in_order`
    finds (phone numbers, doses and e-mail addresses among its words) is
    carried by runs a reader can see: on the page, not clipped, painted, large
    enough and in contrast (for right-to-left text: each of its words is in
    such a run)."""
    if document.direction == "rtl":
        visible = word_pieces(run for _number, run in pdf.running.runs
                              if not unseen(pdf, document, run))
        everything = word_pieces(run for _number, run in pdf.running.runs)
        for item in document.expected:
            hidden = [word for word in words(item.text)
                      if word_present(word, everything)
                      and not word_present(word, visible)]
            if hidden:
                number, run = next(
                    ((number, run) for number, run in pdf.running.runs
                     if set(words(run.text)) & set(hidden)), (None, None))
                reason = f" ({unseen(pdf, document, run)})" if run else ""
                yield problem_at(pdf, number, f"{item.kind} from {item.origin} cannot "
                                 f"be read{reason}: {' '.join(hidden[:8])}")
        return
    for item, found, end in located_blocks(pdf, document):
        if found < 0:
            continue
        end = end if end >= 0 else found + len(fold(item.text))
        for number, run in pdf.running.runs_at(found, end):
            reason = unseen(pdf, document, run)
            if reason:
                yield problem_at(pdf, number, f"{item.kind} from {item.origin} cannot "
                                 f"be read ({reason}): “{quoted(item.text)}”")
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
            yield problem_at(pdf, number,
                             f"the {what} “{match[0]}” cannot be read{reason}")
