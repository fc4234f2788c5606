"""Accessibility checks on a composed leaflet's HTML, before it is printed.

Called by :func:`leafpress.printing.compose.compose`. In: a
:class:`~leafpress.model.Document`. Out: :class:`~leafpress.errors.Problem`
objects; any one stops that PDF. WeasyPrint only logs a missing ``lang`` or
``alt`` and says nothing of a missing ``<title>``; PDF/UA-1 (ISO 14289) needs
them all, and screen readers need headings in order. Each rule is one
function in :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from leafpress.errors import Problem
from leafpress.model import Document


@dataclass
class Outline:
    """What the rules look at, gathered in one pass over the HTML."""

    lang: str | None = None
    direction: str | None = None
    title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    images: list[dict[str, str | None]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.outline = Outline()
        self._in_title = False
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.outline.lang = attributes.get("lang")
            self.outline.direction = attributes.get("dir")
        elif tag == "title":
            self._in_title = True
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), ""]
        elif tag == "img":
            self.outline.images.append(attributes)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif self._heading is not None and tag == f"h{self._heading[0]}":
            self.outline.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None

    def handle_data(self, data):
        if self._in_title:
            self.outline.title += data
        if self._heading is not None:
            self._heading[1] += data


def outline(html: str) -> Outline:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.outline


Rule = Callable[[Outline, Document], Iterator[str]]


def language(page: Outline, document: Document) -> Iterator[str]:
    """``<html lang dir>`` names the document's language and direction."""
    if page.lang != document.lang:
        yield f'<html lang="{page.lang}"> should be lang="{document.lang}"'
    if page.direction != document.direction:
        yield f'<html dir="{page.direction}"> should be dir="{document.direction}"'


def title(page: Outline, document: Document) -> Iterator[str]:
    """A real ``<title>``: the leaflet's title."""
    if not page.title.strip():
        yield "the document has no <title>"


def one_h1(page: Outline, document: Document) -> Iterator[str]:
    """Exactly one level-1 heading."""
    count = sum(1 for level, _text in page.headings if level == 1)
    if count != 1:
        yield f"{count} level-1 headings; a leaflet has exactly one (its title)"


def heading_order(page: Outline, document: Document) -> Iterator[str]:
    """No heading skips a level."""
    previous = 0
    for level, text in page.headings:
        if level > previous + 1:
            yield (f"heading “{text[:40]}” is level {level} after level {previous}; "
                   "do not skip a level")
        previous = level


def image_alt(page: Outline, document: Document) -> Iterator[str]:
    """Every image has alt text (``alt=""`` only for decoration is not
    accepted in a leaflet: every picture carries meaning)."""
    for image in page.images:
        if not (image.get("alt") or "").strip():
            yield f"image {image.get('src', '?')!r} has no alt text"


RULES: tuple[Rule, ...] = (language, title, one_h1, heading_order, image_alt)


def check(document: Document, shown: str) -> list[Problem]:
    """Every accessibility problem of a composed document."""
    page = outline(document.html)
    return [Problem(shown, None, f"accessibility: {message}")
            for rule in RULES for message in rule(page, document)]
