"""leafpress's one ``.po`` layout: reading any tool's file, writing ours.

Called by extract and catalogs. :func:`read` takes the bytes of a ``.po`` or
``.pot`` file as GNU gettext, Poedit, Weblate, Babel or a text editor wrote
it; :func:`write` gives the bytes of leafpress's layout, so that the same
catalog always gives the same file and GNU ``msgfmt --check`` accepts it:

- the header comment, then the header entry with its fields in a fixed order
  (:data:`FIELD_ORDER`, then any others as they came);
- per message: translator comments (``#``), extracted comments (``#.``), one
  reference per ``#:`` line, flags (``#,``) sorted, the previous msgctxt and
  msgid of a fuzzy entry (``#|``), then ``msgctxt``, ``msgid`` and ``msgstr``,
  wrapped at 76 columns;
- obsolete entries last, as ``#~``.

Babel's reader drops header fields it does not know (leafpress keeps its own
``X-Leafpress-*`` fields there) and keeps ``#|`` lines as translator
comments; its writer wraps ``#|`` lines mid-string. :func:`read` and
:func:`write` put all three right. The header fields travel on the catalog as
``catalog.leafpress_fields`` (see :func:`fields`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize, read_po, unescape

__all__ = ["FIELD_ORDER", "fields", "read", "unescape", "write"]

WIDTH = 76
GENERATOR = "leafpress"
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
)
_DROPPED = {"generated-by"}  # tool stamps that would change with every version
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
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


def _raw_header(text: str) -> str:
    """The msgstr of the header entry (``msgid ""``) of a ``.po`` file."""
    match = re.search(r'^msgid ""\s*\nmsgstr ((?:"(?:[^"\\]|\\.)*"\s*\n?)+)', text,
                      re.M)
    return "".join(unescape(part) for part in _QUOTED.findall(match[1])) if match \
        else ""


def _strings(text: str) -> str:
    return "".join(unescape(part) for part in _QUOTED.findall(text))


def _recover_previous(message: Message) -> None:
    """``#| msgctxt``/``#| msgid`` lines, which Babel's reader keeps as
    translator comments, back into ``previous_id`` and ``previous_context``."""
    previous = [comment[1:] for comment in message.user_comments
                if comment.startswith("|")]
    if not previous:
        return
    message.user_comments = [comment for comment in message.user_comments
                             if not comment.startswith("|")]
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


def read(data: bytes, locale: str | None = None) -> Catalog:
    """Read a catalog; raises Babel's ``PoFileError`` on a syntax error."""
    catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    text = data.decode(catalog.charset or "utf-8", errors="replace")
    found = {name: value for name, value in _header_fields(_raw_header(text)).items()
             if name.lower() not in _DROPPED}
    catalog.leafpress_fields = found
    for message in list(catalog) + list(catalog.obsolete.values()):
        _recover_previous(message)
    return catalog


def _quoted(keyword: str, text: str, prefix: str = "", width: int = WIDTH) -> str:
    """``keyword "text"``, wrapped like a msgid (``width=0``: only at line
    breaks); a prefix (``#| ``, ``#~ ``) starts every line and counts
    towards the width."""
    width = width - len(prefix) if width else 0
    lines = f"{keyword} {normalize(text, width=width)}".split("\n")
    return "".join(f"{prefix}{line}\n" for line in lines)


def _plural_count(catalog: Catalog) -> int:
    """``nplurals`` of the catalog's header (2 when it has none)."""
    match = re.search(r"nplurals\s*=\s*(\d+)", fields(catalog).get("Plural-Forms", ""))
    return int(match[1]) if match and 0 < int(match[1]) <= 6 else 2


def _entry(message: Message, prefix: str = "", forms: int = 2) -> Iterator[str]:
    """A message's keyword lines; a plural msgstr has at least ``forms``
    forms (one per form of the catalog's plural rule)."""
    if message.context:
        yield _quoted("msgctxt", message.context, prefix)
    if isinstance(message.id, (list, tuple)):
        yield _quoted("msgid", message.id[0], prefix)
        yield _quoted("msgid_plural", message.id[1], prefix)
        strings = message.string if isinstance(message.string, (list, tuple)) else ()
        for index in range(max(len(strings), forms)):
            text = strings[index] if index < len(strings) else ""
            yield _quoted(f"msgstr[{index}]", text or "", prefix)
    else:
        yield _quoted("msgid", message.id, prefix)
        yield _quoted("msgstr", message.string or "", prefix)


def _comments(message: Message) -> Iterator[str]:
    for comment in message.user_comments:
        yield f"# {comment}".rstrip() + "\n"
    for comment in message.auto_comments:
        yield f"#. {comment}".rstrip() + "\n"


def _lines(catalog: Catalog) -> Iterator[str]:
    header = (catalog._header_comment or "").strip("\n")
    if header:
        yield header + "\n"
    if catalog.fuzzy:
        yield "#, fuzzy\n"
    values = fields(catalog)
    ordered = [name for name in FIELD_ORDER if name in values]
    ordered += [name for name in values if name not in FIELD_ORDER]
    yield 'msgid ""\n'
    yield _quoted("msgstr", "".join(f"{name}: {values[name]}\n" for name in ordered),
                  width=0)
    forms = _plural_count(catalog) if catalog.locale else 2
    for message in catalog:
        if not message.id:
            continue
        yield "\n"
        yield from _comments(message)
        for filename, line in message.locations:
            yield f"#: {filename}:{line}\n" if line else f"#: {filename}\n"
        if message.flags:
            yield "#, " + ", ".join(sorted(message.flags)) + "\n"
        if message.fuzzy and message.previous_id:
            previous_context = getattr(message, "previous_context", None)
            if previous_context:
                yield _quoted("msgctxt", previous_context, "#| ")
            yield _quoted("msgid", message.previous_id[0], "#| ")
            if len(message.previous_id) > 1:
                yield _quoted("msgid_plural", message.previous_id[1], "#| ")
        yield from _entry(message, forms=forms)
    for message in catalog.obsolete.values():
        yield "\n"
        yield from _comments(message)
        yield from _entry(message, "#~ ", forms)


def write(catalog: Catalog) -> bytes:
    """The catalog as ``.po`` bytes in leafpress's layout (UTF-8)."""
    fields(catalog)["Content-Type"] = "text/plain; charset=UTF-8"
    return "".join(_lines(catalog)).encode("utf-8")
