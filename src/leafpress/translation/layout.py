"""leafpress's one ``.po`` layout: the bytes written for a catalog.

Called by extract and update (through
:func:`leafpress.translation.extract.serialise`). :func:`write` gives the
bytes of a ``.po`` or ``.pot`` file in leafpress's layout, so that the same
catalog always gives the same file and GNU ``msgfmt --check`` accepts it:

- the header comment, then the header entry with its fields in a fixed order
  (:data:`FIELD_ORDER`, then any others as they came);
- per message: translator comments (``#``), extracted comments (``#.``), one
  reference per ``#:`` line, flags (``#,``) sorted, the previous msgctxt and
  msgid of a fuzzy entry (``#|``), then ``msgctxt``, ``msgid`` and ``msgstr``,
  wrapped at 76 columns;
- obsolete entries last, as ``#~``.

Babel's writer wraps ``#|`` lines mid-string; :func:`write` wraps them as it
wraps a msgid, and writes every header field of :func:`pofile.fields
<leafpress.translation.pofile.fields>`. Lines end with LF.
"""

from __future__ import annotations

from collections.abc import Iterator

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize

from leafpress.translation import pofile

WIDTH = 76
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


def _quoted(keyword: str, text: str, prefix: str = "", width: int = WIDTH) -> str:
    """``keyword "text"``, wrapped like a msgid (``width=0``: only at line
    breaks); a prefix (``#| ``, ``#~ ``) starts every line and counts
    towards the width."""
    width = width - len(prefix) if width else 0
    lines = f"{keyword} {normalize(text, width=width)}".split("\n")
    return "".join(f"{prefix}{line}\n" for line in lines)


def _plural_count(catalog: Catalog) -> int:
    """``nplurals`` of the catalog's header (2 when it has none)."""
    count = pofile.nplurals(pofile.fields(catalog).get("Plural-Forms", ""))
    return count if count is not None and 0 < count <= 6 else 2


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
    values = pofile.fields(catalog)
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
    pofile.fields(catalog)["Content-Type"] = "text/plain; charset=UTF-8"
    return "".join(_lines(catalog)).encode("utf-8")
