"""Translation catalogs: ``.pot`` to ``.po`` (update) and ``.po`` to ``.mo``
(compile), failing closed.

Called by ``leafpress update``, ``build``, ``check`` and ``status``. In:
templates from :mod:`leafpress.translation.extract`, the translators' ``.po`` files and
the messages a leaflet uses now. Out: merged ``.po`` files, compiled ``.mo``
files under ``build/mo/``, and :class:`~leafpress.errors.Problem` lists.

Babel and gettext fall back silently in several places; each is refused
here: a broken ``.po`` is an error at its line, not a warning or a catalog
read as empty (:func:`pofile.read`); a message that is missing, empty or
fuzzy stops the leaflet in that language instead of printing English or an
outdated translation; a missing ``.mo`` is an error instead of a do-nothing
catalog. ``update`` never writes over a catalog it could not read
completely, and checks the bytes it is about to write against the bytes it
read: every translation and the Language and Plural-Forms headers are
still there, or the file is left as it was (:func:`losses`).
"""

from __future__ import annotations

import difflib
import gettext
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError

from leafpress.errors import ContentError, Problem
from leafpress.output import write_atomic
from leafpress.quality import checks
from leafpress.quality.checks import CheckSettings
from leafpress.settings.project import Project
from leafpress.text import markup
from leafpress.translation import plurals, pofile
from leafpress.translation.changes import Change, classify, layout_key
from leafpress.translation.extract import creation_date, serialise, write_if_changed
from leafpress.translation.pofile import short

#: Flags that describe the msgid (set by extraction), not the translation.
FORMAT_FLAGS = ("python-format", "python-brace-format")


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


def message_lines(catalog: Catalog, path: Path) -> dict[tuple, int]:
    """The line of each message's msgstr in ``path``, by ``(context, id)``
    (the id of a plural message is its tuple of forms)."""
    msgstr_line = _msgstr_lines(path)
    return {(message.context, message.id): msgstr_line.get(message.lineno or 0,
                                                           message.lineno)
            for message in catalog if message.id}


def _untranslated(string: str | tuple[str, ...] | None) -> bool:
    """Whether a msgstr (every form of a plural msgstr) is empty."""
    if isinstance(string, (list, tuple)):
        return not any(string)
    return not string


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


def check_catalog(catalog: Catalog, path: Path, shown: str, lang: str,
                  wanted: Iterable[Wanted], settings: CheckSettings | None = None
                  ) -> list[Problem]:
    """Every problem that stops ``wanted`` from printing in ``lang``, and the
    warnings (``Problem.warning``) that do not.

    Each message must be there, translated and not fuzzy, and pass the
    translation rules of :mod:`leafpress.quality.checks`. A fuzzy entry shows what
    changed in the source.
    """
    settings = settings or CheckSettings()
    problems = check_header(catalog, shown, lang)
    lines = message_lines(catalog, path)
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
    msgid = _singular(message.id)
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


def compile_catalog(project: Project, lang: str, domain: str,
                    wanted: Iterable[Wanted]) -> tuple[Path, list[Problem]]:
    """Check ``locales/<lang>/LC_MESSAGES/<domain>.po`` and write its ``.mo``.

    Raises :class:`ContentError` listing every blocking entry as
    ``po-path:line: rule: message``; nothing is written then. Returns the
    ``.mo`` path and the warnings.
    """
    path = project.po_path(lang, domain)
    shown = project.show(path)
    catalog = read_catalog(path, shown, lang)
    found = check_catalog(catalog, path, shown, lang, wanted, project.settings.checks)
    errors = [problem for problem in found if not problem.warning]
    if errors:
        raise ContentError(errors)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    target = project.mo_path(lang, domain)
    write_atomic(target, buffer.getvalue())
    return target, [problem for problem in found if problem.warning]


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
    """A fresh, empty catalog for ``lang`` with Babel's Language and
    Plural-Forms headers."""
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
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=creation_date(),
        language_team=f"{locale.english_name} <{template.msgid_bugs_address}>",
        charset="utf-8",
        fuzzy=False,
    )
    pofile.fields(catalog)["Plural-Forms"] = plurals.rule_for(lang).header
    return catalog


