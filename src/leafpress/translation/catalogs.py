"""Translation catalogs: a ``.po`` read and checked, and compiled to a
``.mo``, failing closed.

Called by the pipeline (build, check, status, lint) and by
:mod:`leafpress.translation.update`. In: the bytes of a translator's ``.po``
file and the messages its leaflet or the templates use now. Out: a Babel
catalog, the problems that stop it printing (and the warnings that do not),
a ``.mo`` file under ``build/mo/``, and translators that never fall back.

Babel and gettext fall back silently in several places; each is refused
here: a broken ``.po`` is an error at its line, not a warning or a catalog
read as empty (:func:`pofile.read`); a message that is missing, empty or
fuzzy stops the leaflet in that language instead of printing English or an
outdated translation; a missing ``.mo`` is an error instead of a do-nothing
catalog.
"""

from __future__ import annotations

import gettext
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError

from leafpress.errors import ContentError, Problem
from leafpress.output import write_atomic
from leafpress.quality import checks, glossary
from leafpress.quality.checks import CheckSettings
from leafpress.text import markup
from leafpress.translation import plurals, pofile
from leafpress.translation.changes import Change, classify
from leafpress.translation.pofile import short


@dataclass(frozen=True)
class Wanted:
    """A message that a leaflet or template uses, and where it comes from."""

    msgid: str
    context: str | None
    origin: str


SOURCE_VERSION = "X-Leafpress-Source-Version"
SOURCE_HASH = "X-Leafpress-Source-Hash"


def source_hash(messages: Iterable[tuple[str, str | None]]) -> str:
    """A short fingerprint of a source's messages (ids and contexts, in order)."""
    digest = hashlib.sha256()
    for msgid, context in dict.fromkeys(messages):
        digest.update(f"{context or ''}\x04{msgid}\x00".encode())
    return "sha256:" + digest.hexdigest()[:16]


