"""Translation catalogs: ``.pot`` to ``.po`` (update) and ``.po`` to ``.mo``
(compile), failing closed.

Called by ``leafpress update``, ``build``, ``check`` and ``status``. In:
templates from :mod:`leafpress.extract`, the translators' ``.po`` files and
the messages a leaflet uses now. Out: merged ``.po`` files, compiled ``.mo``
files under ``build/mo/``, and :class:`~leafpress.errors.Problem` lists.

Babel and gettext fall back silently in several places; each is refused
here: a broken ``.po`` is an error, not a warning (``abort_invalid``); a
message that is missing, empty or fuzzy stops the leaflet in that language
instead of printing English or an outdated translation; a missing ``.mo`` is
an error instead of a do-nothing catalog.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError, read_po

from . import markup, pofile
from .config import Project
from .errors import ContentError, Problem
from .extract import creation_date, serialise, write_if_changed
from .output import write_atomic


@dataclass(frozen=True)
class Wanted:
    """A message that a leaflet or template uses, and where it comes from."""

    msgid: str
    context: str | None
    origin: str


def short(text: str, limit: int = 60) -> str:
    """A message as problems quote it: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


def read_catalog(path: Path, shown: str, lang: str | None = None) -> Catalog:
    """Read a ``.po`` or ``.pot`` file; any syntax problem is an error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError([Problem(shown, None, "catalog not found; run "
                                    "`leafpress update` to create it")]) from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContentError([Problem(shown, line, "not valid UTF-8; the catalog "
                                    "must be saved as UTF-8")]) from None
    try:
        catalog = read_po(io.BytesIO(data), locale=lang, abort_invalid=True)
    except PoFileError as error:
        reason = str(error.args[0]).rsplit(" on ", 1)[0]
        raise ContentError([Problem(shown, error.lineno + 1,
                                    f"broken catalog: {reason}")]) from None
    except (ValueError, LookupError, UnicodeDecodeError) as error:
        raise ContentError([Problem(shown, 1, f"broken catalog: {error}")]) from None
    return pofile.recover_previous(catalog)


def _msgstr_lines(path: Path) -> dict[int, int]:
    """Map each msgid line to the line of its msgstr (for precise messages)."""
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    result, msgid_line = {}, None
    for number, line in enumerate(lines, start=1):
        if line.startswith("msgid "):
            msgid_line = number
        elif line.startswith("msgstr") and msgid_line is not None:
            result[msgid_line] = number
            msgid_line = None
    return result


def check_catalog(catalog: Catalog, path: Path, shown: str, lang: str,
                  wanted: Iterable[Wanted]) -> list[Problem]:
    """Every problem that stops ``wanted`` from printing in ``lang``.

    The rules, each a reason to refuse: the catalog is for another language;
    its header is fuzzy; a wanted message is missing, empty or fuzzy; a
    translation drops or adds a ``{placeholder}``.
    """
    problems: list[Problem] = []
    language = catalog.locale_identifier or ""
    if Locale.parse(lang) != (Locale.parse(language) if language else None):
        problems.append(Problem(shown, 1, f"the header says Language: "
                                f"{language or '(none)'}, but this catalog is for "
                                f"{lang!r}"))
    if catalog.fuzzy:
        problems.append(Problem(shown, 1, "the header is marked fuzzy; review it "
                                "and remove the flag"))
    msgstr_line = _msgstr_lines(path)
    for item in wanted:
        message: Message | None = catalog.get(item.msgid, item.context)
        if message is None:
            problems.append(Problem(shown, None, f"missing {short(item.msgid)} "
                                    f"(from {item.origin}); run `leafpress update`"))
            continue
        line = msgstr_line.get(message.lineno or 0, message.lineno)
        if message.fuzzy:
            problems.append(Problem(shown, line, f"fuzzy, needs review: "
                                    f"{short(item.msgid)}"))
        elif not message.string or not str(message.string).strip():
            problems.append(Problem(shown, line, f"untranslated: "
                                    f"{short(item.msgid)}"))
        else:
            source = set(markup.placeholders(item.msgid))
            target = set(markup.placeholders(str(message.string)))
            if source != target:
                missing = ", ".join(f"{{{name}}}" for name in sorted(source - target))
                extra = ", ".join(f"{{{name}}}" for name in sorted(target - source))
                detail = "; ".join(part for part in (
                    f"drops {missing}" if missing else "",
                    f"adds {extra}" if extra else "") if part)
                problems.append(Problem(shown, line, f"placeholders differ from the "
                                        f"source: the translation {detail}"))
    return problems


def compile_catalog(project: Project, lang: str, domain: str,
                    wanted: Iterable[Wanted]) -> Path:
    """Check ``locales/<lang>/LC_MESSAGES/<domain>.po`` and write its ``.mo``.

    Raises :class:`ContentError` listing every offending entry as
    ``po-path:line``; nothing is written then.
    """
    path = project.po_path(lang, domain)
    shown = project.show(path)
    catalog = read_catalog(path, shown, lang)
    problems = check_catalog(catalog, path, shown, lang, wanted)
    if problems:
        raise ContentError(problems)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    target = project.mo_path(lang, domain)
    write_atomic(target, buffer.getvalue())
    return target


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


def new_catalog(template: Catalog, lang: str, domain: str) -> Catalog:
    """A fresh catalog for ``lang`` with Babel's Language and Plural-Forms."""
    locale = Locale.parse(lang)
    what = "the leaflet templates" if domain == "ui" else f"the leaflet {domain}"
    catalog = Catalog(
        locale=locale,
        domain=domain,
        header_comment=(
            f"# {locale.english_name} translation of {what}.\n"
            "# Translate every msgstr; keep {placeholders} and **markup** as they\n"
            "# are. Update with `leafpress update`; do not edit the msgid lines."),
        project=template.project,
        version=template.version,
        copyright_holder=template.copyright_holder,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=creation_date(),
        language_team=f"{locale.english_name} <{template.msgid_bugs_address}>",
        charset="utf-8",
        fuzzy=False,
    )
    catalog.update(template)
    return catalog