def _singular(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


def _reshaped(string: str | tuple[str, ...], msgid: str | tuple[str, ...]
              ) -> str | tuple[str, ...]:
    """A msgstr for a message that is plural or not (as ``msgid``): a
    singular becomes ``msgstr[0]``, ``msgstr[0]`` the singular."""
    plural = isinstance(msgid, (list, tuple))
    if isinstance(string, (list, tuple)):
        return tuple(string) if plural else (string[0] if string else "")
    return (string,) if plural else string


@dataclass(frozen=True)
class Merged:
    """What a merge did to one message whose source changed."""

    msgid: str
    context: str | None
    previous: str
    change: Change


def merge(catalog: Catalog, template: Catalog) -> tuple[Catalog, list[Merged]]:
    """Merge a template into a catalog; return the new catalog and the
    changes it met.

    A message whose source is unchanged keeps its translation, flags and
    comments. A changed source finds its old entry by layout (only
    whitespace or quotes changed: carried forward as current) or by
    similarity (fuzzy, with the previous msgid kept for the translator). An
    obsolete (``#~``) translation of the same source comes back as it was
    (as ``msgmerge`` does); one whose msgid is the same but became plural,
    singular or got another msgid_plural comes back fuzzy. The rest is new
    and empty; old translations no longer used become obsolete.
    """
    old = {(message.id, message.context): message for message in catalog
           if message.id}
    retired = {(message.id, message.context): message
               for message in catalog.obsolete.values()
               if message.id and not _untranslated(message.string)}
    by_singular = {(_singular(message.id), message.context): message
                   for message in [*retired.values(), *old.values()]
                   if not _untranslated(message.string)}
    by_layout = {(layout_key(message.id), message.context): message
                 for message in old.values()
                 if message.string and isinstance(message.id, str)}
    merged = Catalog(locale=catalog.locale, domain=catalog.domain,
                     header_comment=catalog._header_comment, fuzzy=catalog.fuzzy,
                     charset="utf-8")
    header = dict(pofile.fields(catalog))
    if catalog.locale and "Language" not in header:  # a file without a header
        header["Language"] = str(catalog.locale)
    for name in ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date"):
        if name in pofile.fields(template):
            header[name] = pofile.fields(template)[name]
    merged.leafpress_fields = header
    used: set[tuple[str, str | None]] = set()
    changes: list[Merged] = []
    candidates = {message.id: message for message in old.values()
                  if message.string and isinstance(message.id, str)}
    for source in template:
        if not source.id:
            continue
        key = (source.id, source.context)
        message = Message(source.id, "", locations=list(source.locations),
                          flags=set(source.flags) - {"fuzzy"},
                          auto_comments=list(source.auto_comments),
                          context=source.context)
        previous = old.get(key) or retired.get(key)
        if previous is None:
            previous = by_singular.get((_singular(source.id), source.context))
            if previous is not None:
                message.flags.add("fuzzy")
                message.previous_id = (list(previous.id) if isinstance(
                    previous.id, (list, tuple)) else [previous.id])
        if previous is None and isinstance(source.id, str):
            previous = by_layout.get((layout_key(source.id), source.context))
            if previous is not None and previous.id in candidates:
                changes.append(Merged(source.id, source.context, previous.id,
                                      classify(previous.id, source.id)))
            else:
                free = [msgid for msgid in candidates
                        if (msgid, source.context) in old
                        and (msgid, source.context) not in used
                        and template.get(msgid, source.context) is None]
                close = difflib.get_close_matches(source.id, free, n=1, cutoff=0.6)
                if close:
                    previous = old[close[0], source.context]
                    change = classify(previous.id, source.id)
                    changes.append(Merged(source.id, source.context, previous.id,
                                          change))
                    message.flags.add("fuzzy")
                    message.previous_id = [previous.id]
                    message.previous_context = previous.context
        if previous is not None:
            used.add((previous.id, previous.context))
            message.string = _reshaped(previous.string, source.id)
            message.user_comments = list(previous.user_comments)
            message.flags |= set(previous.flags) - set(FORMAT_FLAGS)
            if previous.fuzzy and previous.previous_id and not message.previous_id:
                message.previous_id = previous.previous_id
                message.previous_context = getattr(previous, "previous_context", None)
        merged[source.id] = message
    # Translations no longer used, and those already obsolete, stay as ``#~``
    # entries for reference (as msgmerge keeps them).
    obsolete = {key: message for key, message in old.items()
                if key not in used and message.string}
    for message in catalog.obsolete.values():
        key = (message.id, message.context)
        if key not in used and merged.get(*key) is None:
            obsolete.setdefault(key, message)
    for key, message in obsolete.items():
        merged.obsolete[key if message.context else message.id] = message
    return merged, changes


def bind(catalog: Catalog, version: str | None, wanted: Iterable[Wanted]) -> None:
    """Record the source version and hash a catalog is completely translated
    against, when it is; leave the last record otherwise."""
    if any(message.fuzzy or empty(message.string) for message in catalog
           if message.id):
        return
    header = pofile.fields(catalog)
    if version:
        header[SOURCE_VERSION] = version
    header[SOURCE_HASH] = source_hash((item.msgid, item.context) for item in wanted)


def update(project: Project, domains: Iterable[str], langs: Iterable[str]
           ) -> UpdateReport:
    """Merge each ``locales/<domain>.pot`` into every ``.po``, creating the
    missing ones, and give each the current plural rule of its language
    (:func:`plurals.repair`). A ``.po`` that cannot be read completely is
    reported and left untouched, and so is one whose merge would lose a
    translation or a header it had (:func:`losses`)."""
    report = UpdateReport()
    langs = list(langs)
    for domain in domains:
        pot = project.pot_path(domain)
        try:
            template = read_catalog(pot, project.show(pot))
        except ContentError as error:
            report.problems.extend(error.problems)
            continue
        wanted = [Wanted(message.id, message.context, "") for message in template
                  if message.id]
        for lang in langs:
            path = project.po_path(lang, domain)
            shown = project.show(path)
            try:
                before: bytes | None = path.read_bytes()
            except FileNotFoundError:
                before = None
            if before is not None:
                try:
                    catalog = parse_catalog(before, shown, lang)
                except ContentError as error:
                    report.problems.extend(error.problems)
                    continue
            else:
                catalog = new_catalog(template, lang, domain)
            catalog, changes = merge(catalog, template)
            rule = pofile.fields(catalog).get("Plural-Forms", "")
            repaired: list[Message] = []
            rewritten: list[Problem] = []
            if why := plurals.outdated(rule, lang):
                repaired = plurals.repair(catalog, lang)
                rewritten.append(Problem(
                    shown, 1, f"plural-forms: rewrote {rule!r} as "
                    f"{plurals.rule_for(lang).header!r} ({why}); " + (
                        f"{len(repaired)} plural "
                        f"entr{'y' if len(repaired) == 1 else 'ies'} became fuzzy"
                        if repaired else "no translated plural entry changed"),
                    warning=True))
            bind(catalog, template.version if domain != "ui" else None, wanted)
            data = serialise(catalog)
            if before is not None:
                lost = losses(shown, before, data, changes,
                              plurals.rule_for(lang) if why else None)
                if lost:
                    report.problems.extend(lost)
                    continue
            report.plurals.extend(rewritten)
            if write_if_changed(path, data):
                report.written.append(path)
            if not changes and not repaired:
                continue
            lines = message_lines(read_catalog(path, shown, lang), path)
            for merged in changes:
                text = describe_change(merged.previous, merged.msgid, merged.change)
                report.changes.append((Problem(
                    shown, lines.get((merged.context, merged.msgid)), text),
                    merged.change))
            for message in repaired:
                report.plurals.append(Problem(
                    shown, lines.get((message.context, message.id)),
                    f"fuzzy: the plural rule changed, so {short(message.id[0])} "
                    "picks another text for some numbers; review each msgstr[n] "
                    "and remove the fuzzy flag", warning=True))
    return report


def losses(shown: str, before: bytes, after: bytes, changes: Iterable[Merged],
           rule: plurals.Rule | None = None) -> list[Problem]:
    """What ``update`` would lose by writing ``after`` over ``before``: its
    last look, on the bytes themselves, read by :func:`pofile.entries`.

    Every translated entry of ``before`` (a msgid and msgctxt with a msgstr,
    obsolete ones too) must be in ``after`` with the same msgstr, active or
    obsolete, or under the new source the merge moved it to (``changes``);
    the header's ``Language`` and ``Plural-Forms`` must be kept (with
    ``rule``: ``Plural-Forms`` is that rule, and plural forms are as
    :func:`plurals.repair` resized them). One exception, as ``msgmerge``
    makes it: an entry whose source is no longer plural keeps its
    ``msgstr[0]`` (fuzzy, its old ``msgid_plural`` shown as ``#|``). Each
    loss is a problem at its line.
    """
    found = pofile.entries(before)
    try:
        written = pofile.entries(after)
    except pofile.PoSyntaxError as error:
        line, message = error.problems[0]
        return [Problem(shown, None, "not updated: the merged catalog would not read "
                        f"back (its line {line}: {message}); the file is left as it "
                        "was (this is a bug in leafpress: please report it)")]
    kept = {(entry.key, entry.translated) for entry in written}
    singular = {entry.key for entry in written if entry.plural is None}
    moved = {(item.context, item.previous): (item.context, item.msgid)
             for item in changes}
    problems = []
    for entry in found:
        forms = entry.translated
        if entry.header or not forms:
            continue
        if rule is not None and entry.plural is not None:
            forms = tuple(entry.strings[:rule.count])
            while forms and not forms[-1]:
                forms = forms[:-1]
        if entry.plural is not None and entry.key in singular:
            forms = forms[:1]
        if (entry.key, forms) not in kept and (
                moved.get(entry.key, entry.key), forms) not in kept:
            problems.append(Problem(shown, entry.string_lines[0], "not updated: the "
                                    "merged catalog would lose the translation of "
                                    f"{short(entry.msgid)}; the file is left as it "
                                    "was (this is a bug in leafpress: please report "
                                    "it)"))
    old, new = pofile.header(found), pofile.header(written)
    for name in ("Language", "Plural-Forms"):
        want = rule.header if rule is not None and name == "Plural-Forms" else (
            old.get(name))
        if want is not None and new.get(name) != want:
            problems.append(Problem(shown, 1, f"not updated: the merged catalog would "
                                    f"have {name}: {new.get(name, '(none)')} instead "
                                    f"of {want}; the file is left as it was (this is "
                                    "a bug in leafpress: please report it)"))
    return problems


@dataclass
class UpdateReport:
    """What ``update`` did: files written, problems, the source changes it met
    (each with its place in the ``.po``), the plural rules it rewrote (with
    the entries that became fuzzy), and PDFs it withdrew."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changes: list[tuple[Problem, Change]] = field(default_factory=list)
    plurals: list[Problem] = field(default_factory=list)
    #: (where it was, where it is now, why) of each PDF withdrawn.
    withdrawn: list[tuple[Path, Path, str]] = field(default_factory=list)


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
    """Count the messages a leaflet uses by state (an empty fuzzy entry is
    untranslated)."""
    numbers = {"translated": [0, 0], "fuzzy": [0, 0], "untranslated": [0, 0]}
    for item in wanted:
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
