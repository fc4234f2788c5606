"""HTML for ``leafpress import``: parsing it, and what its elements are.

Used by :mod:`~leafpress.sources.html_blocks`,
:mod:`~leafpress.sources.html_faq` and the HTML and WordPress readers. In:
the text of a page or a post's content. Out: an element tree, cleaned of
characters no leaflet may hold, and the sets of elements that are dropped,
are blocks or are bold.

HTML is parsed with tinyhtml5, never with regular expressions or the standard
library's ``html.parser``: clinic pages are hand-edited, pasted from word
processors and mangled by page builders, so unclosed ``<p>`` and ``<li>``,
misnested ``<b><i>``, stray end tags and text in odd places inside tables are
the rule. tinyhtml5 (the maintained fork of html5lib that WeasyPrint already
depends on, so it costs nothing to install) implements the WHATWG parsing
algorithm and therefore repairs any input into exactly the tree a browser
shows, with scripts, styles and comments as separate nodes that are dropped
whole; a pattern or a tolerant tokenizer would have to guess at that repair and
would guess wrong on exactly the pages that matter, letting markup or script
text leak into a leaflet.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import tinyhtml5

from leafpress.sources.blocks import clean

#: Elements dropped with everything in them, and counted in the notes.
DROPPED = frozenset({
    "script", "style", "iframe", "form", "input", "button", "noscript", "svg",
    "object", "embed", "canvas", "template", "nav", "select", "textarea", "video",
    "audio", "map", "math", "frameset", "frame", "noframes", "applet", "dialog",
})
#: Dropped without a note: they never hold text a reader sees.
SILENT = frozenset({"head", "title", "meta", "link", "base", "param", "source",
                    "track", "wbr", "area", "col", "colgroup"})
#: Page furniture, dropped from saved pages (not from a post's content).
FURNITURE = frozenset({"header", "footer", "aside"})
#: Struck-out text: no longer true, so not carried into a leaflet.
DELETED = frozenset({"del", "s", "strike"})
BOLD = frozenset({"strong", "b", "em", "i"})
HEADINGS = {f"h{level}": level for level in range(1, 7)}
BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center",
    "dd", "details", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main",
    "menu", "ol", "optgroup", "option", "p", "plaintext", "pre", "search",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul", "xmp", *HEADINGS,
})


def parse_html(text: str) -> ET.Element:
    """Parse ``text``; character references may make control characters, so
    the text and attributes of the tree are cleaned again."""
    root = tinyhtml5.parse(clean(text), namespace_html_elements=False)
    for element in root.iter():
        if element.text:
            element.text = clean(element.text)
        if element.tail:
            element.tail = clean(element.tail)
        for key, value in element.attrib.items():
            element.attrib[key] = clean(value)
    return root


def local(element: ET.Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def classes_of(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())
