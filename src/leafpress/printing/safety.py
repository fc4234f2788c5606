"""Nothing on a PDF's pages that the leaflet does not have: text, links, scripts.

Called by :mod:`leafpress.printing.verify`, whose checks include the three
here. In: a :class:`~leafpress.printing.readback.ReadPdf` and its
:class:`~leafpress.model.Document`. Out: problems for text made up by CSS, links
that go where the leaflet's text does not, and anything that runs or carries a
file (actions, JavaScript, embedded files).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from leafpress.errors import Problem
from leafpress.model import Document
from leafpress.printing.html_text import HtmlText, html_text
from leafpress.printing.readback import (
    LISTED_PER_PAGE,
    MARKER_RE,
    ReadPdf,
    fold,
    problem_at,
    quoted,
    within_margins,
    words,
)
from leafpress.text.markup import ALLOWED_LINK_SCHEMES


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
            elif within_margins(run, height, document.paper):
                if (any(word not in html.folded for word in words(run.text)) if rtl
                        else key not in html.folded):
                    found.append(run)
            elif any(word not in html.words and (
                    any(char.isdigit() for char in word) and word not in pages
                    or not any(char.isdigit() for char in word)
                    and word not in html.margin_words) for word in words(run.text)):
                found.append(run)
        for run in found[:LISTED_PER_PAGE]:
            yield problem_at(pdf, number, f"text that is not in the document (made by "
                             f"CSS?): “{quoted(run.text)}”")
        if len(found) > LISTED_PER_PAGE:
            yield problem_at(pdf, number, f"and {len(found) - LISTED_PER_PAGE} more "
                             "runs of text that are not in the document")


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
                yield problem_at(pdf, number, "a file attached to the page")
                continue
            if subtype != "/Link":
                yield problem_at(pdf, number, f"an annotation of type {subtype}; a "
                                 "leaflet has links only")
            if "/AA" in annotation:
                yield problem_at(pdf, number, "a link with actions of its own (/AA)")
            action = annotation.get("/A")
            for item in _actions(action, set()) if action is not None else ():
                problem = _link_problem(item, allowed)
                if problem:
                    yield problem_at(pdf, number, problem)
        if "/AA" in page:
            yield problem_at(pdf, number,
                             "the page runs actions when it is opened (/AA)")


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
                yield problem_at(pdf, None,
                                 f"opening the file {_verb(action)} (/OpenAction)")
    if "/AA" in root:
        yield problem_at(pdf, None, "document actions (/AA)")
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names:
        yield problem_at(pdf, None, "document JavaScript (/Names /JavaScript)")
    if "/EmbeddedFiles" in names:
        yield problem_at(pdf, None, "files embedded in the document (/EmbeddedFiles)")
    if "/AF" in root or any("/AF" in page for page in pdf.reader.pages):
        yield problem_at(pdf, None, "files associated with the document (/AF)")
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
                yield problem_at(pdf, None, f"a bookmark that {_verb(each)}")
