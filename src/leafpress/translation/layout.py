"""leafpress's one ``.po`` layout, GNU gettext's: the bytes written for a catalog.

Called by extract and update (through
:func:`leafpress.translation.extract.serialise`). :func:`write` gives the
bytes of a ``.po`` or ``.pot`` file exactly as GNU ``msgcat`` and
``msgmerge`` (gettext 0.21) write the same catalog: running ``msgcat`` over
a file leafpress wrote changes no byte, the same catalog always gives the
same file, and ``msgfmt --check`` accepts it.

- The header comment, ``#, fuzzy`` when the header is fuzzy (a template),
  then the header entry, each field on a line of its own (wrapped when it is
  longer), in a fixed order
  (:data:`FIELD_ORDER`, which ends with leafpress's own
  ``X-Leafpress-Source-Version`` and ``X-Leafpress-Source-Hash``, then any
  other fields as they came).
- Per message: translator comments (``#``), extracted comments (``#.``),
  references (``#:``, as many on a line as fit in 79 columns), flags
  (``#,``, see :func:`flag_line`), the previous msgctxt and msgid of a fuzzy
  entry (``#|``), then ``msgctxt``, ``msgid``, ``msgid_plural`` and
  ``msgstr``, each written by :func:`leafpress.translation.wrapping.quoted`
  (79 columns, broken after spaces, ``msgid ""`` first when the text takes
  more than one line or has a ``\\n`` inside).
- Obsolete entries last, as ``#~``; an obsolete entry without a translation
  is left out (gettext drops it too).

Lines end with LF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from babel.messages.catalog import Catalog, Message

from leafpress.translation import pofile
from leafpress.translation.wrapping import FORMATS, WIDTH, format_language, quoted

FIELD_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
    "X-Generator",
    "X-Leafpress-Source-Version",
    "X-Leafpress-Source-Hash",
)

_TOKEN = re.compile(r"[^\s,]+")
_FORMAT = re.compile(r"(no-|possible-|impossible-)?(.*)-format")
_RANGE = re.compile(r"(\d+)\.\.(\d+)")


class Flags:
    """A message's flags as GNU gettext reads them: the format language of
    each ``*-format`` flag with its state (``yes``, ``no``, ``possible``,
    ``impossible``), the ``range:``, and whether the message may be wrapped.
    Flags gettext does not know are not kept."""

    def __init__(self, flags: Iterable[str]):
        self.formats: dict[str, str] = {}
        self.range: tuple[int, int] | None = None
        self.wrap = True
        # A set has no order: read the flags sorted, so that conflicting
        # ones (``wrap`` and ``no-wrap``) always end the same way.
        tokens = _TOKEN.findall(",".join(sorted(flags)))
        index = 0
        while index < len(tokens):
            token = tokens[index]
            index += 1
            format_flag = _FORMAT.fullmatch(token)
            if format_flag and format_flag[2] in FORMATS:
                state = (format_flag[1] or "yes-").removesuffix("-")
                self.formats[format_flag[2]] = state
            elif token == "range:" and index < len(tokens):
                bounds = _RANGE.match(tokens[index])
                index += 1
                if bounds and int(bounds[1]) <= int(bounds[2]):
                    self.range = (int(bounds[1]), int(bounds[2]))
            elif token in ("wrap", "no-wrap"):
                self.wrap = token == "wrap"

    @property
    def language(self) -> str | None:
        """The format language whose directives a line keeps whole."""
        return format_language(self.formats.items())

    def written(self, fuzzy: bool, obsolete: bool = False) -> list[str]:
        """The flags as gettext writes them, in its order: ``fuzzy``, the
        formats (a ``possible-`` one as plain, an ``impossible-`` one not at
        all), ``range:`` (not on an obsolete entry), ``no-wrap``."""
        names = ["fuzzy"] if fuzzy else []
        for language in FORMATS:
            state = self.formats.get(language)
            if state in ("yes", "possible"):
                names.append(f"{language}-format")
            elif state == "no":
                names.append(f"no-{language}-format")
        if self.range and not obsolete:
            names.append(f"range: {self.range[0]}..{self.range[1]}")
        if not self.wrap:
            names.append("no-wrap")
        return names


def flag_line(message: Message, obsolete: bool = False) -> str | None:
    """The ``#,`` line of a message, or ``None``. ``fuzzy`` is written only
    on a translated message (its first form, for a plural one; an obsolete
    entry is always translated), as gettext writes it; flags gettext does
    not know are left out."""
    fuzzy = message.fuzzy if obsolete else _fuzzy(message)
    names = Flags(message.flags).written(fuzzy, obsolete)
    return "#, " + ", ".join(names) if names else None


def _first_form(message: Message) -> str:
    string = message.string
    if isinstance(string, (list, tuple)):
        return string[0] if string else ""
    return string or ""


def _fuzzy(message: Message) -> bool:
    """Whether gettext writes the message as fuzzy: flagged so, and its
    msgstr (its first form) not empty."""
    return message.fuzzy and bool(_first_form(message))


def _plural_count(catalog: Catalog) -> int:
    """``nplurals`` of the catalog's header (2 when it has none)."""
    count = pofile.nplurals(pofile.fields(catalog).get("Plural-Forms", ""))
    return count if count is not None and 0 < count <= 6 else 2


