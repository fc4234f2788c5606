"""The fonts of a PDF page as :mod:`leafpress.printing.pdftext` draws text with them.

Called by pdftext for each font a page selects. In: a font resource that pypdf
has opened. Out: a :class:`FontInfo`: the length of its character codes, what text
each code stands for (from its ``/ToUnicode`` map; a font without one raises
:class:`~leafpress.printing.textrun.Unsupported`) and how far each glyph
advances.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leafpress.printing.pdfsyntax import hex_bytes, number_or
from leafpress.printing.textrun import Unsupported

#: Parsed ToUnicode maps by their bytes (never by object identity: a worker
#: reads many PDFs, and Python reuses the ids of freed objects).
_CMAP_CACHE: dict[tuple[bytes, bool], tuple[int, dict[bytes, str]]] = {}
_CMAP_CACHE_SIZE = 256


def _to_unicode(font) -> tuple[int, dict[bytes, str]]:
    """The code length and code -> text map of a font's ToUnicode CMap."""
    stream = font.get("/ToUnicode")
    if stream is None:
        raise Unsupported("a font without /ToUnicode")
    raw = stream.get_object().get_data()
    key = (raw, font.get("/Subtype") == "/Type0")
    if key in _CMAP_CACHE:
        return _CMAP_CACHE[key]
    if len(_CMAP_CACHE) >= _CMAP_CACHE_SIZE:
        _CMAP_CACHE.clear()
    data = raw.decode("latin-1")
    spaces = re.findall(r"begincodespacerange(.*?)endcodespacerange", data, re.S)
    ranges = re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", " ".join(spaces))
    width = len(ranges[0][0]) // 2 if ranges else (
        2 if font.get("/Subtype") == "/Type0" else 1)
    mapping: dict[bytes, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[hex_bytes(code)] = hex_bytes(text).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, target in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])",
                block):
            first, last = int(start, 16), int(end, 16)
            if target.startswith("["):
                texts = re.findall(r"<([0-9A-Fa-f]*)>", target)
                for offset, text in enumerate(texts):
                    code = (first + offset).to_bytes(width, "big")
                    mapping[code] = hex_bytes(text).decode("utf-16-be", "replace")
            else:
                base = hex_bytes(target[1:-1])
                for offset in range(last - first + 1):
                    value = (int.from_bytes(base, "big") + offset).to_bytes(len(base),
                                                                             "big")
                    code = (first + offset).to_bytes(width, "big")
                    mapping[code] = value.decode("utf-16-be", "replace")
    _CMAP_CACHE[key] = (width, mapping)
    return width, mapping


@dataclass(frozen=True)
class FontInfo:
    """What drawing text with a font needs: the code length, the code ->
    text map (``None`` when not decoding), the advance of each code in text
    space units per point of font size, and the advance of any other code."""

    code_length: int
    mapping: dict[bytes, str] | None
    widths: dict[bytes, float]
    default: float


def read_font(entry, decode: bool) -> FontInfo:
    """Read a font resource: its ToUnicode map and its glyph widths (``/W``
    of a CID font, ``/Widths`` of a simple font; a Type 3 font's widths are
    in glyph space, scaled by its ``/FontMatrix``)."""
    font = entry.get_object()
    subtype = font.get("/Subtype")
    mapping = None
    if decode:
        length, mapping = _to_unicode(font)
    else:
        length = 2 if subtype == "/Type0" else 1
    widths: dict[bytes, float] = {}
    if subtype == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        default = number_or(descendant.get("/DW"), 1000.0) / 1000
        identity = str(font.get("/Encoding")) in ("/Identity-H", "/Identity-V")
        items = descendant.get("/W")
        items = ([item.get_object() for item in items.get_object()]
                 if items is not None and identity else [])
        index = 0
        while index + 1 < len(items):
            first, following = int(items[index]), items[index + 1]
            if isinstance(following, list):
                for offset, value in enumerate(following):
                    widths[(first + offset).to_bytes(length, "big")] = (
                        float(value) / 1000)
                index += 2
            elif index + 2 < len(items):
                value = float(items[index + 2]) / 1000
                for code in range(first, int(following) + 1):
                    widths[code.to_bytes(length, "big")] = value
                index += 3
            else:
                break
        return FontInfo(length, mapping, widths, default)
    scale = 1 / 1000
    if subtype == "/Type3":
        scale = number_or(font.get("/FontMatrix", [0.001])[0], 0.001)
    descriptor = font.get("/FontDescriptor")
    missing = (number_or(descriptor.get_object().get("/MissingWidth"))
               if descriptor else 0)
    default = (missing or 500.0) * scale
    first = int(number_or(font.get("/FirstChar")))
    values = font.get("/Widths")
    for offset, value in enumerate(values.get_object() if values is not None else ()):
        if 0 <= first + offset < 256:
            widths[bytes((first + offset,))] = float(value) * scale
    return FontInfo(1, mapping, widths, default)
