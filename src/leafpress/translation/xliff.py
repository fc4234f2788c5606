"""XLIFF 1.2: catalogs to and from the files translation agencies work in.

Called by :mod:`leafpress.pipeline.xliff` (``leafpress xliff export`` and
``leafpress xliff import``). In: Babel catalogs (export), or the bytes of an
XLIFF file that a translation tool (Trados, memoQ, Phrase, OmegaT) sent back
(import). Out: the bytes of one XLIFF 1.2 document with a ``<file>`` per
catalog; or the ``<file>`` sections and ``<trans-unit>`` elements read from a
document, each with its line.

One ``<file>`` per catalog (``original`` is the ``.po`` path in the project,
``datatype="po"``), one ``<trans-unit>`` per message:

- ``id``: :func:`unit_id`, a fingerprint of the msgctxt and msgid, the same
  in every export; ``resname`` is the msgid;
- ``<source>`` and ``<target state="…">``: ``translated``, or
  ``needs-review-translation`` for a fuzzy entry, or ``new`` (empty);
- ``{placeholders}``, the templates' ``%(name)s`` and simple Markdown link
  targets (``](https://…)``) as inline codes,
  ``<ph id="1">{clinic_phone}</ph>``, numbered in the source, with the same
  ids in the target (:func:`protect`);
- the msgctxt as a ``<context-group purpose="information">`` with a
  ``x-gettext-msgctxt`` context, each ``#:`` reference as a
  ``<context-group purpose="location">`` (``sourcefile``, ``linenumber``),
  ``#.`` comments as ``<note from="developer">``, translator comments as
  ``<note from="po-translator">``, and the previous source of a fuzzy entry
  as ``<note from="leafpress">``;
- a plural entry as ``<group restype="x-gettext-plurals">`` with one unit per
  form of the language (``ID[0]``, ``ID[1]``, …), the msgid the source of
  form 0 and the msgid_plural that of the others.

Reading (:func:`read`) is for files from outside: at most :data:`MAX_BYTES`,
parsed by expat with no DTD at all (a DOCTYPE, an entity declaration or an
external entity is refused, never resolved), element by element without
recursion. Inline codes come back through :func:`restore`, which gives each
``<ph>`` or ``<x/>`` the text of the source's code with its id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from babel.messages.catalog import Catalog, Message

from leafpress import __version__
from leafpress.errors import ContentError, Problem
from leafpress.quality import glossary
from leafpress.text import markup
from leafpress.translation import pofile
from leafpress.translation.memory import xml_attribute, xml_text

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
#: The largest XLIFF file :func:`read` reads (a leaflet's catalog is a few
#: kilobytes; a batch of every leaflet a few megabytes).
MAX_BYTES = 20_000_000
PLURALS = "x-gettext-plurals"
MSGCTXT = "x-gettext-msgctxt"
#: The states that say a translation is done: importing one clears the
#: fuzzy flag.
DONE = ("translated", "final", "signed-off")
#: The states that ask for a review: importing one sets the fuzzy flag.
REVIEW = ("needs-review-translation", "needs-review-l10n", "needs-review-adaptation")

#: What is protected as an inline code: a ``{placeholder}``, a
#: ``%(name)s`` of the templates, or the target of a Markdown link without a
#: title or brackets in it.
_CODE_RE = re.compile(markup.PLACEHOLDER_RE.pattern + r"|%\([a-z_][a-z0-9_]*\)[sd]"
                      r"|\]\([^()\s<>\"']+\)")
#: The ``ctype`` of each kind of code, by its first character.
_CTYPES = {"{": "x-python-brace-param", "%": "x-python-format",
           "]": "x-markdown-link-target"}
#: Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_FORM_ID = re.compile(r"(.+)\[(\d)\]\Z")


@dataclass(frozen=True)
class Code:
    """An inline code: ``<ph id="…">`` (or ``<x id="…"/>``) and the text in
    it (empty when the tool sent it back without)."""

    id: str
    text: str


Piece = str | Code


# -- the inline codes -------------------------------------------------------


def unit_id(msgid: str, context: str | None) -> str:
    """The id of a message's unit: the same for the same msgctxt and msgid
    in every export (gettext's ``msgctxt\\x04msgid`` key, hashed)."""
    key = msgid if context is None else f"{context}\x04{msgid}"
    return "m" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def codes(source: str) -> dict[str, str]:
    """The inline codes of a source text by id: ``{"1": "{clinic_phone}"}``."""
    return {str(number): match[0]
            for number, match in enumerate(_CODE_RE.finditer(source), start=1)}


def protect(text: str, source: str | None = None) -> list[Piece]:
    """A text as pieces, each code of it a :class:`Code`. The codes of a
    source are numbered in order; those of a translation (``source`` given)
    take the id of the same code in the source (text where the source has
    no such code left)."""
    available: dict[str, list[str]] = {}
    if source is not None:
        for number, code in codes(source).items():
            available.setdefault(code, []).append(number)
    pieces: list[Piece] = []
    position, count = 0, 0
    for match in _CODE_RE.finditer(text):
        if source is None:
            count += 1
            number: str | None = str(count)
        else:
            left = available.get(match[0])
            number = left.pop(0) if left else None
        if number is None:
            continue
        if match.start() > position:
            pieces.append(text[position:match.start()])
        pieces.append(Code(number, match[0]))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return pieces


class InlineError(ValueError):
    """A ``<source>`` or ``<target>`` whose inline codes do not fit its
    message; the text says why."""


def restore(pieces: Iterable[Piece], known: dict[str, str]) -> str:
    """The text of a source or target: each code replaced by the source's
    code of the same id (``known``, from :func:`codes`). A code the source
    does not have, or one whose text was changed, raises
    :class:`InlineError`."""
    parts = []
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        code = known.get(piece.id)
        if code is None:
            raise InlineError(f"the inline code <ph id=\"{piece.id}\"> is not one of "
                              "the source's: use the source's codes only")
        if piece.text and piece.text != code:
            raise InlineError(f"the inline code <ph id=\"{piece.id}\"> should hold "
                              f"{code!r}, not {piece.text!r}: leave codes as they are")
        parts.append(code)
    return "".join(parts)


# -- writing ----------------------------------------------------------------


def _attrs(**values: str | None) -> str:
    return "".join(f' {name.replace("_", "-")}="{xml_attribute(value)}"'
                   for name, value in values.items() if value is not None)


def _inline(pieces: Iterable[Piece]) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(xml_text(piece))
        else:
            kind = _CTYPES[piece.text[0]]
            out.append(f'<ph id="{piece.id}" ctype="{kind}">'
                       f'{xml_text(piece.text)}</ph>')
    return "".join(out)


def exportable(message: Message) -> bool:
    """Whether XML 1.0 can hold every text of a message (it cannot hold most
    control characters, even escaped)."""
    texts = [*(message.id if isinstance(message.id, (list, tuple)) else
               [message.id]),
             *(message.string if isinstance(message.string, (list, tuple)) else
               [message.string or ""]),
             message.context or "", *message.auto_comments, *message.user_comments,
             *(message.previous_id or ())]
    return not any(_NOT_XML.search(text) for text in texts)


def _state(string: str, fuzzy: bool) -> str:
    if not string:
        return "new"
    return "needs-review-translation" if fuzzy else "translated"


def _details(message: Message, indent: str, terms: Iterable[str] = ()
             ) -> Iterator[str]:
    """The context groups and notes of a message's unit (or plural group),
    with the glossary's ``terms`` for it."""
    if message.context is not None:
        yield (f'{indent}<context-group purpose="information" name="msgctxt">'
               f'<context context-type="{MSGCTXT}">{xml_text(message.context)}'
               "</context></context-group>")
    for filename, line in message.locations:
        number = (f'<context context-type="linenumber">{line}</context>'
                  if line else "")
        yield (f'{indent}<context-group purpose="location"><context '
               f'context-type="sourcefile">{xml_text(filename)}</context>{number}'
               "</context-group>")
    for comment in message.auto_comments:
        yield f'{indent}<note from="developer">{xml_text(comment)}</note>'
    for comment in message.user_comments:
        yield f'{indent}<note from="po-translator">{xml_text(comment)}</note>'
    if message.fuzzy and message.previous_id:
        yield (f'{indent}<note from="leafpress">The source before it changed: '
               f"{xml_text(' / '.join(message.previous_id))}</note>")
    for term in terms:
        yield f'{indent}<note from="glossary">{xml_text(term)}</note>'


def _unit(uid: str, source: str, string: str, fuzzy: bool, indent: str,
          resname: str, details: Iterable[str]) -> Iterator[str]:
    yield f'{indent}<trans-unit{_attrs(id=uid, resname=resname)} xml:space="preserve">'
    yield f"{indent}  <source>{_inline(protect(source))}</source>"
    yield (f'{indent}  <target state="{_state(string, fuzzy)}">'
           f"{_inline(protect(string, source))}</target>")
    yield from details
    yield f"{indent}</trans-unit>"


def _message(message: Message, forms: int, terms: Iterable[str] = ()
             ) -> Iterator[str]:
    fuzzy = message.fuzzy
    uid = unit_id(_singular(message.id), message.context)
    if not isinstance(message.id, (list, tuple)):
        yield from _unit(uid, message.id, message.string or "", fuzzy, " " * 6,
                         message.id, _details(message, " " * 8, terms))
        return
    strings = list(message.string) if isinstance(message.string, (list, tuple)) \
        else [message.string or ""]
    yield f'      <group{_attrs(id=uid, restype=PLURALS)}>'
    yield from _details(message, " " * 8)
    for index in range(max(forms, len(strings))):
        source = message.id[0] if index == 0 else message.id[1]
        string = strings[index] if index < len(strings) else ""
        yield from _unit(f"{uid}[{index}]", source, string or "", fuzzy, " " * 8,
                         message.id[0], ())
    yield "      </group>"


def _term(term: glossary.Term) -> str:
    """A glossary term as a note for the translator."""
    what = {"required": f"“{term.source}” is translated as “{term.target}”",
            "forbidden": f"never use “{term.target}”",
            "keep": f"“{term.target}” stays as written"}[term.rule]
    return what + (f" ({term.note})" if term.note else "")


def _singular(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


@dataclass(frozen=True)
class Section:
    """One ``<file>``: a catalog and where it goes."""

    original: str
    source_language: str
    target_language: str
    catalog: Catalog | None = None
    #: What the translator should know about it (the leaflet, its version).
    note: str = ""
    #: The language's glossary, named on each unit it applies to.
    terms: tuple[glossary.Term, ...] = ()
    #: Where the ``<file>`` starts (when read).
    line: int = 0
    #: Its units (when read).
    units: tuple[Unit, ...] = ()


def _section(section: Section) -> Iterator[str]:
    catalog = section.catalog
    assert catalog is not None
    yield (f"  <file{_attrs(original=section.original)}"
           f"{_attrs(source_language=section.source_language)}"
           f"{_attrs(target_language=section.target_language)}"
           ' datatype="po">')
    yield "    <header>"
    yield (f'      <tool tool-id="leafpress" tool-name="leafpress" '
           f'tool-version="{xml_attribute(__version__)}"/>')
    if section.note:
        yield f'      <note from="leafpress">{xml_text(section.note)}</note>'
    for term in section.terms:  # what applies to every unit, said once
        if term.rule == "forbidden":
            yield f'      <note from="glossary">{xml_text(_term(term))}</note>'
    yield "    </header>"
    yield "    <body>"
    count = pofile.nplurals(pofile.fields(catalog).get("Plural-Forms", "")) or 2
    for message in catalog:
        if message.id and exportable(message):
            yield from _message(message, count, [
                _term(term) for term in glossary.applying(
                    section.terms, _singular(message.id), section.source_language)
                if term.rule != "forbidden"])
    yield "    </body>"
    yield "  </file>"


def write(sections: Iterable[Section]) -> bytes:
    """The XLIFF 1.2 document of the sections' catalogs (UTF-8, LF). A
    message that XML cannot hold (:func:`exportable`) is left out."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<xliff version="1.2" xmlns="{NAMESPACE}">']
    for section in sections:
        lines.extend(_section(section))
    lines.append("</xliff>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- reading ----------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One ``<trans-unit>`` as read: its id, the line it starts on, its
    source and target as pieces (``None``: no such element), the target's
    state, and the plural group it belongs to (with the form's index)."""

    id: str
    line: int
    source: tuple[Piece, ...] | None
    target: tuple[Piece, ...] | None
    state: str | None
    plural: str | None = None
    form: int | None = None
    #: Why it cannot be read (an inline element leafpress did not export).
    problem: str | None = None


class _Node:
    __slots__ = ("name", "foreign", "attrs", "line", "children")

    def __init__(self, name: str, foreign: bool, attrs: dict[str, str], line: int):
        self.name, self.foreign, self.attrs, self.line = name, foreign, attrs, line
        self.children: list[_Node | str] = []

    def elements(self, name: str) -> Iterator[_Node]:
        for child in self.children:
            if isinstance(child, _Node) and not child.foreign and child.name == name:
                yield child

    def first(self, name: str) -> _Node | None:
        return next(self.elements(name), None)


class _Unsafe(Exception):
    pass


def _split(name: str) -> tuple[str, bool]:
    """A namespaced expat name as ``(local name, foreign)``."""
    space, _, local = name.rpartition(" ")
    return local, space not in ("", NAMESPACE)


def _tree(data: bytes, shown: str) -> _Node:
    """The elements of an XML document, each with its line; a DTD, an
    entity or a document that is not well-formed raises
    :class:`ContentError`."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    root = _Node("", False, {}, 0)
    stack = [root]

    def start(name: str, attrs: dict[str, str]) -> None:
        local, foreign = _split(name)
        node = _Node(local, foreign, {_attr_name(key): value
                                      for key, value in attrs.items()},
                     parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        children = stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def refuse(*args) -> None:
        raise _Unsafe()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.NotationDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except _Unsafe:
        raise ContentError([Problem(shown, parser.CurrentLineNumber, "refused: the "
                                    "file has a DOCTYPE or entity declaration, which "
                                    "an XLIFF file needs not and leafpress never "
                                    "reads; export it again without one")]) from None
    except expat.ExpatError as error:
        raise ContentError([Problem(shown, error.lineno, "not well-formed XML: "
                                    f"{expat.ErrorString(error.code)}; the file is "
                                    "damaged or not XLIFF")]) from None
    return root


def _attr_name(name: str) -> str:
    """``xml:space`` for the XML namespace's attributes, the local name for
    the others (XLIFF's own attributes have no namespace)."""
    space, _, local = name.rpartition(" ")
    return f"xml:{local}" if space == XML_NAMESPACE else (
        local if not space else f"{{{space}}}{local}")


def _pieces(node: _Node) -> tuple[Piece, ...]:
    """The text and codes of a ``<source>`` or ``<target>``; ``<mrk>`` (a
    tool's marks) is read through; any other inline element raises
    :class:`InlineError`."""
    pieces: list[Piece] = []
    stack: list[_Node | str] = list(reversed(node.children))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if pieces and isinstance(pieces[-1], str):
                pieces[-1] += item
            else:
                pieces.append(item)
        elif item.foreign:
            raise InlineError(f"an element <{item.name}> of another tool's own "
                              "format; save the file as plain XLIFF 1.2")
        elif item.name == "mrk":
            stack.extend(reversed(item.children))
        elif item.name in ("ph", "x") and "id" in item.attrs:
            if any(isinstance(child, _Node) for child in item.children):
                raise InlineError(f"the inline code <{item.name} id=\""
                                  f"{item.attrs['id']}\"> holds other elements; "
                                  "leave codes as they are")
            pieces.append(Code(item.attrs["id"], "".join(item.children)))
        else:
            raise InlineError(f"the inline element <{item.name}>, which leafpress "
                              "did not export: keep only the <ph> codes of the "
                              "source")
    return tuple(pieces)


def _read_unit(node: _Node, plural: str | None) -> Unit:
    uid = node.attrs.get("id", "")
    form = None
    if plural is not None:
        match = _FORM_ID.match(uid)
        form = int(match[2]) if match and match[1] == plural else None
    source_node, target_node = node.first("source"), node.first("target")
    state = target_node.attrs.get("state") if target_node is not None else None
    try:
        source = _pieces(source_node) if source_node is not None else None
        target = _pieces(target_node) if target_node is not None else None
    except InlineError as error:
        return Unit(uid, node.line, None, None, state, plural, form, str(error))
    problem = None
    if not uid:
        problem = "a <trans-unit> without an id: export the file again"
    elif plural is not None and form is None:
        problem = (f"a unit of the plural group {plural!r} whose id is not "
                   f"{plural}[N]: export the file again")
    return Unit(uid, node.line, source, target, state, plural, form, problem)


def _units(body: _Node) -> list[Unit]:
    """Every unit of a ``<body>``, through any groups, in document order."""
    units: list[Unit] = []
    stack: list[tuple[Iterator[_Node | str], str | None]] = [
        (iter(body.children), None)]
    while stack:
        children, plural = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif not isinstance(child, _Node) or child.foreign:
            continue
        elif child.name == "trans-unit":
            units.append(_read_unit(child, plural))
        elif child.name == "group":
            inner = (child.attrs.get("id", "") if child.attrs.get("restype")
                     == PLURALS else plural)
            stack.append((iter(child.children), inner))
    return units


def read(data: bytes, shown: str) -> list[Section]:
    """The ``<file>`` sections of an XLIFF 1.2 document, each with its
    units. A file that is too large, not well-formed, has a DTD or is not
    XLIFF 1.2 raises :class:`ContentError`; the problems of single units are
    on each :class:`Unit`."""
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(shown, None, f"refused: the file is "
                                    f"{len(data) / 1e6:.1f} MB, and leafpress reads "
                                    f"XLIFF files of at most {MAX_BYTES // 1_000_000} "
                                    "MB: export fewer leaflets at a time")])
    root = next((child for child in _tree(data, shown).children
                 if isinstance(child, _Node)), None)
    if root is None or root.name != "xliff" or root.foreign:
        raise ContentError([Problem(shown, root.line if root else 1, "not an XLIFF "
                                    "file: its root element is not <xliff> of XLIFF "
                                    "1.2")])
    if root.attrs.get("version") != "1.2":
        raise ContentError([Problem(shown, root.line, "not XLIFF 1.2 (version="
                                    f"{root.attrs.get('version', '(none)')!r}): save "
                                    "the file as XLIFF 1.2, the version leafpress "
                                    "exported")])
    sections = []
    for node in root.elements("file"):
        body = node.first("body")
        sections.append(Section(
            node.attrs.get("original", ""), node.attrs.get("source-language", ""),
            node.attrs.get("target-language", ""), line=node.line,
            units=tuple(_units(body)) if body is not None else ()))
    return sections
