"""Draft leaflets from clinic web pages (``leafpress import``), read with tinyhtml5.

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
text leak into a leaflet. In: a WordPress REST post (JSON), a saved HTML page or
a plain-text article; out: an :class:`Imported` draft in the leaflet dialect of
:mod:`leafpress.text.markup`, and notes on everything dropped or needing a person.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import tinyhtml5
import yaml

from leafpress.errors import ContentError, Problem
from leafpress.model import SLUG_RE
from leafpress.sources.leaflet import decode
from leafpress.text import markup

FORMATS = ("wordpress", "html", "text")
FAQ_SECTION = "Questions people often ask"

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
FAQ_BLOCK_CLASSES = frozenset({"wp-block-rank-math-faq-block", "rank-math-block",
                               "schema-faq", "wp-block-yoast-faq-block"})
FAQ_ITEM_CLASSES = frozenset({"rank-math-faq-item", "rank-math-list-item",
                              "schema-faq-section"})
QUESTION_CLASSES = frozenset({"rank-math-question", "schema-faq-question"})
ANSWER_CLASSES = frozenset({"rank-math-answer", "schema-faq-answer"})

#: How deep elements may nest before the rest is read as plain text.
MAX_DEPTH = 80
#: How deep lists may nest (markdown-it stops parsing at 20 block levels).
MAX_LIST_DEPTH = 6
BREAK = "\x00"  # a hard line break inside inline Markdown, until it is written

_BAD_CHARS_RE = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\xad\ud800-\udfff\ufffe\uffff]")
_WS_RE = re.compile(r"[ \t\n\r\f\u2028\u2029]+")
_ESCAPE_RE = re.compile(r"[\\`*\[\]<>|]|&(?=#?[A-Za-z0-9]+;)")
_UNDERSCORE_RE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ORDERED_START_RE = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_TRACKING_RE = re.compile(
    r"facebook\.com/tr|google-analytics|googletagmanager|doubleclick|"
    r"stats\.wp\.com|pixel\.wp\.com|/collect\?|spacer\.gif|/1x1\.|"
    r"(?<![a-z])(?:pixel|beacon)(?![a-z])|/(?:track|tracking|tracker)(?:/|\?)",
    re.I)
_WP_SIZE_RE = re.compile(r"-(?:\d+x\d+|scaled)(?=\.[A-Za-z0-9]+$)")
_FAQ_HEADING_RE = re.compile(
    r"\b(?:faqs?|q\s*&\s*a|frequently\s+asked|questions?\s+(?:and|&)\s+answers?|"
    r"common\s+questions|questions\s+people|your\s+questions|"
    r"veel\s*gestelde\s+vragen|vragen\s+en\s+antwoorden|"
    r"h[äa]ufig(?:e|\s+gestellte)\s+fragen|questions\s+fr[ée]quentes|"
    r"foire\s+aux\s+questions|preguntas\s+frecuentes)\b"
    r"|^\s*(?:questions|vragen|fragen)\s*\??\s*$", re.I)
_QUESTION_END_RE = re.compile(r"\?[\s\"'”’»)]*$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
_MORE_RE = re.compile(r"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.|(?:read|lees)\s+(?:more|meer)"
                      r"|continue\s+reading|verder\s+lezen)\s*$", re.I)


@dataclass(frozen=True)
class Imported:
    """A draft leaflet: the whole file and the report on it."""

    slug: str
    text: str
    notes: tuple[str, ...]


class ImportProblem(ContentError):
    """The source cannot be read at all (not UTF-8, not JSON, not a post)."""


# -- detection and decoding --------------------------------------------------


def detect(data: bytes, name: str) -> str:
    """Guess the format of ``data``: ``wordpress``, ``html`` or ``text``."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip(b" \t\r\n\f")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "json" or head[:1] == b"{":
        return "wordpress"
    if head[:1] == b"[":
        try:
            json.loads(data.decode("utf-8-sig"))
        except (ValueError, RecursionError):
            pass
        else:
            return "wordpress"
    lower = head[:2048].lower()
    if (head[:1] == b"<" or suffix in ("html", "htm", "xhtml")
            or b"<html" in lower or b"<!doctype html" in lower):
        return "html"
    return "text"


def _decode(data: bytes | str, name: str) -> str:
    """UTF-8 as leaflets are read (see :func:`leafpress.sources.leaflet.decode`)."""
    if isinstance(data, str):
        return data.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return decode(Path(name), data, name)
    except ContentError as error:
        raise ImportProblem(error.problems) from None


def _clean(text: str) -> str:
    """Drop control characters, soft hyphens, lone surrogates and
    non-characters."""
    return _BAD_CHARS_RE.sub("", text)


def _collapse(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


def _short(text: str, limit: int = 60) -> str:
    text = _collapse(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


# -- the blocks of a body ----------------------------------------------------


@dataclass
class _Heading:
    level: int  # in the source; 0 for the added FAQ section heading
    text: str  # inline Markdown
    plain: str
    out: int = 2  # written level


@dataclass
class _Para:
    text: str


@dataclass
class _Image:
    name: str  # escaped
    alt: str  # escaped
    caption: str = ""  # inline Markdown

    def markdown(self) -> str:
        text = f"**TODO image:** {self.name}"
        details = []
        if self.alt:
            details.append(f'alt: "{self.alt}"')
        if self.caption:
            details.append(f'caption: "{self.caption.replace(BREAK, " ")}"')
        return f"{text} ({'; '.join(details)})" if details else text


@dataclass
class _List:
    ordered: bool
    start: int
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Item:
    text: str
    children: list[_List] = field(default_factory=list)


@dataclass
class _Table:
    rows: list[list[str]]


@dataclass
class _QA:
    question: str
    answer: str


_Block = _Heading | _Para | _Image | _List | _Table | _QA


@dataclass
class _Span:
    """Inline content: text (with BREAK for ``<br>``), bold runs and links."""

    kind: str = "root"  # root, bold, link
    url: str = ""
    children: list[str | _Span] = field(default_factory=list)


# -- Markdown text -----------------------------------------------------------


class _Writer:
    """Escapes text so that it stays text, and keeps count of what it changed."""

    def __init__(self) -> None:
        self.braces = 0
        self.brace_examples: list[str] = []
        self.bold_dropped = 0
        self.links_unlinked = 0

    def escape(self, text: str) -> str:
        if "{" in text or "}" in text:
            self.braces += text.count("{") + text.count("}")
            if len(self.brace_examples) < 3:
                match = (re.search(r"\{[^{}]{0,40}\}", text)
                         or re.search(r"[^{}]{0,20}[{}][^{}]{0,20}", text))
                if match:
                    self.brace_examples.append(_collapse(match[0]))
            text = text.replace("{", "(").replace("}", ")")
        text = _ESCAPE_RE.sub(lambda match: "\\" + match[0], text)
        return _UNDERSCORE_RE.sub(r"\\_", text)

    def plain(self, text: str) -> str:
        """One line of escaped text (titles, file names, alt text)."""
        return _escape_line_start(self.escape(_collapse(text)))

    def inline(self, span: _Span, bold: bool = True) -> str:
        """Inline Markdown for ``span``; BREAK marks hard line breaks.

        The result is parsed back: if a bold run or link cannot be written
        (CommonMark's flanking rules), it is written without bold, then
        without links, rather than as stray asterisks."""
        text = ""
        for attempt, (use_bold, use_links) in enumerate(
                ((bold, True), (False, True), (False, False))):
            counts = [0, 0]
            text = _tidy(self._render(span, not use_bold, use_links, counts))
            merged = text.count("****")
            text = text.replace("****", "")
            if _inline_ok(text, counts[0] - merged, counts[1]):
                if attempt == 1:
                    self.bold_dropped += 1
                elif attempt == 2:
                    self.links_unlinked += 1
                return text
        return text

    def _render(self, span: _Span, in_bold: bool, links: bool,
                counts: list[int]) -> str:
        parts: list[str] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                parts.append(self.escape(_WS_RE.sub(" ", "".join(run))))
                run.clear()

        for child in span.children:
            if isinstance(child, str):
                run.append(child)
                continue
            flush()
            inner = self._render(child, in_bold or child.kind == "bold", links,
                                 counts)
            if child.kind == "bold" and not in_bold:
                wrapped = _wrap(inner, "**", "**")
                counts[0] += wrapped is not inner
                parts.append(wrapped)
            elif child.kind == "link" and links:
                wrapped = _wrap(inner, "[", f"]({child.url})")
                counts[1] += wrapped is not inner
                parts.append(wrapped)
            elif child.kind == "link":
                parts.append(inner)
                url = child.url.replace("mailto:", "").replace("tel:", "")
                if inner.strip(" " + BREAK) and _collapse(inner) != url:
                    parts.append(f" ({self.escape(url)})")
            else:
                parts.append(inner)
        flush()
        return "".join(parts)


def _wrap(inner: str, before: str, after: str) -> str:
    match = re.fullmatch(rf"([\s{BREAK}]*)(.*?)([\s{BREAK}]*)", inner, re.S)
    if not match or not match[2]:
        return inner
    return f"{match[1]}{before}{match[2]}{after}{match[3]}"


def _tidy(text: str) -> str:
    text = re.sub(rf" *{BREAK}[ {BREAK}]*", BREAK, text)
    text = re.sub(r" {2,}", " ", text)
    lines = (_escape_line_start(line.strip()) for line in text.split(BREAK))
    return BREAK.join(line for line in lines if line)


def _escape_line_start(line: str) -> str:
    """Keep a line of text from starting a heading, list, quote, definition,
    fence or thematic break."""
    if not line:
        return line
    first = line[0]
    if first in "#:~=":
        return "\\" + line
    if first in "-+" and (len(line) == 1 or line[1] in " \t"
                          or not line.strip("- \t")):
        return "\\" + line
    match = _ORDERED_START_RE.match(line)
    if match:
        return f"{match[1]}\\{line[len(match[1]):]}"
    return line


def _inline_ok(text: str, bold: int, links: int) -> bool:
    tokens = markup.parser(report=True).parseInline(
        text.replace(BREAK, "\\\n"))
    children = tokens[0].children or [] if tokens else []
    kinds = Counter(child.type for child in children)
    return (kinds["strong_open"] == bold and kinds["link_open"] == links
            and not kinds["em_open"] and not kinds["html_inline"]
            and not kinds["image"] and not kinds["code_inline"])


# -- HTML to blocks ----------------------------------------------------------


def _local(element: ET.Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _int(value: str | None) -> int | None:
    match = re.match(r"\s*(\d{1,6})", value or "")
    return int(match[1]) if match else None


class _Html:
    """Turns a parsed HTML tree into blocks, counting what it leaves out."""

    def __init__(self, writer: _Writer, base: str | None, page: bool):
        self.writer = writer
        self.base = base
        self.page = page
        self.dropped: Counter[str] = Counter()
        self.wp_comments = 0
        self.comments = 0
        self.tracking = 0
        self.hidden = 0
        self.deleted = 0
        self.deep = 0
        self.links: list[str] = []
        self.images: list[tuple[str, str]] = []
        self.flattened: Counter[str] = Counter()
        self.faq: Counter[str] = Counter()
        self.blocky: set[int] = set()

    # - preparation

    def prepare(self, root: ET.Element) -> None:
        """Flatten what nests too deeply, count comments, and find the inline
        elements that hold blocks (a link around a heading and a paragraph)."""
        stack: list[tuple[ET.Element, int, bool]] = [(root, 0, False)]
        while stack:
            element, depth, done = stack.pop()
            if done:
                if any(id(child) in self.blocky or _local(child) in BLOCK
                       for child in element if not self._skipped(child)):
                    self.blocky.add(id(element))
                continue
            if depth >= MAX_DEPTH and len(element):
                self.deep += 1
                element.text = self.text_of(element)
                for child in list(element):
                    element.remove(child)
                continue
            stack.append((element, depth, True))
            for child in element:
                if not isinstance(child.tag, str):
                    text = (child.text or "").strip()
                    if text.startswith(("wp:", "/wp:")):
                        self.wp_comments += 1
                    else:
                        self.comments += 1
                elif not self._skipped(child):
                    stack.append((child, depth + 1, False))

    def _skipped(self, element: ET.Element) -> bool:
        """Elements never read (without counting them)."""
        tag = _local(element)
        return (not tag or tag in DROPPED or tag in SILENT or tag in DELETED
                or (self.page and tag in FURNITURE)
                or element.get("hidden") is not None)

    def skip(self, element: ET.Element) -> bool:
        """Whether to leave ``element`` out; counts it if so."""
        tag = _local(element)
        if not tag:
            return True
        if tag in DROPPED or (self.page and tag in FURNITURE):
            self.dropped[tag] += 1
        elif tag in DELETED:
            self.deleted += 1
        elif element.get("hidden") is not None and tag not in SILENT:
            self.hidden += 1
        elif tag not in SILENT:
            return False
        return True

    def text_of(self, element: ET.Element, newlines: bool = False) -> str:
        """The text of ``element`` as a reader sees it, without recursion."""
        parts: list[str] = [element.text or ""]
        stack: list[ET.Element | str] = []
        for child in reversed(element):
            stack.extend((child.tail or "", child))
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
                continue
            if self._skipped(item):
                continue
            tag = _local(item)
            if tag == "br":
                parts.append("\n" if newlines else " ")
            elif tag in BLOCK:
                parts.append(" ")
            parts.append(item.text or "")
            for child in reversed(item):
                stack.extend((child.tail or "", child))
        return "".join(parts)

    # - blocks

    def blocks(self, element: ET.Element, skip: tuple[ET.Element, ...] = ()
               ) -> list[_Block]:
        """The blocks inside ``element``; loose inline content is paragraphs."""
        out: list[_Block] = []
        span = _Span()
        images: list[_Image] = []

        def flush() -> None:
            nonlocal span, images
            text = self.writer.inline(span) if span.children else ""
            if text:
                out.append(_Para(text))
            out.extend(images)
            span, images = _Span(), []

        if element.text:
            span.children.append(element.text)
        for child in element:
            if child not in skip and not self.skip(child):
                if _local(child) in BLOCK or id(child) in self.blocky:
                    flush()
                    out.extend(self.block(child))
                else:
                    self.inline(child, span, images)
            if child.tail:
                span.children.append(child.tail)
        flush()
        return out

    def block(self, element: ET.Element) -> list[_Block]:
        tag = _local(element)
        classes = _classes(element)
        if classes & (FAQ_BLOCK_CLASSES | FAQ_ITEM_CLASSES) or element.get(
                "id") == "rank-math-faq":
            pairs = self.faq_block(element, classes)
            if pairs is not None:
                return pairs
        if tag in HEADINGS:
            span, images = self.line(element)
            text = self.writer.inline(span)
            plain = _collapse(_plain(span))
            heading = [_Heading(HEADINGS[tag], text, plain)] if text else []
            return [*heading, *images]
        if tag in ("ul", "ol", "menu", "dir"):
            return self.list(element)
        if tag == "table":
            return self.table(element)
        if tag == "dl":
            return self.definitions(element)
        if tag == "figure":
            return self.figure(element)
        if tag == "details":
            return self.details(element)
        if tag in ("pre", "listing", "xmp", "plaintext"):
            lines = (self.writer.plain(line)
                     for line in self.text_of(element, newlines=True).split("\n"))
            text = BREAK.join(line for line in lines if line)
            self.flattened["a preformatted block (<pre>) became a paragraph"] += 1
            return [_Para(text)] if text else []
        if tag == "hr":
            return []
        if tag == "blockquote":
            self.flattened["a quotation (<blockquote>) became plain paragraphs"] += 1
        if tag == "a" and element.get("href"):
            target = _collapse(element.get("href") or "")
            self.links.append(f"dropped the link to {_short(target)!r} around "
                              "whole blocks (kept its text)")
        return self.blocks(element)

    def line(self, element: ET.Element) -> tuple[_Span, list[_Image]]:
        """The inline content of ``element``, whatever it holds."""
        span = _Span()
        images: list[_Image] = []
        self.inline_children(element, span, images)
        return span, images

    def inline(self, element: ET.Element, span: _Span,
               images: list[_Image]) -> None:
        tag = _local(element)
        if tag == "br":
            span.children.append(BREAK)
            return
        if tag == "img":
            image = self.image(element)
            if image is not None:
                images.append(image)
            return
        if tag in BLOCK:
            span.children.append(" ")
            self.inline_children(element, span, images)
            span.children.append(" ")
            return
        target = span
        if tag in BOLD:
            target = _Span("bold")
            span.children.append(target)
        elif tag == "a" and element.get("href") is not None:
            url = self.link(element)
            if url:
                target = _Span("link", url)
                span.children.append(target)
        elif tag == "q":
            span.children.append("“")
        self.inline_children(element, target, images)
        if tag == "q":
            span.children.append("”")

    def inline_children(self, element: ET.Element, span: _Span,
                        images: list[_Image]) -> None:
        if element.text:
            span.children.append(element.text)
        for child in element:
            if not self.skip(child):
                self.inline(child, span, images)
            if child.tail:
                span.children.append(child.tail)

    def link(self, element: ET.Element) -> str | None:
        """The target of a link, resolved and encoded; None to keep the text only."""
        href = re.sub(r"[\t\n\r]", "", (element.get("href") or "").strip())
        text = _short(self.text_of(element)) or "(no text)"
        if not href:
            return None
        lower = href.lower()
        if lower.startswith(("mailto:", "tel:")):
            return _encode_url(href)
        if href.startswith("#"):
            self.links.append(f"dropped the link on {text!r} to {_short(href)!r} "
                              "on the same page (kept its text)")
            return None
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", href)
        try:
            if scheme is None and self.base:
                href = urljoin(self.base, href)
            elif href.startswith("//"):
                href = "https:" + href
            parts = urlsplit(href)
        except ValueError:
            parts = None
        if parts is not None and parts.scheme.lower() in ("http", "https") \
                and parts.netloc:
            return _encode_url(href)
        if scheme is not None:
            why = f"a {scheme[1].lower()}: link"
        elif not self.base:
            why = "a relative link and the page's address is unknown"
        else:
            why = "not a web address"
        self.links.append(f"dropped the link on {text!r} to {_short(href)!r}: "
                          f"{why} (kept its text)")
        return None

    def image(self, element: ET.Element) -> _Image | None:
        src = _collapse(element.get("src") or "")
        lazy = (element.get("data-src") or element.get("data-lazy-src")
                or element.get("data-original") or "")
        if (not src or src.startswith("data:")) and lazy.strip():
            src = _collapse(lazy)
        if not src and (element.get("srcset") or "").strip():
            src = (element.get("srcset") or "").split()[0].rstrip(",")
        width, height = _int(element.get("width")), _int(element.get("height"))
        style = (element.get("style") or "").replace(" ", "").lower()
        if ((width is not None and width <= 1 and (height is None or height <= 1))
                or (height is not None and height <= 1 and width is None)
                or "display:none" in style or _TRACKING_RE.search(src)):
            self.tracking += 1
            return None
        name = _file_name(src)
        alt = _collapse(element.get("alt") or "")
        self.images.append((name, alt))
        return _Image(self.writer.plain(name), self.writer.plain(alt))

    def figure(self, element: ET.Element) -> list[_Block]:
        captions = tuple(child for child in element if _local(child) == "figcaption")
        caption = ""
        for child in captions:
            span, _images = self.line(child)
            caption = " ".join(filter(None, (caption, self.writer.inline(span))))
        blocks = self.blocks(element, skip=captions)
        for block in blocks:
            if isinstance(block, _Image):
                block.caption = caption
                break
        else:
            if caption:
                blocks.append(_Para(caption))
        return blocks

    def list(self, element: ET.Element) -> list[_Block]:
        ordered = _local(element) == "ol"
        start = _int(element.get("start")) if ordered else None
        result = _List(ordered, 1 if start is None else start)
        images: list[_Image] = []
        if (element.text or "").strip():
            result.items.append(_Item(self.writer.plain(element.text or "")))
        for child in element:
            if not self.skip(child):
                tag = _local(child)
                if tag in ("ul", "ol") and result.items:
                    # <ul><li>a</li><ul>...</ul></ul>: the list belongs to "a"
                    for block in self.list(child):
                        if isinstance(block, _List):
                            result.items[-1].children.append(block)
                        else:
                            images.append(block)  # type: ignore[arg-type]
                else:
                    item, item_images = self.item(child)
                    if item is not None:
                        result.items.append(item)
                    images.extend(item_images)
            if (child.tail or "").strip():
                result.items.append(_Item(self.writer.plain(child.tail or "")))
        return [result, *images] if result.items else [*images]

    def item(self, element: ET.Element) -> tuple[_Item | None, list[_Image]]:
        parts: list[str] = []
        children: list[_List] = []
        images: list[_Image] = []
        if _local(element) not in BLOCK and id(element) not in self.blocky:
            span, images = self.line(element)
            blocks: list[_Block] = [_Para(self.writer.inline(span))]
        else:
            blocks = self.blocks(element)
        for block in blocks:
            if isinstance(block, _List):
                children.append(block)
            elif isinstance(block, _Image):
                images.append(block)
            else:
                parts.append(self.flatten(block, "a list item"))
        text = " ".join(part for part in parts if part)
        return (_Item(text, children) if text or children else None), images

    def flatten(self, block: _Block, where: str) -> str:
        """One block as inline text inside a list item, cell or answer."""
        if isinstance(block, _Para):
            return block.text
        if isinstance(block, _Heading):
            return block.text
        if isinstance(block, _Image):
            return block.markdown()
        if isinstance(block, _QA):
            return f"{block.question} {block.answer}"
        self.flattened[f"a {'list' if isinstance(block, _List) else 'table'} "
                       f"inside {where} became running text"] += 1
        if isinstance(block, _List):
            texts = []
            for item in block.items:
                texts.append(" ".join(filter(None, [item.text, *(
                    self.flatten(child, where) for child in item.children)])))
            return "; ".join(text for text in texts if text)
        return "; ".join(", ".join(cell for cell in row if cell)
                         for row in block.rows)

    def table(self, element: ET.Element) -> list[_Block]:
        rows: list[tuple[ET.Element, bool]] = []
        before: list[_Block] = []
        for child in element:
            tag = _local(child)
            if tag in ("thead", "tbody", "tfoot"):
                rows.extend((row, tag == "thead") for row in child
                            if _local(row) == "tr")
            elif tag == "tr":
                rows.append((child, False))
            elif tag == "caption":
                before.extend(self.blocks(child))
        cells_of = [[cell for cell in row if _local(cell) in ("td", "th")]
                    for row, _head in rows]
        if sum(len(cells) for cells in cells_of) == 1:
            self.flattened["a one-cell layout table became plain blocks"] += 1
            cell = next(cell for cells in cells_of for cell in cells)
            return [*before, *self.blocks(cell)]
        heads = [row for (row, head), cells in zip(rows, cells_of, strict=True)
                 if head and cells]
        ordered = ([heads[0]] if heads else []) + [
            row for (row, _head), cells in zip(rows, cells_of, strict=True)
            if cells and (not heads or row is not heads[0])]
        table = _Table([])
        images: list[_Image] = []
        for row in ordered:
            cells: list[str] = []
            for cell in row:
                if _local(cell) not in ("td", "th"):
                    continue
                texts = []
                for block in self.blocks(cell):
                    if isinstance(block, _Image):
                        images.append(block)
                    else:
                        texts.append(self.flatten(block, "a table cell"))
                cells.append(" ".join(filter(None, texts)).replace(BREAK, " "))
                span = _int(cell.get("colspan")) or 1
                cells.extend([""] * (min(span, 50) - 1))
            table.rows.append(cells)
        if not any(any(row) for row in table.rows):
            return [*before, *images]
        return [*before, table, *images]

    def definitions(self, element: ET.Element) -> list[_Block]:
        pairs: list[tuple[list[str], list[str]]] = []
        images: list[_Image] = []
        for child in element:
            tag = _local(child)
            if self.skip(child) or tag not in ("dt", "dd", "div"):
                continue
            parts = [child] if tag != "div" else [
                grandchild for grandchild in child
                if _local(grandchild) in ("dt", "dd")]
            for part in parts:
                span, part_images = self.line(part)
                images.extend(part_images)
                text = self.writer.inline(span, bold=_local(part) == "dd")
                if _local(part) == "dt":
                    if not pairs or pairs[-1][1]:
                        pairs.append(([], []))
                    pairs[-1][0].append(text)
                elif pairs:
                    pairs[-1][1].append(text)
                else:
                    pairs.append(([], [text]))
        out: list[_Block] = []
        questions = all(_QUESTION_END_RE.search(" ".join(terms))
                        for terms, _ in pairs if terms)
        for terms, answers in pairs:
            term = " / ".join(filter(None, terms)).replace(BREAK, " ")
            answer = " ".join(filter(None, answers))
            if questions and term and answer:
                out.append(_QA(term, answer))
                self.faq["a definition list (<dl>)"] += 1
            elif term and answer:
                out.append(_Para(f"**{term}**: {answer}"
                                 if _inline_ok(f"**{term}**", 1, term.count("](")
                                               ) else f"{term}: {answer}"))
            elif term or answer:
                out.append(_Para(term or answer))
        return [*out, *images]

    def details(self, element: ET.Element) -> list[_Block]:
        summary = next((child for child in element if _local(child) == "summary"),
                       None)
        if summary is None:
            return self.blocks(element)
        span, images = self.line(summary)
        question = self.writer.inline(span, bold=False).replace(BREAK, " ")
        answer, answer_images = self.answer(element, skip=(summary,))
        if question and answer and _QUESTION_END_RE.search(_plain(span)):
            self.faq["a <details> block"] += 1
            return [_QA(question, answer), *images, *answer_images]
        blocks: list[_Block] = [_Para(f"**{question}**")] if question else []
        return [*blocks, *images, *self.blocks(element, skip=(summary,))]

    def answer(self, element: ET.Element, skip: tuple[ET.Element, ...] = ()
               ) -> tuple[str, list[_Image]]:
        texts: list[str] = []
        images: list[_Image] = []
        for block in self.blocks(element, skip):
            if isinstance(block, _Image):
                images.append(block)
            else:
                texts.append(self.flatten(block, "an answer"))
        return " ".join(text for text in texts if text), images

    def faq_block(self, element: ET.Element, classes: set[str]) -> list[_Block] | None:
        """A Rank Math or Yoast FAQ block: its questions and answers."""
        order: dict[int, int] = {}
        questions: list[ET.Element] = []
        answers: list[ET.Element] = []
        ends: dict[int, int] = {}
        stack: list[tuple[ET.Element, bool]] = [(element, False)]
        while stack:
            node, done = stack.pop()
            if done:
                ends[id(node)] = len(order)
                continue
            order[id(node)] = len(order)
            stack.append((node, True))
            if node is not element:
                node_classes = _classes(node)
                if node_classes & QUESTION_CLASSES:
                    questions.append(node)
                    continue
                if node_classes & ANSWER_CLASSES:
                    answers.append(node)
                    continue
            for child in reversed(node):
                if isinstance(child.tag, str) and not self._skipped(child):
                    stack.append((child, False))
        if not questions:
            return None
        plugin = ("Yoast" if any("yoast" in name or "schema-faq" in name
                                 for name in classes) else "Rank Math")
        out: list[_Block] = []
        for number, question_element in enumerate(questions):
            low = order[id(question_element)]
            high = (order[id(questions[number + 1])] if number + 1 < len(questions)
                    else len(order))
            answer_element = next((answer for answer in answers
                                   if low < order[id(answer)] < high), None)
            span, images = self.line(question_element)
            question = self.writer.inline(span, bold=False).replace(BREAK, " ")
            answer, answer_images = (self.answer(answer_element)
                                     if answer_element is not None else ("", []))
            if question and answer:
                out.append(_QA(question, answer))
                self.faq[f"the {plugin} FAQ block"] += 1
            elif question or answer:
                out.append(_Para(question or answer))
            out.extend(images)
            out.extend(answer_images)
        return out


def _plain(span: _Span) -> str:
    parts: list[str] = []
    stack: list[str | _Span] = [span]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item.replace(BREAK, " "))
        else:
            stack.extend(reversed(item.children))
    return "".join(parts)


def _encode_url(url: str) -> str:
    return quote(url, safe="!#$%&'*+,/:;=?@[]~-._")


def _file_name(src: str) -> str:
    if not src:
        return "(no file name)"
    if src.lower().startswith("data:"):
        return "(an image embedded in the page)"
    try:
        path = urlsplit(src).path
    except ValueError:
        path = src
    name = unquote(path.rstrip("/").rsplit("/", 1)[-1]) or src
    return _WP_SIZE_RE.sub("", _clean(name)) or "(no file name)"


# -- plain text to blocks ----------------------------------------------------

_ITEM_RE = re.compile(r"^([ \t]*)(\d{1,9}[.)]|[-*•+‣◦▪–])[ \t]+(\S.*)$")
_Q_RE = re.compile(r"^(?:Q|Question|Vraag|Frage)\s*:\s*(.*)$", re.I)
_A_RE = re.compile(r"^(?:A|Answer|Antwoord|Antwort)\s*:\s*(.*)$", re.I)
_HASH_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")


def _text_blocks(lines: list[str], writer: _Writer, notes: list[str]
                 ) -> list[_Block]:
    """Blocks of a plain-text article, read by the shape of its lines."""
    blocks: list[_Block] = []
    para: list[str] = []
    para_alone = True  # the paragraph started after a blank line
    stack: list[tuple[int, _List]] = []  # open lists: (marker indent, list)
    qa: list[list[str]] | None = None  # [question lines, answer lines]
    answering = False
    blank = True
    unanswered = 0

    def flush_para(alone_after: bool) -> None:
        nonlocal para
        if not para:
            return
        text = " ".join(para)
        if (len(para) == 1 and para_alone and alone_after and len(text) < 80
                and text[-1] not in ".!:;," and re.search(r"[^\W\d_]", text)):
            blocks.append(_Heading(2, writer.plain(text), text))
        else:
            blocks.append(_Para(writer.plain(text)))
        para = []

    def flush_qa() -> None:
        nonlocal qa, answering, unanswered
        if qa is not None:
            question, answer = " ".join(qa[0]), " ".join(qa[1])
            if question and answer:
                blocks.append(_QA(writer.plain(question), writer.plain(answer)))
            elif question or answer:
                unanswered += 1
                blocks.append(_Para(writer.plain(question or answer)))
        qa, answering = None, False

    for raw in lines:
        raw = raw.expandtabs(4).rstrip()
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not stripped:
            flush_para(True)
            if qa is not None and answering:
                flush_qa()
            blank = True
            continue
        question = _Q_RE.match(stripped)
        answer = _A_RE.match(stripped) if qa is not None and not answering else None
        item = _ITEM_RE.match(raw)
        hashes = _HASH_RE.match(stripped)
        if question:
            flush_para(False)
            flush_qa()
            stack.clear()
            qa = [[question[1]] if question[1] else [], []]
        elif answer:
            answering = True
            if answer[1]:
                qa[1].append(answer[1])  # type: ignore[index]
        elif qa is not None and not blank:
            qa[1 if answering else 0].append(stripped)
        elif hashes:
            flush_para(False)
            flush_qa()
            stack.clear()
            if hashes[2]:
                blocks.append(_Heading(len(hashes[1]), writer.plain(hashes[2]),
                                       hashes[2]))
        elif item:
            flush_para(False)
            flush_qa()
            marker_indent = indent
            ordered = item[2][0].isdigit()
            while stack and marker_indent < stack[-1][0] - 1:
                stack.pop()
            new_item = _Item(writer.plain(item[3]))
            if stack and marker_indent > stack[-1][0] + 1 and stack[-1][1].items:
                sub = _List(ordered, int(item[2][:-1]) if ordered else 1, [new_item])
                stack[-1][1].items[-1].children.append(sub)
                stack.append((marker_indent, sub))
            elif stack and stack[-1][1].ordered == ordered:
                stack[-1][1].items.append(new_item)
            else:
                sub = _List(ordered, int(item[2][:-1]) if ordered else 1, [new_item])
                if len(stack) > 1:
                    stack.pop()
                    stack[-1][1].items[-1].children.append(sub)
                else:
                    stack.clear()
                    blocks.append(sub)
                stack.append((marker_indent, sub))
        elif stack and (not blank or indent > stack[-1][0]):
            last = stack[-1][1].items[-1]
            last.text = f"{last.text} {writer.plain(stripped)}".strip()
        else:
            flush_qa()
            stack.clear()
            if not para:
                para_alone = blank
            para.append(stripped)
        blank = False
    flush_para(True)
    flush_qa()
    if unanswered:
        notes.append(f"{_plural(unanswered, 'question')} without an answer (or "
                     "answer without a question) kept as paragraphs")
    return blocks


# -- arranging and writing the body ------------------------------------------


def _key(text: str) -> str:
    return _collapse(text).casefold()


def _is_faq_heading(plain: str) -> bool:
    return bool(_FAQ_HEADING_RE.search(plain))


def _arrange(blocks: list[_Block], title: str, notes: list[str]) -> list[_Block]:
    """Drop the title's <h1>, turn question headings under an FAQ heading into
    questions and answers, give questions a section, number the headings."""
    kept: list[_Block] = []
    for block in blocks:
        if (isinstance(block, _Heading) and block.level == 1
                and _key(block.plain) == _key(title)):
            notes.append(f"dropped the <h1> {_short(block.plain)!r}: it is the "
                         "title, in the front matter")
            continue
        kept.append(block)
    blocks = kept

    # Question headings under an FAQ heading, each followed by paragraphs.
    result: list[_Block] = []
    zone: int | None = None
    converted = 0
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if isinstance(block, _Heading):
            if _is_faq_heading(block.plain):
                zone = block.level
            elif (zone is not None and block.level >= zone
                  and _QUESTION_END_RE.search(block.plain)):
                end = index
                while end < len(blocks) and isinstance(blocks[end], _Para | _Image):
                    end += 1
                paras = [b for b in blocks[index:end] if isinstance(b, _Para)]
                if paras and (end == len(blocks)
                              or isinstance(blocks[end], _Heading | _QA)):
                    result.append(_QA(block.text.replace(BREAK, " "),
                                      " ".join(para.text for para in paras)))
                    result.extend(b for b in blocks[index:end]
                                  if isinstance(b, _Image))
                    converted += 1
                    index = end
                    continue
                zone = None
            else:
                zone = None
        result.append(block)
    if converted:
        notes.append(f"turned {_plural(converted, 'question heading')} under an "
                     "FAQ heading into questions and answers")

    # Questions need an FAQ section.
    levels = [block.level for block in result if isinstance(block, _Heading)]
    top = min(levels, default=2)
    blocks, result = result, []
    last: _Heading | None = None
    added = 0
    for block in blocks:
        if isinstance(block, _QA) and (last is None or not _is_faq_heading(last.plain)):
            last = _Heading(0, FAQ_SECTION, FAQ_SECTION)
            result.append(last)
            added += 1
        elif isinstance(block, _Heading):
            last = block
        result.append(block)
    if added:
        notes.append(f"added the section heading {FAQ_SECTION!r} above the "
                     "questions and answers: check where it goes")

    # Levels: the highest becomes ##, and none is skipped.
    stack: list[tuple[int, int]] = []
    changed: list[str] = []
    for block in result:
        if not isinstance(block, _Heading):
            continue
        level = block.level or top
        while stack and stack[-1][0] >= level:
            stack.pop()
        block.out = min(stack[-1][1] + 1 if stack else 2, 6)
        stack.append((level, block.out))
        if block.level and block.out != block.level:
            changed.append(f"{_short(block.plain, 40)!r} h{block.level} → "
                           f"{'#' * block.out}")
    if changed:
        examples = "; ".join(changed[:3]) + ("; …" if len(changed) > 3 else "")
        notes.append(f"renumbered {_plural(len(changed), 'heading')} so that "
                     f"sections start at ## and no level is skipped: {examples}")
    return result


def _list_lines(block: _List, indent: str, alternate: bool) -> list[str]:
    lines: list[str] = []
    for number, item in enumerate(block.items, start=block.start):
        if block.ordered:
            marker = f"{min(number, 999_999_999)}{')' if alternate else '.'}"
        else:
            marker = "*" if alternate else "-"
        pad = indent + " " * (len(marker) + 1)
        text = item.text.replace(BREAK, "\\\n" + pad)
        lines.append(f"{indent}{marker} {text}" if text else f"{indent}{marker}")
        previous: _List | None = None
        child_alternate = False
        for child in item.children:
            child_alternate = (previous is not None
                               and previous.ordered == child.ordered
                               and not child_alternate)
            if child.ordered and child.start != 1 and text:
                lines.append("")  # only a list starting at 1 can follow text
            lines.extend(_list_lines(child, pad, child_alternate))
            previous = child
    return lines


def _markdown(blocks: list[_Block]) -> str:
    chunks: list[str] = []
    previous: _Block | None = None
    alternate = False
    for block in blocks:
        if isinstance(block, _Heading):
            text = re.sub(r"#(?=[#\s]*$)", r"\\#", block.text.replace(BREAK, " "))
            chunks.append(f"{'#' * block.out} {text}")
        elif isinstance(block, _Para):
            chunks.append(block.text.replace(BREAK, "\\\n"))
        elif isinstance(block, _Image):
            chunks.append(block.markdown())
        elif isinstance(block, _List):
            alternate = (isinstance(previous, _List)
                         and previous.ordered == block.ordered and not alternate)
            chunks.append("\n".join(_list_lines(block, "", alternate)))
        elif isinstance(block, _Table):
            width = max(len(row) for row in block.rows)
            rows = [row + [""] * (width - len(row)) for row in block.rows]
            lines = ["| " + " | ".join(rows[0]) + " |",
                     "| " + " | ".join(["---"] * width) + " |"]
            lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
            chunks.append("\n".join(lines))
        elif isinstance(block, _QA):
            answer = block.answer.replace(BREAK, "\\\n  ")
            chunks.append(f"{block.question.replace(BREAK, ' ')}\n: {answer}")
        previous = block
    return "\n\n".join(chunks) + "\n" if chunks else ""


# -- front matter ------------------------------------------------------------


def _yaml(value: str) -> str:
    return yaml.safe_dump(value, default_style='"', allow_unicode=True,
                          width=2**31).strip()


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if slug and len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word[:60]
    return slug


def _date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _summary(text: str) -> str:
    """One or two whole sentences of ``text``."""
    text = _collapse(text)
    cut = False
    while True:
        shorter = _MORE_RE.sub("", text)
        if shorter == text:
            break
        text, cut = shorter, True
    sentences = [part for part in _SENTENCE_END_RE.split(text) if part.strip()]
    if cut and len(sentences) > 1 and not re.search(r"[.!?…][\"'”’)]*$",
                                                     sentences[-1]):
        sentences.pop()
    summary = " ".join(sentences[:2])
    if len(summary) > 300 and len(sentences) > 1:
        summary = sentences[0]
    if len(summary) > 300:
        summary = summary[:280].rsplit(" ", 1)[0] + "…"
    return summary.strip()


@dataclass
class _Source:
    """What a reader found besides the blocks."""

    fmt: str
    title: str = ""
    slug: str = ""
    summary: str = ""
    summary_from: str = ""
    link: str | None = None
    published: str | None = None
    modified: str | None = None


def _finish(source: _Source, blocks: list[_Block], name: str, writer: _Writer,
            notes: list[str], empty: str | None) -> Imported:
    title = _collapse(source.title)
    if not title:
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        title = _collapse(re.sub(r"[-_]+", " ", stem)).capitalize() or "Untitled"
        notes.append(f"the source has no title; used {title!r}: write a real one")
    blocks = _arrange(blocks, title, notes)
    if not any(isinstance(block, _Heading | _Para | _List | _Table | _QA)
               for block in blocks):
        notes.append(empty or "the source has no text")
        blocks.append(_Para("**TODO:** the source had no text; write the "
                            "leaflet here."))
    flattened = sum(_cap_lists(block) for block in blocks if isinstance(block, _List))
    if flattened:
        notes.append(f"wrote {_plural(flattened, 'list item')} nested deeper than "
                     f"{MAX_LIST_DEPTH} levels into the item above them")
    body = _markdown(blocks)

    slug = source.slug
    if not SLUG_RE.match(slug):
        slug = _slugify(unquote(slug)) or _slugify(title) or _slugify(
            name.rsplit(".", 1)[0]) or "imported-leaflet"
        notes.append(f"made the slug {slug!r} from the "
                     f"{'source' if source.slug else 'title'}: check it")
    counted = Counter(type(block).__name__ for block in blocks)
    items = sum(_count_items(block) for block in blocks if isinstance(block, _List))
    notes.insert(0, f"imported {name} as {source.fmt}: "
                 f"{_plural(counted['_Heading'], 'heading')}, "
                 f"{_plural(counted['_Para'], 'paragraph')}, "
                 f"{_plural(items, 'list item')}, "
                 f"{_plural(counted['_Table'], 'table')}, "
                 f"{_plural(counted['_QA'], 'question')} and answers")
    if writer.braces:
        examples = ", ".join(repr(example) for example in writer.brace_examples)
        notes.append(f"replaced {_plural(writer.braces, 'brace')} {{ }} with ( ) "
                     f"so that they are not read as placeholders ({examples}); "
                     "write {clinic_phone} and the like on purpose")
    if writer.bold_dropped:
        notes.append(f"wrote {_plural(writer.bold_dropped, 'block')} without bold "
                     "that Markdown could not mark exactly: check the emphasis")
    if writer.links_unlinked:
        notes.append(f"wrote the links of {_plural(writer.links_unlinked, 'block')} "
                     "as text with the address in brackets: check them")
    summary = ""
    if source.summary:
        summary = writer.plain(_summary(source.summary))
        if summary:
            notes.append(f"the summary comes from the {source.summary_from}, "
                         "trimmed to two sentences: check it")
    pages = estimated_pages(body)
    notes.append(f"max-pages is {pages}, estimated from the length of the text "
                 f"({len(body.split())} words): a patient leaflet is best kept "
                 "to 2 to 4 pages")
    lines = ["---", f"slug: {_yaml(slug)}", f"title: {_yaml(writer.plain(title))}"]
    if summary:
        lines.append(f"summary: {_yaml(summary)}")
    lines += ["status: draft", 'version: "0.1.0"', "published: TODO",
              "review-by: TODO", "organisation: TODO", "authors: [TODO]",
              "clinical-reviewer: TODO", "sources: [TODO]", f"max-pages: {pages}",
              "paper: A4", "imported-from:", f"  source: {_yaml(_clean(name))}",
              f"  format: {source.fmt}"]
    if source.link:
        lines.append(f"  link: {_yaml(source.link)}")
    if source.published:
        lines.append(f"  published: {_yaml(source.published)}")
    if source.modified:
        lines.append(f"  modified: {_yaml(source.modified)}")
    lines.append("---")
    notes.append("fill in the front matter: published, review-by, organisation, "
                 "authors, clinical-reviewer and sources are TODO; check version, "
                 "max-pages and paper; remove 'status: draft' once a clinician "
                 "has reviewed the text")
    return Imported(slug, "\n".join(lines) + "\n" + body, tuple(notes))


#: About this many words fit on an A4 page of clear print (12 pt, line
#: height 1.4) with headings, lists and white space.
WORDS_PER_PAGE = 300


def estimated_pages(body: str) -> int:
    """A page limit for imported text: its length at clear print, plus a page
    for "about this leaflet" and room to edit."""
    return max(2, -(-len(body.split()) // WORDS_PER_PAGE) + 1)


def _cap_lists(block: _List, depth: int = 1) -> int:
    """Write lists nested deeper than MAX_LIST_DEPTH into their parent item;
    return how many items were flattened."""
    flattened = 0
    for item in block.items:
        if depth < MAX_LIST_DEPTH:
            flattened += sum(_cap_lists(child, depth + 1) for child in item.children)
        elif item.children:
            texts = [item.text] if item.text else []
            stack = list(reversed(item.children))
            while stack:
                child = stack.pop()
                for grandchild in child.items:
                    flattened += 1
                    if grandchild.text:
                        texts.append(grandchild.text)
                for grandchild in reversed(child.items):
                    stack.extend(reversed(grandchild.children))
            item.text = "; ".join(texts)
            item.children = []
    return flattened


def _count_items(block: _List) -> int:
    return sum(1 + sum(_count_items(child) for child in item.children)
               for item in block.items)


def _html_notes(html: _Html, notes: list[str]) -> None:
    for tag, count in sorted(html.dropped.items()):
        notes.append(f"dropped {_plural(count, f'<{tag}> element')}")
    if html.tracking:
        notes.append(f"dropped {_plural(html.tracking, 'tracking pixel')}")
    if html.hidden:
        notes.append(f"dropped {_plural(html.hidden, 'hidden element')}")
    if html.deleted:
        notes.append(f"dropped {_plural(html.deleted, 'struck-out text')} "
                     "(<del>, <s>)")
    if html.wp_comments:
        notes.append(f"removed {_plural(html.wp_comments, 'WordPress block comment')}")
    if html.comments:
        notes.append(f"removed {_plural(html.comments, 'HTML comment')}")
    if html.deep:
        notes.append(f"read {_plural(html.deep, 'deeply nested element')} as plain "
                     "text")
    notes.extend(html.links)
    for what, count in sorted(html.faq.items()):
        notes.append(f"turned {what} into {_plural(count, 'question')} and answers")
    for what, count in sorted(html.flattened.items()):
        notes.append(f"{what}" + (f" ({count} times)" if count > 1 else ""))
    for name, alt in html.images:
        if alt:
            notes.append(f"image {name} needs a licence check: alt {_short(alt)!r}; "
                         "add the file under templates/ or remove the TODO")
        else:
            notes.append(f"image {name} needs a licence check and alt text; add "
                         "the file under templates/ or remove the TODO")


# -- the three formats -------------------------------------------------------


def _parse_html(text: str) -> ET.Element:
    """Parse ``text``; character references may make control characters, so
    the text and attributes of the tree are cleaned again."""
    root = tinyhtml5.parse(_clean(text), namespace_html_elements=False)
    for element in root.iter():
        if element.text:
            element.text = _clean(element.text)
        if element.tail:
            element.tail = _clean(element.tail)
        for key, value in element.attrib.items():
            element.attrib[key] = _clean(value)
    return root


def _html_text(fragment: str) -> str:
    """The plain text of a bit of HTML (a post's title or excerpt)."""
    if "<" not in fragment and "&" not in fragment:
        return _collapse(_clean(fragment))
    document = _parse_html("<!DOCTYPE html><html><head></head><body>" + fragment)
    body = document.find("body")
    html = _Html(_Writer(), None, False)
    return _collapse(html.text_of(body if body is not None else document))


def _rendered(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", value.get("raw"))
    return value if isinstance(value, str) else ""


def _import_wordpress(text: str, name: str) -> Imported:
    try:
        post = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportProblem([Problem(name, error.lineno, f"not valid JSON: "
                                     f"{error.msg} (column {error.colno})")]) from None
    except (ValueError, RecursionError) as error:
        message = "nested too deeply" if isinstance(error, RecursionError) else error
        raise ImportProblem([Problem(name, 1, f"not valid JSON: {message}")]) from None
    notes: list[str] = []
    if isinstance(post, list):
        posts = [item for item in post if isinstance(item, dict)]
        if not posts:
            raise ImportProblem([Problem(name, 1, "not a WordPress post: the JSON is "
                                         "a list without a post in it")])
        if len(post) > 1:
            notes.append(f"the file holds {len(post)} posts; imported the first")
        post = posts[0]
    if not isinstance(post, dict):
        raise ImportProblem([Problem(name, 1, "not a WordPress post: expected a JSON "
                                     "object with content.rendered")])
    content = post.get("content")
    html_text = content if isinstance(content, str) else None
    if isinstance(content, dict):
        for key in ("rendered", "raw"):
            if isinstance(content.get(key), str):
                html_text = content[key]
                break
    if html_text is None:
        missing = ("content" if "content" not in post
                   else "content.rendered (the post's HTML)")
        raise ImportProblem([Problem(name, 1, f"not a WordPress post: it has no "
                                     f"{missing}")])
    if isinstance(content, dict) and content.get("protected") is True:
        notes.append("the post is password-protected: its text may be missing")

    link = _clean(post.get("link") or "") if isinstance(post.get("link"), str) else ""
    try:
        parts = urlsplit(link.strip())
        base = link.strip() if parts.scheme in ("http", "https") and parts.netloc \
            else None
    except ValueError:
        base = None
    if link and base is None:
        notes.append(f"the post's link {_short(link)!r} is not a web address; "
                     "relative links were dropped")
    source = _Source("wordpress", link=base)
    lang = re.match(r"/([a-z]{2})(?:[-_][a-z]{2})?/", urlsplit(base).path) if base \
        else None
    if lang and lang[1] != "en":
        notes.append(f"the post seems to be in language {lang[1]!r} (from its "
                     "link): leaflets are written in English and translated; "
                     "translate the text or use it for the translation")
    source.title = _html_text(_rendered(post.get("title")))
    source.slug = _clean(post.get("slug")) if isinstance(post.get("slug"), str) else ""
    source.published = _date(post.get("date"))
    source.modified = _date(post.get("modified"))
    excerpt = _html_text(_rendered(post.get("excerpt")))
    if excerpt:
        source.summary, source.summary_from = excerpt, "post's excerpt"
    else:
        meta = post.get("meta") if isinstance(post.get("meta"), dict) else {}
        yoast = (post.get("yoast_head_json")
                 if isinstance(post.get("yoast_head_json"), dict) else {})
        for where, key in ((meta, "rank_math_description"),
                           (meta, "_yoast_wpseo_metadesc"),
                           (meta, "yoast_wpseo_metadesc"), (meta, "description"),
                           (yoast, "description"), (yoast, "og_description")):
            value = where.get(key)
            if isinstance(value, str) and value.strip():
                source.summary = _html_text(value)
                source.summary_from = (f"SEO description "
                                       f"({'meta' if where is meta else 'yoast'}"
                                       f".{key})")
                break

    writer = _Writer()
    html = _Html(writer, base, page=False)
    document = _parse_html("<!DOCTYPE html><html><head></head><body>" + html_text)
    body = document.find("body")
    root = body if body is not None else document
    html.prepare(root)
    blocks = html.blocks(root)
    _html_notes(html, notes)
    empty = "the post has no content" if not html_text.strip() else None
    return _finish(source, blocks, name, writer, notes, empty)


def _import_html(text: str, name: str) -> Imported:
    document = _parse_html(text)
    body = document.find("body")
    if body is None:
        body = document
    notes: list[str] = []

    def meta(*keys: str) -> str:
        for element in document.iter("meta"):
            key = (element.get("property") or element.get("name") or "").lower()
            if key in keys and (element.get("content") or "").strip():
                return _collapse(element.get("content") or "")
        return ""

    canonical = next((_collapse(element.get("href") or "")
                      for element in document.iter("link")
                      if "canonical" in (element.get("rel") or "").lower().split()
                      and element.get("href")), "")
    base_href = next((_collapse(element.get("href") or "")
                      for element in document.iter("base") if element.get("href")), "")
    address = None
    for candidate in (canonical, meta("og:url"), base_href):
        try:
            parts = urlsplit(candidate)
        except ValueError:
            continue
        if parts.scheme in ("http", "https") and parts.netloc:
            address = candidate
            break
    base = address
    if base_href:
        try:
            joined = urljoin(address or "", base_href)
            parts = urlsplit(joined)
            if parts.scheme in ("http", "https") and parts.netloc:
                base = joined
        except ValueError:
            pass
    source = _Source("html", link=address)
    root = next(document.iter("main"), None)
    if root is None:
        root = next(body.iter("article"), None)
    if root is None:
        root = body
    else:
        notes.append(f"took the text from the page's <{_local(root)}>")
    html = _Html(_Writer(), base, page=True)
    first_h1 = next((h1 for scope in (root, body) for h1 in scope.iter("h1")
                     if _collapse(html.text_of(h1))), None)
    page_title = ""
    title_element = document.find("head/title")
    if title_element is not None:
        page_title = _collapse(title_element.text or "")
    if first_h1 is not None:
        source.title = _collapse(html.text_of(first_h1))
    elif meta("og:title"):
        source.title = meta("og:title")
    elif page_title:
        parts_of_title = re.split(r"\s+[|–—·»]\s+", page_title)
        source.title = parts_of_title[0] if len(parts_of_title) > 1 else page_title
        if len(parts_of_title) > 1:
            notes.append(f"took the title from <title> without the site name: "
                         f"{_short(page_title)!r}")
    source.slug = ""
    description = meta("description", "og:description")
    if description:
        source.summary, source.summary_from = description, "page's description"
    source.published = _date(meta("article:published_time", "date"))
    source.modified = _date(meta("article:modified_time", "og:updated_time"))
    lang = (document.get("lang") or "").strip()
    if lang and not lang.lower().startswith("en"):
        notes.append(f"the page is in language {_short(lang, 20)!r}: leaflets are "
                     "written in English and translated; translate the text or "
                     "use it for the translation")
    writer = html.writer
    html.prepare(root)
    blocks = html.blocks(root)
    _html_notes(html, notes)
    return _finish(source, blocks, name, writer, notes, "the page has no text")


def _import_text(text: str, name: str) -> Imported:
    lines = _clean(text.replace("\f", "\n")).split("\n")
    notes: list[str] = []
    writer = _Writer()
    title = ""
    while lines and not title:
        title = _collapse(lines.pop(0))
    title = re.sub(r"^#+\s*", "", title)
    blocks = _text_blocks(lines, writer, notes)
    if blocks:
        notes.append("read the text by the shape of its lines: check the headings, "
                     "lists and questions")
    return _finish(_Source("text", title=title), blocks, name, writer, notes,
                   "the text has nothing after its title line")


def import_source(data: bytes, name: str, fmt: str | None = None) -> Imported:
    """Turn a WordPress post, saved page or plain-text article into a draft.

    ``name`` is the source's file name, for messages and the front matter;
    ``fmt`` (``wordpress``, ``html`` or ``text``) overrides :func:`detect`.
    Raises :class:`ImportProblem` for input that cannot be read at all."""
    name = name if isinstance(name, str) and name else "source"
    if fmt is None:
        fmt = detect(data, name)
    if fmt not in FORMATS:
        raise ImportProblem([Problem(name, None, f"unknown format {fmt!r}: use "
                                     f"{', '.join(FORMATS)}")])
    text = _decode(data, name)
    if fmt == "wordpress":
        return _import_wordpress(text, name)
    if fmt == "html":
        return _import_html(text, name)
    return _import_text(text, name)