def merge(catalog: Catalog, template: Catalog) -> None:
    """Merge a template into a catalog, as Babel does, but keep the previous
    msgid (``#|``) of entries that stay fuzzy: Babel forgets it on the
    second merge, and the translator needs it to see what changed."""
    previous = {(message.id, message.context): message
                for message in catalog if message.fuzzy and message.previous_id}
    catalog.update(template)
    for message in catalog:
        old = previous.get((message.id, message.context))
        if message.fuzzy and not message.previous_id and old is not None:
            message.previous_id = old.previous_id
            if getattr(old, "previous_context", None):
                message.previous_context = old.previous_context


def update(project: Project, domains: Iterable[str], langs: Iterable[str]
           ) -> tuple[list[Path], list[Problem]]:
    """Merge each ``locales/<domain>.pot`` into every ``.po``, creating the
    missing ones. Returns the files written and the problems met; a broken
    ``.po`` is left untouched."""
    written: list[Path] = []
    problems: list[Problem] = []
    langs = list(langs)
    for domain in domains:
        pot = project.pot_path(domain)
        try:
            template = read_catalog(pot, project.show(pot))
        except ContentError as error:
            problems.extend(error.problems)
            continue
        for lang in langs:
            path = project.po_path(lang, domain)
            if path.exists():
                try:
                    catalog = read_catalog(path, project.show(path), lang)
                except ContentError as error:
                    problems.extend(error.problems)
                    continue
                merge(catalog, template)
            else:
                catalog = new_catalog(template, lang, domain)
            if write_if_changed(path, serialise(catalog)):
                written.append(path)
    return written, problems


@dataclass(frozen=True)
class Counts:
    """How far one catalog is for one leaflet."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words_left: int = 0


def count(catalog: Catalog | None, wanted: Iterable[Wanted]) -> Counts:
    translated = fuzzy = untranslated = words = 0
    for item in wanted:
        message = catalog.get(item.msgid, item.context) if catalog else None
        if message is not None and message.fuzzy and message.string:
            fuzzy += 1
            words += len(item.msgid.split())
        elif message is None or not message.string:
            untranslated += 1
            words += len(item.msgid.split())
        else:
            translated += 1
    return Counts(translated, fuzzy, untranslated, words)
