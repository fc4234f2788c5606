"""Review records: who revised each message and who signed off each
leaflet-language, bound to the exact text they approved.

Called by :mod:`leafpress.pipeline` (status, build, withdraw, ``review`` and
``sign``). In: ``locales/<lang>/LC_MESSAGES/<domain>.review.toml`` (beside
the catalog, never inside it, so every translation tool leaves it alone).
Out: :class:`Records`: the revisions (one per message: who, when, and a
hash of the message's context, source and translation) and the sign-offs
(who, when, which source version, and a hash of the whole translated text as
printed). A record is worth only its hash: a changed text, or a record edited
by hand, matches no hash and approves nothing.

The file is TOML written in one fixed layout (records in catalog order, one
key per line), so that a diff shows exactly what was approved.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from leafpress.errors import ContentError, Problem

SUFFIX = ".review.toml"
#: The longest name a record keeps.
MAX_NAME = 120


def message_hash(context: str | None, source: str, translation: str) -> str:
    """The fingerprint of one message as translated: its context, its
    source text and its translation."""
    digest = hashlib.sha256()
    digest.update(f"{context or ''}\x04{source}\x00{translation}".encode())
    return "sha256:" + digest.hexdigest()[:24]


def text_hash(hashes: Iterable[str]) -> str:
    """The fingerprint of a whole translated text: the hashes of every
    message it prints, in order."""
    digest = hashlib.sha256()
    for item in hashes:
        digest.update(item.encode() + b"\n")
    return "sha256:" + digest.hexdigest()[:24]


@dataclass(frozen=True)
class Revision:
    """A second linguist revised one message: the translation checked
    against the source, by someone other than its translator."""

    context: str | None
    source: str
    translation: str
    hash: str
    by: str
    date: datetime.date

    @property
    def valid(self) -> bool:
        """Whether the text the record holds is the text it was made for."""
        return self.hash == message_hash(self.context, self.source, self.translation)


@dataclass(frozen=True)
class SignOff:
    """The clinician approved a leaflet in a language, as printed."""

    by: str
    date: datetime.date
    version: str
    hash: str
    #: The hash of each message the sign-off covered (to show what changed).
    messages: tuple[str, ...] = ()


@dataclass
class Records:
    """The review records of one catalog."""

    path: Path
    revised: list[Revision] = field(default_factory=list)
    signed_off: list[SignOff] = field(default_factory=list)

    def revision(self, context: str | None, source: str, translation: str
                 ) -> Revision | None:
        """The latest revision of this exact text, if any."""
        wanted = message_hash(context, source, translation)
        found = [record for record in self.revised
                 if record.hash == wanted and record.valid]
        return found[-1] if found else None

    def earlier(self, context: str | None, source: str) -> Revision | None:
        """The latest revision of a message whose text has changed since."""
        found = [record for record in self.revised
                 if record.context == context and record.source == source
                 and record.valid]
        return found[-1] if found else None

    def sign_off(self, hash: str) -> SignOff | None:
        """The latest sign-off of this exact text, if any."""
        found = [record for record in self.signed_off if record.hash == hash]
        return found[-1] if found else None

    @property
    def last_sign_off(self) -> SignOff | None:
        return self.signed_off[-1] if self.signed_off else None


def path_for(po: Path) -> Path:
    """The records beside a catalog: ``<domain>.review.toml``."""
    return po.with_name(po.stem + SUFFIX)


def _text(value: object, key: str, shown: str, line: int | None) -> str:
    if not isinstance(value, str):
        raise ContentError([Problem(shown, line, f"review record: {key} must be "
                                    "text in quotes")])
    return value


def _date(value: object, shown: str, line: int | None) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ContentError([Problem(shown, line, "review record: date must be a "
                                    "date such as 2026-11-27 (no quotes)")])
    return value


def _lines(text: str, header: str) -> list[int]:
    """The line of each ``[[header]]`` table, in order."""
    return [number for number, line in enumerate(text.split("\n"), start=1)
            if line.strip() == f"[[{header}]]"]


def read(path: Path, shown: str) -> Records:
    """The records in ``path`` (none if there is no file); a file that is
    not valid TOML, or a record without its keys, is a :class:`ContentError`
    at its line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Records(path)
    try:
        text = data.decode("utf-8")
        found = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, None, "review records must be UTF-8 "
                                    "text")]) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+)", str(error))
        raise ContentError([Problem(shown, int(match[1]) if match else None,
                                    f"not valid TOML: {error}; the file is written "
                                    "by `leafpress sign`")]) from None
    records = Records(path)
    for kind, lines in (("revised", _lines(text, "revised")),
                        ("signed-off", _lines(text, "signed-off"))):
        items = found.get(kind, [])
        if not isinstance(items, list):
            raise ContentError([Problem(shown, None, f"review record: [[{kind}]] "
                                        "must be a list of tables")])
        for index, item in enumerate(items):
            line = lines[index] if index < len(lines) else None
            if not isinstance(item, dict):
                raise ContentError([Problem(shown, line, f"review record: [[{kind}]] "
                                            "must be a table")])
            if kind == "revised":
                context = item.get("context")
                records.revised.append(Revision(
                    None if context is None else _text(context, "context", shown, line),
                    _text(item.get("source"), "source", shown, line),
                    _text(item.get("translation"), "translation", shown, line),
                    _text(item.get("hash"), "hash", shown, line),
                    _text(item.get("by"), "by", shown, line)[:MAX_NAME],
                    _date(item.get("date"), shown, line)))
            else:
                messages = item.get("messages") or []
                if not isinstance(messages, list) or not all(
                        isinstance(entry, str) for entry in messages):
                    raise ContentError([Problem(shown, line, "review record: "
                                                "messages must be a list of hashes")])
                records.signed_off.append(SignOff(
                    _text(item.get("by"), "by", shown, line)[:MAX_NAME],
                    _date(item.get("date"), shown, line),
                    _text(item.get("version"), "version", shown, line),
                    _text(item.get("hash"), "hash", shown, line), tuple(messages)))
    return records


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, for these)."""
    return json.dumps(text, ensure_ascii=False)


def serialise(records: Records, domain: str, lang: str) -> bytes:
    """The records in the one layout leafpress writes."""
    out = [f"# Review records of {domain}.po in {lang}, written by `leafpress sign`.",
           "# Each record holds a hash of the text it approves: when that text",
           "# changes, the record no longer counts (and the PDF is withdrawn).", ""]
    for record in records.revised:
        out += ["[[revised]]"]
        if record.context is not None:
            out.append(f"context = {_quoted(record.context)}")
        out += [f"source = {_quoted(record.source)}",
                f"translation = {_quoted(record.translation)}",
                f"hash = {_quoted(record.hash)}",
                f"by = {_quoted(record.by)}",
                f"date = {record.date.isoformat()}", ""]
    for sign in records.signed_off:
        out += ["[[signed-off]]",
                f"by = {_quoted(sign.by)}",
                f"date = {sign.date.isoformat()}",
                f"version = {_quoted(sign.version)}",
                f"hash = {_quoted(sign.hash)}",
                "messages = [", *(f"  {_quoted(item)}," for item in sign.messages),
                "]", ""]
    return "\n".join(out).encode("utf-8")
