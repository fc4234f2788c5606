"""PDF syntax as :mod:`leafpress.printing.pdftext` reads it, without pypdf.

Called by pdftext, :mod:`leafpress.printing.paint` and
:mod:`leafpress.printing.pdffonts`. In: the bytes of a content stream, or a
value of a PDF object. Out: the regular expression that splits a content stream
into tokens, the bytes of hex and literal strings, the strings and numbers of a
``TJ`` array, and numbers with a default.
"""

from __future__ import annotations

import re

#: A literal string, with one level of nested parentheses.
_LITERAL = rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)"

TOKEN_RE = re.compile(rb"""
    (?P<dict><<|>>)
  | \[(?P<tj>(?:[^\[\]()]|""" + _LITERAL + rb""")*)\]\s*TJ\b
  | <(?P<hex>[0-9A-Fa-f\s]*)>
  | \((?P<lit>(?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*)\)
  | (?P<open>\[) | (?P<close>\])
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+))
  | (?P<inline>\bBI\b(?s:.*?)\bID\s(?s:.*?)\sEI\b)
  | (?P<op>[A-Za-z'"*]+)
  | (?P<skip>%[^\r\n]*|\s+)
""", re.VERBOSE)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
#: The strings and numbers of a ``TJ`` array.
_TJ_ITEM = re.compile(rb"<(?P<hex>[0-9A-Fa-f\s]*)>"
                      rb"|\((?P<lit>(?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*)\)"
                      rb"|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+))")
_TJ_STRING = re.compile(rb"<[^>]*>|" + _LITERAL)
_TJ_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def hex_bytes(text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:  # an odd number of digits: the last is followed by 0
        digits = re.sub(r"\s", "", text)
        return bytes.fromhex(digits + "0" * (len(digits) % 2))


def number_or(value, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def split_tj_array(body: bytes) -> tuple[list[bytes], float]:
    """The strings of a ``TJ`` array and the sum of its numbers."""
    adjust = sum(map(float, _TJ_STRING.sub(b" ", body).split()))
    if b"(" not in body:  # hex strings only, as WeasyPrint writes them
        pieces = _TJ_HEX.findall(body)
        if not any(len(piece) % 2 for piece in pieces):
            return [bytes.fromhex(b"".join(pieces).decode("latin-1"))], adjust
    strings = [hex_bytes(item["hex"].decode("latin-1"))
               if item["hex"] is not None else literal_bytes(item["lit"])
               for item in _TJ_ITEM.finditer(body) if item["num"] is None]
    return strings, adjust


def literal_bytes(body: bytes) -> bytes:
    if b"\\" not in body:
        return body
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