def _entry(message: Message, flags: Flags, prefix: str = "", forms: int = 2
           ) -> Iterator[str]:
    """A message's keyword lines; a plural msgstr has at least ``forms``
    forms (one per form of the catalog's plural rule)."""
    language, wrap = flags.language, flags.wrap

    def lines(keyword: str, text: str) -> list[str]:
        return quoted(keyword, text, prefix, language, wrap)

    if message.context is not None:
        yield from lines("msgctxt", message.context)
    if isinstance(message.id, (list, tuple)):
        yield from lines("msgid", message.id[0])
        yield from lines("msgid_plural", message.id[1])
        strings = message.string if isinstance(message.string, (list, tuple)) else ()
        for index in range(max(len(strings), forms)):
            text = strings[index] if index < len(strings) else ""
            yield from lines(f"msgstr[{index}]", text or "")
    else:
        yield from lines("msgid", message.id)
        yield from lines("msgstr", message.string or "")


def _comment_lines(marker: str, comments: Iterable[str]) -> Iterator[str]:
    """``#`` or ``#.`` comment lines, one per line of each comment (without
    the spaces around it, which no reader keeps)."""
    for comment in comments:
        for line in str(comment).split("\n"):
            yield f"{marker} {line.strip()}".rstrip()


def _references(locations: Iterable[tuple[str, int | None]]) -> Iterator[str]:
    """``#:`` lines: each reference once, as many on a line as fit in
    :data:`WIDTH` columns (a reference longer than that on its own)."""
    references: dict[str, None] = {}
    for filename, line in locations:
        while filename.startswith("./"):
            filename = filename[2:]
        references[f"{filename}:{line}" if line is not None else filename] = None
    if not references:
        return
    current, column = "#:", 2
    for reference in references:
        size = len(reference.encode("utf-8")) + 1
        if column > 2 and column + size > WIDTH:
            yield current
            current, column = "#:", 2
        current += " " + reference
        column += size
    yield current


def _header_comment(catalog: Catalog) -> Iterator[str]:
    """The header comment, each line a translator comment (``# text``)."""
    header = (catalog._header_comment or "").strip("\n")
    if not header:
        return
    for line in header.split("\n"):
        text = line[1:].removeprefix(" ") if line.startswith("#") else line
        yield f"# {text}".rstrip()


def _header(catalog: Catalog) -> Iterator[str]:
    yield from _header_comment(catalog)
    if catalog.fuzzy:
        yield "#, fuzzy"
    values = pofile.fields(catalog)
    ordered = [name for name in FIELD_ORDER if name in values]
    ordered += [name for name in values if name not in FIELD_ORDER]
    yield 'msgid ""'
    yield from quoted("msgstr", "".join(f"{name}: {values[name]}\n"
                                        for name in ordered))


def _message(message: Message, forms: int) -> Iterator[str]:
    flags = Flags(message.flags)
    yield from _comment_lines("#", message.user_comments)
    yield from _comment_lines("#.", message.auto_comments)
    yield from _references(message.locations)
    line = flag_line(message)
    if line:
        yield line
    if _fuzzy(message) and message.previous_id:
        language, wrap = flags.language, flags.wrap
        previous_context = getattr(message, "previous_context", None)
        if previous_context is not None:
            yield from quoted("msgctxt", previous_context, "#| ", language, wrap)
        yield from quoted("msgid", message.previous_id[0], "#| ", language, wrap)
        if len(message.previous_id) > 1:
            yield from quoted("msgid_plural", message.previous_id[1], "#| ",
                              language, wrap)
    yield from _entry(message, flags, forms=forms)


def _obsolete(message: Message, forms: int) -> Iterator[str]:
    yield from _comment_lines("#", message.user_comments)
    yield from _comment_lines("#.", message.auto_comments)
    line = flag_line(message, obsolete=True)
    if line:
        yield line
    yield from _entry(message, Flags(message.flags), "#~ ", forms)


def _lines(catalog: Catalog) -> Iterator[str]:
    yield from _header(catalog)
    forms = _plural_count(catalog) if catalog.locale else 2
    for message in catalog:
        if message.id:
            yield ""
            yield from _message(message, forms)
    for message in catalog.obsolete.values():
        if message.id and _first_form(message):
            yield ""
            yield from _obsolete(message, forms)


def write(catalog: Catalog) -> bytes:
    """The catalog as ``.po`` bytes in GNU gettext's layout (UTF-8)."""
    pofile.fields(catalog)["Content-Type"] = "text/plain; charset=UTF-8"
    return "".join(line + "\n" for line in _lines(catalog)).encode("utf-8")
