"""Reading ``.po`` files as any tool writes them, the way GNU gettext reads them.

Called by catalogs, update and plurals, and by the writer
(:mod:`leafpress.translation.layout`). :func:`read` takes the bytes of a
``.po`` or ``.pot`` file as GNU gettext, Poedit, Weblate, Babel or a text
editor wrote it and gives a Babel catalog; :func:`entries` gives the entries
as they stand in the file (to compare one file with another).

Babel's reader drops header fields it does not know (leafpress keeps its own
``X-Leafpress-*`` fields there) and keeps ``#|`` lines as translator
comments. :func:`read` puts both right. The header fields travel on the
catalog as ``catalog.leafpress_fields`` (see :func:`fields`); the
``Plural-Forms`` field is read by :func:`nplurals` and :func:`plural_forms`.

Babel's reader also takes much that GNU ``msgfmt`` refuses, and reads it
wrong without a word: a file with CR-only line ends as one comment (a
catalog with no entries), text after a string's closing quote or an
unclosed string as part of the text, ``msgstr[0]`` on an entry without
``msgid_plural``, a second ``msgstr`` (dropped), a ``msgstr`` with no
``msgid`` (given to the next entry), NUL characters. :func:`parse` reads
the file first by GNU gettext's grammar and refuses each of these at its
line (:class:`PoSyntaxError`); :func:`read` then has Babel read it and
refuses any entry the two readings do not agree on. Line ends may be LF or
CRLF, mixed, after a UTF-8 byte-order mark; a carriage return without a line
feed is refused (GNU gettext takes it as part of the text, an editor as a
line end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, unescape

__all__ = ["Entry", "PoSyntaxError", "decode", "entries", "fields", "header",
           "nplurals", "parse", "plural_forms", "read", "short", "unescape"]

GENERATOR = "leafpress"
_DROPPED = {"generated-by"}  # tool stamps that would change with every version
_TOKEN = re.compile(r'(msgctxt|msgid_plural|msgid)|("(?:[^"\\]|\\.)*")')


def fields(catalog: Catalog) -> dict[str, str]:
    """The header fields of a catalog, in order, editable in place."""
    found = getattr(catalog, "leafpress_fields", None)
    if found is None:
        found = {name: value.strip() for name, value in catalog.mime_headers
                 if name.lower() not in _DROPPED}
        if catalog.version in (None, "VERSION"):
            found["Project-Id-Version"] = catalog.project or "PACKAGE"
        catalog.leafpress_fields = found
    found["X-Generator"] = GENERATOR
    return found


def _header_fields(text: str) -> dict[str, str]:
    """Parse the raw header msgstr (``Name: value`` lines)."""
    result: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            result[name.strip()] = value.strip()
    return result


#: ``nplurals`` in a ``Plural-Forms`` value, wherever it stands (as GNU msgfmt
#: finds it).
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
#: A whole ``Plural-Forms`` value as gettext writes it: ``nplurals=N; plural=EXPR;``.
_PLURAL_FORMS = re.compile(r"\s*" + _NPLURALS.pattern
                           + r"\s*;\s*plural\s*=\s*([^;]+);?\s*")


def nplurals(value: str) -> int | None:
    """The ``nplurals`` a ``Plural-Forms`` value gives; ``None`` without one."""
    match = _NPLURALS.search(value)
    return int(match[1]) if match else None


def plural_forms(value: str) -> tuple[int, str] | None:
    """``(nplurals, plural expression)`` of a ``Plural-Forms`` value in
    gettext's form; ``None`` when it is not in that form."""
    match = _PLURAL_FORMS.fullmatch(value)
    return (int(match[1]), match[2]) if match else None


