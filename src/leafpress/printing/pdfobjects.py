"""Read the objects of a PDF's object streams in one pass: the fast way in
for verification at the end of a build.

Called by :mod:`leafpress.printing.readback` for a PDF the render worker just
wrote. In: a ``pypdf.PdfReader`` just opened. Out: every object of its
object streams parsed and put in the reader's cache, as pypdf's own parser
would have made them (dictionaries, arrays, names, numbers, strings,
references), so that pypdf reads none of them again. WeasyPrint keeps almost
every object of a PDF in object streams (the structure tree alone has
hundreds), and pypdf's reader, byte by byte in Python, spends more time on
them than the checks do. Any syntax this reader does not take exactly as
pypdf does (a name with ``#`` escapes, an unusual string escape, a stray
token) leaves that stream to pypdf. ``leafpress check`` reads with pypdf
alone.
"""

from __future__ import annotations

import re

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    create_string_object,
)

_TOKEN = re.compile(rb"""
    (?P<space>(?:[\x00\t\n\x0c\r ]|%[^\r\n]*)+)
  | (?P<ref>(?P<id>\d+)[\x00\t\n\x0c\r ]+(?P<gen>\d+)[\x00\t\n\x0c\r ]+R
             (?![^\x00\t\n\x0c\r ()<>\[\]{}/%]))
  | (?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])
  | (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<open><<) | (?P<close>>>) | (?P<begin>\[) | (?P<end>\])
  | (?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
  | (?P<lit>\()
  | (?P<word>true|false|null)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])
""", re.VERBOSE)
#: The escapes of a literal string that pypdf and this reader read alike.
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
            b"(": b"(", b")": b")", b"\\": b"\\"}
_STRING_PART = re.compile(rb"\\(?:[0-7]{1,3}|.)|[()]", re.DOTALL)


class Unsupported(ValueError):
    """Syntax left to pypdf."""


def _values(data: bytes, at: int, reader: PdfReader) -> list:
    """Every object from ``at`` to the end of ``data``, in order: one pass
    over the tokens, with a stack for the arrays and dictionaries open."""
    values: list = []
    stack: list[list] = []  # open containers: [kind, items]
    index = at
    size = len(data)
    # Names and numbers are immutable: one object for each spelling, except
    # at the top, where pypdf marks each object with its reference.
    names: dict[bytes, NameObject] = {}
    numbers: dict[bytes, NumberObject | FloatObject] = {}
    while index < size:
        match = _TOKEN.match(data, index)
        if match is None:
            raise Unsupported(f"an unknown token at {index}")
        kind = match.lastgroup
        index = match.end()
        if kind == "space":
            continue
        if kind == "ref":
            value = IndirectObject(int(match["id"]), int(match["gen"]), reader)
        elif kind == "num":
            text = match["num"]
            value = numbers.get(text) if stack else None
            if value is None:
                value = (FloatObject(text.decode()) if b"." in text
                         else NumberObject(int(text)))
                if stack:
                    numbers[text] = value
        elif kind == "name":
            text = match["name"]
            value = names.get(text) if stack else None
            if value is None:
                if b"#" in text:
                    raise Unsupported("a name with # escapes")
                value = NameObject(text.decode("utf-8"))
                if stack:
                    names[text] = value
        elif kind == "word":
            word = match["word"]
            value = NullObject() if word == b"null" else BooleanObject(word == b"true")
        elif kind == "hex":
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", match["hex"][1:-1])
            if len(digits) % 2:
                digits += b"0"
            value = create_string_object(bytes.fromhex(digits.decode()))
        elif kind == "lit":
            value, index = _literal(data, index)
        elif kind == "begin" or kind == "open":
            stack.append([kind, []])
            continue
        elif kind == "end" or kind == "close":
            if not stack or stack[-1][0] != ("begin" if kind == "end" else "open"):
                raise Unsupported(f"an unmatched {match[0]!r}")
            opened, items = stack.pop()
            if opened == "begin":
                value = ArrayObject(items)
            else:
                if len(items) % 2 or not all(isinstance(key, NameObject)
                                             for key in items[::2]):
                    raise Unsupported("a dictionary pypdf reads its own way")
                value = DictionaryObject()
                # (every key a name, every value a PDF object: pypdf's checks
                # on each item would find nothing)
                dict.update(value, zip(items[::2], items[1::2], strict=True))
        else:
            raise Unsupported(f"unexpected {kind} at {index}")
        (stack[-1][1] if stack else values).append(value)
    if stack:
        raise Unsupported("an array or dictionary that does not end")
    return values


def _literal(data: bytes, at: int) -> tuple[object, int]:
    """A literal string whose ``(`` ends before ``at``, and where it ends."""
    out = bytearray()
    depth = 1
    index = at
    for part in _STRING_PART.finditer(data, at):
        out += data[index:part.start()]
        index = part.end()
        token = part[0]
        if token == b"(":
            depth += 1
            out += token
        elif token == b")":
            depth -= 1
            if depth == 0:
                if b"\r" in out:
                    raise Unsupported("a line end inside a string")
                return create_string_object(bytes(out)), index
            out += token
        elif token[1:].isdigit():
            if len(token) != 4 or int(token[1:], 8) > 255:
                raise Unsupported("a short or large octal escape")
            out.append(int(token[1:], 8))
        elif token[1:] in _ESCAPES:
            out += _ESCAPES[token[1:]]
        else:
            raise Unsupported("an escape pypdf reads its own way")
    raise Unsupported("a string that does not end")


def preload(reader: PdfReader) -> int:
    """Parse every object stream of ``reader`` and cache its objects; return
    how many objects were cached."""
    streams: dict[int, list[int]] = {}
    for number, (stream, _index) in reader.xref_objStm.items():
        streams.setdefault(stream, []).append(number)
    cached = 0
    for stream, numbers in streams.items():
        try:
            cached += _preload_stream(reader, stream, set(numbers))
        except (Unsupported, ValueError, KeyError, TypeError, IndexError):
            continue  # pypdf reads it
    return cached


def _preload_stream(reader: PdfReader, stream: int, numbers: set[int]) -> int:
    holder = reader.get_object(stream)
    if holder.get("/Type") != "/ObjStm":
        raise Unsupported("not an object stream")
    data = holder.get_data()
    count, first = int(holder["/N"]), int(holder["/First"])
    header = data[:first].split()
    if len(header) != 2 * count:
        raise Unsupported("an object stream header pypdf reads its own way")
    pairs = [(int(header[2 * i]), int(header[2 * i + 1])) for i in range(count)]
    if any(later <= earlier for (_a, earlier), (_b, later)
           in zip(pairs, pairs[1:], strict=False)):
        raise Unsupported("offsets out of order")
    values = _values(data, first, reader)
    if len(values) != count:
        raise Unsupported("an object stream that does not hold /N objects")
    cached = 0
    for (number, _offset), value in zip(pairs, values, strict=True):
        if number in numbers and (0, number) not in reader.resolved_objects:
            reader.cache_indirect_object(0, number, value)
            cached += 1
    return cached
