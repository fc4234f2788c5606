"""A parsed HTML tree to blocks, for ``leafpress import``.

Used by :mod:`~leafpress.sources.html_reader` and
:mod:`~leafpress.sources.wordpress_reader`. In: the element tree of a page
or a post's content (:func:`~leafpress.sources.html_tree.parse_html`). Out:
the blocks of a body, and counts of everything left out (scripts, page
furniture, hidden and struck-out text, tracking pixels, links that cannot be
kept), written as notes by :func:`html_notes`. Questions and answers are read
by :mod:`~leafpress.sources.html_faq`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import quote, unquote, urljoin, urlsplit

from leafpress.sources.blocks import (
    BREAK,
    QA,
    Block,
    Heading,
    Image,
    Item,
    List,
    Para,
    Span,
    Table,
    clean,
    collapse,
    plain_text,
    plural,
    short,
)
from leafpress.sources.html_faq import (
    FAQ_BLOCK_CLASSES,
    FAQ_ITEM_CLASSES,
    definitions,
    details,
    faq_block,
)
from leafpress.sources.html_tree import (
    BLOCK,
    BOLD,
    DELETED,
    DROPPED,
    FURNITURE,
    HEADINGS,
    SILENT,
    classes_of,
    local,
    parse_html,
)
from leafpress.sources.inline import InlineWriter

#: How deep elements may nest before the rest is read as plain text.
MAX_DEPTH = 80
_TRACKING_RE = re.compile(
    r"facebook\.com/tr|google-analytics|googletagmanager|doubleclick|"
    r"stats\.wp\.com|pixel\.wp\.com|/collect\?|spacer\.gif|/1x1\.|"
    r"(?<![a-z])(?:pixel|beacon)(?![a-z])|/(?:track|tracking|tracker)(?:/|\?)",
    re.I)
_WP_SIZE_RE = re.compile(r"-(?:\d+x\d+|scaled)(?=\.[A-Za-z0-9]+$)")


def _int(value: str | None) -> int | None:
    match = re.match(r"\s*(\d{1,6})", value or "")
    return int(match[1]) if match else None


class HtmlBlocks:
    """Turns a parsed HTML tree into blocks, counting what it leaves out."""

    def __init__(self, writer: InlineWriter, base: str | None, page: bool):
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
                if any(id(child) in self.blocky or local(child) in BLOCK
                       for child in element if not self.skipped(child)):
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
                elif not self.skipped(child):
                    stack.append((child, depth + 1, False))

    def skipped(self, element: ET.Element) -> bool:
        """Elements never read (without counting them)."""
        tag = local(element)
        return (not tag or tag in DROPPED or tag in SILENT or tag in DELETED
                or (self.page and tag in FURNITURE)
                or element.get("hidden") is not None)

    def skip(self, element: ET.Element) -> bool:
        """Whether to leave ``element`` out; counts it if so."""
        tag = local(element)
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
            if self.skipped(item):
                continue
            tag = local(item)
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
               ) -> list[Block]:
        """The blocks inside ``element``; loose inline content is paragraphs."""
        out: list[Block] = []
        span = Span()
        images: list[Image] = []

        def flush() -> None:
            nonlocal span, images
            text = self.writer.inline(span) if span.children else ""
            if text:
                out.append(Para(text))
            out.extend(images)
            span, images = Span(), []

        if element.text:
            span.children.append(element.text)
        for child in element:
            if child not in skip and not self.skip(child):
                if local(child) in BLOCK or id(child) in self.blocky:
                    flush()
                    out.extend(self.block(child))
                else:
                    self.inline(child, span, images)
            if child.tail:
                span.children.append(child.tail)
        flush()
        return out

    def block(self, element: ET.Element) -> list[Block]:
        tag = local(element)
        classes = classes_of(element)
        if classes & (FAQ_BLOCK_CLASSES | FAQ_ITEM_CLASSES) or element.get(
                "id") == "rank-math-faq":
            pairs = faq_block(self, element, classes)
            if pairs is not None:
                return pairs
        if tag in HEADINGS:
            span, images = self.line(element)
            text = self.writer.inline(span)
            plain = collapse(plain_text(span))
            heading = [Heading(HEADINGS[tag], text, plain)] if text else []
            return [*heading, *images]
        if tag in ("ul", "ol", "menu", "dir"):
            return self.list(element)
        if tag == "table":
            return self.table(element)
        if tag == "dl":
            return definitions(self, element)
        if tag == "figure":
            return self.figure(element)
        if tag == "details":
            return details(self, element)
        if tag in ("pre", "listing", "xmp", "plaintext"):
            lines = (self.writer.plain(line)
                     for line in self.text_of(element, newlines=True).split("\n"))
            text = BREAK.join(line for line in lines if line)
            self.flattened["a preformatted block (<pre>) became a paragraph"] += 1
            return [Para(text)] if text else []
        if tag == "hr":
            return []
        if tag == "blockquote":
            self.flattened["a quotation (<blockquote>) became plain paragraphs"] += 1
        if tag == "a" and element.get("href"):
            target = collapse(element.get("href") or "")
            self.links.append(f"dropped the link to {short(target)!r} around "
                              "whole blocks (kept its text)")
        return self.blocks(element)

    def line(self, element: ET.Element) -> tuple[Span, list[Image]]:
        """The inline content of ``element``, whatever it holds."""
        span = Span()
        images: list[Image] = []
        self.inline_children(element, span, images)
        return span, images

    def inline(self, element: ET.Element, span: Span,
               images: list[Image]) -> None:
        tag = local(element)
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
            target = Span("bold")
            span.children.append(target)
        elif tag == "a" and element.get("href") is not None:
            url = self.link(element)
            if url:
                target = Span("link", url)
                span.children.append(target)
        elif tag == "q":
            span.children.append("“")
        self.inline_children(element, target, images)
        if tag == "q":
            span.children.append("”")

    def inline_children(self, element: ET.Element, span: Span,
                        images: list[Image]) -> None:
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
        text = short(self.text_of(element)) or "(no text)"
        if not href:
            return None
        lower = href.lower()
        if lower.startswith(("mailto:", "tel:")):
            return _encode_url(href)
        if href.startswith("#"):
            self.links.append(f"dropped the link on {text!r} to {short(href)!r} "
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
        self.links.append(f"dropped the link on {text!r} to {short(href)!r}: "
                          f"{why} (kept its text)")
        return None

    def image(self, element: ET.Element) -> Image | None:
        src = collapse(element.get("src") or "")
        lazy = (element.get("data-src") or element.get("data-lazy-src")
                or element.get("data-original") or "")
        if (not src or src.startswith("data:")) and lazy.strip():
            src = collapse(lazy)
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
        alt = collapse(element.get("alt") or "")
        self.images.append((name, alt))
        return Image(self.writer.plain(name), self.writer.plain(alt))

    def figure(self, element: ET.Element) -> list[Block]:
        captions = tuple(child for child in element if local(child) == "figcaption")
        caption = ""
        for child in captions:
            span, _images = self.line(child)
            caption = " ".join(filter(None, (caption, self.writer.inline(span))))
        blocks = self.blocks(element, skip=captions)
        for block in blocks:
            if isinstance(block, Image):
                block.caption = caption
                break
        else:
            if caption:
                blocks.append(Para(caption))
        return blocks

    def list(self, element: ET.Element) -> list[Block]:
        ordered = local(element) == "ol"
        start = _int(element.get("start")) if ordered else None
        result = List(ordered, 1 if start is None else start)
        images: list[Image] = []
        if (element.text or "").strip():
            result.items.append(Item(self.writer.plain(element.text or "")))
        for child in element:
            if not self.skip(child):
                tag = local(child)
                if tag in ("ul", "ol") and result.items:
                    # <ul><li>a</li><ul>...</ul></ul>: the list belongs to "a"
                    for block in self.list(child):
                        if isinstance(block, List):
                            result.items[-1].children.append(block)
                        else:
                            images.append(block)  # type: ignore[arg-type]
                else:
                    item, item_images = self.item(child)
                    if item is not None:
                        result.items.append(item)
                    images.extend(item_images)
            if (child.tail or "").strip():
                result.items.append(Item(self.writer.plain(child.tail or "")))
        return [result, *images] if result.items else [*images]

    def item(self, element: ET.Element) -> tuple[Item | None, list[Image]]:
        parts: list[str] = []
        children: list[List] = []
        images: list[Image] = []
        if local(element) not in BLOCK and id(element) not in self.blocky:
            span, images = self.line(element)
            blocks: list[Block] = [Para(self.writer.inline(span))]
        else:
            blocks = self.blocks(element)
        for block in blocks:
            if isinstance(block, List):
                children.append(block)
            elif isinstance(block, Image):
                images.append(block)
            else:
                parts.append(self.flatten(block, "a list item"))
        text = " ".join(part for part in parts if part)
        return (Item(text, children) if text or children else None), images

    def flatten(self, block: Block, where: str) -> str:
        """One block as inline text inside a list item, cell or answer."""
        if isinstance(block, Para):
            return block.text
        if isinstance(block, Heading):
            return block.text
        if isinstance(block, Image):
            return block.markdown()
        if isinstance(block, QA):
            return f"{block.question} {block.answer}"
        self.flattened[f"a {'list' if isinstance(block, List) else 'table'} "
                       f"inside {where} became running text"] += 1
        if isinstance(block, List):
            texts = []
            for item in block.items:
                texts.append(" ".join(filter(None, [item.text, *(
                    self.flatten(child, where) for child in item.children)])))
            return "; ".join(text for text in texts if text)
        return "; ".join(", ".join(cell for cell in row if cell)
                         for row in block.rows)

    def table(self, element: ET.Element) -> list[Block]:
        rows: list[tuple[ET.Element, bool]] = []
        before: list[Block] = []
        for child in element:
            tag = local(child)
            if tag in ("thead", "tbody", "tfoot"):
                rows.extend((row, tag == "thead") for row in child
                            if local(row) == "tr")
            elif tag == "tr":
                rows.append((child, False))
            elif tag == "caption":
                before.extend(self.blocks(child))
        cells_of = [[cell for cell in row if local(cell) in ("td", "th")]
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
        table = Table([])
        images: list[Image] = []
        for row in ordered:
            cells: list[str] = []
            for cell in row:
                if local(cell) not in ("td", "th"):
                    continue
                texts = []
                for block in self.blocks(cell):
                    if isinstance(block, Image):
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
    return _WP_SIZE_RE.sub("", clean(name)) or "(no file name)"


def html_notes(html: HtmlBlocks, notes: list[str]) -> None:
    """Add to ``notes`` what ``html`` left out or changed, and the images."""
    for tag, count in sorted(html.dropped.items()):
        notes.append(f"dropped {plural(count, f'<{tag}> element')}")
    if html.tracking:
        notes.append(f"dropped {plural(html.tracking, 'tracking pixel')}")
    if html.hidden:
        notes.append(f"dropped {plural(html.hidden, 'hidden element')}")
    if html.deleted:
        notes.append(f"dropped {plural(html.deleted, 'struck-out text')} "
                     "(<del>, <s>)")
    if html.wp_comments:
        notes.append(f"removed {plural(html.wp_comments, 'WordPress block comment')}")
    if html.comments:
        notes.append(f"removed {plural(html.comments, 'HTML comment')}")
    if html.deep:
        notes.append(f"read {plural(html.deep, 'deeply nested element')} as plain "
                     "text")
    notes.extend(html.links)
    for what, count in sorted(html.faq.items()):
        notes.append(f"turned {what} into {plural(count, 'question')} and answers")
    for what, count in sorted(html.flattened.items()):
        notes.append(f"{what}" + (f" ({count} times)" if count > 1 else ""))
    for name, alt in html.images:
        if alt:
            notes.append(f"image {name} needs a licence check: alt {short(alt)!r}; "
                         "add the file under templates/ or remove the TODO")
        else:
            notes.append(f"image {name} needs a licence check and alt text; add "
                         "the file under templates/ or remove the TODO")


def fragment_text(fragment: str) -> str:
    """The plain text of a bit of HTML (a post's title or excerpt)."""
    if "<" not in fragment and "&" not in fragment:
        return collapse(clean(fragment))
    document = parse_html("<!DOCTYPE html><html><head></head><body>" + fragment)
    body = document.find("body")
    html = HtmlBlocks(InlineWriter(), None, False)
    return collapse(html.text_of(body if body is not None else document))