def _recover_previous(message: Message, previous: list[str]) -> None:
    """An entry's ``#| msgctxt``/``#| msgid`` lines into ``previous_id`` and
    ``previous_context``. Babel's reader keeps them as translator comments,
    with repeated lines dropped (two ``#| "\\n"`` lines in a row would lose
    one), so they are taken from the grammar's own reading of the lines."""
    message.user_comments = [comment for comment in message.user_comments
                             if not comment.startswith("|")]
    if not previous:
        return
    # A wrapped comment line broke at a space: join the lines with one.
    values: dict[str, str] = {}
    keyword = None
    for match in _TOKEN.finditer(" ".join(line.strip() for line in previous)):
        if match[1]:
            keyword = match[1]
            values[keyword] = ""
        elif keyword:
            values[keyword] += unescape(match[2])
    if "msgid" in values:
        message.previous_id = [values["msgid"]] + (
            [values["msgid_plural"]] if "msgid_plural" in values else [])
    if "msgctxt" in values:
        message.previous_context = values["msgctxt"]


def short(text: str, limit: int = 60) -> str:
    """A message as problems quote it: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


class PoSyntaxError(Exception):
    """A ``.po`` file leafpress will not read: ``problems`` holds each
    ``(line, message)``, the message saying how to fix it."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("\n".join(f"line {line}: {message}"
                                   for line, message in problems))


BROKEN = "broken catalog: "
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_LINE_END = re.compile(r"\r\n|\r|\n")
_LONE_CR = re.compile(r"\r(?!\n)")
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
#: The escapes Babel's reader and GNU gettext both read the same way.
_ESCAPES = set('\\"abfnrtv')
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


