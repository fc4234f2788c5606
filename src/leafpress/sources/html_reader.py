"""A saved web page to a draft leaflet (``leafpress import``, format html).

Called by :func:`leafpress.sources.importer.import_source`. In: the text of
a saved HTML page. Out: an :class:`~leafpress.sources.writer.Imported`
draft: the text of the page's ``<main>`` or ``<article>`` (else its body),
its title, description, dates and address from the ``<head>``, and notes.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from leafpress.sources.blocks import Source, collapse, iso_date, short
from leafpress.sources.html_blocks import HtmlBlocks, html_notes
from leafpress.sources.html_tree import local, parse_html
from leafpress.sources.inline import InlineWriter
from leafpress.sources.writer import Imported, finish


def import_html(text: str, name: str) -> Imported:
    document = parse_html(text)
    body = document.find("body")
    if body is None:
        body = document
    notes: list[str] = []

    def meta(*keys: str) -> str:
        for element in document.iter("meta"):
            key = (element.get("property") or element.get("name") or "").lower()
            if key in keys and (element.get("content") or "").strip():
                return collapse(element.get("content") or "")
        return ""

    canonical = next((collapse(element.get("href") or "")
                      for element in document.iter("link")
                      if "canonical" in (element.get("rel") or "").lower().split()
                      and element.get("href")), "")
    base_href = next((collapse(element.get("href") or "")
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
    source = Source("html", link=address)
    root = next(document.iter("main"), None)
    if root is None:
        root = next(body.iter("article"), None)
    if root is None:
        root = body
    else:
        notes.append(f"took the text from the page's <{local(root)}>")
    html = HtmlBlocks(InlineWriter(), base, page=True)
    first_h1 = next((h1 for scope in (root, body) for h1 in scope.iter("h1")
                     if collapse(html.text_of(h1))), None)
    page_title = ""
    title_element = document.find("head/title")
    if title_element is not None:
        page_title = collapse(title_element.text or "")
    if first_h1 is not None:
        source.title = collapse(html.text_of(first_h1))
    elif meta("og:title"):
        source.title = meta("og:title")
    elif page_title:
        parts_of_title = re.split(r"\s+[|–—·»]\s+", page_title)
        source.title = parts_of_title[0] if len(parts_of_title) > 1 else page_title
        if len(parts_of_title) > 1:
            notes.append(f"took the title from <title> without the site name: "
                         f"{short(page_title)!r}")
    source.slug = ""
    description = meta("description", "og:description")
    if description:
        source.summary, source.summary_from = description, "page's description"
    source.published = iso_date(meta("article:published_time", "date"))
    source.modified = iso_date(meta("article:modified_time", "og:updated_time"))
    lang = (document.get("lang") or "").strip()
    if lang and not lang.lower().startswith("en"):
        notes.append(f"the page is in language {short(lang, 20)!r}: leaflets are "
                     "written in English and translated; translate the text or "
                     "use it for the translation")
    writer = html.writer
    html.prepare(root)
    blocks = html.blocks(root)
    html_notes(html, notes)
    return finish(source, blocks, name, writer, notes, "the page has no text")
