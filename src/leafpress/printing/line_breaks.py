"""How the running text of a PDF breaks into lines, and the checks that ask.

Called by :mod:`leafpress.printing.verify`, whose checks include
:func:`values_whole` and :func:`no_hyphenation`. In: a
:class:`~leafpress.printing.readback.ReadPdf` and its
:class:`~leafpress.model.Document`. Out: the lines of running text, the text
joined again as written (:func:`rewrap`), and problems for a value broken across
lines and for a hyphenated line end.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from leafpress.errors import Problem
from leafpress.model import Document
from leafpress.printing.html_text import html_text
from leafpress.printing.readback import (
    LISTED_PER_PAGE,
    ReadPdf,
    fold,
    problem_at,
    quoted,
)
from leafpress.printing.textrun import Run
from leafpress.text import values

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
        yield problem_at(pdf, inside[0][0],
                         f"“{quoted(shown)}” is broken across lines: "
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
            yield problem_at(pdf, page, f"“{quoted(word)}” is hyphenated at the end "
                             "of a line, and hyphenation is off ([print] hyphenate)")
        if len(words) > LISTED_PER_PAGE:
            yield problem_at(pdf, page, f"and {len(words) - LISTED_PER_PAGE} more "
                             "hyphenated line ends")
