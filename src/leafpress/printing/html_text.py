"""The text of a composed document's HTML, to compare a printed page with.

Called by the checks of :mod:`leafpress.printing.visibility`,
:mod:`leafpress.printing.line_breaks` and :mod:`leafpress.printing.safety`. In:
the HTML of a :class:`~leafpress.model.Document`. Out: an :class:`HtmlText`: its
body text (as is and folded), its words, the words of its page header and footer
strings, its links and how many list items it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from leafpress.printing.readback import fold, words


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
