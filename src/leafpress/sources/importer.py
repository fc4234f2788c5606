"""Draft leaflets from clinic web pages (``leafpress import``): the entry point.

Called by :func:`leafpress.pipeline.importing.import_leaflet`. In: the bytes of a
WordPress REST post (JSON), a saved HTML page or a plain-text article, and
its file name. Out: an :class:`~leafpress.sources.writer.Imported` draft in
the leaflet dialect of :mod:`leafpress.text.markup`, and notes on everything
dropped or needing a person. :func:`detect` guesses the format; each format
has its reader (:mod:`~leafpress.sources.wordpress_reader`,
:mod:`~leafpress.sources.html_reader`, :mod:`~leafpress.sources.text_reader`).
"""

from __future__ import annotations

import json
from pathlib import Path

from leafpress.errors import ContentError, Problem
from leafpress.sources.blocks import ImportProblem
from leafpress.sources.html_reader import import_html
from leafpress.sources.leaflet import decode
from leafpress.sources.text_reader import import_text
from leafpress.sources.wordpress_reader import import_wordpress
from leafpress.sources.writer import Imported

FORMATS = ("wordpress", "html", "text")


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


def import_source(data: bytes, name: str, fmt: str | None = None) -> Imported:
    """Turn a WordPress post, saved page or plain-text article into a draft.

    ``name`` is the source's file name, for messages and the front matter;
    ``fmt`` (``wordpress``, ``html`` or ``text``) overrides :func:`detect`.
    Raises :class:`~leafpress.sources.blocks.ImportProblem` for input that
    cannot be read at all."""
    name = name if isinstance(name, str) and name else "source"
    if fmt is None:
        fmt = detect(data, name)
    if fmt not in FORMATS:
        raise ImportProblem([Problem(name, None, f"unknown format {fmt!r}: use "
                                     f"{', '.join(FORMATS)}")])
    text = _decode(data, name)
    if fmt == "wordpress":
        return import_wordpress(text, name)
    if fmt == "html":
        return import_html(text, name)
    return import_text(text, name)
