"""Impose an A5 leaflet as a saddle-stitched booklet on A4.

Called by the build after the tagged A5 reading copy has passed
verification. In: that PDF. Out: ``<slug>.booklet.pdf``: the A5 pages two-up
on A4 landscape, in the order that gives the leaflet's page order once the
sheets are printed on both sides, stacked, folded and stapled. Blank pages
added to make a multiple of 4 go before the last page, the back page, so
that it stays on the back. A right-to-left booklet opens from the other
side, so every sheet is mirrored: page 1 is on the left half of the first
sheet, where a left-to-right booklet has it on the right. Each A5 page is
drawn on its side as a Form XObject that holds its content stream as it is:
nothing is parsed or written out again. The imposed file has no structure
tree; the tagged A5 copy stays beside it for screen readers.
"""

from __future__ import annotations

import hashlib
import io
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from leafpress.model import Document

A4_LANDSCAPE = (841.89, 595.28)


def padded(count: int) -> int:
    """The page count rounded up to a multiple of 4."""
    return -(-count // 4) * 4


def sheet_order(count: int, rtl: bool = False
                ) -> list[tuple[int | None, int | None]]:
    """The (left, right) page numbers (1-based; None for a blank) of every
    booklet side in print order: front of sheet 1, back of sheet 1, ...
    Blanks go before the last page; ``rtl`` mirrors every side."""
    total = padded(count)
    blanks: list[int | None] = [None] * (total - count)
    order = ([*range(1, count), *blanks, count] if count > 1
             else [*range(1, count + 1), *blanks])

    def page(number: int) -> int | None:
        return order[number - 1]

    sides = []
    for sheet in range(total // 4):
        sides.append((page(total - 2 * sheet), page(2 * sheet + 1)))
        sides.append((page(2 * sheet + 2), page(total - 2 * sheet - 1)))
    if rtl:
        sides = [(right, left) for left, right in sides]
    return sides


def _number(value: float) -> str:
    """A number for a content stream: at most 4 decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _form(page: PageObject, writer: PdfWriter) -> IndirectObject:
    """The A5 ``page`` as a Form XObject of ``writer``, not parsed: its
    content stream copied as it is encoded (a page with an array of streams
    gets their data joined and compressed again), its box as the form's
    /BBox and its resources cloned (pypdf clones an object shared between
    pages, such as a font, once per writer)."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if isinstance(contents, StreamObject):
        form = cast(StreamObject, contents.clone(writer))
    else:
        parts = [] if contents is None else [part.get_object() for part in contents]
        joined = DecodedStreamObject()
        joined.set_data(b"\n".join(part.get_data() for part in parts))
        form = joined.flate_encode() if parts else joined
    resources = page.raw_get("/Resources") if "/Resources" in page else None
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(value) for value in (
            box.left, box.bottom, box.right, box.top)),
        NameObject("/Resources"): (resources.clone(writer) if resources is not None
                                   else DictionaryObject()),
    })
    # a cloned stream is an object of the writer already; a new one is not
    reference = getattr(form, "indirect_reference", None)
    if reference is not None and reference.pdf is writer:
        return reference
    return writer._add_object(form)


def booklet(source: PdfReader | bytes, document: Document) -> bytes:
    """The booklet of the A5 PDF ``source`` (a reader opened on it, or its
    bytes). Every A5 page is drawn on its side as a Form XObject that holds
    its content stream unchanged: nothing is parsed, which is what makes
    pypdf's ``merge_transformed_page`` slow."""
    reader = (source if isinstance(source, PdfReader)
              else PdfReader(io.BytesIO(source), strict=True))
    writer = PdfWriter()
    width, height = A4_LANDSCAPE
    rtl = document.direction == "rtl"
    for left, right in sheet_order(len(reader.pages), rtl):
        side = writer.add_blank_page(width, height)
        forms = DictionaryObject()
        drawing = []
        for number, offset in ((left, 0.0), (right, width / 2)):
            if number is None:
                continue
            page = reader.pages[number - 1]
            box = page.mediabox
            # centre the A5 page in its half of the sheet
            dx = offset + (width / 2 - float(box.width)) / 2 - float(box.left)
            dy = (height - float(box.height)) / 2 - float(box.bottom)
            name = f"/P{number}"
            forms[NameObject(name)] = _form(page, writer)
            drawing.append(f"q 1 0 0 1 {_number(dx)} {_number(dy)} cm {name} Do Q")
        side[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): forms} if forms else {})
        content = DecodedStreamObject()
        content.set_data("\n".join(drawing).encode("ascii"))
        side[NameObject("/Contents")] = writer._add_object(content)
    info = reader.metadata or {}
    metadata = {key: str(value) for key, value in info.items()
                if key in ("/Title", "/Author", "/Keywords", "/Subject",
                           "/CreationDate", "/ModDate")}
    metadata["/Producer"] = "leafpress"
    writer.add_metadata(metadata)
    writer._root_object[NameObject("/Lang")] = TextStringObject(document.lang)
    if rtl:  # viewers show the sides right to left, as the sheets are read
        writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/Direction"): NameObject("/R2L")})
    # A fixed file identifier keeps the booklet reproducible.
    digest = hashlib.sha256(document.html.encode() + b"booklet").digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
