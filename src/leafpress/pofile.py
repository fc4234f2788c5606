"""leafpress's one ``.po`` layout: writing catalogs, and reading back what
Babel's reader leaves out.

Called by extract and catalogs. In: a Babel :class:`Catalog`. Out: the bytes
of a ``.po`` or ``.pot`` file, always in the same layout, so that the same
catalog always gives the same file and GNU ``msgfmt --check`` accepts it:

- the header comment as given, then the header entry;
- per message: translator comments (``#``), extracted comments (``#.``),
  one reference per ``#:`` line, flags (``#,``), the previous msgctxt and
  msgid of a fuzzy entry (``#|``, quoted and wrapped like a msgid), then
  ``msgctxt``, ``msgid``, ``msgstr`` wrapped at 76 columns;
- obsolete entries last, as ``#~``.

Babel's own reader keeps ``#|`` lines as translator comments and its writer
wraps them mid-string; :func:`recover_previous` and :func:`write` fix both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize, unescape

WIDTH = 76
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _quoted(keyword: str, text: str, prefix: str = "") -> str:
    """``keyword "text"``, wrapped like a msgid; a prefix (``#| ``, ``#~ ``)
    starts every line and counts towards the width."""
    lines = f"{keyword} {normalize(text, width=WIDTH - len(prefix))}".split("\n")
    return "".join(f"{prefix}{line}\n" for line in lines)


def _entry(message: Message, prefix: str = "") -> Iterator[str]:
    if message.context:
        yield _quoted("msgctxt", message.context, prefix)
    if isinstance(message.id, (list, tuple)):
        yield _quoted("msgid", message.id[0], prefix)
        yield _quoted("msgid_plural", message.id[1], prefix)
        strings = message.string if isinstance(message.string, (list, tuple)) else ()
        for index in range(max(len(strings), 2)):
            text = strings[index] if index < len(strings) else ""
            yield _quoted(f"msgstr[{index}]", text or "", prefix)
    else:
        yield _quoted("msgid", message.id, prefix)
        yield _quoted("msgstr", message.string or "", prefix)


def _lines(catalog: Catalog) -> Iterator[str]:
    header = catalog.header_comment.strip("\n")
    if header:
        yield header + "\n"
    if catalog.fuzzy:
        yield "#, fuzzy\n"
    for message in catalog:
        if not message.id:
            yield from _entry(message)
            break
    for message in catalog:
        if not message.id:
            continue
        yield "\n"
        for comment in message.user_comments:
            yield f"# {comment}".rstrip() + "\n"
        for comment in message.auto_comments:
            yield f"#. {comment}".rstrip() + "\n"
        for filename, line in message.locations:
            yield f"#: {filename}:{line}\n" if line else f"#: {filename}\n"
        if message.flags:
            yield "#, " + ", ".join(sorted(message.flags)) + "\n"
        previous = getattr(message, "previous_context", None)
        if message.fuzzy and message.previous_id:
            if previous:
                yield _quoted("msgctxt", previous, "#| ")
            yield _quoted("msgid", message.previous_id[0], "#| ")
            if len(message.previous_id) > 1:
                yield _quoted("msgid_plural", message.previous_id[1], "#| ")
        yield from _entry(message)
    for message in catalog.obsolete.values():
        yield "\n"
        for comment in message.user_comments:
            yield f"# {comment}".rstrip() + "\n"
        yield from _entry(message, "#~ ")


def write(catalog: Catalog) -> bytes:
    """The catalog as ``.po`` bytes, in leafpress's layout (UTF-8)."""
    return "".join(_lines(catalog)).encode("utf-8")


def _strings(text: str) -> str:
    return "".join(unescape(part) for part in _QUOTED.findall(text))


def recover_previous(catalog: Catalog) -> Catalog:
    """Turn ``#| msgctxt``/``#| msgid`` lines, which Babel's reader keeps as
    translator comments, back into the previous context and msgid."""
    for message in list(catalog) + list(catalog.obsolete.values()):
        previous = [comment[1:] for comment in message.user_comments
                    if comment.startswith("|")]
        kept = [comment for comment in message.user_comments
                if not comment.startswith("|")]
        if not previous:
            continue
        message.user_comments = kept
        text = "\n".join(line.strip() for line in previous)
        parts = re.split(r"^(msgctxt|msgid_plural|msgid)\s", text, flags=re.M)
        fields = dict(zip(parts[1::2], parts[2::2], strict=False))
        if "msgid" in fields:
            ids = [_strings(fields["msgid"])]
            if "msgid_plural" in fields:
                ids.append(_strings(fields["msgid_plural"]))
            message.previous_id = ids
        if "msgctxt" in fields:
            message.previous_context = _strings(fields["msgctxt"])
    return catalog