def decode(data: bytes) -> str:
    """The text of a ``.po`` file: UTF-8, with or without a byte-order mark,
    LF or CRLF line ends (CRLF becomes LF). A carriage return without a line
    feed, a NUL character or another encoding is refused."""
    if data.startswith(_UTF16):
        raise PoSyntaxError([(1, BROKEN + "the file is saved as UTF-16 (it starts "
                              "with a UTF-16 byte-order mark); save it as UTF-8")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PoSyntaxError([(line, "not valid UTF-8; the catalog must be saved as "
                              "UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    lone = _LONE_CR.search(text)
    if lone:
        line = len(_LINE_END.findall(text, 0, lone.start())) + 1
        more = len(_LONE_CR.findall(text)) - 1
        raise PoSyntaxError([(line, BROKEN + "this line ends with a carriage return "
                              "(CR) and no line feed" + (
                                  f", and so do {more} more lines" if more else "")
                              + "; GNU gettext takes such a CR as part of the text "
                              "and an editor as a line end: save the catalog with "
                              "LF (Unix) or CRLF (Windows) line ends")])
    text = text.replace("\r\n", "\n")
    nul = [(number, BROKEN + "a NUL character (code 0) is on this line; delete it")
           for number, line in enumerate(text.split("\n"), start=1) if "\0" in line]
    if nul:
        raise PoSyntaxError(nul)
    return text


@dataclass
class Entry:
    """One entry of a ``.po`` file as GNU gettext's grammar reads it.

    ``line`` is the line of its ``msgid``; ``strings`` holds the ``msgstr``
    (one) or ``msgstr[0]``, ``msgstr[1]``, ... (a plural entry), each read
    from ``string_lines``."""

    line: int
    obsolete: bool
    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    strings: list[str] = field(default_factory=list)
    string_lines: list[int] = field(default_factory=list)
    first: int = 0  # its first keyword line (msgctxt or msgid)
    previous: list[str] = field(default_factory=list)  # its ``#|`` lines
    last: str | None = None  # the keyword a continuation string belongs to

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid or ""

    @property
    def header(self) -> bool:
        return self.msgid == "" and not self.obsolete

    @property
    def translated(self) -> tuple[str, ...]:
        """The msgstr, or the plural forms up to the last one filled in;
        empty when nothing is translated."""
        forms = list(self.strings)
        while forms and not forms[-1]:
            forms.pop()
        return tuple(forms)


def _string(text: str, keyword: str | None) -> tuple[str, str]:
    """``(quoted, problem)`` for the one quoted string that ``text`` must be."""
    where = f"after {keyword}" if keyword else "on this line"
    if not text:
        return "", f"{keyword} needs its text in double quotes (\"\" when empty)"
    if not text.startswith('"'):
        return "", (f"the text {where} must be in double quotes: "
                    f"{short(text, 40)}")
    match = _STRING.match(text)
    if not match:
        return "", ("the string is not closed: end it with a double quote (a quote "
                    "inside the text is written \\\")")
    rest = text[match.end():].strip()
    if rest.startswith('"'):
        return "", ("two strings on one line: put the second on a line of its own")
    if rest:
        return "", (f"text after the closing quote ({short(rest, 30)}): put it inside "
                    "the quotes (a quote inside the text is written \\\") or delete it")
    for escape in _ESCAPE.finditer(match[1]):
        if escape[1] not in _ESCAPES:
            return "", (f"\\{escape[1]} is not an escape leafpress reads: write the "
                        "character itself (\\n, \\t, \\\" and \\\\ are the escapes)")
    return match[0], ""


class _Parser:
    """GNU gettext's ``.po`` grammar, line by line; collects every problem."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.problems: list[tuple[int, str]] = []
        self.babel: list[str] = []  # the lines as Babel's reader gets them
        self.open: Entry | None = None
        self.skipping = False  # after a problem, until the next entry starts
        self.gap = False  # a blank line since the last keyword or string
        self.previous: list[str] = []  # ``#|`` lines for the next entry

    def fail(self, number: int, message: str) -> None:
        self.problems.append((number, BROKEN + message))
        self.open, self.skipping = None, True

    def finish(self) -> None:
        entry, self.open = self.open, None
        self.skipping = False
        if entry is None:
            return
        if entry.msgid is None:
            self.problems.append((entry.first, BROKEN + "msgctxt without a msgid "
                                  "after it: add the msgid and msgstr, or delete it"))
        elif not entry.strings:
            self.problems.append((entry.line, BROKEN + "msgid without a msgstr: add "
                                  + ('msgstr[0] "", msgstr[1] "", …' if entry.plural
                                     is not None else 'msgstr ""') + " after it"))
        else:
            self.entries.append(entry)

    def line(self, number: int, raw: str) -> None:
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
            if line.startswith("|"):
                # the previous text of an obsolete entry (msgmerge --previous):
                # leafpress does not keep it, and Babel cannot read it
                self.finish()
                self.babel.append("")
                return
        elif line.startswith("#"):
            entry = self.open
            if entry is not None and not entry.strings and not (
                    self.skipping or self.gap):
                self.fail(number, "a comment line inside an entry, after its "
                          f"{'msgctxt' if entry.msgid is None else 'msgid'}: "
                          "comments and flags go above the entry's first line")
            else:
                self.finish()
            if line.startswith("#|"):
                self.previous.append(line[2:])
            if line.startswith("#-"):
                self.fail(number, "a conflict marker (#-) left by msgcat or msgmerge: "
                          "resolve the conflict and delete the line")
            self.babel.append(line)
            return
        prefix = "#~ " if obsolete else ""
        self.gap = not line
        if not line:
            self.babel.append("")
            return
        if line.startswith('"'):
            self.babel.append(prefix + self.continuation(number, line, obsolete))
            return
        self.babel.append(prefix + self.keyword(number, line, obsolete))

    def continuation(self, number: int, line: str, obsolete: bool) -> str:
        quoted, problem = _string(line, None)
        entry = self.open
        if problem:
            self.fail(number, problem)
        elif self.skipping:
            pass
        elif entry is None or entry.last is None:
            self.fail(number, "a string that belongs to no msgctxt, msgid or msgstr "
                      "(is the keyword before it missing, or a comment in between?)")
        elif entry.obsolete != obsolete:
            self.fail(number, "this entry mixes obsolete (#~) lines with others: mark "
                      "all of its lines #~, or none")
        else:
            value = unescape(quoted)
            if entry.last == "msgctxt":
                entry.context = (entry.context or "") + value
            elif entry.last == "msgid":
                entry.msgid = (entry.msgid or "") + value
            elif entry.last == "msgid_plural":
                entry.plural = (entry.plural or "") + value
            else:
                entry.strings[-1] += value
        return quoted

    def keyword(self, number: int, line: str, obsolete: bool) -> str:
        match = _KEYWORD.match(line)
        head = re.match(r'[^\s"]*', line)[0]
        if not match or match.end() != len(head) or (
                match[2] is not None and match[1] != "msgstr"):
            if head.startswith(_CONFLICT):
                self.fail(number, "a merge conflict marker: resolve the conflict and "
                          "delete the marker lines")
            else:
                self.fail(number, f"unknown keyword {short(head, 30)}: the keywords "
                          "are msgctxt, msgid, msgid_plural, msgstr and msgstr[n]")
            return line
        keyword = match[0]
        quoted, problem = _string(line[match.end():].strip(), keyword)
        if problem:
            if keyword in ("msgctxt", "msgid"):
                self.finish()
            self.fail(number, problem)
            return line
        value = unescape(quoted)
        word, index = match[1], None if match[2] is None else int(match[2])
        entry = self.open
        if word == "msgctxt" or (word == "msgid" and not (
                entry is not None and entry.msgid is None and entry.last == "msgctxt")):
            self.finish()
            entry = self.open = Entry(number, obsolete, first=number,
                                      previous=self.previous)
            self.previous = []
        if self.skipping:
            return f"{keyword} {quoted}"
        if entry is None or entry.msgid is None and word != "msgid" and (
                word != "msgctxt"):
            self.fail(number, f"{keyword} without a msgid before it (is the msgid "
                      "missing, or a comment line between them?)")
        elif entry.obsolete != obsolete:
            self.fail(number, "this entry mixes obsolete (#~) lines with others: mark "
                      "all of its lines #~, or none")
        elif word == "msgctxt":
            entry.context = value
        elif word == "msgid":
            entry.msgid, entry.line = value, number
        elif word == "msgid_plural":
            if entry.plural is not None:
                self.fail(number, "a second msgid_plural in this entry: keep one")
            elif entry.strings:
                self.fail(number, "msgid_plural after the msgstr: it goes right "
                          "after the msgid")
            else:
                entry.plural = value
        elif index is None:
            if entry.plural is not None:
                self.fail(number, "a plain msgstr on an entry with msgid_plural: "
                          "write msgstr[0], msgstr[1], … (GNU msgfmt refuses it)")
            elif entry.strings:
                self.fail(number, "a second msgstr in this entry (the first is at line "
                          f"{entry.string_lines[0]}): keep one")
            else:
                entry.strings.append(value)
                entry.string_lines.append(number)
        elif entry.plural is None:
            self.fail(number, f"{keyword} on an entry without msgid_plural: write "
                      "msgstr \"…\" (GNU msgfmt refuses msgstr[n] here)")
        elif index != len(entry.strings):
            self.fail(number, (
                f"{keyword} twice in this entry (the first is at line "
                f"{entry.string_lines[index]}): keep one" if index < len(entry.strings)
                else f"{keyword} without msgstr[{len(entry.strings)}] before it: the "
                "forms are msgstr[0], msgstr[1], … in order"))
        else:
            entry.strings.append(value)
            entry.string_lines.append(number)
        if self.open is not None:
            self.open.last = "msgstr" if word == "msgstr" else word
        return f"{keyword} {quoted}"

    def check(self) -> None:
        """The rules over whole entries: one header, no duplicates, as many
        plural forms as the header's ``nplurals`` (as GNU msgfmt, which
        leaves obsolete entries alone there)."""
        seen: dict[tuple[str | None, str], int] = {}
        header: Entry | None = None
        for entry in self.entries:
            if entry.msgid == "" and entry.context is not None:
                self.problems.append((entry.line, BROKEN + "an entry with an empty "
                                      "msgid is the header, which has no msgctxt: "
                                      "give it a msgid or delete it"))
            elif entry.header and header is not None:
                self.problems.append((entry.line, "duplicate: a second header "
                                      f"(msgid \"\"); the first is at line "
                                      f"{header.line}: keep one"))
            elif entry.header:
                header = entry
            elif entry.key in seen:
                self.problems.append((entry.line, f"duplicate: {short(entry.msgid)} is "
                                      f"already at line {seen[entry.key]}; keep one "
                                      "entry"))
            else:
                seen[entry.key] = entry.line
        if header is None:
            return
        count = nplurals(_header_fields(header.strings[0]).get("Plural-Forms",
                                                             "")) or 0
        for entry in self.entries:
            if not count or entry.plural is None or entry.obsolete or (
                    len(entry.strings) == count):
                continue
            if len(entry.strings) > count:
                self.problems.append((entry.string_lines[count], BROKEN + (
                    f"msgstr[{count}]: the header's Plural-Forms says "
                    f"nplurals={count}, so the forms are msgstr[0] to "
                    f"msgstr[{count - 1}]: delete the others (or correct "
                    "Plural-Forms)")))
            else:
                self.problems.append((entry.string_lines[-1], BROKEN + (
                    f"{short(entry.msgid)} has {len(entry.strings)} plural "
                    f"form{'s' * (len(entry.strings) != 1)} and the header's "
                    f"Plural-Forms says nplurals={count}: add msgstr["
                    f"{len(entry.strings)}] (\"\" if not translated yet)")))


@dataclass(frozen=True)
class Parsed:
    """A ``.po`` file read by :func:`parse`: its entries, and its lines as
    Babel's reader gets them (one keyword and one string on each)."""

    entries: list[Entry]
    lines: list[str]


def parse(text: str) -> Parsed:
    """Read ``.po`` text (from :func:`decode`) by GNU gettext's grammar;
    raises :class:`PoSyntaxError` with every line it will not read."""
    parser = _Parser()
    for number, line in enumerate(text.split("\n"), start=1):
        parser.line(number, line)
    parser.finish()
    parser.check()
    if parser.problems:
        raise PoSyntaxError(sorted(parser.problems))
    return Parsed(parser.entries, parser.babel)


def entries(data: bytes) -> list[Entry]:
    """The entries of a ``.po`` file; raises :class:`PoSyntaxError`."""
    return parse(decode(data)).entries


def header(found: list[Entry]) -> dict[str, str]:
    """The header fields of parsed entries (none when there is no header)."""
    first = next((entry for entry in found if entry.header), None)
    return _header_fields(first.strings[0]) if first else {}


def _agrees(entry: Entry, message: Message | None) -> bool:
    """Whether Babel read an entry as :func:`parse` did."""
    if message is None or message.context != entry.context:
        return False
    if entry.plural is None:
        return message.id == entry.msgid and message.string == entry.strings[0]
    strings = list(message.string) if isinstance(message.string, (list, tuple)) \
        else []
    return (tuple(message.id) == (entry.msgid, entry.plural)
            and strings == entry.strings + [""] * (len(strings) - len(entry.strings)))


def read(data: bytes, locale: str | None = None) -> Catalog:
    """Read a catalog; raises :class:`PoSyntaxError` for any line it will
    not read (and Babel's ``PoFileError`` for what Babel refuses besides)."""
    parsed = parse(decode(data))
    catalog = read_po(parsed.lines, locale=locale, abort_invalid=True)
    # Belt and braces: each msgid keyword is one entry, and Babel read each
    # entry as the grammar did; anything else is refused at its line.
    by_line = {message.lineno: message
               for message in list(catalog)[1:] + list(catalog.obsolete.values())}
    read_lines = set(by_line) | {entry.line for entry in parsed.entries if entry.header}
    keywords = [number for number, line in enumerate(parsed.lines, start=1)
                if re.match(r"(#~ )?msgid ", line)]
    unread = [number for number in keywords if number not in read_lines]
    wrong = [(number, BROKEN + "the entry at this line was not read "
              f"({len(keywords)} msgid lines, {len(read_lines)} entries read); check "
              "its keywords and quotes") for number in unread]
    wrong += [(entry.line, BROKEN + "this entry does not read the same in Babel and "
               "GNU gettext; check its keywords and quotes")
              for entry in parsed.entries if not entry.header
              and entry.line not in unread
              and not _agrees(entry, by_line.get(entry.line))]
    if wrong:
        raise PoSyntaxError(sorted(wrong))
    catalog.leafpress_fields = {name: value for name, value
                                in header(parsed.entries).items()
                                if name.lower() not in _DROPPED}
    previous = {entry.line: entry.previous for entry in parsed.entries}
    for message in list(catalog) + list(catalog.obsolete.values()):
        _recover_previous(message, previous.get(message.lineno, []))
    return catalog