def read_catalog(path: Path, shown: str, lang: str | None = None) -> Catalog:
    """Read a ``.po`` or ``.pot`` file; any syntax problem is an error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError([Problem(shown, None, "catalog not found; run "
                                    "`leafpress update` to create it")]) from None
    return parse_catalog(data, shown, lang)


def parse_catalog(data: bytes, shown: str, lang: str | None = None) -> Catalog:
    """The catalog in a ``.po`` file's bytes, or :class:`ContentError` with
    every line :func:`pofile.read` will not read (see there)."""
    try:
        return pofile.read(data, lang)
    except pofile.PoSyntaxError as error:
        raise ContentError([Problem(shown, line, message)
                            for line, message in error.problems]) from None
    except PoFileError as error:
        reason = str(error.args[0]).rsplit(" on ", 1)[0]
        raise ContentError([Problem(shown, error.lineno + 1,
                                    f"broken catalog: {short(reason, 120)}")]) from None
    except (ValueError, LookupError) as error:
        raise ContentError([Problem(shown, 1, f"broken catalog: {error}")]) from None


def _msgstr_lines(data: bytes) -> dict[int, int]:
    """Map each msgid line to the line of its msgstr (for precise messages)."""
    lines = data.decode("utf-8", errors="replace").split("\n")
    result, msgid_line = {}, None
    for number, line in enumerate(lines, start=1):
        if line.startswith("msgid "):
            msgid_line = number
        elif line.startswith("msgstr") and msgid_line is not None:
            result[msgid_line] = number
            msgid_line = None
    return result


def message_lines(catalog: Catalog, data: bytes) -> dict[tuple, int]:
    """The line of each message's msgstr in the ``.po`` file's bytes
    ``data``, by ``(context, id)`` (the id of a plural message is its tuple
    of forms)."""
    msgstr_line = _msgstr_lines(data)
    return {(message.context, message.id): msgstr_line.get(message.lineno or 0,
                                                           message.lineno)
            for message in catalog if message.id}


def empty(string: str | tuple[str, ...] | None) -> bool:
    """Whether a msgstr (or any form of a plural msgstr) is left to do."""
    if isinstance(string, (list, tuple)):
        return not string or any(not form.strip() for form in string)
    return not string or not string.strip()


def check_header(catalog: Catalog, shown: str, lang: str) -> list[Problem]:
    """The header rules: the catalog is for this language, with the plural
    rule for it (:func:`plurals.rule_for`), and its header is not fuzzy."""
    problems = []
    language = catalog.locale_identifier or ""
    if Locale.parse(lang) != (Locale.parse(language) if language else None):
        problems.append(Problem(shown, 1, f"language: the header says Language: "
                                f"{language or '(none)'}, but this catalog is for "
                                f"{lang!r}"))
    found = pofile.fields(catalog).get("Plural-Forms")
    why = plurals.outdated(found, lang) if found is not None else None
    if why:
        problems.append(Problem(shown, 1, f"plural-forms: the header says "
                                f"{found!r}; for {lang} it is "
                                f"{plurals.rule_for(lang).header!r}: {why}; run "
                                "`leafpress update` to rewrite it (plural entries "
                                "whose text changes become fuzzy for review)"))
    if catalog.fuzzy:
        problems.append(Problem(shown, 1, "header: the header is marked fuzzy; "
                                "review it and remove the flag"))
    if (catalog.charset or "").lower().replace("_", "-") not in ("utf-8", "utf8"):
        problems.append(Problem(shown, 1, f"charset: the header says "
                                f"charset={catalog.charset}; leafpress catalogs are "
                                "UTF-8: set 'Content-Type: text/plain; charset=UTF-8'"))
    return problems


def check_catalog(catalog: Catalog, lines: Mapping[tuple, int], shown: str,
                  lang: str, wanted: Iterable[Wanted],
                  settings: CheckSettings | None = None,
                  terms: tuple[glossary.Term, ...] = ()) -> list[Problem]:
    """Every problem that stops ``wanted`` from printing in ``lang``, and the
    warnings (``Problem.warning``) that do not.

    Each message must be there, translated and not fuzzy, and pass the
    translation rules of :mod:`leafpress.quality.checks`. A fuzzy entry shows
    what changed in the source. ``lines`` are the msgstr lines of
    :func:`message_lines`; ``terms`` the language's glossary
    (:mod:`leafpress.quality.glossary`), whose ``keep`` terms may also stay
    the same as the source.
    """
    settings = settings or CheckSettings()
    if terms:
        settings = replace(settings, same_allowed=settings.same_allowed
                           | glossary.kept(terms))
    problems = check_header(catalog, shown, lang)
    for item in wanted:
        message: Message | None = catalog.get(item.msgid, item.context)
        if message is None:
            problems.append(Problem(shown, None, f"missing: {short(item.msgid)} "
                                    f"(from {item.origin}); run `leafpress update`"))
            continue
        line = lines.get((message.context, message.id), message.lineno)
        if message.fuzzy:
            problems.append(Problem(shown, line, fuzzy_message(message)))
        elif empty(message.string):
            problems.append(Problem(shown, line, f"untranslated: {short(item.msgid)}"))
        else:
            findings = checks.check(item.msgid, str(message.string), settings,
                                    settings.source_language, lang)
            findings += glossary.check(terms, item.msgid, str(message.string),
                                       settings.source_language, lang)
            for finding in findings:
                problems.append(Problem(shown, line,
                                        f"{finding.rule}: {finding.message}",
                                        warning=finding.severity == checks.WARNING))
    return problems


def describe_change(previous: str, msgid: str, change: Change) -> str:
    """A source change as the log and the build show it: the rule, what
    changed, the old and the new text."""
    if change.carries_forward:
        return f"carried forward: only whitespace or quotes changed in {short(msgid)}"
    what = ("a number, dose or contact detail changed"
            f" ({change.detail})" if change.kind == "critical"
            else "the source text changed")
    return f"fuzzy: {what}: was {short(previous, 80)}, now {short(msgid, 80)}"


def fuzzy_message(message: Message) -> str:
    """Why a fuzzy entry waits for its translator, with old and new source
    (the singular of a plural entry)."""
    msgid = singular(message.id)
    plural = message.id[1] if isinstance(message.id, (list, tuple)) else None
    if message.previous_id:
        previous = message.previous_id[0]
        before = message.previous_id[1] if len(message.previous_id) > 1 else None
        if previous == msgid and before != plural:
            what = (f"now has the plural {short(plural)}" if plural
                    else "no longer has a plural")
            return (f"fuzzy: {short(msgid)} {what}; check the translation (each "
                    "msgstr[n]) and remove the fuzzy flag")
        return (describe_change(previous, msgid, classify(previous, msgid))
                + "; review the translation and remove the fuzzy flag")
    return (f"fuzzy: {short(msgid)} needs review; check the translation and "
            "remove the fuzzy flag")


def compile_catalog(catalog: Catalog, found: Iterable[Problem], target: Path
                    ) -> list[Problem]:
    """Write the ``.mo`` of a catalog whose checks (:func:`check_catalog`)
    found ``found``; return the warnings.

    Raises :class:`ContentError` listing every blocking entry as
    ``po-path:line: rule: message``; nothing is written then.
    """
    found = list(found)
    errors = [problem for problem in found if not problem.warning]
    if errors:
        raise ContentError(errors)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    write_atomic(target, buffer.getvalue())
    return [problem for problem in found if problem.warning]


class Translator:
    """Looks messages up in a catalog and never falls back.

    Only translated, non-fuzzy messages are kept. A message that is not there
    raises :class:`KeyError`; in ``draft`` mode the English source is used
    instead and recorded in ``fallbacks``.
    """

    def __init__(self, catalog: Catalog | None, draft: bool = False):
        self.draft = draft
        self.fallbacks: list[str] = []
        self.plural = (gettext.c2py(catalog.plural_expr)
                       if catalog is not None and catalog.plural_expr else None)
        self.strings: dict[tuple[str | None, str], str | tuple[str, ...]] = {}
        for message in catalog or ():
            if not message.id or message.fuzzy or not message.string:
                continue
            context = message.context
            if isinstance(context, bytes):  # Babel's read_mo leaves it undecoded
                context = context.decode(catalog.charset or "utf-8")
            msgid = message.id
            if isinstance(msgid, (list, tuple)):
                msgid = msgid[0]
            string = message.string
            if isinstance(string, (list, tuple)):
                if not all(string):
                    continue
                string = tuple(string)
            self.strings[context, msgid] = string

    @classmethod
    def load(cls, path: Path, shown: str, draft: bool = False) -> Translator:
        """Read a compiled ``.mo``; a missing file is an error, not a
        do-nothing catalog."""
        try:
            with open(path, "rb") as file:
                return cls(read_mo(file), draft)
        except FileNotFoundError:
            if draft:
                return cls(None, draft)
            raise ContentError([Problem(shown, None, "compiled catalog is missing; "
                                        "it is made by `leafpress build`")]) from None

    def __call__(self, msgid: str, context: str | None = None) -> str:
        string = self.strings.get((context, msgid))
        if isinstance(string, str):
            return string
        if self.draft:
            self.fallbacks.append(msgid)
            return msgid
        raise KeyError(msgid)

    def gettext(self, msgid: str) -> str:
        """For Jinja2's i18n extension (as are the three below)."""
        return self(msgid)

    def pgettext(self, context: str, msgid: str) -> str:
        return self(msgid, context)

    def ngettext(self, singular: str, plural: str, n: int, context: str | None = None
                 ) -> str:
        forms = self.strings.get((context, singular))
        if isinstance(forms, tuple) and self.plural is not None:
            return forms[min(self.plural(n), len(forms) - 1)]
        if self.draft:
            self.fallbacks.append(singular)
            return singular if n == 1 else plural
        raise KeyError(singular)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n, context)


def singular(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


@dataclass(frozen=True)
class Counts:
    """How far one catalog is for one leaflet: messages and source words."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0


def count(catalog: Catalog | None, wanted: Iterable[Wanted]) -> Counts:
    """Count the messages a leaflet uses by state, each once however often
    it is used (as ``msgfmt --statistics`` and ``pocount`` count them; an
    empty fuzzy entry is untranslated)."""
    numbers = {"translated": [0, 0], "fuzzy": [0, 0], "untranslated": [0, 0]}
    unique = {(item.msgid, item.context): item for item in wanted}
    for item in unique.values():
        message = catalog.get(item.msgid, item.context) if catalog else None
        if message is None or empty(message.string):
            state = "untranslated"
        elif message.fuzzy:
            state = "fuzzy"
        else:
            state = "translated"
        numbers[state][0] += 1
        numbers[state][1] += len(markup.plain_text(markup.parse_inline(item.msgid))
                                 .split())
    return Counts(numbers["translated"][0], numbers["fuzzy"][0],
                  numbers["untranslated"][0], numbers["translated"][1],
                  numbers["fuzzy"][1], numbers["untranslated"][1])
