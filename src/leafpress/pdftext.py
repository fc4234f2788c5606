"""Text runs of a PDF page, read fast.

Called by :mod:`leafpress.verify`. In: a page that pypdf has opened (pypdf
parses the file, finds the content streams and fonts, and decompresses
them). Out: every piece of text with its position and size, as
:func:`pypdf.PageObject.extract_text` with a visitor would give it, in about
a tenth of the time: pypdf parses every operand of the content stream into
Python objects, while only the text and the matrices matter here. Fonts are
decoded through their ``/ToUnicode`` maps. A page this reader does not
understand (text inside form XObjects, a font without a ``/ToUnicode`` map)
raises :class:`Unsupported`, and the caller falls back to pypdf.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(rb"""
    (?P<dict><<|>>)
  | <(?P<hex>[0-9A-Fa-f\s]*)>
  | \((?P<lit>(?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*)\)
  | (?P<open>\[) | (?P<close>\])
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+))
  | (?P<op>[A-Za-z'"*]+)
  | (?P<skip>%[^\r\n]*|\s+)
""", re.VERBOSE)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


class Unsupported(Exception):
    """The page needs a full PDF reader."""


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn: where (points from the bottom left) and how big."""

    text: str
    x: float
    y: float
    size: float


def _multiply(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def logical(glyphs: list[str]) -> str:
    """The text of a run of glyphs. Right-to-left glyphs are drawn in visual
    order: they are put back in reading order glyph by glyph (a ligature
    keeps its letters in order), then words in a left-to-right script inside
    the run are turned back."""
    text = "".join(glyphs)
    if not _RTL.search(text):
        return text
    return re.sub(r"\w+", _unturn, "".join(reversed(glyphs)))


def _unturn(word: re.Match) -> str:
    return word[0] if _RTL.search(word[0]) else word[0][::-1]
#: Parsed ToUnicode maps by their bytes (never by object identity: a worker
#: reads many PDFs, and Python reuses the ids of freed objects).
_CMAP_CACHE: dict[tuple[bytes, bool], tuple[int, dict[bytes, str]]] = {}
_CMAP_CACHE_SIZE = 256


def _hex(text: str) -> bytes:
    digits = re.sub(r"\s", "", text)
    return bytes.fromhex(digits + "0" * (len(digits) % 2))


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
            mapping[_hex(code)] = _hex(text).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, target in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])",
                block):
            first, last = int(start, 16), int(end, 16)
            if target.startswith("["):
                texts = re.findall(r"<([0-9A-Fa-f]*)>", target)
                for offset, text in enumerate(texts):
                    code = (first + offset).to_bytes(width, "big")
                    mapping[code] = _hex(text).decode("utf-16-be", "replace")
            else:
                base = _hex(target[1:-1])
                for offset in range(last - first + 1):
                    value = (int.from_bytes(base, "big") + offset).to_bytes(len(base),
                                                                             "big")
                    code = (first + offset).to_bytes(width, "big")
                    mapping[code] = value.decode("utf-16-be", "replace")
    _CMAP_CACHE[key] = (width, mapping)
    return width, mapping


def _literal(body: bytes) -> bytes:
    out = bytearray()
    index = 0
    while index < len(body):
        char = body[index:index + 1]
        if char == b"\\" and index + 1 < len(body):
            following = body[index + 1:index + 2]
            octal = re.match(rb"[0-7]{1,3}", body[index + 1:index + 4])
            if octal:
                out.append(int(octal[0], 8) & 0xFF)
                index += 1 + len(octal[0])
                continue
            out += _ESCAPES.get(following, following)
            index += 2
            continue
        out += char
        index += 1
    return bytes(out)


def runs(page) -> list[Run]:
    """Every piece of text of a page with its position and size in points."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    if resources.get("/XObject"):
        for xobject in resources["/XObject"].get_object().values():
            if xobject.get_object().get("/Subtype") == "/Form":
                raise Unsupported("form XObjects")
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else {}
    # The raw streams, decoded but not parsed (pypdf's get_contents() would
    # parse every operand into objects, which is what this module avoids).
    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    data = b"\n".join(stream.get_object().get_data() for stream in streams)
    found: list[Run] = []
    stack: list = []
    operands: list = []
    ctm = _IDENTITY
    tm = line = _IDENTITY
    font = None
    size = 0.0
    array: list | None = None

    def show(strings) -> None:
        if font is None:
            raise Unsupported("text before a font")
        width, mapping = font
        text = []
        for string in strings:
            for index in range(0, len(string) - width + 1, width):
                text.append(mapping.get(string[index:index + width], ""))
        matrix = _multiply(tm, ctm)
        scale = (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
        found.append(Run(logical(text), matrix[4], matrix[5], size * scale))

    for match in _TOKEN.finditer(data):
        kind = match.lastgroup
        if kind == "skip" or kind == "dict":
            continue
        value = match[kind]
        if kind == "num":
            item = float(value)
        elif kind == "hex":
            item = _hex(value.decode("latin-1"))
        elif kind == "lit":
            item = _literal(value)
        elif kind == "name":
            item = value.decode("latin-1")
        elif kind == "open":
            array = []
            continue
        elif kind == "close":
            operands.append(array or [])
            array = None
            continue
        else:
            op = value
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop() if stack else _IDENTITY
            elif op == b"cm" and len(operands) >= 6:
                ctm = _multiply(tuple(operands[-6:]), ctm)
            elif op == b"BT":
                tm = line = _IDENTITY
            elif op == b"Tm" and len(operands) >= 6:
                tm = line = tuple(operands[-6:])
            elif op in (b"Td", b"TD") and len(operands) >= 2:
                tm = line = _multiply((1, 0, 0, 1, operands[-2], operands[-1]), line)
            elif op == b"Tf" and len(operands) >= 2:
                name, size = operands[-2], float(operands[-1])
                entry = fonts.get(name)
                if entry is None:
                    raise Unsupported(f"unknown font {name}")
                font = _to_unicode(entry.get_object())
            elif op == b"TJ" and operands:
                show([part for part in operands[-1] if isinstance(part, bytes)])
            elif op in (b"Tj", b"'", b'"') and operands:
                show([operands[-1]])
            elif op == b"Do":
                raise Unsupported("XObjects drawn in the content")
            operands = []
            continue
        if array is not None:
            array.append(item)
        else:
            operands.append(item)
    return found
